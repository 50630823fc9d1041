#pragma once
// Tiny JSON reader for the tests (reference files from Dynare). Not for library use.
// Numbers are parsed with strtod (full double precision); `null` reads as NaN through as_number().

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace govsim::test {

class Json {
 public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0.0;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json> object;

  static Json parse(const std::string& text) {
    std::size_t pos = 0;
    Json v = parse_value(text, pos);
    skip_ws(text, pos);
    if (pos != text.size()) throw std::runtime_error("json: trailing characters");
    return v;
  }

  static Json parse_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("json: cannot open " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return parse(ss.str());
  }

  bool is_null() const { return kind == Kind::Null; }
  bool contains(const std::string& key) const { return kind == Kind::Object && object.count(key) > 0; }

  const Json& operator[](const std::string& key) const {
    if (kind != Kind::Object) throw std::runtime_error("json: not an object (key " + key + ")");
    auto it = object.find(key);
    if (it == object.end()) throw std::runtime_error("json: missing key " + key);
    return it->second;
  }
  const Json& operator[](std::size_t i) const {
    if (kind != Kind::Array) throw std::runtime_error("json: not an array");
    return array.at(i);
  }
  std::size_t size() const { return kind == Kind::Array ? array.size() : object.size(); }

  /// Number; null gives NaN, true/false 1/0.
  double as_number() const {
    if (kind == Kind::Number) return number;
    if (kind == Kind::Null) return std::nan("");
    if (kind == Kind::Bool) return boolean ? 1.0 : 0.0;
    throw std::runtime_error("json: not a number");
  }

  /// Array of numbers (a lone number gives a vector of size 1).
  Eigen::VectorXd as_vector() const {
    if (kind != Kind::Array) return Eigen::VectorXd::Constant(1, as_number());
    Eigen::VectorXd v(static_cast<Eigen::Index>(array.size()));
    for (std::size_t i = 0; i < array.size(); ++i) v[static_cast<Eigen::Index>(i)] = array[i].as_number();
    return v;
  }

  /// List of rows. A list of numbers is read as a column (one number per row).
  Eigen::MatrixXd as_matrix() const {
    if (kind != Kind::Array) return Eigen::MatrixXd::Constant(1, 1, as_number());
    const auto rows = static_cast<Eigen::Index>(array.size());
    if (rows == 0) return Eigen::MatrixXd(0, 0);
    if (array[0].kind != Kind::Array) return as_vector();
    const auto cols = static_cast<Eigen::Index>(array[0].array.size());
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i) {
      const Json& r = array[static_cast<std::size_t>(i)];
      if (static_cast<Eigen::Index>(r.array.size()) != cols) throw std::runtime_error("json: ragged matrix");
      for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = r.array[static_cast<std::size_t>(j)].as_number();
    }
    return m;
  }

  std::vector<std::string> as_strings() const {
    std::vector<std::string> out;
    if (kind == Kind::String) return {string};
    for (const auto& e : array) out.push_back(e.string);
    return out;
  }

 private:
  static void skip_ws(const std::string& s, std::size_t& p) {
    while (p < s.size() && (s[p] == ' ' || s[p] == '\n' || s[p] == '\r' || s[p] == '\t')) ++p;
  }
  static void expect(const std::string& s, std::size_t& p, const char* lit) {
    const std::string l(lit);
    if (s.compare(p, l.size(), l) != 0) throw std::runtime_error("json: expected " + l);
    p += l.size();
  }
  static std::string parse_string(const std::string& s, std::size_t& p) {
    if (s[p] != '"') throw std::runtime_error("json: expected string");
    ++p;
    std::string out;
    while (p < s.size() && s[p] != '"') {
      char c = s[p++];
      if (c == '\\') {
        if (p >= s.size()) break;
        char e = s[p++];
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'u': {
            const unsigned code = static_cast<unsigned>(std::stoul(s.substr(p, 4), nullptr, 16));
            p += 4;
            if (code < 0x80) out += static_cast<char>(code);
            else out += '?';
            break;
          }
          default: out += e;
        }
      } else {
        out += c;
      }
    }
    if (p >= s.size()) throw std::runtime_error("json: unterminated string");
    ++p;
    return out;
  }
  static Json parse_value(const std::string& s, std::size_t& p) {
    skip_ws(s, p);
    if (p >= s.size()) throw std::runtime_error("json: unexpected end");
    Json v;
    const char c = s[p];
    if (c == '{') {
      v.kind = Kind::Object;
      ++p;
      skip_ws(s, p);
      if (s[p] == '}') { ++p; return v; }
      while (true) {
        skip_ws(s, p);
        std::string key = parse_string(s, p);
        skip_ws(s, p);
        expect(s, p, ":");
        v.object[key] = parse_value(s, p);
        skip_ws(s, p);
        if (s[p] == ',') { ++p; continue; }
        expect(s, p, "}");
        return v;
      }
    }
    if (c == '[') {
      v.kind = Kind::Array;
      ++p;
      skip_ws(s, p);
      if (s[p] == ']') { ++p; return v; }
      while (true) {
        v.array.push_back(parse_value(s, p));
        skip_ws(s, p);
        if (s[p] == ',') { ++p; continue; }
        expect(s, p, "]");
        return v;
      }
    }
    if (c == '"') {
      v.kind = Kind::String;
      v.string = parse_string(s, p);
      return v;
    }
    if (s.compare(p, 4, "true") == 0) { p += 4; v.kind = Kind::Bool; v.boolean = true; return v; }
    if (s.compare(p, 5, "false") == 0) { p += 5; v.kind = Kind::Bool; return v; }
    if (s.compare(p, 4, "null") == 0) { p += 4; return v; }
    const char* begin = s.c_str() + p;
    char* end = nullptr;
    v.number = std::strtod(begin, &end);
    if (end == begin) throw std::runtime_error("json: bad value at " + std::to_string(p));
    p += static_cast<std::size_t>(end - begin);
    v.kind = Kind::Number;
    return v;
  }
};

}  // namespace govsim::test
