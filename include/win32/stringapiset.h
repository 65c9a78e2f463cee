/* stringapiset.h: MultiByteToWideChar and WideCharToMultiByte (declared in winnls.h). */
#include <winnls.h>
