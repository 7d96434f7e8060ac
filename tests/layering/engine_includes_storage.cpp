// Must not compile: the engine is below storage, so "storage/..." is not on its include path.
#include "engine/catalog/catalog.h"
#include "storage/store.h"
