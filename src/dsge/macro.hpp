#pragma once
// Internal: Dynare macro processor (@#include, @#define, @#if/@#ifdef/@#ifndef/@#else/@#endif,
// @#for/@#endfor, @{...}). Also removes comments and blanks verbatim blocks, keeping line numbers.
#include <govsim/dsge/model.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace govsim::dsge::detail {

/// One line of expanded source with its origin.
struct SourceLine {
  std::string text;  ///< expanded text
  std::string file;  ///< display name of the file it came from
  int line = 0;      ///< 1-based line in that file
  bool hidden = false;  ///< from an included file that is not a model file: errors never quote it
};

/// Expand `source`. `path` is the file's path on disk ("" for a string), used to resolve
/// @#include relative to the including file; `display` names it in messages.
std::vector<SourceLine> macro_expand(std::string_view source, const std::string& display, const std::string& path,
                                     const ParseOptions& opts);

}  // namespace govsim::dsge::detail
