#include "engine/serving/track_list_index.h"

namespace botify::serving {

bool InMemoryTrackListIndex::Get(std::uint32_t key, std::vector<TrackId>* out) const {
  auto it = lists_.find(key);
  if (it == lists_.end()) return false;
  out->assign(it->second.begin(), it->second.end());
  return true;
}

IndexSlot* IndexRegistry::GetOrCreate(const std::string& name) {
  MutexLock lock(mu_);
  auto& slot = slots_[name];
  if (!slot) slot = std::make_unique<IndexSlot>();
  return slot.get();
}

std::vector<std::string> IndexRegistry::Names() const {
  MutexLock lock(mu_);
  std::vector<std::string> names;
  for (const auto& [name, slot] : slots_) names.push_back(name);
  return names;
}

}  // namespace botify::serving
