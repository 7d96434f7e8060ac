#include "engine/dense/faiss_work.h"

#include <fmt/format.h>

#include <atomic>
#include <exception>
#include <mutex>

namespace botify::dense {

Status RunFaissChunks(std::span<const std::uint32_t> queries, std::size_t chunk, int threads,
                      const std::function<ChunkWork()>& make_work, const ChunkProgress& progress,
                      const std::string& what) {
  std::mutex mu;
  Status error;
  std::atomic<bool> failed{false};
  const OmpThreads caller(1);
  RunInChunks(
      queries, chunk, threads,
      [&]() -> ChunkWork {
        omp_set_num_threads(1);  // on the worker's thread: its faiss calls stay on it
        return [&, work = make_work()](std::span<const std::uint32_t> part) {
          if (failed) return;
          try {
            work(part);
          } catch (const std::exception& e) {
            std::lock_guard<std::mutex> lock(mu);
            if (!failed.exchange(true))
              error = Status::Internal(fmt::format("{}: {}", what, e.what()));
          }
        };
      },
      progress);
  return error;
}

}  // namespace botify::dense
