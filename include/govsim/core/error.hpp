#pragma once
/// \file error.hpp
/// Exceptions thrown by govsim on misuse. Numerical failure is never thrown: it is reported
/// through a `Status` in the result of the algorithm (see status.hpp).
///
/// Every exception derives from govsim::Error, which derives from std::runtime_error, so a
/// caller can catch them all at once; the Python bindings map each type to an exception class
/// of the same name under govsim.GovsimError.

#include <stdexcept>
#include <string>

namespace govsim {

/// Base class of every exception govsim throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Inconsistent sizes of matrices, vectors or label lists.
class DimensionError : public Error {
 public:
  using Error::Error;
};

/// Invalid data: NaN or infinite entries, negative output, labels that do not match.
/// The message names the offending entry (matrix, row and column labels).
class DataError : public Error {
 public:
  using Error::Error;
};

/// An option outside its valid range (raised by Options::validate()).
class OptionsError : public Error {
 public:
  using Error::Error;
};

/// A model that is ill-posed as specified: unknown or duplicate symbol, bad timing, a table whose
/// technical-coefficient matrix has spectral radius >= 1.
class ModelError : public Error {
 public:
  using Error::Error;
};

/// Raised by convenience entry points (Python `raise_on_failure=True`, CLI) when a numerical
/// status is not Success; the library's own solvers report the status instead.
class SolveError : public Error {
 public:
  using Error::Error;
};

/// A syntax or semantic error in model source text, with its location.
class ParseError : public Error {
 public:
  ParseError(const std::string& message, std::string file, int line, int column, std::string excerpt)
      : Error(message), file_(std::move(file)), line_(line), column_(column), excerpt_(std::move(excerpt)) {}
  const std::string& file() const noexcept { return file_; }  ///< file name ("<string>" for text)
  int line() const noexcept { return line_; }                 ///< 1-based line
  int column() const noexcept { return column_; }             ///< 1-based column
  const std::string& excerpt() const noexcept { return excerpt_; }  ///< offending source line

 private:
  std::string file_;
  int line_;
  int column_;
  std::string excerpt_;
};

}  // namespace govsim
