// Not compiled: the fixture that tests/layering/log_names_check.sh must reject (the
// check's negative control), with the spellings server/ and tools/ once had.
#include <filesystem>
#include <string>

std::string SealedDir(const std::string& dir) {
  return (std::filesystem::path(dir) / "sealed").string();
}
