// Multi-regional tables: regional multipliers, effects by region, footprints.
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
// Two regions x three sectors, final demand owned by each region (two categories each).
IOTable two_region_table() {
  IOTableData d = test::random_data(6, 21);
  d.regions = {"north", "north", "north", "south", "south", "south"};
  d.sectors = {"agr", "man", "srv", "agr", "man", "srv"};
  Matrix Y(6, 4);
  const Vector f = d.Y.col(0);
  Y.col(0) = 0.5 * f;
  Y.col(1) = 0.2 * f;
  Y.col(2) = 0.2 * f;
  Y.col(3) = 0.1 * f;
  d.Y = Y;
  d.final_demand = {"north/hh", "north/gov", "south/hh", "south/gov"};
  d.final_demand_regions = {"north", "north", "south", "south"};
  d.satellite = Matrix(1, 6);
  d.satellite << 5, 9, 2, 6, 12, 3;
  d.satellite_names = {"co2"};
  return IOTable(d);
}
}  // namespace

TEST_CASE("MRIO labels and regional multipliers", "[io][mrio]") {
  IOTable t = two_region_table();
  REQUIRE(t.is_multiregional());
  CHECK(t.region_list() == Names{"north", "south"});
  CHECK(t.labels()[4] == "south/man");
  CHECK(t.index_of("south/man") == 4);
  LeontiefModel m(t);
  RegionalMultipliers r = regional_multipliers(t, m);
  const Matrix L = (Matrix::Identity(6, 6) - t.A()).inverse();
  for (Index j = 0; j < 6; ++j) {
    const double north = L.col(j).head(3).sum(), south = L.col(j).tail(3).sum();
    CHECK(r.by_region(0, j) == Approx(north).epsilon(Tol::relative));
    CHECK(r.by_region(1, j) == Approx(south).epsilon(Tol::relative));
    CHECK(r.domestic(j) == Approx(j < 3 ? north : south).epsilon(Tol::relative));
    CHECK(r.spillover(j) == Approx(j < 3 ? south : north).epsilon(Tol::relative));
  }
  Vector shock = Vector::Zero(6);
  shock(1) = -10;
  Matrix byr = sum_by_region(t, m.output_change(shock));
  CHECK(byr(0, 0) == Approx(-10 * L.col(1).head(3).sum()));
  CHECK(byr(1, 0) == Approx(-10 * L.col(1).tail(3).sum()));
}

TEST_CASE("consumption-based footprints", "[io][mrio]") {
  IOTable t = two_region_table();
  LeontiefModel m(t);
  Footprint f = footprint(t, m, "co2");
  const Matrix L = (Matrix::Identity(6, 6) - t.A()).inverse();
  const Vector e = t.per_unit_output(t.satellite().row(0).transpose());
  const Vector yn = t.Y().col(0) + t.Y().col(1), ys = t.Y().col(2) + t.Y().col(3);
  CHECK(f.consumption_based(0) == Approx(e.dot(L * yn)).epsilon(Tol::relative));
  CHECK(f.consumption_based(1) == Approx(e.dot(L * ys)).epsilon(Tol::relative));
  CHECK(f.production_based(0) == Approx(5 + 9 + 2));
  // With all final demand assigned to a region, footprints add up to production.
  CHECK(f.consumption_based.sum() == Approx(f.production_based.sum()).epsilon(1e-9));
  CHECK(f.flows.rowwise().sum().isApprox(f.production_based, 1e-9));
  IOTable single(test::textbook_data());
  LeontiefModel ms(single);
  CHECK_THROWS_WITH(footprint(single, ms, "employment"), Catch::Contains("no region labels"));
  CHECK_THROWS_AS(footprint(t, m, "water"), DataError);
}
