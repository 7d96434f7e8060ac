#include "tools/shipping/shipper.h"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "base/file.h"
#include "tools/shipping/gzip.h"

namespace botify::tools {

namespace fs = std::filesystem;

Status ShipperOptions::Validate() const {
  if (from_dir.empty()) return Status::InvalidArgument("--from: the sealed folder is required");
  std::error_code ec;
  if (!fs::is_directory(from_dir, ec)) {
    return Status::InvalidArgument("--from " + from_dir.string() + ": not a folder");
  }
  if (after_ship == AfterShip::kArchive) {
    if (archive_dir.empty()) return Status::InvalidArgument("--archive: the folder is empty");
    if (fs::equivalent(archive_dir, from_dir, ec)) {
      return Status::InvalidArgument("--archive must not be the --from folder");
    }
  }
  if (max_segment_bytes == 0) return Status::InvalidArgument("max_segment_bytes must be > 0");
  return Status::Ok();
}

Shipper::Shipper(ShipperOptions options, ShipTarget* target, Reporter report)
    : options_(std::move(options)), target_(target), report_(std::move(report)) {}

void Shipper::Report(const std::string& line) const {
  if (report_) report_(line);
}

Result<std::vector<std::string>> Shipper::ListSegments() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(options_.from_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (eventlog::IsSegmentCandidate(name) && it->is_regular_file(ec)) names.push_back(name);
  }
  if (ec) return Status::IoError("cannot list " + options_.from_dir.string() + ": " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

Shipper::Placement Shipper::PlaceSegment(const eventlog::SegmentName& name) const {
  auto final_in = [&](ShipLayout layout, bool gzip) {
    return SegmentFolder(layout, name) + "/" + name.file_name + (gzip ? ".gz" : "");
  };
  Placement place;
  place.dir = SegmentFolder(options_.layout, name);
  place.final_path = final_in(options_.layout, options_.gzip);
  place.temp_path = place.dir + "/." + name.file_name + (options_.gzip ? ".gz" : "") + ".tmp";
  for (ShipLayout layout : kAllShipLayouts) {
    for (bool gzip : {false, true}) {
      if (layout == options_.layout && gzip == options_.gzip) continue;
      place.elsewhere.push_back(
          {final_in(layout, gzip), gzip != options_.gzip ? "the other format (--gzip differs)"
                                                         : "another layout (--layout differs)"});
    }
  }
  return place;
}

Result<std::string> Shipper::LoadPayload(const fs::path& local, std::uint64_t* raw_bytes) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(local, ec);
  if (ec) return Status::IoError("cannot stat " + local.string() + ": " + ec.message());
  if (size > options_.max_segment_bytes) {
    return Status::FailedPrecondition(fmt::format(
        "{}: {} bytes is over the limit of {}", local.string(), size, options_.max_segment_bytes));
  }
  std::string data;
  BOTIFY_RETURN_IF_ERROR(ReadWholeFile(local, &data));
  if (!data.empty() && data.back() != '\n') {
    return Status::Corruption(local.string() +
                              ": does not end with a newline, so it is not a complete sealed "
                              "segment; left in place");
  }
  *raw_bytes = data.size();
  if (!options_.gzip) return data;
  return GzipCompress(data);
}

Status Shipper::CheckNotShippedElsewise(const Placement& place,
                                        const std::optional<std::uint64_t>& existing,
                                        std::uint64_t length) {
  if (existing.has_value() && !options_.overwrite) {
    return Status::AlreadyExists(fmt::format(
        "{} already exists with {} bytes, not the {} bytes of this segment; not replacing it "
        "(use --overwrite if it is garbage)",
        target_->Describe(place.final_path), *existing, length));
  }
  for (const auto& other : place.elsewhere) {
    auto length = target_->FileLength(other.path);
    if (!length.ok()) return length.status();
    if (length->has_value()) {
      return Status::AlreadyExists(target_->Describe(other.path) +
                                   " exists: this segment was shipped in " + other.why +
                                   "; not shipping it twice");
    }
  }
  return Status::Ok();
}

Status Shipper::UploadAndRename(const Placement& place, const std::string& payload, bool replace) {
  BOTIFY_RETURN_IF_ERROR(target_->MakeDirs(place.dir));
  // A failed upload (a full target, say) leaves no temporary behind: best effort, since a
  // retry overwrites it anyway and the segment stays local until it is placed.
  auto discard_temp = [&](Status failure) {
    (void)target_->Delete(place.temp_path);
    return failure;
  };
  if (Status s = target_->Write(place.temp_path, payload); !s.ok()) return discard_temp(s);
  auto uploaded = target_->FileLength(place.temp_path);
  if (!uploaded.ok()) return uploaded.status();
  if (*uploaded != std::optional<std::uint64_t>(payload.size())) {
    return discard_temp(Status::Corruption(
        fmt::format("{} has {} bytes after the upload, expected {}",
                    target_->Describe(place.temp_path), uploaded->value_or(0), payload.size())));
  }
  if (replace) BOTIFY_RETURN_IF_ERROR(target_->Delete(place.final_path));
  const Status renamed = target_->Rename(place.temp_path, place.final_path);
  // A retried rename whose first try went through reports the destination as existing.
  if (!renamed.ok() && renamed.code() != StatusCode::kAlreadyExists) return renamed;
  auto placed = target_->FileLength(place.final_path);
  if (!placed.ok()) return placed.status();
  if (*placed != std::optional<std::uint64_t>(payload.size())) {
    return renamed.ok()
               ? Status::Corruption(fmt::format("{} has {} bytes after the rename, expected {}",
                                                target_->Describe(place.final_path),
                                                placed->value_or(0), payload.size()))
               : renamed;
  }
  return Status::Ok();
}

Status Shipper::FinishLocal(const std::string& file_name) {
  const fs::path local = options_.from_dir / file_name;
  switch (options_.after_ship) {
    case AfterShip::kKeep:
      return Status::Ok();
    case AfterShip::kDelete:
      return RemoveDurably(local);
    case AfterShip::kArchive: {
      std::error_code ec;
      fs::create_directories(options_.archive_dir, ec);
      if (ec) {
        return Status::IoError("cannot create " + options_.archive_dir.string() + ": " +
                               ec.message());
      }
      return MoveIntoDir(local, options_.archive_dir);
    }
  }
  return Status::Internal("unknown AfterShip");
}

Result<Shipper::Outcome> Shipper::ShipSegment(const eventlog::SegmentName& name, ShipStats* stats) {
  std::uint64_t raw_bytes = 0;
  auto payload = LoadPayload(options_.from_dir / name.file_name, &raw_bytes);
  if (!payload.ok()) return payload.status();
  const Placement place = PlaceSegment(name);
  auto existing = target_->FileLength(place.final_path);
  if (!existing.ok()) return existing.status();
  Outcome outcome = Outcome::kResumed;
  if (*existing != std::optional<std::uint64_t>(payload->size())) {
    BOTIFY_RETURN_IF_ERROR(CheckNotShippedElsewise(place, *existing, payload->size()));
    BOTIFY_RETURN_IF_ERROR(UploadAndRename(place, *payload, existing->has_value()));
    outcome = Outcome::kShipped;
    stats->bytes_uploaded += payload->size();
  }
  BOTIFY_RETURN_IF_ERROR(FinishLocal(name.file_name));
  stats->bytes_read += raw_bytes;
  Report(fmt::format("{} {} -> {} ({})",
                     outcome == Outcome::kShipped ? "shipped" : "already there:", name.file_name,
                     target_->Describe(place.final_path), HumanBytes(payload->size())));
  return outcome;
}

ShipStats Shipper::RunOnce(const std::atomic<bool>* stop) {
  ShipStats stats;
  stats.passes = 1;
  auto names = ListSegments();
  if (!names.ok()) {
    Report("error: " + names.status().ToString());
    ++stats.segments_failed;
    return stats;
  }
  for (const std::string& file_name : *names) {
    if (stop != nullptr && stop->load()) break;
    auto name = eventlog::ParseSegmentName(file_name);
    Result<Outcome> outcome = name.ok() ? ShipSegment(*name, &stats) : name.status();
    if (!outcome.ok()) {
      ++stats.segments_failed;
      Report("failed " + file_name + ": " + outcome.status().ToString());
    } else if (*outcome == Outcome::kShipped) {
      ++stats.segments_shipped;
    } else {
      ++stats.segments_resumed;
    }
  }
  return stats;
}

}  // namespace botify::tools
