#include "engine/train/mf/projector_export.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/file.h"

namespace botify::train::mf {
namespace {

namespace fs = std::filesystem;

// tensorboardX's SummaryWriter._encode.
std::string EncodeTag(const std::string& tag) {
  std::string out;
  for (const char c : tag) {
    if (c == '%' || c == '/' || c == '\\') {
      out += fmt::format("%{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

// A TSV cell: tabs and line breaks would break the table.
std::string Cell(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

Status AppendText(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::app);
  file << text;
  if (!file.flush()) return Status::IoError(fmt::format("cannot write {}", path.string()));
  return Status::Ok();
}

std::string Tensors(const MfModel& model) {
  std::string out;
  for (std::uint32_t i = 0; i < model.n_items(); ++i) {
    const float* row = model.item(i);
    for (std::uint32_t c = 0; c < model.no_components(); ++c) {
      fmt::format_to(std::back_inserter(out), "{}{}", c == 0 ? "" : "\t", row[c]);
    }
    out += '\n';
  }
  return out;
}

Result<std::string> Metadata(const std::vector<TrackId>& track_ids,
                             const catalog::Catalog& catalog) {
  std::string out = "artist\ttitle\n";
  for (const TrackId track : track_ids) {
    if (!catalog.Contains(track)) {
      return Status::NotFound(fmt::format("track {} of the model is not in the catalog ({} tracks)",
                                          track, catalog.size()));
    }
    out += Cell(catalog.artist_name(track)) + '\t' + Cell(catalog.title(track)) + '\n';
  }
  return out;
}

Status AppendConfig(const fs::path& log_dir, const std::string& subdir,
                    const std::string& tensor_name) {
  const fs::path config = log_dir / "projector_config.pbtxt";
  const std::string tensor_path = subdir + "/tensors.tsv";
  std::string text;  // none yet: the first embedding creates the file
  if (!ReadWholeFile(config, &text).ok()) text.clear();
  if (text.find(fmt::format("tensor_path: \"{}\"", tensor_path)) != std::string::npos) {
    return Status::Ok();
  }
  return AppendText(config, fmt::format("embeddings {{\ntensor_name: \"{}\"\ntensor_path: \"{}\"\n"
                                        "metadata_path: \"{}/metadata.tsv\"\n}}\n",
                                        tensor_name, tensor_path, subdir));
}

}  // namespace

Status ProjectorOptions::Validate() const {
  if (log_dir.empty()) return Status::InvalidArgument("the projector log dir is empty");
  if (tag.empty()) return Status::InvalidArgument("the projector tag is empty");
  return Status::Ok();
}

Status WriteProjector(const MfModel& model, const std::vector<TrackId>& track_ids,
                      const catalog::Catalog& catalog, const ProjectorOptions& options) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (track_ids.size() != model.n_items()) {
    return Status::InvalidArgument("track_ids and the model's items differ in count");
  }
  auto metadata = Metadata(track_ids, catalog);
  if (!metadata.ok()) return metadata.status();
  const std::string step = fmt::format("{:05}", options.global_step);
  const std::string subdir = step + "/" + EncodeTag(options.tag);
  const fs::path dir = fs::path(options.log_dir) / subdir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  BOTIFY_RETURN_IF_ERROR(WriteWholeFile(dir / "tensors.tsv", Tensors(model)));
  BOTIFY_RETURN_IF_ERROR(WriteWholeFile(dir / "metadata.tsv", *metadata));
  return AppendConfig(options.log_dir, subdir, options.tag + ":" + step);
}

}  // namespace botify::train::mf
