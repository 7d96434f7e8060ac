#include "engine/train/mf/trained_model.h"

#include <fmt/format.h>
#include <zlib.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/file.h"

namespace botify::train::mf {
namespace {

static_assert(std::endian::native == std::endian::little, "model files are little-endian");

constexpr char kMagic[8] = {'B', 'O', 'T', 'I', 'F', 'Y', 'M', 'F'};
constexpr std::size_t kHeaderBytes = 8 + 4 * 4 + 8;

template <typename T>
void Put(std::string* out, const T& value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
void PutArray(std::string* out, const T* data, std::size_t n) {
  out->append(reinterpret_cast<const char*>(data), n * sizeof(T));
}

// Rows of a padded matrix without their padding.
void PutRows(std::string* out, const std::vector<float>& rows, std::uint32_t stride,
             std::uint32_t d) {
  for (std::size_t r = 0; r < rows.size(); r += stride) PutArray(out, rows.data() + r, d);
}

// A bounds-checked reader over the file's bytes.
class Cursor {
 public:
  explicit Cursor(const std::string& bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T* value) {
    return GetArray(value, 1);
  }
  template <typename T>
  bool GetArray(T* data, std::size_t n) {
    if (n > (bytes_.size() - pos_) / sizeof(T)) return false;
    std::memcpy(data, bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  bool GetRows(std::vector<float>* rows, std::uint32_t stride, std::uint32_t d) {
    for (std::size_t r = 0; r < rows->size(); r += stride) {
      if (!GetArray(rows->data() + r, d)) return false;
    }
    return true;
  }
  std::size_t pos() const { return pos_; }

 private:
  const std::string& bytes_;
  std::size_t pos_ = 0;
};

std::uint32_t Crc(const std::string& bytes, std::size_t n) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n)));
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

Status ReadHeader(const std::string& bytes, Cursor* in, Header* h) {
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
  Cursor in(bytes);
  Header h;
  BOTIFY_RETURN_IF_ERROR(ReadHeader(bytes, &in, &h));
  std::uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  if (Crc(bytes, bytes.size() - 4) != stored_crc) return Status::Corruption("checksum mismatch");
  TrainedModel t;
  t.model = MfModel(h.n_users, h.n_items, h.d);
  t.user_ids.resize(h.n_users);
  t.track_ids.resize(h.n_items);
  std::vector<std::uint64_t> indptr(std::size_t{h.n_users} + 1);
  std::vector<std::uint32_t> items(h.nnz);
  const std::uint32_t stride = t.model.stride();
  const bool ok = in.GetArray(t.user_ids.data(), h.n_users) &&
                  in.GetArray(t.track_ids.data(), h.n_items) &&
                  in.GetRows(&t.model.user_embeddings(), stride, h.d) &&
                  in.GetRows(&t.model.item_embeddings(), stride, h.d) &&
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
  Put(&out, kModelFileVersion);
  Put(&out, m.no_components());
  Put(&out, m.n_users());
  Put(&out, m.n_items());
  Put(&out, std::uint64_t{t.train.nnz()});
  PutArray(&out, t.user_ids.data(), t.user_ids.size());
  PutArray(&out, t.track_ids.data(), t.track_ids.size());
  PutRows(&out, m.user_embeddings(), m.stride(), m.no_components());
  PutRows(&out, m.item_embeddings(), m.stride(), m.no_components());
  PutArray(&out, m.item_biases().data(), m.n_items());
  PutArray(&out, t.train.indptr().data(), t.train.indptr().size());
  PutArray(&out, t.train.items().data(), t.train.nnz());
  Put(&out, Crc(out, out.size()));
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
