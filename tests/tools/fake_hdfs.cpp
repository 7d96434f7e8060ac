#include "tests/tools/fake_hdfs.h"

#include <fmt/format.h>

namespace botify::testing {
namespace {

std::string Parent(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

FakeReply Boolean(bool value) { return {200, fmt::format(R"({{"boolean": {}}})", value), ""}; }

FakeReply FileStatus(const std::string& type, std::size_t length) {
  return {200,
          fmt::format(R"({{"FileStatus": {{"accessTime": 0, "blockSize": 134217728, )"
                      R"("childrenNum": 0, "fileId": 16386, "group": "supergroup", )"
                      R"("length": {}, "modificationTime": 1708329390469, "owner": "botify", )"
                      R"("pathSuffix": "", "permission": "644", "replication": 3, )"
                      R"("storagePolicy": 0, "type": "{}"}}}})",
                      length, type),
          ""};
}

}  // namespace

FakeReply RemoteException(unsigned status, const std::string& exception,
                          const std::string& message) {
  const std::string package =
      exception == "FileNotFoundException" ? "java.io." : "org.apache.hadoop.";
  return {status,
          fmt::format(R"({{"RemoteException": {{"exception": "{}", "javaClassName": "{}{}", )"
                      R"("message": "{}"}}}})",
                      exception, package, exception, message),
          ""};
}

bool FakeHdfs::Exists(const std::string& path) const {
  return files_.count(path) > 0 || dirs_.count(path) > 0;
}

std::string FakeHdfs::FileAncestor(const std::string& path) const {
  for (std::string p = Parent(path); p != "/"; p = Parent(p)) {
    if (files_.count(p) > 0) return p;
  }
  return "";
}

void FakeHdfs::AddDirs(const std::string& path) {
  for (std::string p = path; p != "/"; p = Parent(p)) dirs_.insert(p);
}

FakeReply FakeHdfs::GetFileStatus(const std::string& path) const {
  if (auto it = files_.find(path); it != files_.end()) return FileStatus("FILE", it->second.size());
  if (dirs_.count(path) > 0) return FileStatus("DIRECTORY", 0);
  return RemoteException(404, "FileNotFoundException", "File does not exist: " + path);
}

FakeReply FakeHdfs::Mkdirs(const std::string& path) {
  const std::string file = files_.count(path) > 0 ? path : FileAncestor(path);
  if (!file.empty()) {
    return RemoteException(403, "FileAlreadyExistsException", "Path is not a directory: " + file);
  }
  AddDirs(path);
  return Boolean(true);
}

FakeReply FakeHdfs::Create(const std::string& path, std::string data, bool overwrite) {
  if (const std::string file = FileAncestor(path); !file.empty()) {
    return RemoteException(403, "ParentNotDirectoryException",
                           "Parent path is not a directory: " + file);
  }
  if (dirs_.count(path) > 0 || (files_.count(path) > 0 && !overwrite)) {
    return RemoteException(403, "FileAlreadyExistsException", path + " already exists");
  }
  AddDirs(Parent(path));
  files_[path] = std::move(data);
  return {201, "", "hdfs://127.0.0.1" + path};
}

FakeReply FakeHdfs::Rename(const std::string& from, const std::string& to) {
  if (to.empty() || to.front() != '/') {
    return RemoteException(400, "IllegalArgumentException", "destination must be absolute");
  }
  auto it = files_.find(from);
  if (it == files_.end() || Exists(to) || dirs_.count(Parent(to)) == 0) return Boolean(false);
  files_[to] = std::move(it->second);
  files_.erase(from);
  return Boolean(true);
}

FakeReply FakeHdfs::Delete(const std::string& path, bool recursive) {
  if (files_.erase(path) > 0) return Boolean(true);
  if (dirs_.count(path) == 0 || path == "/") return Boolean(false);
  const std::string prefix = path + "/";
  auto child = files_.lower_bound(prefix);
  const bool has_files = child != files_.end() && child->first.starts_with(prefix);
  auto sub = dirs_.upper_bound(path);
  const bool has_dirs = sub != dirs_.end() && sub->starts_with(prefix);
  if ((has_files || has_dirs) && !recursive) {
    return RemoteException(403, "PathIsNotEmptyDirectoryException", path + " is non empty");
  }
  std::erase_if(files_, [&](const auto& f) { return f.first.starts_with(prefix); });
  std::erase_if(dirs_, [&](const auto& d) { return d == path || d.starts_with(prefix); });
  return Boolean(true);
}

}  // namespace botify::testing
