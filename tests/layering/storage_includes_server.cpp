// Must not compile: storage is below the server, so "server/..." is not on its include path.
#include "server/service.h"
#include "storage/store.h"
