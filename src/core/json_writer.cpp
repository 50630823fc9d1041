// JSON writer matching Python's json.dumps(indent=N) byte for byte, so that the native
// `govsim run` writes the same files as the Python CLI.
#include <govsim/core/error.hpp>
#include <govsim/core/json_writer.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace govsim {

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  // Shortest round-trip digits from to_chars (scientific), then Python's repr layout
  // (Objects/floatobject.c, 'r' format): fixed when -4 < decpt <= 16, scientific otherwise.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, res.ptr);
  std::string out;
  std::size_t pos = 0;
  if (s[0] == '-') {
    out += '-';
    pos = 1;
  }
  const std::size_t e = s.find('e', pos);
  std::string digits;
  for (std::size_t i = pos; i < e; ++i)
    if (s[i] != '.') digits += s[i];
  const int exp10 = std::atoi(s.c_str() + e + 1);
  if (digits == "0") {  // zero: to_chars gives "0e+00"
    out += "0.0";
    return out;
  }
  const int decpt = exp10 + 1;  // value = 0.d1d2... x 10^decpt
  const int nd = static_cast<int>(digits.size());
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-decpt), '0');
      out += digits;
    } else if (decpt < nd) {
      out += digits.substr(0, static_cast<std::size_t>(decpt));
      out += '.';
      out += digits.substr(static_cast<std::size_t>(decpt));
    } else {
      out += digits;
      out.append(static_cast<std::size_t>(decpt - nd), '0');
      out += ".0";
    }
    return out;
  }
  out += digits[0];
  if (nd > 1) {
    out += '.';
    out += digits.substr(1);
  }
  char eb[16];
  std::snprintf(eb, sizeof eb, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
  out += eb;
  return out;
}

namespace {

void append_u(std::string& out, unsigned cp) {
  char b[8];
  std::snprintf(b, sizeof b, "\\u%04x", cp);
  out += b;
}

}  // namespace

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20 || c == 0x7f)
            append_u(out, c);
          else
            out += static_cast<char>(c);
      }
      continue;
    }
    // UTF-8 sequence -> code point -> \uXXXX (surrogate pair above the BMP).
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    unsigned cp = len == 4 ? (c & 0x07u) : len == 3 ? (c & 0x0Fu) : (c & 0x1Fu);
    bool valid = len > 0 && i + static_cast<std::size_t>(len) <= s.size();
    for (int k = 1; valid && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0u) != 0x80u) valid = false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (!valid) {
      append_u(out, 0xFFFD);
      ++i;
      continue;
    }
    i += static_cast<std::size_t>(len);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      append_u(out, 0xD800 + (cp >> 10));
      append_u(out, 0xDC00 + (cp & 0x3FF));
    } else {
      append_u(out, cp);
    }
  }
  out += '"';
  return out;
}

JsonValue JsonValue::array(std::vector<JsonValue> items) {
  JsonValue v;
  v.kind_ = Kind::Array;
  v.items_ = std::move(items);
  return v;
}

JsonValue JsonValue::object() {
  JsonValue v;
  v.kind_ = Kind::Object;
  return v;
}

JsonValue& JsonValue::push_back(JsonValue v) {
  if (kind_ == Kind::Null) kind_ = Kind::Array;
  if (kind_ != Kind::Array) throw Error("JsonValue::push_back: not an array");
  items_.push_back(std::move(v));
  return items_.back();
}

JsonValue& JsonValue::set(const std::string& key, JsonValue v) {
  if (kind_ == Kind::Null) kind_ = Kind::Object;
  if (kind_ != Kind::Object) throw Error("JsonValue::set: not an object");
  for (auto& m : members_)
    if (m.first == key) {
      m.second = std::move(v);
      return m.second;
    }
  members_.emplace_back(key, std::move(v));
  return members_.back().second;
}

JsonValue* JsonValue::find(const std::string& key) {
  for (auto& m : members_)
    if (m.first == key) return &m.second;
  return nullptr;
}

std::string JsonValue::dump(int indent) const {
  std::string out;
  write(out, indent, 0);
  return out;
}

void JsonValue::write(std::string& out, int indent, int level) const {
  auto newline = [&](int lvl) {
    out += '\n';
    out.append(static_cast<std::size_t>(indent * lvl), ' ');
  };
  switch (kind_) {
    case Kind::Null: out += "null"; return;
    case Kind::Bool: out += int_ ? "true" : "false"; return;
    case Kind::Int: out += std::to_string(int_); return;
    case Kind::Double: out += json_number(double_); return;
    case Kind::String: out += json_string(string_); return;
    case Kind::Array:
      if (items_.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i) out += indent < 0 ? ", " : ",";
        if (indent >= 0) newline(level + 1);
        items_[i].write(out, indent, level + 1);
      }
      if (indent >= 0) newline(level);
      out += ']';
      return;
    case Kind::Object:
      if (members_.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      for (std::size_t i = 0; i < members_.size(); ++i) {
        if (i) out += indent < 0 ? ", " : ",";
        if (indent >= 0) newline(level + 1);
        out += json_string(members_[i].first);
        out += ": ";
        members_[i].second.write(out, indent, level + 1);
      }
      if (indent >= 0) newline(level);
      out += '}';
      return;
  }
}

}  // namespace govsim
