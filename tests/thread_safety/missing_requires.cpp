// Must not compile under -Wthread-safety: calls a REQUIRES(mu_) function without mu_.
#include "base/mutex.h"

class Counter {
 public:
  void Bump() { BumpLocked(); }

 private:
  void BumpLocked() REQUIRES(mu_) { ++count_; }
  botify::Mutex mu_;
  int count_ GUARDED_BY(mu_) = 0;
};

int main() {
  Counter().Bump();
  return 0;
}
