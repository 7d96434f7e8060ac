#include "base/npy_file.h"

#include <catch2/catch.hpp>
#include <cstring>

#include "tests/test_support.h"

using namespace botify;
using botify::testing::ReadFile;
using botify::testing::TempDir;
using botify::testing::WriteFile;

TEST_CASE("npy files round-trip float32 matrices bit for bit", "[base][npy]") {
  TempDir dir;
  FloatMatrix m{3, 2, {1.5f, -2.25f, 0.0f, 1e-30f, 3.4e38f, -0.0f}};
  REQUIRE(WriteNpy(dir / "m.npy", m).ok());
  const std::string bytes = ReadFile(dir / "m.npy");
  CHECK(bytes.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  // Data starts at a 64-byte boundary, as NumPy writes it.
  CHECK((bytes.size() - 6 * sizeof(float)) % 64 == 0);
  CHECK(bytes.find("'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }") !=
        std::string::npos);
  auto back = ReadNpy(dir / "m.npy");
  REQUIRE(back.ok());
  CHECK(back->rows == 3);
  CHECK(back->cols == 2);
  CHECK(std::memcmp(back->data.data(), m.data.data(), m.data.size() * sizeof(float)) == 0);
  CHECK(back->row(1)[1] == 1e-30f);
}

TEST_CASE("npy reader names the file and the fault", "[base][npy]") {
  TempDir dir;
  auto header = [](const std::string& dict) {
    std::string h = dict + "\n";
    std::string out("\x93NUMPY\x01\x00", 8);
    out.push_back(static_cast<char>(h.size() & 0xff));
    out.push_back(static_cast<char>(h.size() >> 8));
    return out + h;
  };
  auto error_of = [&](const std::string& content) {
    WriteFile(dir / "bad.npy", content);
    auto r = ReadNpy(dir / "bad.npy");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("bad.npy"));
    return r.status().message();
  };
  CHECK_THAT(error_of("hello"), Catch::Contains("shorter than"));
  CHECK_THAT(error_of("NOTNUMPYxxxxxxxx"), Catch::Contains("magic"));
  CHECK_THAT(error_of(header("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }")),
             Catch::Contains("'<f8'"));
  CHECK_THAT(error_of(header("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }")),
             Catch::Contains("Fortran"));
  CHECK_THAT(error_of(header("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }")),
             Catch::Contains("two dimensions"));
  CHECK_THAT(error_of(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }") +
                      std::string(12, '\0')),
             Catch::Contains("truncated"));
  // Used to throw std::out_of_range out of a function that returns a Result.
  CHECK_THAT(error_of(header("{'descr': '<f4', 'fortran_order': False, "
                             "'shape': (123456789012345678901234567890, 2), }")),
             Catch::Contains("out of range"));
  CHECK_FALSE(ReadNpy(dir / "missing.npy").ok());
}
