#include "tools/ann_flags.h"

#include <fmt/format.h>

namespace botify::tools {

void AnnFlags::Add(CLI::App* cmd, const std::string& prefix, const std::string& list,
                   const std::string& what) {
  prefix_ = prefix;
  index_flag_ = prefix + "-index";
  cmd->add_option(index_flag_, index_,
                  fmt::format("How each {} list is ranked: exact (every one of the {}, on "
                              "BLAS), ivf or hnsw (a faiss index of the {}: faster, may miss "
                              "some; default exact, or ivf when {}-clusters is given); "
                              "ivf-flat: ivf's cells scanned by faiss's IndexIVFFlat instead of "
                              "BLAS (the same lists up to near-ties, slower here: for comparison)",
                              list, what, what, prefix))
      ->check(CLI::IsMember({"exact", "ivf", "hnsw", "ivf-flat"}));
  cmd->add_option(
         prefix + "-clusters", values_.lists,
         fmt::format("ivf, ivf-flat: k-means cells of the {} (faiss nlist; ~4 sqrt({}) is a good "
                     "start); > 0 alone selects ivf",
                     what, what))
      ->capture_default_str();
  cmd->add_option(
         prefix + "-probe", values_.probe,
         fmt::format("ivf, ivf-flat: cells searched per list (faiss nprobe), in [1, {}-clusters]; "
                     "more: closer to the exact lists, slower",
                     prefix))
      ->capture_default_str();
  cmd->add_option(prefix + "-hnsw-m", values_.hnsw_m,
                  "hnsw: links per node and layer (faiss M; 2 M on the bottom layer)")
      ->capture_default_str();
  cmd->add_option(prefix + "-ef-construction", values_.ef_construction,
                  "hnsw: candidate list width while building (faiss efConstruction)")
      ->capture_default_str();
  cmd->add_option(prefix + "-ef-search", values_.ef_search,
                  "hnsw: candidate list width while searching (faiss efSearch; raised to the "
                  "list length plus the list's exclusions); more: closer to exact, slower")
      ->capture_default_str();
  cmd->add_option(prefix + "-build-threads", build_threads_,
                  "OpenMP threads of faiss while building (ivf: its k-means, whose cells do not "
                  "depend on them; hnsw: parallel inserts, after which the graph depends on the "
                  "schedule). Idle OpenMP threads spin: at 100x the k-means took more CPU and "
                  "more wall time on 2 threads than on 1")
      ->capture_default_str();
}

Result<dense::IndexOptions> AnnFlags::Resolve(std::uint64_t seed) const {
  dense::IndexOptions o = values_;
  if (index_ == "ivf" || (index_.empty() && values_.lists > 0)) {
    o.kind = dense::IndexKind::kIvf;
  } else if (index_ == "ivf-flat") {
    o.kind = dense::IndexKind::kIvfFlat;
  } else if (index_ == "hnsw") {
    o.kind = dense::IndexKind::kHnsw;
  } else {
    o.kind = dense::IndexKind::kExact;
  }
  o.seed = seed;
  o.build_threads = build_threads_;
  if (Status s = o.Validate(); !s.ok()) {
    const std::string& p = prefix_;
    return Status::InvalidArgument(
        fmt::format("{} (flags: {}-clusters = nlist, {}-probe = nprobe, {}-hnsw-m = M, "
                    "{}-ef-construction = efConstruction, {}-ef-search = efSearch, "
                    "{}-build-threads)",
                    s.message(), p, p, p, p, p, p));
  }
  return o;
}

}  // namespace botify::tools
