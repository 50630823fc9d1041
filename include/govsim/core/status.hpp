#pragma once
/// \file status.hpp
/// Outcome of a numerical algorithm. Results carry a Status and a message instead of throwing.

#include <string>

namespace govsim {

/// What happened in a numerical algorithm.
enum class Status {
  Success,           ///< converged / solved
  NotConverged,      ///< stopped without meeting the tolerance
  MaxIterations,     ///< iteration limit reached
  Indeterminate,     ///< Blanchard-Kahn: too few explosive roots (multiple stable solutions)
  NoStableSolution,  ///< Blanchard-Kahn: too many explosive roots
  Singular,          ///< a matrix that must be invertible is (numerically) singular
  NumericalIssue,    ///< NaN/Inf appeared or a factorization failed
  UserStopped        ///< an on_iteration callback asked to stop
};

/// Name of a status, e.g. "Singular".
inline const char* to_string(Status s) noexcept {
  switch (s) {
    case Status::Success: return "Success";
    case Status::NotConverged: return "NotConverged";
    case Status::MaxIterations: return "MaxIterations";
    case Status::Indeterminate: return "Indeterminate";
    case Status::NoStableSolution: return "NoStableSolution";
    case Status::Singular: return "Singular";
    case Status::NumericalIssue: return "NumericalIssue";
    case Status::UserStopped: return "UserStopped";
  }
  return "Unknown";
}

/// Progress information passed to `on_iteration` callbacks. Returning false stops the run
/// (the result then has Status::UserStopped).
struct IterationInfo {
  int iteration = 0;          ///< 0-based iteration or step counter
  int total = 0;              ///< expected number of iterations (0 if unknown)
  double objective = 0.0;     ///< current objective, residual norm or loss
  std::string stage;          ///< what is running, e.g. "extraction"
};

}  // namespace govsim
