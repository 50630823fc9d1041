#include <govsim/core/error.hpp>
#include <govsim/dsge/command_options.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace govsim::dsge {

namespace {

std::string trim(std::string s) {
  auto sp = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && sp(s.front())) s.erase(s.begin());
  while (!s.empty() && sp(s.back())) s.pop_back();
  return s;
}

std::string unquote(std::string s) {
  s = trim(std::move(s));
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front()) s = s.substr(1, s.size() - 2);
  return s;
}

// A decimal literal as Dynare's preprocessor reads numbers: [+-]digits[.digits][e[+-]digits].
std::optional<double> parse_number(const std::string& text) {
  const std::string s = trim(text);
  std::size_t i = 0, n = s.size(), digits = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t ed = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++ed;
    if (ed == 0) return std::nullopt;
  }
  if (i != n) return std::nullopt;
  return std::strtod(s.c_str(), nullptr);
}

std::string range_text(long long min, long long max) {
  constexpr long long lo = std::numeric_limits<long long>::min(), hi = std::numeric_limits<long long>::max();
  if (min == lo && max == hi) return "a whole number";
  if (max == hi) return "a whole number >= " + std::to_string(min);
  if (min == lo) return "a whole number <= " + std::to_string(max);
  return "a whole number in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

std::string real_text(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

}  // namespace

CommandOptionReader::CommandOptionReader(const Command& cmd, double max_memory_bytes)
    : cmd_(cmd), max_memory_bytes_(max_memory_bytes) {}

std::string CommandOptionReader::where() const {
  std::string s;
  if (!cmd_.where.file.empty()) s = cmd_.where.file + ":" + std::to_string(cmd_.where.line) + ": ";
  return s + cmd_.name;
}

bool CommandOptionReader::has(const std::string& key) const { return cmd_.has_option(key); }

void CommandOptionReader::fail(const std::string& key, const std::string& why) const {
  const auto v = cmd_.option(key);
  std::string opt = key;
  if (v && !v->empty()) opt += "=" + *v;
  throw OptionsError(where() + ": option " + opt + ": " + why);
}

long long CommandOptionReader::integer(const std::string& key, long long fallback, long long min,
                                       long long max) const {
  const auto v = cmd_.option(key);
  if (!v) return fallback;
  const auto d = parse_number(*v);
  if (!d || !std::isfinite(*d)) fail(key, "must be " + range_text(min, max));
  if (*d != std::floor(*d)) fail(key, "must be " + range_text(min, max) + ", not a fraction");
  // compare as doubles first: values beyond the long long range are out of any range
  if (*d < static_cast<double>(min) || *d > static_cast<double>(max)) fail(key, "must be " + range_text(min, max));
  const long long i = static_cast<long long>(*d);
  if (i < min || i > max) fail(key, "must be " + range_text(min, max));
  return i;
}

double CommandOptionReader::real(const std::string& key, double fallback, double min, double max) const {
  const auto v = cmd_.option(key);
  if (!v) return fallback;
  const auto d = parse_number(*v);
  if (!d || !std::isfinite(*d)) fail(key, "must be a finite number");
  if (*d < min || *d > max) {
    std::string range = std::isfinite(min) && std::isfinite(max)
                            ? "in [" + real_text(min) + ", " + real_text(max) + "]"
                            : std::isfinite(min) ? ">= " + real_text(min) : "<= " + real_text(max);
    fail(key, "must be a number " + range);
  }
  return *d;
}

bool CommandOptionReader::flag(const std::string& key) const {
  const auto v = cmd_.option(key);
  if (!v) return false;
  const std::string s = unquote(*v);
  if (s.empty() || s == "1" || s == "true") return true;
  if (s == "0" || s == "false") return false;
  fail(key, "is a flag: give it alone, or as " + key + "=0 / " + key + "=1");
}

std::optional<std::string> CommandOptionReader::text(const std::string& key) const {
  const auto v = cmd_.option(key);
  if (!v) return std::nullopt;
  return unquote(*v);
}

std::vector<long long> CommandOptionReader::integer_list(const std::string& key, long long min,
                                                         std::size_t max_elements) const {
  const auto v = cmd_.option(key);
  if (!v) return {};
  std::string s = trim(*v);
  while (!s.empty() && (s.front() == '[' || s.front() == '(')) s.erase(s.begin());
  while (!s.empty() && (s.back() == ']' || s.back() == ')')) s.pop_back();
  std::replace(s.begin(), s.end(), ',', ' ');
  const std::string what = "must be a list of whole numbers >= " + std::to_string(min) + " such as [1 4 8] or 1:10";
  auto whole = [&](const std::string& t) -> long long {
    const auto d = parse_number(t);
    if (!d || !std::isfinite(*d) || *d != std::floor(*d) || *d < static_cast<double>(min) || std::fabs(*d) > 1e15)
      fail(key, what);
    return static_cast<long long>(*d);
  };
  std::vector<long long> out;
  std::istringstream is(s);
  std::string part;
  while (is >> part) {
    const auto colon = part.find(':');
    if (colon == std::string::npos) {
      out.push_back(whole(part));
    } else {
      const long long a = whole(part.substr(0, colon)), b = whole(part.substr(colon + 1));
      if (b < a) fail(key, "range " + part + " is empty");
      if (static_cast<double>(b - a) + static_cast<double>(out.size()) >= static_cast<double>(max_elements))
        fail(key, "more than " + std::to_string(max_elements) + " elements");
      for (long long h = a; h <= b; ++h) out.push_back(h);
    }
    if (out.size() > max_elements) fail(key, "more than " + std::to_string(max_elements) + " elements");
  }
  if (out.empty()) fail(key, what);
  return out;
}

Names CommandOptionReader::var_list(const Names& known, const Names& fallback) const {
  if (cmd_.args.empty()) return fallback;
  std::string unknown;
  for (const auto& v : cmd_.args)
    if (std::find(known.begin(), known.end(), v) == known.end()) unknown += (unknown.empty() ? "" : ", ") + v;
  if (!unknown.empty()) throw OptionsError(where() + ": unknown variable(s) " + unknown);
  return cmd_.args;
}

Names CommandOptionReader::unknown_options(const Names& known) const {
  Names out;
  for (const auto& o : cmd_.options)
    if (std::find(known.begin(), known.end(), o.key) == known.end()) out.push_back(o.key);
  return out;
}

void CommandOptionReader::require_memory(const std::string& key, double bytes, const std::string& what) const {
  if (bytes <= max_memory_bytes_) return;
  char b[160];
  std::snprintf(b, sizeof b, "the %s would need %.3g GB of memory (limit %.3g GB)", what.c_str(), bytes / 1e9,
                max_memory_bytes_ / 1e9);
  fail(key, b);
}

}  // namespace govsim::dsge
