#include "server/service.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <set>
#include <thread>

namespace botify::server {

namespace json = boost::json;

Service::Service(std::shared_ptr<const catalog::Catalog> catalog, storage::Store* store,
                 Metrics* metrics, eventlog::EventLogWriter* log,
                 const serving::SessionStoreOptions& sessions, Env* env)
    : catalog_(std::move(catalog)),
      store_(store),
      metrics_(metrics),
      log_(log),
      env_(env),
      sessions_(sessions),
      started_(env->SteadyNow()) {
  auto routing = serving::Routing::Build(serving::RoutingConfig::Default(), *catalog_, indexes_);
  routing_.store(std::shared_ptr<const serving::Routing>(std::move(*routing)));
}

Status Service::LoadStoredIndexes() {
  MutexLock lock(mu_);
  auto listed = store_->ListIndexes();
  if (!listed.ok()) return listed.status();
  for (const auto& meta : *listed) {
    Status verified = store_->VerifyIndex(meta.name, *catalog_);
    auto index = verified.ok() ? store_->OpenIndex(meta.name)
                               : Result<std::shared_ptr<const serving::TrackListIndex>>(verified);
    if (!index.ok()) {
      fmt::print(stderr,
                 "botify-server: index {} is NOT served, its arms fall back to Random until a "
                 "good generation is loaded: {}\n",
                 meta.name, index.status().message());
      SetNotServed(meta.name, index.status().message());
      continue;
    }
    indexes_.GetOrCreate(meta.name)->Exchange(std::move(*index));
  }
  return Status::Ok();
}

void Service::RecordLoadFailure(const std::string& name) {
  reload_failures_.fetch_add(1);
  MutexLock lock(health_mu_);
  ++health_[name].load_failures;
}

void Service::SetNotServed(const std::string& name, std::string reason) {
  MutexLock lock(health_mu_);
  health_[name].not_served = std::move(reason);
}

std::map<std::string, Service::IndexHealth> Service::HealthSnapshot() const {
  MutexLock lock(health_mu_);
  return health_;
}

Result<std::string> Service::FindMissingIndexes(const serving::RoutingConfig& config) const {
  auto listed = store_->ListIndexes();
  if (!listed.ok()) return listed.status();
  std::set<std::string> stored;
  for (const auto& meta : *listed) stored.insert(meta.name);
  std::string missing;
  for (const auto& ref : config.IndexReferences()) {
    if (stored.count(ref.index)) continue;
    missing += fmt::format("{}{}: '{}' reads index '{}', which this server does not have",
                           missing.empty() ? "" : "; ", ref.where, ref.spec, ref.index);
  }
  if (missing.empty()) return missing;
  std::string have;
  for (const auto& name : stored) have += (have.empty() ? "" : ", ") + name;
  return fmt::format("{} (it has: {}); load it first with botify index load", missing,
                     have.empty() ? "no index" : have);
}

Status Service::ReloadConfig(const serving::RoutingConfig& config, MissingIndexes missing) {
  MutexLock lock(mu_);
  auto absent = FindMissingIndexes(config);
  if (!absent.ok() || (!absent->empty() && missing == MissingIndexes::kRefuse)) {
    reload_failures_.fetch_add(1);
    return absent.ok() ? Status::InvalidArgument(*absent) : absent.status();
  }
  if (!absent->empty()) {
    fmt::print(stderr,
               "botify-server: WARNING: these arms serve Random until their index is "
               "loaded: {}\n",
               *absent);
  }
  auto routing = serving::Routing::Build(config, *catalog_, indexes_);
  if (!routing.ok()) {
    reload_failures_.fetch_add(1);
    return routing.status();
  }
  routing_.store(std::shared_ptr<const serving::Routing>(std::move(*routing)));
  routing_version_.fetch_add(1, std::memory_order_release);
  reloads_.fetch_add(1);
  return Status::Ok();
}

Result<storage::IndexMeta> Service::LoadIndex(const std::string& name,
                                              const std::vector<std::string>& sst_paths,
                                              const storage::IngestOptions& options) {
  MutexLock lock(mu_);
  auto meta = sst_paths.size() == 1 ? store_->IngestIndex(name, sst_paths[0], *catalog_, options)
                                    : store_->IngestIndexParts(name, sst_paths, *catalog_);
  if (!meta.ok()) {
    RecordLoadFailure(name);
    return meta.status();
  }
  auto index = store_->OpenIndex(name);
  if (!index.ok()) {
    RecordLoadFailure(name);
    return index.status();
  }
  SetNotServed(name, "");
  std::weak_ptr<const serving::TrackListIndex> old =
      indexes_.GetOrCreate(name)->Exchange(std::move(*index));
  // In-flight requests hold the old generation for microseconds; wait for them (bounded)
  // before dropping its data. If one lingers, the next reload collects it.
  for (int i = 0; i < 1000 && !old.expired(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  store_->CollectGarbage();
  reloads_.fetch_add(1);
  return meta;
}

const serving::Routing& Service::RoutingFor(WorkerContext& ctx) const {
  const std::uint64_t version = routing_version_.load(std::memory_order_acquire);
  if (version != ctx.routing_version) {
    ctx.routing = routing_.load();
    ctx.routing_version = version;
    ctx.arms.resize(ctx.routing->logged_count());
  }
  return *ctx.routing;
}

std::string Service::StatusJson() const {
  json::object status;
  status["tracks"] = catalog_->size();
  status["uptime_seconds"] =
      std::chrono::duration_cast<std::chrono::seconds>(env_->SteadyNow() - started_).count();
  status["draining"] = draining();
  auto listed = store_->ListIndexes();
  const auto health = HealthSnapshot();
  json::array indexes;
  for (const auto& meta : listed.ok() ? *listed : std::vector<storage::IndexMeta>{}) {
    json::object o = json::parse(meta.ToJson()).as_object();
    const auto h = health.find(meta.name);
    const bool served = h == health.end() || h->second.not_served.empty();
    o["served"] = served;
    if (!served) o["problem"] = h->second.not_served;
    o["load_failures"] = h == health.end() ? 0 : h->second.load_failures;
    o["read_errors"] = store_->IndexReadErrors(meta.name);
    indexes.push_back(std::move(o));
  }
  status["indexes"] = std::move(indexes);
  if (!listed.ok()) status["indexes_error"] = listed.status().ToString();
  const auto routing = routing_.load();
  json::object cfg;
  cfg["routing"] = routing->config().routing ? json::value(*routing->config().routing) : nullptr;
  cfg["default"] = routing->config().default_recommender.ToString();
  json::array experiments;
  for (const auto& e : routing->config().experiments) {
    json::object o;
    o["name"] = e.name;
    o["split"] = e.split;
    o["log"] = e.log;
    json::object arms;
    for (std::size_t a = 0; a < e.arms.size(); ++a) {
      arms[std::string(eventlog::ArmName(static_cast<int>(a)))] =
          e.arms[a] ? e.arms[a]->ToString() : routing->config().default_recommender.ToString();
    }
    o["arms"] = std::move(arms);
    experiments.push_back(std::move(o));
  }
  cfg["experiments"] = std::move(experiments);
  status["config"] = std::move(cfg);
  const auto sessions = sessions_.Stats();
  status["sessions"] = {{"active", sessions.active},
                        {"bytes", sessions.bytes},
                        {"budget_bytes", sessions_.options().memory_budget_bytes},
                        {"evicted_idle", sessions.evicted_idle},
                        {"evicted_budget", sessions.evicted_budget}};
  if (log_ != nullptr) {
    const auto s = log_->stats();
    status["log"] = {{"events", s.events},
                     {"bytes", s.bytes},
                     {"segments_sealed", s.segments_sealed},
                     {"write_errors", s.write_errors},
                     {"queued_bytes", s.queued_bytes},
                     {"sealed_bytes_on_disk", s.sealed_bytes_on_disk},
                     {"lost_events", s.lost_events},
                     {"accepting", log_->accepting()}};
  }
  return json::serialize(status);
}

void Service::IndexGauges(std::vector<Metrics::Sample>* out) const {
  auto listed = store_->ListIndexes();
  const std::vector<storage::IndexMeta> stored =
      listed.ok() ? std::move(*listed) : std::vector<storage::IndexMeta>{};
  const auto health = HealthSnapshot();
  std::set<std::string> names;  // stored indexes and names a load was tried for
  for (const auto& meta : stored) names.insert(meta.name);
  for (const auto& [name, h] : health) names.insert(name);
  auto label = [](const std::string& name) { return fmt::format("name=\"{}\"", name); };
  // Each family's samples are written together, as the text format requires.
  for (const auto& meta : stored) {
    out->push_back({"botify_index_generation", "Serving generation of each index.", "gauge",
                    label(meta.name), static_cast<double>(meta.generation)});
  }
  for (const auto& meta : stored) {
    out->push_back({"botify_index_lists", "Lists (keys) in the serving generation.", "gauge",
                    label(meta.name), static_cast<double>(meta.lists)});
  }
  for (const auto& meta : stored) {
    const auto h = health.find(meta.name);
    const bool served = h == health.end() || h->second.not_served.empty();
    out->push_back({"botify_index_served",
                    "1 if the stored generation serves; 0 if start-up found it damaged "
                    "(its arms fall back; reason on stderr and in /admin/status).",
                    "gauge", label(meta.name), served ? 1.0 : 0.0});
  }
  for (const auto& name : names) {
    const auto h = health.find(name);
    out->push_back({"botify_index_load_failures_total",
                    "Refused or failed loads of each index (the old generation kept serving).",
                    "counter", label(name),
                    static_cast<double>(h == health.end() ? 0 : h->second.load_failures)});
  }
  for (const auto& name : names) {
    out->push_back({"botify_index_read_errors_total",
                    "Index reads that failed (storage error or undecodable list) and fell back.",
                    "counter", label(name), static_cast<double>(store_->IndexReadErrors(name))});
  }
}

void Service::FallbackGauges(std::vector<Metrics::Sample>* out) const {
  const auto routing = routing_.load();
  for (const auto& ref : routing->config().IndexReferences()) {
    const bool serving = indexes_.GetOrCreate(ref.index)->Load() != nullptr;
    out->push_back({"botify_arm_index_missing",
                    "1 while the arm's index has no serving generation (never loaded, or damaged "
                    "at start-up): its users get the fallback recommender.",
                    "gauge",
                    fmt::format("experiment=\"{}\",arm=\"{}\",index=\"{}\"", ref.experiment,
                                ref.arm, ref.index),
                    serving ? 0.0 : 1.0});
  }
}

std::vector<Metrics::Sample> Service::Gauges() const {
  std::vector<Metrics::Sample> out;
  out.push_back({"botify_catalog_tracks", "Tracks in the catalog.", "gauge", "",
                 static_cast<double>(catalog_->size())});
  IndexGauges(&out);
  FallbackGauges(&out);
  out.push_back({"botify_reloads_total", "Successful index and config reloads.", "counter", "",
                 static_cast<double>(reloads_.load())});
  out.push_back({"botify_reload_failures_total", "Refused or failed reloads.", "counter", "",
                 static_cast<double>(reload_failures_.load())});
  out.push_back({"botify_store_sst_bytes", "Bytes of live SST files in the store.", "gauge", "",
                 static_cast<double>(store_->LiveSstBytes())});
  out.push_back({"botify_store_block_cache_bytes", "Bytes in the store's block cache.", "gauge", "",
                 static_cast<double>(store_->BlockCacheBytes())});
  AddSessionGauges(&out);
  out.push_back({"botify_accept_failures_total",
                 "Connections not accepted for want of descriptors or memory (backed off).",
                 "counter", "", static_cast<double>(metrics_->accept_failures())});
  if (log_ != nullptr) {
    const auto s = log_->stats();
    auto add = [&](const char* name, const char* help, const char* type, double v) {
      out.push_back({name, help, type, "", v});
    };
    add("botify_log_events_total", "Events written to the log.", "counter", s.events);
    add("botify_log_bytes_total", "Bytes written to the log.", "counter", s.bytes);
    add("botify_log_segments_sealed_total", "Log segments sealed.", "counter", s.segments_sealed);
    add("botify_log_write_errors_total",
        "Failed log writes (retried), failed seals and segments lost from under the writer.",
        "counter", s.write_errors);
    add("botify_log_lost_events_total",
        "Answered events in no log segment of this server (a segment removed or moved away).",
        "counter", s.lost_events);
    add("botify_log_queue_bytes", "Event bytes handed to the writer, not yet on disk.", "gauge",
        s.queued_bytes);
    add("botify_log_sealed_bytes", "Bytes of sealed segments not yet shipped.", "gauge",
        s.sealed_bytes_on_disk);
    add("botify_log_over_budget", "1 if sealed segments exceed the disk budget.", "gauge",
        s.over_budget ? 1 : 0);
  }
  return out;
}

void Service::AddSessionGauges(std::vector<Metrics::Sample>* out) const {
  // Idle sessions are otherwise forgotten only when their shard is next used.
  sessions_.Sweep(SteadyNowMs());
  const auto s = sessions_.Stats();
  auto add = [&](const char* name, const char* help, const char* type, const char* labels,
                 double v) {
    out->push_back({name, help, type, labels, v});
  };
  add("botify_sessions_active", "Listener sessions held in memory.", "gauge", "", s.active);
  add("botify_session_memory_bytes", "Estimated memory held by session state.", "gauge", "",
      s.bytes);
  add("botify_session_memory_budget_bytes", "Memory budget for session state.", "gauge", "",
      sessions_.options().memory_budget_bytes);
  add("botify_sessions_started_total", "Sessions begun by a /next.", "counter", "", s.started);
  add("botify_sessions_ended_total", "Sessions closed by /last.", "counter", "", s.ended);
  add("botify_session_evictions_total", "Sessions forgotten before their /last.", "counter",
      "reason=\"idle\"", s.evicted_idle);
  add("botify_session_evictions_total", "Sessions forgotten before their /last.", "counter",
      "reason=\"budget\"", s.evicted_budget);
}

std::int64_t Service::SteadyNowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(env_->SteadyNow().time_since_epoch())
      .count();
}

}  // namespace botify::server
