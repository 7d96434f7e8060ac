// The state the handlers serve from: catalog, index registry backed by the store,
// the current routing, the event log and metrics. Owns the reload operations.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/mutex.h"
#include "engine/catalog/catalog.h"
#include "engine/eventlog/event_log_writer.h"
#include "engine/serving/routing.h"
#include "engine/serving/session_store.h"
#include "engine/serving/track_list_index.h"
#include "server/metrics.h"
#include "server/worker_context.h"
#include "storage/store.h"

namespace botify::server {

// Thread-safe. `store`, `metrics`, `log` (may be null: logging off) and `env` must outlive it.
class Service {
 public:
  // `sessions` must be valid (SessionStoreOptions::Validate()). `env` is the clock of the
  // request path (its latencies and event times, through ApiHandler and DecidePlayback),
  // of session state (idle sweeps) and of the uptime: a test passes a manual clock
  // (tests/fake_env.h) to move time without sleeping.
  Service(std::shared_ptr<const catalog::Catalog> catalog, storage::Store* store, Metrics* metrics,
          eventlog::EventLogWriter* log, const serving::SessionStoreOptions& sessions = {},
          Env* env = Env::Default());

  // Installs the serving generation of every index the store holds, at start-up, after
  // reading each one whole (Store::VerifyIndex). A damaged generation is not served: its
  // arms fall back to Random, stderr says which index and what is wrong, and /metrics
  // (botify_index_served 0) and /admin/status show it, until a good generation is loaded.
  // Fails only if the manifest itself cannot be read.
  Status LoadStoredIndexes() EXCLUDES(mu_);

  // What ReloadConfig does with a config naming an index this server does not have (no
  // generation was ever loaded under that name): its arms would serve the fallback.
  enum class MissingIndexes {
    kRefuse,  // push and SIGHUP: a typo must not silently move users to Random
    kWarn,    // start-up: indexes are usually loaded after the server starts; stderr says
              // which arm falls back until they are
  };

  // Validates `config` (it must build; with kRefuse every index it names must exist) and
  // swaps it in whole; the old one keeps serving if it does not. A refusal names every arm
  // whose index is missing, and the index.
  Status ReloadConfig(const serving::RoutingConfig& config,
                      MissingIndexes missing = MissingIndexes::kRefuse) EXCLUDES(mu_);

  // Ingests an SST built by `botify index build` as the next generation of `name`, swaps
  // readers to it atomically and drops the old generation once no request reads it. A
  // refused file (Store::IngestIndex checks it whole) leaves the old generation serving
  // and counts in botify_index_load_failures_total{name}.
  // Several `sst_paths`: the K key-range part files of one `index build --key-ranges K`,
  // ingested together as one generation (Store::IngestIndexParts; `options` do not apply:
  // a set of parts always holds lists).
  Result<storage::IndexMeta> LoadIndex(const std::string& name,
                                       const std::vector<std::string>& sst_paths,
                                       const storage::IngestOptions& options = {}) EXCLUDES(mu_);

  // The routing to use for a request; refreshes the worker's cached copy when a reload
  // happened. Lock-free on the fast path (one relaxed load).
  const serving::Routing& RoutingFor(WorkerContext& ctx) const;

  const catalog::Catalog& catalog() const { return *catalog_; }
  eventlog::EventLogWriter* log() const { return log_; }
  // The same writer, as the request path sees it; null when logging is off.
  eventlog::EventSink* event_sink() const { return log_; }
  // Listeners' current sessions, for session-aware recommenders. Thread-safe.
  serving::SessionStore& sessions() const { return sessions_; }
  Metrics& metrics() const { return *metrics_; }
  // The clock every request and session reads. Thread-safe.
  Env& env() const { return *env_; }

  // Draining: requests get 503 and connections close. Set on SIGTERM.
  bool draining() const { return draining_.load(std::memory_order_relaxed); }
  void StartDraining() { draining_.store(true); }

  // JSON for GET /admin/status.
  std::string StatusJson() const;
  // Scrape-time gauges for /metrics.
  std::vector<Metrics::Sample> Gauges() const;

 private:
  void AddSessionGauges(std::vector<Metrics::Sample>* out) const;
  // env_'s steady clock in milliseconds, the clock of session state (as DecidePlayback's).
  std::int64_t SteadyNowMs() const;
  // One line per reference of `config` to an index the store does not hold; "" if none.
  Result<std::string> FindMissingIndexes(const serving::RoutingConfig& config) const;
  // What /metrics and /admin/status say about an index beyond its manifest record.
  struct IndexHealth {
    std::uint64_t load_failures = 0;  // refused or failed loads of this name
    std::string not_served;           // why the stored generation is not served; "" = it is
  };
  void RecordLoadFailure(const std::string& name) EXCLUDES(health_mu_);
  void SetNotServed(const std::string& name, std::string reason) EXCLUDES(health_mu_);
  std::map<std::string, IndexHealth> HealthSnapshot() const EXCLUDES(health_mu_);
  // Appends the per-index samples of /metrics.
  void IndexGauges(std::vector<Metrics::Sample>* out) const;
  // Appends botify_arm_index_missing for every arm of the routing that reads an index.
  void FallbackGauges(std::vector<Metrics::Sample>* out) const;

  std::shared_ptr<const catalog::Catalog> catalog_;
  storage::Store* store_;
  Metrics* metrics_;
  eventlog::EventLogWriter* log_;
  Env* env_;
  // mutable: a scrape looks up the slots the routing names (they exist: Routing::Build
  // made them), through GetOrCreate.
  mutable serving::IndexRegistry indexes_;
  mutable serving::SessionStore sessions_;
  const std::chrono::steady_clock::time_point started_;  // env_'s, at construction

  // Serializes reloads (the routing and slots it swaps are atomics); never taken on the
  // request path. Taken before health_mu_.
  mutable Mutex mu_ ACQUIRED_BEFORE(health_mu_);
  std::atomic<std::shared_ptr<const serving::Routing>> routing_;
  std::atomic<std::uint64_t> routing_version_{0};
  std::atomic<std::uint64_t> reloads_{0}, reload_failures_{0};
  std::atomic<bool> draining_{false};
  // Taken by loads, scrapes and status only, briefly; never by /next.
  mutable Mutex health_mu_;
  std::map<std::string, IndexHealth> health_ GUARDED_BY(health_mu_);
};

}  // namespace botify::server
