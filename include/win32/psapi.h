/* psapi.h: the process status functions Windows programs take from it. Not included from
 * windows.h (as in the Windows SDK). Only GetMappedFileName is built: the name of the file
 * mapped at an address (docs/win32-status.md; the name is the file's Linux path,
 * docs/deviations.md). Since Windows 7 (PSAPI_VERSION 2) kernel32 exports these as
 * K32GetMappedFileNameA/W; both spellings reach the same functions. */
#ifndef OVERLAPPED_PSAPI_H
#define OVERLAPPED_PSAPI_H

#include <windef.h>
#include <winnt.h>
#include <winbase.h>

OVERLAPPED_BEGIN_C

OVERLAPPED_API DWORD WINAPI GetMappedFileNameA(HANDLE hProcess, LPVOID lpv, LPSTR lpFilename, DWORD nSize);
OVERLAPPED_API DWORD WINAPI GetMappedFileNameW(HANDLE hProcess, LPVOID lpv, LPWSTR lpFilename, DWORD nSize);

OVERLAPPED_END_C

#define K32GetMappedFileNameA GetMappedFileNameA
#define K32GetMappedFileNameW GetMappedFileNameW
#ifdef UNICODE
#define GetMappedFileName GetMappedFileNameW
#else
#define GetMappedFileName GetMappedFileNameA
#endif

#endif
