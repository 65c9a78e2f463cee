/* VersionHelpers.h: the SDK spells the header this way; Windows file names ignore case. */
#include <versionhelpers.h>
