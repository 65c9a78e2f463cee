/* psapi.h: the process status functions Windows programs take from it. Not included from
 * windows.h (as in the Windows SDK). GetMappedFileName (the name of the file mapped at an
 * address; the name is the file's Linux path, docs/deviations.md) and GetProcessMemoryInfo
 * are built (docs/win32-status.md). Since Windows 7 (PSAPI_VERSION 2) kernel32 exports these as
 * K32GetMappedFileNameA/W; both spellings reach the same functions. */
#ifndef OVERLAPPED_PSAPI_H
#define OVERLAPPED_PSAPI_H

#include <windef.h>
#include <winnt.h>
#include <winbase.h>

OVERLAPPED_BEGIN_C

OVERLAPPED_API DWORD WINAPI GetMappedFileNameA(HANDLE hProcess, LPVOID lpv, LPSTR lpFilename, DWORD nSize);
OVERLAPPED_API DWORD WINAPI GetMappedFileNameW(HANDLE hProcess, LPVOID lpv, LPWSTR lpFilename, DWORD nSize);

typedef struct _PROCESS_MEMORY_COUNTERS {
    DWORD cb;
    DWORD PageFaultCount;
    SIZE_T PeakWorkingSetSize;
    SIZE_T WorkingSetSize;
    SIZE_T QuotaPeakPagedPoolUsage;
    SIZE_T QuotaPagedPoolUsage;
    SIZE_T QuotaPeakNonPagedPoolUsage;
    SIZE_T QuotaNonPagedPoolUsage;
    SIZE_T PagefileUsage;
    SIZE_T PeakPagefileUsage;
} PROCESS_MEMORY_COUNTERS, *PPROCESS_MEMORY_COUNTERS;

typedef struct _PROCESS_MEMORY_COUNTERS_EX {
    DWORD cb;
    DWORD PageFaultCount;
    SIZE_T PeakWorkingSetSize;
    SIZE_T WorkingSetSize;
    SIZE_T QuotaPeakPagedPoolUsage;
    SIZE_T QuotaPagedPoolUsage;
    SIZE_T QuotaPeakNonPagedPoolUsage;
    SIZE_T QuotaNonPagedPoolUsage;
    SIZE_T PagefileUsage;
    SIZE_T PeakPagefileUsage;
    SIZE_T PrivateUsage;
} PROCESS_MEMORY_COUNTERS_EX, *PPROCESS_MEMORY_COUNTERS_EX;

/* A process's memory from Linux's accounting (docs/win32-status.md): the working set is
 * its resident memory, the page-file usage (and PrivateUsage) its private writable memory. */
OVERLAPPED_API BOOL WINAPI GetProcessMemoryInfo(HANDLE Process, PPROCESS_MEMORY_COUNTERS ppsmemCounters, DWORD cb);

OVERLAPPED_END_C

#define K32GetMappedFileNameA GetMappedFileNameA
#define K32GetMappedFileNameW GetMappedFileNameW
#define K32GetProcessMemoryInfo GetProcessMemoryInfo
#ifdef UNICODE
#define GetMappedFileName GetMappedFileNameW
#else
#define GetMappedFileName GetMappedFileNameA
#endif

#endif
