// Must not compile under -Wthread-safety: writes a GUARDED_BY member after the lock's
// scope ended.
#include "base/mutex.h"

class Counter {
 public:
  void Reset() {
    { botify::MutexLock lock(mu_); }
    count_ = 0;
  }

 private:
  botify::Mutex mu_;
  int count_ GUARDED_BY(mu_) = 0;
};

int main() {
  Counter().Reset();
  return 0;
}
