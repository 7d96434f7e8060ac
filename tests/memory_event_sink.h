// An in-memory eventlog::EventSink for tests: keeps every line handed to it, with the
// producer that handed it, and accepts or refuses as the test says.
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/mutex.h"
#include "engine/eventlog/event_sink.h"

namespace botify::testing {

// Thread-safe.
class MemoryEventSink final : public eventlog::EventSink {
 public:
  bool accepting() const override { return accepting_.load(); }
  void Append(int producer, std::string_view lines) override {
    MutexLock lock(mu_);
    appended_.emplace_back(producer, std::string(lines));
  }

  void set_accepting(bool accepting) { accepting_.store(accepting); }
  // Everything appended, in order.
  std::string Lines() const {
    MutexLock lock(mu_);
    std::string out;
    for (const auto& [producer, lines] : appended_) out += lines;
    return out;
  }
  // The producer index of each Append, in order.
  std::vector<int> Producers() const {
    MutexLock lock(mu_);
    std::vector<int> out;
    for (const auto& a : appended_) out.push_back(a.first);
    return out;
  }

 private:
  mutable Mutex mu_;
  std::vector<std::pair<int, std::string>> appended_ GUARDED_BY(mu_);
  std::atomic<bool> accepting_{true};
};

}  // namespace botify::testing
