// ShipTarget for a local (or locally mounted) folder: file:///path.
#pragma once

#include <filesystem>
#include <string>

#include "tools/shipping/ship_target.h"

namespace botify::tools {

// Thread-compatible. Every write is fsynced and every rename is durable (the folder is
// fsynced), so a file under its final name is complete even after a power loss.
class LocalTarget : public ShipTarget {
 public:
  explicit LocalTarget(std::filesystem::path root) : root_(std::move(root)) {}

  Result<std::optional<std::uint64_t>> FileLength(const std::string& path) override;
  Status MakeDirs(const std::string& dir) override;
  Status Write(const std::string& path, std::string_view data) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Delete(const std::string& path) override;
  std::string Describe(const std::string& path) const override;

 private:
  std::filesystem::path Full(const std::string& path) const { return root_ / path; }

  const std::filesystem::path root_;
};

}  // namespace botify::tools
