#include "tests/test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace botify::testing {

namespace fs = std::filesystem;

std::vector<catalog::RecommendationsLine> ReadRecommendationsFile(const std::string& path) {
  std::vector<catalog::RecommendationsLine> lines;
  std::istringstream in(ReadFile(path));
  for (std::string line; std::getline(in, line);) {
    auto parsed = catalog::ParseRecommendationsLine(line);
    if (!parsed.ok()) throw std::runtime_error(path + ": " + parsed.status().ToString());
    lines.push_back(std::move(*parsed));
  }
  return lines;
}

std::string MergeRecommendationParts(const std::vector<std::string>& parts) {
  std::vector<std::pair<std::uint32_t, std::string>> lines;
  for (const std::string& part : parts) {
    std::istringstream in(ReadFile(part));
    for (std::string line; std::getline(in, line);) {
      auto parsed = catalog::ParseRecommendationsLine(line);
      if (!parsed.ok()) throw std::runtime_error(part + ": " + parsed.status().ToString());
      lines.emplace_back(parsed->id, line + "\n");
    }
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [key, line] : lines) out += line;
  return out;
}

catalog::Catalog SmallCatalog(int n, int artists) {
  std::vector<catalog::TrackRecord> records;
  for (int t = 0; t < n; ++t) {
    records.push_back({static_cast<TrackId>(t), "artist" + std::to_string(t % artists),
                       "title" + std::to_string(t)});
  }
  auto catalog = catalog::Catalog::FromRecords(std::move(records));
  if (!catalog.ok()) throw std::runtime_error(catalog.status().ToString());
  return std::move(*catalog);
}

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = fs::temp_directory_path() / ("botify-test-" + std::to_string(rd()));
    if (fs::create_directory(p)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

void WriteGzipFile(const std::string& path, const std::string& text, std::size_t cut_bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  if (gz == nullptr) throw std::runtime_error("cannot write " + path);
  const int written = gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  if (gzclose(gz) != Z_OK || written != static_cast<int>(text.size())) {
    throw std::runtime_error("cannot write " + path);
  }
  if (cut_bytes > 0) fs::resize_file(path, fs::file_size(path) - cut_bytes);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void FlipMiddleBit(const std::string& path) {
  std::string bytes = ReadFile(path);
  if (bytes.empty()) throw std::runtime_error("cannot damage empty file " + path);
  bytes[bytes.size() / 2] ^= 1;
  WriteFile(path, bytes);
}

std::string FindFile(const std::string& dir, const std::string& suffix,
                     const std::function<bool(const std::string& path)>& match) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().string().ends_with(suffix)) names.push_back(e.path());
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    if (match(name)) return name;
  }
  return "";
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& stdout_path,
                           const std::string& stderr_path) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = stderr_path == stdout_path
                  ? dup(out)
                  : open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = open("/dev/null", O_RDONLY);
    if (out >= 0) dup2(out, 1);
    if (err >= 0) dup2(err, 2);
    if (in >= 0) dup2(in, 0);
    execv(args[0], args.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ChildProcess::Signal(int sig) {
  if (pid_ > 0) kill(pid_, sig);
}

int ChildProcess::Wait(int timeout_ms) {
  if (pid_ <= 0) return -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

int RunCommand(const std::vector<std::string>& argv, std::string* output, int timeout_ms) {
  char tmpl[] = "/tmp/botify-cmd-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  int code;
  {
    ChildProcess child(argv, tmpl, tmpl);
    code = child.Wait(timeout_ms);
  }
  if (output != nullptr) *output = ReadFile(tmpl);
  unlink(tmpl);
  return code;
}

SmallDisk::SmallDisk(const std::string& dir, std::size_t bytes) : dir_(dir) {
  fs::create_directories(dir);
  ok_ = RunCommand({"/bin/mount", "-t", "tmpfs", "-o", "size=" + std::to_string(bytes), "tmpfs",
                    dir}) == 0;
}

SmallDisk::~SmallDisk() {
  if (ok_) RunCommand({"/bin/umount", "-l", dir_});
}

}  // namespace botify::testing
