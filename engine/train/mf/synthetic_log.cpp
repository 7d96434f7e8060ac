#include "engine/train/mf/synthetic_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "base/random.h"

namespace botify::train::mf {
namespace {

// A track of `group`, skewed towards its first tracks (popular ones).
TrackId PickTrack(const SyntheticLogOptions& o, std::uint32_t group, Rng& rng) {
  const std::uint32_t in_group = (o.tracks - group + o.groups - 1) / o.groups;
  const double u = rng.UniformDouble();
  const auto rank =
      std::min<std::uint32_t>(in_group - 1, static_cast<std::uint32_t>(in_group * u * u));
  return group + rank * o.groups;
}

}  // namespace

std::vector<eventlog::Event> MakeSyntheticEvents(const SyntheticLogOptions& o) {
  Rng rng(o.seed);
  std::vector<eventlog::Event> events;
  events.reserve(std::size_t{o.users} * o.rows_per_user);
  std::int64_t timestamp = 1'700'000'000'000;
  for (std::uint32_t u = 0; u < o.users; ++u) {
    for (std::uint32_t r = 0; r < o.rows_per_user; ++r) {
      eventlog::Event e;
      e.timestamp_ms = timestamp++;
      e.user = u;
      const bool own = rng.UniformDouble() < o.in_group_share;
      const auto group = own ? u % o.groups : static_cast<std::uint32_t>(rng.Uniform(o.groups));
      e.track = PickTrack(o, group, rng);
      const bool listened = own || rng.UniformDouble() < o.noise_positive_share;
      e.time = listened ? 0.85 + 0.15 * rng.UniformDouble() : 0.5 * rng.UniformDouble();
      e.time = std::round(e.time * 100) / 100;
      e.latency = 0.001;
      e.recommendation = static_cast<TrackId>(rng.Uniform(o.tracks));
      events.push_back(std::move(e));
    }
  }
  return events;
}

Status WriteEventLog(const std::vector<eventlog::Event>& events, const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "w"), &std::fclose);
  if (!file) return Status::IoError(fmt::format("cannot create {}", path));
  std::string line;
  for (const eventlog::Event& e : events) {
    line.clear();
    eventlog::AppendEventJson(&line, e.kind, e.timestamp_ms, e.user, e.track, e.time, e.latency,
                              e.recommendation, {});
    if (std::fwrite(line.data(), 1, line.size(), file.get()) != line.size()) {
      return Status::IoError(fmt::format("writing {} failed", path));
    }
  }
  if (std::fclose(file.release()) != 0)
    return Status::IoError(fmt::format("closing {} failed", path));
  return Status::Ok();
}

}  // namespace botify::train::mf
