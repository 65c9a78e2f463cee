/* sdk_names.c built as C++ (CMake builds one language per file). */
#include "sdk_names.c"
