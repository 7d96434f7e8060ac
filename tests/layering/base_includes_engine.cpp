// Must not compile: base is the root layer, so "engine/..." is not on its include path.
#include "base/status.h"
#include "engine/catalog/catalog.h"
