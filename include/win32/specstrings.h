/* specstrings.h: the annotations are in sal.h. */
#include <sal.h>
