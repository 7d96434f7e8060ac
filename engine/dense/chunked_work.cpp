#include "engine/dense/chunked_work.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace botify::dense {

void RunInChunks(std::span<const std::uint32_t> queries, std::size_t chunk, int threads,
                 const std::function<ChunkWork()>& make_work, const ChunkProgress& progress) {
  std::atomic<std::size_t> next{0};
  std::mutex progress_mu;
  std::size_t done = 0;
  auto worker = [&] {
    const ChunkWork work = make_work();
    for (std::size_t begin = next.fetch_add(chunk); begin < queries.size();
         begin = next.fetch_add(chunk)) {
      const std::size_t n = std::min(chunk, queries.size() - begin);
      work(queries.subspan(begin, n));
      std::lock_guard<std::mutex> lock(progress_mu);
      done += n;
      if (progress) progress(done, queries.size());
    }
  };
  std::vector<std::jthread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
}

}  // namespace botify::dense
