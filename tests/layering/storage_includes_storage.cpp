// Positive control for layering_storage_includes_server: compiled with the storage layer's
// include flags, its own headers and the engine's are found.
#include "engine/catalog/catalog.h"
#include "storage/store.h"

int LayeringStorageControl() { return sizeof(botify::catalog::Catalog) > 0 ? 0 : 1; }
