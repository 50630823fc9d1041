// Builds against an installed govsim through find_package(govsim): a three-sector table,
// a demand shock and its output effect.
#include <govsim/govsim.hpp>

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
  return model.ok() ? 0 : 1;
}
