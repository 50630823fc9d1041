#pragma once
/// \file price.hpp
/// The Leontief price model p' = p' A + v' (Miller and Blair 2009, section 2.6): cost-push
/// shocks on value added, or prices of some sectors set exogenously. Prices are indices equal
/// to one in the base year, so changes are relative (0.05 = +5%).

#include <govsim/io/leontief.hpp>

#include <vector>

namespace govsim::io {

/// Price changes for changes in value added per unit of output (cost-push): Δp = L' Δv.
/// \param value_added_change n x k, each column one scenario (e.g. 0.01 = one cent more
///        primary-input cost per unit of output). \return n x k price changes
Matrix price_change(const LeontiefModel& model, const Eigen::Ref<const Matrix>& value_added_change);

/// Price changes when the prices of some sectors are set exogenously (e.g. an energy price
/// spike): sectors `fixed` move by `fixed_change`, all others adjust through costs.
/// \return n price changes (the fixed sectors included, equal to their given change)
/// \throws DimensionError, DataError on repeated or out-of-range sectors
Vector price_change_from_sector_prices(const LeontiefModel& model, const std::vector<Index>& fixed,
                                       const Eigen::Ref<const Vector>& fixed_change);

}  // namespace govsim::io
