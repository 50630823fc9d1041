#pragma once
/// \file linkages.hpp
/// Backward and forward linkages and key sectors: Rasmussen's power and sensitivity of
/// dispersion, Leontief backward linkages (column sums of L) and Ghosh forward linkages (row
/// sums of G), normalized by their averages (Miller and Blair 2009, section 12.2).

#include <govsim/io/leontief.hpp>

#include <string>
#include <vector>

namespace govsim::io {

/// Sector classification from normalized backward (Leontief) and forward (Ghosh) linkages.
enum class SectorClass { Key, BackwardOriented, ForwardOriented, Weak };
const char* to_string(SectorClass c) noexcept;

/// Linkage indicators of every sector.
struct Linkages {
  Names labels;
  Vector backward;                   ///< column sums of L
  Vector forward;                    ///< row sums of G (Ghosh)
  Vector power_of_dispersion;        ///< backward / mean(backward) (Rasmussen)
  Vector sensitivity_of_dispersion;  ///< row sums of L / their mean (Rasmussen)
  Vector forward_normalized;         ///< forward / mean(forward)
  std::vector<SectorClass> classification;  ///< Key when both normalized backward and forward > 1
};

/// Compute all linkage indicators with three solves (no inverse is formed).
Linkages compute_linkages(const IOTable& table, const LeontiefModel& model);

}  // namespace govsim::io
