// Builds against an installed govsim through find_package(govsim), with the umbrella header
// only: a three-sector table, a demand shock and its output effect; a one-equation DSGE model
// run through its commands (the README's C++ example).
#include <govsim/govsim.hpp>

#include <cmath>
#include <iostream>

int main() {
  govsim::io::IOTableData d;
  d.Z.resize(3, 3);
  d.Z << 150, 500, 50,
         200, 100, 400,
         300, 500, 50;
  d.Y.resize(3, 1);
  d.Y << 300, 300, 150;
  d.sectors = {"agriculture", "manufacturing", "services"};
  govsim::io::IOTable table(std::move(d));
  govsim::io::LeontiefModel model(table);
  govsim::Vector shock = govsim::Vector::Zero(3);
  shock(1) = 100.0;
  govsim::Matrix dx = model.output_change(shock);
  std::cout << "govsim " << GOVSIM_VERSION_STRING << ": output change " << dx.transpose() << " (total " << dx.sum()
            << ")\n";
  const auto m = govsim::dsge::parse_model(
      "var x; varexo e; parameters rho; rho = 0.5;\nmodel; x = rho*x(-1) + e; end;\n"
      "shocks; var e; stderr 1; end;\nstoch_simul(order=1, irf=3, nograph);\n",
      "ar1.mod");
  const auto run = govsim::dsge::run_commands(m);
  const auto sims = run.results_of<govsim::dsge::StochSimulResult>();
  if (!run.ok() || sims.size() != 1) return 1;
  std::cout << "AR(1): ghx " << sims[0]->first.ghx(0, 0) << "\n";
  return model.ok() && std::abs(sims[0]->first.ghx(0, 0) - 0.5) < 1e-12 ? 0 : 1;
}
