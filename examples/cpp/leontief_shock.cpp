// A final-demand shock on a small textbook table (Miller and Blair 2009, table 2.3 style):
// output change, multipliers and key sectors.
#include <govsim/io.hpp>

#include <iostream>

int main() {
  using namespace govsim;
  io::IOTableData d;
  d.Z.resize(3, 3);
  d.Z << 150, 500, 50,
         200, 100, 400,
         300, 500, 50;
  d.Y.resize(3, 2);
  d.Y << 200, 100,
         250, 50,
         100, 50;
  d.final_demand = {"households", "exports"};
  d.value_added.resize(1, 3);
  d.value_added << 350, 900, 1000 - 550;  // gross output minus intermediate inputs
  d.value_added_names = {"compensation"};
  d.sectors = {"agriculture", "manufacturing", "services"};
  io::IOTable table(std::move(d));
  io::LeontiefModel model(table);

  Matrix shock = Matrix::Zero(3, 1);
  shock(1, 0) = -50.0;  // exports of manufacturing fall by 50
  Matrix dx = model.output_change(shock);
  std::cout << "output change by sector:\n" << dx << "\ntotal: " << dx.sum() << "\n";

  io::Multipliers m = io::compute_multipliers(table, model, io::HouseholdClosure{"compensation", "households"});
  std::cout << "output multipliers (type I): " << m.output.transpose() << "\n";
  std::cout << "output multipliers (type II): " << m.output_type_II.transpose() << "\n";

  io::Linkages k = io::compute_linkages(table, model);
  for (Index i = 0; i < table.n(); ++i)
    std::cout << table.sectors()[i] << ": " << io::to_string(k.classification[i]) << "\n";
  return 0;
}
