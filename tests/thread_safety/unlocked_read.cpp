// Must not compile under -Wthread-safety: reads a GUARDED_BY member without its mutex.
#include "base/mutex.h"

class Counter {
 public:
  int Get() const { return count_; }

 private:
  mutable botify::Mutex mu_;
  int count_ GUARDED_BY(mu_) = 0;
};

int main() { return Counter().Get(); }
