#include "engine/world/appeal_drift.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cmath>
#include <filesystem>

#include "base/file.h"
#include "base/json_fields.h"
#include "base/random.h"

namespace botify::world {
namespace {

// The world generator's streams are 1..4 (world_generator.cpp); this one is apart.
constexpr std::uint64_t kDriftStream = 5;
constexpr std::uint64_t kManifestVersion = 1;
constexpr std::size_t kColumns = 3;  // trend, release day, release peak

}  // namespace

Status AppealDriftOptions::Validate() const {
  for (double v : {trend_scale, release_peak}) {
    if (!std::isfinite(v) || v < 0) {
      return Status::InvalidArgument(
          fmt::format("drift trend scale and release peak must be finite and >= 0, got {}", v));
    }
  }
  if (!(release_share >= 0 && release_share <= 1)) {
    return Status::InvalidArgument(
        fmt::format("drift release share must be in [0, 1], got {}", release_share));
  }
  for (double v : {release_rise_days, release_fade_days, release_window_days}) {
    if (!std::isfinite(v) || v <= 0) {
      return Status::InvalidArgument(
          fmt::format("drift release rise, fade and window days must be > 0, got {}", v));
    }
  }
  return Status::Ok();
}

AppealDrift AppealDrift::Generate(const AppealDriftOptions& options, std::size_t tracks) {
  AppealDrift drift;
  drift.options_ = options;
  drift.params_ = FloatMatrix{tracks, kColumns, std::vector<float>(tracks * kColumns, 0.0f)};
  Rng rng = Rng::ForStream(options.seed, kDriftStream);
  for (std::size_t t = 0; t < tracks; ++t) {
    const auto row = drift.params_.row(t);
    // Three draws per track whatever the options, so that changing one parameter leaves
    // the other tracks' draws where they were.
    row[0] = static_cast<float>(options.trend_scale * rng.Normal());
    const bool release = rng.UniformDouble() < options.release_share;
    const double day = options.release_window_days * rng.UniformDouble();
    row[1] = release ? static_cast<float>(day) : -1.0f;
    row[2] = release ? static_cast<float>(options.release_peak) : 0.0f;
  }
  return drift;
}

double AppealDrift::Offset(TrackId track, double day) const {
  const auto row = params_.row(track);
  double offset = row[0] * day;
  if (row[1] >= 0 && day >= row[1]) {
    const double since = day - row[1];
    const double shape =
        since < options_.release_rise_days
            ? since / options_.release_rise_days
            : std::exp(-(since - options_.release_rise_days) / options_.release_fade_days);
    offset += row[2] * shape;
  }
  return offset;
}

Status AppealDrift::Write(const std::string& dir) const {
  const std::filesystem::path root(dir);
  boost::json::object m;
  m["version"] = kManifestVersion;
  m["tracks"] = tracks();
  m["seed"] = options_.seed;
  m["trend_scale"] = options_.trend_scale;
  m["release_share"] = options_.release_share;
  m["release_peak"] = options_.release_peak;
  m["release_rise_days"] = options_.release_rise_days;
  m["release_fade_days"] = options_.release_fade_days;
  m["release_window_days"] = options_.release_window_days;
  BOTIFY_RETURN_IF_ERROR(
      WriteWholeFile((root / kDriftJson).string(), boost::json::serialize(m) + "\n"));
  return WriteNpy((root / kDriftNpy).string(), params_);
}

namespace {

Status ReadManifest(const std::string& path, std::size_t tracks, AppealDriftOptions* o) {
  std::string text;
  BOTIFY_RETURN_IF_ERROR(ReadWholeFile(path, &text));
  auto obj = ParseObject(text);
  if (!obj.ok()) return obj.status();
  auto version = GetUnsigned(*obj, "version", 1000);
  if (!version.ok()) return version.status();
  if (*version != kManifestVersion) {
    return Status::InvalidArgument(fmt::format("unsupported drift manifest version {}", *version));
  }
  auto n = GetUnsigned(*obj, "tracks", UINT32_MAX);
  if (!n.ok()) return n.status();
  if (*n != tracks) {
    return Status::InvalidArgument(
        fmt::format("'tracks' is {} but the catalog has {} tracks", *n, tracks));
  }
  auto seed = GetUnsigned(*obj, "seed", UINT64_MAX);
  if (!seed.ok()) return seed.status();
  o->seed = *seed;
  for (auto [key, field] :
       {std::pair{"trend_scale", &o->trend_scale}, std::pair{"release_share", &o->release_share},
        std::pair{"release_peak", &o->release_peak},
        std::pair{"release_rise_days", &o->release_rise_days},
        std::pair{"release_fade_days", &o->release_fade_days},
        std::pair{"release_window_days", &o->release_window_days}}) {
    auto v = GetNumber(*obj, key);
    if (!v.ok()) return v.status();
    *field = *v;
  }
  return o->Validate();
}

}  // namespace

Result<std::optional<AppealDrift>> AppealDrift::Load(const std::string& dir, std::size_t tracks) {
  const std::filesystem::path root(dir);
  const std::string json_path = (root / kDriftJson).string();
  const std::string npy_path = (root / kDriftNpy).string();
  const bool has_json = std::filesystem::exists(json_path);
  const bool has_npy = std::filesystem::exists(npy_path);
  if (!has_json && !has_npy) return std::optional<AppealDrift>();
  if (!has_json || !has_npy) {
    return Status::InvalidArgument(
        fmt::format("{}: a drifting world needs both {} and {}", dir, kDriftJson, kDriftNpy));
  }
  AppealDrift drift;
  const Status manifest = ReadManifest(json_path, tracks, &drift.options_);
  if (!manifest.ok()) return manifest.WithContext(json_path);
  auto params = ReadNpy(npy_path);
  if (!params.ok()) return params.status();
  if (params->rows != tracks || params->cols != kColumns) {
    return Status::InvalidArgument(fmt::format("{}: shape [{}, {}], expected [{}, {}]", npy_path,
                                               params->rows, params->cols, tracks, kColumns));
  }
  for (float v : params->data) {
    if (!std::isfinite(v)) return Status::InvalidArgument(npy_path + ": holds a non-finite value");
  }
  drift.params_ = std::move(*params);
  return std::optional<AppealDrift>(std::move(drift));
}

}  // namespace botify::world
