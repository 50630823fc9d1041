// Dynare macro processor.
#include "macro.hpp"

#include <govsim/core/error.hpp>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace govsim::dsge::detail {

namespace {

namespace fs = std::filesystem;

struct MValue {
  enum class Kind { Num, Str, Array } kind = Kind::Num;
  double num = 0.0;
  std::string str;
  std::vector<MValue> arr;
  static MValue number(double v) { MValue m; m.num = v; return m; }
  static MValue string(std::string s) { MValue m; m.kind = Kind::Str; m.str = std::move(s); return m; }
  bool truthy() const {
    if (kind == Kind::Num) return num != 0.0;
    if (kind == Kind::Str) return !str.empty();
    return !arr.empty();
  }
  std::string text() const {
    if (kind == Kind::Str) return str;
    if (kind == Kind::Num) {
      if (std::isfinite(num) && num == std::floor(num) && std::fabs(num) < 1e15) {
        std::ostringstream os;
        os << static_cast<long long>(num);
        return os.str();
      }
      std::ostringstream os;
      os.precision(15);
      os << num;
      return os.str();
    }
    std::string s = "[";
    for (std::size_t i = 0; i < arr.size(); ++i) {
      if (i) s += ", ";
      s += arr[i].kind == Kind::Str ? "\"" + arr[i].str + "\"" : arr[i].text();
    }
    return s + "]";
  }
  bool equals(const MValue& o) const {
    if (kind != o.kind) return false;
    if (kind == Kind::Num) return num == o.num;
    if (kind == Kind::Str) return str == o.str;
    if (arr.size() != o.arr.size()) return false;
    for (std::size_t i = 0; i < arr.size(); ++i)
      if (!arr[i].equals(o.arr[i])) return false;
    return true;
  }
};

struct Loc {
  std::string file;
  int line;
  std::string text;
  bool hidden = false;  ///< line of an included file that is not a model file: never quote it
};

/// Extensions of files taken as model source: errors in other included files (a data file, a
/// system file included by mistake) name the file and position but never quote its content.
bool is_model_extension(const fs::path& p) {
  std::string e = p.extension().string();
  for (char& ch : e) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return e == ".mod" || e == ".inc" || e == ".dyn" || e == ".m" || e == ".mac";
}

[[noreturn]] void fail(const Loc& loc, int col, const std::string& msg) {
  std::string where = loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(col);
  if (loc.hidden)
    throw ParseError("macro error in included file '" + loc.file + "', which is not a model file (content not shown) at " +
                         where,
                     loc.file, loc.line, col, "");
  throw ParseError(msg + " at " + where, loc.file, loc.line, col, loc.text);
}

// ---- macro expression evaluator ------------------------------------------------------------------
class MacroExpr {
 public:
  MacroExpr(const std::string& s, std::size_t offset, const Loc& loc, const std::map<std::string, MValue>& vars)
      : s_(s), p_(offset), loc_(loc), vars_(vars) {}

  MValue parse_all() {
    MValue v = parse_or();
    skip();
    if (p_ < s_.size()) error("unexpected '" + s_.substr(p_, 1) + "' in macro expression");
    return v;
  }
  MValue parse_or() {
    MValue a = parse_and();
    while (eat("||")) { MValue b = parse_and(); a = MValue::number(a.truthy() || b.truthy()); }
    return a;
  }

 private:
  [[noreturn]] void error(const std::string& m) { fail(loc_, static_cast<int>(p_) + 1, m); }
  void skip() { while (p_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[p_]))) ++p_; }
  bool eat(const char* t) {
    skip();
    std::size_t n = std::char_traits<char>::length(t);
    if (s_.compare(p_, n, t) == 0) {
      // do not split "<=" when looking for "<", etc.
      if (n == 1 && p_ + 1 < s_.size() && (t[0] == '<' || t[0] == '>' || t[0] == '=' || t[0] == '!') && s_[p_ + 1] == '=')
        return false;
      p_ += n;
      return true;
    }
    return false;
  }
  MValue parse_and() {
    MValue a = parse_cmp();
    while (eat("&&")) { MValue b = parse_cmp(); a = MValue::number(a.truthy() && b.truthy()); }
    return a;
  }
  MValue parse_cmp() {
    MValue a = parse_range();
    for (;;) {
      if (eat("==")) { MValue b = parse_range(); a = MValue::number(a.equals(b)); }
      else if (eat("!=")) { MValue b = parse_range(); a = MValue::number(!a.equals(b)); }
      else if (eat("<=")) { MValue b = parse_range(); a = MValue::number(num(a) <= num(b)); }
      else if (eat(">=")) { MValue b = parse_range(); a = MValue::number(num(a) >= num(b)); }
      else if (eat("<")) { MValue b = parse_range(); a = MValue::number(num(a) < num(b)); }
      else if (eat(">")) { MValue b = parse_range(); a = MValue::number(num(a) > num(b)); }
      else return a;
    }
  }
  MValue parse_range() {
    MValue a = parse_add();
    skip();
    if (p_ < s_.size() && s_[p_] == ':') {
      ++p_;
      MValue b = parse_add();
      MValue r;
      r.kind = MValue::Kind::Array;
      double lo = num(a), hi = num(b);
      if (!(hi - lo <= 1e6)) error("macro range " + a.text() + ":" + b.text() + " is too long");
      for (double x = lo; x <= hi + 1e-12; x += 1.0) r.arr.push_back(MValue::number(x));
      return r;
    }
    return a;
  }
  double num(const MValue& v) {
    if (v.kind != MValue::Kind::Num) error("a number was expected in macro expression");
    return v.num;
  }
  MValue parse_add() {
    MValue a = parse_mul();
    for (;;) {
      if (eat("+")) {
        MValue b = parse_mul();
        if (a.kind == MValue::Kind::Str && b.kind == MValue::Kind::Str) a = MValue::string(a.str + b.str);
        else if (a.kind == MValue::Kind::Array && b.kind == MValue::Kind::Array) a.arr.insert(a.arr.end(), b.arr.begin(), b.arr.end());
        else a = MValue::number(num(a) + num(b));
      } else if (eat("-")) {
        MValue b = parse_mul();
        a = MValue::number(num(a) - num(b));
      } else {
        return a;
      }
    }
  }
  MValue parse_mul() {
    MValue a = parse_unary();
    for (;;) {
      if (eat("*")) { MValue b = parse_unary(); a = MValue::number(num(a) * num(b)); }
      else if (eat("/")) { MValue b = parse_unary(); a = MValue::number(num(a) / num(b)); }
      else return a;
    }
  }
  MValue parse_unary() {
    // nesting guard: '(' '[' and unary operators recurse (fuzzing found a stack overflow)
    struct Guard {
      int& d;
      explicit Guard(int& x) : d(x) { ++d; }
      ~Guard() { --d; }
    } guard(depth_);
    if (depth_ > 200) error("macro expression nested too deeply (more than 200 levels)");
    if (eat("!")) return MValue::number(!parse_unary().truthy());
    if (eat("-")) return MValue::number(-num(parse_unary()));
    if (eat("+")) return MValue::number(num(parse_unary()));
    MValue a = parse_postfix();
    if (eat("^")) a = MValue::number(std::pow(num(a), num(parse_unary())));
    return a;
  }
  MValue parse_postfix() {
    MValue a = parse_primary();
    skip();
    while (p_ < s_.size() && s_[p_] == '[') {
      ++p_;
      MValue i = parse_or();
      if (!eat("]")) error("expected ']' in macro expression");
      if (a.kind != MValue::Kind::Array) error("indexing a macro value that is not an array");
      double kd = num(i);
      if (!(kd >= 1 && kd <= 1e9)) error("macro array index out of range");
      long k = std::lround(kd);
      if (k < 1 || k > static_cast<long>(a.arr.size())) error("macro array index out of range");
      MValue e = a.arr[static_cast<std::size_t>(k - 1)];
      a = e;
      skip();
    }
    return a;
  }
  MValue parse_primary() {
    skip();
    if (p_ >= s_.size()) error("unexpected end of macro expression");
    char c = s_[p_];
    if (c == '(') {
      ++p_;
      MValue v = parse_or();
      if (!eat(")")) error("expected ')' in macro expression");
      return v;
    }
    if (c == '[') {
      ++p_;
      MValue r;
      r.kind = MValue::Kind::Array;
      if (eat("]")) return r;
      for (;;) {
        r.arr.push_back(parse_or());
        if (eat(",")) continue;
        if (eat("]")) break;
        error("expected ',' or ']' in macro array");
      }
      return r;
    }
    if (c == '"' || c == '\'') {
      std::size_t e = s_.find(c, p_ + 1);
      if (e == std::string::npos) error("unterminated string in macro expression");
      MValue v = MValue::string(s_.substr(p_ + 1, e - p_ - 1));
      p_ = e + 1;
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      const char* begin = s_.c_str() + p_;
      char* end = nullptr;
      double v = std::strtod(begin, &end);
      if (end == begin) error("invalid number in macro expression");
      p_ += static_cast<std::size_t>(end - begin);
      return MValue::number(v);
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t st = p_;
      while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_')) ++p_;
      std::string id = s_.substr(st, p_ - st);
      if (id == "true") return MValue::number(1);
      if (id == "false") return MValue::number(0);
      if (id == "length") {
        if (!eat("(")) error("expected '(' after length");
        MValue v = parse_or();
        if (!eat(")")) error("expected ')'");
        return MValue::number(v.kind == MValue::Kind::Array ? static_cast<double>(v.arr.size())
                                                           : static_cast<double>(v.str.size()));
      }
      if (id == "defined") {
        if (!eat("(")) error("expected '(' after defined");
        skip();
        std::size_t s2 = p_;
        while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_')) ++p_;
        std::string nm = s_.substr(s2, p_ - s2);
        if (!eat(")")) error("expected ')'");
        return MValue::number(vars_.count(nm) ? 1 : 0);
      }
      auto it = vars_.find(id);
      if (it == vars_.end()) {
        p_ = st;
        error("unknown macro variable '" + id + "'");
      }
      return it->second;
    }
    error(std::string("unexpected '") + c + "' in macro expression");
  }

  const std::string& s_;
  std::size_t p_;
  const Loc& loc_;
  const std::map<std::string, MValue>& vars_;
  int depth_ = 0;
};

// Remove comments (// % /* */) and blank the contents of verbatim blocks, keeping line structure.
std::vector<std::string> clean_lines(std::string_view src, const std::string& display, bool hidden) {
  std::vector<std::string> out;
  std::string cur;
  bool in_block = false, in_verbatim = false;
  std::size_t i = 0;
  int block_line = 0, block_col = 0;          // where the open /* comment starts
  std::size_t block_line_start = 0;           // offset of that line in src
  std::size_t line_start = 0;                 // offset of the current line in src
  auto flush = [&]() {
    // verbatim handling on the cleaned line
    auto trim = [](const std::string& s) {
      std::size_t a = s.find_first_not_of(" \t\r");
      if (a == std::string::npos) return std::string();
      std::size_t b = s.find_last_not_of(" \t\r");
      return s.substr(a, b - a + 1);
    };
    std::string t = trim(cur);
    std::string compact;
    for (char ch : t)
      if (ch != ' ' && ch != '\t') compact += ch;
    if (in_verbatim) {
      if (compact == "end;") {
        in_verbatim = false;
        out.push_back(cur);
      } else {
        out.emplace_back();
      }
    } else {
      out.push_back(cur);
      if (compact == "verbatim;") in_verbatim = true;
    }
    cur.clear();
  };
  while (i < src.size()) {
    char c = src[i];
    if (c == '\n') {
      flush();
      ++i;
      line_start = i;
      continue;
    }
    if (in_verbatim) {
      // keep raw text; comment rules do not apply inside verbatim (blanked in flush)
      cur += c;
      ++i;
      continue;
    }
    if (in_block) {
      if (c == '*' && i + 1 < src.size() && src[i + 1] == '/') {
        in_block = false;
        cur += "  ";
        i += 2;
      } else {
        cur += (c == '\t' ? '\t' : ' ');
        ++i;
      }
      continue;
    }
    if (c == '/' && i + 1 < src.size() && src[i + 1] == '*') {
      in_block = true;
      block_line = static_cast<int>(out.size()) + 1;
      block_col = static_cast<int>(cur.size()) + 1;
      block_line_start = line_start;
      cur += "  ";
      i += 2;
      continue;
    }
    if ((c == '/' && i + 1 < src.size() && src[i + 1] == '/') || c == '%') {
      while (i < src.size() && src[i] != '\n') ++i;
      continue;
    }
    if (c == '\'' || c == '"') {
      std::size_t e = src.find(c, i + 1);
      std::size_t nl = src.find('\n', i + 1);
      if (e != std::string_view::npos && (nl == std::string_view::npos || e < nl)) {
        cur.append(src.substr(i, e - i + 1));
        i = e + 1;
        continue;
      }
    }
    if (c != '\r') cur += c;
    ++i;
  }
  flush();
  if (in_block) {
    std::size_t e = src.find('\n', block_line_start);
    std::string excerpt(src.substr(block_line_start, e == std::string_view::npos ? std::string_view::npos : e - block_line_start));
    fail(Loc{display, block_line, hidden ? std::string() : excerpt, hidden}, block_col, "unterminated comment: '/*' without '*/'");
  }
  return out;
}

struct Processor {
  const ParseOptions& opts;
  std::map<std::string, MValue> vars;
  std::vector<std::string> include_paths;
  std::vector<SourceLine> out;
  int depth = 0;
  std::size_t loop_lines = 0;  // lines processed by @#for bodies so far
  static constexpr std::size_t kMaxLoopLines = 2000000;

  std::string substitute(const std::string& text, const Loc& loc) {
    std::string r;
    std::size_t i = 0;
    while (i < text.size()) {
      if (text[i] == '@' && i + 1 < text.size() && text[i + 1] == '{') {
        std::size_t e = text.find('}', i + 2);
        if (e == std::string::npos) fail(loc, static_cast<int>(i) + 1, "unterminated '@{'");
        // pad so that error columns count from the start of the line
        std::string inner = std::string(i + 2, ' ') + text.substr(i + 2, e - i - 2);
        Loc l2 = loc;
        MacroExpr ev(inner, i + 2, l2, vars);
        r += ev.parse_all().text();
        i = e + 1;
      } else {
        r += text[i++];
      }
    }
    return r;
  }

  static std::string directive_of(const std::string& line, std::size_t& rest) {
    std::size_t a = line.find_first_not_of(" \t");
    if (a == std::string::npos || line.compare(a, 2, "@#") != 0) return "";
    std::size_t b = a + 2;
    while (b < line.size() && (line[b] == ' ' || line[b] == '\t')) ++b;
    std::size_t c = b;
    while (c < line.size() && (std::isalpha(static_cast<unsigned char>(line[c])))) ++c;
    rest = c;
    return line.substr(b, c - b);
  }

  MValue eval(const std::string& s, std::size_t off, const Loc& loc) {
    MacroExpr ev(s, off, loc, vars);
    return ev.parse_all();
  }

  /// Dynare's rule: a relative name is looked up in the folder of the including file, then in
  /// the ParseOptions::include_paths and @#includepath folders in order (a relative
  /// @#includepath is taken from the folder of the file that declares it); text parsed from a
  /// string has no folder and looks in the include paths, then the working directory.
  void include_file(const std::string& name, const std::string& from_path, const Loc& loc, int col) {
    std::vector<fs::path> candidates;
    fs::path p(name);
    if (name.empty()) fail(loc, col, "@#include needs a file name");
    if (p.is_absolute()) {
      candidates.push_back(p);
    } else {
      if (!from_path.empty()) candidates.push_back(fs::path(from_path).parent_path() / p);
      for (const auto& d : include_paths) candidates.push_back(fs::path(d) / p);
      if (from_path.empty()) candidates.push_back(p);
    }
    for (const auto& c : candidates) {
      std::error_code ec;
      if (fs::is_regular_file(c, ec)) {
        std::ifstream in(c, std::ios::binary);
        if (!in) fail(loc, col, "cannot read included file '" + name + "'");
        std::stringstream ss;
        ss << in.rdbuf();
        if (++depth > 50) fail(loc, col, "@#include nested too deeply (recursive include?)");
        std::string text = ss.str();
        process_source(text, c.filename().string(), c.string(), !is_model_extension(c));
        --depth;
        return;
      }
    }
    std::string searched;
    for (const auto& c : candidates) {
      std::string d = c.parent_path().string();
      if (d.empty()) d = ".";
      if (searched.find("'" + d + "'") != std::string::npos) continue;
      searched += (searched.empty() ? "" : ", ") + ("'" + d + "'");
    }
    fail(loc, col, "cannot open included file '" + name + "' (looked in " + searched + ")");
  }

  void process_source(std::string_view src, const std::string& display, const std::string& path,
                      bool hidden = false) {
    std::size_t nul = src.find('\0');
    if (nul != std::string_view::npos) {
      // a binary file (or a truncated write): locate the first NUL, never echo the bytes
      int line = 1;
      std::size_t line_start = 0;
      for (std::size_t k = 0; k < nul; ++k)
        if (src[k] == '\n') {
          ++line;
          line_start = k + 1;
        }
      int col = static_cast<int>(nul - line_start) + 1;
      std::string excerpt;
      if (!hidden) {  // the line, NULs shown as \0, at most 200 bytes
        for (std::size_t k = line_start; k < src.size() && src[k] != '\n' && excerpt.size() < 200; ++k)
          excerpt += src[k] == '\0' ? std::string("\\0") : std::string(1, src[k]);
      }
      throw ParseError("NUL byte in the source (not a text file?) at " + display + ":" + std::to_string(line) + ":" +
                           std::to_string(col),
                       display, line, col, excerpt);
    }
    std::vector<std::string> lines = clean_lines(src, display, hidden);
    std::vector<Loc> locs;
    locs.reserve(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i)
      locs.push_back(Loc{display, static_cast<int>(i) + 1, hidden ? std::string() : lines[i], hidden});
    process(lines, locs, path);
  }

  void process(const std::vector<std::string>& lines, const std::vector<Loc>& locs, const std::string& path) {
    struct Cond {
      bool parent_active;
      bool active;
      bool taken;
      bool in_else;
      Loc loc;
    };
    std::vector<Cond> stack;
    auto active = [&]() { return stack.empty() || stack.back().active; };
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string& line = lines[i];
      const Loc& loc = locs[i];
      std::size_t rest = 0;
      std::string d = directive_of(line, rest);
      if (d.empty()) {
        if (active()) out.push_back(SourceLine{substitute(line, loc), loc.file, loc.line, loc.hidden});
        else out.push_back(SourceLine{"", loc.file, loc.line, loc.hidden});
        continue;
      }
      int col = static_cast<int>(line.find('@')) + 1;
      out.push_back(SourceLine{"", loc.file, loc.line});
      if (d == "if" || d == "ifdef" || d == "ifndef") {
        bool pa = active();
        bool v = false;
        if (pa) {
          if (d == "if") {
            v = eval(line, rest, loc).truthy();
          } else {
            std::string nm = line.substr(rest);
            std::size_t a = nm.find_first_not_of(" \t"), b = nm.find_last_not_of(" \t");
            if (a == std::string::npos) fail(loc, col, "@#" + d + " needs a macro variable name");
            nm = nm.substr(a, b - a + 1);
            v = vars.count(nm) != 0;
            if (d == "ifndef") v = !v;
          }
        }
        stack.push_back(Cond{pa, pa && v, pa && v, false, loc});
      } else if (d == "elseif") {
        if (stack.empty() || stack.back().in_else) fail(loc, col, "@#elseif without @#if");
        Cond& c = stack.back();
        if (c.parent_active && !c.taken) {
          bool v = eval(line, rest, loc).truthy();
          c.active = v;
          c.taken = v;
        } else {
          c.active = false;
        }
      } else if (d == "else") {
        if (stack.empty() || stack.back().in_else) fail(loc, col, "@#else without @#if");
        Cond& c = stack.back();
        c.in_else = true;
        c.active = c.parent_active && !c.taken;
        c.taken = true;
      } else if (d == "endif") {
        if (stack.empty()) fail(loc, col, "@#endif without @#if");
        stack.pop_back();
      } else if (!active()) {
        // other directives are ignored in inactive branches; skip whole @#for bodies
        if (d == "for") {
          int nest = 1;
          while (++i < lines.size()) {
            std::size_t r2;
            std::string d2 = directive_of(lines[i], r2);
            out.push_back(SourceLine{"", locs[i].file, locs[i].line});
            if (d2 == "for") ++nest;
            if (d2 == "endfor" && --nest == 0) break;
          }
        }
      } else if (d == "define") {
        std::size_t p = line.find_first_not_of(" \t", rest);
        if (p == std::string::npos) fail(loc, col, "@#define needs a name");
        std::size_t q = p;
        while (q < line.size() && (std::isalnum(static_cast<unsigned char>(line[q])) || line[q] == '_')) ++q;
        std::string nm = line.substr(p, q - p);
        if (nm.empty()) fail(loc, static_cast<int>(p) + 1, "@#define needs a name");
        if (q < line.size() && line[q] == '(') fail(loc, static_cast<int>(q) + 1, "macro functions are not supported");
        std::size_t r = line.find_first_not_of(" \t", q);
        if (r != std::string::npos && line[r] == '=') ++r;
        if (r == std::string::npos || line.find_first_not_of(" \t", r) == std::string::npos) {
          vars[nm] = MValue::number(1);
        } else {
          vars[nm] = eval(line, r, loc);
        }
      } else if (d == "include" || d == "includepath") {
        MValue v = eval(line, rest, loc);
        if (v.kind != MValue::Kind::Str) fail(loc, col, "@#" + d + " expects a string");
        if (d == "include") include_file(v.str, path, loc, col);
        else if (!path.empty() && fs::path(v.str).is_relative())  // relative to the file that names it
          include_paths.push_back((fs::path(path).parent_path() / v.str).lexically_normal().string());
        else
          include_paths.push_back(v.str);
      } else if (d == "for") {
        // @#for x in expr
        std::size_t p = line.find_first_not_of(" \t", rest);
        std::size_t q = p;
        while (q < line.size() && (std::isalnum(static_cast<unsigned char>(line[q])) || line[q] == '_')) ++q;
        if (p == std::string::npos || q == p) fail(loc, col, "@#for expects 'NAME in ARRAY'");
        std::string var = line.substr(p, q - p);
        std::size_t r = line.find_first_not_of(" \t", q);
        if (r == std::string::npos || line.compare(r, 2, "in") != 0) fail(loc, col, "@#for expects 'NAME in ARRAY'");
        MValue arr = eval(line, r + 2, loc);
        if (arr.kind != MValue::Kind::Array) fail(loc, col, "@#for needs an array to loop over");
        std::vector<std::string> body;
        std::vector<Loc> body_locs;
        int nest = 1;
        std::size_t j = i + 1;
        for (; j < lines.size(); ++j) {
          std::size_t r2;
          std::string d2 = directive_of(lines[j], r2);
          if (d2 == "for") ++nest;
          if (d2 == "endfor" && --nest == 0) break;
          body.push_back(lines[j]);
          body_locs.push_back(locs[j]);
        }
        if (j >= lines.size()) fail(loc, col, "@#for without @#endfor");
        for (const MValue& v : arr.arr) {
          // bound the total expansion: nested loops multiply (fuzzing found a 12000 x 12000 hang)
          loop_lines += body.size() + 1;
          if (loop_lines > kMaxLoopLines)
            fail(loc, col, "@#for expansion too large (more than " + std::to_string(kMaxLoopLines) +
                               " lines in all loops)");
          vars[var] = v;
          process(body, body_locs, path);
        }
        i = j;
      } else if (d == "endfor") {
        fail(loc, col, "@#endfor without @#for");
      } else if (d == "echo") {
        // informational only
      } else if (d == "error") {
        MValue v = eval(line, rest, loc);
        fail(loc, col, "@#error: " + v.text());
      } else {
        fail(loc, col, "unknown macro directive '@#" + d + "'");
      }
    }
    if (!stack.empty()) fail(stack.back().loc, 1, "@#if without @#endif");
  }
};

}  // namespace

std::vector<SourceLine> macro_expand(std::string_view source, const std::string& display, const std::string& path,
                                     const ParseOptions& opts) {
  Processor pr{opts, {}, opts.include_paths, {}, 0};
  for (const auto& [k, v] : opts.defines) {
    Loc loc{"<command line>", 0, k + "=" + v};
    if (v.empty()) {
      pr.vars[k] = MValue::number(1);
    } else {
      try {
        MacroExpr ev(v, 0, loc, pr.vars);
        pr.vars[k] = ev.parse_all();
      } catch (const ParseError&) {
        pr.vars[k] = MValue::string(v);
      }
    }
  }
  pr.process_source(source, display, path);
  return std::move(pr.out);
}

}  // namespace govsim::dsge::detail
