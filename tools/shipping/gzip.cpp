#include "tools/shipping/gzip.h"

#include <zlib.h>

namespace botify::tools {

Result<std::string> GzipCompress(std::string_view data) {
  if (data.size() > (std::size_t{1} << 31)) {
    return Status::InvalidArgument("gzip: input of " + std::to_string(data.size()) +
                                   " bytes is larger than 2 GiB");
  }
  z_stream z{};
  constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip wrapper
  if (deflateInit2(&z, 6, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("gzip: deflateInit2 failed");
  }
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const std::size_t written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return Status::Internal("gzip: deflate did not finish");
  out.resize(written);
  return out;
}

}  // namespace botify::tools
