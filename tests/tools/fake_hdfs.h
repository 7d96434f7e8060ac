// The in-memory namespace behind WebHdfsDouble: files and folders with HDFS's semantics
// for the WebHDFS operations the shipper uses, answering with WebHDFS status codes and
// JSON bodies. Thread-compatible (the double locks around it).
#pragma once

#include <map>
#include <set>
#include <string>

namespace botify::testing {

struct FakeReply {
  unsigned status = 200;
  std::string body;      // JSON, or empty
  std::string location;  // Location header, or empty
};

// {"RemoteException": {"exception": ..., "javaClassName": ..., "message": ...}}.
FakeReply RemoteException(unsigned status, const std::string& exception,
                          const std::string& message);

class FakeHdfs {
 public:
  FakeHdfs() { dirs_.insert("/"); }

  FakeReply GetFileStatus(const std::string& path) const;
  FakeReply Mkdirs(const std::string& path);
  // The datanode's half of CREATE: 201, or 403 if it exists and !overwrite.
  FakeReply Create(const std::string& path, std::string data, bool overwrite);
  FakeReply Rename(const std::string& from, const std::string& to);
  FakeReply Delete(const std::string& path, bool recursive);

  const std::map<std::string, std::string>& files() const { return files_; }
  const std::set<std::string>& dirs() const { return dirs_; }

 private:
  // The first proper ancestor of `path` that is a file, or "" if none.
  std::string FileAncestor(const std::string& path) const;
  void AddDirs(const std::string& path);
  bool Exists(const std::string& path) const;

  std::map<std::string, std::string> files_;
  std::set<std::string> dirs_;
};

}  // namespace botify::testing
