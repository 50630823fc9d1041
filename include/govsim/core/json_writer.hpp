#pragma once
/// \file json_writer.hpp
/// A small JSON document model and writer whose output is byte-for-byte what Python's
/// `json.dumps(obj, indent=1)` writes for the same document (the format of `govsim ... --json`).
///
/// Numbers use the shortest text that reads back to the same double (as Python's `repr(float)`:
/// fixed notation for decimal exponents in [-4, 16), scientific otherwise, always with a `.0` or
/// an exponent); NaN and infinities become `null`, as the Python CLI's `_clean` does.
///
/// \code
/// govsim::JsonValue doc = govsim::JsonValue::object();
/// doc.set("beta", 0.99);
/// doc.set("names", govsim::JsonValue::array({"y", "c"}));
/// std::string text = doc.dump(1);   // "{\n \"beta\": 0.99,\n \"names\": [\n  \"y\",\n  \"c\"\n ]\n}"
/// \endcode

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace govsim {

/// Shortest round-trip text of a double in Python's `repr` layout (`0.1`, `1e-05`, `1.0`,
/// `1e+16`, `-0.0`); `null` for NaN and infinities.
/// \param v the number
/// \return its JSON text
std::string json_number(double v);

/// A JSON string literal (with the quotes), escaped as Python's `json.dumps` with
/// `ensure_ascii=True`: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other control characters and every
/// non-ASCII character as `\uXXXX` (UTF-8 input; invalid bytes become U+FFFD).
/// \param s UTF-8 text
/// \return the quoted literal
std::string json_string(std::string_view s);

/// A JSON value: null, boolean, integer, double, string, array or object (objects keep their
/// keys in insertion order, like Python dicts).
class JsonValue {
 public:
  /// Kind of value held.
  enum class Kind { Null, Bool, Int, Double, String, Array, Object };

  JsonValue() = default;                       ///< null
  JsonValue(std::nullptr_t) {}                 ///< null
  JsonValue(bool b) : kind_(Kind::Bool), int_(b ? 1 : 0) {}                       ///< boolean
  JsonValue(int v) : kind_(Kind::Int), int_(v) {}                                ///< integer
  JsonValue(long v) : kind_(Kind::Int), int_(v) {}                               ///< integer
  JsonValue(long long v) : kind_(Kind::Int), int_(v) {}                          ///< integer
  JsonValue(unsigned long v) : kind_(Kind::Int), int_(static_cast<std::int64_t>(v)) {}       ///< integer
  JsonValue(unsigned long long v) : kind_(Kind::Int), int_(static_cast<std::int64_t>(v)) {}  ///< integer
  JsonValue(double v) : kind_(Kind::Double), double_(v) {}                       ///< number (NaN/Inf -> null)
  JsonValue(const char* s) : kind_(Kind::String), string_(s) {}                  ///< string
  JsonValue(std::string s) : kind_(Kind::String), string_(std::move(s)) {}       ///< string

  /// An empty array, or one holding `items`.
  static JsonValue array(std::vector<JsonValue> items = {});
  /// An empty object.
  static JsonValue object();

  /// Kind of value held.
  Kind kind() const noexcept { return kind_; }

  /// Append to an array (turns a null value into an array first).
  /// \throws govsim::Error when the value is neither null nor an array
  JsonValue& push_back(JsonValue v);

  /// Set `key` of an object: a new key goes last, an existing key keeps its position and gets
  /// the new value (Python's `d[key] = v`). Turns a null value into an object first.
  /// \throws govsim::Error when the value is neither null nor an object
  JsonValue& set(const std::string& key, JsonValue v);

  /// Value of `key` in an object, or nullptr.
  JsonValue* find(const std::string& key);

  /// Items of an array (empty for other kinds).
  const std::vector<JsonValue>& items() const noexcept { return items_; }
  /// Members of an object in insertion order (empty for other kinds).
  const std::vector<std::pair<std::string, JsonValue>>& members() const noexcept { return members_; }

  /// The document as text. `indent < 0`: compact (`", "` and `": "` separators, as
  /// `json.dumps(obj)`); `indent >= 0`: one item per line indented by `indent` spaces per
  /// level (as `json.dumps(obj, indent=indent)`). No trailing newline.
  std::string dump(int indent = 1) const;

 private:
  void write(std::string& out, int indent, int level) const;

  Kind kind_ = Kind::Null;
  std::int64_t int_ = 0;
  double double_ = 0.0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

}  // namespace govsim
