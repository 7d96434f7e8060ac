#include "engine/eventlog/segment_sequence.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "engine/eventlog/log_layout.h"
#include "engine/eventlog/segment_name.h"

namespace botify::eventlog {

SegmentSequence::SegmentSequence(Env* env, const std::string& dir,
                                 const std::vector<std::string>& segment_dirs)
    : env_(env), state_path_(LogPath(dir, kSegmentSeqFileName)) {
  next_ = OnDisk(segment_dirs);
}

std::uint64_t SegmentSequence::OnDisk(const std::vector<std::string>& segment_dirs) const {
  std::uint64_t next = 0;
  std::string text;
  if (env_->IdOf(state_path_).ok()) {
    Status read = env_->ReadAt(state_path_, 0, 64, &text);
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    while (end > text.data() && (end[-1] == '\n' || end[-1] == ' ')) --end;
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (read.ok() && ec == std::errc() && stop == end && stop != text.data()) {
      next = value;
    } else {
      fmt::print(stderr,
                 "botify-server: WARNING: event log: {} is unreadable or damaged ({}); segment "
                 "numbers continue past the segments in the folder\n",
                 state_path_, read.ok() ? "'" + text.substr(0, 20) + "'" : read.message());
    }
  }
  for (const auto& dir : segment_dirs) {
    auto files = env_->ListFiles(dir);
    if (!files.ok()) continue;
    for (const FileEntry& f : *files) {
      auto name = ParseSegmentName(f.name);
      if (name.ok() && !name->per_boot_seq) next = std::max(next, name->seq + 1);
    }
  }
  return next;
}

Status SegmentSequence::Reserve() {
  if (next_ < reserved_until_) return Status::Ok();
  const std::uint64_t until = next_ + kBlock;
  BOTIFY_RETURN_IF_ERROR(env_->WriteFileAtomically(state_path_, fmt::format("{}\n", until)));
  reserved_until_ = until;
  return Status::Ok();
}

Result<std::uint64_t> SegmentSequence::Next() {
  BOTIFY_RETURN_IF_ERROR(Reserve());
  return next_++;
}

void SegmentSequence::Rebase(const std::vector<std::string>& segment_dirs) {
  next_ = std::max(next_, OnDisk(segment_dirs));
  reserved_until_ = 0;  // the reservation lived in the old folder
}

}  // namespace botify::eventlog
