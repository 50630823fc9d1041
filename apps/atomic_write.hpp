#pragma once
// Whole-or-nothing file output: the text goes to a temporary file in the target's folder, which
// is flushed to disk, checked and renamed over the target. On any failure the previous file is
// left as it was and the temporary file removed.
#include <string>

namespace govsim::cli {

/// Write `text` to `path` atomically.
/// \param path target file
/// \param text content
/// \return "" on success, else the reason (`path: No space left on device`)
std::string write_file_atomically(const std::string& path, const std::string& text);

}  // namespace govsim::cli
