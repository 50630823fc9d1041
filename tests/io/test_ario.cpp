// ARIO: baseline stability, accounting every day, non-negative stocks, recovery modes, and the
// NDL flood on the 26-region world table (figures printed for the README).
#include <catch2/catch.hpp>

#include <govsim/core/error.hpp>
#include <govsim/io/ario.hpp>
#include <govsim/io/io_table.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "io_fixtures.hpp"
#include "support.hpp"

using namespace govsim;
using namespace govsim::io;

namespace {

/// Two-region table built from the random fixture: sectors a, b, c in regions R1 and R2.
IOTable two_region_table() {
  auto d = test::random_data(6, 11);
  d.sectors = {"a", "b", "c", "a", "b", "c"};
  d.regions = {"R1", "R1", "R1", "R2", "R2", "R2"};
  Vector f = d.Y.col(0).cwiseMax(0.2 * d.x);  // positive final demand; x recomputed as Z 1 + Y 1
  d.x = Vector();
  d.value_added = Matrix();
  d.value_added_names.clear();
  Matrix Y(6, 2);
  Y.col(0) = 0.6 * f;
  Y.col(1) = 0.4 * f;
  d.Y = Y;
  d.final_demand = {"fd_R1", "fd_R2"};
  d.final_demand_regions = {"R1", "R2"};
  return IOTable(d);
}

// Reads the CSV layout of ../shared/data/io/<table>: `header_rows` header lines and two index columns.
Matrix read_block(const std::string& path, int header_rows, Names* rows0 = nullptr, Names* rows1 = nullptr,
                  Names* col0 = nullptr) {
  std::ifstream in(path);
  std::string line;
  std::vector<std::vector<double>> vals;
  int k = 0;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string cell;
    std::vector<std::string> cells;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (k++ < header_rows) {
      if (k == 1 && col0) col0->assign(cells.begin() + 2, cells.end());
      continue;
    }
    if (rows0) rows0->push_back(cells[0]);
    if (rows1) rows1->push_back(cells[1]);
    std::vector<double> row;
    for (std::size_t c = 2; c < cells.size(); ++c) row.push_back(cells[c].empty() ? 0.0 : std::stod(cells[c]));
    vals.push_back(std::move(row));
  }
  Matrix M(static_cast<Index>(vals.size()), vals.empty() ? 0 : static_cast<Index>(vals[0].size()));
  for (Index i = 0; i < M.rows(); ++i)
    for (Index j = 0; j < M.cols(); ++j) M(i, j) = vals[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  return M;
}

}  // namespace

TEST_CASE("ARIO without events stays at baseline to 1e-10", "[io][dynamic_io][ario]") {
  IOTable t = two_region_table();
  for (auto ot : {OrderType::Alt, OrderType::NoAlt}) {
    ArioOptions o;
    o.order_type = ot;
    o.n_steps = 400;
    ArioModel m(t, o);
    auto r = m.run({});
    REQUIRE(r.ok());
    const Matrix base = m.baseline_production().transpose().replicate(400, 1);
    CHECK((r.production - base).cwiseAbs().maxCoeff() / m.baseline_production().maxCoeff() < 1e-10);
    CHECK(r.final_demand_unmet.cwiseAbs().maxCoeff() < 1e-10);
    CHECK((r.overproduction.array() - 1.0).abs().maxCoeff() < 1e-12);
    CHECK(r.inventories.row(399).isApprox(r.inventories.row(0), 1e-10));
  }
}

TEST_CASE("ARIO accounting holds every day; stocks stay non-negative; capital is rebuilt", "[io][dynamic_io][ario]") {
  IOTable t = two_region_table();
  ArioOptions o;
  o.n_steps = 730;
  ArioModel m(t, o);
  ArioEvent e;
  e.damage = distribute_damage(t, "R1", 0.02 * m.capital().head(3).sum());
  e.rebuilding_sectors = {"b", "c"};
  e.rebuilding_shares = {0.55, 0.45};
  e.tau = 90;
  auto r = m.run({e});
  REQUIRE(r.ok());
  const double scale = m.baseline_production().sum();
  CHECK(r.conservation_error.maxCoeff() / scale < 1e-12);
  CHECK(r.min_stock.minCoeff() >= 0.0);
  CHECK(r.production.row(0).isApprox(m.baseline_production().transpose(), 1e-12));  // day 0 before the event
  CHECK(r.damage(1, 0) > 0);
  CHECK(r.damage.row(729).sum() < 1e-3 * r.damage.row(1).sum());  // rebuilt
  CHECK(r.production_loss_by_region.sum() == Approx(r.production_loss.sum()));  // rebuilding can make it negative
  CHECK(r.trough_day[0] >= 1);
  CHECK(r.trough_depth(0) > 0.0);
  // BoARIO: rebuilding demand starts on day occurrence + duration (default duration 1)
  CHECK(r.rebuild_demand.row(1).sum() == 0.0);
  CHECK(r.damage.row(2).sum() == Approx(r.damage.row(1).sum()).epsilon(1e-12));
  CHECK(r.rebuild_demand.row(2).sum() == Approx(r.damage.row(2).sum() / 90.0).epsilon(1e-12));
  CHECK(std::abs(r.production_loss_by_sector.sum() - r.production_loss.sum()) < 1e-9 * scale);

  // exogenous curves: damage γ0 until day occurrence + duration, then f(s) with
  // s = t - occurrence - duration (BoARIO 0.5 applies the curve at the start of each step)
  for (auto mode : {CapitalRecovery::Linear, CapitalRecovery::Convex, CapitalRecovery::Concave,
                    CapitalRecovery::ConvexScaled, CapitalRecovery::SShaped}) {
    for (int duration : {1, 7}) {
      ArioEvent x = e;
      x.recovery = mode;
      x.tau = 100;
      x.duration = duration;
      auto q = m.run({x});
      REQUIRE(q.ok());
      CHECK(q.rebuild_demand.cwiseAbs().maxCoeff() == 0.0);
      CHECK(q.conservation_error.maxCoeff() / scale < 1e-12);
      CHECK(q.min_stock.minCoeff() >= 0.0);
      const double g0 = q.damage.row(1).sum();
      const int s0 = 1 + duration;  // first day with s = 0
      CHECK(q.damage.row(s0).sum() == Approx(g0).epsilon(1e-14));
      CHECK(q.damage.row(s0 - 1).sum() == Approx(g0).epsilon(1e-14));
      const double s = 50, tau = 100;
      double f = 0;
      switch (mode) {
        case CapitalRecovery::Linear: f = 1 - s / tau; break;
        case CapitalRecovery::Convex: f = std::pow(1 - 1 / tau, s); break;
        case CapitalRecovery::Concave: f = 1 - (s / tau) * (s / tau); break;
        case CapitalRecovery::ConvexScaled: f = std::pow(1 - 1 / tau, 4 * s); break;
        default: {
          const double ex = (std::log(tau) - std::log(1e-6)) / (std::log(tau) - std::log(2.0));
          f = tau / (tau + 1e-6 * std::pow(s, ex));
          CHECK(f == Approx(0.5).epsilon(1e-12));  // BoARIO's S-curve: half recovered after τ/2
        }
      }
      CHECK(q.damage.row(s0 + 50).sum() == Approx(f * g0).epsilon(1e-12));
      if (mode == CapitalRecovery::Linear) CHECK(q.damage.row(s0 + 100).sum() == 0.0);
    }
  }

  // a recovery function of one's own: the linear curve written out gives the Linear run exactly;
  // a non-proportional one recovers industries at their own pace
  ArioEvent lin = e;
  lin.recovery = CapitalRecovery::Linear;
  lin.tau = 100;
  ArioEvent own = lin;
  own.recovery_function = [](double s, const Vector& initial, double tau) -> Vector {
    return initial * (1.0 - s / tau);  // negative entries count as 0
  };
  auto ql = m.run({lin}), qo = m.run({own});
  REQUIRE(qo.ok());
  CHECK((qo.production - ql.production).cwiseAbs().maxCoeff() == 0.0);
  CHECK((qo.damage - ql.damage).cwiseAbs().maxCoeff() == 0.0);
  own.recovery_function = [](double s, const Vector& initial, double tau) -> Vector {
    Vector left = initial;
    if (s > 0) left(0) = 0.0;               // industry 0 back at once
    left(1) *= std::max(0.0, 1.0 - s / (2 * tau));  // industry 1 twice as slow as linear
    return left;
  };
  qo = m.run({own});
  const double d1 = ql.damage(1, 1);
  CHECK(qo.damage(3, 0) == 0.0);
  CHECK(qo.damage(2 + 40, 1) == Approx(d1 * (1 - 40.0 / 200)).epsilon(1e-14));
  own.recovery_function = [](double, const Vector&, double) -> Vector { return Vector::Zero(2); };
  CHECK_THROWS_AS(m.run({own}), DimensionError);
  own.recovery = CapitalRecovery::Rebuild;
  CHECK_THROWS_WITH(m.run({own}), Catch::Contains("exogenous recovery"));
}

TEST_CASE("ARIO event parameters: duration, rebuilding factor, households, capacity loss, monetary factor",
          "[io][dynamic_io][ario]") {
  IOTable t = two_region_table();
  ArioOptions o;
  o.n_steps = 400;
  ArioModel m(t, o);
  ArioEvent e;
  e.damage = distribute_damage(t, "R1", 0.02 * m.capital().head(3).sum());
  e.rebuilding_sectors = {"b", "c"};
  e.rebuilding_shares = {0.55, 0.45};
  e.tau = 90;
  const double scale = m.baseline_production().sum();
  const double g0 = e.damage.sum();

  // duration: no rebuilding demand before day occurrence + duration; damage unchanged until then
  e.duration = 7;
  auto r = m.run({e});
  REQUIRE(r.ok());
  CHECK(r.rebuild_demand.topRows(8).cwiseAbs().maxCoeff() == 0.0);
  CHECK(r.rebuild_demand.row(8).sum() == Approx(g0 / 90.0).epsilon(1e-12));
  CHECK(r.damage.row(8).sum() == Approx(g0).epsilon(1e-12));
  CHECK(r.damage.row(9).sum() < g0);
  CHECK(r.conservation_error.maxCoeff() / scale < 1e-12);
  // the same path as duration 1, shifted by 6 days, while the event's first days do not differ...
  e.duration = 1;
  auto r1 = m.run({e});
  CHECK(r1.rebuild_demand.row(2).sum() == Approx(r.rebuild_demand.row(8).sum()).epsilon(1e-12));
  // ...and the damage stays longer, so the loss is larger
  CHECK(r.production_loss.sum() > r1.production_loss.sum());

  // rebuilding factor: demand scaled, damage = owed / factor
  e.rebuilding_factor = 1.5;
  auto rf = m.run({e});
  REQUIRE(rf.ok());
  CHECK(rf.rebuild_demand.row(2).sum() == Approx(1.5 * g0 / 90.0).epsilon(1e-12));
  CHECK(rf.damage.row(2).sum() == Approx(g0).epsilon(1e-12));
  for (int day : {50, 100, 300})  // every day: rebuilding demand = factor x remaining damage / tau
    CHECK(rf.rebuild_demand.row(day).sum() == Approx(1.5 * rf.damage.row(day).sum() / 90.0).epsilon(1e-12));
  CHECK(rf.damage.row(100).sum() > r1.damage.row(100).sum());  // more demand, more rationing: slower
  e.rebuilding_factor = 1.0;

  // monetary factor: damage in thousands of a table in millions
  ArioOptions om = o;
  om.monetary_factor = 1e6;
  ArioModel mm(t, om);
  ArioEvent ek = e;
  ek.damage = e.damage * 1000.0;
  ek.monetary_factor = 1e3;
  auto rk = mm.run({ek});
  CHECK((rk.production - r1.production).cwiseAbs().maxCoeff() < 1e-12 * scale);

  // households: rebuilding demand without capacity loss, split like the final-demand column
  ArioEvent eh;
  eh.damage = Vector::Zero(6);
  eh.households_damage = Vector::Zero(2);
  eh.households_damage(1) = 0.5 * g0;
  eh.rebuilding_sectors = {"b"};
  eh.rebuilding_shares = {1.0};
  eh.tau = 90;
  auto rh = m.run({eh});
  REQUIRE(rh.ok());
  CHECK(rh.damage.cwiseAbs().maxCoeff() == 0.0);
  for (int day : {2, 50})
    CHECK((rh.production_capacity.row(day).array() / rh.overproduction.row(day).array())
              .matrix()
              .isApprox(m.baseline_production().transpose(), 1e-14));
  CHECK(rh.rebuild_demand.row(2).sum() == Approx(0.5 * g0 / 90.0).epsilon(1e-12));
  const Matrix& Y = t.Y();
  const double share_b1 = Y(1, 1) / (Y(1, 1) + Y(4, 1));  // industry "b" of R1 among the b's, column fd_R2
  CHECK(rh.rebuild_demand(2, 1) == Approx(share_b1 * 0.5 * g0 / 90.0).epsilon(1e-12));
  CHECK(rh.conservation_error.maxCoeff() / scale < 1e-12);

  // direct capacity loss: capacity (1 - δ) x0 at alpha 1, linear recovery after the duration
  ArioEvent ea;
  ea.production_capacity_loss = Vector::Zero(6);
  ea.production_capacity_loss(2) = 0.3;
  ea.recovery = CapitalRecovery::Linear;
  ea.tau = 20;
  ea.duration = 3;
  auto ra = m.run({ea});
  REQUIRE(ra.ok());
  CHECK(ra.production_capacity(1, 2) == Approx(0.7 * m.baseline_production()(2)).epsilon(1e-12));
  CHECK(ra.production_capacity(4, 2) / ra.overproduction(4, 2) == Approx(0.7 * m.baseline_production()(2)).epsilon(1e-12));
  CHECK(ra.production_capacity(15, 2) / ra.overproduction(15, 2) ==
        Approx((1 - 0.3 * (1 - 11.0 / 20)) * m.baseline_production()(2)).epsilon(1e-12));
  CHECK(ra.production_capacity(30, 2) / ra.overproduction(30, 2) == Approx(m.baseline_production()(2)).epsilon(1e-12));

  // bad parameters name the event
  ArioEvent bad = e;
  bad.name = "storm";
  bad.duration = -1;
  CHECK_THROWS_WITH(m.run({bad}), Catch::Contains("storm") && Catch::Contains("duration"));
  bad.duration = 1;
  bad.rebuilding_factor = 0;
  CHECK_THROWS_AS(m.run({bad}), ModelError);
  bad.rebuilding_factor = 1;
  bad.households_damage = Vector::Ones(5);
  CHECK_THROWS_AS(m.run({bad}), DimensionError);
  bad.households_damage = Vector();
  bad.production_capacity_loss = Vector::Constant(6, 1.5);
  CHECK_THROWS_AS(m.run({bad}), ModelError);
}

TEST_CASE("ARIO rebuilding demand: the shares' distribution, and a user-given matrix", "[io][dynamic_io][ario]") {
  IOTable t = two_region_table();
  ArioOptions o;
  o.n_steps = 300;
  ArioModel m(t, o);
  const double scale = m.baseline_production().sum();
  ArioEvent e;
  e.damage = distribute_damage(t, "R1", 0.02 * m.capital().head(3).sum());
  e.rebuilding_sectors = {"b", "c"};
  e.rebuilding_shares = {0.7, 0.3};
  e.rebuilding_factor = 1.25;
  e.households_damage = Vector::Zero(2);
  e.households_damage(0) = 0.1 * e.damage.sum();
  e.tau = 90;

  // identities: rebuilding demand = factor x damage, product p gets share_p of it, and the suppliers
  // of p share it like the damaged industry's purchases of p (Z(i, j) / sum of Z(i', j) over p)
  const ArioRebuildingDemand rd = m.rebuilding_demand(e);
  const Matrix& Z = t.Z();
  for (Index j = 0; j < 6; ++j) {
    CHECK(rd.industries.col(j).sum() == Approx(1.25 * e.damage(j)).epsilon(1e-13).margin(1e-300));
    CHECK(rd.damage(j) == Approx(e.damage(j)).epsilon(1e-15).margin(1e-300));
    if (!(e.damage(j) > 0)) continue;
    for (Index p : {1, 2}) {  // products b and c: rows p and p + 3
      const double share = p == 1 ? 0.7 : 0.3;
      CHECK(rd.industries(p, j) + rd.industries(p + 3, j) == Approx(1.25 * share * e.damage(j)).epsilon(1e-13));
      CHECK(rd.industries(p, j) / (1.25 * share * e.damage(j)) == Approx(Z(p, j) / (Z(p, j) + Z(p + 3, j))).epsilon(1e-13));
    }
    CHECK(rd.industries(0, j) == 0.0);
    CHECK(rd.industries(3, j) == 0.0);
  }
  CHECK(rd.households.col(0).sum() == Approx(1.25 * e.households_damage(0)).epsilon(1e-13));
  CHECK(rd.households.col(1).sum() == 0.0);
  CHECK(rd.households(1, 0) / (1.25 * 0.7 * e.households_damage(0)) ==
        Approx(t.Y()(1, 0) / (t.Y()(1, 0) + t.Y()(4, 0))).epsilon(1e-13));

  // the same matrices given by the user reproduce the run exactly
  auto r = m.run({e});
  REQUIRE(r.ok());
  ArioEvent eu = e;
  eu.rebuilding_demand = rd.industries;
  eu.households_rebuilding_demand = rd.households;
  eu.damage = Vector();
  eu.households_damage = Vector();
  eu.rebuilding_sectors.clear();
  eu.rebuilding_shares.clear();
  auto ru = m.run({eu});
  REQUIRE(ru.ok());
  CHECK((ru.production - r.production).cwiseAbs().maxCoeff() <= 1e-12 * scale);
  CHECK((ru.damage - r.damage).cwiseAbs().maxCoeff() <= 1e-12 * e.damage.sum());

  // another distribution: everything from R2's c. Demand goes there only; damage = column sums / factor
  Matrix custom = Matrix::Zero(6, 6);
  custom.row(5) = 1.25 * e.damage.transpose();
  eu.rebuilding_demand = custom;
  eu.households_rebuilding_demand = Matrix();
  auto rc = m.run({eu});
  REQUIRE(rc.ok());
  CHECK(rc.rebuild_demand.row(2).head(5).cwiseAbs().maxCoeff() == 0.0);
  CHECK(rc.rebuild_demand(2, 5) == Approx(1.25 * e.damage.sum() / 90.0).epsilon(1e-13));
  CHECK(rc.damage.row(2).sum() == Approx(e.damage.sum()).epsilon(1e-13));
  CHECK(rc.conservation_error.maxCoeff() / scale < 1e-12);
  for (int day : {50, 150})  // rebuilding demand = factor x remaining damage / tau, all of it to R2's c
    CHECK(rc.rebuild_demand(day, 5) == Approx(1.25 * rc.damage.row(day).sum() / 90.0).epsilon(1e-12));

  // a damage vector beside the matrix must be the one it implies; shapes and signs are checked
  eu.damage = e.damage;
  CHECK_NOTHROW(m.rebuilding_demand(eu));
  eu.damage = 2.0 * e.damage;
  CHECK_THROWS_WITH(m.run({eu}), Catch::Contains("rebuilding_demand implies"));
  eu.damage = Vector();
  eu.rebuilding_demand = Matrix::Ones(6, 5);
  CHECK_THROWS_AS(m.run({eu}), DimensionError);
  eu.rebuilding_demand = -custom;
  CHECK_THROWS_AS(m.run({eu}), ModelError);
  eu.rebuilding_demand = custom;
  eu.recovery = CapitalRecovery::Linear;
  CHECK_THROWS_WITH(m.run({eu}), Catch::Contains("need recovery Rebuild"));
}

TEST_CASE("ARIO rejects bad input", "[io][dynamic_io][ario]") {
  IOTable t = two_region_table();
  ArioOptions o;
  o.psi = 1.5;
  CHECK_THROWS_AS(ArioModel(t, o), OptionsError);
  ArioModel m(t);
  ArioEvent e;
  e.damage = Vector::Ones(3);
  CHECK_THROWS_AS(m.run({e}), DimensionError);
  e.damage = Vector::Ones(6);
  e.rebuilding_sectors = {"zzz"};
  e.rebuilding_shares = {1.0};
  CHECK_THROWS_AS(m.run({e}), ModelError);
  e.rebuilding_sectors = {"a"};
  e.rebuilding_shares = {0.5};
  CHECK_THROWS_AS(m.run({e}), ModelError);
  CHECK_THROWS_AS(distribute_damage(t, "nowhere", 1.0), ModelError);
}

TEST_CASE("ARIO NDL flood on the 26-region world table (BoARIO setting)", "[io][dynamic_io][ario][ario_ndl]") {
  auto dir = test::shared_dir();
  if (!dir || !std::filesystem::exists(*dir / "data/io/world_2000_26r23s/Z.csv")) {
    GOVSIM_SKIP("skipped: ../shared/data/io/world_2000_26r23s not found (set GOVSIM_SHARED_DIR)");
  }
  const std::string base = (*dir / "data/io/world_2000_26r23s").string();
  IOTableData d;
  Names regions, sectors, fdreg;
  d.Z = read_block(base + "/Z.csv", 3, &regions, &sectors);
  d.Y = read_block(base + "/Y.csv", 3, nullptr, nullptr, &fdreg);
  Names xr, xs;
  Matrix x = read_block(base + "/x.csv", 1, &xr, &xs);
  d.x = x.col(0);
  d.regions = regions;
  d.sectors = sectors;
  d.final_demand_regions = fdreg;
  for (std::size_t c = 0; c < fdreg.size(); ++c) d.final_demand.push_back(fdreg[c] + "_" + std::to_string(c));
  IOTable t(d);
  REQUIRE(t.n() == 598);
  ArioOptions o;  // BoARIO defaults, with the settings
  o.n_steps = 730;
  o.alpha_base = 1.0;
  o.alpha_max = 1.25;
  o.alpha_tau = 365;
  o.main_inv_dur = 90;
  o.psi = 0.80;
  o.inventory_restoration_tau = 60;
  o.capital_to_value_added = 4.0;
  o.order_type = OrderType::Alt;
  ArioModel m(t, o);
  ArioEvent e;
  e.damage = distribute_damage(t, "NDL", 20000.0);  // USD 20 bn, table in USD million
  e.rebuilding_sectors = {"F", "D29"};
  e.rebuilding_shares = {0.55, 0.45};
  e.tau = 180;
  auto r = m.run({e});
  REQUIRE(r.ok());
  const double scale = m.baseline_production().sum();
  CHECK(r.conservation_error.maxCoeff() / scale < 1e-12);
  CHECK(r.min_stock.minCoeff() >= 0.0);
  const Index ndl = std::find(r.regions.begin(), r.regions.end(), "NDL") - r.regions.begin();
  REQUIRE(ndl < static_cast<Index>(r.regions.size()));
  double ndl_base = 0;
  for (Index i = 0; i < t.n(); ++i)
    if (m.region_names()[static_cast<std::size_t>(m.region_of()[static_cast<std::size_t>(i)])] == "NDL")
      ndl_base += m.baseline_production()(i);
  WARN("NDL flood: trough day " << r.trough_day[static_cast<std::size_t>(ndl)] << ", trough depth "
                                << 100.0 * r.trough_depth(ndl) << " % of NDL daily production, cumulative NDL loss "
                                << r.production_loss_by_region(ndl) << " USD million ("
                                << 100.0 * r.production_loss_by_region(ndl) / (ndl_base * 365.0)
                                << " % of annual NDL output); world loss " << r.production_loss.sum()
                                << "; remaining damage day 729 " << r.damage.row(729).sum());
  CHECK(r.trough_depth(ndl) > 0.0);
  CHECK(r.production_loss_by_region(ndl) > 0.0);
  CHECK(r.damage.row(729).sum() < r.damage.row(1).sum());
  // BoARIO 019d82cb/fccfebb on the same case (bench/compare_boario.py): trough day 180, depth 1.4984 %,
  // cumulative NDL loss 1,846.22 USD million; govsim reproduces the path to ~1e-10 of baseline.
  CHECK(r.trough_day[static_cast<std::size_t>(ndl)] == 180);
  CHECK(100.0 * r.trough_depth(ndl) == Approx(1.4984).epsilon(1e-3));
  CHECK(r.production_loss_by_region(ndl) == Approx(1846.22).epsilon(1e-3));
}
