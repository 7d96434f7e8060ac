#include "tests/tools/session_log_support.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "base/random.h"

namespace botify::testing {

std::string EventLine(eventlog::EventKind kind, std::int64_t ts, UserId user, TrackId track,
                      double time) {
  std::string out;
  eventlog::LoggedArm arms[] = {{"AA", "C"}};
  eventlog::AppendEventJson(
      &out, kind, ts, user, track, time, 0.001,
      kind == eventlog::EventKind::kNext ? std::optional<TrackId>(track) : std::nullopt, arms);
  return out;
}

int Botify(std::vector<std::string> args, std::string* output) {
  args.insert(args.begin(), BOTIFY_CLI_BINARY);
  return RunCommand(args, output);
}

std::vector<std::string> TrainArgs(const TempDir& dir, const std::string& trainer,
                                   const std::string& name, std::vector<std::string> options,
                                   const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"train",    trainer,
                                   "--logs",   dir / "logs",
                                   "--tracks", dir / "world/tracks.json",
                                   "--out",    dir / (name + ".jsonl")};
  args.insert(args.end(), options.begin(), options.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

void WriteSessionLogs(const TempDir& dir, const catalog::Catalog& catalog) {
  const std::size_t tracks = catalog.size();
  Rng rng(5);
  std::string a, b;
  std::int64_t ts = 0;
  for (int session = 0; session < 3000; ++session) {
    const auto user = static_cast<UserId>(rng.Uniform(200));
    const auto first = static_cast<TrackId>(rng.Uniform(tracks));
    std::string& out = session % 2 ? a : b;
    out += EventLine(eventlog::EventKind::kNext, ++ts, user, first, 1.0);
    for (int step = 0; step < 8; ++step) {
      const auto track = static_cast<TrackId>(rng.Uniform(tracks));
      const bool liked = catalog.artist_of(track) % 2 == catalog.artist_of(first) % 2;
      const double time = liked ? 0.9 : 0.05;
      out += EventLine(step == 7 ? eventlog::EventKind::kLast : eventlog::EventKind::kNext, ++ts,
                       user, track, time);
    }
  }
  std::filesystem::create_directories(dir.path() / "logs" / "day1");
  WriteFile(dir / "logs/day1/a.jsonl", a);
  WriteFile(dir / "logs/b.jsonl", b);
}

catalog::Catalog SmallWorldWithLogs(const TempDir& dir) {
  std::string output;
  REQUIRE(Botify({"world", "gen", "--out", dir / "world", "--preset", "small"}, &output) == 0);
  auto catalog = catalog::Catalog::LoadJsonLines(dir / "world/tracks.json");
  REQUIRE(catalog.ok());
  WriteSessionLogs(dir, *catalog);
  return std::move(catalog).value();
}

}  // namespace botify::testing
