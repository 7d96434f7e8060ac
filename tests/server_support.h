// Test helpers for suites that talk HTTP to a real botify-server process.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace botify::testing {

// Writes a tracks.json of `n` tracks ("artist <t % artists>", "title <t>").
void WriteCatalog(const std::string& path, int n, int artists = 10);

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// A blocking HTTP/1.1 keep-alive client for one loopback port. Reconnects when the server
// closed the connection. Not thread-safe.
class HttpClient {
 public:
  explicit HttpClient(unsigned short port);
  ~HttpClient();
  HttpReply Request(const std::string& method, const std::string& target,
                    const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {});
  HttpReply Get(const std::string& target) { return Request("GET", target); }
  HttpReply Post(const std::string& target, const std::string& body) {
    return Request("POST", target, body);
  }
  // Sends raw bytes and returns what the server answered until it closed or timed out.
  std::string Raw(const std::string& bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A botify-server child process on ephemeral loopback ports with its own db and logs.
class TestServer {
 public:
  struct Options {
    std::string tracks;       // tracks.json to import (required the first start on a db)
    std::string config = "";  // routing config JSON text; empty = default
    std::vector<std::string> extra_args = {};
    // Run the server through this command line (e.g. faketime), which must exec it.
    std::vector<std::string> wrapper = {};
    // The database folder; empty = `dir`/db.
    std::string db = "";
  };
  // `dir` holds db/, logs/, the token and port files; it must outlive the server.
  TestServer(const TempDir& dir, const Options& options);
  ~TestServer();

  unsigned short port() const { return port_; }
  unsigned short admin_port() const { return admin_port_; }
  std::string token() const;
  std::string db_dir() const { return db_; }
  std::string log_dir() const { return dir_ / "logs"; }
  std::string config_path() const { return dir_ / "config.json"; }
  pid_t pid() const { return process_->pid(); }
  void Signal(int sig) { process_->Signal(sig); }
  // SIGTERM and wait; returns the exit code.
  int Stop();
  // SIGKILL and wait.
  void Kill();
  std::string Stderr() const;

 private:
  const TempDir& dir_;
  const std::string db_;
  std::unique_ptr<ChildProcess> process_;
  unsigned short port_ = 0, admin_port_ = 0;
};

// The "track" field of a JSON reply body (fails the test if there is none).
std::int64_t TrackOf(const HttpReply& reply);

// Builds an index SST from recommendations-file `lines` (checked against dir/tracks.json)
// and loads it into `server` as index `name` through the admin endpoint. A nonempty
// `session_model` (a model file) rides along (index build --session-model).
HttpReply LoadIndex(const TempDir& dir, TestServer& server, const std::string& name,
                    const std::string& lines, const std::string& session_model = "");

// The value of the series `series` (name with labels, as printed) in a /metrics text;
// nullopt when the series is not there.
std::optional<double> MetricValue(const std::string& metrics_text, const std::string& series);

// Every line of every sealed segment under `log_dir`.
std::vector<std::string> SealedLines(const std::string& log_dir);

}  // namespace botify::testing
