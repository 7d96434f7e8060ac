// Must compile: every access to the guarded member holds its mutex.
#include "base/mutex.h"

class Counter {
 public:
  void Bump() {
    botify::MutexLock lock(mu_);
    BumpLocked();
    cv_.NotifyAll();
  }
  int WaitForAtLeast(int n) {
    botify::MutexLock lock(mu_);
    while (count_ < n) cv_.Wait(mu_);
    return count_;
  }

 private:
  void BumpLocked() REQUIRES(mu_) { ++count_; }
  botify::Mutex mu_;
  botify::CondVar cv_;
  int count_ GUARDED_BY(mu_) = 0;
};

int main() {
  Counter c;
  c.Bump();
  return c.WaitForAtLeast(1) == 1 ? 0 : 1;
}
