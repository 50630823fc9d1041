// IOTable construction, validation and coefficient matrices.
#include <govsim/core/error.hpp>
#include <govsim/io/io_table.hpp>

#include <Eigen/LU>
#include <Eigen/OrderingMethods>
#include <Eigen/SparseLU>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <type_traits>
#include <unordered_map>

namespace govsim::io {
namespace {

std::string fmt(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

// First non-finite entry of a dense matrix, reported with its labels.
void require_finite(const Matrix& M, const char* what, const Names& rows, const Names& cols) {
  for (Index j = 0; j < M.cols(); ++j)
    for (Index i = 0; i < M.rows(); ++i)
      if (!std::isfinite(M(i, j))) {
        std::ostringstream s;
        s << what << " has a non-finite value (" << M(i, j) << ") at row "
          << (i < Index(rows.size()) ? "'" + rows[i] + "'" : std::to_string(i)) << ", column "
          << (j < Index(cols.size()) ? "'" + cols[j] + "'" : std::to_string(j));
        throw DataError(s.str());
      }
}

// Power iteration on B = I + |A|: B has a positive diagonal, so it is aperiodic and the
// iteration converges even for periodic A (e.g. [[0, 4], [0.5, 0]]); the growth factor
// max(Bv)/max(v) tends to rho(B) = 1 + rho(|A|). The Collatz-Wielandt maximum of (Bv)_i/v_i
// over v > 0 is an upper bound at every step.
template <class Mat>
SpectralRadius shifted_power(const Mat& absA, int max_iterations, double tolerance) {
  SpectralRadius r;
  const Index n = absA.rows();
  if (n == 0) {
    r.estimate = r.upper = 0.0;
    r.converged = true;
    return r;
  }
  Vector v = Vector::Ones(n);
  double prev = std::numeric_limits<double>::infinity();
  for (int it = 0; it < max_iterations; ++it) {
    Vector w = absA * v;
    w += v;
    double cw = 0.0;
    for (Index i = 0; i < n; ++i) cw = std::max(cw, w(i) / v(i));
    const double growth = w.maxCoeff() / v.maxCoeff();
    r.upper = std::min(r.upper, cw - 1.0);
    r.estimate = std::min(growth - 1.0, r.upper);
    r.iterations = it + 1;
    v = w / w.maxCoeff();
    v.array() = v.array().max(1e-300);  // keep v > 0 for the upper bound
    if (std::abs(growth - prev) <= tolerance * growth) {
      r.converged = true;
      break;
    }
    prev = growth;
  }
  return r;
}

// I - |A| is a nonsingular M-matrix (equivalently rho(|A|) < 1) iff (I - |A|) y = 1 has a
// solution y > 0. One factorization, exact up to rounding.
template <class Solver, class Mat>
bool m_matrix_test(const Mat& I_minus_absA) {
  Solver lu(I_minus_absA);
  if constexpr (std::is_same_v<Solver, Eigen::PartialPivLU<Matrix>>) {
    if (!(lu.rcond() > 1e-14)) return false;
  } else {
    if (lu.info() != Eigen::Success) return false;
  }
  Vector y = lu.solve(Vector::Ones(I_minus_absA.rows()));
  return y.allFinite() && (y.array() > 0.0).all();
}

}  // namespace

void IOTableOptions::validate() const {
  if (!(max_relative_imbalance >= 0.0))
    throw OptionsError("IOTableOptions.max_relative_imbalance must be >= 0");
}

SpectralRadius spectral_radius(const Eigen::Ref<const Matrix>& A, int max_iterations, double tolerance) {
  if (A.rows() != A.cols()) throw DimensionError("spectral_radius: matrix is not square");
  return shifted_power(Matrix(A.cwiseAbs()), max_iterations, tolerance);
}

SpectralRadius IOTable::spectral_radius(int max_iterations, double tolerance) const {
  if (sparse_) return shifted_power(SparseMatrix(A_sparse().cwiseAbs()), max_iterations, tolerance);
  return shifted_power(Matrix(A().cwiseAbs()), max_iterations, tolerance);
}

std::string IOTableDiagnostics::summary() const {
  std::ostringstream s;
  s << "max row imbalance " << fmt(max_row_imbalance) << ", max column imbalance " << fmt(max_column_imbalance)
    << ", zero-output sectors " << zero_output.size() << ", max column sum of A " << fmt(max_column_sum_A);
  return s.str();
}

IOTable::IOTable(IOTableData data, const IOTableOptions& options) : data_(std::move(data)) {
  options.validate();
  validate_and_complete(options);
}

void IOTable::validate_and_complete(const IOTableOptions& options) {
  auto& d = data_;
  sparse_ = d.Z.size() == 0 && d.Z_sparse.rows() > 0;
  const Index n = sparse_ ? d.Z_sparse.rows() : d.Z.rows();
  const Index zc = sparse_ ? d.Z_sparse.cols() : d.Z.cols();
  if (n == 0) throw DimensionError("IOTable: Z is empty");
  if (zc != n) throw DimensionError("IOTable: Z must be square, got " + std::to_string(n) + " x " + std::to_string(zc));
  n_ = n;
  if (Index(d.sectors.size()) != n)
    throw DimensionError("IOTable: " + std::to_string(d.sectors.size()) + " sector labels for " + std::to_string(n) +
                         " rows of Z");
  if (!d.regions.empty() && Index(d.regions.size()) != n)
    throw DimensionError("IOTable: " + std::to_string(d.regions.size()) + " region labels for " + std::to_string(n) +
                         " rows of Z");
  if (d.Y.size() == 0) d.Y = Matrix::Zero(n, 0);
  if (d.Y.rows() != n)
    throw DimensionError("IOTable: Y has " + std::to_string(d.Y.rows()) + " rows, Z has " + std::to_string(n));
  if (d.final_demand.empty())
    for (Index k = 0; k < d.Y.cols(); ++k) d.final_demand.push_back("final_demand_" + std::to_string(k));
  if (Index(d.final_demand.size()) != d.Y.cols())
    throw DimensionError("IOTable: " + std::to_string(d.final_demand.size()) + " final-demand names for " +
                         std::to_string(d.Y.cols()) + " columns of Y");
  if (!d.final_demand_regions.empty() && d.final_demand_regions.size() != d.final_demand.size())
    throw DimensionError("IOTable: final_demand_regions must have one entry per column of Y");
  if (d.value_added.size() == 0) d.value_added = Matrix::Zero(0, n);
  if (d.value_added.cols() != n)
    throw DimensionError("IOTable: value_added has " + std::to_string(d.value_added.cols()) + " columns, expected " +
                         std::to_string(n));
  if (Index(d.value_added_names.size()) != d.value_added.rows())
    throw DimensionError("IOTable: " + std::to_string(d.value_added_names.size()) + " value-added names for " +
                         std::to_string(d.value_added.rows()) + " rows");
  if (d.satellite.size() == 0) d.satellite = Matrix::Zero(0, n);
  if (d.satellite.cols() != n)
    throw DimensionError("IOTable: satellite has " + std::to_string(d.satellite.cols()) + " columns, expected " +
                         std::to_string(n));
  if (Index(d.satellite_names.size()) != d.satellite.rows())
    throw DimensionError("IOTable: " + std::to_string(d.satellite_names.size()) + " satellite names for " +
                         std::to_string(d.satellite.rows()) + " rows");

  const Names lab = labels();
  {  // duplicate labels make results ambiguous
    std::unordered_map<std::string, Index> seen;
    for (Index i = 0; i < n; ++i)
      if (!seen.emplace(lab[i], i).second)
        throw DataError("IOTable: duplicate label '" + lab[i] + "' (rows " + std::to_string(seen[lab[i]]) + " and " +
                        std::to_string(i) + ")");
  }

  // Finite data.
  if (sparse_) {
    d.Z_sparse.makeCompressed();
    for (Index j = 0; j < n; ++j)
      for (SparseMatrix::InnerIterator it(d.Z_sparse, j); it; ++it)
        if (!std::isfinite(it.value()))
          throw DataError("Z has a non-finite value at row '" + lab[it.row()] + "', column '" + lab[j] + "'");
  } else {
    require_finite(d.Z, "Z", lab, lab);
  }
  require_finite(d.Y, "Y", lab, d.final_demand);
  require_finite(d.value_added, "value_added", d.value_added_names, lab);
  require_finite(d.satellite, "satellite", d.satellite_names, lab);

  // Row sums Z 1 + Y 1 (and output when not given).
  Vector rowsum = sparse_ ? Vector(d.Z_sparse * Vector::Ones(n)) : Vector(d.Z.rowwise().sum());
  rowsum += d.Y.rowwise().sum();
  if (d.x.size() == 0) d.x = rowsum;
  if (d.x.size() != n)
    throw DimensionError("IOTable: x has " + std::to_string(d.x.size()) + " entries, Z has " + std::to_string(n));
  for (Index i = 0; i < n; ++i) {
    if (!std::isfinite(d.x(i))) throw DataError("gross output of '" + lab[i] + "' is not finite");
    if (d.x(i) < 0.0)
      throw DataError("gross output of '" + lab[i] + "' is negative (" + fmt(d.x(i)) +
                      "); check the sign conventions of the final-demand columns (imports, inventories)");
  }

  // Balance diagnostics.
  diag_ = IOTableDiagnostics{};
  diag_.nnz = sparse_ ? d.Z_sparse.nonZeros() : Index((d.Z.array() != 0.0).count());
  Vector colsum = sparse_ ? Vector(RowVector::Ones(n) * d.Z_sparse) : Vector(d.Z.colwise().sum().transpose());
  for (Index i = 0; i < n; ++i) {
    if (d.x(i) == 0.0) {
      diag_.zero_output.push_back(i);
      continue;
    }
    const double r = std::abs(d.x(i) - rowsum(i)) / d.x(i);
    if (r > diag_.max_row_imbalance) {
      diag_.max_row_imbalance = r;
      diag_.worst_row = i;
    }
    if (d.value_added.rows() > 0) {
      const double c = std::abs(d.x(i) - colsum(i) - d.value_added.col(i).sum()) / d.x(i);
      if (c > diag_.max_column_imbalance) {
        diag_.max_column_imbalance = c;
        diag_.worst_column = i;
      }
    }
  }
  if (diag_.max_row_imbalance > options.max_relative_imbalance)
    throw DataError("IOTable: row '" + lab[diag_.worst_row] + "' is unbalanced: gross output " +
                    fmt(d.x(diag_.worst_row)) + " vs intermediate plus final use " + fmt(rowsum(diag_.worst_row)) +
                    " (relative imbalance " + fmt(diag_.max_row_imbalance) + ")");

  // Productivity: column sums of A below one prove rho(A) < 1; otherwise bound rho.
  Vector colsumA(n);
  for (Index j = 0; j < n; ++j) {
    double s = 0.0;
    if (d.x(j) > 0.0) {
      if (sparse_) {
        for (SparseMatrix::InnerIterator it(d.Z_sparse, j); it; ++it) s += std::abs(it.value());
      } else {
        s = d.Z.col(j).cwiseAbs().sum();
      }
      s /= d.x(j);
    }
    colsumA(j) = s;
  }
  diag_.max_column_sum_A = n ? colsumA.maxCoeff() : 0.0;
  if (options.check_spectral_radius && diag_.max_column_sum_A >= 1.0) {
    // Column sums below one prove rho(|A|) < 1; otherwise decide exactly with the M-matrix test.
    bool productive;
    if (sparse_) {
      SparseMatrix M = -SparseMatrix(A_sparse().cwiseAbs());
      for (Index i = 0; i < n; ++i) M.coeffRef(i, i) += 1.0;
      M.makeCompressed();
      productive = m_matrix_test<Eigen::SparseLU<SparseMatrix, Eigen::COLAMDOrdering<int>>>(M);
    } else {
      Matrix M = -A().cwiseAbs();
      M.diagonal().array() += 1.0;
      productive = m_matrix_test<Eigen::PartialPivLU<Matrix>>(M);
    }
    if (!productive) {
      const SpectralRadius rho = spectral_radius();
      diag_.spectral_radius = rho.estimate;
      std::ostringstream s;
      s << "IOTable: the spectral radius of A (of |A| if A has negative entries) is about " << fmt(rho.estimate)
        << " (>= 1), so I - A has no non-negative inverse; sectors whose intermediate inputs exceed their gross "
           "output:";
      int shown = 0;
      for (Index j = 0; j < n && shown < 5; ++j)
        if (colsumA(j) >= 1.0) {
          s << (shown ? ", " : " ") << "'" << lab[j] << "' (" << fmt(colsumA(j)) << " x output)";
          ++shown;
        }
      if (!shown) s << " none individually (the cycle of intermediate purchases as a whole is unproductive)";
      throw ModelError(s.str());
    }
  }
}

Names IOTable::labels() const {
  if (data_.regions.empty()) return data_.sectors;
  Names out(n_);
  for (Index i = 0; i < n_; ++i) out[i] = data_.regions[i] + "/" + data_.sectors[i];
  return out;
}

Names IOTable::region_list() const {
  Names out;
  for (const auto& r : data_.regions)
    if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  return out;
}

std::vector<Index> IOTable::region_index() const {
  const Names list = region_list();
  std::vector<Index> idx(n_, 0);
  for (Index i = 0; i < Index(data_.regions.size()); ++i)
    idx[i] = std::find(list.begin(), list.end(), data_.regions[i]) - list.begin();
  return idx;
}

Matrix IOTable::Z() const { return sparse_ ? Matrix(data_.Z_sparse) : data_.Z; }

const SparseMatrix& IOTable::Z_sparse() const {
  if (!sparse_) throw Error("IOTable::Z_sparse: the table is stored dense; use Z()");
  return data_.Z_sparse;
}

Vector IOTable::per_unit_output(const Eigen::Ref<const Vector>& r) const {
  if (r.size() != n_) throw DimensionError("per_unit_output: vector of size " + std::to_string(r.size()) + ", expected " +
                                           std::to_string(n_));
  Vector c(n_);
  for (Index j = 0; j < n_; ++j) c(j) = data_.x(j) > 0.0 ? r(j) / data_.x(j) : 0.0;
  return c;
}

Vector IOTable::primary_inputs() const {
  Vector colsum = sparse_ ? Vector(RowVector::Ones(n_) * data_.Z_sparse) : Vector(data_.Z.colwise().sum().transpose());
  return data_.x - colsum;
}

Matrix IOTable::A() const {
  Matrix A = Z();
  for (Index j = 0; j < n_; ++j) {
    if (data_.x(j) > 0.0)
      A.col(j) /= data_.x(j);
    else
      A.col(j).setZero();
  }
  return A;
}

SparseMatrix IOTable::A_sparse() const {
  SparseMatrix A = sparse_ ? data_.Z_sparse : SparseMatrix(data_.Z.sparseView());
  for (Index j = 0; j < n_; ++j)
    for (SparseMatrix::InnerIterator it(A, j); it; ++it) it.valueRef() = data_.x(j) > 0.0 ? it.value() / data_.x(j) : 0.0;
  A.prune(0.0);
  return A;
}

Matrix IOTable::B() const {
  Matrix B = Z();
  for (Index i = 0; i < n_; ++i) {
    if (data_.x(i) > 0.0)
      B.row(i) /= data_.x(i);
    else
      B.row(i).setZero();
  }
  return B;
}

namespace {
[[noreturn]] void missing(const std::string& what, const std::string& name, const Names& choices) {
  std::string s = what + " '" + name + "' not found; available:";
  for (std::size_t i = 0; i < choices.size() && i < 30; ++i) s += (i ? ", " : " ") + choices[i];
  if (choices.empty()) s += " none";
  throw DataError(s);
}
}  // namespace

Vector IOTable::account(const std::string& name) const {
  for (std::size_t i = 0; i < data_.value_added_names.size(); ++i)
    if (data_.value_added_names[i] == name) return data_.value_added.row(i).transpose();
  for (std::size_t i = 0; i < data_.satellite_names.size(); ++i)
    if (data_.satellite_names[i] == name) return data_.satellite.row(i).transpose();
  Names all = data_.value_added_names;
  all.insert(all.end(), data_.satellite_names.begin(), data_.satellite_names.end());
  missing("account", name, all);
}

Vector IOTable::final_demand_column(const std::string& name) const {
  for (std::size_t k = 0; k < data_.final_demand.size(); ++k)
    if (data_.final_demand[k] == name) return data_.Y.col(k);
  missing("final-demand category", name, data_.final_demand);
}

Index IOTable::index_of(const std::string& label) const {
  const Names lab = labels();
  for (Index i = 0; i < n_; ++i)
    if (lab[i] == label) return i;
  missing("sector", label, lab);
}

IOTable IOTable::aggregate(const std::vector<Index>& group, const Names& group_sectors,
                           const Names& group_regions) const {
  if (Index(group.size()) != n_)
    throw DimensionError("aggregate: concordance has " + std::to_string(group.size()) + " entries for " +
                         std::to_string(n_) + " sectors");
  const Index m = Index(group_sectors.size());
  if (!group_regions.empty() && Index(group_regions.size()) != m)
    throw DimensionError("aggregate: group_regions must have one entry per group");
  const Names lab = labels();
  std::vector<int> used(m, 0);
  for (Index i = 0; i < n_; ++i) {
    if (group[i] < 0 || group[i] >= m)
      throw DimensionError("aggregate: sector '" + lab[i] + "' maps to group " + std::to_string(group[i]) +
                           ", outside 0.." + std::to_string(m - 1));
    used[group[i]] = 1;
  }
  for (Index g = 0; g < m; ++g)
    if (!used[g]) throw DataError("aggregate: group '" + group_sectors[g] + "' receives no sector");
  // Concordance matrix C (m x n), sparse.
  std::vector<Eigen::Triplet<double>> t;
  for (Index i = 0; i < n_; ++i) t.emplace_back(group[i], i, 1.0);
  SparseMatrix C(m, n_);
  C.setFromTriplets(t.begin(), t.end());
  IOTableData out;
  if (sparse_) {
    out.Z_sparse = C * data_.Z_sparse * SparseMatrix(C.transpose());
  } else {
    Matrix CZ = C * data_.Z;
    out.Z = CZ * C.transpose();
  }
  out.Y = C * data_.Y;
  out.x = C * data_.x;
  out.sectors = group_sectors;
  out.regions = group_regions;
  out.final_demand = data_.final_demand;
  out.final_demand_regions = data_.final_demand_regions;
  out.value_added = data_.value_added * C.transpose();
  out.value_added_names = data_.value_added_names;
  out.satellite = data_.satellite * C.transpose();
  out.satellite_names = data_.satellite_names;
  out.unit = data_.unit;
  return IOTable(std::move(out));
}

}  // namespace govsim::io
