// Admin endpoints, served on their own listener (loopback-only by default) and guarded
// by a bearer token:
//   GET  /admin/status           indexes, generations, config, log stats
//   POST /admin/index/{name}     body: an SST from `botify index build`; ingests it as the
//                                next generation and switches readers atomically
//   POST /admin/index/{name}?import={file}
//                                the same from a file already on this host, in the
//                                --admin-import-dir folder: no body, no copy in memory (for
//                                indexes of gigabytes); the file is left in place
//        ...&allow_empty=true    either way: accept an index with no lists (refused otherwise)
//   POST /admin/config           body: a routing config (JSON); validated, then swapped in
//   POST /admin/log/seal         seals the active log segment now
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>

#include "server/http_types.h"
#include "server/service.h"

namespace botify::server {

struct AdminOptions {
  // The token clients must send as "Authorization: Bearer <token>". Empty = admin off.
  std::string token;
  // Refuse (403) requests whose peer is not a loopback address.
  bool loopback_only = true;
  // Where uploaded index files are staged before ingestion (emptied at start).
  std::string staging_dir;
  // The only folder `?import=` reads from (plain file names in it). Empty = import off.
  std::string import_dir;
  // Free bytes staging must leave on the staging folder's file system beyond the file: a
  // load that does not fit is refused (507) before anything is written.
  std::uint64_t staging_headroom_bytes = 16ull << 20;
};

// Thread-compatible: runs on the admin thread only (reloads block while ingesting).
class AdminHandler {
 public:
  AdminHandler(Service& service, AdminOptions options);
  void Handle(const Request& request, const boost::asio::ip::address& peer, Response* response);
  // The peer and token check, on the request's header alone (the session calls it before
  // reading a body); false fills *response with the 403 or 401.
  bool Authorized(const Request& request, const boost::asio::ip::address& peer,
                  Response* response) const;

 private:
  void LoadIndex(const std::string& name, const Request& request, Response* response);
  // True if the staging folder's file system has room for a file of `bytes` and the
  // headroom; otherwise fills *response with the 507 naming the free and needed bytes.
  bool HasRoomToStage(std::uint64_t bytes, Response* response) const;
  // Writes the index's new file into the staging folder at `path`: the request body, or
  // (`import` not empty) a disk-to-disk copy of that file of the import folder, and names
  // it for messages in *source_name. False fills *response with the error.
  bool StageIndexFile(const Request& request, const std::string& import, const std::string& path,
                      std::string* source_name, Response* response) const;
  // Ingests the staged file; fills *response with the new generation or the error, in
  // which the staging path reads as `source_name`.
  void IngestStaged(const std::string& name, const std::string& path,
                    const std::string& source_name, const storage::IngestOptions& options,
                    Response* response);
  void LoadConfig(const Request& request, Response* response);

  Service& service_;
  AdminOptions options_;
  std::uint64_t uploads_ = 0;
};

// Reads a token file (surrounding whitespace stripped), creating it with a random token
// (mode 0600) if it does not exist.
Result<std::string> ReadOrCreateToken(const std::string& path);

}  // namespace botify::server
