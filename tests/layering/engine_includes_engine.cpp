// Positive control for layering_engine_rejects_*: compiled with the engine layer's include
// flags, an include of the engine's own headers is found.
#include "engine/catalog.h"

int LayeringEngineControl() { return sizeof(botify::Catalog) > 0 ? 0 : 1; }
