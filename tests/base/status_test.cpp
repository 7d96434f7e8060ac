#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <string>

#include "base/status.h"

using namespace botify;

namespace {

// Runs `body` in a forked child with stderr on a pipe; returns the child's wait status and
// what it printed.
template <typename F>
int RunInChild(F body, std::string* err) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    body();
    _exit(0);
  }
  close(fds[1]);
  char buf[512];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
    err->append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  return wstatus;
}

}  // namespace

TEST_CASE("reading the value of an error aborts with the error's message", "[base][status]") {
  std::string err;
  const int wstatus = RunInChild(
      [] {
        Result<int> r = Status::NotFound("track 7 is not in the catalog");
        volatile int v = r.value();
        (void)v;
      },
      &err);
  CHECK(WIFSIGNALED(wstatus));
  CHECK(WTERMSIG(wstatus) == SIGABRT);
  CHECK_THAT(err, Catch::Contains("Result::value() called on an error: not found: track 7 is "
                                  "not in the catalog"));
}

TEST_CASE("a Result holds its value or a non-OK status, never neither", "[base][status]") {
  Result<std::string> good = std::string("x");
  REQUIRE(good.ok());
  CHECK(*good == "x");
  CHECK(good->size() == 1);
  Result<std::string> bad = Status::IoError("disk full");
  CHECK(!bad.ok());
  CHECK(bad.status().code() == StatusCode::kIoError);
#ifdef NDEBUG
  // A Result built from an OK status (a bug) reports an error with an error code; before,
  // ok() said false while status().code() said kOk. (Debug builds assert instead.)
  Result<int> confused = Status::Ok();
  CHECK(!confused.ok());
  CHECK(confused.status().code() == StatusCode::kInternal);
  CHECK_THAT(confused.status().message(), Catch::Contains("built from an OK status"));
#endif
}
