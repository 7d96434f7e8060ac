// Must not compile: the CLI does not use the server, so "server/..." is not on its include path.
#include "server/service.h"
#include "storage/store.h"
