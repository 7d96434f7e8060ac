// The two flags of a bounded ranking over clusters (engine/train/ann/clustered_search.h),
// shared by `train contextual` (--ann-clusters, --ann-probe) and `train mf`/`mf-export`
// (--export-clusters, --export-probe).
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

namespace botify::tools {

struct AnnFlagNames {
  std::string clusters;  // e.g. "--ann-clusters"
  std::string probe;     // e.g. "--ann-probe"
  std::string what;      // what is clustered, e.g. "targets"
  std::string list;      // whose list is bounded, e.g. "track's"
};

// Registers names.clusters into *clusters (0 = exact) and names.probe into *probe.
void AddAnnFlags(CLI::App* cmd, const AnnFlagNames& names, std::size_t* clusters,
                 std::size_t* probe);

// How a ranking ran, for the summary line: "exactly" or "in the P best of C target
// clusters (--ann-probe, --ann-clusters)".
std::string AnnRankingMode(std::size_t clusters, std::size_t probe);

}  // namespace botify::tools
