// Positive control for the engine_includes_* tests: compiled with the engine layer's include
// flags, the engine's own headers and base's are found.
#include "base/status.h"
#include "engine/catalog/catalog.h"

int LayeringEngineControl() { return sizeof(botify::catalog::Catalog) > 0 ? 0 : 1; }
