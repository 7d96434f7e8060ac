// Must not compile: storage is below the server, so "server/..." is not on its include path.
#include "storage/store.h"
#include "server/service.h"
