#pragma once
/// \file command_options.hpp
/// The one reader of `.mod` command option values (`stoch_simul(irf=40, ar=5, nograph)`,
/// `estimation(datafile=data.csv, mh_replic=2000)`, ...), typed and validated as Dynare does.
///
/// Integers must be whole numbers (`irf=2.7` and `periods=10.7` are errors; `periods=1e3` is
/// 1000) inside the range the option allows (`irf=-5`, `periods=-10`, `order=0` are errors);
/// reals must be finite numbers; lists are `[1 4 8]`, `(1, 2)` or ranges `1:4`. Every error is a
/// govsim::OptionsError whose message starts with `file:line: command: option key=value` and says
/// what is allowed. require_memory() refuses values whose arrays would not fit (`irf=1e9`) before
/// anything is allocated, saying how much memory they would need.
///
/// \code
/// govsim::dsge::CommandOptionReader r(cmd);
/// long long irf = r.integer("irf", 40, 0);           // default 40, at least 0
/// double qz = r.real("qz_criterium", 1.0 + 1e-6, 0.0);
/// bool nograph = r.flag("nograph");
/// std::vector<long long> h = r.integer_list("conditional_variance_decomposition", 1);
/// \endcode

#include <govsim/core/types.hpp>
#include <govsim/dsge/model.hpp>

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace govsim::dsge {

/// Typed, validated access to one command's options.
class CommandOptionReader {
 public:
  /// \param cmd the command (kept by reference: it must outlive the reader)
  /// \param max_memory_bytes largest memory require_memory() accepts
  explicit CommandOptionReader(const Command& cmd, double max_memory_bytes = 8e9);

  /// `file:line: command` of the command, as error messages start.
  std::string where() const;

  /// True when the option is present (a flag or key=value).
  /// \param key option name
  bool has(const std::string& key) const;

  /// A whole number in [min, max].
  /// \param key option name
  /// \param fallback value when the option is absent
  /// \param min smallest allowed value
  /// \param max largest allowed value
  /// \return the value
  /// \throws OptionsError for text that is not a number, a fractional number or a value outside [min, max]
  long long integer(const std::string& key, long long fallback, long long min = std::numeric_limits<long long>::min(),
                    long long max = std::numeric_limits<long long>::max()) const;

  /// A finite real number in [min, max].
  /// \param key option name
  /// \param fallback value when the option is absent
  /// \param min smallest allowed value
  /// \param max largest allowed value
  /// \return the value
  /// \throws OptionsError for text that is not a finite number or a value outside [min, max]
  double real(const std::string& key, double fallback, double min = -std::numeric_limits<double>::infinity(),
              double max = std::numeric_limits<double>::infinity()) const;

  /// A boolean option: a flag (`nograph`) is true; `key=0`/`key=1`, `true`/`false` also accepted.
  /// \param key option name
  /// \return false when absent
  /// \throws OptionsError for another value
  bool flag(const std::string& key) const;

  /// A text value with surrounding quotes removed (`datafile='data.csv'` -> `data.csv`).
  /// \param key option name
  /// \return nullopt when absent
  std::optional<std::string> text(const std::string& key) const;

  /// A list of whole numbers: `[1 4 8]`, `(1, 2)`, `1:4` (ranges expand), each at least `min`.
  /// \param key option name
  /// \param min smallest allowed element
  /// \param max_elements largest number of elements after expanding ranges
  /// \return empty when absent
  /// \throws OptionsError for an empty list, a non-integer or an element below `min`
  std::vector<long long> integer_list(const std::string& key, long long min = std::numeric_limits<long long>::min(),
                                      std::size_t max_elements = 1000000) const;

  /// The command's variable list (`stoch_simul(...) y pi;`), each checked against `known`;
  /// `fallback` when the list is empty.
  /// \param known the names allowed
  /// \param fallback list used when the command names none
  /// \return the list
  /// \throws OptionsError naming the unknown variables
  Names var_list(const Names& known, const Names& fallback) const;

  /// Names of options not in `known`, in source order (for "unsupported option(s) ignored").
  /// \param known the options the command handles
  Names unknown_options(const Names& known) const;

  /// Refuse an option value whose arrays would need more than the memory limit.
  /// \param key the option responsible
  /// \param bytes memory the value would need
  /// \param what what would be stored ("impulse responses")
  /// \throws OptionsError with the memory in GB and the limit
  void require_memory(const std::string& key, double bytes, const std::string& what) const;

 private:
  [[noreturn]] void fail(const std::string& key, const std::string& why) const;
  const Command& cmd_;
  double max_memory_bytes_;
};

}  // namespace govsim::dsge
