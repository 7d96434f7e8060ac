// Must not compile: the engine is below the server, so "server/..." is not on its include path.
#include "engine/catalog/catalog.h"
#include "server/service.h"
