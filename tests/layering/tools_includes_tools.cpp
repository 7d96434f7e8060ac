// Positive control for layering_tools_includes_server: compiled with the CLI's include
// flags, its own headers and storage's are found.
#include "storage/store.h"
#include "tools/command.h"

int LayeringToolsControl() { return 0; }
