// Must not compile: the CLI does not use the server, so "server/..." is not on its include path.
#include "storage/store.h"
#include "server/service.h"
