#pragma once
// Small tables shared by the IO tests.
#include <govsim/io/io_table.hpp>

#include <random>

namespace govsim::test {

/// Three-sector textbook table: x = (1000, 2000, 1000), two final-demand categories,
/// one value-added row (gross output minus intermediate inputs).
inline io::IOTableData textbook_data() {
  io::IOTableData d;
  d.Z.resize(3, 3);
  d.Z << 150, 500, 50,
         200, 100, 400,
         300, 500, 50;
  d.Y.resize(3, 2);
  d.Y << 200, 100,
         1100, 200,
         100, 50;
  d.final_demand = {"households", "exports"};
  d.sectors = {"agriculture", "manufacturing", "services"};
  d.value_added.resize(2, 3);
  d.value_added << 200, 500, 300,
                   150, 400, 200;
  d.value_added_names = {"compensation", "surplus"};
  d.satellite.resize(1, 3);
  d.satellite << 50, 40, 70;
  d.satellite_names = {"employment"};
  return d;
}

/// Random productive table of size n (column sums of A about 0.6), seeded.
inline io::IOTableData random_data(Index n, unsigned seed, double density = 1.0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  io::IOTableData d;
  d.x = Vector(n);
  for (Index i = 0; i < n; ++i) d.x(i) = 100.0 + 900.0 * u(rng);
  Matrix A(n, n);
  for (Index j = 0; j < n; ++j) {
    for (Index i = 0; i < n; ++i) A(i, j) = u(rng) < density ? u(rng) : 0.0;
    const double s = A.col(j).sum();
    if (s > 0) A.col(j) *= (0.3 + 0.5 * u(rng)) / s;
  }
  d.Z = A * d.x.asDiagonal();
  d.Y = Matrix(n, 1);
  d.Y.col(0) = d.x - d.Z.rowwise().sum();
  for (Index i = 0; i < n; ++i) d.sectors.push_back("s" + std::to_string(i));
  d.value_added = (d.x - Vector(d.Z.colwise().sum().transpose())).transpose();
  d.value_added_names = {"va"};
  return d;
}

}  // namespace govsim::test
