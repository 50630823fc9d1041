#pragma once
/// \file io_table.hpp
/// IOTable: an input-output table (national or multi-regional) with labels, validated on
/// construction. Notation follows Miller and Blair (2009), *Input-Output Analysis*, 2nd ed.:
/// `Z` intermediate flows (row i sells to column j), `Y` final demand, `x` gross output,
/// `A = Z x̂⁻¹` technical coefficients, `B = x̂⁻¹ Z` allocation (Ghosh) coefficients.

#include <govsim/core/types.hpp>

#include <limits>
#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace govsim::io {

/// Everything needed to build an IOTable. Only `Z`, `Y` and `sectors` are required.
///
/// For a multi-regional table, `regions[i]` names the region of row/column i (so the labels are
/// (region, sector) pairs) and `final_demand_regions[k]` the region that owns final-demand
/// column k (the consuming region; used for footprints).
struct IOTableData {
  Matrix Z;                       ///< n x n intermediate flows (dense)
  SparseMatrix Z_sparse;          ///< alternative to Z for large sparse tables (leave Z empty)
  Matrix Y;                       ///< n x k final demand, one column per category
  Vector x;                       ///< gross output; empty = row sums of Z plus row sums of Y
  Names sectors;                  ///< n sector names (repeated across regions in an MRIO)
  Names regions;                  ///< n region names, or empty for a single-region table
  Names final_demand;             ///< k final-demand category names (default "final_demand_<k>")
  Names final_demand_regions;     ///< k regions owning the final-demand columns (MRIO), or empty
  Matrix value_added;             ///< m x n primary inputs (compensation, taxes, surplus, imports...)
  Names value_added_names;        ///< m names
  Matrix satellite;               ///< s x n satellite accounts (employment, emissions...)
  Names satellite_names;          ///< s names
  std::string unit;               ///< e.g. "USD million"
};

/// Spectral radius of |A| by shifted power iteration (exact for non-negative A).
struct SpectralRadius {
  double estimate = std::numeric_limits<double>::quiet_NaN();  ///< converged growth factor
  double upper = std::numeric_limits<double>::infinity();      ///< Collatz-Wielandt upper bound
  int iterations = 0;
  bool converged = false;
};

/// How construction treats an unbalanced table.
struct IOTableOptions {
  /// Largest accepted relative imbalance |x - (Z 1 + Y 1)| / x before construction fails.
  /// The default accepts any imbalance and only reports it (tables are often published with
  /// rounding, statistical discrepancies or changes in inventories outside Y).
  double max_relative_imbalance = std::numeric_limits<double>::infinity();
  /// Check that the table is productive, i.e. the spectral radius of |A| is below one: proved by
  /// column sums below one, or else decided exactly by testing that I - |A| is a nonsingular
  /// M-matrix (one LU solve with a positive solution).
  bool check_spectral_radius = true;
  void validate() const;  ///< \throws OptionsError
};

/// What construction found about the data (reported, not thrown).
struct IOTableDiagnostics {
  double max_row_imbalance = 0.0;     ///< max_i |x_i - (Z 1 + Y 1)_i| / x_i over sectors with x_i > 0
  Index worst_row = -1;               ///< sector with that imbalance
  double max_column_imbalance = 0.0;  ///< same for x_j vs column sums of Z plus value added, when given
  Index worst_column = -1;
  std::vector<Index> zero_output;     ///< sectors with x = 0: their A column and B row are zero
  double max_column_sum_A = 0.0;      ///< largest column sum of |A| (< 1 proves a productive table)
  /// Estimate of the spectral radius of |A| when construction rejected the table (NaN
  /// otherwise; IOTable::spectral_radius() computes it on request).
  double spectral_radius = std::numeric_limits<double>::quiet_NaN();
  Index nnz = 0;                      ///< non-zeros in Z
  std::string summary() const;        ///< a few readable lines
};

/// An input-output table with labels. Owns its data; immutable after construction.
///
/// Construction validates: shapes and label counts (DimensionError), NaN/Inf and negative gross
/// output (DataError naming the entry), and a spectral radius of A at or above one (ModelError
/// naming the sectors whose inputs exceed their output). Sectors with zero output are allowed:
/// their column of A and row of B are zero, never a division by zero; they are listed in
/// diagnostics().zero_output.
///
/// \code
/// govsim::io::IOTableData d;
/// d.Z = Z; d.Y = Y; d.sectors = {"agriculture", "industry", "services"};
/// govsim::io::IOTable t(std::move(d));
/// govsim::io::LeontiefModel leontief(t);
/// govsim::Matrix dx = leontief.output_change(dY);
/// \endcode
class IOTable {
 public:
  /// Validate and build. \throws DimensionError, DataError, ModelError
  explicit IOTable(IOTableData data, const IOTableOptions& options = {});

  Index n() const noexcept { return n_; }                ///< number of (region, sector) rows
  bool is_sparse() const noexcept { return sparse_; }   ///< Z stored sparse
  bool is_multiregional() const noexcept { return !data_.regions.empty(); }

  const Names& sectors() const noexcept { return data_.sectors; }
  const Names& regions() const noexcept { return data_.regions; }
  Names region_list() const;          ///< distinct regions in order of first appearance
  std::vector<Index> region_index() const;  ///< position in region_list() of each row
  Names labels() const;               ///< "sector" or "region/sector" per row
  const Names& final_demand_names() const noexcept { return data_.final_demand; }
  const Names& final_demand_regions() const noexcept { return data_.final_demand_regions; }
  const Names& value_added_names() const noexcept { return data_.value_added_names; }
  const Names& satellite_names() const noexcept { return data_.satellite_names; }
  const std::string& unit() const noexcept { return data_.unit; }

  Matrix Z() const;                                       ///< intermediate flows (dense copy if sparse)
  const SparseMatrix& Z_sparse() const;                   ///< \throws Error if the table is dense
  const Matrix& Y() const noexcept { return data_.Y; }    ///< final demand by category
  Vector final_demand_total() const { return data_.Y.rowwise().sum(); }  ///< f = Y 1
  const Vector& x() const noexcept { return data_.x; }    ///< gross output
  const Matrix& value_added() const noexcept { return data_.value_added; }
  const Matrix& satellite() const noexcept { return data_.satellite; }

  /// Total primary inputs per sector: x_j minus the column sum of Z (includes imports and
  /// anything else that is not an intermediate domestic input). This is the v of x' = v'G.
  Vector primary_inputs() const;

  /// Technical coefficients A = Z x̂⁻¹ (dense). Zero-output columns are zero.
  Matrix A() const;
  /// A for a sparse table, without a dense n x n.
  SparseMatrix A_sparse() const;
  /// Allocation coefficients B = x̂⁻¹ Z (dense). Zero-output rows are zero.
  Matrix B() const;

  /// Coefficients per unit of output of a row vector r (r_j / x_j, 0 where x_j = 0).
  Vector per_unit_output(const Eigen::Ref<const Vector>& r) const;
  /// Row of value_added or satellite by name. \throws DataError if absent (lists the choices)
  Vector account(const std::string& name) const;
  /// Final-demand column by name. \throws DataError if absent
  Vector final_demand_column(const std::string& name) const;
  /// Position of a label ("sector" or "region/sector"). \throws DataError if absent
  Index index_of(const std::string& label) const;

  const IOTableDiagnostics& diagnostics() const noexcept { return diag_; }

  /// Spectral radius of |A| (of A when A >= 0) by power iteration on I + |A|, which converges
  /// for periodic and reducible matrices too. Costs O(nnz) per iteration.
  SpectralRadius spectral_radius(int max_iterations = 100000, double tolerance = 1e-13) const;

  /// Aggregate rows/columns with a concordance: group[i] is the new index of row i.
  /// Flows, final demand, value added and satellites are summed.
  /// \param group_sectors sector name of each new group; \param group_regions region of each group
  /// (empty for single-region). \throws DimensionError on a bad concordance
  IOTable aggregate(const std::vector<Index>& group, const Names& group_sectors,
                    const Names& group_regions = {}) const;

  /// The table's data (copy), e.g. to modify and rebuild.
  const IOTableData& data() const noexcept { return data_; }

 private:
  void validate_and_complete(const IOTableOptions& options);
  IOTableData data_;
  Index n_ = 0;
  bool sparse_ = false;
  IOTableDiagnostics diag_;
};

/// Spectral radius of |A| for any square matrix (see IOTable::spectral_radius).
SpectralRadius spectral_radius(const Eigen::Ref<const Matrix>& A, int max_iterations = 100000,
                               double tolerance = 1e-13);

}  // namespace govsim::io
