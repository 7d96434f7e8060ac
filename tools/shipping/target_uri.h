// Where `botify logs ship` delivers segments: a local folder or an HDFS folder reached
// over WebHDFS.
//
//   file:///abs/path               local folder
//   webhdfs://host[:port]/path     the namenode's WebHDFS address (default port 9870)
//   http://host[:port]/path        the same, written as the plain HTTP address
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace botify::tools {

// Thread-compatible value type.
struct TargetUri {
  enum class Kind { kLocal, kWebHdfs };
  Kind kind = Kind::kLocal;
  std::string host;        // kWebHdfs only
  std::uint16_t port = 0;  // kWebHdfs only
  std::string path;        // absolute, without a trailing '/' (except the root "/")
};

constexpr std::uint16_t kDefaultWebHdfsPort = 9870;

Result<TargetUri> ParseTargetUri(const std::string& uri);

}  // namespace botify::tools
