#include "base/npy_file.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string_view>

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
  CHECK_THAT(error_of(header("{'descr': '<f2', 'fortran_order': False, 'shape': (1, 1), }")),
             Catch::Contains("dtype is '<f2' (floating point, 2 bytes)") &&
                 Catch::Contains("float32 and float64"));
  CHECK_THAT(error_of(header("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1), }")),
             Catch::Contains("'<i8' (signed integer)"));
  CHECK_THAT(error_of(header("{'descr': [('a', '<f4')], 'fortran_order': False, "
                             "'shape': (1, 1), }")),
             Catch::Contains("structured"));
  std::string v4 = header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }");
  v4[6] = 4;
  CHECK_THAT(error_of(v4), Catch::Contains("format version 4"));
  // A float64 value float32 cannot hold is named by its position, not silently made inf.
  std::string big(8, '\0');
  const double huge = 1e300;
  std::memcpy(big.data(), &huge, 8);
  CHECK_THAT(error_of(header("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }") + big),
             Catch::Contains("row 0, column 0 does not fit float32"));
  CHECK_THAT(error_of(header("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }")),
             Catch::Contains("two dimensions"));
  CHECK_THAT(error_of(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }") +
                      std::string(12, '\0')),
             Catch::Contains("truncated") && Catch::Contains("needs 16 bytes, found 12"));
  CHECK_THAT(error_of(header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }") +
                      std::string(5, '\0')),
             Catch::Contains("1 trailing bytes"));
  // Used to throw std::out_of_range out of a function that returns a Result.
  CHECK_THAT(error_of(header("{'descr': '<f4', 'fortran_order': False, "
                             "'shape': (123456789012345678901234567890, 2), }")),
             Catch::Contains("out of range"));
  CHECK_FALSE(ReadNpy(dir / "missing.npy").ok());
}

// Every layout NumPy writes for a 2-D float array: float32/float64, little/big endian,
// C/Fortran order, format versions 1.0-3.0. Each file holds the same values, which are
// exact in float32, so every read must give the same matrix bit for bit.
TEST_CASE("npy reader reads every 2-D float layout numpy writes", "[base][npy]") {
  TempDir dir;
  WriteFile(dir / "write.py", R"(
import sys, numpy as np
from numpy.lib import format as npf
d = sys.argv[1]
m = (np.arange(15, dtype=np.float64).reshape(5, 3) - 7.0) * 0.25
for dt in ["<f4", ">f4", "<f8", ">f8"]:
    for order in ["C", "F"]:
        a = np.array(m, dtype=dt, order=order)
        np.save(f"{d}/{dt[0] == '<' and 'le' or 'be'}{dt[2]}{order}.npy", a)
for version in [(2, 0), (3, 0)]:
    with open(f"{d}/v{version[0]}.npy", "wb") as f:
        npf.write_array(f, m.astype("<f4"), version=version)
)");
  std::string out;
  REQUIRE(testing::RunCommand({"/usr/bin/python3", dir / "write.py", dir.path().string()}, &out) ==
          0);
  std::vector<float> expected;
  for (int i = 0; i < 15; ++i) expected.push_back((static_cast<float>(i) - 7.0f) * 0.25f);
  for (const char* name :
       {"le4C", "le4F", "be4C", "be4F", "le8C", "le8F", "be8C", "be8F", "v2", "v3"}) {
    INFO(name);
    NpyLayout layout;
    auto m = ReadNpy(dir / (std::string(name) + ".npy"), &layout);
    REQUIRE(m.ok());
    CHECK(m->rows == 5);
    CHECK(m->cols == 3);
    CHECK(m->data == expected);
    CHECK(layout.fortran_order == std::string_view(name).ends_with('F'));
  }
  NpyLayout layout;
  REQUIRE(ReadNpy(dir / "be8F.npy", &layout).ok());
  CHECK(layout.dtype == ">f8");
  REQUIRE(ReadNpy(dir / "v3.npy", &layout).ok());
  CHECK(layout.version == 3);
}
