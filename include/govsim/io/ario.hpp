#pragma once
/// \file ario.hpp
/// \brief ARIO: the Adaptive Regional Input-Output model of disaster recovery.
///
/// Hallegatte (2008, Risk Analysis 28; 2014, World Bank WPS 6784), with the behaviour and the
/// defaults documented by the BoARIO package (ARIOPsiModel). Daily steps on an (MR)IO table whose
/// flows are annual (divided by `year_to_temporal_unit`, default 365). Each step:
///
/// 1. total demand `D = O 1 + y + r` (orders placed the previous step, final demand, rebuilding
///    demand `r = R 1 / τ_rebuild`, with `R` the rebuilding each supplier still owes; rebuilding
///    demand starts on day occurrence + duration, as BoARIO's `occurrence + duration <= t`);
/// 2. overproduction, from day 2 on (BoARIO's order): scarcity `ζ = (D − x_a,prev) / D` from this
///    step's demand and the previous step's production; `α += (α_max − α) ζ / τ_α` when ζ ≠ 0
///    (negative scarcity lowers α), `α += (α_base − α) / τ_α` when ζ = 0; α ≥ min(1, α_base);
///    capacity `x_cap = α ∘ (1 − Δ) ∘ x0` with `Δ = max(min(1, γ / k), δ)`: the share of productive
///    capital `k` destroyed, or the largest share of capacity lost directly `δ` if larger; optimal production `x_opt = min(D, x_cap)`;
/// 3. inventory constraint: with stocks `Ω` (product x industry), goal `Ω* = s ∘ (A^S x̂_opt)`
///    (s = target duration of each input in days), constraint `ψ Ω*`; production falls in
///    proportion to the worst shortage: `x_a = x_opt · min(1, min_p Ω_pf / (ψ Ω*_pf))`;
/// 4. proportional rationing: every client (industries, final demand, rebuilding) receives the
///    share `x_a / D` of its order;
/// 5. stocks `Ω += (received inputs aggregated by product) − A^S x̂_a`;
/// 6. rebuilding repairs capital: the rebuilding of damaged industry j by supplier i of product p
///    starts at `share_p γ0_j Z0(i, j) / Z^S(p, j)` (j's own purchase shares; j's region's final
///    demand shares if j buys no p), each row of `R` falls by `(x_a / D)_i / τ_rebuild` a day, and
///    the damage `γ_j` is what is still owed, `1' R e_j` (for exogenous recovery the destroyed
///    capital follows a linear, convex or concave path instead);
/// 7. orders for the next step: `O^S = (Ω* − Ω)₊ / τ_inv + A^S x̂_a` by product, split among
///    suppliers by the initial shares of Z (order type "noalt", Hallegatte 2013) or by those
///    shares weighted by each supplier's current capacity relative to baseline, `x_cap / x0`
///    (order type "alt", Guan et al. 2020; BoARIO's default).
///
/// On the NDL flood (bench/compare_boario.py) this reproduces BoARIO's ARIOPsiModel path to about
/// 1e-10 of baseline with BoARIO 0.5 and 3e-7 with BoARIO 0.6.3 (which rounds the rebuilding owed
/// to the event's monetary precision every step), for duration 1 and for duration 7 alike.
///
/// Accounting (checked every step and reported): each industry's production equals the
/// intermediate deliveries, final demand and rebuilding demand it serves; world supply equals
/// intermediate use plus final demand served plus rebuilding served plus inventory change.
///
/// \code
/// govsim::io::ArioModel model(table);                  // BoARIO defaults
/// govsim::io::ArioEvent ev;
/// ev.damage = govsim::io::distribute_damage(table, "NDL", 20000.0);
/// ev.rebuilding_sectors = {"F", "D29"};
/// ev.rebuilding_shares = {0.55, 0.45};
/// auto r = model.run({ev});
/// \endcode

#include <govsim/core/status.hpp>
#include <govsim/core/types.hpp>
#include <govsim/io/io_table.hpp>

#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace govsim::io {

/// How orders for a product are split among the suppliers of that product.
enum class OrderType {
  Alt,    ///< initial shares weighted by suppliers' current capacity / baseline (Guan et al. 2020; BoARIO "alt")
  NoAlt   ///< fixed initial shares of Z (Hallegatte 2013/2014)
};

/// How destroyed capital comes back. For the exogenous modes, s counts the days of recovery: the
/// damage is γ0 from the event's occurrence, then follows the curve with s = t − occurrence −
/// duration from day occurrence + duration on (BoARIO 0.5's timing: EventKapitalRecover applies
/// its recovery function at the start of each step, before production, with elapsed = t −
/// occurrence − duration).
enum class CapitalRecovery {
  Rebuild,       ///< rebuilding demand addressed to rebuilding sectors; capital returns as it is served
  Linear,        ///< exogenous: γ0 · max(0, 1 − s/τ) (BoARIO "linear")
  Convex,        ///< exogenous: γ0 · (1 − 1/τ)^s (BoARIO "convexe noscale")
  Concave,       ///< exogenous: γ0 · max(0, 1 − (s/τ)²) (slow at first)
  ConvexScaled,  ///< exogenous: γ0 · (1 − 1/τ)^(4 s) (BoARIO "convexe": mostly recovered after τ)
  SShaped        ///< exogenous: γ0 τ / (τ + c s^e), c = 1e-6, e = (ln τ − ln c) / (ln τ − ln 2) (BoARIO "concave")
};

/// Parameters of ARIO. Defaults are BoARIO's documented ARIOPsiModel defaults.
struct ArioOptions {
  OrderType order_type = OrderType::Alt;  ///< BoARIO default "alt"
  double alpha_base = 1.0;                ///< base overproduction factor
  double alpha_max = 1.25;                ///< maximum overproduction factor
  double alpha_tau = 365.0;               ///< overproduction characteristic time (days)
  double rebuild_tau = 60.0;              ///< default rebuilding / recovery characteristic time (days)
  double main_inv_dur = 90.0;             ///< target inventory duration of every input (days)
  /// Per-product target durations (one per distinct sector); empty = main_inv_dur; +inf = an input
  /// that never constrains production (BoARIO's infinite_inventories_sect).
  Vector inventory_duration;
  double psi = 0.80;                      ///< share of the inventory goal below which production is cut
  double inventory_restoration_tau = 60.0;  ///< characteristic time of inventory restoration (days)
  double year_to_temporal_unit = 365.0;   ///< table flows are per year; steps are days
  double capital_to_value_added = 4.0;    ///< k = ratio × value added (x − column sums of Z)
  double monetary_factor = 1.0;           ///< unit of the table's flows (e.g. 1e6 for millions; BoARIO's monetary_factor)
  Vector capital;                         ///< productive capital per industry (overrides the ratio)
  int n_steps = 365;                      ///< days to simulate (step 0 is the baseline day)
  /// Progress once per simulated day (iteration = day, total = n_steps); return false to stop.
  std::function<bool(const IterationInfo&)> on_iteration;
  /// \throws OptionsError on non-positive times, psi outside (0, 1], alpha_max < alpha_base...
  void validate() const;
};

/// A capital-destroying event, with the parameters of BoARIO's events (EventKapitalRebuild,
/// EventKapitalRecover and, through `production_capacity_loss`, EventArbitraryProd).
struct ArioEvent {
  std::string name;                   ///< label (reports and error messages)
  Vector damage;                      ///< capital destroyed per industry, in `monetary_factor` units
  int occurrence = 1;                 ///< day on which it happens (BoARIO's default 1)
  /// Days between the event and the start of rebuilding or recovery (BoARIO's `duration`,
  /// default 1): rebuilding demand starts on day occurrence + duration.
  int duration = 1;
  CapitalRecovery recovery = CapitalRecovery::Rebuild;
  double tau = 0.0;                   ///< rebuilding / recovery time in days (0 = options.rebuild_tau)
  Names rebuilding_sectors;           ///< sector names that rebuild (Rebuild mode)
  std::vector<double> rebuilding_shares;  ///< share of the damage each rebuilding sector serves (sum 1)
  /// Rebuilding demand = factor × damage (BoARIO's rebuilding_factor); the remaining damage is
  /// the rebuilding still owed divided by the factor.
  double rebuilding_factor = 1.0;
  /// Rebuilding demand given directly instead of derived from the shares (BoARIO's settable
  /// `EventKapitalRebuild.rebuilding_demand_indus`): entry (i, j) is what supplier industry i is
  /// asked to rebuild for damaged industry j, n x n, in the event's unit (`monetary_factor`),
  /// rebuilding factor included. Empty = derived from `damage` and the rebuilding shares. When
  /// given (Rebuild mode only), industry j's damage is column j's sum / rebuilding_factor, as in
  /// BoARIO; `damage` must then be empty or equal to it (relative 1e-9), and the rebuilding
  /// sectors and shares are not used for the industries.
  Matrix rebuilding_demand;
  /// Household rebuilding demand given directly (BoARIO's `rebuilding_demand_house`): entry (i, c)
  /// is what supplier industry i is asked to rebuild for final-demand column c, n x (final-demand
  /// columns), in the event's unit. `households_damage` must then be empty or equal to its column
  /// sums / rebuilding_factor.
  Matrix households_rebuilding_demand;
  /// Household capital destroyed, one entry per final-demand column of the table (empty = none;
  /// BoARIO's households_impact). It creates rebuilding demand (Rebuild mode: split among the
  /// suppliers of each rebuilding product like that column's purchases) but no capacity loss.
  Vector households_damage;
  /// Share of production capacity lost per industry, in [0, 1] (empty = none; BoARIO's
  /// EventArbitraryProd). It recovers with the event's curve (`recovery`, linear in Rebuild
  /// mode) and time `tau`; with several events an industry loses the largest share.
  Vector production_capacity_loss;
  /// A recovery function of one's own for exogenous recovery (BoARIO's callable
  /// `recovery_function` of EventKapitalRecover): given the days of recovery s (0 on day
  /// occurrence + duration), the initial damage per industry (n entries, table unit) and the
  /// recovery time τ, it returns the damage left per industry (negative entries count as 0). Used
  /// instead of the named curve when set; `recovery` must then not be Rebuild. The direct capacity
  /// loss keeps the named curve.
  std::function<Vector(double s, const Vector& initial, double tau)> recovery_function;
  /// Unit of the damage relative to ArioOptions::monetary_factor (BoARIO's event_monetary_factor):
  /// 0 = the same unit; otherwise damage is multiplied by monetary_factor / options.monetary_factor.
  double monetary_factor = 0.0;
};

/// Rebuilding demand of one event at the start of rebuilding, in the table's unit: what each
/// supplier industry (rows) is asked to rebuild for each damaged industry or final-demand column.
struct ArioRebuildingDemand {
  Matrix industries;  ///< n x n: supplier i, damaged industry j
  Matrix households;  ///< n x (final-demand columns): supplier i, household capital of column c
  Vector damage;      ///< capital destroyed per industry in the table's unit (column sums of `industries` / factor)
};

/// Per-step paths (rows = days 0..n_steps-1, columns = industries) and summaries.
struct ArioResult {
  Vector baseline_production;   ///< x0 per day
  Matrix production;            ///< realised production x_a per day
  Matrix production_capacity;   ///< α (1 − Δ) x0
  Matrix final_demand_unmet;    ///< y − y served
  Matrix rebuild_demand;        ///< rebuilding demand addressed to each industry
  Matrix rebuild_unmet;         ///< rebuilding demand not served that day
  Matrix inventories;           ///< total input stocks held by each industry (finite stocks only)
  Matrix damage;                ///< capital still destroyed in each industry (start of day)
  Matrix overproduction;        ///< α
  Vector conservation_error;    ///< per day: largest absolute accounting residual (see file doc)
  Vector min_stock;             ///< per day: smallest input stock (finite stocks)
  Vector production_loss;       ///< per industry: Σ_t (x0 − x_a), table monetary units
  Names regions;                ///< distinct regions (one "all" for a national table)
  Vector production_loss_by_region;
  Names sectors;                ///< distinct sectors
  Vector production_loss_by_sector;
  std::vector<int> trough_day;  ///< per region: day of lowest total production
  Vector trough_depth;          ///< per region: 1 − min production / baseline production
  Vector final_demand_unmet_by_region;  ///< per region of the producers: Σ_t unmet final demand
  Status status = Status::Success;
  std::string message;
  int iterations = 0;           ///< days simulated
  bool ok() const noexcept { return status == Status::Success; }
  std::string summary() const;
};

/// ARIO on a table: precomputes the baseline once; run() is const and can be called repeatedly.
class ArioModel {
 public:
  /// \throws OptionsError from options.validate(); DimensionError if options.capital or
  /// inventory_duration have the wrong size; DataError if the table has zero total demand rows.
  explicit ArioModel(const IOTable& table, const ArioOptions& options = {});

  /// Simulate options.n_steps days with the given events.
  /// \throws DimensionError on a damage vector of the wrong size; ModelError on an unknown
  /// rebuilding sector or shares that do not sum to 1.
  ArioResult run(const std::vector<ArioEvent>& events) const;

  /// The rebuilding demand `event` addresses to the suppliers when its rebuilding starts
  /// (zero matrices for an exogenous-recovery event): from `rebuilding_demand` if given,
  /// otherwise `rebuilding_factor × share_p × damage_j × Z0(i, j) / Z^S(p, j)`.
  /// \throws the errors of run() for this event
  ArioRebuildingDemand rebuilding_demand(const ArioEvent& event) const;

  Index n() const noexcept { return n_; }
  const Vector& capital() const noexcept { return k_; }            ///< productive capital per industry
  const Vector& baseline_production() const noexcept { return x0_; }  ///< x0 per day
  const Names& sector_names() const noexcept { return sector_names_; }
  const Names& region_names() const noexcept { return region_names_; }
  const std::vector<Index>& sector_of() const noexcept { return sector_of_; }  ///< product index of each industry
  const std::vector<Index>& region_of() const noexcept { return region_of_; }

 private:
  ArioOptions opt_;
  Index n_ = 0, m_ = 0;
  Matrix Z0_;        // daily flows
  Vector y0_, x0_, k_;
  Matrix Y0_;        // n x k daily final demand by column (household rebuilding split)
  Matrix AS_;        // m x n: inputs by product per unit of output
  Matrix ZS_;        // m x n: flows aggregated by product
  Vector s_;         // m durations
  Matrix Yreg_;      // n x R final demand of each region (rebuilding split when the damaged industry buys no such product)
  std::vector<Index> sector_of_, region_of_;
  Names sector_names_, region_names_;
  ArioRebuildingDemand prepare_event(const ArioEvent& e, const std::string& who) const;
};

/// Spread a total amount of destroyed capital over the industries of one region (or of the whole
/// table when region is empty) in proportion to their value added (x − column sums of Z).
/// \throws ModelError if the region is unknown or has no value added
Vector distribute_damage(const IOTable& table, const std::string& region, double total);

}  // namespace govsim::io
