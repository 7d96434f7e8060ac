#include "engine/train/mf/trained_model.h"

#include <fmt/format.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/binary_io.h"
#include "base/file.h"

namespace botify::train::mf {
namespace {

constexpr char kMagic[8] = {'B', 'O', 'T', 'I', 'F', 'Y', 'M', 'F'};
constexpr std::size_t kHeaderBytes = 8 + 4 * 4 + 8;

// Rows of a padded matrix without their padding.
void PutRows(std::string* out, const std::vector<float>& rows, std::uint32_t stride,
             std::uint32_t d) {
  for (std::size_t r = 0; r < rows.size(); r += stride) AppendBinaryArray(out, rows.data() + r, d);
}

bool GetRows(BinaryReader* in, std::vector<float>* rows, std::uint32_t stride, std::uint32_t d) {
  for (std::size_t r = 0; r < rows->size(); r += stride) {
    if (!in->GetArray(rows->data() + r, d)) return false;
  }
  return true;
}

struct Header {
  std::uint32_t version = 0, d = 0, n_users = 0, n_items = 0;
  std::uint64_t nnz = 0;
  std::uint64_t PayloadBytes() const {
    return std::uint64_t{n_users} * 4 + std::uint64_t{n_items} * 4 +
           (std::uint64_t{n_users} + n_items) * d * 4 + std::uint64_t{n_items} * 4 +
           (std::uint64_t{n_users} + 1) * 8 + nnz * 4;
  }
};

Status ReadHeader(const std::string& bytes, BinaryReader* in, Header* h) {
  char magic[8];
  if (!in->GetArray(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) {
    return Status::Corruption("not a botify mf model file (bad magic)");
  }
  if (!in->Get(&h->version) || !in->Get(&h->d) || !in->Get(&h->n_users) || !in->Get(&h->n_items) ||
      !in->Get(&h->nnz)) {
    return Status::Corruption("truncated header");
  }
  if (h->version != kModelFileVersion) {
    return Status::InvalidArgument(
        fmt::format("model file version {} is not supported (this "
                    "build reads version {})",
                    h->version, kModelFileVersion));
  }
  if (h->d == 0 || kHeaderBytes + h->PayloadBytes() + 4 != bytes.size()) {
    return Status::Corruption(fmt::format(
        "size {} bytes does not match the header ({} components, {} users, {} items, {} "
        "train positives): truncated or corrupt",
        bytes.size(), h->d, h->n_users, h->n_items, h->nnz));
  }
  return Status::Ok();
}

Status CheckTrain(const UserItemMatrix& train, std::uint32_t n_items) {
  const auto& indptr = train.indptr();
  if (indptr.front() != 0 || indptr.back() != train.nnz()) {
    return Status::Corruption("train positives: row offsets do not span the items");
  }
  for (std::uint32_t u = 0; u < train.users(); ++u) {
    if (indptr[u] > indptr[u + 1]) return Status::Corruption("train positives: offsets decrease");
    const auto row = train.Row(u);
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (row[k] >= n_items || (k > 0 && row[k] <= row[k - 1])) {
        return Status::Corruption(fmt::format("train positives of user #{}: bad item index", u));
      }
    }
  }
  return Status::Ok();
}

Result<TrainedModel> Decode(const std::string& bytes) {
  BinaryReader in(bytes);
  Header h;
  BOTIFY_RETURN_IF_ERROR(ReadHeader(bytes, &in, &h));
  std::uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  if (Crc32(std::string_view(bytes).substr(0, bytes.size() - 4)) != stored_crc) {
    return Status::Corruption("checksum mismatch");
  }
  TrainedModel t;
  t.model = MfModel(h.n_users, h.n_items, h.d);
  t.user_ids.resize(h.n_users);
  t.track_ids.resize(h.n_items);
  std::vector<std::uint64_t> indptr(std::size_t{h.n_users} + 1);
  std::vector<std::uint32_t> items(h.nnz);
  const std::uint32_t stride = t.model.stride();
  const bool ok = in.GetArray(t.user_ids.data(), h.n_users) &&
                  in.GetArray(t.track_ids.data(), h.n_items) &&
                  GetRows(&in, &t.model.user_embeddings(), stride, h.d) &&
                  GetRows(&in, &t.model.item_embeddings(), stride, h.d) &&
                  in.GetArray(t.model.item_biases().data(), h.n_items) &&
                  in.GetArray(indptr.data(), indptr.size()) && in.GetArray(items.data(), h.nnz);
  if (!ok) return Status::Corruption("truncated payload");
  t.train = UserItemMatrix::FromCsr(std::move(indptr), std::move(items));
  BOTIFY_RETURN_IF_ERROR(CheckTrain(t.train, h.n_items));
  return t;
}

}  // namespace

Status SaveTrainedModel(const TrainedModel& t, const std::string& path) {
  const MfModel& m = t.model;
  std::string out;
  out.append(kMagic, 8);
  AppendBinary(&out, kModelFileVersion);
  AppendBinary(&out, m.no_components());
  AppendBinary(&out, m.n_users());
  AppendBinary(&out, m.n_items());
  AppendBinary(&out, std::uint64_t{t.train.nnz()});
  AppendBinaryArray(&out, t.user_ids.data(), t.user_ids.size());
  AppendBinaryArray(&out, t.track_ids.data(), t.track_ids.size());
  PutRows(&out, m.user_embeddings(), m.stride(), m.no_components());
  PutRows(&out, m.item_embeddings(), m.stride(), m.no_components());
  AppendBinaryArray(&out, m.item_biases().data(), m.n_items());
  AppendBinaryArray(&out, t.train.indptr().data(), t.train.indptr().size());
  AppendBinaryArray(&out, t.train.items().data(), t.train.nnz());
  AppendBinary(&out, Crc32(out));
  return WriteFileAtomically(path, out);
}

Result<TrainedModel> LoadTrainedModel(const std::string& path) {
  std::string bytes;
  if (!ReadWholeFile(path, &bytes).ok()) {
    return Status::NotFound(fmt::format("cannot open model file {}", path));
  }
  auto decoded = Decode(bytes);
  if (!decoded.ok()) return decoded.status().WithContext(path);
  return decoded;
}

}  // namespace botify::train::mf
