// First-order perturbation: agreement with Dynare 5.3 (nk3, rbc), Blanchard-Kahn failures, static
// models and misuse.

#include "test_perturbation_models.hpp"

#include <govsim/core/error.hpp>
#include <govsim/dsge/model.hpp>
#include <govsim/dsge/perturbation.hpp>
#include <govsim/dsge/steady_state.hpp>

#include <algorithm>
#include <catch2/catch.hpp>
#include <limits>

using namespace govsim;
using govsim::test::Json;

namespace {

void compare_solution_with_dynare(const dsge::PerturbationResult& sol, const Json& ref) {
  REQUIRE(sol.ok());
  const Json& dr = ref["dr"];
  CHECK(sol.state_names == dr["state_names"].as_strings());
  CHECK(sol.endo_names == ref["endo_names"].as_strings());
  CHECK(sol.n_static == static_cast<Index>(dr["nstatic"].as_number()));
  CHECK(sol.n_backward == static_cast<Index>(dr["npred"].as_number()));
  CHECK(sol.n_mixed == static_cast<Index>(dr["nboth"].as_number()));
  CHECK(sol.n_forward_only == static_cast<Index>(dr["nfwrd"].as_number()));
  CHECK(sol.n_forward == static_cast<Index>(dr["nsfwrd"].as_number()));
  const Vector ov = dr["order_var"].as_vector();
  REQUIRE(ov.size() == static_cast<Index>(sol.order_var.size()));
  for (Index i = 0; i < ov.size(); ++i) CHECK(sol.order_var[static_cast<std::size_t>(i)] == static_cast<Index>(ov[i]) - 1);

  const Matrix ghx_ref = dr["ghx"].as_matrix();
  const Matrix ghu_ref = dr["ghu"].as_matrix();
  const double dev_ghx = govsim::test::scaled_deviation(sol.ghx, ghx_ref);
  const double dev_ghu = govsim::test::scaled_deviation(sol.ghu, ghu_ref);
  INFO("ghx max abs deviation " << govsim::test::max_abs_deviation(sol.ghx, ghx_ref));
  INFO("ghu max abs deviation " << govsim::test::max_abs_deviation(sol.ghu, ghu_ref));
  CHECK(dev_ghx <= govsim::test::Tol::relative);
  CHECK(dev_ghu <= govsim::test::Tol::relative);

  // Eigenvalues: Dynare's order and moduli; null = infinite.
  const Json& ev = ref["eigval"];
  const Vector re = ev["real"].as_vector();
  const Vector im = ev["imag"].as_vector();
  const Vector ab = ev["abs"].as_vector();
  REQUIRE(sol.eigenvalues.size() == ab.size());
  const Vector mod = sol.eigenvalue_moduli();
  double worst = 0.0;
  for (Index i = 0; i < ab.size(); ++i) {
    if (std::isnan(ab[i])) {
      CHECK(std::isinf(mod[i]));
      continue;
    }
    worst = std::max(worst, std::abs(mod[i] - ab[i]) / std::max(1.0, ab[i]));
    CHECK(std::abs(sol.eigenvalues[i].real() - re[i]) <= 1e-8 * std::max(1.0, std::abs(re[i])));
    CHECK(std::abs(sol.eigenvalues[i].imag() - im[i]) <= 1e-8 * std::max(1.0, std::abs(im[i])));
  }
  INFO("eigenvalue modulus max relative deviation " << worst);
  CHECK(worst <= govsim::test::Tol::relative);
  CHECK(sol.n_explosive == static_cast<Index>(ev["n_explosive"].as_number()));
  CHECK(sol.n_infinite == static_cast<Index>(ev["n_infinite"].as_number()));
  CHECK(sol.determinate);
  CHECK(sol.unique);

  // Transition form consistent with ghx/ghu.
  REQUIRE(sol.A.rows() == sol.ghx.rows());
  for (std::size_t s = 0; s < sol.state_indices.size(); ++s)
    CHECK((sol.A.col(sol.state_indices[s]) - sol.ghx.col(static_cast<Index>(s))).norm() == 0.0);
  CHECK((sol.B - sol.ghu).norm() == 0.0);
}

}  // namespace

TEST_CASE("nk3 first-order solution matches Dynare", "[perturbation][dynare]") {
  const auto path = govsim::test::reference_case("nk3");
  if (!path) return;
  const Json ref = Json::parse_file(path->string());
  const auto lin = govsim::test::nk3_model();
  CHECK(std::abs(lin.params[4] - ref["params"][4].as_number()) < 1e-15);
  const auto sol = dsge::solve_first_order(lin);
  compare_solution_with_dynare(sol, ref);
}

TEST_CASE("rbc hand-derived Jacobian agrees with finite differences", "[perturbation]") {
  const govsim::test::RbcParams p;
  const Vector ss = govsim::test::rbc_steady_state(p);
  // The steady state solves the model.
  CHECK(govsim::test::rbc_residuals(p, ss, ss, ss, 0.0).cwiseAbs().maxCoeff() < 1e-13);
  // Check the Jacobian at a point off the steady state too (catches terms that vanish there).
  Vector pt = ss;
  pt[7] = 0.03;
  for (int pass = 0; pass < 2; ++pass) {
    const Vector& x = pass == 0 ? ss : pt;
    const auto lin = govsim::test::rbc_model(p, x);
    const Matrix& J = lin.jacobian;
    // columns: lag k,z | current 8 | lead c,r | e
    auto fd = [&](int which, Index var) {
      Vector lead = x, cur = x, lag = x;
      double e = 0.0;
      Vector* v = which == 0 ? &lag : which == 1 ? &cur : &lead;
      const double h = 1e-6 * std::max(1.0, std::abs(x[var]));
      (*v)[var] += h;
      Vector fp = govsim::test::rbc_residuals(p, lead, cur, lag, e);
      (*v)[var] -= 2 * h;
      Vector fm = govsim::test::rbc_residuals(p, lead, cur, lag, e);
      return Vector((fp - fm) / (2 * h));
    };
    Matrix Jfd(8, 13);
    Jfd.col(0) = fd(0, 2);
    Jfd.col(1) = fd(0, 7);
    for (Index v = 0; v < 8; ++v) Jfd.col(2 + v) = fd(1, v);
    Jfd.col(10) = fd(2, 1);
    Jfd.col(11) = fd(2, 5);
    Jfd.col(12) = govsim::test::rbc_residuals(p, x, x, x, 1.0) - govsim::test::rbc_residuals(p, x, x, x, 0.0);
    INFO("pass " << pass);
    CHECK((J - Jfd).cwiseAbs().maxCoeff() < 1e-7);
  }
}

TEST_CASE("rbc first-order solution matches Dynare", "[perturbation][dynare]") {
  const auto path = govsim::test::reference_case("rbc");
  if (!path) return;
  const Json ref = Json::parse_file(path->string());
  const Vector ss_ref = ref["steady_state"].as_vector();
  const Vector ss = govsim::test::rbc_steady_state();
  CHECK(govsim::test::scaled_deviation(ss, ss_ref) < 1e-12 / 1e-8);
  const auto sol = dsge::solve_first_order(govsim::test::rbc_model());
  compare_solution_with_dynare(sol, ref);
  CHECK(sol.n_infinite == 1);
}

TEST_CASE("nk3 with phi_pi = 0.5 is indeterminate", "[perturbation]") {
  govsim::test::Nk3Params p;
  p.phi_pi = 0.5;
  const auto sol = dsge::solve_first_order(govsim::test::nk3_model(p));
  CHECK(sol.status == Status::Indeterminate);
  CHECK_FALSE(sol.ok());
  CHECK_FALSE(sol.determinate);
  CHECK(sol.n_forward == 2);
  CHECK(sol.n_explosive == 1);
  CHECK(sol.eigenvalues.size() == 6);
  CHECK(sol.message.find("indeterminacy") != std::string::npos);
  CHECK(sol.message.find("1 eigenvalue(s)") != std::string::npos);
  CHECK(sol.message.find("2 forward-looking") != std::string::npos);
  CHECK(sol.summary().find("Indeterminate") != std::string::npos);
}

TEST_CASE("explosive exogenous process: no stable solution", "[perturbation]") {
  govsim::test::Nk3Params p;
  p.rho_d = 1.2;
  const auto sol = dsge::solve_first_order(govsim::test::nk3_model(p));
  CHECK(sol.status == Status::NoStableSolution);
  CHECK(sol.n_explosive == 3);
  CHECK(sol.n_forward == 2);
  CHECK(sol.message.find("no stable equilibrium") != std::string::npos);
  CHECK(sol.message.find("1.2") != std::string::npos);
}

TEST_CASE("unit root counts as stable (qz_criterium 1 + 1e-6)", "[perturbation]") {
  // x = x(-1) + e: a random walk; Dynare accepts it (the root 1 is below 1 + 1e-6).
  dsge::LinearizedModel m;
  m.endo_names = {"x"};
  m.exo_names = {"e"};
  m.lagged = {0};
  m.jacobian = (Matrix(1, 3) << -1.0, 1.0, -1.0).finished();
  m.Sigma_e = Matrix::Identity(1, 1);
  const auto sol = dsge::solve_first_order(m);
  REQUIRE(sol.ok());
  CHECK(sol.ghx(0, 0) == Approx(1.0));
  CHECK(sol.ghu(0, 0) == Approx(1.0));
  CHECK(sol.n_explosive == 0);
}

TEST_CASE("purely static model", "[perturbation]") {
  // y = 2 x + e1 ; x = 3 e2  (no lags, no leads)
  dsge::LinearizedModel m;
  m.endo_names = {"y", "x"};
  m.exo_names = {"e1", "e2"};
  m.steady_state = Vector::Zero(2);
  m.jacobian = (Matrix(2, 4) << 1, -2, -1, 0,  //
                0, 1, 0, -3)
                   .finished();
  m.Sigma_e = Matrix::Identity(2, 2);
  const auto sol = dsge::solve_first_order(m);
  REQUIRE(sol.ok());
  CHECK(sol.n_static == 2);
  CHECK(sol.ghx.cols() == 0);
  CHECK(sol.state_names.empty());
  CHECK(sol.eigenvalues.size() == 0);
  const Matrix expected = (Matrix(2, 2) << 1, 6, 0, 3).finished();
  CHECK((sol.ghu - expected).cwiseAbs().maxCoeff() < 1e-14);
}

TEST_CASE("static variables with mixed variables and a forward-only model", "[perturbation]") {
  // Mixed variable: x = 0.5 x(-1) + 0.2 x(+1) + e; s = x + x(-1) (static).
  // Solution x_t = h x_{t-1} + g e_t with 0.2 h^2 - h + 0.5 = 0 (stable root) and g = 1/(1 - 0.2 h).
  dsge::LinearizedModel m;
  m.endo_names = {"s", "x"};
  m.exo_names = {"e"};
  m.lagged = {1};
  m.leads = {1};
  // cols: lag x | cur s, x | lead x | e
  m.jacobian = (Matrix(2, 5) << 0.5, 0, 1, -0.2, -1,  //  x - 0.5x(-1) - 0.2 x(+1) - e written as -( ... )
                -1, 1, -1, 0, 0)
                   .finished();
  m.jacobian.row(0) << -0.5, 0, 1, -0.2, -1;
  m.Sigma_e = Matrix::Identity(1, 1);
  const auto sol = dsge::solve_first_order(m);
  REQUIRE(sol.ok());
  const double h = (1 - std::sqrt(1 - 4 * 0.2 * 0.5)) / (2 * 0.2);
  CHECK(sol.n_mixed == 1);
  CHECK(sol.n_static == 1);
  CHECK(sol.state_names == Names{"x"});
  CHECK(sol.ghx(1, 0) == Approx(h).epsilon(1e-12));
  CHECK(sol.ghu(1, 0) == Approx(1 / (1 - 0.2 * h)).epsilon(1e-12));
  CHECK(sol.ghx(0, 0) == Approx(h + 1).epsilon(1e-12));
  CHECK(sol.ghu(0, 0) == Approx(1 / (1 - 0.2 * h)).epsilon(1e-12));
  CHECK(sol.eigenvalues.size() == 2);  // nspred + nsfwrd = 1 + 1 (with one identity row)
  CHECK(sol.n_explosive == 1);

  // Purely forward: p = 0.5 p(+1) + e (one explosive root 2, one forward variable).
  dsge::LinearizedModel f;
  f.endo_names = {"p"};
  f.exo_names = {"e"};
  f.leads = {0};
  f.jacobian = (Matrix(1, 3) << 1, -0.5, -1).finished();
  const auto fs = dsge::solve_first_order(f);
  REQUIRE(fs.ok());
  CHECK(fs.ghx.cols() == 0);
  CHECK(fs.ghu(0, 0) == Approx(1.0));
}

TEST_CASE("rank failure of the static block and misuse", "[perturbation]") {
  dsge::LinearizedModel m;
  m.endo_names = {"y", "x"};
  m.exo_names = {"e"};
  m.jacobian = (Matrix(2, 3) << 1, 1, -1, 2, 2, -2).finished();  // singular
  const auto sol = dsge::solve_first_order(m);
  CHECK(sol.status == Status::Singular);

  auto bad = govsim::test::nk3_model();
  bad.jacobian.conservativeResize(6, 14);
  CHECK_THROWS_AS(dsge::solve_first_order(bad), DimensionError);
  auto bad2 = govsim::test::nk3_model();
  bad2.lagged = {3, 2, 4, 5};
  CHECK_THROWS_AS(dsge::solve_first_order(bad2), ModelError);
  dsge::PerturbationOptions o;
  o.qz_criterium = -1;
  CHECK_THROWS_AS(dsge::solve_first_order(govsim::test::nk3_model(), o), OptionsError);
}

TEST_CASE("badly scaled model: the first-order conditions hold to round-off", "[perturbation][dynare]") {
  // Phillips-curve slope 6e9 beside coefficients of order one (fixture comment). Per equation,
  // the residual of  Jm x_{t-1} + J0 ghx + Jp ghx_+ ghx_s  (and of the ghu equation) relative to
  // the largest of its terms: the ordered QZ alone leaves 5e-7 here, Newton refinement 1e-16.
  const dsge::Model model = dsge::parse_model_file(std::string(GOVSIM_FIXTURES_DIR) + "/models/nk_flexprice_limit.mod");
  const auto ss = dsge::solve_steady_state(model);
  REQUIRE(ss.ok());
  const dsge::LinearizedModel lin = dsge::linearize(model, ss.values);
  const auto sol = dsge::solve_first_order(lin);
  REQUIRE(sol.ok());
  const Index n = static_cast<Index>(lin.endo_names.size()), nl = static_cast<Index>(lin.lagged.size());
  const Index nf = static_cast<Index>(lin.leads.size()), nx = static_cast<Index>(lin.exo_names.size());
  const Index nst = static_cast<Index>(sol.state_indices.size());
  REQUIRE(nst == nl);
  // lagged columns in the order of the states; rows of ghx for the led variables and the states
  Matrix Jm(n, nst), Gp(nf, nst), Gs(nst, nst), Us(nst, nx);
  for (Index s = 0; s < nst; ++s) {
    const Index v = sol.state_indices[static_cast<std::size_t>(s)];
    const auto k = std::find(lin.lagged.begin(), lin.lagged.end(), v) - lin.lagged.begin();
    Jm.col(s) = lin.jacobian.col(k);
    Gs.row(s) = sol.ghx.row(v);
    Us.row(s) = sol.ghu.row(v);
  }
  for (Index f = 0; f < nf; ++f) Gp.row(f) = sol.ghx.row(lin.leads[static_cast<std::size_t>(f)]);
  const Matrix J0 = lin.jacobian.middleCols(nl, n), Jp = lin.jacobian.middleCols(nl + n, nf);
  const Matrix Ju = lin.jacobian.rightCols(nx);
  const Matrix Rx = Jm + J0 * sol.ghx + Jp * Gp * Gs;
  const Matrix Sx = Jm.cwiseAbs() + J0.cwiseAbs() * sol.ghx.cwiseAbs() + Jp.cwiseAbs() * Gp.cwiseAbs() * Gs.cwiseAbs();
  const Matrix Ru = Ju + J0 * sol.ghu + Jp * Gp * Us;
  const Matrix Su = Ju.cwiseAbs() + J0.cwiseAbs() * sol.ghu.cwiseAbs() + Jp.cwiseAbs() * Gp.cwiseAbs() * Us.cwiseAbs();
  double worst_x = 0.0, worst_u = 0.0;
  for (Index i = 0; i < n; ++i) {
    worst_x = std::max(worst_x, Rx.row(i).cwiseAbs().maxCoeff() / Sx.row(i).maxCoeff());
    worst_u = std::max(worst_u, Ru.row(i).cwiseAbs().maxCoeff() / Su.row(i).maxCoeff());
  }
  INFO("ghx residual " << worst_x << ", ghu residual " << worst_u);
  CHECK(worst_x < 1e-14);
  CHECK(worst_u < 1e-14);
  // Dynare 5.3 (declaration order; states i, a, nu): it carries the QZ round-off (1.5e-10
  // relative in the large entries), well inside the 1e-8 comparison
  const Matrix ghx_dynare = (Matrix(8, 3) << -2.6666666662255882, -0.44999999993296774, -3.0555555551188247,  //
                             -4.444439442220017e-10, -6.7574961833382483e-11, -4.4050887185543699e-10,         //
                             1.2121213424257939e-10, -0.13499999998157974, -0.41666666654666074,               //
                             4.4444449216932703e-10, -0.089999999933242619, 4.0543901569378704e-10,           //
                             -2.6666666712122548e-09, -4.0545000069195952e-10, -2.6430555600959263e-09,       //
                             2.7400059867336118e-16, -0.089999999999999983, -1.5700924586837754e-16,          //
                             0, 0.8999999999999998, -3.909804729757236e-17,                                    //
                             0, 0, 0.5)
                                .finished();
  const Matrix ghu_dynare = (Matrix(8, 2) << -0.49999999992551997, -6.111111110237653,  //
                             -7.5083333461474001e-11, -8.8101852003197596e-10,          //
                             -0.14999999997953306, -0.83333333309332114,                //
                             -0.099999999925825048, 8.108792278554142e-10,              //
                             -4.5050000076884406e-10, -5.2861111201918559e-09,          //
                             -0.099999999999999936, 1.7828883875470846e-16,             //
                             1, 0,                                                      //
                             3.0278809789561885e-18, 1)
                                .finished();
  REQUIRE(sol.state_names == Names{"i", "a", "nu"});
  // entries below 1e-3 of the largest are compared in absolute terms (1e-11 of the largest)
  auto dev = [](const Matrix& g, const Matrix& d) {
    const double S = d.cwiseAbs().maxCoeff();
    return ((g - d).cwiseAbs().array() / d.cwiseAbs().array().max(1e-3 * S)).maxCoeff();
  };
  CHECK(dev(sol.ghx, ghx_dynare) < 1e-8);
  CHECK(dev(sol.ghu, ghu_dynare) < 1e-8);
}
