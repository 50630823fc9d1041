#pragma once
/// \file extraction.hpp
/// Hypothetical extraction (Dietzenbacher and Lahr 2013; Miller and Blair 2009, section 12.2.6):
/// how much total output the economy loses when a sector disappears (total extraction), stops
/// buying intermediate inputs (backward), or stops selling them (forward, Ghosh).
///
/// Every sector is extracted without one inversion per sector: removing sector j from I - A is
/// a rank-one change, and the partitioned-inverse identities give closed forms in terms of
/// diag(L), the column sums of L and the row sums of G:
///   total loss_j    = x_j · colsum_j(L) / L_jj
///   backward loss_j = x_j · (colsum_j(L) − 1) / L_jj
///   forward loss_j  = x_j · (rowsum_j(G) − 1) / L_jj
/// so the whole computation costs one diag(L) and two more solves. Dense models get diag(L)
/// from the inverted triangular factors of the LU (about n^3 flops, no n solves); sparse
/// models solve blocks of unit columns, so memory stays O(nnz + n * block).

#include <govsim/core/status.hpp>
#include <govsim/io/leontief.hpp>

#include <functional>

namespace govsim::io {

/// Losses of total output for the extraction of each sector (absolute and in percent of total
/// gross output).
struct ExtractionResult {
  Names labels;
  double total_output = 0.0;  ///< Σ x
  Vector total;               ///< total extraction loss (the sector's own output included)
  Vector backward;            ///< backward extraction loss
  Vector forward;             ///< forward extraction loss
  Vector total_percent;       ///< 100 · total / Σ x
  Vector backward_percent;
  Vector forward_percent;
};

/// Options for hypothetical_extraction.
struct ExtractionOptions {
  Index block = 256;  ///< columns per block when computing diag(L) (sparse models)
  /// Called after each block (sparse) or once (dense) with (block index, number of blocks);
  /// return false to stop
  /// (then a SolveError is thrown).
  std::function<bool(const IterationInfo&)> on_iteration;
  void validate() const;  ///< \throws OptionsError
};

/// Extract every sector. \throws SolveError if the model is singular or the callback stops it
ExtractionResult hypothetical_extraction(const IOTable& table, const LeontiefModel& model,
                                         const ExtractionOptions& options = {});

}  // namespace govsim::io
