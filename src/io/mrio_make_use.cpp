// Multi-regional analysis and Make/Use conversion.
#include <govsim/core/error.hpp>
#include <govsim/io/make_use.hpp>
#include <govsim/io/mrio.hpp>

#include <algorithm>
#include <vector>

namespace govsim::io {
namespace {
void require_regions(const IOTable& t, const char* what) {
  if (!t.is_multiregional()) throw DataError(std::string(what) + ": the table has no region labels (not an MRIO table)");
}
}  // namespace

Matrix sum_by_region(const IOTable& t, const Eigen::Ref<const Matrix>& values) {
  require_regions(t, "sum_by_region");
  if (values.rows() != t.n())
    throw DimensionError("sum_by_region: " + std::to_string(values.rows()) + " rows, expected " + std::to_string(t.n()));
  const auto idx = t.region_index();
  Matrix out = Matrix::Zero(Index(t.region_list().size()), values.cols());
  for (Index i = 0; i < t.n(); ++i) out.row(idx[i]) += values.row(i);
  return out;
}

RegionalMultipliers regional_multipliers(const IOTable& t, const LeontiefModel& model) {
  require_regions(t, "regional_multipliers");
  RegionalMultipliers r;
  r.labels = t.labels();
  r.regions = t.region_list();
  const auto idx = t.region_index();
  const Index R = Index(r.regions.size()), n = t.n();
  Matrix indicators = Matrix::Zero(n, R);
  for (Index i = 0; i < n; ++i) indicators(i, idx[i]) = 1.0;
  r.by_region = model.solve_transpose(indicators).transpose();  // R x n: 1_r' L
  r.total = r.by_region.colwise().sum().transpose();
  r.domestic.resize(n);
  for (Index j = 0; j < n; ++j) r.domestic(j) = r.by_region(idx[j], j);
  r.spillover = r.total - r.domestic;
  return r;
}

Footprint footprint(const IOTable& t, const LeontiefModel& model, const std::string& account) {
  require_regions(t, "footprint");
  if (t.final_demand_regions().empty())
    throw DataError("footprint: final-demand columns have no regions (set final_demand_regions)");
  Footprint f;
  f.account = account;
  f.regions = t.region_list();
  const Index R = Index(f.regions.size());
  const Vector e = t.per_unit_output(t.account(account));
  // Final demand of each consuming region, summed over its categories.
  Matrix Yr = Matrix::Zero(t.n(), R);
  for (std::size_t k = 0; k < t.final_demand_regions().size(); ++k) {
    auto it = std::find(f.regions.begin(), f.regions.end(), t.final_demand_regions()[k]);
    if (it == f.regions.end())
      throw DataError("footprint: final-demand column '" + t.final_demand_names()[k] + "' belongs to unknown region '" +
                      t.final_demand_regions()[k] + "'");
    Yr.col(it - f.regions.begin()) += t.Y().col(Index(k));
  }
  Matrix X = model.solve(Yr);                       // output needed by each region's final demand
  Matrix embodied = e.asDiagonal() * X;             // account by producing sector
  f.flows = sum_by_region(t, embodied);             // producing region x consuming region
  f.consumption_based = f.flows.colwise().sum().transpose();
  f.production_based = sum_by_region(t, t.account(account)).col(0);
  return f;
}

IOTable from_make_use(const MakeUseData& d, MakeUseTable kind, const IOTableOptions& options) {
  const Index ni = d.make.rows(), nc = d.make.cols();
  if (Index(d.industries.size()) != ni || Index(d.commodities.size()) != nc)
    throw DimensionError("from_make_use: make is " + std::to_string(ni) + " x " + std::to_string(nc) + " but there are " +
                         std::to_string(d.industries.size()) + " industries and " +
                         std::to_string(d.commodities.size()) + " commodities");
  if (d.use.rows() != nc || d.use.cols() != ni)
    throw DimensionError("from_make_use: use must be commodities x industries (" + std::to_string(nc) + " x " +
                         std::to_string(ni) + ")");
  const Matrix E = d.final_demand.size() ? d.final_demand : Matrix::Zero(nc, 0);
  if (E.rows() != nc) throw DimensionError("from_make_use: final demand must have one row per commodity");
  if (!d.make.allFinite()) throw DataError("from_make_use: make table has non-finite entries");
  if (!d.use.allFinite()) throw DataError("from_make_use: use table has non-finite entries");
  const Vector g = d.industry_output.size() ? d.industry_output : Vector(d.make.rowwise().sum());
  const Vector q = d.commodity_output.size() ? d.commodity_output : Vector(d.make.colwise().sum().transpose());
  if (g.size() != ni || q.size() != nc) throw DimensionError("from_make_use: output vectors have the wrong size");
  const Matrix W = d.value_added.size() ? d.value_added : Matrix::Zero(0, ni);
  const Matrix S = d.satellite.size() ? d.satellite : Matrix::Zero(0, ni);
  if (W.cols() != ni || S.cols() != ni)
    throw DimensionError("from_make_use: value-added and satellite rows must have one column per industry");

  IOTableData out;
  out.final_demand = d.final_demand_names;
  out.value_added_names = d.value_added_names;
  out.satellite_names = d.satellite_names;
  out.unit = d.unit;
  if (kind == MakeUseTable::IndustryByIndustry) {
    // Market shares D = V q̂⁻¹ (commodities with zero output, or that no industry makes, get
    // zero shares).
    Matrix D = d.make;
    std::vector<char> made(static_cast<std::size_t>(nc));
    for (Index c = 0; c < nc; ++c) {
      made[static_cast<std::size_t>(c)] = d.make.col(c).cwiseAbs().sum() > 0.0 ? 1 : 0;
      if (q(c) != 0.0 && made[static_cast<std::size_t>(c)])
        D.col(c) /= q(c);
      else
        D.col(c).setZero();
    }
    out.Z = D * d.use;
    out.Y = D * E;
    out.x = g;
    out.sectors = d.industries;
    out.value_added = W;
    out.satellite = S;
    // Inputs of commodities that no industry makes (e.g. noncomparable imports) have no market
    // shares; keep them as a primary-input row so the columns stay balanced.
    RowVector unallocated = RowVector::Zero(ni);
    for (Index c = 0; c < nc; ++c)
      if (q(c) == 0.0 || !made[static_cast<std::size_t>(c)]) unallocated += d.use.row(c);
    if (unallocated.cwiseAbs().maxCoeff() > 0.0) {
      out.value_added.conservativeResize(W.rows() + 1, ni);
      out.value_added.row(W.rows()) = unallocated;
      out.value_added_names.push_back("inputs without domestic output");
    }
  } else {
    // Z = U ĝ⁻¹ V: commodity inputs per unit of industry output, redistributed by the
    // commodity mix each industry makes.
    Matrix Ug = d.use;
    Matrix Wg = W, Sg = S;
    for (Index i = 0; i < ni; ++i) {
      const double s = g(i) != 0.0 ? 1.0 / g(i) : 0.0;
      Ug.col(i) *= s;
      Wg.col(i) *= s;
      Sg.col(i) *= s;
    }
    out.Z = Ug * d.make;
    out.Y = E;
    out.x = q;
    out.sectors = d.commodities;
    out.value_added = Wg * d.make;
    out.satellite = Sg * d.make;
  }
  return IOTable(std::move(out), options);
}

}  // namespace govsim::io
