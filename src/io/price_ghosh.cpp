// Leontief price model and Ghosh supply model, both on the factorization of I - A.
#include <govsim/core/error.hpp>
#include <govsim/io/ghosh.hpp>
#include <govsim/io/price.hpp>

#include <Eigen/LU>

#include <set>

namespace govsim::io {

Matrix price_change(const LeontiefModel& model, const Eigen::Ref<const Matrix>& value_added_change) {
  if (!value_added_change.allFinite()) throw DataError("price_change: value-added change has non-finite entries");
  return model.solve_transpose(value_added_change);
}

Vector price_change_from_sector_prices(const LeontiefModel& model, const std::vector<Index>& fixed,
                                       const Eigen::Ref<const Vector>& fixed_change) {
  const Index n = model.n(), m = Index(fixed.size());
  if (fixed_change.size() != m)
    throw DimensionError("price_change_from_sector_prices: " + std::to_string(fixed_change.size()) +
                         " changes for " + std::to_string(m) + " sectors");
  std::set<Index> seen;
  for (Index k : fixed) {
    if (k < 0 || k >= n) throw DimensionError("price_change_from_sector_prices: sector index out of range");
    if (!seen.insert(k).second) throw DataError("price_change_from_sector_prices: sector listed twice");
  }
  if (m == 0) return Vector::Zero(n);
  // A cost-push Δv on the fixed sectors alone moves prices by Δp' = Δv' L; choose Δv so the
  // fixed sectors move by the given amounts: Δp_S' = Δv_S' L_SS, then Δp' = Δv_S' L_S,:.
  Matrix E = Matrix::Zero(n, m);
  for (Index k = 0; k < m; ++k) E(fixed[k], k) = 1.0;
  Matrix rows = model.solve_transpose(E);  // column k = (row fixed[k] of L)'
  Matrix LSS(m, m);
  for (Index a = 0; a < m; ++a)
    for (Index b = 0; b < m; ++b) LSS(a, b) = rows(fixed[b], a);  // L(fixed[a], fixed[b])
  Eigen::FullPivLU<Matrix> lu(LSS.transpose());
  if (!lu.isInvertible()) throw SolveError("price_change_from_sector_prices: the fixed sectors' block of L is singular");
  Vector dv = lu.solve(fixed_change);
  Vector dp = rows * dv;
  for (Index k = 0; k < m; ++k) dp(fixed[k]) = fixed_change(k);  // exact by construction
  return dp;
}

Matrix ghosh_output_change(const IOTable& table, const LeontiefModel& model,
                           const Eigen::Ref<const Matrix>& primary_input_change) {
  const Vector& x = table.x();
  if (primary_input_change.rows() != table.n())
    throw DimensionError("ghosh_output_change: " + std::to_string(primary_input_change.rows()) + " rows, expected " +
                         std::to_string(table.n()));
  // Δx' = Δv' G, G = x̂⁻¹ L x̂  =>  Δx = x̂ L' x̂⁻¹ Δv.
  Matrix scaled = primary_input_change;
  for (Index i = 0; i < table.n(); ++i) {
    if (x(i) > 0.0) {
      scaled.row(i) /= x(i);
    } else if (scaled.row(i).cwiseAbs().maxCoeff() > 0.0) {
      throw DataError("ghosh_output_change: sector '" + table.labels()[i] +
                      "' has zero gross output and cannot receive a primary-input change");
    }
  }
  Matrix out = model.solve_transpose(scaled);
  return x.asDiagonal() * out;
}

Matrix ghosh_inverse(const IOTable& table, const LeontiefModel& model) {
  const Vector& x = table.x();
  Matrix L = model.leontief_inverse();
  for (Index i = 0; i < table.n(); ++i)
    for (Index j = 0; j < table.n(); ++j) L(i, j) = x(i) > 0.0 ? L(i, j) * x(j) / x(i) : (i == j ? 1.0 : 0.0);
  return L;
}

}  // namespace govsim::io
