// A std::mutex the thread-safety analysis can see (base/thread_annotations.h), a scoped
// lock for it, and a condition variable that waits on it. libstdc++'s std::mutex carries
// no annotations, so a member GUARDED_BY a std::mutex could not be checked.
// Costs nothing over std::mutex / std::lock_guard / std::condition_variable: each call
// forwards inline.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "base/thread_annotations.h"

namespace botify {

// Thread-safe. Not recursive.
class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `mu` for its lifetime.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

// A condition variable for a botify::Mutex. Waits take the mutex the caller holds, so
// the analysis knows the guarded state read around them is protected; a predicate is a
// loop at the call site (`while (!ready_) cv_.Wait(mu_);`) rather than a lambda, which
// the analysis would check as a separate function that holds nothing.
class CondVar {
 public:
  // Releases `mu`, blocks until notified (or spuriously), holds `mu` again on return.
  void Wait(Mutex& mu) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // still held: ownership stays with the caller
  }
  // As Wait(), until `deadline` at the latest; false once it has passed. A caller loops
  // `while (!condition) if (!cv.WaitUntil(mu, deadline)) break;`.
  template <class Clock, class Duration>
  bool WaitUntil(Mutex& mu, std::chrono::time_point<Clock, Duration> deadline) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    const bool notified = cv_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return notified;
  }
  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace botify
