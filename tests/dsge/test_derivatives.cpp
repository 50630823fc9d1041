// Symbolic derivatives against finite differences; static/dynamic consistency; speed.
#include <catch2/catch.hpp>

#include <govsim/dsge/derivatives.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/steady_state.hpp>

#include <chrono>
#include <cmath>

using namespace govsim;
using namespace govsim::dsge;

namespace {
std::string fixture(const std::string& name) { return std::string(GOVSIM_FIXTURES_DIR) + "/models/" + name; }

// Central-difference derivative of column `j` of a vector function.
template <class F>
Vector fd(F&& f, Vector x, Index j, double h) {
  double x0 = x[j];
  x[j] = x0 + h;
  Vector fp = f(x);
  x[j] = x0 - h;
  Vector fm = f(x);
  return (fp - fm) / (2 * h);
}

Vector test_point(const Model& m, double scale, Vector& steady) {
  // a generic point near the steady state (all derivatives non-trivial)
  auto ss = solve_steady_state(m);
  REQUIRE(ss.ok());
  steady = ss.values;
  Vector x = m.dynamic_point(ss.values, Vector::Zero(m.n_exo()));
  for (Index k = 0; k < x.size(); ++k) x[k] += scale * std::sin(1.0 + 3.0 * static_cast<double>(k)) * (1 + std::fabs(x[k]));
  return x;
}

void check_all_orders(const Model& m, double scale) {
  Vector ss;
  Vector x = test_point(m, scale, ss);
  ModelDerivatives d3(m, ModelForm::Dynamic, 3, true);
  Vector p = m.params();
  DerivativeValues v = d3.evaluate(x, p, ss);
  // residuals agree with Model::dynamic_residuals
  CHECK((v.residuals - m.dynamic_residuals(x, ss)).cwiseAbs().maxCoeff() < 1e-14);
  // order 1: finite differences of residuals
  Matrix J = Matrix(v.jacobian);
  auto resid = [&](const Vector& z) { return d3.evaluate(z, p, ss).residuals; };
  for (Index j = 0; j < x.size(); ++j) {
    Vector g = fd(resid, x, j, 1e-6);
    INFO("column " << d3.column_names()[static_cast<std::size_t>(j)]);
    CHECK((J.col(j) - g).cwiseAbs().maxCoeff() < 1e-6 * (1 + g.cwiseAbs().maxCoeff()));
  }
  // order 2: finite differences of the jacobian
  Matrix H = v.hessian.to_dense();
  const Index n = x.size();
  auto jac_col = [&](Index c) { return [&, c](const Vector& z) { return Vector(Matrix(d3.evaluate(z, p, ss).jacobian).col(c)); }; };
  for (Index a = 0; a < n; ++a)
    for (Index b = 0; b < n; ++b) {
      Vector g = fd(jac_col(a), x, b, 1e-5);
      Vector h = H.col(a * n + b);
      CHECK((h - g).cwiseAbs().maxCoeff() < 1e-6 * (1 + g.cwiseAbs().maxCoeff()));
    }
  // order 3: finite differences of the hessian
  Matrix T = v.third.to_dense();
  for (Index a = 0; a < n; ++a)
    for (Index b = a; b < n; ++b) {
      auto hcol = [&](const Vector& z) { return Vector(d3.evaluate(z, p, ss).hessian.to_dense().col(a * n + b)); };
      for (Index c = 0; c < n; ++c) {
        Vector g = fd(hcol, x, c, 1e-4);
        Vector t = T.col((a * n + b) * n + c);
        CHECK((t - g).cwiseAbs().maxCoeff() < 1e-5 * (1 + g.cwiseAbs().maxCoeff()));
      }
    }
  // parameters: residuals and jacobian
  Matrix R = Matrix(v.param_residuals);
  for (Index k = 0; k < p.size(); ++k) {
    auto rp = [&](const Vector& q) { return d3.evaluate(x, q, ss).residuals; };
    Vector g = fd(rp, p, k, 1e-6);
    CHECK((R.col(k) - g).cwiseAbs().maxCoeff() < 1e-6 * (1 + g.cwiseAbs().maxCoeff()));
  }
  for (std::size_t e = 0; e < v.param_jacobian.values.size(); ++e) {
    Index row = v.param_jacobian.rows[e], col = v.param_jacobian.cols[e][0], k = v.param_jacobian.cols[e][1];
    auto jp = [&](const Vector& q) { Vector r(1); r[0] = Matrix(d3.evaluate(x, q, ss).jacobian)(row, col); return r; };
    double g = fd(jp, p, k, 1e-6)[0];
    CHECK(std::fabs(v.param_jacobian.values[e] - g) < 1e-6 * (1 + std::fabs(g)));
  }
}
}  // namespace

TEST_CASE("derivatives of order 1-3 and wrt parameters match finite differences", "[dsge]") {
  SECTION("rbc") { check_all_orders(parse_model_file(fixture("rbc_initval.mod")), 0.01); }
  SECTION("all functions") { check_all_orders(parse_model_file(fixture("functions.mod")), 0.05); }
  SECTION("leads and lags") { check_all_orders(parse_model_file(fixture("leads_lags.mod")), 0.1); }
}

TEST_CASE("static and dynamic forms are consistent", "[dsge]") {
  Model m = parse_model_file(fixture("rbc_initval.mod"));
  auto ss = solve_steady_state(m);
  REQUIRE(ss.ok());
  Vector y = ss.values * 1.01;
  Vector x = m.dynamic_point(y);
  CHECK((m.dynamic_residuals(x) - m.static_residuals(y)).cwiseAbs().maxCoeff() < 1e-13);
  // static jacobian = sum over lags of the dynamic jacobian blocks
  Matrix Jd = m.dynamic_jacobian(x);
  Matrix Js = m.static_jacobian(y);
  Matrix sum = Matrix::Zero(m.n_endo(), m.n_endo());
  Names cols = m.dynamic_column_names();
  Index L = static_cast<Index>(m.lagged_variables().size());
  for (std::size_t k = 0; k < m.lagged_variables().size(); ++k) sum.col(m.lagged_variables()[k]) += Jd.col(static_cast<Index>(k));
  sum += Jd.middleCols(L, m.n_endo());
  for (std::size_t k = 0; k < m.lead_variables().size(); ++k)
    sum.col(m.lead_variables()[k]) += Jd.col(L + m.n_endo() + static_cast<Index>(k));
  CHECK((sum - Js).cwiseAbs().maxCoeff() < 1e-12);
  ModelDerivatives ds(m, ModelForm::Static, 2);
  DerivativeValues v = ds.evaluate(y, m.params(), Vector(), m.exo_steady_state());
  CHECK((Matrix(v.jacobian) - Js).cwiseAbs().maxCoeff() < 1e-14);
  CHECK(cols.front() == "k(-1)");
  CHECK(cols.back() == "e");
}

TEST_CASE("a 40-equation Jacobian evaluates in microseconds", "[dsge]") {
  std::string src = "@#define N = 40\nvar @#for i in 1:N\n x@{i}\n@#endfor\n;\nvarexo e;\nparameters a b;\na = 0.5; b = 0.1;\nmodel;\n"
                    "@#for i in 1:N\n x@{i} = a*x@{i}(-1) + b*exp(0.01*x@{i==1 ? 1 : i-1}) - b + 0.01*x@{i}(+1)^2 + e;\n@#endfor\nend;\n";
  // the macro language has no ?: so build the chain explicitly
  src = "var ";
  for (int i = 1; i <= 40; ++i) src += "x" + std::to_string(i) + " ";
  src += ";\nvarexo e;\nparameters a b;\na = 0.5; b = 0.1;\nmodel;\n";
  for (int i = 1; i <= 40; ++i) {
    std::string prev = "x" + std::to_string(i == 1 ? 40 : i - 1);
    src += " x" + std::to_string(i) + " = a*x" + std::to_string(i) + "(-1) + b*exp(0.01*" + prev + ") - b + 0.01*x" +
           std::to_string(i) + "(+1)^2 + log(1 + x" + std::to_string(i) + "^2)*0.001 + e;\n";
  }
  src += "end;\n";
  Model m = parse_model(src);
  ModelDerivatives d(m, ModelForm::Dynamic, 1);
  Vector x = m.dynamic_point(Vector::Constant(m.n_endo(), 0.1));
  Vector r(d.n_equations()), jv(static_cast<Index>(d.jacobian_pattern().size()));
  const int reps = 2000;
  auto t0 = std::chrono::steady_clock::now();
  for (int k = 0; k < reps; ++k) d.evaluate_jacobian(x, m.params(), Vector(), Vector(), r, jv);
  double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / reps;
  INFO("40-equation residuals+Jacobian: " << us << " us, tape " << d.tape_size() << " instructions");
  CHECK(us < 200.0);  // typically a few microseconds in Release builds
  CHECK(jv.size() == 40 * 5);
}
