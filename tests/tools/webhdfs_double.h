// A WebHDFS test double: an in-memory HDFS behind a namenode and a datanode HTTP endpoint
// (Boost.Beast, 127.0.0.1, ephemeral ports), following the protocol of Hadoop 3's
// WebHDFS closely enough to catch client mistakes:
//
//  - namenode  PUT ?op=CREATE must carry no data and answers 307 with a Location on the
//    datanode port (…?op=CREATE&namenoderpcaddress=…&overwrite=…&user.name=…);
//  - datanode  PUT with the data answers 201 Created (403 FileAlreadyExistsException if
//    the file exists and overwrite=false); parents are created as HDFS does;
//  - GETFILESTATUS (GET), MKDIRS (PUT), RENAME (PUT, destination=, {"boolean": false} if
//    the destination exists or its parent is missing), DELETE (DELETE), with 404
//    FileNotFoundException and RemoteException JSON bodies like a real namenode's;
//  - a wrong HTTP method for an op, or an unknown op, answers 400 IllegalArgumentException.
//
// Faults can be injected per step: 403, 500, or dropping the connection before or after
// the step took effect. A hook sees every request (e.g. to SIGKILL a client mid-protocol).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace botify::testing {

enum class WebHdfsStep {
  kAny,
  kCreateNamenode,  // the first, data-less PUT ?op=CREATE to the namenode
  kCreateDatanode,  // the PUT with the data to the redirected datanode URL
  kGetFileStatus,
  kMkdirs,
  kRename,
  kDelete,
};

enum class WebHdfsFault {
  kForbidden,        // 403 with a RemoteException AccessControlException
  kServerError,      // 500 with a RemoteException IOException
  kDropBeforeApply,  // close the connection without doing anything or answering
  kDropAfterApply,   // do the step, then close the connection without answering
};

struct WebHdfsFaultRule {
  WebHdfsStep step = WebHdfsStep::kAny;
  WebHdfsFault fault = WebHdfsFault::kServerError;
  int skip = 0;   // let this many matching requests through first
  int count = 1;  // then fault this many
};

// Thread-safe: the server runs on its own thread; every accessor locks.
class WebHdfsDouble {
 public:
  WebHdfsDouble();
  ~WebHdfsDouble();
  WebHdfsDouble(const WebHdfsDouble&) = delete;
  WebHdfsDouble& operator=(const WebHdfsDouble&) = delete;

  std::uint16_t namenode_port() const;
  std::uint16_t datanode_port() const;
  // "webhdfs://127.0.0.1:<namenode port><root>".
  std::string Url(const std::string& root) const;

  void InjectFault(const WebHdfsFaultRule& rule);
  // Called on the server thread for request number `seq` (1-based, both ports), once
  // before it takes effect (applied = false) and once after, before the answer is sent
  // (applied = true). Must not call back into this object.
  void SetHook(std::function<void(int seq, bool applied)> hook);

  // Path -> content of every file; the set of folders.
  std::map<std::string, std::string> Files() const;
  std::set<std::string> Dirs() const;
  // One line per request: "<namenode|datanode> <METHOD> <OP> <path> user=<u>".
  std::vector<std::string> Log() const;
  int requests() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace botify::testing
