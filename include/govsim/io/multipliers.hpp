#pragma once
/// \file multipliers.hpp
/// Output, value-added, income and satellite (employment, emissions...) multipliers, type I and
/// type II (households endogenized), following Miller and Blair (2009), chapter 6.

#include <govsim/io/leontief.hpp>

#include <optional>
#include <string>

namespace govsim::io {

/// How households are closed into the model for type II multipliers: their income is the
/// value-added row `income_account` (e.g. compensation of employees), their spending the
/// final-demand column `consumption_category` (e.g. household consumption).
struct HouseholdClosure {
  std::string income_account;
  std::string consumption_category;
};

/// Multipliers of every sector. Column j answers: one more unit of final demand for sector j
/// brings how much output / value added / jobs in the whole economy.
struct Multipliers {
  Names labels;                   ///< sector labels (columns)
  Vector output;                  ///< type I output multipliers: column sums of L
  Names account_names;            ///< value-added rows, "value_added" (their sum), satellites
  Matrix account_simple;          ///< accounts x sectors: c' L (c = account per unit of output)
  Matrix account_type_I;          ///< c' L / c (ratio to the direct effect; NaN where c = 0)
  bool has_type_II = false;       ///< households were closed
  Vector output_type_II;          ///< type II output multipliers (sectors only, household row excluded)
  Matrix account_simple_type_II;  ///< c' L̄ restricted to sectors
  Matrix account_type_II;         ///< ratio of the above to c
  Vector household_income_type_II;  ///< induced household income per unit of final demand
};

/// Compute multipliers for every sector and every value-added and satellite row.
/// With `households`, also type II by augmenting A with the household row and column
/// (a second factorization of size n + 1). \throws DataError if an account is unknown
Multipliers compute_multipliers(const IOTable& table, const LeontiefModel& model,
                                const std::optional<HouseholdClosure>& households = std::nullopt);

/// The coefficient matrix A augmented with households (n + 1): income row and consumption column.
Matrix household_augmented_coefficients(const IOTable& table, const HouseholdClosure& households);

}  // namespace govsim::io
