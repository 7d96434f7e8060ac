// The sequence numbers in segment names (engine/eventlog/segment_name.h), which order one
// log folder's segments whatever the wall clock does. They count up per folder and survive
// restarts: the writer reserves them kBlock at a time by writing the first number past the
// reservation durably into <dir>/.botify-segment-seq, so a restart (even after a crash)
// starts past every number handed out; numbers may be skipped, never reused. Losing the
// file (the folder wiped) is covered by the names still in the folder: the next number is
// also past every sequence number found there.
//
// Thread-compatible: the writer's thread uses it (and Start before that thread runs).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"

namespace botify::eventlog {

class SegmentSequence {
 public:
  // Numbers reserved by one durable write: one write per 64 segments opened.
  static constexpr std::uint64_t kBlock = 64;

  // Continues past <dir>/.botify-segment-seq and every segment name in `segment_dirs`.
  // A damaged or unreadable state file is reported on stderr and the names decide.
  // `env` must outlive the object.
  SegmentSequence(Env* env, const std::string& dir, const std::vector<std::string>& segment_dirs);

  // Reserves the next block now if no number is reserved (the writer does so at start,
  // so that a folder where it cannot is refused before any request is answered).
  Status Reserve();
  // The number for the next segment; reserves a new block first when needed, and fails
  // (handing out nothing) if that reservation cannot be written.
  Result<std::uint64_t> Next();

  // After the folder was recreated: also continues past what the (new) folder holds, and
  // reserves afresh there.
  void Rebase(const std::vector<std::string>& segment_dirs);

 private:
  std::uint64_t OnDisk(const std::vector<std::string>& segment_dirs) const;

  Env* const env_;
  const std::string state_path_;
  std::uint64_t next_ = 0;
  std::uint64_t reserved_until_ = 0;  // numbers below this were reserved durably
};

}  // namespace botify::eventlog
