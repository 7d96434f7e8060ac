// Ships sealed event-log segments (docs/contracts.md §7) from the server's LOG_DIR/sealed to a
// ShipTarget, oldest first, so that every line ends up in exactly one shipped file even
// if the shipper is killed at any moment and re-run.
//
// Per segment S (target folder <day>/<host>/ or day=<day>/host=<host>/, see ship_layout.h;
// day and host from S's name; <final> = <folder>/<S>[.gz]):
//   1. If <final> exists with exactly the length we would upload, an earlier run got as
//      far as the rename: only the local cleanup is left (counted as "resumed").
//   2. Otherwise, unless S is already at the target in another format or layout, upload
//      to <folder>/.<final name>.tmp (replacing any leftover of a
//      crashed run), check its length at the target, rename it to <final> (a rename that
//      never replaces), and check <final>'s length.
//   3. Only then delete S locally or move it to the archive folder.
// A crash before 3 leaves S in the sealed folder and at most a complete <final>, which
// step 1 recognises next time; names are unique per segment, so nothing is shipped twice.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/eventlog/segment_name.h"
#include "tools/shipping/ship_layout.h"
#include "tools/shipping/ship_stats.h"
#include "tools/shipping/ship_target.h"

namespace botify::tools {

// What happens to a local segment once it is verified at the target.
enum class AfterShip {
  kKeep,     // leave it (a later run finds it shipped and skips it)
  kDelete,   // unlink it
  kArchive,  // move it into ShipperOptions::archive_dir
};

struct ShipperOptions {
  // The folder of sealed segments (the server's LOG_DIR/sealed). Only *.jsonl files are
  // considered; anything else (*.tmp, the lock file) is ignored.
  std::filesystem::path from_dir;
  AfterShip after_ship = AfterShip::kKeep;
  // With kArchive: the folder that shipped segments move into (created if missing).
  std::filesystem::path archive_dir;
  // Upload <segment>.gz compressed with gzip instead of the plain file.
  bool gzip = false;
  // The folders under the target (ship_layout.h). Default <day>/<host>/.
  ShipLayout layout = ShipLayout::kPlain;
  // Replace a file of a different length already under a final name at the target.
  // Without it such a segment fails (and stays local): it is not ours to overwrite.
  bool overwrite = false;
  // A segment is read into memory whole; larger ones are refused. Default 1 GiB; the
  // server's rotation size is far below.
  std::uint64_t max_segment_bytes = std::uint64_t{1} << 30;

  Status Validate() const;
};

// Thread-compatible. `target` must outlive the Shipper.
class Shipper {
 public:
  // `report` gets one line per segment and per problem (progress); may be empty.
  using Reporter = std::function<void(const std::string&)>;
  Shipper(ShipperOptions options, ShipTarget* target, Reporter report);

  // Ships every segment in from_dir, oldest first. A segment that fails is reported,
  // counted and left in place, and the pass goes on with the next one. Stops early
  // (between segments) once *stop is true.
  ShipStats RunOnce(const std::atomic<bool>* stop = nullptr);

  // The segment candidates in from_dir, sorted by name (oldest first).
  Result<std::vector<std::string>> ListSegments() const;

 private:
  enum class Outcome { kShipped, kResumed };
  // Where one segment goes at the target.
  struct Placement {
    struct Elsewhere {
      std::string path;  // a final path of the segment in another format or layout
      std::string why;   // which flag differs, for the report
    };
    std::string dir;                   // "<day>/<host>" (or the hive form)
    std::string final_path;            // "<dir>/<name>[.gz]"
    std::string temp_path;             // "<dir>/.<name>[.gz].tmp"
    std::vector<Elsewhere> elsewhere;  // every other place an earlier run could have used
  };
  Placement PlaceSegment(const eventlog::SegmentName& name) const;
  Result<std::string> LoadPayload(const std::filesystem::path& local, std::uint64_t* raw_bytes);
  Result<Outcome> ShipSegment(const eventlog::SegmentName& name, ShipStats* stats);
  Status CheckNotShippedElsewise(const Placement& place,
                                 const std::optional<std::uint64_t>& existing,
                                 std::uint64_t length);
  Status UploadAndRename(const Placement& place, const std::string& payload, bool replace);
  Status FinishLocal(const std::string& file_name);
  void Report(const std::string& line) const;

  // Constant after construction.
  const ShipperOptions options_;
  ShipTarget* const target_;
  const Reporter report_;
};

}  // namespace botify::tools
