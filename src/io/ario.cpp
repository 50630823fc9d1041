// ARIO (Hallegatte 2008/2014) with BoARIO's documented ARIOPsiModel behaviour.
#include <govsim/core/error.hpp>
#include <govsim/io/ario.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace govsim::io {

void ArioOptions::validate() const {
  auto pos = [](double v, const char* name) {
    if (!(v > 0.0) || !std::isfinite(v)) throw OptionsError(std::string("ArioOptions: ") + name + " must be > 0 and finite");
  };
  pos(alpha_base, "alpha_base");
  pos(alpha_max, "alpha_max");
  pos(alpha_tau, "alpha_tau");
  pos(rebuild_tau, "rebuild_tau");
  pos(main_inv_dur, "main_inv_dur");
  pos(inventory_restoration_tau, "inventory_restoration_tau");
  pos(year_to_temporal_unit, "year_to_temporal_unit");
  pos(capital_to_value_added, "capital_to_value_added");
  pos(monetary_factor, "monetary_factor");
  if (alpha_max < alpha_base) throw OptionsError("ArioOptions: alpha_max must be >= alpha_base");
  if (!(psi > 0.0 && psi <= 1.0)) throw OptionsError("ArioOptions: psi must be in (0, 1]");
  if (n_steps < 1) throw OptionsError("ArioOptions: n_steps must be >= 1");
  if (inventory_duration.size() && (inventory_duration.array().isNaN().any() || (inventory_duration.array() <= 0).any()))
    throw OptionsError("ArioOptions: inventory_duration entries must be > 0 (+inf for unconstrained inputs)");
  if (capital.size() && (!capital.allFinite() || (capital.array() < 0).any()))
    throw OptionsError("ArioOptions: capital must be finite and >= 0");
}

std::string ArioResult::summary() const {
  std::ostringstream s;
  s << "ArioResult: " << to_string(status) << ", " << iterations << " days, production loss "
    << production_loss.sum() << ", max accounting residual "
    << (conservation_error.size() ? conservation_error.maxCoeff() : 0.0);
  if (!message.empty()) s << " (" << message << ")";
  return s.str();
}

namespace {
Names distinct(const Names& v, std::vector<Index>& pos) {
  Names out;
  std::map<std::string, Index> at;
  pos.resize(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto it = at.find(v[i]);
    if (it == at.end()) {
      it = at.emplace(v[i], static_cast<Index>(out.size())).first;
      out.push_back(v[i]);
    }
    pos[i] = it->second;
  }
  return out;
}
}  // namespace

ArioModel::ArioModel(const IOTable& table, const ArioOptions& options) : opt_(options) {
  opt_.validate();
  n_ = table.n();
  const double per_day = 1.0 / opt_.year_to_temporal_unit;
  Z0_ = table.Z() * per_day;
  y0_ = table.final_demand_total() * per_day;
  // BoARIO builds the equilibrium from the flows: x0 = Z 1 + Y 1 (not the table's own x).
  x0_ = Z0_.rowwise().sum() + y0_;
  sector_names_ = distinct(table.sectors(), sector_of_);
  if (table.is_multiregional()) {
    region_names_ = distinct(table.regions(), region_of_);
  } else {
    region_names_ = {"all"};
    region_of_.assign(static_cast<std::size_t>(n_), 0);
  }
  m_ = static_cast<Index>(sector_names_.size());
  for (Index i = 0; i < n_; ++i)
    if (!(x0_(i) >= 0.0)) {
      std::ostringstream s;
      s << "ARIO: industry " << i << " has negative total demand Z 1 + Y 1 = " << x0_(i) * opt_.year_to_temporal_unit;
      throw DataError(s.str());
    }
  ZS_ = Matrix::Zero(m_, n_);
  for (Index i = 0; i < n_; ++i) ZS_.row(sector_of_[i]) += Z0_.row(i);
  AS_ = ZS_;
  for (Index j = 0; j < n_; ++j) AS_.col(j) = x0_(j) > 0 ? Vector(ZS_.col(j) / x0_(j)) : Vector::Zero(m_);
  if (opt_.inventory_duration.size()) {
    if (opt_.inventory_duration.size() != m_)
      throw DimensionError("ArioOptions.inventory_duration needs one entry per distinct sector (" + std::to_string(m_) + ")");
    s_ = opt_.inventory_duration;
  } else {
    s_ = Vector::Constant(m_, opt_.main_inv_dur);
  }
  if (opt_.capital.size()) {
    if (opt_.capital.size() != n_) throw DimensionError("ArioOptions.capital needs one entry per industry");
    k_ = opt_.capital;
  } else {
    Vector va = table.x() - Vector(table.Z().colwise().sum().transpose());
    k_ = (opt_.capital_to_value_added * va).cwiseMax(0.0);
  }
  Y0_ = table.Y() * per_day;
  // Final demand of each region, for splitting rebuilding demand among supplying regions.
  const Index R = static_cast<Index>(region_names_.size());
  Yreg_ = Matrix::Zero(n_, R);
  const Names& fdr = table.final_demand_regions();
  if (table.is_multiregional() && static_cast<Index>(fdr.size()) == table.Y().cols()) {
    for (Index c = 0; c < table.Y().cols(); ++c) {
      auto it = std::find(region_names_.begin(), region_names_.end(), fdr[static_cast<std::size_t>(c)]);
      if (it != region_names_.end()) Yreg_.col(it - region_names_.begin()) += table.Y().col(c);
    }
  } else {
    for (Index r = 0; r < R; ++r) Yreg_.col(r) = table.final_demand_total();
  }
}

namespace {
struct EventState {
  std::vector<Index> hit;   // damaged industries
  Vector gamma0, gamma;     // initial and remaining damage of those industries
  Matrix left;              // n x (hit + households): rebuilding still owed by each industry for each damage (Rebuild mode)
  Vector arb0;              // share of capacity lost directly (empty = none)
  double tau = 0, factor = 1;
  int day = 0, start = 0;   // occurrence; first day of rebuilding / recovery (occurrence + duration)
  CapitalRecovery mode = CapitalRecovery::Rebuild;
  bool active = false;
  std::function<Vector(double, const Vector&, double)> fn;  // the user's recovery function (exogenous modes)
  std::string who;                                           // the event, for error messages
};

// Share of the initial damage left after s days of recovery (s <= 0: all of it).
double recovery_curve(CapitalRecovery mode, double s, double tau) {
  if (s <= 0) return 1.0;
  switch (mode) {
    case CapitalRecovery::Convex: return std::pow(std::max(0.0, 1.0 - 1.0 / tau), s);
    case CapitalRecovery::ConvexScaled: return std::pow(std::max(0.0, 1.0 - 1.0 / tau), 4.0 * s);
    case CapitalRecovery::Concave: return std::max(0.0, 1.0 - (s / tau) * (s / tau));
    case CapitalRecovery::SShaped: {
      const double c = 1e-6, e = (std::log(tau) - std::log(c)) / (std::log(tau) - std::log(2.0));
      return tau / (tau + c * std::pow(s, e));
    }
    default: return std::max(0.0, 1.0 - s / tau);  // Linear (and capacity loss of a Rebuild event)
  }
}
}  // namespace

ArioRebuildingDemand ArioModel::prepare_event(const ArioEvent& e, const std::string& who) const {
  const Index n = n_;
  const Index k = Y0_.cols();
  const bool given = e.rebuilding_demand.size() > 0, hh_given = e.households_rebuilding_demand.size() > 0;
  if (e.damage.size() != n && !(e.damage.size() == 0 && (e.production_capacity_loss.size() || given || hh_given)))
    throw DimensionError(who + ": damage needs one entry per industry (" + std::to_string(n) + ")");
  if (!e.damage.allFinite() || (e.damage.array() < 0).any()) throw ModelError(who + ": damage must be finite and >= 0");
  if (e.occurrence < 0) throw ModelError(who + ": occurrence must be >= 0");
  if (e.duration < 0) throw ModelError(who + ": duration must be >= 0");
  if (e.tau < 0 || !std::isfinite(e.tau)) throw ModelError(who + ": tau must be >= 0");
  if (!(e.rebuilding_factor > 0) || !std::isfinite(e.rebuilding_factor))
    throw ModelError(who + ": rebuilding_factor must be > 0 and finite");
  if (e.monetary_factor < 0 || !std::isfinite(e.monetary_factor))
    throw ModelError(who + ": monetary_factor must be >= 0 (0 = the table's unit) and finite");
  if (e.households_damage.size() && e.households_damage.size() != k)
    throw DimensionError(who + ": households_damage needs one entry per final-demand column (" + std::to_string(k) + ")");
  if (e.households_damage.size() && (!e.households_damage.allFinite() || (e.households_damage.array() < 0).any()))
    throw ModelError(who + ": households_damage must be finite and >= 0");
  if (e.production_capacity_loss.size() && e.production_capacity_loss.size() != n)
    throw DimensionError(who + ": production_capacity_loss needs one entry per industry (" + std::to_string(n) + ")");
  if (e.production_capacity_loss.size() &&
      !((e.production_capacity_loss.array() >= 0) && (e.production_capacity_loss.array() <= 1)).all())
    throw ModelError(who + ": production_capacity_loss must be in [0, 1]");
  if (e.recovery_function && e.recovery == CapitalRecovery::Rebuild)
    throw ModelError(who + ": recovery_function needs an exogenous recovery (not Rebuild)");
  if ((given || hh_given) && e.recovery != CapitalRecovery::Rebuild)
    throw ModelError(who + ": rebuilding_demand and households_rebuilding_demand need recovery Rebuild");
  if (given && (e.rebuilding_demand.rows() != n || e.rebuilding_demand.cols() != n))
    throw DimensionError(who + ": rebuilding_demand must be " + std::to_string(n) + " x " + std::to_string(n) +
                         " (supplier industries x damaged industries), got " + std::to_string(e.rebuilding_demand.rows()) +
                         " x " + std::to_string(e.rebuilding_demand.cols()));
  if (hh_given && (e.households_rebuilding_demand.rows() != n || e.households_rebuilding_demand.cols() != k))
    throw DimensionError(who + ": households_rebuilding_demand must be " + std::to_string(n) + " x " + std::to_string(k) +
                         " (supplier industries x final-demand columns), got " +
                         std::to_string(e.households_rebuilding_demand.rows()) + " x " +
                         std::to_string(e.households_rebuilding_demand.cols()));
  for (const Matrix* M : {&e.rebuilding_demand, &e.households_rebuilding_demand})
    if (M->size() && (!M->allFinite() || (M->array() < 0).any()))
      throw ModelError(who + ": " + (M == &e.rebuilding_demand ? "rebuilding_demand" : "households_rebuilding_demand") +
                       " must be finite and >= 0");
  // a damage vector given beside a rebuilding-demand matrix must be the one the matrix implies
  auto check_implied = [&](const Matrix& M, const Vector& d, const char* what, const char* mname) {
    if (!d.size()) return;
    for (Index j = 0; j < M.cols(); ++j) {
      const double implied = M.col(j).sum() / e.rebuilding_factor;
      if (std::abs(implied - d(j)) > 1e-9 * std::max({1.0, std::abs(implied), std::abs(d(j))}))
        throw ModelError(who + ": " + what + " entry " + std::to_string(j) + " is " + std::to_string(d(j)) + " but " + mname +
                         " implies " + std::to_string(implied) + " (column sum / rebuilding_factor); give one or the other");
    }
  };
  if (given) check_implied(e.rebuilding_demand, e.damage, "damage", "rebuilding_demand");
  if (hh_given) check_implied(e.households_rebuilding_demand, e.households_damage, "households_damage",
                              "households_rebuilding_demand");

  const double scale = e.monetary_factor > 0 ? e.monetary_factor / opt_.monetary_factor : 1.0;
  ArioRebuildingDemand out;
  out.industries = Matrix::Zero(n, n);
  out.households = Matrix::Zero(n, k);
  if (given) {
    out.industries = scale * e.rebuilding_demand;
    out.damage = out.industries.colwise().sum().transpose() / e.rebuilding_factor;
  } else {
    out.damage = e.damage.size() ? Vector(scale * e.damage) : Vector(Vector::Zero(n));
  }
  if (hh_given) out.households = scale * e.households_rebuilding_demand;
  if (e.recovery != CapitalRecovery::Rebuild) return out;

  const bool derive_ind = !given && (out.damage.array() > 0).any();
  const bool derive_hh = !hh_given && e.households_damage.size() && (e.households_damage.array() > 0).any();
  if (!derive_ind && !derive_hh) return out;
  if (e.rebuilding_sectors.empty() || e.rebuilding_sectors.size() != e.rebuilding_shares.size())
    throw ModelError(who + ": rebuilding needs rebuilding_sectors and as many rebuilding_shares");
  double total = 0;
  for (double w : e.rebuilding_shares) {
    if (!(w >= 0)) throw ModelError(who + ": rebuilding_shares must be >= 0");
    total += w;
  }
  if (std::abs(total - 1.0) > 1e-9) throw ModelError(who + ": rebuilding_shares must sum to 1");
  for (std::size_t q = 0; q < e.rebuilding_sectors.size(); ++q) {
    auto it = std::find(sector_names_.begin(), sector_names_.end(), e.rebuilding_sectors[q]);
    if (it == sector_names_.end()) throw ModelError(who + ": unknown rebuilding sector '" + e.rebuilding_sectors[q] + "'");
    const Index p = it - sector_names_.begin();
    for (Index hj = 0; derive_ind && hj < n; ++hj) {
      if (!(out.damage(hj) > 0)) continue;
      // Suppliers of product p share the rebuilding of industry hj like hj's own purchases of p
      // (BoARIO: Z0(i, hj) / ZS(p, hj)); an industry that buys no p falls back on its region's
      // final demand for p, then on its own region's producers.
      const Index reg = region_of_[static_cast<std::size_t>(hj)];
      const bool by_z = ZS_(p, hj) > 0;
      double denom = 0;
      if (!by_z)
        for (Index i = 0; i < n; ++i)
          if (sector_of_[i] == p) denom += std::max(0.0, Yreg_(i, reg));
      for (Index i = 0; i < n; ++i) {
        if (sector_of_[i] != p) continue;
        double w = by_z ? std::max(0.0, Z0_(i, hj)) / ZS_(p, hj)
                        : (denom > 0 ? std::max(0.0, Yreg_(i, reg)) / denom : (region_of_[i] == reg ? 1.0 : 0.0));
        out.industries(i, hj) += e.rebuilding_factor * e.rebuilding_shares[q] * w * out.damage(hj);
      }
    }
    // household capital: suppliers of p share it like the final-demand column's purchases of p
    // (BoARIO: Y(i, c) / Σ_{i' in p} Y(i', c)); a column that buys no p falls back on the
    // table's total final demand for p.
    for (Index col = 0; derive_hh && col < k; ++col) {
      if (!(e.households_damage(col) > 0)) continue;
      double dc = 0, dt = 0;
      for (Index i = 0; i < n; ++i)
        if (sector_of_[i] == p) {
          dc += std::max(0.0, Y0_(i, col));
          dt += std::max(0.0, y0_(i));
        }
      const double g0 = scale * e.households_damage(col);
      for (Index i = 0; i < n; ++i) {
        if (sector_of_[i] != p) continue;
        const double w = dc > 0 ? std::max(0.0, Y0_(i, col)) / dc : (dt > 0 ? std::max(0.0, y0_(i)) / dt : 0.0);
        out.households(i, col) += e.rebuilding_factor * e.rebuilding_shares[q] * w * g0;
      }
    }
  }
  return out;
}

ArioRebuildingDemand ArioModel::rebuilding_demand(const ArioEvent& event) const {
  return prepare_event(event, event.name.empty() ? std::string("ArioEvent") : "ArioEvent '" + event.name + "'");
}

ArioResult ArioModel::run(const std::vector<ArioEvent>& events) const {
  const Index n = n_, m = m_;
  const int T = opt_.n_steps;
  const Index R = static_cast<Index>(region_names_.size());

  // ---- events: damaged industries and who rebuilds them
  std::vector<EventState> ev;
  for (std::size_t ei = 0; ei < events.size(); ++ei) {
    const ArioEvent& e = events[ei];
    std::string who = "ArioEvent ";
    if (e.name.empty()) {
      who += '#';
      who += std::to_string(ei);
    } else {
      who += '\'';
      who += e.name;
      who += '\'';
    }
    const ArioRebuildingDemand rd = prepare_event(e, who);
    EventState s;
    s.tau = e.tau > 0 ? e.tau : opt_.rebuild_tau;
    s.day = e.occurrence;
    s.start = e.occurrence + e.duration;
    s.mode = e.recovery;
    s.factor = e.rebuilding_factor;
    s.arb0 = e.production_capacity_loss;
    s.fn = e.recovery_function;
    s.who = who;
    for (Index i = 0; i < n; ++i)
      if (rd.damage(i) > 0) s.hit.push_back(i);
    const Index h = static_cast<Index>(s.hit.size());
    s.gamma0.resize(h);
    for (Index j = 0; j < h; ++j) s.gamma0(j) = rd.damage(s.hit[static_cast<std::size_t>(j)]);
    s.gamma = Vector::Zero(h);
    std::vector<Index> hh;  // final-demand columns with household rebuilding
    for (Index c = 0; c < rd.households.cols(); ++c)
      if ((rd.households.col(c).array() > 0).any()) hh.push_back(c);
    if (e.recovery == CapitalRecovery::Rebuild && (h > 0 || !hh.empty())) {
      // rebuilding still owed: one column per damaged industry, then one per household column
      s.left = Matrix::Zero(n, h + static_cast<Index>(hh.size()));
      for (Index j = 0; j < h; ++j) s.left.col(j) = rd.industries.col(s.hit[static_cast<std::size_t>(j)]);
      for (std::size_t c = 0; c < hh.size(); ++c) s.left.col(h + static_cast<Index>(c)) = rd.households.col(hh[c]);
    }
    ev.push_back(std::move(s));
  }

  // ---- state
  ArioResult r;
  r.baseline_production = x0_;
  auto mk = [&] { return Matrix(Matrix::Zero(T, n)); };
  r.production = mk();
  r.production_capacity = mk();
  r.final_demand_unmet = mk();
  r.rebuild_demand = mk();
  r.rebuild_unmet = mk();
  r.inventories = mk();
  r.damage = mk();
  r.overproduction = mk();
  r.conservation_error = Vector::Zero(T);
  r.min_stock = Vector::Zero(T);

  std::vector<char> finite_s(static_cast<std::size_t>(m));
  for (Index p = 0; p < m; ++p) finite_s[static_cast<std::size_t>(p)] = std::isfinite(s_(p)) ? 1 : 0;
  Matrix stock(m, n);                       // Ω
  for (Index j = 0; j < n; ++j)
    for (Index p = 0; p < m; ++p) stock(p, j) = finite_s[static_cast<std::size_t>(p)] ? s_(p) * AS_(p, j) * x0_(j) : 0.0;
  Matrix orders = Z0_;                      // O(i, f): order of f to supplier i
  Vector order_sum = Z0_.rowwise().sum();   // O 1, kept up to date while orders are written
  Vector alpha = Vector::Constant(n, opt_.alpha_base);
  Vector dmg(n), arb(n), reb(n), D(n), xcap(n), xopt(n), xa(n), rho(n), used_total(m);
  Matrix received(m, n), weight(m, n);
  Vector wsup(n), tmp(n), den(m), g(m);
  // All buffers above are allocated once; the daily step below allocates nothing (except the
  // small per-event rebuilding product). Aggregating an industry vector by product is a scatter
  // in general; MRIO tables ordered region by region with the same sectors in each region
  // (industry i = region * m + product) make it a column sum of an m x R view, which vectorises.
  bool regular = m > 0 && n % m == 0;
  for (Index i = 0; regular && i < n; ++i) regular = sector_of_[i] == i % m;
  const Index blocks = m > 0 ? n / m : 0;
  auto aggregate = [&](const Vector& v, double* out) {
    Eigen::Map<Vector> o(out, m);
    if (regular) {
      o = Eigen::Map<const Matrix>(v.data(), m, blocks).rowwise().sum();
    } else {
      o.setZero();
      for (Index i = 0; i < n; ++i) o(sector_of_[i]) += v(i);
    }
  };
  // 1 / ZS (0 where a product is not bought): fixed shares of the "noalt" order split and the
  // fallback of "alt" when every supplier of a product has stopped.
  Matrix ZSinv(m, n);
  for (Index f = 0; f < n; ++f)
    for (Index p = 0; p < m; ++p) ZSinv(p, f) = ZS_(p, f) > 0 ? 1.0 / ZS_(p, f) : 0.0;

  for (int t = 0; t < T; ++t) {
    // events occurring today
    for (auto& s : ev)
      if (!s.active && t >= s.day) {
        s.active = true;
        s.gamma = s.gamma0;
      }
    // remaining damage and rebuilding demand
    dmg.setZero();
    arb.setZero();
    reb.setZero();
    for (auto& s : ev) {
      if (!s.active) continue;
      // days of recovery so far: the curve acts on production from day `start` on, with s = 0 that
      // day (BoARIO 0.5 applies it at the start of each step, before production)
      const double el = t - s.start;
      if (s.arb0.size()) {
        const double f = recovery_curve(s.mode == CapitalRecovery::Rebuild ? CapitalRecovery::Linear : s.mode, el, s.tau);
        arb = arb.cwiseMax(s.arb0 * f);
      }
      if (s.mode != CapitalRecovery::Rebuild && s.fn && el >= 0) {
        // the user's recovery function, on the whole industry vector
        Vector initial = Vector::Zero(n);
        for (std::size_t j = 0; j < s.hit.size(); ++j) initial(s.hit[j]) = s.gamma0(static_cast<Index>(j));
        const Vector left = s.fn(el, initial, s.tau);
        if (left.size() != n)
          throw DimensionError(s.who + ": recovery_function returned " + std::to_string(left.size()) +
                               " entries, expected one per industry (" + std::to_string(n) + ")");
        if (!left.allFinite())
          throw ModelError(s.who + ": recovery_function returned a NaN or infinite value on day " + std::to_string(t));
        for (std::size_t j = 0; j < s.hit.size(); ++j) s.gamma(static_cast<Index>(j)) = std::max(0.0, left(s.hit[j]));
      } else if (s.mode != CapitalRecovery::Rebuild) {
        s.gamma = s.gamma0 * recovery_curve(s.mode, el, s.tau);
      } else if (s.left.cols()) {
        // the damage still to rebuild (owed / rebuilding_factor); rebuilding demand starts on day
        // occurrence + duration
        const Index h = static_cast<Index>(s.hit.size());
        s.gamma = s.left.leftCols(h).colwise().sum().transpose() / s.factor;
        if (t >= s.start) reb.noalias() += s.left.rowwise().sum() / s.tau;
      }
      for (std::size_t j = 0; j < s.hit.size(); ++j) dmg(s.hit[j]) += s.gamma(static_cast<Index>(j));
    }
    // 1-2. demand; overproduction (from day 2, from today's demand and yesterday's production);
    // capacity, optimal production
    D = order_sum + y0_ + reb;
    if (t >= 2) {
      const double floor = std::min(1.0, opt_.alpha_base);
      for (Index i = 0; i < n; ++i) {
        const double zeta = D(i) != 0 ? (D(i) - xa(i)) / D(i) : 0.0;
        if (zeta != 0)
          alpha(i) += (opt_.alpha_max - alpha(i)) * zeta / opt_.alpha_tau;
        else
          alpha(i) += (opt_.alpha_base - alpha(i)) / opt_.alpha_tau;
        alpha(i) = std::max(alpha(i), floor);
      }
    }
    for (Index i = 0; i < n; ++i) {
      const double lost = std::max(arb(i), k_(i) > 0 ? std::min(1.0, dmg(i) / k_(i)) : (dmg(i) > 0 ? 1.0 : 0.0));
      xcap(i) = alpha(i) * (1.0 - lost) * x0_(i);
      xopt(i) = std::max(0.0, std::min(D(i), xcap(i)));  // negative final demand can make D < 0
    }
    // 3. inventory constraint
    for (Index j = 0; j < n; ++j) {
      double ratio = 1.0;
      for (Index p = 0; p < m; ++p) {
        if (!finite_s[static_cast<std::size_t>(p)]) continue;
        const double need = opt_.psi * s_(p) * AS_(p, j) * xopt(j);
        if (need > 0 && stock(p, j) < need) ratio = std::min(ratio, stock(p, j) / need);
      }
      xa(j) = xopt(j) * std::max(0.0, ratio);
    }
    // 4. proportional rationing
    for (Index i = 0; i < n; ++i) rho(i) = D(i) > 0 ? xa(i) / D(i) : 0.0;
    double delivered = 0;
    for (Index f = 0; f < n; ++f) {
      tmp = rho.cwiseProduct(orders.col(f));
      aggregate(tmp, received.col(f).data());
      delivered += tmp.sum();
    }
    double fd_served = 0, reb_served = 0, resid_ind = 0;
    for (Index i = 0; i < n; ++i) {
      const double ys = rho(i) * y0_(i), rs = rho(i) * reb(i);
      fd_served += ys;
      reb_served += rs;
      r.final_demand_unmet(t, i) = y0_(i) - ys;
      r.rebuild_unmet(t, i) = reb(i) - rs;
      // industry accounting: production = deliveries to industries + final demand + rebuilding served
      resid_ind = std::max(resid_ind, std::abs(xa(i) - (rho(i) * (D(i) - y0_(i) - reb(i)) + ys + rs)));
    }
    // 5. stocks
    double dstock = 0, used = 0, minst = std::numeric_limits<double>::infinity();
    for (Index j = 0; j < n; ++j) {
      double held = 0;
      for (Index p = 0; p < m; ++p) {
        const double u = AS_(p, j) * xa(j);
        used += u;
        if (!finite_s[static_cast<std::size_t>(p)]) {
          dstock += received(p, j) - u;  // unlimited stock: arrivals replace use exactly (tracked for accounting)
          continue;
        }
        const double inc = received(p, j) - u;
        stock(p, j) += inc;
        dstock += inc;
        held += stock(p, j);
        minst = std::min(minst, stock(p, j));
      }
      r.inventories(t, j) = held;
    }
    const double supply = xa.sum();
    const double resid_world = std::abs(supply - (used + dstock + fd_served + reb_served));
    r.conservation_error(t) = std::max({resid_ind, resid_world, std::abs(supply - delivered - fd_served - reb_served)});
    r.min_stock(t) = std::isfinite(minst) ? minst : 0.0;
    // record
    r.production.row(t) = xa.transpose();
    r.production_capacity.row(t) = xcap.transpose();
    r.rebuild_demand.row(t) = reb.transpose();
    r.damage.row(t) = dmg.transpose();
    r.overproduction.row(t) = alpha.transpose();
    // 6. rebuilding repairs capital: each supplier's owed rebuilding falls by what it served
    for (auto& s : ev) {
      if (!s.active || s.mode != CapitalRecovery::Rebuild || t < s.start || !s.left.cols()) continue;
      for (Index i = 0; i < n; ++i) {
        const double keep = 1.0 - std::min(1.0, std::max(0.0, rho(i))) / s.tau;
        if (keep != 1.0) s.left.row(i) *= keep;
      }
    }
    // 7. orders for tomorrow: total by product, then split among suppliers
    for (Index j = 0; j < n; ++j)
      for (Index p = 0; p < m; ++p) {
        double gap = 0;
        if (finite_s[static_cast<std::size_t>(p)]) gap = std::max(0.0, s_(p) * AS_(p, j) * xopt(j) - stock(p, j));
        weight(p, j) = gap / opt_.inventory_restoration_tau + AS_(p, j) * xa(j);  // O^S
      }
    // orders(i, f) = Z0(i, f) w_i · O^S(p, f) / Σ_{i' in p} Z0(i', f) w_i'  (w = 1 for "noalt"):
    // one division per (product, client), then one multiplication per (supplier, client).
    const bool alt = opt_.order_type == OrderType::Alt;
    if (alt)
      for (Index i = 0; i < n; ++i) wsup(i) = x0_(i) > 0 ? xcap(i) / x0_(i) : 0.0;
    order_sum.setZero();
    for (Index f = 0; f < n; ++f) {
      bool fallback = false;
      if (alt) {
        tmp = Z0_.col(f).cwiseProduct(wsup);
        aggregate(tmp, den.data());
        for (Index p = 0; p < m; ++p) {
          // every supplier of p stopped: unweighted shares
          if (!(den(p) > 0)) fallback = true;
          g(p) = den(p) > 0 ? weight(p, f) / den(p) : 0.0;
        }
      } else {
        tmp = Z0_.col(f);
        g = weight.col(f).cwiseProduct(ZSinv.col(f));
      }
      auto o = orders.col(f);
      if (regular) {
        Eigen::Map<Matrix>(o.data(), m, blocks) =
            Eigen::Map<const Matrix>(tmp.data(), m, blocks).array().colwise() * g.array();
      } else {
        for (Index i = 0; i < n; ++i) o(i) = tmp(i) * g(sector_of_[i]);
      }
      if (fallback)
        for (Index i = 0; i < n; ++i) {
          const Index p = sector_of_[i];
          if (!(den(p) > 0)) o(i) = weight(p, f) * Z0_(i, f) * ZSinv(p, f);
        }
      order_sum += o;
    }
    ++r.iterations;
    if (!xa.allFinite() || !alpha.allFinite()) {
      r.status = Status::NumericalIssue;
      r.message = "NaN or Inf in production on day " + std::to_string(t);
      break;
    }
    if (opt_.on_iteration) {
      IterationInfo info{t, T, supply, "ario"};
      if (!opt_.on_iteration(info)) {
        r.status = Status::UserStopped;
        r.message = "stopped by on_iteration on day " + std::to_string(t);
        break;
      }
    }
  }
  // ---- summaries over the simulated days
  const Index days = r.iterations;
  Matrix prod = r.production.topRows(days);
  r.production_loss = (x0_.transpose().replicate(days, 1) - prod).colwise().sum().transpose();
  r.regions = region_names_;
  r.sectors = sector_names_;
  r.production_loss_by_region = Vector::Zero(R);
  r.production_loss_by_sector = Vector::Zero(m);
  r.final_demand_unmet_by_region = Vector::Zero(R);
  Vector fdu = r.final_demand_unmet.topRows(days).colwise().sum().transpose();
  Matrix reg_prod = Matrix::Zero(days, R);
  Vector reg_base = Vector::Zero(R);
  for (Index i = 0; i < n; ++i) {
    r.production_loss_by_region(region_of_[i]) += r.production_loss(i);
    r.production_loss_by_sector(sector_of_[i]) += r.production_loss(i);
    r.final_demand_unmet_by_region(region_of_[i]) += fdu(i);
    reg_prod.col(region_of_[i]) += prod.col(i);
    reg_base(region_of_[i]) += x0_(i);
  }
  r.trough_day.assign(static_cast<std::size_t>(R), 0);
  r.trough_depth = Vector::Zero(R);
  for (Index g = 0; g < R; ++g) {
    if (days == 0 || reg_base(g) <= 0) continue;
    Index at = 0;
    reg_prod.col(g).minCoeff(&at);
    r.trough_day[static_cast<std::size_t>(g)] = static_cast<int>(at);
    r.trough_depth(g) = 1.0 - reg_prod(at, g) / reg_base(g);
  }
  return r;
}

Vector distribute_damage(const IOTable& table, const std::string& region, double total) {
  if (!(total >= 0) || !std::isfinite(total)) throw ModelError("distribute_damage: total must be finite and >= 0");
  Vector va = table.x() - Vector(table.Z().colwise().sum().transpose());
  Vector w = Vector::Zero(table.n());
  for (Index i = 0; i < table.n(); ++i) {
    const bool in = region.empty() || (table.is_multiregional() && table.regions()[static_cast<std::size_t>(i)] == region);
    if (in) w(i) = std::max(0.0, va(i));
  }
  if (!region.empty() && !table.is_multiregional()) throw ModelError("distribute_damage: the table has no regions");
  if (!(w.sum() > 0)) throw ModelError("distribute_damage: region '" + region + "' is unknown or has no value added");
  return w * (total / w.sum());
}

}  // namespace govsim::io
