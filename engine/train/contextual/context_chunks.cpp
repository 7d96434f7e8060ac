#include "engine/train/contextual/context_chunks.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace botify::train::contextual {

std::vector<TrackId> TrainedContexts(const ContextualModel& model) {
  std::vector<TrackId> contexts;
  for (TrackId c = 0; c < model.tracks; ++c) {
    if (model.trained_context[c]) contexts.push_back(c);
  }
  return contexts;
}

void RunInChunks(std::span<const TrackId> contexts, std::size_t chunk, int threads,
                 const std::function<ChunkWork()>& make_work, const RankProgress& progress) {
  std::atomic<std::size_t> next{0};
  std::mutex progress_mu;
  std::size_t done = 0;
  auto worker = [&] {
    const ChunkWork work = make_work();
    for (std::size_t begin = next.fetch_add(chunk); begin < contexts.size();
         begin = next.fetch_add(chunk)) {
      const std::size_t n = std::min(chunk, contexts.size() - begin);
      work(contexts.subspan(begin, n));
      std::lock_guard<std::mutex> lock(progress_mu);
      done += n;
      if (progress) progress(done, contexts.size());
    }
  };
  std::vector<std::jthread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
}

}  // namespace botify::train::contextual
