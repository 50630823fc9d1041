#pragma once
/// \file inoperability.hpp
/// \brief Inoperability input-output model (IIM) and its dynamic form (DIIM).
///
/// Inoperability q_i is the fraction of sector i's planned output that is lost (0 = fully
/// operable, 1 = not producing). With the table's gross output x and flows Z:
///
/// - demand-driven IIM (Haimes and Jiang 2001; Santos and Haimes 2004):
///   `q = A* q + c*`, with the interdependency matrix `A* = x̂⁻¹ A x̂ = x̂⁻¹ Z` and the
///   normalized demand perturbation `c*_i = Δf_i / x_i` (a demand *reduction* is positive);
/// - supply-driven IIM (Ghosh side; Leung, Haimes and Santos 2007): a normalized loss of primary
///   supply `δ_i = Δv_i / x_i` spreads forward, `q' = q' A + δ'`, i.e. `q = (I − Aᵀ)⁻¹ δ`
///   (because `x̂ B x̂⁻¹ = A` for the Ghosh allocation matrix B);
/// - dynamic IIM (Lian and Haimes 2006): `dq/dt = K (A* q + c*(t) − q)` with a diagonal matrix of
///   sector resilience coefficients K (per day when t is in days), integrated in continuous time
///   with Boost.Odeint (adaptive Dormand-Prince 5(4), dense output at the requested times) or in
///   discrete time `q(t+1) = q(t) + K (A* q(t) + c*(t) − q(t))`.
///
/// Economic loss of a sector is `x_i q_i` (per unit of time of the table) and, for the dynamic
/// model, its integral over the horizon (computed exactly by augmenting the ODE state).
///
/// \code
/// govsim::io::IOTable t(data);
/// govsim::io::DiimOptions o;
/// o.resilience = govsim::Vector::Constant(t.n(), 0.05);
/// govsim::Vector q0 = govsim::Vector::Zero(t.n()); q0(3) = 0.4;   // sector 3 40% inoperable
/// auto r = govsim::io::dynamic_inoperability(t, q0, govsim::Vector::Zero(t.n()), times, o);
/// \endcode

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/io/io_table.hpp>

#include <functional>
#include <string>
#include <vector>

namespace govsim::io {

/// Which side of the table the perturbation enters.
enum class InoperabilityDirection {
  Demand,  ///< demand-driven (Leontief): perturbation is a normalized final-demand reduction c*
  Supply   ///< supply-driven (Ghosh): perturbation is a normalized primary-supply reduction δ
};

/// Interdependency matrix `A* = x̂⁻¹ Z` (rows of sectors with zero output are zero).
/// \param table the IO table
/// \return the n x n dense matrix A*
Matrix interdependency_matrix(const IOTable& table);

/// Interdependency matrix `A* = x̂⁻¹ Z` stored sparse (memory O(nnz); no dense n x n is formed
/// when the table itself is sparse).
/// \param table the IO table (dense or sparse)
/// \return the n x n sparse matrix A* (explicit zeros of a dense table are dropped)
SparseMatrix sparse_interdependency_matrix(const IOTable& table);

/// Sector indices sorted by decreasing value (ties keep the lower index first).
std::vector<Index> rank_descending(const Eigen::Ref<const Vector>& values);

/// Static IIM result.
struct InoperabilityResult {
  Vector inoperability;            ///< q, one entry per sector
  Vector economic_loss;            ///< x ∘ q, in table units per table period
  std::vector<Index> inoperability_rank;  ///< sectors by decreasing q
  std::vector<Index> loss_rank;           ///< sectors by decreasing loss
  Status status = Status::Success;
  std::string message;
  int iterations = 0;
  bool ok() const noexcept { return status == Status::Success; }
  std::string summary() const;     ///< one line: status, max q and total loss
};

/// Static inoperability for a normalized perturbation.
/// \param table the IO table
/// \param perturbation c* (Demand) or δ (Supply), one entry per sector, as fractions of output
/// \param direction Demand or Supply
/// \return q, losses and rankings; status Singular if I − A* cannot be factored
/// \throws DimensionError if the perturbation has the wrong size
InoperabilityResult static_inoperability(const IOTable& table, const Eigen::Ref<const Vector>& perturbation,
                                         InoperabilityDirection direction = InoperabilityDirection::Demand);

/// Static IIM on a given interdependency matrix: `q = (I − A*)⁻¹ c*`.
/// \param output optional gross output for the losses (empty: losses equal q)
/// \throws DimensionError on inconsistent sizes
InoperabilityResult static_inoperability(const Eigen::Ref<const Matrix>& A_star,
                                         const Eigen::Ref<const Vector>& perturbation,
                                         const Eigen::Ref<const Vector>& output = Vector());

/// Static IIM on a sparse interdependency matrix (sparse LU of I − A*).
/// \throws DimensionError on inconsistent sizes
InoperabilityResult static_inoperability(const SparseMatrix& A_star, const Eigen::Ref<const Vector>& perturbation,
                                         const Eigen::Ref<const Vector>& output = Vector());

/// Continuous or discrete time for the DIIM.
enum class DiimTime {
  Continuous,  ///< ODE integrated with adaptive Dormand-Prince 5(4)
  Discrete     ///< difference equation, one step per unit of time
};

/// How the continuous-time DIIM is solved.
///
/// With a constant perturbation the DIIM is a linear time-invariant system, so its exact solution
/// is a matrix exponential, `q(t) = q* + exp(−K (I − A*) t) (q0 − q*)`. `Krylov` evaluates it
/// (together with the cumulative inoperability ∫q) by restarted Arnoldi projections with a-posteriori
/// error control (Saad 1992; Sidje 1998, Expokit), needing only products with A*: a few dozen for a
/// year, against hundreds of right-hand-side evaluations for Runge-Kutta, and every requested time
/// inside a Krylov step costs O(n m). `Adaptive` is the general path (Odeint Dormand-Prince 5(4)
/// with dense output), required for a time-varying perturbation.
enum class DiimMethod {
  Auto,     ///< Krylov when the perturbation is constant, else Adaptive
  Krylov,   ///< exact LTI solution by Krylov matrix exponential (constant perturbation only)
  Adaptive  ///< adaptive Runge-Kutta (any perturbation)
};

/// Storage of A* when the DIIM is run on a table.
enum class MatrixStorage {
  Auto,   ///< sparse if the table is stored sparse, else dense
  Dense,  ///< dense n x n A*
  Sparse  ///< sparse A* (memory and products O(nnz))
};

/// Options of the dynamic IIM.
struct DiimOptions {
  /// Diagonal of K (resilience per unit of time, > 0 for recovering sectors); empty = `default_resilience`.
  Vector resilience;
  double default_resilience = 0.05;  ///< used for every sector when `resilience` is empty
  DiimTime time = DiimTime::Continuous;
  double abs_tol = 1e-10;            ///< ODE absolute tolerance (continuous)
  double rel_tol = 1e-10;            ///< ODE relative tolerance (continuous)
  DiimMethod method = DiimMethod::Auto;  ///< continuous-time solver
  int krylov_dimension = 30;         ///< Arnoldi basis size per Krylov step (>= 2)
  MatrixStorage storage = MatrixStorage::Auto;  ///< A* storage (table overload only)
  /// Time-varying demand perturbation c*(t); when set, it replaces the constant perturbation.
  std::function<Vector(double)> perturbation_path;
  /// Progress after each requested time (iteration, total); return false to stop.
  std::function<bool(const IterationInfo&)> on_iteration;
  /// \throws OptionsError on negative resilience, tolerances <= 0, krylov_dimension < 2, or
  /// method Krylov with a perturbation_path.
  void validate() const;
};

/// Dynamic IIM result: paths at the requested times.
struct DiimResult {
  std::vector<double> times;   ///< requested times
  Matrix inoperability;        ///< times x sectors: q(t)
  Vector steady_state;         ///< static IIM q for the (final) perturbation
  Vector cumulative_loss;      ///< ∫ x_i q_i(t) dt from the first to the last time (sum over steps if discrete)
  Vector average_inoperability;  ///< cumulative inoperability divided by the horizon
  std::vector<Index> loss_rank;           ///< sectors by decreasing cumulative loss
  std::vector<Index> inoperability_rank;  ///< sectors by decreasing average inoperability
  Status status = Status::Success;
  std::string message;
  int iterations = 0;          ///< products with A* (Krylov), right-hand-side evaluations (Adaptive) or steps (Discrete)
  std::string method;          ///< "krylov", "adaptive" or "discrete"
  bool ok() const noexcept { return status == Status::Success; }
  std::string summary() const;
};

/// Dynamic IIM from an initial inoperability q0 under a constant perturbation c*.
/// \param A_star interdependency matrix
/// \param output gross output (for losses; empty = ones)
/// \param q0 initial inoperability
/// \param perturbation constant c* (ignored when opts.perturbation_path is set)
/// \param times increasing times; the first is the initial time (Discrete: integers steps apart)
/// \throws DimensionError on sizes or times; OptionsError from opts
DiimResult dynamic_inoperability(const Eigen::Ref<const Matrix>& A_star, const Eigen::Ref<const Vector>& output,
                                 const Eigen::Ref<const Vector>& q0, const Eigen::Ref<const Vector>& perturbation,
                                 const std::vector<double>& times, const DiimOptions& opts = {});

/// Dynamic IIM on a sparse interdependency matrix (same arguments as the dense overload).
DiimResult dynamic_inoperability(const SparseMatrix& A_star, const Eigen::Ref<const Vector>& output,
                                 const Eigen::Ref<const Vector>& q0, const Eigen::Ref<const Vector>& perturbation,
                                 const std::vector<double>& times, const DiimOptions& opts = {});

/// Dynamic IIM on a table (A* and x taken from it; A* dense or sparse as opts.storage says).
DiimResult dynamic_inoperability(const IOTable& table, const Eigen::Ref<const Vector>& q0,
                                 const Eigen::Ref<const Vector>& perturbation, const std::vector<double>& times,
                                 const DiimOptions& opts = {});

/// Resilience coefficients from target recovery (Lian and Haimes 2006):
/// `k_i = ln(q_i(0) / q_i(T_i)) / (T_i (1 − a*_ii))`, the rate at which sector i alone would
/// recover from q_i(0) to q_i(T_i) in T_i units of time.
/// \throws DimensionError on sizes; OptionsError if a ratio or time is not positive
Vector resilience_from_recovery(const Eigen::Ref<const Matrix>& A_star, const Eigen::Ref<const Vector>& q0,
                                const Eigen::Ref<const Vector>& q_target, const Eigen::Ref<const Vector>& recovery_time);

}  // namespace govsim::io
