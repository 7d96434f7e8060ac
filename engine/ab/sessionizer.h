// Turns event-log rows of one experiment into per-(user, arm) session totals, exactly as
// docs/contracts.md §11 (the seminar's computation):
//
//   rows carry experiments[NAME] = arm; per (user, arm) the rows, sorted stably by
//   timestamp (ties keep input order: file order, then line order), form sessions: each
//   row adds 1 track, its time and latency*1000 ms to the open session, a `last` row
//   closes it; rows after the (user, arm)'s final `last` form no session.
//
// Memory: the sort needs every row of a user, so rows are kept as 32-byte compact records
// until Finish(): all in memory by default, or, with a memory budget, at most about the
// budget's worth in memory and the rest in sorted runs on disk (base/external_sorter.h).
// Both give exactly the same result. The result is per (user, arm) (40 bytes each) plus
// per-arm series per session index.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/external_sorter.h"
#include "base/ids.h"
#include "base/key_shard.h"
#include "base/status.h"
#include "engine/eventlog/event.h"

namespace botify::ab {

// Sums over the closed sessions of one (user, arm). A (user, arm) whose rows close no
// session has sessions == tracks == 0 and time == latency_ms == 0.
struct UserArmTotals {
  UserId user = 0;
  int arm = 0;  // 0 = C, 1 = T1, ...
  std::int64_t sessions = 0;
  std::int64_t tracks = 0;
  double time = 0;
  double latency_ms = 0;
};

// Why rows were not used.
struct DropCounts {
  std::int64_t no_experiment = 0;     // the row has no experiments[NAME]
  std::int64_t unknown_arm = 0;       // experiments[NAME] is not C, T1 .. T8
  std::int64_t after_final_last = 0;  // rows after the final `last` of their (user, arm)
  std::int64_t malformed = 0;         // lines the log reader could not parse

  std::int64_t total() const { return no_experiment + unknown_arm + after_final_last + malformed; }
};

// Per arm: users (= (user, arm) groups), closed sessions, rows inside closed sessions.
struct ArmCounts {
  std::int64_t users = 0;
  std::int64_t sessions = 0;
  std::int64_t rows = 0;
};

// Sums over the k-th session (0-based, in time order) of every user of one arm, for the
// report's charts: mean tracks of the k-th session = tracks[k] / sessions[k].
struct SessionSeries {
  std::vector<std::int64_t> sessions;
  std::vector<double> tracks;
  std::vector<double> time;

  // Adds one closed session as the k-th of its user. The one place series grow, so that a
  // merge of shards (engine/ab/ab_partial.h) adds the same values in the same order.
  void AddSession(std::size_t k, std::int64_t session_tracks, double session_time);
};

// One closed session's sums, kept for a partial log (SessionizerOptions::keep_sessions):
// what rebuilds SessionSeries exactly in another process.
struct ClosedSession {
  std::int64_t tracks = 0;
  double time = 0;
};

struct SessionizedLog {
  std::string experiment;
  std::vector<UserArmTotals> totals;  // sorted by (user, arm)
  std::array<ArmCounts, eventlog::kMaxArms> arms{};
  std::array<SessionSeries, eventlog::kMaxArms> series;
  DropCounts dropped;
  std::int64_t rows_read = 0;  // every row offered, malformed lines included
  // Every experiment name seen on any row, sorted (for "no such experiment" errors).
  std::vector<std::string> experiments_seen;
  // Only with SessionizerOptions::keep_sessions: every closed session, in the order of
  // `totals` and, within a (user, arm), in time order; totals[i].sessions of them belong to
  // totals[i]. Empty otherwise.
  std::vector<ClosedSession> sessions;

  // Highest arm index with at least one user, or -1 if none.
  int HighestArm() const;
  // Recomputes `arms` and `series` from `totals` and `sessions` (which must be kept), in
  // the order of `totals`: the same sums, in the same order, as the Sessionizer makes.
  void RecountFromSessions();
};

struct SessionizerOptions {
  // Bounds the rows held in memory (default: no bound, no disk).
  ExternalSortOptions spill{};
  // Only rows of these users are sessionized; every row still counts in rows_read and
  // experiments_seen (so every shard of one input agrees on them), and the drops are
  // counted for these users only (so shards' drops add up to the whole input's). Default:
  // every user.
  KeyShard users{};
  // Fill SessionizedLog::sessions (16 bytes a closed session), for a partial log.
  bool keep_sessions = false;
};

// Thread-compatible. Feed rows in input order (file order, then line order).
class Sessionizer {
 public:
  explicit Sessionizer(std::string experiment, SessionizerOptions options = {});

  // Takes every row, as arm C, whatever experiments it carries (none are dropped for want
  // of one): the per-user totals of a pre-period, CUPED's covariates (engine/ab/cuped.h).
  static Sessionizer ForAllRows(SessionizerOptions options = {});

  // Offers one parsed row. If spilling rows to disk fails, the error is kept (status())
  // and later rows are counted but not used; Finish() returns the error.
  void Add(const eventlog::Event& event);
  // Counts `lines` lines the log reader could not parse (and skipped).
  void AddMalformed(std::int64_t lines = 1);

  // The first spill error, or OK.
  const Status& status() const { return status_; }
  const ExternalSortStats& spill_stats() const { return rows_.stats(); }

  // Sorts, sessionizes and returns the result; the Sessionizer is empty afterwards.
  Result<SessionizedLog> Finish();

 private:
  // One usable row, compact. Input order is the order of Add().
  struct Row {
    std::int64_t timestamp_ms;
    double time;
    double latency_ms;
    UserId user;
    std::uint8_t arm;
    bool is_last;
  };
  // The seminar's order: by (user, arm), then timestamp; the sorter keeps ties in input order.
  struct RowLess {
    bool operator()(const Row& a, const Row& b) const {
      if (a.user != b.user) return a.user < b.user;
      if (a.arm != b.arm) return a.arm < b.arm;
      return a.timestamp_ms < b.timestamp_ms;
    }
  };
  // The (user, arm) whose sorted rows are streaming by, and its open session.
  struct OpenGroup {
    bool active = false;
    UserArmTotals totals;
    std::int64_t open_tracks = 0;
    double open_time = 0;
    double open_latency_ms = 0;
  };

  void NoteExperiments(const eventlog::Event& event);
  void Consume(const Row& row, OpenGroup* group, SessionizedLog* out) const;
  static void CloseGroup(OpenGroup* group, SessionizedLog* out);

  std::string experiment_;
  KeyShard users_;
  bool keep_sessions_ = false;
  bool all_rows_ = false;  // ForAllRows()
  ExternalSorter<Row, RowLess> rows_;
  Status status_;
  SessionizedLog log_;
};

}  // namespace botify::ab
