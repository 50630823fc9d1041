#pragma once
/// \file ghosh.hpp
/// The Ghosh supply-driven model x' = v' G with B = x̂⁻¹ Z and G = (I - B)⁻¹ (Miller and Blair
/// 2009, chapter 12). It reuses the factorization of I - A through G = x̂⁻¹ L x̂, so no second
/// factorization is needed.

#include <govsim/io/leontief.hpp>

namespace govsim::io {

/// Change in gross output for changes in primary inputs (columns are scenarios): Δx' = Δv' G.
/// \param primary_input_change n x k absolute changes (same units as the table)
/// \throws DataError if a sector with zero output receives a primary-input change
Matrix ghosh_output_change(const IOTable& table, const LeontiefModel& model,
                           const Eigen::Ref<const Matrix>& primary_input_change);

/// The Ghosh inverse G (dense n x n; only on request).
Matrix ghosh_inverse(const IOTable& table, const LeontiefModel& model);

}  // namespace govsim::io
