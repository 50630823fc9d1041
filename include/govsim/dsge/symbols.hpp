#pragma once
/// \file symbols.hpp
/// Symbol table of a DSGE model: endogenous, exogenous, deterministic exogenous variables and
/// parameters, each with its declaration index, LaTeX name and long name.

#include <govsim/core/types.hpp>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace govsim::dsge {

/// Kind of a declared symbol.
enum class SymbolType { Endogenous, Exogenous, ExogenousDet, Parameter };

/// Name of a symbol type ("endogenous", ...).
const char* to_string(SymbolType t) noexcept;

/// One declared symbol.
struct Symbol {
  std::string name;        ///< identifier
  SymbolType type = SymbolType::Endogenous;  ///< kind
  Index index = 0;         ///< position among the symbols of its kind (declaration order)
  std::string tex_name;    ///< `$...$` text, or empty
  std::string long_name;   ///< `(long_name='...')`, or empty
};

/// Auxiliary endogenous variable added so that leads and lags are at most one (as Dynare does).
struct AuxVariable {
  /// Why the variable exists.
  enum class Kind {
    EndoLead,  ///< `aux_k = x(+1)` chain for a lead of 2 or more of `orig_name`
    EndoLag,   ///< `aux_k = x(-1)` chain for a lag of 2 or more
    ExoLag,    ///< `aux = e` for a lagged (or led) exogenous variable
  };
  Kind kind = Kind::EndoLag;
  Index endo_index = 0;     ///< index of the auxiliary among the endogenous variables
  std::string orig_name;    ///< variable it tracks
  SymbolType orig_type = SymbolType::Endogenous;  ///< type of orig_name
  Index orig_index = 0;     ///< index of orig_name in its kind
  int orig_lead_lag = 0;    ///< offset of orig_name that the auxiliary equals at date t
};

/// Declared symbols. Frozen after parsing; names are unique across kinds.
class SymbolTable {
 public:
  /// Add a symbol; returns its index in its kind. Throws ModelError on a duplicate name or when frozen.
  Index add(const std::string& name, SymbolType type, const std::string& tex_name = "",
            const std::string& long_name = "");
  /// The symbol with that name, if any.
  std::optional<Symbol> find(const std::string& name) const;
  /// True if the name is declared.
  bool contains(const std::string& name) const { return by_name_.count(name) != 0; }
  /// Symbol of a kind by index.
  const Symbol& at(SymbolType type, Index index) const { return list(type)[static_cast<std::size_t>(index)]; }
  /// Number of symbols of a kind.
  Index size(SymbolType type) const { return static_cast<Index>(list(type).size()); }
  /// Names of a kind, declaration order.
  Names names(SymbolType type) const;
  /// All symbols of a kind.
  const std::vector<Symbol>& list(SymbolType type) const { return lists_[static_cast<int>(type)]; }
  /// Forbid further additions.
  void freeze() noexcept { frozen_ = true; }
  /// True once frozen.
  bool frozen() const noexcept { return frozen_; }
  /// Every declared name (for "did you mean" suggestions).
  Names all_names() const;

 private:
  std::vector<Symbol> lists_[4];
  std::unordered_map<std::string, std::pair<SymbolType, Index>> by_name_;
  bool frozen_ = false;
};

}  // namespace govsim::dsge
