// LeontiefModel, price and Ghosh models against explicit inverses and identities.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/io.hpp>

#include <Eigen/Dense>

#include "io_fixtures.hpp"
#include "support.hpp"

using namespace govsim;
using namespace govsim::io;
using govsim::test::Tol;

namespace {
double rel(const Matrix& a, const Matrix& b) { return (a - b).cwiseAbs().maxCoeff() / b.cwiseAbs().maxCoeff(); }
}  // namespace

TEST_CASE("factor-and-solve equals the explicit inverse, dense and sparse", "[io]") {
  IOTable t(test::random_data(60, 7, 0.3));
  const Matrix L = (Matrix::Identity(60, 60) - t.A()).inverse();
  Matrix dY = Matrix::Random(60, 5);
  for (auto f : {Factorization::Dense, Factorization::Sparse}) {
    LeontiefOptions o;
    o.factorization = f;
    LeontiefModel m(t, o);
    REQUIRE(m.ok());
    CHECK(m.is_sparse() == (f == Factorization::Sparse));
    CHECK(rel(m.output_change(dY), L * dY) < Tol::relative);
    CHECK(rel(m.solve_transpose(dY), L.transpose() * dY) < Tol::relative);
    CHECK(rel(m.leontief_inverse(), L) < Tol::relative);
    CHECK(rel(m.inverse_diagonal(7), L.diagonal()) < Tol::relative);
    CHECK(rel(m.inverse_diagonal(), L.diagonal()) < Tol::relative);
  }
}

TEST_CASE("a unit shock's total output change is the output multiplier", "[io]") {
  IOTable t(test::textbook_data());
  LeontiefModel m(t);
  Multipliers mu = compute_multipliers(t, m);
  for (Index j = 0; j < 3; ++j) {
    Vector e = Vector::Zero(3);
    e(j) = 1.0;
    CHECK(m.output_change(e).sum() == Approx(mu.output(j)).epsilon(Tol::tight));
  }
  // Total output change equals the multiplier-weighted shock for any shock (linearity).
  Vector shock(3);
  shock << -40, 15, 7;
  CHECK(m.output_change(shock).sum() == Approx(mu.output.dot(shock)).epsilon(Tol::tight));
  // Balanced table: L f = x.
  CHECK(rel(m.output_change(t.final_demand_total()), t.x()) < Tol::tight);
}

TEST_CASE("singular I - A is a reported status; solving then throws", "[io]") {
  Matrix A(2, 2);
  A << 0.5, 0.5, 0.5, 0.5;  // eigenvalue 1
  LeontiefModel m(A);
  CHECK_FALSE(m.ok());
  CHECK(m.status() == Status::Singular);
  CHECK_THAT(m.message(), Catch::Contains("singular"));
  CHECK_THROWS_AS(m.solve(Vector::Ones(2)), SolveError);
  LeontiefOptions o;
  o.factorization = Factorization::Sparse;
  LeontiefModel s(A, o);
  CHECK(s.status() == Status::Singular);
  CHECK_THROWS_AS(m.solve(Matrix::Ones(3, 1)), SolveError);
  LeontiefModel good(Matrix(A * 0.5));
  CHECK_THROWS_AS(good.solve(Matrix::Ones(3, 1)), DimensionError);
  LeontiefOptions bad;
  bad.sparse_max_density = 0.0;
  CHECK_THROWS_AS(LeontiefModel(A, bad), OptionsError);
}

TEST_CASE("Leontief price model", "[io]") {
  IOTable t(test::textbook_data());
  LeontiefModel m(t);
  const Matrix L = (Matrix::Identity(3, 3) - t.A()).inverse();
  SECTION("base prices are one and a uniform cost shock scales them") {
    // v' = 1'(I - A) gives p = 1; scaling v by (1 + s) scales p by (1 + s).
    Vector v = (RowVector::Ones(3) * (Matrix::Identity(3, 3) - t.A())).transpose();
    CHECK((price_change(m, v) - Vector::Ones(3)).cwiseAbs().maxCoeff() < Tol::tight);
    CHECK((price_change(m, 0.05 * v) - Vector::Constant(3, 0.05)).cwiseAbs().maxCoeff() < Tol::tight);
  }
  SECTION("cost push equals L' dv") {
    Matrix dv = Matrix::Random(3, 2) * 0.01;
    CHECK(rel(price_change(m, dv), L.transpose() * dv) < Tol::relative);
  }
  SECTION("exogenous sector prices: fixed sectors move by the given amount, others by the cost equations") {
    Vector fixed(1);
    fixed << 0.2;
    Vector dp = price_change_from_sector_prices(m, {1}, fixed);
    CHECK(dp(1) == Approx(0.2));
    // Non-fixed sectors satisfy dp_j = sum_i dp_i a_ij (their value added is unchanged).
    const Matrix A = t.A();
    for (Index j : {0, 2}) CHECK(dp(j) == Approx(dp.dot(A.col(j))).epsilon(Tol::tight));
    Vector two(2);
    two << 0.1, -0.05;
    Vector dp2 = price_change_from_sector_prices(m, {0, 2}, two);
    CHECK(dp2(0) == Approx(0.1));
    CHECK(dp2(2) == Approx(-0.05));
    CHECK(dp2(1) == Approx(dp2.dot(A.col(1))).epsilon(Tol::tight));
    CHECK_THROWS_AS(price_change_from_sector_prices(m, {0, 0}, two), DataError);
    CHECK_THROWS_AS(price_change_from_sector_prices(m, {0}, two), DimensionError);
  }
}

TEST_CASE("Ghosh model: duality x' = v'G and output change", "[io]") {
  IOTable t(test::random_data(25, 3));
  LeontiefModel m(t);
  const Matrix G = (Matrix::Identity(25, 25) - t.B()).inverse();
  CHECK(rel(ghosh_inverse(t, m), G) < Tol::relative);
  const Vector v = t.primary_inputs();
  CHECK(rel(Matrix(ghosh_output_change(t, m, v)), Matrix(t.x())) < Tol::relative);
  Matrix dv = Matrix::Random(25, 3);
  CHECK(rel(ghosh_output_change(t, m, dv), G.transpose() * dv) < Tol::relative);
}

TEST_CASE("type II multipliers against the augmented explicit inverse", "[io]") {
  IOTable t(test::textbook_data());
  LeontiefModel m(t);
  HouseholdClosure hh{"compensation", "households"};
  Multipliers mu = compute_multipliers(t, m, hh);
  REQUIRE(mu.has_type_II);
  const Matrix Ab = household_augmented_coefficients(t, hh);
  const Matrix Lb = (Matrix::Identity(4, 4) - Ab).inverse();
  const Matrix L = (Matrix::Identity(3, 3) - t.A()).inverse();
  for (Index j = 0; j < 3; ++j) {
    CHECK(mu.output(j) == Approx(L.col(j).sum()).epsilon(Tol::relative));
    CHECK(mu.output_type_II(j) == Approx(Lb.col(j).head(3).sum()).epsilon(Tol::relative));
    CHECK(mu.household_income_type_II(j) == Approx(Lb(3, j)).epsilon(Tol::relative));
    CHECK(mu.output_type_II(j) > mu.output(j));
  }
  // Accounts: compensation, surplus, value_added (sum), employment.
  REQUIRE(mu.account_names == Names{"compensation", "surplus", "value_added", "employment"});
  const Vector emp = t.per_unit_output(t.satellite().row(0).transpose());
  const RowVector simple = emp.transpose() * L;
  for (Index j = 0; j < 3; ++j) {
    CHECK(mu.account_simple(3, j) == Approx(simple(j)).epsilon(Tol::relative));
    CHECK(mu.account_type_I(3, j) == Approx(simple(j) / emp(j)).epsilon(Tol::relative));
  }
  CHECK_THROWS_WITH(compute_multipliers(t, m, HouseholdClosure{"wages", "households"}),
                    Catch::Contains("'wages' not found") && Catch::Contains("compensation"));
}

TEST_CASE("linkages and key sectors", "[io]") {
  IOTable t(test::random_data(20, 11));
  LeontiefModel m(t);
  Linkages k = compute_linkages(t, m);
  const Matrix L = (Matrix::Identity(20, 20) - t.A()).inverse();
  const Matrix G = (Matrix::Identity(20, 20) - t.B()).inverse();
  const Vector bl = L.colwise().sum().transpose(), fl = G.rowwise().sum(), rl = L.rowwise().sum();
  CHECK(rel(k.backward, bl) < Tol::relative);
  CHECK(rel(k.forward, fl) < Tol::relative);
  CHECK(rel(k.power_of_dispersion, bl / bl.mean()) < Tol::relative);
  CHECK(rel(k.sensitivity_of_dispersion, rl / rl.mean()) < Tol::relative);
  for (Index i = 0; i < 20; ++i) {
    const bool b = bl(i) / bl.mean() > 1, f = fl(i) / fl.mean() > 1;
    CHECK((k.classification[i] == SectorClass::Key) == (b && f));
    CHECK((k.classification[i] == SectorClass::Weak) == (!b && !f));
  }
}

TEST_CASE("hypothetical extraction equals explicit re-inversion per sector", "[io]") {
  const Index n = 15;
  IOTable t(test::random_data(n, 5, 0.6));
  LeontiefModel m(t);
  int calls = 0;
  ExtractionOptions o;
  o.block = 4;
  o.on_iteration = [&](const IterationInfo& info) {
    ++calls;
    CHECK(info.total == 1);
    return true;
  };
  ExtractionResult r = hypothetical_extraction(t, m, o);
  CHECK(calls == 1);
  // The sparse path works in blocks of unit columns and reports progress after each.
  LeontiefOptions so;
  so.factorization = Factorization::Sparse;
  LeontiefModel ms(t, so);
  calls = 0;
  o.on_iteration = [&](const IterationInfo& info) {
    ++calls;
    CHECK(info.total == 4);
    return true;
  };
  ExtractionResult rs = hypothetical_extraction(t, ms, o);
  CHECK(calls == 4);
  CHECK((rs.total - r.total).cwiseAbs().maxCoeff() < 1e-9 * r.total.cwiseAbs().maxCoeff());
  CHECK((rs.forward - r.forward).cwiseAbs().maxCoeff() < 1e-9 * r.total.cwiseAbs().maxCoeff());
  const Matrix A = t.A(), B = t.B();
  const Vector f = t.final_demand_total(), x = t.x(), v = t.primary_inputs();
  for (Index j = 0; j < n; ++j) {
    // Total: delete row and column j, and sector j's final demand.
    std::vector<Index> keep;
    for (Index i = 0; i < n; ++i)
      if (i != j) keep.push_back(i);
    Matrix Ar(n - 1, n - 1);
    Vector fr(n - 1);
    for (Index a = 0; a < n - 1; ++a) {
      fr(a) = f(keep[a]);
      for (Index b = 0; b < n - 1; ++b) Ar(a, b) = A(keep[a], keep[b]);
    }
    const Vector xr = (Matrix::Identity(n - 1, n - 1) - Ar).lu().solve(fr);
    CHECK(r.total(j) == Approx(x.sum() - xr.sum()).epsilon(Tol::relative));
    // Backward: sector j buys no intermediate inputs (column j of A zeroed).
    Matrix Ab = A;
    Ab.col(j).setZero();
    const Vector xb = (Matrix::Identity(n, n) - Ab).lu().solve(f);
    CHECK(r.backward(j) == Approx(x.sum() - xb.sum()).epsilon(Tol::relative));
    // Forward (Ghosh): sector j sells no intermediate output (row j of B zeroed).
    Matrix Bf = B;
    Bf.row(j).setZero();
    const RowVector xf = v.transpose() * (Matrix::Identity(n, n) - Bf).inverse();
    CHECK(r.forward(j) == Approx(x.sum() - xf.sum()).epsilon(Tol::relative));
  }
  CHECK(r.total_percent.sum() == Approx(100.0 * r.total.sum() / x.sum()));
  o.on_iteration = [](const IterationInfo&) { return false; };
  CHECK_THROWS_AS(hypothetical_extraction(t, m, o), SolveError);
}
