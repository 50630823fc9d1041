// Multipliers (type I and II), linkages and hypothetical extraction.
#include <govsim/core/error.hpp>
#include <govsim/io/extraction.hpp>
#include <govsim/io/linkages.hpp>
#include <govsim/io/multipliers.hpp>

#include <cmath>
#include <limits>

namespace govsim::io {
namespace {

// Rows of per-unit-of-output coefficients for every account, plus total value added.
Matrix account_coefficients(const IOTable& t, Names& names) {
  const Index nv = t.value_added().rows(), ns = t.satellite().rows();
  const bool total = nv > 1;
  Matrix C(t.n(), nv + (total ? 1 : 0) + ns);
  Index c = 0;
  for (Index r = 0; r < nv; ++r, ++c) {
    C.col(c) = t.per_unit_output(t.value_added().row(r).transpose());
    names.push_back(t.value_added_names()[r]);
  }
  if (total) {
    C.col(c++) = t.per_unit_output(t.value_added().colwise().sum().transpose());
    names.push_back("value_added");
  }
  for (Index r = 0; r < ns; ++r, ++c) {
    C.col(c) = t.per_unit_output(t.satellite().row(r).transpose());
    names.push_back(t.satellite_names()[r]);
  }
  return C;
}

Matrix ratio(const Matrix& simple, const Matrix& direct) {
  Matrix out(simple.rows(), simple.cols());
  for (Index i = 0; i < simple.rows(); ++i)
    for (Index j = 0; j < simple.cols(); ++j)
      out(i, j) = direct(i, j) != 0.0 ? simple(i, j) / direct(i, j) : std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace

Matrix household_augmented_coefficients(const IOTable& t, const HouseholdClosure& h) {
  const Index n = t.n();
  const Vector income = t.account(h.income_account);
  const Vector consumption = t.final_demand_column(h.consumption_category);
  const double total_income = income.sum();
  if (!(total_income > 0.0))
    throw DataError("household closure: total of income account '" + h.income_account + "' is not positive");
  Matrix Ab = Matrix::Zero(n + 1, n + 1);
  Ab.topLeftCorner(n, n) = t.A();
  Ab.block(0, n, n, 1) = consumption / total_income;
  Ab.block(n, 0, 1, n) = t.per_unit_output(income).transpose();
  return Ab;
}

Multipliers compute_multipliers(const IOTable& t, const LeontiefModel& model,
                                const std::optional<HouseholdClosure>& households) {
  const Index n = t.n();
  Multipliers m;
  m.labels = t.labels();
  Matrix C = account_coefficients(t, m.account_names);
  const Index na = C.cols();
  // One batch of transpose solves: [1, c_1, ..., c_na]' L.
  Matrix rhs(n, 1 + na);
  rhs.col(0).setOnes();
  rhs.rightCols(na) = C;
  Matrix S = model.solve_transpose(rhs);
  m.output = S.col(0);
  m.account_simple = S.rightCols(na).transpose();
  m.account_type_I = ratio(m.account_simple, C.transpose());
  if (households) {
    Matrix Ab = household_augmented_coefficients(t, *households);
    LeontiefModel mb = t.is_sparse() ? LeontiefModel(SparseMatrix(Ab.sparseView()), LeontiefOptions{Factorization::Sparse})
                                     : LeontiefModel(Ab);
    if (!mb.ok()) throw SolveError("type II multipliers: I - A augmented with households is singular: " + mb.message());
    Matrix rb = Matrix::Zero(n + 1, 2 + na);
    rb.col(0).head(n).setOnes();
    rb(n, 1) = 1.0;
    rb.block(0, 2, n, na) = C;
    Matrix Sb = mb.solve_transpose(rb);
    m.has_type_II = true;
    m.output_type_II = Sb.col(0).head(n);
    m.household_income_type_II = Sb.col(1).head(n);
    m.account_simple_type_II = Sb.block(0, 2, n, na).transpose();
    m.account_type_II = ratio(m.account_simple_type_II, C.transpose());
  }
  return m;
}

const char* to_string(SectorClass c) noexcept {
  switch (c) {
    case SectorClass::Key: return "key";
    case SectorClass::BackwardOriented: return "backward-oriented";
    case SectorClass::ForwardOriented: return "forward-oriented";
    case SectorClass::Weak: return "weak";
  }
  return "unknown";
}

Linkages compute_linkages(const IOTable& t, const LeontiefModel& model) {
  const Index n = t.n();
  const Vector& x = t.x();
  Linkages k;
  k.labels = t.labels();
  k.backward = model.solve_transpose(Vector::Ones(n));  // 1' L
  Matrix R(n, 2);
  R.col(0).setOnes();
  R.col(1) = x;
  Matrix S = model.solve(R);  // L 1 and L x
  const Vector rowsumL = S.col(0);
  k.forward.resize(n);  // rows of G = x̂⁻¹ L x̂: (L x)_i / x_i
  for (Index i = 0; i < n; ++i) k.forward(i) = x(i) > 0.0 ? S(i, 1) / x(i) : 1.0;
  k.power_of_dispersion = k.backward / k.backward.mean();
  k.sensitivity_of_dispersion = rowsumL / rowsumL.mean();
  k.forward_normalized = k.forward / k.forward.mean();
  k.classification.resize(n);
  for (Index i = 0; i < n; ++i) {
    const bool b = k.power_of_dispersion(i) > 1.0, f = k.forward_normalized(i) > 1.0;
    k.classification[i] = b && f ? SectorClass::Key
                          : b    ? SectorClass::BackwardOriented
                          : f    ? SectorClass::ForwardOriented
                                 : SectorClass::Weak;
  }
  return k;
}

void ExtractionOptions::validate() const {
  if (block < 1) throw OptionsError("ExtractionOptions.block must be >= 1");
}

ExtractionResult hypothetical_extraction(const IOTable& t, const LeontiefModel& model,
                                         const ExtractionOptions& options) {
  options.validate();
  const Index n = t.n();
  const Vector& x = t.x();
  ExtractionResult r;
  r.labels = t.labels();
  r.total_output = x.sum();
  const Vector colsum = model.solve_transpose(Vector::Ones(n));
  const Vector Lx = model.solve(x);
  // diag(L): dense models invert the triangular factors; sparse ones solve blocks of unit
  // columns, reporting progress after each block.
  Vector d;
  if (!model.is_sparse()) {
    d = model.inverse_diagonal();
    if (options.on_iteration) {
      IterationInfo info;
      info.total = 1;
      info.stage = "extraction";
      if (!options.on_iteration(info)) throw SolveError("hypothetical_extraction stopped by the on_iteration callback");
    }
  } else {
    d.resize(n);
    const Index nblocks = (n + options.block - 1) / options.block;
    for (Index b = 0; b < nblocks; ++b) {
      const Index j0 = b * options.block, w = std::min(options.block, n - j0);
      Matrix E = Matrix::Zero(n, w);
      for (Index c = 0; c < w; ++c) E(j0 + c, c) = 1.0;
      Matrix X = model.solve(E);
      for (Index c = 0; c < w; ++c) d(j0 + c) = X(j0 + c, c);
      if (options.on_iteration) {
        IterationInfo info;
        info.iteration = int(b);
        info.total = int(nblocks);
        info.stage = "extraction";
        if (!options.on_iteration(info))
          throw SolveError("hypothetical_extraction stopped by the on_iteration callback");
      }
    }
  }
  r.total.resize(n);
  r.backward.resize(n);
  r.forward.resize(n);
  for (Index j = 0; j < n; ++j) {
    if (x(j) == 0.0 || d(j) == 0.0) {
      r.total(j) = r.backward(j) = r.forward(j) = 0.0;
      continue;
    }
    r.total(j) = x(j) * colsum(j) / d(j);
    r.backward(j) = x(j) * (colsum(j) - 1.0) / d(j);
    r.forward(j) = (Lx(j) - x(j)) / d(j);  // x_j (rowsum_j(G) - 1) / L_jj with rowsum_j(G) = (L x)_j / x_j
  }
  const double s = r.total_output > 0.0 ? 100.0 / r.total_output : 0.0;
  r.total_percent = r.total * s;
  r.backward_percent = r.backward * s;
  r.forward_percent = r.forward * s;
  return r;
}

}  // namespace govsim::io
