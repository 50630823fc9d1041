#pragma once
/// \file make_use.hpp
/// Symmetric input-output tables from Make (supply) and Use tables under the industry
/// technology assumption (Miller and Blair 2009, chapter 5; Eurostat Manual of Supply, Use and
/// Input-Output Tables 2008, model D for industry-by-industry and model B for product-by-product).

#include <govsim/io/io_table.hpp>

namespace govsim::io {

/// A Make/Use system. V (make) is industries x commodities, U (use) commodities x industries.
struct MakeUseData {
  Matrix make;                 ///< V: industry i produces commodity c
  Matrix use;                  ///< U: commodity c used by industry j
  Matrix final_demand;         ///< E: commodities x categories
  Matrix value_added;          ///< W: rows x industries
  Matrix satellite;            ///< rows x industries
  Names industries, commodities, final_demand_names, value_added_names, satellite_names;
  /// g; empty = row sums of V. BEA's requirement tables divide by the Use table's industry
  /// output (its column totals: intermediate inputs + value added).
  Vector industry_output;
  /// q; empty = column sums of V. BEA's requirement tables divide by the Use table's commodity
  /// output (its row totals: intermediate use + final uses).
  Vector commodity_output;
  std::string unit;
};

/// Which symmetric table to derive.
enum class MakeUseTable {
  IndustryByIndustry,   ///< Z = D U, Y = D E, x = g (D = V q̂⁻¹ market shares)
  CommodityByCommodity  ///< Z = U ĝ⁻¹ V, Y = E, x = q, value added W ĝ⁻¹ V
};

/// Build an IOTable from Make and Use tables with the industry technology assumption.
/// Commodities with zero output, or that no industry makes, get zero market shares (no division
/// by zero); in an industry-by-industry table their inputs form the primary-input row "inputs
/// without domestic output".
/// \throws DimensionError, DataError
IOTable from_make_use(const MakeUseData& data, MakeUseTable kind = MakeUseTable::IndustryByIndustry,
                      const IOTableOptions& options = {});

}  // namespace govsim::io
