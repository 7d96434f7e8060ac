#include "tools/ann_flags.h"

#include <fmt/format.h>

namespace botify::tools {

void AddAnnFlags(CLI::App* cmd, const AnnFlagNames& names, std::size_t* clusters,
                 std::size_t* probe) {
  cmd->add_option(names.clusters, *clusters,
                  fmt::format("Bounded ranking: cluster the {} into this many clusters and rank "
                              "each {} list only from its {} best clusters (0 = exact: every "
                              "one; ~sqrt({}) is a good start)",
                              names.what, names.list, names.probe, names.what))
      ->capture_default_str();
  cmd->add_option(names.probe, *probe,
                  fmt::format("Bounded ranking: clusters searched per list, in [1, {}] (more: "
                              "closer to the exact lists, slower)",
                              names.clusters))
      ->capture_default_str();
}

std::string AnnRankingMode(std::size_t clusters, std::size_t probe) {
  if (clusters == 0) return "exactly";
  return fmt::format("in the {} best of {} target clusters (--ann-probe, --ann-clusters)", probe,
                     clusters);
}

}  // namespace botify::tools
