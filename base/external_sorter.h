// A stable external merge sort of fixed-size records: records are added in input order,
// and come out sorted, records that compare equal in the order they were added, while at
// most about `memory_budget_bytes` of them are held in memory. The rest wait in sorted runs
// in nameless spill files (base/spill_file.h) that a k-way merge reads back.
//
// Stability across runs: runs hold consecutive stretches of the input, and the merge
// breaks ties by run (the earlier stretch first); within a run std::stable_sort keeps
// input order. So the output is exactly std::stable_sort of the whole input.
//
// Memory: a run is budget * 2/3 of records, because std::stable_sort may take a buffer of
// half a run. The merge reads every run through a block of budget / runs bytes. At most
// `max_open_runs` runs exist at once (file descriptors): reaching it merges them into one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <queue>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/spill_file.h"
#include "base/status.h"

namespace botify {

struct ExternalSortOptions {
  // 0 = never spill: every record stays in memory (a plain std::stable_sort).
  std::size_t memory_budget_bytes = 0;
  // Folder of the spill files; must exist when the first run is spilled.
  std::filesystem::path spill_dir;
  // Runs that may exist at once before they are merged into one.
  std::size_t max_open_runs = 64;
};

struct ExternalSortStats {
  std::uint64_t records = 0;
  std::uint64_t runs_spilled = 0;   // runs written, merged ones included
  std::uint64_t bytes_spilled = 0;  // bytes written to spill files, merges included
  std::uint64_t intermediate_merges = 0;
};

// Thread-compatible. Record must be trivially copyable (it is written to disk as bytes);
// Less a strict weak ordering on it.
template <typename Record, typename Less>
class ExternalSorter {
  static_assert(std::is_trivially_copyable_v<Record>);

 public:
  explicit ExternalSorter(ExternalSortOptions options, Less less = Less())
      : options_(std::move(options)), less_(std::move(less)) {
    if (options_.memory_budget_bytes > 0) {
      run_capacity_ =
          std::max<std::size_t>(1, options_.memory_budget_bytes * 2 / 3 / sizeof(Record));
      options_.max_open_runs = std::max<std::size_t>(2, options_.max_open_runs);
    }
  }

  // Adds one record; may spill a run (the only failure: the spill file's I/O).
  Status Add(const Record& record) {
    // Grown by doubling up to the run's size, never past it (the budget), and never
    // committed ahead for an input that turns out small.
    if (run_capacity_ > 0 && buffer_.size() == buffer_.capacity()) {
      buffer_.reserve(std::min(run_capacity_, std::max<std::size_t>(1024, 2 * buffer_.capacity())));
    }
    buffer_.push_back(record);
    ++stats_.records;
    if (run_capacity_ > 0 && buffer_.size() >= run_capacity_) return SpillBuffer();
    return Status::Ok();
  }

  // Calls sink(const Record&) for every record, in the order described above; the sorter
  // is empty afterwards (the spill files are closed, so they are gone).
  template <typename Sink>
  Status ForEachSorted(Sink&& sink) {
    if (runs_.empty()) {
      std::stable_sort(buffer_.begin(), buffer_.end(), less_);
      for (const Record& r : buffer_) sink(r);
      Release(&buffer_);
      return Status::Ok();
    }
    if (!buffer_.empty()) BOTIFY_RETURN_IF_ERROR(SpillBuffer());
    Release(&buffer_);
    std::vector<std::unique_ptr<SpillFile>> runs = std::move(runs_);
    runs_.clear();
    return Merge(runs, sink);
  }

  const ExternalSortStats& stats() const { return stats_; }
  const ExternalSortOptions& options() const { return options_; }

 private:
  // One run being merged: a block of its records and the position in it.
  struct Cursor {
    SpillFile* file = nullptr;
    std::vector<Record> block;
    std::size_t pos = 0;
    std::size_t end = 0;

    const Record& current() const { return block[pos]; }
    // Advances; false at the run's end.
    Result<bool> Next() {
      if (++pos < end) return true;
      std::size_t bytes = 0;
      Status s = file->Read(block.data(), block.size() * sizeof(Record), &bytes);
      if (!s.ok()) return s;
      if (bytes % sizeof(Record) != 0) {
        return Status::Corruption("a spill file ended inside a record");
      }
      pos = 0;
      end = bytes / sizeof(Record);
      return end > 0;
    }
  };

  static void Release(std::vector<Record>* v) {
    v->clear();
    v->shrink_to_fit();
  }

  Status SpillBuffer() {
    std::stable_sort(buffer_.begin(), buffer_.end(), less_);
    auto file = SpillFile::Create(options_.spill_dir);
    if (!file.ok()) return file.status();
    BOTIFY_RETURN_IF_ERROR((*file)->Append(buffer_.data(), buffer_.size() * sizeof(Record)));
    stats_.bytes_spilled += buffer_.size() * sizeof(Record);
    ++stats_.runs_spilled;
    buffer_.clear();  // keeps its capacity for the next run
    runs_.push_back(std::move(*file));
    if (runs_.size() >= options_.max_open_runs) return MergeRunsIntoOne();
    return Status::Ok();
  }

  // Replaces every run with one run of their merge: it holds the earliest stretch of the
  // input, so it stays first and stability holds.
  Status MergeRunsIntoOne() {
    std::vector<std::unique_ptr<SpillFile>> runs = std::move(runs_);
    runs_.clear();
    Release(&buffer_);  // the merge's blocks take the budget instead
    auto merged = SpillFile::Create(options_.spill_dir);
    if (!merged.ok()) return merged.status();
    std::vector<Record> out;
    out.reserve(BlockRecords(runs.size() + 1));
    Status write_status;
    auto flush = [&] {
      if (write_status.ok())
        write_status = (*merged)->Append(out.data(), out.size() * sizeof(Record));
      stats_.bytes_spilled += out.size() * sizeof(Record);
      out.clear();
    };
    BOTIFY_RETURN_IF_ERROR(Merge(runs, [&](const Record& r) {
      out.push_back(r);
      if (out.size() == out.capacity()) flush();
    }));
    flush();
    BOTIFY_RETURN_IF_ERROR(write_status);
    ++stats_.runs_spilled;
    ++stats_.intermediate_merges;
    runs_.push_back(std::move(*merged));
    return Status::Ok();
  }

  std::size_t BlockRecords(std::size_t blocks) const {
    const std::size_t bytes = options_.memory_budget_bytes / std::max<std::size_t>(1, blocks);
    return std::max<std::size_t>(bytes / sizeof(Record), 1024);
  }

  // k-way merge of `runs` (in input order) into sink; closes them.
  template <typename Sink>
  Status Merge(std::vector<std::unique_ptr<SpillFile>>& runs, Sink&& sink) {
    std::vector<Cursor> cursors(runs.size());
    const std::size_t block = BlockRecords(runs.size());
    // The heap's top is the smallest current record, ties going to the earliest run.
    auto later = [&](std::size_t a, std::size_t b) {
      const Record& ra = cursors[a].current();
      const Record& rb = cursors[b].current();
      if (less_(rb, ra)) return true;
      if (less_(ra, rb)) return false;
      return a > b;
    };
    std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heap(later);
    for (std::size_t i = 0; i < runs.size(); ++i) {
      BOTIFY_RETURN_IF_ERROR(runs[i]->Rewind());
      cursors[i].file = runs[i].get();
      cursors[i].block.resize(block);
      auto more = cursors[i].Next();
      if (!more.ok()) return more.status();
      if (*more) heap.push(i);
    }
    while (!heap.empty()) {
      const std::size_t i = heap.top();
      heap.pop();
      sink(cursors[i].current());
      auto more = cursors[i].Next();
      if (!more.ok()) return more.status();
      if (*more) heap.push(i);
    }
    runs.clear();
    return Status::Ok();
  }

  ExternalSortOptions options_;
  Less less_;
  std::size_t run_capacity_ = 0;  // 0 = never spill
  std::vector<Record> buffer_;
  std::vector<std::unique_ptr<SpillFile>> runs_;  // in input order
  ExternalSortStats stats_;
};

}  // namespace botify
