/* shellapi.h: shell32's CommandLineToArgvW, which console programs call to split
 * GetCommandLineW into arguments. */
#ifndef OVERLAPPED_SHELLAPI_H
#define OVERLAPPED_SHELLAPI_H

#include <windef.h>

OVERLAPPED_BEGIN_C

/* Splits lpCmdLine as shell32 does (not as the C run-time does): the program name ends at
 * the first blank, or, when it starts with a quote, at the next quote, with no escapes; in
 * the arguments 2n backslashes and a quote give n backslashes and a quote that opens or
 * closes quoting, 2n+1 give n backslashes and a literal quote, other backslashes are
 * literal, and inside quotes each third consecutive quote (the opening one counted) is a
 * literal quote. An empty line gives the program's path alone. The result is one LocalAlloc
 * block (free it with LocalFree); NULL with ERROR_INVALID_PARAMETER when pNumArgs is NULL. */
OVERLAPPED_API LPWSTR *WINAPI CommandLineToArgvW(LPCWSTR lpCmdLine, int *pNumArgs);

OVERLAPPED_END_C

#endif
