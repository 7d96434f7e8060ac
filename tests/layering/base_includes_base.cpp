// Positive control for layering_base_includes_engine: compiled with the base layer's
// include flags, its own headers are found.
#include "base/file.h"
#include "base/status.h"

int LayeringBaseControl() { return botify::Status::Ok().ok() ? 0 : 1; }
