// IOTable construction, validation and coefficients; Make/Use; aggregation.
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/io.hpp>

#include "io_fixtures.hpp"

using namespace govsim;
using namespace govsim::io;

TEST_CASE("IOTable computes A, B and output from flows", "[io]") {
  IOTable t(test::textbook_data());
  REQUIRE(t.n() == 3);
  const Vector x = t.x();
  CHECK(x(0) == Approx(1000));
  CHECK(x(1) == Approx(2000));
  const Matrix A = t.A(), Z = t.Z();
  for (Index i = 0; i < 3; ++i)
    for (Index j = 0; j < 3; ++j) {
      CHECK(A(i, j) == Approx(Z(i, j) / x(j)).epsilon(1e-14));
      CHECK(t.B()(i, j) == Approx(Z(i, j) / x(i)).epsilon(1e-14));
    }
  CHECK(t.diagnostics().max_row_imbalance < 1e-15);
  CHECK(t.diagnostics().max_column_sum_A < 1.0);
  CHECK(t.labels() == Names{"agriculture", "manufacturing", "services"});
}

TEST_CASE("IOTable rejects bad input with specific messages", "[io]") {
  SECTION("NaN names the entry") {
    auto d = test::textbook_data();
    d.Z(1, 2) = std::nan("");
    CHECK_THROWS_WITH(IOTable(d), Catch::Contains("'manufacturing'") && Catch::Contains("'services'") &&
                                      Catch::Contains("non-finite"));
  }
  SECTION("negative gross output names the sector") {
    auto d = test::textbook_data();
    d.x = Vector(3);
    d.x << 1000, -5, 1000;
    CHECK_THROWS_AS(IOTable(d), DataError);
    CHECK_THROWS_WITH(IOTable(d), Catch::Contains("'manufacturing'") && Catch::Contains("negative"));
  }
  SECTION("label count mismatch") {
    auto d = test::textbook_data();
    d.sectors.pop_back();
    CHECK_THROWS_AS(IOTable(d), DimensionError);
  }
  SECTION("duplicate labels") {
    auto d = test::textbook_data();
    d.sectors[2] = "agriculture";
    CHECK_THROWS_WITH(IOTable(d), Catch::Contains("duplicate label 'agriculture'"));
  }
  SECTION("non-square Z") {
    IOTableData d;
    d.Z = Matrix::Ones(2, 3);
    d.sectors = {"a", "b"};
    CHECK_THROWS_AS(IOTable(d), DimensionError);
  }
  SECTION("spectral radius >= 1 names the sectors") {
    IOTableData d;
    d.Z.resize(2, 2);
    d.Z << 60, 80, 70, 50;  // columns of A sum above one
    d.x = Vector::Constant(2, 100.0);
    d.sectors = {"steel", "coal"};
    CHECK_THROWS_AS(IOTable(d), ModelError);
    CHECK_THROWS_WITH(IOTable(d), Catch::Contains("spectral radius") && Catch::Contains("'steel'"));
  }
  SECTION("imbalance beyond a requested tolerance") {
    auto d = test::textbook_data();
    d.x = Vector(3);
    d.x << 1100, 2000, 1000;
    IOTableOptions o;
    o.max_relative_imbalance = 0.01;
    CHECK_THROWS_WITH(IOTable(d, o), Catch::Contains("'agriculture'") && Catch::Contains("unbalanced"));
    IOTable accepted(d);  // default: reported, not rejected
    CHECK(accepted.diagnostics().max_row_imbalance == Approx(100.0 / 1100.0));
    CHECK(accepted.diagnostics().worst_row == 0);
  }
}

TEST_CASE("zero-output sectors are handled without division by zero", "[io]") {
  IOTableData d;
  d.Z = Matrix::Zero(3, 3);
  d.Z(0, 1) = 10;
  d.Z(1, 0) = 20;
  d.Y = Matrix::Zero(3, 1);
  d.Y(0, 0) = 90;
  d.Y(1, 0) = 80;
  d.sectors = {"a", "b", "idle"};
  IOTable t(d);
  REQUIRE(t.diagnostics().zero_output == std::vector<Index>{2});
  CHECK(t.A().allFinite());
  CHECK(t.B().allFinite());
  CHECK(t.A().col(2).isZero());
  LeontiefModel m(t);
  REQUIRE(m.ok());
  Matrix dx = m.output_change(Vector::Ones(3));
  CHECK(dx.allFinite());
  ExtractionResult e = hypothetical_extraction(t, m);
  CHECK(e.total(2) == 0.0);
  CHECK(e.total.allFinite());
}

TEST_CASE("aggregation sums flows and preserves totals", "[io]") {
  IOTable t(test::textbook_data());
  IOTable a = t.aggregate({0, 1, 1}, {"primary", "rest"});
  REQUIRE(a.n() == 2);
  CHECK(a.Z()(1, 1) == Approx(100 + 400 + 500 + 50));
  CHECK(a.x().sum() == Approx(t.x().sum()));
  CHECK(a.Y().sum() == Approx(t.Y().sum()));
  CHECK(a.value_added().sum() == Approx(t.value_added().sum()));
  CHECK_THROWS_AS(t.aggregate({0, 1}, {"a", "b"}), DimensionError);
  CHECK_THROWS_AS(t.aggregate({0, 5, 1}, {"a", "b"}), DimensionError);
  CHECK_THROWS_WITH(t.aggregate({0, 0, 0}, {"a", "b"}), Catch::Contains("'b' receives no sector"));
}

TEST_CASE("Make/Use with the industry technology assumption", "[io]") {
  MakeUseData d;
  d.industries = {"farm", "factory"};
  d.commodities = {"food", "goods", "imports_nc"};
  d.make.resize(2, 3);
  d.make << 90, 10, 0,   // farm makes mostly food
            5, 195, 0;   // factory makes mostly goods; nobody makes imports_nc
  d.use.resize(3, 2);
  d.use << 10, 30,
           20, 40,
           3, 7;
  d.final_demand.resize(3, 1);
  d.final_demand << 55, 145, -10;
  d.value_added.resize(1, 2);
  d.value_added << 67, 123;
  d.value_added_names = {"va"};
  d.final_demand_names = {"households"};
  const Vector q = d.make.colwise().sum();
  const Vector g = d.make.rowwise().sum();

  SECTION("industry by industry: Z = D U") {
    IOTable t = from_make_use(d, MakeUseTable::IndustryByIndustry);
    Matrix D = d.make;
    for (Index c = 0; c < 3; ++c) D.col(c) = q(c) > 0 ? Vector(D.col(c) / q(c)) : Vector::Zero(2);
    CHECK((t.Z() - D * d.use).norm() < 1e-12);
    CHECK((t.Y() - D * d.final_demand).norm() < 1e-12);
    CHECK((t.x() - g).norm() < 1e-12);
    // The commodity nobody makes becomes a primary-input row, keeping columns balanced.
    REQUIRE(t.value_added_names().size() == 2);
    CHECK(t.value_added()(1, 0) == 3);
    CHECK(t.value_added()(1, 1) == 7);
  }
  SECTION("commodity by commodity: Z = U g^-1 V") {
    IOTable t = from_make_use(d, MakeUseTable::CommodityByCommodity);
    Matrix expected = d.use * g.cwiseInverse().asDiagonal() * d.make;
    CHECK((t.Z() - expected).norm() < 1e-12);
    CHECK((t.x() - q).norm() < 1e-12);
    CHECK(t.diagnostics().zero_output == std::vector<Index>{2});
  }
  SECTION("shape errors") {
    MakeUseData bad = d;
    bad.use.resize(2, 2);
    CHECK_THROWS_AS(from_make_use(bad), DimensionError);
  }
}

TEST_CASE("productivity check is exact for reducible and periodic A", "[io]") {
  auto table = [](Matrix Z, Vector x) {
    IOTableData d;
    d.Z = std::move(Z);
    d.x = std::move(x);
    for (Index i = 0; i < d.Z.rows(); ++i) d.sectors.push_back("s" + std::to_string(i));
    return d;
  };
  SECTION("a sector that sells no intermediate inputs does not hide rho > 1") {
    Matrix Z(3, 3);
    Z << 1, 2, 0, 2, 11, 1, 0, 0, 0;  // rho(A) = 1.26 (numpy)
    Vector x(3);
    x << 10, 9, 10;
    CHECK_THROWS_AS(IOTable(table(Z, x)), ModelError);
    CHECK(spectral_radius(Eigen::Map<Matrix>(Matrix(Z * x.cwiseInverse().asDiagonal()).data(), 3, 3)).estimate ==
          Approx(1.2614).epsilon(1e-3));
  }
  SECTION("periodic A") {
    Matrix A(2, 2);
    A << 0, 4, 0.5, 0;  // rho = sqrt(2)
    SpectralRadius r = spectral_radius(A);
    CHECK(r.converged);
    CHECK(r.estimate == Approx(std::sqrt(2.0)).epsilon(1e-9));
    A << 0, 1.5, 0.01, 0;  // rho = sqrt(0.015) = 0.1225
    CHECK(spectral_radius(A).estimate == Approx(std::sqrt(0.015)).epsilon(1e-9));
    Vector x = Vector::Constant(2, 100.0);
    Matrix Z(2, 2);
    Z << 0, 400, 50, 0;  // same periodic structure, rho = sqrt(2)
    CHECK_THROWS_AS(IOTable(table(Z, x)), ModelError);
  }
  SECTION("productive despite a column sum above one") {
    Matrix Z(2, 2);
    Z << 10, 150, 5, 10;  // column 2 of A sums to 1.6, rho = 0.37
    Vector x = Vector::Constant(2, 100.0);
    IOTable t(table(Z, x));
    CHECK(t.diagnostics().max_column_sum_A == Approx(1.6));
    Matrix A = t.A();
    const double rho = 0.1 + std::sqrt(1.5 * 0.05);  // eigenvalues of [[.1,1.5],[.05,.1]]
    CHECK(t.spectral_radius().estimate == Approx(rho).epsilon(1e-9));
  }
}
