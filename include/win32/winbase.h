/* winbase.h: the Win32 functions overlapped implements (kernel objects, waits, threads,
 * APCs, completion ports, process-level helpers) with Windows' structures and constants.
 * docs/win32-status.md lists each function with its status. */
#ifndef OVERLAPPED_WINBASE_H
#define OVERLAPPED_WINBASE_H

#pragma GCC diagnostic push /* unnamed members: see winnt.h */
#pragma GCC diagnostic ignored "-Wpedantic"

#include <windef.h>
#include <winnt.h>
#include <winerror.h>

OVERLAPPED_BEGIN_C

/* ---- Structures ---------------------------------------------------------------- */

typedef struct _OVERLAPPED {
    ULONG_PTR Internal;     /* NTSTATUS of the request; STATUS_PENDING while pending */
    ULONG_PTR InternalHigh; /* bytes transferred */
    union {
        struct {
            DWORD Offset;
            DWORD OffsetHigh;
        };
        PVOID Pointer;
    };
    HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED, *POVERLAPPED;

typedef struct _OVERLAPPED_ENTRY {
    ULONG_PTR lpCompletionKey;
    LPOVERLAPPED lpOverlapped;
    ULONG_PTR Internal;
    DWORD dwNumberOfBytesTransferred;
} OVERLAPPED_ENTRY, *LPOVERLAPPED_ENTRY;

typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    LPVOID lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

typedef struct _MEMORYSTATUSEX {
    DWORD dwLength;
    DWORD dwMemoryLoad;
    DWORDLONG ullTotalPhys;
    DWORDLONG ullAvailPhys;
    DWORDLONG ullTotalPageFile;
    DWORDLONG ullAvailPageFile;
    DWORDLONG ullTotalVirtual;
    DWORDLONG ullAvailVirtual;
    DWORDLONG ullAvailExtendedVirtual;
} MEMORYSTATUSEX, *LPMEMORYSTATUSEX;

typedef struct _MEMORYSTATUS {
    DWORD dwLength;
    DWORD dwMemoryLoad;
    SIZE_T dwTotalPhys;
    SIZE_T dwAvailPhys;
    SIZE_T dwTotalPageFile;
    SIZE_T dwAvailPageFile;
    SIZE_T dwTotalVirtual;
    SIZE_T dwAvailVirtual;
} MEMORYSTATUS, *LPMEMORYSTATUS;

#define MAX_COMPUTERNAME_LENGTH 15

typedef struct _SYSTEMTIME {
    WORD wYear;
    WORD wMonth;      /* 1-12 */
    WORD wDayOfWeek;  /* 0 = Sunday */
    WORD wDay;
    WORD wHour;
    WORD wMinute;
    WORD wSecond;
    WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME, *LPSYSTEMTIME;

typedef struct _TIME_ZONE_INFORMATION {
    LONG Bias; /* minutes: UTC = local time + Bias */
    WCHAR StandardName[32];
    SYSTEMTIME StandardDate; /* when daylight saving time ends (wYear 0: a yearly rule) */
    LONG StandardBias;
    WCHAR DaylightName[32];
    SYSTEMTIME DaylightDate; /* when it begins; wMonth 0: no daylight saving time */
    LONG DaylightBias;
} TIME_ZONE_INFORMATION, *PTIME_ZONE_INFORMATION, *LPTIME_ZONE_INFORMATION;
#define TIME_ZONE_ID_INVALID ((DWORD)0xFFFFFFFF)
#define TIME_ZONE_ID_UNKNOWN 0
#define TIME_ZONE_ID_STANDARD 1
#define TIME_ZONE_ID_DAYLIGHT 2

/* GetDynamicTimeZoneInformation: TIME_ZONE_INFORMATION and the zone's key name. */
typedef struct _TIME_DYNAMIC_ZONE_INFORMATION {
    LONG Bias;
    WCHAR StandardName[32];
    SYSTEMTIME StandardDate;
    LONG StandardBias;
    WCHAR DaylightName[32];
    SYSTEMTIME DaylightDate;
    LONG DaylightBias;
    WCHAR TimeZoneKeyName[128];
    BOOLEAN DynamicDaylightTimeDisabled;
} DYNAMIC_TIME_ZONE_INFORMATION, *PDYNAMIC_TIME_ZONE_INFORMATION;

typedef struct _SYSTEM_INFO {
    union {
        DWORD dwOemId;
        struct {
            WORD wProcessorArchitecture;
            WORD wReserved;
        };
    };
    DWORD dwPageSize;
    LPVOID lpMinimumApplicationAddress;
    LPVOID lpMaximumApplicationAddress;
    DWORD_PTR dwActiveProcessorMask;
    DWORD dwNumberOfProcessors;
    DWORD dwProcessorType;
    DWORD dwAllocationGranularity;
    WORD wProcessorLevel;
    WORD wProcessorRevision;
} SYSTEM_INFO, *LPSYSTEM_INFO;

typedef RTL_CRITICAL_SECTION CRITICAL_SECTION, *PCRITICAL_SECTION, *LPCRITICAL_SECTION;
typedef RTL_SRWLOCK SRWLOCK, *PSRWLOCK;
typedef RTL_CONDITION_VARIABLE CONDITION_VARIABLE, *PCONDITION_VARIABLE;
#define SRWLOCK_INIT RTL_SRWLOCK_INIT
#define CONDITION_VARIABLE_INIT RTL_CONDITION_VARIABLE_INIT
#define CONDITION_VARIABLE_LOCKMODE_SHARED RTL_CONDITION_VARIABLE_LOCKMODE_SHARED
#define CRITICAL_SECTION_NO_DEBUG_INFO RTL_CRITICAL_SECTION_FLAG_NO_DEBUG_INFO

/* One-time initialization. */
typedef RTL_RUN_ONCE INIT_ONCE, *PINIT_ONCE, *LPINIT_ONCE;
#define RTL_RUN_ONCE_INIT {0}
#define INIT_ONCE_STATIC_INIT RTL_RUN_ONCE_INIT
#define INIT_ONCE_CHECK_ONLY 0x00000001UL
#define INIT_ONCE_ASYNC 0x00000002UL
#define INIT_ONCE_INIT_FAILED 0x00000004UL
#define INIT_ONCE_CTX_RESERVED_BITS 2
typedef BOOL(CALLBACK *PINIT_ONCE_FN)(PINIT_ONCE InitOnce, PVOID Parameter, PVOID *Context);

typedef DWORD(WINAPI *PTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);
typedef PTHREAD_START_ROUTINE LPTHREAD_START_ROUTINE;
typedef VOID(CALLBACK *PTIMERAPCROUTINE)(LPVOID lpArgToCompletionRoutine,
                                          DWORD dwTimerLowValue, DWORD dwTimerHighValue);
typedef VOID(WINAPI *LPOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwErrorCode,
                                                       DWORD dwNumberOfBytesTransfered,
                                                       LPOVERLAPPED lpOverlapped);

typedef struct _BY_HANDLE_FILE_INFORMATION {
    DWORD dwFileAttributes;
    FILETIME ftCreationTime;
    FILETIME ftLastAccessTime;
    FILETIME ftLastWriteTime;
    DWORD dwVolumeSerialNumber;
    DWORD nFileSizeHigh;
    DWORD nFileSizeLow;
    DWORD nNumberOfLinks;
    DWORD nFileIndexHigh;
    DWORD nFileIndexLow;
} BY_HANDLE_FILE_INFORMATION, *PBY_HANDLE_FILE_INFORMATION, *LPBY_HANDLE_FILE_INFORMATION;

/* One page of a ReadFileScatter / WriteFileGather buffer. */
typedef union _FILE_SEGMENT_ELEMENT {
    PVOID Buffer;
    ULONGLONG Alignment;
} FILE_SEGMENT_ELEMENT, *PFILE_SEGMENT_ELEMENT;

/* ---- Constants --------------------------------------------------------------------- */

#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)
#define INFINITE 0xFFFFFFFF

#define WAIT_OBJECT_0 ((DWORD)0x00000000)
#define WAIT_ABANDONED ((DWORD)0x00000080)
#define WAIT_ABANDONED_0 ((DWORD)0x00000080)
#define WAIT_IO_COMPLETION ((DWORD)0x000000C0)
#define WAIT_FAILED ((DWORD)0xFFFFFFFF)
#define STILL_ACTIVE 259

#define CREATE_SUSPENDED 0x00000004
#define STACK_SIZE_PARAM_IS_A_RESERVATION 0x00010000

#define CREATE_EVENT_MANUAL_RESET 0x00000001
#define CREATE_EVENT_INITIAL_SET 0x00000002
#define CREATE_MUTEX_INITIAL_OWNER 0x00000001
#define CREATE_WAITABLE_TIMER_MANUAL_RESET 0x00000001
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002

#define HANDLE_FLAG_INHERIT 0x00000001
#define HANDLE_FLAG_PROTECT_FROM_CLOSE 0x00000002

#define FORMAT_MESSAGE_ALLOCATE_BUFFER 0x00000100
#define FORMAT_MESSAGE_IGNORE_INSERTS 0x00000200
#define FORMAT_MESSAGE_FROM_STRING 0x00000400
#define FORMAT_MESSAGE_FROM_HMODULE 0x00000800
#define FORMAT_MESSAGE_FROM_SYSTEM 0x00001000
#define FORMAT_MESSAGE_ARGUMENT_ARRAY 0x00002000
#define FORMAT_MESSAGE_MAX_WIDTH_MASK 0x000000FF
#define LANG_NEUTRAL 0x00
#define SUBLANG_DEFAULT 0x01
#define MAKELANGID(p, s) ((((WORD)(s)) << 10) | (WORD)(p))

#define GMEM_FIXED 0x0000
#define GMEM_MOVEABLE 0x0002
#define GMEM_NOCOMPACT 0x0010
#define GMEM_NODISCARD 0x0020
#define GMEM_ZEROINIT 0x0040
#define GMEM_MODIFY 0x0080
#define GMEM_DISCARDABLE 0x0100
#define GMEM_NOT_BANKED 0x1000
#define GMEM_LOWER GMEM_NOT_BANKED
#define GMEM_SHARE 0x2000
#define GMEM_DDESHARE 0x2000
#define GMEM_NOTIFY 0x4000
#define GMEM_VALID_FLAGS 0x7f72
#define GMEM_INVALID_HANDLE 0x8000
#define GMEM_DISCARDED 0x4000
#define GMEM_LOCKCOUNT 0x00ff
#define GHND (GMEM_MOVEABLE | GMEM_ZEROINIT)
#define GPTR (GMEM_FIXED | GMEM_ZEROINIT)
#define GlobalDiscard(h) GlobalReAlloc((h), 0, GMEM_MOVEABLE)

#define LMEM_FIXED 0x0000
#define LMEM_MOVEABLE 0x0002
#define LMEM_NOCOMPACT 0x0010
#define LMEM_NODISCARD 0x0020
#define LMEM_ZEROINIT 0x0040
#define LMEM_MODIFY 0x0080
#define LMEM_DISCARDABLE 0x0f00
#define LMEM_VALID_FLAGS 0x0f72
#define LMEM_INVALID_HANDLE 0x8000
#define LMEM_DISCARDED 0x4000
#define LMEM_LOCKCOUNT 0x00ff
#define LHND (LMEM_MOVEABLE | LMEM_ZEROINIT)
#define LPTR (LMEM_FIXED | LMEM_ZEROINIT)
#define NONZEROLHND (LMEM_MOVEABLE)
#define NONZEROLPTR (LMEM_FIXED)
#define LocalDiscard(h) LocalReAlloc((h), 0, LMEM_MOVEABLE)

/* HeapWalk's entries. */
typedef struct _PROCESS_HEAP_ENTRY {
    PVOID lpData;
    DWORD cbData;
    BYTE cbOverhead;
    BYTE iRegionIndex;
    WORD wFlags;
    union {
        struct {
            HANDLE hMem;
            DWORD dwReserved[3];
        } Block;
        struct {
            DWORD dwCommittedSize;
            DWORD dwUnCommittedSize;
            LPVOID lpFirstBlock;
            LPVOID lpLastBlock;
        } Region;
    };
} PROCESS_HEAP_ENTRY, *LPPROCESS_HEAP_ENTRY, *PPROCESS_HEAP_ENTRY;
#define PROCESS_HEAP_REGION 0x0001
#define PROCESS_HEAP_UNCOMMITTED_RANGE 0x0002
#define PROCESS_HEAP_ENTRY_BUSY 0x0004
#define PROCESS_HEAP_SEG_ALLOC 0x0008
#define PROCESS_HEAP_ENTRY_MOVEABLE 0x0010
#define PROCESS_HEAP_ENTRY_DDESHARE 0x0020

#define THREAD_PRIORITY_NORMAL 0

#define CREATE_NEW 1
#define CREATE_ALWAYS 2
#define OPEN_EXISTING 3
#define OPEN_ALWAYS 4
#define TRUNCATE_EXISTING 5

#define FILE_FLAG_WRITE_THROUGH 0x80000000
#define FILE_FLAG_OVERLAPPED 0x40000000
#define FILE_FLAG_NO_BUFFERING 0x20000000
#define FILE_FLAG_RANDOM_ACCESS 0x10000000
#define FILE_FLAG_SEQUENTIAL_SCAN 0x08000000
#define FILE_FLAG_DELETE_ON_CLOSE 0x04000000
#define FILE_FLAG_BACKUP_SEMANTICS 0x02000000
#define FILE_FLAG_POSIX_SEMANTICS 0x01000000

#define FILE_BEGIN 0
#define FILE_CURRENT 1
#define FILE_END 2
#define INVALID_SET_FILE_POINTER ((DWORD)-1)
#define INVALID_FILE_SIZE ((DWORD)0xFFFFFFFF)
#define INVALID_FILE_ATTRIBUTES ((DWORD)-1)

#define FILE_TYPE_UNKNOWN 0x0000
#define FILE_TYPE_DISK 0x0001
#define FILE_TYPE_CHAR 0x0002
#define FILE_TYPE_PIPE 0x0003
#define FILE_TYPE_REMOTE 0x8000

#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1
#define FILE_SKIP_SET_EVENT_ON_HANDLE 0x2

#define MEM_COMMIT 0x00001000
#define MEM_RESERVE 0x00002000
#define MEM_DECOMMIT 0x00004000
#define MEM_RELEASE 0x00008000
#define MEM_RESET 0x00080000
#define MEM_TOP_DOWN 0x00100000
#define MEM_WRITE_WATCH 0x00200000
#define MEM_PHYSICAL 0x00400000
#define MEM_RESET_UNDO 0x01000000
#define MEM_LARGE_PAGES 0x20000000
#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04
#define PAGE_WRITECOPY 0x08
#define PAGE_EXECUTE 0x10
#define PAGE_EXECUTE_READ 0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD 0x100
#define PAGE_NOCACHE 0x200
#define PAGE_WRITECOMBINE 0x400

/* File mappings (CreateFileMapping, MapViewOfFile). */
#define SEC_FILE 0x00800000
#define SEC_IMAGE 0x01000000
#define SEC_RESERVE 0x04000000
#define SEC_COMMIT 0x08000000
#define SEC_NOCACHE 0x10000000
#define SEC_WRITECOMBINE 0x40000000
#define SEC_LARGE_PAGES 0x80000000
#define SECTION_QUERY 0x0001
#define SECTION_MAP_WRITE 0x0002
#define SECTION_MAP_READ 0x0004
#define SECTION_MAP_EXECUTE 0x0008
#define SECTION_EXTEND_SIZE 0x0010
#define SECTION_ALL_ACCESS 0x000F001F
#define FILE_MAP_COPY 0x0001
#define FILE_MAP_WRITE SECTION_MAP_WRITE
#define FILE_MAP_READ SECTION_MAP_READ
#define FILE_MAP_EXECUTE 0x0020
#define FILE_MAP_ALL_ACCESS SECTION_ALL_ACCESS
OVERLAPPED_API HANDLE WINAPI CreateFileMappingA(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes,
                                                DWORD flProtect, DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow,
                                                LPCSTR lpName);
OVERLAPPED_API HANDLE WINAPI CreateFileMappingW(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes,
                                                DWORD flProtect, DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow,
                                                LPCWSTR lpName);
OVERLAPPED_API HANDLE WINAPI OpenFileMappingA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
OVERLAPPED_API HANDLE WINAPI OpenFileMappingW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
OVERLAPPED_API LPVOID WINAPI MapViewOfFile(HANDLE hFileMappingObject, DWORD dwDesiredAccess,
                                           DWORD dwFileOffsetHigh, DWORD dwFileOffsetLow,
                                           SIZE_T dwNumberOfBytesToMap);
OVERLAPPED_API LPVOID WINAPI MapViewOfFileEx(HANDLE hFileMappingObject, DWORD dwDesiredAccess,
                                             DWORD dwFileOffsetHigh, DWORD dwFileOffsetLow,
                                             SIZE_T dwNumberOfBytesToMap, LPVOID lpBaseAddress);
OVERLAPPED_API BOOL WINAPI UnmapViewOfFile(LPCVOID lpBaseAddress);
OVERLAPPED_API BOOL WINAPI FlushViewOfFile(LPCVOID lpBaseAddress, SIZE_T dwNumberOfBytesToFlush);

/* True once the request described by the OVERLAPPED is no longer pending. An acquiring
 * load: a program that polls it may then read the result and the buffer (Windows' plain
 * read gives the same on x86; here the compiler and race detectors are told). */
#define HasOverlappedIoCompleted(lpOverlapped) \
    (((DWORD)__atomic_load_n(&(lpOverlapped)->Internal, __ATOMIC_ACQUIRE)) != STATUS_PENDING)

/* ---- Errors ------------------------------------------------------------------------ */

OVERLAPPED_API DWORD WINAPI GetLastError(void);
OVERLAPPED_API void WINAPI SetLastError(DWORD dwErrCode);
OVERLAPPED_API DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                           DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize,
                                           void *Arguments);
OVERLAPPED_API DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                           DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize,
                                           void *Arguments);

/* ---- Handles ----------------------------------------------------------------------- */

OVERLAPPED_API BOOL WINAPI CloseHandle(HANDLE hObject);
OVERLAPPED_API BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                                           HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
                                           DWORD dwDesiredAccess, BOOL bInheritHandle,
                                           DWORD dwOptions);
OVERLAPPED_API BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags);
OVERLAPPED_API BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags);
OVERLAPPED_API BOOL WINAPI CompareObjectHandles(HANDLE hFirstObjectHandle, HANDLE hSecondObjectHandle);
OVERLAPPED_API HANDLE WINAPI GetCurrentProcess(void);
OVERLAPPED_API HANDLE WINAPI GetCurrentThread(void);
OVERLAPPED_API DWORD WINAPI GetCurrentProcessId(void);
OVERLAPPED_API DWORD WINAPI GetCurrentThreadId(void);

/* ---- Events, semaphores, mutexes, timers -------------------------------------------- */

OVERLAPPED_API HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                          BOOL bInitialState, LPCSTR lpName);
OVERLAPPED_API HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                          BOOL bInitialState, LPCWSTR lpName);
OVERLAPPED_API HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCSTR lpName,
                                            DWORD dwFlags, DWORD dwDesiredAccess);
OVERLAPPED_API HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCWSTR lpName,
                                            DWORD dwFlags, DWORD dwDesiredAccess);
OVERLAPPED_API HANDLE WINAPI OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
OVERLAPPED_API HANDLE WINAPI OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
OVERLAPPED_API BOOL WINAPI SetEvent(HANDLE hEvent);
OVERLAPPED_API BOOL WINAPI ResetEvent(HANDLE hEvent);
OVERLAPPED_API BOOL WINAPI PulseEvent(HANDLE hEvent);

OVERLAPPED_API HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                              LONG lInitialCount, LONG lMaximumCount, LPCSTR lpName);
OVERLAPPED_API HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                              LONG lInitialCount, LONG lMaximumCount, LPCWSTR lpName);
OVERLAPPED_API HANDLE WINAPI CreateSemaphoreExA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                                LONG lInitialCount, LONG lMaximumCount, LPCSTR lpName,
                                                DWORD dwFlags, DWORD dwDesiredAccess);
OVERLAPPED_API HANDLE WINAPI CreateSemaphoreExW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                                LONG lInitialCount, LONG lMaximumCount, LPCWSTR lpName,
                                                DWORD dwFlags, DWORD dwDesiredAccess);
OVERLAPPED_API HANDLE WINAPI OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
OVERLAPPED_API HANDLE WINAPI OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
OVERLAPPED_API BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount,
                                            LPLONG lpPreviousCount);

OVERLAPPED_API HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                          LPCSTR lpName);
OVERLAPPED_API HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                          LPCWSTR lpName);
OVERLAPPED_API HANDLE WINAPI CreateMutexExA(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCSTR lpName,
                                            DWORD dwFlags, DWORD dwDesiredAccess);
OVERLAPPED_API HANDLE WINAPI CreateMutexExW(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCWSTR lpName,
                                            DWORD dwFlags, DWORD dwDesiredAccess);
OVERLAPPED_API HANDLE WINAPI OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName);
OVERLAPPED_API HANDLE WINAPI OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName);
OVERLAPPED_API BOOL WINAPI ReleaseMutex(HANDLE hMutex);

OVERLAPPED_API HANDLE WINAPI CreateWaitableTimerA(LPSECURITY_ATTRIBUTES lpTimerAttributes,
                                                  BOOL bManualReset, LPCSTR lpTimerName);
OVERLAPPED_API HANDLE WINAPI CreateWaitableTimerW(LPSECURITY_ATTRIBUTES lpTimerAttributes,
                                                  BOOL bManualReset, LPCWSTR lpTimerName);
OVERLAPPED_API HANDLE WINAPI CreateWaitableTimerExA(LPSECURITY_ATTRIBUTES lpTimerAttributes,
                                                    LPCSTR lpTimerName, DWORD dwFlags,
                                                    DWORD dwDesiredAccess);
OVERLAPPED_API HANDLE WINAPI CreateWaitableTimerExW(LPSECURITY_ATTRIBUTES lpTimerAttributes,
                                                    LPCWSTR lpTimerName, DWORD dwFlags,
                                                    DWORD dwDesiredAccess);
OVERLAPPED_API HANDLE WINAPI OpenWaitableTimerA(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                                LPCSTR lpTimerName);
OVERLAPPED_API HANDLE WINAPI OpenWaitableTimerW(DWORD dwDesiredAccess, BOOL bInheritHandle,
                                                LPCWSTR lpTimerName);
OVERLAPPED_API BOOL WINAPI SetWaitableTimer(HANDLE hTimer, const LARGE_INTEGER *lpDueTime, LONG lPeriod,
                                            PTIMERAPCROUTINE pfnCompletionRoutine,
                                            LPVOID lpArgToCompletionRoutine, BOOL fResume);
/* SetWaitableTimerEx's wake context: why the timer wakes the machine (a power request's
 * reason). */
#define POWER_REQUEST_CONTEXT_VERSION 0
#define POWER_REQUEST_CONTEXT_SIMPLE_STRING 0x00000001
#define POWER_REQUEST_CONTEXT_DETAILED_STRING 0x00000002
typedef struct _REASON_CONTEXT {
    ULONG Version;
    DWORD Flags;
    union {
        struct {
            HMODULE LocalizedReasonModule;
            ULONG LocalizedReasonId;
            ULONG ReasonStringCount;
            LPWSTR *ReasonStrings;
        } Detailed;
        LPWSTR SimpleReasonString;
    } Reason;
} REASON_CONTEXT, *PREASON_CONTEXT;
OVERLAPPED_API BOOL WINAPI SetWaitableTimerEx(HANDLE hTimer, const LARGE_INTEGER *lpDueTime, LONG lPeriod,
                                              PTIMERAPCROUTINE pfnCompletionRoutine,
                                              LPVOID lpArgToCompletionRoutine, PREASON_CONTEXT WakeContext,
                                              ULONG TolerableDelay);
OVERLAPPED_API BOOL WINAPI CancelWaitableTimer(HANDLE hTimer);

/* ---- Threads and APCs -------------------------------------------------------------- */

OVERLAPPED_API HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                                          LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                                          DWORD dwCreationFlags, LPDWORD lpThreadId);
OVERLAPPED_API DECLSPEC_NORETURN void WINAPI ExitThread(DWORD dwExitCode);
/* Partial: the calling thread, or one that has not begun its routine; a running thread
 * gets ERROR_CALL_NOT_IMPLEMENTED (docs/deviations.md). */
OVERLAPPED_API BOOL WINAPI TerminateThread(HANDLE hThread, DWORD dwExitCode);

/* Thread-local storage slots: 64 + 1024, as Windows. */
#define TLS_MINIMUM_AVAILABLE 64
#define TLS_OUT_OF_INDEXES ((DWORD)0xFFFFFFFF)
OVERLAPPED_API DWORD WINAPI TlsAlloc(void);
OVERLAPPED_API BOOL WINAPI TlsFree(DWORD dwTlsIndex);
OVERLAPPED_API LPVOID WINAPI TlsGetValue(DWORD dwTlsIndex);
OVERLAPPED_API BOOL WINAPI TlsSetValue(DWORD dwTlsIndex, LPVOID lpTlsValue);

/* Fiber-local storage: values per fiber (a thread that is no fiber has its own), with a
 * callback for each slot's value as a thread ends, its fiber is deleted or the slot is
 * freed. */
typedef VOID(WINAPI *PFLS_CALLBACK_FUNCTION)(PVOID lpFlsData);
#define FLS_OUT_OF_INDEXES ((DWORD)0xFFFFFFFF)
#define FLS_MAXIMUM_AVAILABLE 4080
OVERLAPPED_API DWORD WINAPI FlsAlloc(PFLS_CALLBACK_FUNCTION lpCallback);
OVERLAPPED_API BOOL WINAPI FlsFree(DWORD dwFlsIndex);
OVERLAPPED_API PVOID WINAPI FlsGetValue(DWORD dwFlsIndex);
OVERLAPPED_API BOOL WINAPI FlsSetValue(DWORD dwFlsIndex, PVOID lpFlsData);

/* Fibers: each has a stack of its own, and FLS values of its own. GetFiberData reads
 * the parameter the running fiber was made with, as Windows' macro does. */
typedef VOID(WINAPI *PFIBER_START_ROUTINE)(LPVOID lpFiberParameter);
typedef PFIBER_START_ROUTINE LPFIBER_START_ROUTINE;
#define FIBER_FLAG_FLOAT_SWITCH 0x1
OVERLAPPED_API LPVOID WINAPI CreateFiber(SIZE_T dwStackSize, LPFIBER_START_ROUTINE lpStartAddress,
                                         LPVOID lpParameter);
OVERLAPPED_API LPVOID WINAPI CreateFiberEx(SIZE_T dwStackCommitSize, SIZE_T dwStackReserveSize,
                                           DWORD dwFlags, LPFIBER_START_ROUTINE lpStartAddress,
                                           LPVOID lpParameter);
OVERLAPPED_API void WINAPI DeleteFiber(LPVOID lpFiber);
OVERLAPPED_API LPVOID WINAPI ConvertThreadToFiber(LPVOID lpParameter);
OVERLAPPED_API LPVOID WINAPI ConvertThreadToFiberEx(LPVOID lpParameter, DWORD dwFlags);
OVERLAPPED_API BOOL WINAPI ConvertFiberToThread(void);
OVERLAPPED_API void WINAPI SwitchToFiber(LPVOID lpFiber);
OVERLAPPED_API BOOL WINAPI IsThreadAFiber(void);
OVERLAPPED_API PVOID WINAPI GetCurrentFiber(void);
static inline PVOID GetFiberData(void)
{
    return *(PVOID *)GetCurrentFiber();
}

/* Debugging. */
OVERLAPPED_API BOOL WINAPI IsDebuggerPresent(void);
OVERLAPPED_API void WINAPI OutputDebugStringA(LPCSTR lpOutputString);
OVERLAPPED_API void WINAPI OutputDebugStringW(LPCWSTR lpOutputString);
OVERLAPPED_API void WINAPI DebugBreak(void);

OVERLAPPED_API int WINAPI MulDiv(int nNumber, int nNumerator, int nDenominator);
OVERLAPPED_API DWORD WINAPI ResumeThread(HANDLE hThread);
OVERLAPPED_API DWORD WINAPI SuspendThread(HANDLE hThread);
OVERLAPPED_API BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode);
OVERLAPPED_API DWORD WINAPI GetThreadId(HANDLE Thread);
OVERLAPPED_API HANDLE WINAPI OpenThread(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwThreadId);
OVERLAPPED_API DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData);
OVERLAPPED_API BOOL WINAPI SwitchToThread(void);
/* Error modes: recorded and read back; no error box is ever shown (docs/win32-status.md). */
#define SEM_FAILCRITICALERRORS 0x0001
#define SEM_NOGPFAULTERRORBOX 0x0002
#define SEM_NOALIGNMENTFAULTEXCEPT 0x0004
#define SEM_NOOPENFILEERRORBOX 0x8000
OVERLAPPED_API UINT WINAPI SetErrorMode(UINT uMode);
OVERLAPPED_API UINT WINAPI GetErrorMode(void);
OVERLAPPED_API BOOL WINAPI SetThreadErrorMode(DWORD dwNewMode, LPDWORD lpOldMode);
OVERLAPPED_API DWORD WINAPI GetThreadErrorMode(void);
/* The calling thread's stack. */
OVERLAPPED_API void WINAPI GetCurrentThreadStackLimits(PULONG_PTR LowLimit, PULONG_PTR HighLimit);
OVERLAPPED_API BOOL WINAPI SetThreadStackGuarantee(PULONG StackSizeInBytes);
OVERLAPPED_API DECLSPEC_NORETURN void WINAPI ExitProcess(UINT uExitCode);

/* ---- Waits ------------------------------------------------------------------------- */

OVERLAPPED_API DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
OVERLAPPED_API DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable);
OVERLAPPED_API DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                                   DWORD dwMilliseconds);
OVERLAPPED_API DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles,
                                                     BOOL bWaitAll, DWORD dwMilliseconds,
                                                     BOOL bAlertable);
OVERLAPPED_API DWORD WINAPI SignalObjectAndWait(HANDLE hObjectToSignal, HANDLE hObjectToWaitOn,
                                                DWORD dwMilliseconds, BOOL bAlertable);
OVERLAPPED_API void WINAPI Sleep(DWORD dwMilliseconds);
OVERLAPPED_API DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable);

/* ---- I/O completion ports ---------------------------------------------------------- */

OVERLAPPED_API HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                    ULONG_PTR CompletionKey,
                                                    DWORD NumberOfConcurrentThreads);
OVERLAPPED_API BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort,
                                                     LPDWORD lpNumberOfBytesTransferred,
                                                     PULONG_PTR lpCompletionKey,
                                                     LPOVERLAPPED *lpOverlapped, DWORD dwMilliseconds);
OVERLAPPED_API BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                                       LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                       ULONG ulCount, PULONG ulNumEntriesRemoved,
                                                       DWORD dwMilliseconds, BOOL fAlertable);
OVERLAPPED_API BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort,
                                                      DWORD dwNumberOfBytesTransferred,
                                                      ULONG_PTR dwCompletionKey,
                                                      LPOVERLAPPED lpOverlapped);

/* ---- Files and directories ---------------------------------------------------------- */

OVERLAPPED_API HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                         LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                         DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                         HANDLE hTemplateFile);
OVERLAPPED_API HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                         LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                         DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                         HANDLE hTemplateFile);
/* CreateFile2: CreateFileW with the attributes, the FILE_FLAG_* flags and the security
 * quality-of-service flags in separate fields (anything else in them is dropped). */
typedef struct _CREATEFILE2_EXTENDED_PARAMETERS {
    DWORD dwSize;
    DWORD dwFileAttributes;
    DWORD dwFileFlags;
    DWORD dwSecurityQosFlags;
    LPSECURITY_ATTRIBUTES lpSecurityAttributes;
    HANDLE hTemplateFile;
} CREATEFILE2_EXTENDED_PARAMETERS, *PCREATEFILE2_EXTENDED_PARAMETERS, *LPCREATEFILE2_EXTENDED_PARAMETERS;
OVERLAPPED_API HANDLE WINAPI CreateFile2(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                         DWORD dwCreationDisposition,
                                         LPCREATEFILE2_EXTENDED_PARAMETERS pCreateExParams);
OVERLAPPED_API BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                    LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped);
OVERLAPPED_API BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                     LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped);
OVERLAPPED_API BOOL WINAPI DeleteFileA(LPCSTR lpFileName);
OVERLAPPED_API BOOL WINAPI DeleteFileW(LPCWSTR lpFileName);
OVERLAPPED_API BOOL WINAPI ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                      LPOVERLAPPED lpOverlapped,
                                      LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
OVERLAPPED_API BOOL WINAPI WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                       LPOVERLAPPED lpOverlapped,
                                       LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
OVERLAPPED_API BOOL WINAPI ReadFileScatter(HANDLE hFile, FILE_SEGMENT_ELEMENT aSegmentArray[],
                                           DWORD nNumberOfBytesToRead, LPDWORD lpReserved,
                                           LPOVERLAPPED lpOverlapped);
OVERLAPPED_API BOOL WINAPI WriteFileGather(HANDLE hFile, FILE_SEGMENT_ELEMENT aSegmentArray[],
                                           DWORD nNumberOfBytesToWrite, LPDWORD lpReserved,
                                           LPOVERLAPPED lpOverlapped);
OVERLAPPED_API BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                               LPDWORD lpNumberOfBytesTransferred, BOOL bWait);
OVERLAPPED_API BOOL WINAPI GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                                 LPDWORD lpNumberOfBytesTransferred,
                                                 DWORD dwMilliseconds, BOOL bAlertable);
OVERLAPPED_API BOOL WINAPI CancelIo(HANDLE hFile);
OVERLAPPED_API BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped);
OVERLAPPED_API BOOL WINAPI CancelSynchronousIo(HANDLE hThread);
OVERLAPPED_API BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags);
OVERLAPPED_API BOOL WINAPI SetFileIoOverlappedRange(HANDLE FileHandle, PUCHAR OverlappedRangeStart, ULONG Length);
OVERLAPPED_API BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize);
OVERLAPPED_API DWORD WINAPI GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh);
OVERLAPPED_API DWORD WINAPI GetCompressedFileSizeA(LPCSTR lpFileName, LPDWORD lpFileSizeHigh);
OVERLAPPED_API DWORD WINAPI GetCompressedFileSizeW(LPCWSTR lpFileName, LPDWORD lpFileSizeHigh);
OVERLAPPED_API DWORD WINAPI SetFilePointer(HANDLE hFile, LONG lDistanceToMove,
                                           PLONG lpDistanceToMoveHigh, DWORD dwMoveMethod);
OVERLAPPED_API BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                                            PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod);
OVERLAPPED_API BOOL WINAPI SetEndOfFile(HANDLE hFile);
OVERLAPPED_API BOOL WINAPI SetFileValidData(HANDLE hFile, LONGLONG ValidDataLength);
OVERLAPPED_API BOOL WINAPI FlushFileBuffers(HANDLE hFile);
OVERLAPPED_API BOOL WINAPI GetFileTime(HANDLE hFile, LPFILETIME lpCreationTime, LPFILETIME lpLastAccessTime,
                                       LPFILETIME lpLastWriteTime);
OVERLAPPED_API BOOL WINAPI SetFileTime(HANDLE hFile, const FILETIME* lpCreationTime, const FILETIME* lpLastAccessTime,
                                       const FILETIME* lpLastWriteTime);
/* GetFinalPathNameByHandle's flags. */
#define FILE_NAME_NORMALIZED 0x0
#define FILE_NAME_OPENED 0x8
#define VOLUME_NAME_DOS 0x0
#define VOLUME_NAME_GUID 0x1
#define VOLUME_NAME_NT 0x2
#define VOLUME_NAME_NONE 0x4
OVERLAPPED_API DWORD WINAPI GetFinalPathNameByHandleA(HANDLE hFile, LPSTR lpszFilePath, DWORD cchFilePath,
                                                      DWORD dwFlags);
OVERLAPPED_API DWORD WINAPI GetFinalPathNameByHandleW(HANDLE hFile, LPWSTR lpszFilePath, DWORD cchFilePath,
                                                      DWORD dwFlags);

/* Byte-range locks. */
#define LOCKFILE_FAIL_IMMEDIATELY 0x00000001
#define LOCKFILE_EXCLUSIVE_LOCK 0x00000002
OVERLAPPED_API BOOL WINAPI LockFile(HANDLE hFile, DWORD dwFileOffsetLow, DWORD dwFileOffsetHigh,
                                    DWORD nNumberOfBytesToLockLow, DWORD nNumberOfBytesToLockHigh);
OVERLAPPED_API BOOL WINAPI LockFileEx(HANDLE hFile, DWORD dwFlags, DWORD dwReserved, DWORD nNumberOfBytesToLockLow,
                                      DWORD nNumberOfBytesToLockHigh, LPOVERLAPPED lpOverlapped);
OVERLAPPED_API BOOL WINAPI UnlockFile(HANDLE hFile, DWORD dwFileOffsetLow, DWORD dwFileOffsetHigh,
                                      DWORD nNumberOfBytesToUnlockLow, DWORD nNumberOfBytesToUnlockHigh);
OVERLAPPED_API BOOL WINAPI UnlockFileEx(HANDLE hFile, DWORD dwReserved, DWORD nNumberOfBytesToUnlockLow,
                                        DWORD nNumberOfBytesToUnlockHigh, LPOVERLAPPED lpOverlapped);
OVERLAPPED_API DWORD WINAPI GetFileType(HANDLE hFile);
OVERLAPPED_API BOOL WINAPI GetFileInformationByHandle(HANDLE hFile,
                                                      LPBY_HANDLE_FILE_INFORMATION lpFileInformation);
OVERLAPPED_API DWORD WINAPI GetFileAttributesA(LPCSTR lpFileName);
OVERLAPPED_API DWORD WINAPI GetFileAttributesW(LPCWSTR lpFileName);
OVERLAPPED_API BOOL WINAPI CreateDirectoryA(LPCSTR lpPathName, LPSECURITY_ATTRIBUTES lpSecurityAttributes);
OVERLAPPED_API BOOL WINAPI CreateDirectoryW(LPCWSTR lpPathName, LPSECURITY_ATTRIBUTES lpSecurityAttributes);
OVERLAPPED_API BOOL WINAPI RemoveDirectoryA(LPCSTR lpPathName);
OVERLAPPED_API BOOL WINAPI RemoveDirectoryW(LPCWSTR lpPathName);
OVERLAPPED_API DWORD WINAPI GetTempPathA(DWORD nBufferLength, LPSTR lpBuffer);
OVERLAPPED_API DWORD WINAPI GetTempPathW(DWORD nBufferLength, LPWSTR lpBuffer);
/* Windows 11's form: for a process that is not SYSTEM, GetTempPath's answer. */
OVERLAPPED_API DWORD WINAPI GetTempPath2A(DWORD BufferLength, LPSTR Buffer);
OVERLAPPED_API DWORD WINAPI GetTempPath2W(DWORD BufferLength, LPWSTR Buffer);
OVERLAPPED_API UINT WINAPI GetTempFileNameA(LPCSTR lpPathName, LPCSTR lpPrefixString, UINT uUnique,
                                            LPSTR lpTempFileName);
OVERLAPPED_API UINT WINAPI GetTempFileNameW(LPCWSTR lpPathName, LPCWSTR lpPrefixString, UINT uUnique,
                                            LPWSTR lpTempFileName);

/* ---- Mailslots (src/win32/mailslot.cpp; docs/mailslots.md) -------------------------- */

#define MAILSLOT_NO_MESSAGE ((DWORD)-1)
#define MAILSLOT_WAIT_FOREVER ((DWORD)-1)
OVERLAPPED_API HANDLE WINAPI CreateMailslotA(LPCSTR lpName, DWORD nMaxMessageSize, DWORD lReadTimeout,
                                             LPSECURITY_ATTRIBUTES lpSecurityAttributes);
OVERLAPPED_API HANDLE WINAPI CreateMailslotW(LPCWSTR lpName, DWORD nMaxMessageSize, DWORD lReadTimeout,
                                             LPSECURITY_ATTRIBUTES lpSecurityAttributes);
OVERLAPPED_API BOOL WINAPI GetMailslotInfo(HANDLE hMailslot, LPDWORD lpMaxMessageSize, LPDWORD lpNextSize,
                                           LPDWORD lpMessageCount, LPDWORD lpReadTimeout);
OVERLAPPED_API BOOL WINAPI SetMailslotInfo(HANDLE hMailslot, DWORD lReadTimeout);
#ifdef UNICODE
#define CreateMailslot CreateMailslotW
#else
#define CreateMailslot CreateMailslotA
#endif

/* ---- Virtual memory (page-aligned buffers for FILE_FLAG_NO_BUFFERING, arenas) -------- */

OVERLAPPED_API LPVOID WINAPI VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                                          DWORD flProtect);
OVERLAPPED_API BOOL WINAPI VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType);

#define MEM_FREE 0x00010000
#define MEM_PRIVATE 0x00020000
#define MEM_MAPPED 0x00040000
#define MEM_IMAGE 0x01000000

typedef struct _MEMORY_BASIC_INFORMATION {
    PVOID BaseAddress;
    PVOID AllocationBase;
    DWORD AllocationProtect;
    WORD PartitionId;
    SIZE_T RegionSize;
    DWORD State;
    DWORD Protect;
    DWORD Type;
} MEMORY_BASIC_INFORMATION, *PMEMORY_BASIC_INFORMATION;

OVERLAPPED_API BOOL WINAPI VirtualProtect(LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect,
                                          PDWORD lpflOldProtect);
OVERLAPPED_API SIZE_T WINAPI VirtualQuery(LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer, SIZE_T dwLength);
OVERLAPPED_API BOOL WINAPI VirtualLock(LPVOID lpAddress, SIZE_T dwSize);
/* Whether the process may not read (write, run) all of a range: VirtualQuery's answer,
 * page by page (committed, with a protection that allows it). Obsolete on Windows too. */
OVERLAPPED_API BOOL WINAPI IsBadReadPtr(const void *lp, UINT_PTR ucb);
OVERLAPPED_API BOOL WINAPI IsBadWritePtr(LPVOID lp, UINT_PTR ucb);
OVERLAPPED_API BOOL WINAPI IsBadHugeReadPtr(const void *lp, UINT_PTR ucb);
OVERLAPPED_API BOOL WINAPI IsBadHugeWritePtr(LPVOID lp, UINT_PTR ucb);
OVERLAPPED_API BOOL WINAPI IsBadCodePtr(FARPROC lpfn);
OVERLAPPED_API BOOL WINAPI IsBadStringPtrA(LPCSTR lpsz, UINT_PTR ucchMax);
OVERLAPPED_API BOOL WINAPI IsBadStringPtrW(LPCWSTR lpsz, UINT_PTR ucchMax);
OVERLAPPED_API BOOL WINAPI VirtualUnlock(LPVOID lpAddress, SIZE_T dwSize);
/* The Ex forms: this process only (GetCurrentProcess() or a handle to it). */
OVERLAPPED_API LPVOID WINAPI VirtualAllocEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                                            DWORD flProtect);
OVERLAPPED_API BOOL WINAPI VirtualFreeEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType);
OVERLAPPED_API BOOL WINAPI VirtualProtectEx(HANDLE hProcess, LPVOID lpAddress, SIZE_T dwSize, DWORD flNewProtect,
                                            PDWORD lpflOldProtect);
OVERLAPPED_API SIZE_T WINAPI VirtualQueryEx(HANDLE hProcess, LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer,
                                            SIZE_T dwLength);

/* ---- Critical sections, SRW locks, condition variables ------------------------------- */

OVERLAPPED_API void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
OVERLAPPED_API BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION lpCriticalSection,
                                                                 DWORD dwSpinCount);
OVERLAPPED_API BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION lpCriticalSection,
                                                       DWORD dwSpinCount, DWORD Flags);
OVERLAPPED_API DWORD WINAPI SetCriticalSectionSpinCount(LPCRITICAL_SECTION lpCriticalSection,
                                                        DWORD dwSpinCount);
OVERLAPPED_API void WINAPI EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
OVERLAPPED_API BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
OVERLAPPED_API void WINAPI LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
OVERLAPPED_API void WINAPI DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection);

OVERLAPPED_API void WINAPI InitializeSRWLock(PSRWLOCK SRWLock);
OVERLAPPED_API void WINAPI AcquireSRWLockExclusive(PSRWLOCK SRWLock);
OVERLAPPED_API void WINAPI AcquireSRWLockShared(PSRWLOCK SRWLock);
OVERLAPPED_API void WINAPI ReleaseSRWLockExclusive(PSRWLOCK SRWLock);
OVERLAPPED_API void WINAPI ReleaseSRWLockShared(PSRWLOCK SRWLock);
OVERLAPPED_API BOOLEAN WINAPI TryAcquireSRWLockExclusive(PSRWLOCK SRWLock);
OVERLAPPED_API BOOLEAN WINAPI TryAcquireSRWLockShared(PSRWLOCK SRWLock);

OVERLAPPED_API void WINAPI InitializeConditionVariable(PCONDITION_VARIABLE ConditionVariable);
OVERLAPPED_API BOOL WINAPI SleepConditionVariableCS(PCONDITION_VARIABLE ConditionVariable,
                                                    PCRITICAL_SECTION CriticalSection,
                                                    DWORD dwMilliseconds);
OVERLAPPED_API BOOL WINAPI SleepConditionVariableSRW(PCONDITION_VARIABLE ConditionVariable,
                                                     PSRWLOCK SRWLock, DWORD dwMilliseconds,
                                                     ULONG Flags);
OVERLAPPED_API void WINAPI WakeConditionVariable(PCONDITION_VARIABLE ConditionVariable);
OVERLAPPED_API void WINAPI WakeAllConditionVariable(PCONDITION_VARIABLE ConditionVariable);

typedef RTL_BARRIER SYNCHRONIZATION_BARRIER, *PSYNCHRONIZATION_BARRIER, *LPSYNCHRONIZATION_BARRIER;
#define SYNCHRONIZATION_BARRIER_FLAGS_SPIN_ONLY 0x01
#define SYNCHRONIZATION_BARRIER_FLAGS_BLOCK_ONLY 0x02
#define SYNCHRONIZATION_BARRIER_FLAGS_NO_DELETE 0x04
OVERLAPPED_API BOOL WINAPI InitializeSynchronizationBarrier(LPSYNCHRONIZATION_BARRIER lpBarrier,
                                                            LONG lTotalThreads, LONG lSpinCount);
OVERLAPPED_API BOOL WINAPI EnterSynchronizationBarrier(LPSYNCHRONIZATION_BARRIER lpBarrier, DWORD dwFlags);
OVERLAPPED_API BOOL WINAPI DeleteSynchronizationBarrier(LPSYNCHRONIZATION_BARRIER lpBarrier);

OVERLAPPED_API BOOL WINAPI WaitOnAddress(volatile VOID *Address, PVOID CompareAddress, SIZE_T AddressSize,
                                         DWORD dwMilliseconds);
OVERLAPPED_API VOID WINAPI WakeByAddressSingle(PVOID Address);
OVERLAPPED_API VOID WINAPI WakeByAddressAll(PVOID Address);

OVERLAPPED_API void WINAPI InitOnceInitialize(PINIT_ONCE InitOnce);
OVERLAPPED_API BOOL WINAPI InitOnceExecuteOnce(PINIT_ONCE InitOnce, PINIT_ONCE_FN InitFn, PVOID Parameter,
                                               LPVOID *Context);
OVERLAPPED_API BOOL WINAPI InitOnceBeginInitialize(LPINIT_ONCE lpInitOnce, DWORD dwFlags, PBOOL fPending,
                                                   LPVOID *lpContext);
OVERLAPPED_API BOOL WINAPI InitOnceComplete(LPINIT_ONCE lpInitOnce, DWORD dwFlags, LPVOID lpContext);

/* ---- System information, time, heap ------------------------------------------------- */

OVERLAPPED_API void WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo);
OVERLAPPED_API void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO lpSystemInfo);
OVERLAPPED_API BOOL WINAPI GlobalMemoryStatusEx(LPMEMORYSTATUSEX lpBuffer);
/* GlobalMemoryStatusEx's figures; sets dwLength itself (no need to set it first). */
OVERLAPPED_API void WINAPI GlobalMemoryStatus(LPMEMORYSTATUS lpBuffer);
OVERLAPPED_API BOOL WINAPI GetComputerNameA(LPSTR lpBuffer, LPDWORD nSize);
OVERLAPPED_API BOOL WINAPI GetComputerNameW(LPWSTR lpBuffer, LPDWORD nSize);
/* "C:\Windows" and "C:\Windows\system32": names, not directories of the drive map
 * (docs/deviations.md). */
OVERLAPPED_API UINT WINAPI GetWindowsDirectoryA(LPSTR lpBuffer, UINT uSize);
OVERLAPPED_API UINT WINAPI GetWindowsDirectoryW(LPWSTR lpBuffer, UINT uSize);
OVERLAPPED_API UINT WINAPI GetSystemWindowsDirectoryA(LPSTR lpBuffer, UINT uSize);
OVERLAPPED_API UINT WINAPI GetSystemWindowsDirectoryW(LPWSTR lpBuffer, UINT uSize);
OVERLAPPED_API UINT WINAPI GetSystemDirectoryA(LPSTR lpBuffer, UINT uSize);
OVERLAPPED_API UINT WINAPI GetSystemDirectoryW(LPWSTR lpBuffer, UINT uSize);
typedef enum _COMPUTER_NAME_FORMAT {
    ComputerNameNetBIOS,
    ComputerNameDnsHostname,
    ComputerNameDnsDomain,
    ComputerNameDnsFullyQualified,
    ComputerNamePhysicalNetBIOS,
    ComputerNamePhysicalDnsHostname,
    ComputerNamePhysicalDnsDomain,
    ComputerNamePhysicalDnsFullyQualified,
    ComputerNameMax
} COMPUTER_NAME_FORMAT;
OVERLAPPED_API BOOL WINAPI GetComputerNameExA(COMPUTER_NAME_FORMAT NameType, LPSTR lpBuffer, LPDWORD nSize);
OVERLAPPED_API BOOL WINAPI GetComputerNameExW(COMPUTER_NAME_FORMAT NameType, LPWSTR lpBuffer, LPDWORD nSize);
OVERLAPPED_API DWORD WINAPI GetCurrentProcessorNumber(void);
OVERLAPPED_API void WINAPI GetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber);
OVERLAPPED_API BOOL WINAPI GetPhysicallyInstalledSystemMemory(PULONGLONG TotalMemoryInKilobytes);
OVERLAPPED_API BOOL WINAPI IsProcessorFeaturePresent(DWORD ProcessorFeature);
#define ALL_PROCESSOR_GROUPS 0xffff
OVERLAPPED_API WORD WINAPI GetActiveProcessorGroupCount(void);
OVERLAPPED_API WORD WINAPI GetMaximumProcessorGroupCount(void);
OVERLAPPED_API DWORD WINAPI GetActiveProcessorCount(WORD GroupNumber);
OVERLAPPED_API DWORD WINAPI GetMaximumProcessorCount(WORD GroupNumber);
OVERLAPPED_API BOOL WINAPI GetLogicalProcessorInformation(PSYSTEM_LOGICAL_PROCESSOR_INFORMATION Buffer,
                                                          PDWORD ReturnedLength);
OVERLAPPED_API BOOL WINAPI GetLogicalProcessorInformationEx(LOGICAL_PROCESSOR_RELATIONSHIP RelationshipType,
                                                            PSYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX Buffer,
                                                            PDWORD ReturnedLength);
OVERLAPPED_API BOOL WINAPI GetNumaHighestNodeNumber(PULONG HighestNodeNumber);
OVERLAPPED_API BOOL WINAPI GetNumaNodeProcessorMask(UCHAR Node, PULONGLONG ProcessorMask);
OVERLAPPED_API BOOL WINAPI GetNumaNodeProcessorMaskEx(USHORT Node, PGROUP_AFFINITY ProcessorMask);
OVERLAPPED_API BOOL WINAPI GetNumaProcessorNode(UCHAR Processor, PUCHAR NodeNumber);
OVERLAPPED_API BOOL WINAPI GetNumaProcessorNodeEx(PPROCESSOR_NUMBER Processor, PUSHORT NodeNumber);
OVERLAPPED_API BOOL WINAPI QueryUnbiasedInterruptTime(PULONGLONG UnbiasedTime);
OVERLAPPED_API BOOL WINAPI GetSystemTimes(PFILETIME lpIdleTime, PFILETIME lpKernelTime, PFILETIME lpUserTime);
OVERLAPPED_API DWORD WINAPI GetTickCount(void);
OVERLAPPED_API ULONGLONG WINAPI GetTickCount64(void);
OVERLAPPED_API BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount);
OVERLAPPED_API BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency);
OVERLAPPED_API void WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime);
OVERLAPPED_API void WINAPI GetSystemTimePreciseAsFileTime(LPFILETIME lpSystemTimeAsFileTime);
OVERLAPPED_API void WINAPI GetSystemTime(LPSYSTEMTIME lpSystemTime);
OVERLAPPED_API void WINAPI GetLocalTime(LPSYSTEMTIME lpSystemTime);
OVERLAPPED_API BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME *lpSystemTime, LPFILETIME lpFileTime);
OVERLAPPED_API BOOL WINAPI FileTimeToSystemTime(const FILETIME *lpFileTime, LPSYSTEMTIME lpSystemTime);
OVERLAPPED_API BOOL WINAPI FileTimeToLocalFileTime(const FILETIME *lpFileTime, LPFILETIME lpLocalFileTime);
OVERLAPPED_API BOOL WINAPI LocalFileTimeToFileTime(const FILETIME *lpLocalFileTime, LPFILETIME lpFileTime);
OVERLAPPED_API LONG WINAPI CompareFileTime(const FILETIME *lpFileTime1, const FILETIME *lpFileTime2);
OVERLAPPED_API BOOL WINAPI FileTimeToDosDateTime(const FILETIME *lpFileTime, LPWORD lpFatDate, LPWORD lpFatTime);
OVERLAPPED_API BOOL WINAPI DosDateTimeToFileTime(WORD wFatDate, WORD wFatTime, LPFILETIME lpFileTime);
OVERLAPPED_API DWORD WINAPI GetTimeZoneInformation(LPTIME_ZONE_INFORMATION lpTimeZoneInformation);
OVERLAPPED_API DWORD WINAPI GetDynamicTimeZoneInformation(PDYNAMIC_TIME_ZONE_INFORMATION pTimeZoneInformation);
OVERLAPPED_API BOOL WINAPI GetTimeZoneInformationForYear(USHORT wYear, PDYNAMIC_TIME_ZONE_INFORMATION pdtzi,
                                                         LPTIME_ZONE_INFORMATION ptzi);
OVERLAPPED_API BOOL WINAPI GetSystemTimeAdjustment(PDWORD lpTimeAdjustment, PDWORD lpTimeIncrement,
                                                   PBOOL lpTimeAdjustmentDisabled);
/* Fail as for a process without SE_SYSTEMTIME_NAME: ERROR_PRIVILEGE_NOT_HELD. */
OVERLAPPED_API BOOL WINAPI SetSystemTime(const SYSTEMTIME *lpSystemTime);
OVERLAPPED_API BOOL WINAPI SetLocalTime(const SYSTEMTIME *lpSystemTime);
OVERLAPPED_API BOOL WINAPI SystemTimeToTzSpecificLocalTime(const TIME_ZONE_INFORMATION *lpTimeZoneInformation,
                                                           const SYSTEMTIME *lpUniversalTime,
                                                           LPSYSTEMTIME lpLocalTime);
OVERLAPPED_API BOOL WINAPI TzSpecificLocalTimeToSystemTime(const TIME_ZONE_INFORMATION *lpTimeZoneInformation,
                                                           const SYSTEMTIME *lpLocalTime,
                                                           LPSYSTEMTIME lpUniversalTime);

OVERLAPPED_API HANDLE WINAPI GetProcessHeap(void);
OVERLAPPED_API LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);
OVERLAPPED_API LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes);
OVERLAPPED_API BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem);
OVERLAPPED_API SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem);
OVERLAPPED_API BOOL WINAPI HeapSetInformation(HANDLE HeapHandle, HEAP_INFORMATION_CLASS HeapInformationClass,
                                              PVOID HeapInformation, SIZE_T HeapInformationLength);
OVERLAPPED_API BOOL WINAPI HeapQueryInformation(HANDLE HeapHandle, HEAP_INFORMATION_CLASS HeapInformationClass,
                                                PVOID HeapInformation, SIZE_T HeapInformationLength,
                                                PSIZE_T ReturnLength);
OVERLAPPED_API HANDLE WINAPI HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize);
OVERLAPPED_API BOOL WINAPI HeapDestroy(HANDLE hHeap);
OVERLAPPED_API DWORD WINAPI GetProcessHeaps(DWORD NumberOfHeaps, PHANDLE ProcessHeaps);
OVERLAPPED_API BOOL WINAPI HeapValidate(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem);
OVERLAPPED_API BOOL WINAPI HeapLock(HANDLE hHeap);
OVERLAPPED_API BOOL WINAPI HeapUnlock(HANDLE hHeap);
OVERLAPPED_API BOOL WINAPI HeapWalk(HANDLE hHeap, LPPROCESS_HEAP_ENTRY lpEntry);
OVERLAPPED_API SIZE_T WINAPI HeapCompact(HANDLE hHeap, DWORD dwFlags);
OVERLAPPED_API HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes);
OVERLAPPED_API HLOCAL WINAPI LocalFree(HLOCAL hMem);
OVERLAPPED_API LPVOID WINAPI LocalLock(HLOCAL hMem);
OVERLAPPED_API BOOL WINAPI LocalUnlock(HLOCAL hMem);
OVERLAPPED_API HLOCAL WINAPI LocalReAlloc(HLOCAL hMem, SIZE_T uBytes, UINT uFlags);
OVERLAPPED_API SIZE_T WINAPI LocalSize(HLOCAL hMem);
OVERLAPPED_API UINT WINAPI LocalFlags(HLOCAL hMem);
OVERLAPPED_API HLOCAL WINAPI LocalHandle(LPCVOID pMem);
OVERLAPPED_API HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes);
OVERLAPPED_API HGLOBAL WINAPI GlobalFree(HGLOBAL hMem);
OVERLAPPED_API LPVOID WINAPI GlobalLock(HGLOBAL hMem);
OVERLAPPED_API BOOL WINAPI GlobalUnlock(HGLOBAL hMem);
OVERLAPPED_API HGLOBAL WINAPI GlobalReAlloc(HGLOBAL hMem, SIZE_T dwBytes, UINT uFlags);
OVERLAPPED_API SIZE_T WINAPI GlobalSize(HGLOBAL hMem);
OVERLAPPED_API UINT WINAPI GlobalFlags(HGLOBAL hMem);
OVERLAPPED_API HGLOBAL WINAPI GlobalHandle(LPCVOID pMem);

/* ---- Interlocked operations (inline, full barriers as on Windows) -------------------- */

static inline LONG InterlockedIncrement(LONG volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedDecrement(LONG volatile *Addend)
{
    return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedExchange(LONG volatile *Target, LONG Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value)
{
    return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedAdd(LONG volatile *Addend, LONG Value)
{
    return __atomic_add_fetch(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange, LONG Comparand)
{
    __atomic_compare_exchange_n(Destination, &Comparand, Exchange, 0, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return Comparand;
}
static inline LONG InterlockedOr(LONG volatile *Destination, LONG Value)
{
    return __atomic_fetch_or(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedAnd(LONG volatile *Destination, LONG Value)
{
    return __atomic_fetch_and(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedXor(LONG volatile *Destination, LONG Value)
{
    return __atomic_fetch_xor(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedIncrement64(LONG64 volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedDecrement64(LONG64 volatile *Addend)
{
    return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value)
{
    return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedAdd64(LONG64 volatile *Addend, LONG64 Value)
{
    return __atomic_add_fetch(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 Exchange,
                                                  LONG64 Comparand)
{
    __atomic_compare_exchange_n(Destination, &Comparand, Exchange, 0, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return Comparand;
}
static inline PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange,
                                                      PVOID Comparand)
{
    __atomic_compare_exchange_n(Destination, &Comparand, Exchange, 0, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return Comparand;
}
/* Security descriptors (securitybaseapi.h; types in winnt.h). The library builds and
 * reads them; objects do not enforce them (docs/deviations.md). */
OVERLAPPED_API BOOL WINAPI InitializeSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor, DWORD dwRevision);
OVERLAPPED_API BOOL WINAPI SetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor, BOOL bDaclPresent,
                                                     PACL pDacl, BOOL bDaclDefaulted);
OVERLAPPED_API BOOL WINAPI GetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                     LPBOOL lpbDaclPresent, PACL *pDacl, LPBOOL lpbDaclDefaulted);
OVERLAPPED_API BOOL WINAPI GetSecurityDescriptorControl(PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                                        PSECURITY_DESCRIPTOR_CONTROL pControl, LPDWORD lpdwRevision);
OVERLAPPED_API BOOL WINAPI IsValidSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor);

/* Interlocked singly linked lists (interlockedapi.h; types in winnt.h). */
OVERLAPPED_API void WINAPI InitializeSListHead(PSLIST_HEADER ListHead);
OVERLAPPED_API PSLIST_ENTRY WINAPI InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry);
OVERLAPPED_API PSLIST_ENTRY WINAPI InterlockedPushListSListEx(PSLIST_HEADER ListHead, PSLIST_ENTRY List,
                                                              PSLIST_ENTRY ListEnd, ULONG Count);
#define InterlockedPushListSList InterlockedPushListSListEx
OVERLAPPED_API PSLIST_ENTRY WINAPI InterlockedPopEntrySList(PSLIST_HEADER ListHead);
OVERLAPPED_API PSLIST_ENTRY WINAPI InterlockedFlushSList(PSLIST_HEADER ListHead);
OVERLAPPED_API USHORT WINAPI QueryDepthSList(PSLIST_HEADER ListHead);
OVERLAPPED_API PSLIST_ENTRY WINAPI RtlFirstEntrySList(const SLIST_HEADER *ListHead);
static inline void MemoryBarrier(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* The rest of winnt.h's interlocked family. Sized variants: */
#define OVERLAPPED_INTERLOCKED_OP(Name, Type, Builtin)                                     \
    static inline Type Name(Type volatile *Destination, Type Value)                        \
    {                                                                                      \
        return Builtin(Destination, Value, __ATOMIC_SEQ_CST);                              \
    }
OVERLAPPED_INTERLOCKED_OP(InterlockedExchange8, CHAR, __atomic_exchange_n)
OVERLAPPED_INTERLOCKED_OP(InterlockedAnd8, CHAR, __atomic_fetch_and)
OVERLAPPED_INTERLOCKED_OP(InterlockedOr8, CHAR, __atomic_fetch_or)
OVERLAPPED_INTERLOCKED_OP(InterlockedXor8, CHAR, __atomic_fetch_xor)
OVERLAPPED_INTERLOCKED_OP(InterlockedExchange16, SHORT, __atomic_exchange_n)
OVERLAPPED_INTERLOCKED_OP(InterlockedAnd64, LONG64, __atomic_fetch_and)
OVERLAPPED_INTERLOCKED_OP(InterlockedOr64, LONG64, __atomic_fetch_or)
OVERLAPPED_INTERLOCKED_OP(InterlockedXor64, LONG64, __atomic_fetch_xor)
OVERLAPPED_INTERLOCKED_OP(InterlockedExchangeSubtract, ULONG, __atomic_fetch_sub)
#undef OVERLAPPED_INTERLOCKED_OP
static inline SHORT InterlockedIncrement16(SHORT volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline SHORT InterlockedDecrement16(SHORT volatile *Addend)
{
    return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline SHORT InterlockedCompareExchange16(SHORT volatile *Destination, SHORT Exchange, SHORT Comparand)
{
    __atomic_compare_exchange_n(Destination, &Comparand, Exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return Comparand;
}
/* 16 bytes at a 16-byte aligned Destination; ComparandResult gets what was there. */
#if defined(__x86_64__)
__attribute__((target("cx16")))
#endif
static inline BOOLEAN InterlockedCompareExchange128(LONG64 volatile *Destination, LONG64 ExchangeHigh,
                                                    LONG64 ExchangeLow, LONG64 *ComparandResult)
{
    unsigned __int128 expected = (unsigned __int128)(ULONG64)ComparandResult[0] |
                                 ((unsigned __int128)(ULONG64)ComparandResult[1] << 64);
    unsigned __int128 desired = (unsigned __int128)(ULONG64)ExchangeLow | ((unsigned __int128)(ULONG64)ExchangeHigh << 64);
#if defined(__x86_64__)
    unsigned __int128 seen = __sync_val_compare_and_swap((unsigned __int128 volatile *)Destination, expected, desired);
#else
    unsigned __int128 seen = expected;
    __atomic_compare_exchange_n((unsigned __int128 volatile *)Destination, &seen, desired, 0, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
#endif
    ComparandResult[0] = (LONG64)(ULONG64)seen;
    ComparandResult[1] = (LONG64)(ULONG64)(seen >> 64);
    return seen == expected;
}
/* Bit tests: the bit's old value. */
static inline BOOLEAN InterlockedBitTestAndSet(LONG volatile *Base, LONG Offset)
{
    return (__atomic_fetch_or(Base + (Offset >> 5), (LONG)(1u << (Offset & 31)), __ATOMIC_SEQ_CST) >> (Offset & 31)) & 1;
}
static inline BOOLEAN InterlockedBitTestAndReset(LONG volatile *Base, LONG Offset)
{
    return (__atomic_fetch_and(Base + (Offset >> 5), (LONG)~(1u << (Offset & 31)), __ATOMIC_SEQ_CST) >> (Offset & 31)) & 1;
}
static inline BOOLEAN InterlockedBitTestAndComplement(LONG volatile *Base, LONG Offset)
{
    return (__atomic_fetch_xor(Base + (Offset >> 5), (LONG)(1u << (Offset & 31)), __ATOMIC_SEQ_CST) >> (Offset & 31)) & 1;
}
static inline BOOLEAN InterlockedBitTestAndSet64(LONG64 volatile *Base, LONG64 Offset)
{
    return (__atomic_fetch_or(Base + (Offset >> 6), (LONG64)(1ull << (Offset & 63)), __ATOMIC_SEQ_CST) >> (Offset & 63)) & 1;
}
static inline BOOLEAN InterlockedBitTestAndReset64(LONG64 volatile *Base, LONG64 Offset)
{
    return (__atomic_fetch_and(Base + (Offset >> 6), (LONG64)~(1ull << (Offset & 63)), __ATOMIC_SEQ_CST) >> (Offset & 63)) & 1;
}
/* Acquire, release and no-fence forms: on x64 Windows' winnt.h makes them the full-barrier
 * functions, and so do we (a stronger order is always allowed). */
#define InterlockedIncrementAcquire InterlockedIncrement
#define InterlockedIncrementRelease InterlockedIncrement
#define InterlockedIncrementNoFence InterlockedIncrement
#define InterlockedDecrementAcquire InterlockedDecrement
#define InterlockedDecrementRelease InterlockedDecrement
#define InterlockedDecrementNoFence InterlockedDecrement
#define InterlockedExchangeAcquire InterlockedExchange
#define InterlockedExchangeNoFence InterlockedExchange
#define InterlockedExchangeAddAcquire InterlockedExchangeAdd
#define InterlockedExchangeAddRelease InterlockedExchangeAdd
#define InterlockedExchangeAddNoFence InterlockedExchangeAdd
#define InterlockedAddAcquire InterlockedAdd
#define InterlockedAddRelease InterlockedAdd
#define InterlockedAddNoFence InterlockedAdd
#define InterlockedCompareExchangeAcquire InterlockedCompareExchange
#define InterlockedCompareExchangeRelease InterlockedCompareExchange
#define InterlockedCompareExchangeNoFence InterlockedCompareExchange
#define InterlockedOrAcquire InterlockedOr
#define InterlockedOrRelease InterlockedOr
#define InterlockedOrNoFence InterlockedOr
#define InterlockedAndAcquire InterlockedAnd
#define InterlockedAndRelease InterlockedAnd
#define InterlockedAndNoFence InterlockedAnd
#define InterlockedXorAcquire InterlockedXor
#define InterlockedXorRelease InterlockedXor
#define InterlockedXorNoFence InterlockedXor
#define InterlockedIncrementAcquire64 InterlockedIncrement64
#define InterlockedIncrementRelease64 InterlockedIncrement64
#define InterlockedIncrementNoFence64 InterlockedIncrement64
#define InterlockedDecrementAcquire64 InterlockedDecrement64
#define InterlockedDecrementRelease64 InterlockedDecrement64
#define InterlockedDecrementNoFence64 InterlockedDecrement64
#define InterlockedExchangeAcquire64 InterlockedExchange64
#define InterlockedExchangeNoFence64 InterlockedExchange64
#define InterlockedExchangeAddNoFence64 InterlockedExchangeAdd64
#define InterlockedCompareExchangeAcquire64 InterlockedCompareExchange64
#define InterlockedCompareExchangeRelease64 InterlockedCompareExchange64
#define InterlockedCompareExchangeNoFence64 InterlockedCompareExchange64
#define InterlockedExchangePointerAcquire InterlockedExchangePointer
#define InterlockedExchangePointerNoFence InterlockedExchangePointer
#define InterlockedCompareExchangePointerAcquire InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerRelease InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerNoFence InterlockedCompareExchangePointer
/* SIZE_T forms (64-bit). */
#define InterlockedExchangeAddSizeT(a, b) InterlockedExchangeAdd64((LONG64 volatile *)(a), (LONG64)(b))
#define InterlockedIncrementSizeT(a) InterlockedIncrement64((LONG64 volatile *)(a))
#define InterlockedDecrementSizeT(a) InterlockedDecrement64((LONG64 volatile *)(a))
/* The Microsoft compiler's intrinsic names for them. */
#define _InterlockedIncrement InterlockedIncrement
#define _InterlockedDecrement InterlockedDecrement
#define _InterlockedExchange InterlockedExchange
#define _InterlockedExchangeAdd InterlockedExchangeAdd
#define _InterlockedCompareExchange InterlockedCompareExchange
#define _InterlockedOr InterlockedOr
#define _InterlockedAnd InterlockedAnd
#define _InterlockedXor InterlockedXor
#define _InterlockedIncrement64 InterlockedIncrement64
#define _InterlockedDecrement64 InterlockedDecrement64
#define _InterlockedExchange64 InterlockedExchange64
#define _InterlockedExchangeAdd64 InterlockedExchangeAdd64
#define _InterlockedCompareExchange64 InterlockedCompareExchange64
#define _InterlockedExchangePointer InterlockedExchangePointer
#define _InterlockedCompareExchangePointer InterlockedCompareExchangePointer
#define _InterlockedCompareExchange128 InterlockedCompareExchange128

/* Plain reads and writes with an order (winnt.h's ReadAcquire & co.). */
#define OVERLAPPED_READ_WRITE(Suffix, Type)                                                \
    static inline Type ReadAcquire##Suffix(Type const volatile *Source)                    \
    {                                                                                      \
        return __atomic_load_n(Source, __ATOMIC_ACQUIRE);                                  \
    }                                                                                      \
    static inline Type ReadNoFence##Suffix(Type const volatile *Source)                    \
    {                                                                                      \
        return __atomic_load_n(Source, __ATOMIC_RELAXED);                                  \
    }                                                                                      \
    static inline void WriteRelease##Suffix(Type volatile *Destination, Type Value)        \
    {                                                                                      \
        __atomic_store_n(Destination, Value, __ATOMIC_RELEASE);                            \
    }                                                                                      \
    static inline void WriteNoFence##Suffix(Type volatile *Destination, Type Value)        \
    {                                                                                      \
        __atomic_store_n(Destination, Value, __ATOMIC_RELAXED);                            \
    }
OVERLAPPED_READ_WRITE(, LONG)
OVERLAPPED_READ_WRITE(8, CHAR)
OVERLAPPED_READ_WRITE(16, SHORT)
OVERLAPPED_READ_WRITE(64, LONG64)
#undef OVERLAPPED_READ_WRITE
static inline PVOID ReadPointerAcquire(PVOID const volatile *Source)
{
    return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline PVOID ReadPointerNoFence(PVOID const volatile *Source)
{
    return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline void WritePointerRelease(PVOID volatile *Destination, PVOID Value)
{
    __atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline void WritePointerNoFence(PVOID volatile *Destination, PVOID Value)
{
    __atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
#define __faststorefence() __atomic_thread_fence(__ATOMIC_SEQ_CST)

static inline BOOLEAN _bittest(LONG const *Base, LONG Offset)
{
    return (Base[Offset >> 5] >> (Offset & 31)) & 1;
}
static inline BOOLEAN _bittestandset(LONG *Base, LONG Offset)
{
    BOOLEAN old = _bittest(Base, Offset);
    Base[Offset >> 5] |= (LONG)(1u << (Offset & 31));
    return old;
}
static inline BOOLEAN _bittestandreset(LONG *Base, LONG Offset)
{
    BOOLEAN old = _bittest(Base, Offset);
    Base[Offset >> 5] &= (LONG)~(1u << (Offset & 31));
    return old;
}
static inline BOOLEAN _bittestandcomplement(LONG *Base, LONG Offset)
{
    BOOLEAN old = _bittest(Base, Offset);
    Base[Offset >> 5] ^= (LONG)(1u << (Offset & 31));
    return old;
}
#define BitTest _bittest
#define BitTestAndSet _bittestandset
#define BitTestAndReset _bittestandreset
#define BitTestAndComplement _bittestandcomplement
static inline DWORD64 PopulationCount64(DWORD64 operand)
{
    return (DWORD64)__builtin_popcountll(operand);
}
#define UInt32x32To64(a, b) ((ULONGLONG)(ULONG)(a) * (ULONGLONG)(ULONG)(b))
#define Int32x32To64(a, b) ((LONGLONG)(LONG)(a) * (LONGLONG)(LONG)(b))
/* 64 x 64 -> 128 bits: the low half back, the high half in *HighProduct. */
static inline DWORD64 UnsignedMultiply128(DWORD64 Multiplier, DWORD64 Multiplicand, DWORD64 *HighProduct)
{
    unsigned __int128 product = (unsigned __int128)Multiplier * Multiplicand;
    *HighProduct = (DWORD64)(product >> 64);
    return (DWORD64)product;
}
static inline LONG64 Multiply128(LONG64 Multiplier, LONG64 Multiplicand, LONG64 *HighProduct)
{
    __int128 product = (__int128)Multiplier * Multiplicand;
    *HighProduct = (LONG64)(product >> 64);
    return (LONG64)product;
}
#define _umul128 UnsignedMultiply128
#define _mul128 Multiply128
#if defined(__x86_64__)
#define YieldProcessor() __builtin_ia32_pause()
#else
#define YieldProcessor() __asm__ __volatile__("yield" ::: "memory")
#endif

/* ---- The A/W names without suffix follow UNICODE, as in the Windows SDK ------------- */

#ifdef UNICODE
#define CreateEvent CreateEventW
#define FormatMessage FormatMessageW
#define GetWindowsDirectory GetWindowsDirectoryW
#define GetSystemDirectory GetSystemDirectoryW
#define GetSystemWindowsDirectory GetSystemWindowsDirectoryW
#define GetComputerName GetComputerNameW
#define GetComputerNameEx GetComputerNameExW
#define OutputDebugString OutputDebugStringW
#define CreateFile CreateFileW
#define DeleteFile DeleteFileW
#define GetCompressedFileSize GetCompressedFileSizeW
#define GetFileAttributes GetFileAttributesW
#define CreateDirectory CreateDirectoryW
#define RemoveDirectory RemoveDirectoryW
#define GetTempPath GetTempPathW
#define GetTempPath2 GetTempPath2W
#define CreateFileMapping CreateFileMappingW
#define OpenFileMapping OpenFileMappingW
#define GetTempFileName GetTempFileNameW
#define CreateEventEx CreateEventExW
#define OpenEvent OpenEventW
#define CreateSemaphore CreateSemaphoreW
#define CreateSemaphoreEx CreateSemaphoreExW
#define OpenSemaphore OpenSemaphoreW
#define CreateMutex CreateMutexW
#define CreateMutexEx CreateMutexExW
#define OpenMutex OpenMutexW
#define CreateWaitableTimer CreateWaitableTimerW
#define CreateWaitableTimerEx CreateWaitableTimerExW
#define OpenWaitableTimer OpenWaitableTimerW
#define GetVersionEx GetVersionExW
#define lstrlen lstrlenW
#define lstrcpy lstrcpyW
#define lstrcpyn lstrcpynW
#define lstrcat lstrcatW
#define lstrcmp lstrcmpW
#define lstrcmpi lstrcmpiW
#define wsprintf wsprintfW
#define wvsprintf wvsprintfW
#else
#define CreateEvent CreateEventA
#define CreateFile CreateFileA
#define DeleteFile DeleteFileA
#define GetCompressedFileSize GetCompressedFileSizeA
#define GetFileAttributes GetFileAttributesA
#define CreateDirectory CreateDirectoryA
#define RemoveDirectory RemoveDirectoryA
#define GetTempPath GetTempPathA
#define GetTempPath2 GetTempPath2A
#define CreateFileMapping CreateFileMappingA
#define OpenFileMapping OpenFileMappingA
#define GetTempFileName GetTempFileNameA
#define CreateEventEx CreateEventExA
#define OpenEvent OpenEventA
#define CreateSemaphore CreateSemaphoreA
#define CreateSemaphoreEx CreateSemaphoreExA
#define OpenSemaphore OpenSemaphoreA
#define CreateMutex CreateMutexA
#define CreateMutexEx CreateMutexExA
#define OpenMutex OpenMutexA
#define CreateWaitableTimer CreateWaitableTimerA
#define CreateWaitableTimerEx CreateWaitableTimerExA
#define OpenWaitableTimer OpenWaitableTimerA
#define FormatMessage FormatMessageA
#define GetWindowsDirectory GetWindowsDirectoryA
#define GetSystemDirectory GetSystemDirectoryA
#define GetSystemWindowsDirectory GetSystemWindowsDirectoryA
#define GetComputerName GetComputerNameA
#define GetComputerNameEx GetComputerNameExA
#define OutputDebugString OutputDebugStringA
#define GetVersionEx GetVersionExA
#define lstrlen lstrlenA
#define lstrcpy lstrcpyA
#define lstrcpyn lstrcpynA
#define lstrcat lstrcatA
#define lstrcmp lstrcmpA
#define lstrcmpi lstrcmpiA
#define wsprintf wsprintfA
#define wvsprintf wvsprintfA
#endif

/* ---- Strings, memory and version: what Windows programs take from windows.h ---------- */

/* Win32 names that start with a lower-case letter (lstrlenA, wsprintfA, the Microsoft C
 * run-time's _snprintf...) reach the library under "overlapped_" names, so that the
 * library exports nothing outside its own name space (src/overlapped.map). */
#define OVERLAPPED_LIBRARY_NAME(name) __asm__("overlapped_" #name)

/* Memory blocks: the SDK's macros on the C library (<string.h>, which windows.h includes). */
#define MoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define CopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define FillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#define ZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define EqualMemory(Destination, Source, Length) (!memcmp((Destination), (Source), (Length)))
#define RtlMoveMemory MoveMemory
#define RtlCopyMemory CopyMemory
#define RtlFillMemory FillMemory
#define RtlZeroMemory ZeroMemory
#define RtlEqualMemory EqualMemory
/* Zeroes through volatile stores, so the compiler cannot drop them as dead (the point of
 * SecureZeroMemory: wiping a secret just before the buffer goes out of scope). */
static inline PVOID SecureZeroMemory(PVOID ptr, SIZE_T cnt)
{
    volatile BYTE *p = (volatile BYTE *)ptr;
    while (cnt--) *p++ = 0;
    return ptr;
}
#define RtlSecureZeroMemory SecureZeroMemory

/* lstr*: A strings are bytes (UTF-8 in practice), W strings UTF-16. lstrcmp/lstrcmpi
 * compare as CompareString does (Windows' word sort for Latin text, docs/win32-status.md). */
OVERLAPPED_API int WINAPI lstrlenA(LPCSTR lpString) OVERLAPPED_LIBRARY_NAME(lstrlenA);
OVERLAPPED_API int WINAPI lstrlenW(LPCWSTR lpString) OVERLAPPED_LIBRARY_NAME(lstrlenW);
OVERLAPPED_API LPSTR WINAPI lstrcpyA(LPSTR lpString1, LPCSTR lpString2) OVERLAPPED_LIBRARY_NAME(lstrcpyA);
OVERLAPPED_API LPWSTR WINAPI lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2) OVERLAPPED_LIBRARY_NAME(lstrcpyW);
OVERLAPPED_API LPSTR WINAPI lstrcpynA(LPSTR lpString1, LPCSTR lpString2, int iMaxLength)
    OVERLAPPED_LIBRARY_NAME(lstrcpynA);
OVERLAPPED_API LPWSTR WINAPI lstrcpynW(LPWSTR lpString1, LPCWSTR lpString2, int iMaxLength)
    OVERLAPPED_LIBRARY_NAME(lstrcpynW);
OVERLAPPED_API LPSTR WINAPI lstrcatA(LPSTR lpString1, LPCSTR lpString2) OVERLAPPED_LIBRARY_NAME(lstrcatA);
OVERLAPPED_API LPWSTR WINAPI lstrcatW(LPWSTR lpString1, LPCWSTR lpString2) OVERLAPPED_LIBRARY_NAME(lstrcatW);
OVERLAPPED_API int WINAPI lstrcmpA(LPCSTR lpString1, LPCSTR lpString2) OVERLAPPED_LIBRARY_NAME(lstrcmpA);
OVERLAPPED_API int WINAPI lstrcmpW(LPCWSTR lpString1, LPCWSTR lpString2) OVERLAPPED_LIBRARY_NAME(lstrcmpW);
OVERLAPPED_API int WINAPI lstrcmpiA(LPCSTR lpString1, LPCSTR lpString2) OVERLAPPED_LIBRARY_NAME(lstrcmpiA);
OVERLAPPED_API int WINAPI lstrcmpiW(LPCWSTR lpString1, LPCWSTR lpString2) OVERLAPPED_LIBRARY_NAME(lstrcmpiW);

/* wsprintf: the Microsoft formatting rules (%s follows the function's width, %S the other
 * one; l is 32 bits, I64 and ll 64), no floating point, at most 1024 characters. */
OVERLAPPED_API int WINAPIV wsprintfA(LPSTR lpOut, LPCSTR lpFmt, ...) OVERLAPPED_LIBRARY_NAME(wsprintfA);
OVERLAPPED_API int WINAPIV wsprintfW(LPWSTR lpOut, LPCWSTR lpFmt, ...) OVERLAPPED_LIBRARY_NAME(wsprintfW);
OVERLAPPED_API int WINAPI wvsprintfA(LPSTR lpOut, LPCSTR lpFmt, __builtin_va_list arglist)
    OVERLAPPED_LIBRARY_NAME(wvsprintfA);
OVERLAPPED_API int WINAPI wvsprintfW(LPWSTR lpOut, LPCWSTR lpFmt, __builtin_va_list arglist)
    OVERLAPPED_LIBRARY_NAME(wvsprintfW);

/* The Microsoft C run-time's names that Windows programs use beside the SDK's. _snprintf
 * and _vsnprintf keep their own rules: -1 when the output does not fit, and no terminator
 * when it fills the buffer exactly or is cut. */
OVERLAPPED_API int __cdecl _snprintf(char *buffer, size_t count, const char *format, ...)
    OVERLAPPED_LIBRARY_NAME(_snprintf);
OVERLAPPED_API int __cdecl _vsnprintf(char *buffer, size_t count, const char *format, __builtin_va_list argptr)
    OVERLAPPED_LIBRARY_NAME(_vsnprintf);
OVERLAPPED_API int __cdecl _snwprintf(WCHAR *buffer, size_t count, const WCHAR *format, ...)
    OVERLAPPED_LIBRARY_NAME(_snwprintf);
OVERLAPPED_API int __cdecl _vsnwprintf(WCHAR *buffer, size_t count, const WCHAR *format,
                                       __builtin_va_list argptr) OVERLAPPED_LIBRARY_NAME(_vsnwprintf);
/* Case-insensitive comparisons fold ASCII letters, as the C run-time does in the "C" locale. */
static inline int _strnicmp(const char *string1, const char *string2, size_t count)
{
    for (; count != 0; --count, ++string1, ++string2) {
        int a = (unsigned char)*string1, b = (unsigned char)*string2;
        if (a >= 'A' && a <= 'Z') a += 'a' - 'A';
        if (b >= 'A' && b <= 'Z') b += 'a' - 'A';
        if (a != b || a == 0) return a - b;
    }
    return 0;
}
static inline int _stricmp(const char *string1, const char *string2)
{
    return _strnicmp(string1, string2, (size_t)-1);
}
static inline char *_strdup(const char *strSource)
{
    size_t size;
    char *copy;
    if (strSource == NULL) return NULL;
    size = __builtin_strlen(strSource) + 1;
    copy = (char *)__builtin_malloc(size);
    if (copy != NULL) __builtin_memcpy(copy, strSource, size);
    return copy;
}

/* The C run-time's bounded string functions (the "_s" family), which samples call beside
 * the SDK's: the size counts the terminator. A NULL or empty destination, a NULL source or
 * format, or a result that does not fit empties the destination (when there is one) and
 * calls the invalid-parameter handler, whose default on Windows ends the process with
 * STATUS_STACK_BUFFER_OVERRUN (0xC0000409); so does overlapped_invalid_parameter, after
 * naming the function on standard error. strncpy_s with _TRUNCATE copies what fits and
 * returns STRUNCATE instead. In C++ the forms that take an array and infer its size exist
 * too. sprintf_s formats by the Microsoft rules (as _snprintf). */
typedef int errno_t;
#define _TRUNCATE ((size_t)-1)
#ifndef STRUNCATE
#define STRUNCATE 80
#endif
OVERLAPPED_API DECLSPEC_NORETURN void overlapped_invalid_parameter(const char *function);

/* The family for one character type: ncpy (strncpy_s), cpy, cat, vprintf and printf (the
 * last over the run-time's _vsnprintf-like `format`). Every failure ends the process, so
 * what is left in the destination then is never seen. */
#define OVERLAPPED_SECURE_STRINGS(T, ncpy, cpy, cat, vprintf, printf, format)                        \
    static inline errno_t overlapped_##ncpy(T *dest, size_t size, const T *src, size_t count,        \
                                            const char *function)                                    \
    {                                                                                                \
        size_t n = 0;                                                                                \
        if (dest == NULL || size == 0) overlapped_invalid_parameter(function);                       \
        if (src == NULL && count != 0) {                                                             \
            dest[0] = 0;                                                                             \
            overlapped_invalid_parameter(function);                                                  \
        }                                                                                            \
        while (n < count && src[n] != 0) ++n;                                                        \
        if (n >= size) {                                                                             \
            if (count != _TRUNCATE) {                                                                \
                dest[0] = 0;                                                                         \
                overlapped_invalid_parameter(function);                                              \
            }                                                                                        \
            __builtin_memcpy(dest, src, (size - 1) * sizeof(T));                                     \
            dest[size - 1] = 0;                                                                      \
            return STRUNCATE;                                                                        \
        }                                                                                            \
        __builtin_memcpy(dest, src, n * sizeof(T));                                                  \
        dest[n] = 0;                                                                                 \
        return 0;                                                                                    \
    }                                                                                                \
    static inline errno_t ncpy(T *dest, size_t size, const T *src, size_t count)                     \
    {                                                                                                \
        return overlapped_##ncpy(dest, size, src, count, #ncpy);                                     \
    }                                                                                                \
    static inline errno_t cpy(T *dest, size_t size, const T *src)                                    \
    {                                                                                                \
        return overlapped_##ncpy(dest, size, src, (size_t)-2 /* no limit, not _TRUNCATE */, #cpy);   \
    }                                                                                                \
    static inline errno_t cat(T *dest, size_t size, const T *src)                                    \
    {                                                                                                \
        size_t used = 0;                                                                             \
        if (dest == NULL || size == 0) overlapped_invalid_parameter(#cat);                           \
        while (used < size && dest[used] != 0) ++used;                                               \
        if (used == size) {                                                                          \
            dest[0] = 0;                                                                             \
            overlapped_invalid_parameter(#cat);                                                      \
        }                                                                                            \
        return overlapped_##ncpy(dest + used, size - used, src, (size_t)-2, #cat);                   \
    }                                                                                                \
    static inline int vprintf(T *buffer, size_t size, const T *fmt, __builtin_va_list args)          \
    {                                                                                                \
        int n;                                                                                       \
        if (buffer == NULL || size == 0 || fmt == NULL) {                                            \
            if (buffer != NULL && size != 0) buffer[0] = 0;                                          \
            overlapped_invalid_parameter(#printf);                                                   \
        }                                                                                            \
        n = format(buffer, size, fmt, args);                                                         \
        if (n < 0 || (size_t)n >= size) {                                                            \
            buffer[0] = 0;                                                                           \
            overlapped_invalid_parameter(#printf);                                                   \
        }                                                                                            \
        return n;                                                                                    \
    }                                                                                                \
    static inline int printf(T *buffer, size_t size, const T *fmt, ...)                              \
    {                                                                                                \
        int n;                                                                                       \
        __builtin_va_list args;                                                                      \
        __builtin_va_start(args, fmt);                                                               \
        n = vprintf(buffer, size, fmt, args);                                                        \
        __builtin_va_end(args);                                                                      \
        return n;                                                                                    \
    }
OVERLAPPED_SECURE_STRINGS(char, strncpy_s, strcpy_s, strcat_s, vsprintf_s, sprintf_s, _vsnprintf)
OVERLAPPED_SECURE_STRINGS(WCHAR, wcsncpy_s, wcscpy_s, wcscat_s, vswprintf_s, swprintf_s, _vsnwprintf)
#undef OVERLAPPED_SECURE_STRINGS
#ifdef __cplusplus
}  /* the array forms are C++ templates */
template <size_t N>
inline errno_t strcpy_s(char (&dest)[N], const char *src) { return strcpy_s(dest, N, src); }
template <size_t N>
inline errno_t strcat_s(char (&dest)[N], const char *src) { return strcat_s(dest, N, src); }
template <size_t N>
inline errno_t strncpy_s(char (&dest)[N], const char *src, size_t count) { return strncpy_s(dest, N, src, count); }
template <size_t N>
inline errno_t wcscpy_s(WCHAR (&dest)[N], const WCHAR *src) { return wcscpy_s(dest, N, src); }
template <size_t N>
inline errno_t wcscat_s(WCHAR (&dest)[N], const WCHAR *src) { return wcscat_s(dest, N, src); }
template <size_t N>
inline errno_t wcsncpy_s(WCHAR (&dest)[N], const WCHAR *src, size_t count) { return wcsncpy_s(dest, N, src, count); }
template <size_t N>
inline int sprintf_s(char (&buffer)[N], const char *format, ...)
{
    __builtin_va_list args;
    __builtin_va_start(args, format);
    int n = vsprintf_s(buffer, N, format, args);
    __builtin_va_end(args);
    return n;
}
template <size_t N>
inline int swprintf_s(WCHAR (&buffer)[N], const WCHAR *format, ...)
{
    __builtin_va_list args;
    __builtin_va_start(args, format);
    int n = vswprintf_s(buffer, N, format, args);
    __builtin_va_end(args);
    return n;
}
extern "C" {
#endif

/* Version: the library reports Windows 10 22H2 (10.0.19045), NT platform, workstation
 * (docs/deviations.md). */
typedef struct _OSVERSIONINFOA {
    DWORD dwOSVersionInfoSize;
    DWORD dwMajorVersion;
    DWORD dwMinorVersion;
    DWORD dwBuildNumber;
    DWORD dwPlatformId;
    CHAR szCSDVersion[128];
} OSVERSIONINFOA, *POSVERSIONINFOA, *LPOSVERSIONINFOA;
typedef struct _OSVERSIONINFOW {
    DWORD dwOSVersionInfoSize;
    DWORD dwMajorVersion;
    DWORD dwMinorVersion;
    DWORD dwBuildNumber;
    DWORD dwPlatformId;
    WCHAR szCSDVersion[128];
} OSVERSIONINFOW, *POSVERSIONINFOW, *LPOSVERSIONINFOW, RTL_OSVERSIONINFOW, *PRTL_OSVERSIONINFOW;
typedef struct _OSVERSIONINFOEXA {
    DWORD dwOSVersionInfoSize;
    DWORD dwMajorVersion;
    DWORD dwMinorVersion;
    DWORD dwBuildNumber;
    DWORD dwPlatformId;
    CHAR szCSDVersion[128];
    WORD wServicePackMajor;
    WORD wServicePackMinor;
    WORD wSuiteMask;
    BYTE wProductType;
    BYTE wReserved;
} OSVERSIONINFOEXA, *POSVERSIONINFOEXA, *LPOSVERSIONINFOEXA;
typedef struct _OSVERSIONINFOEXW {
    DWORD dwOSVersionInfoSize;
    DWORD dwMajorVersion;
    DWORD dwMinorVersion;
    DWORD dwBuildNumber;
    DWORD dwPlatformId;
    WCHAR szCSDVersion[128];
    WORD wServicePackMajor;
    WORD wServicePackMinor;
    WORD wSuiteMask;
    BYTE wProductType;
    BYTE wReserved;
} OSVERSIONINFOEXW, *POSVERSIONINFOEXW, *LPOSVERSIONINFOEXW, RTL_OSVERSIONINFOEXW, *PRTL_OSVERSIONINFOEXW;
#ifdef UNICODE
typedef OSVERSIONINFOW OSVERSIONINFO, *POSVERSIONINFO, *LPOSVERSIONINFO;
typedef OSVERSIONINFOEXW OSVERSIONINFOEX, *POSVERSIONINFOEX, *LPOSVERSIONINFOEX;
#else
typedef OSVERSIONINFOA OSVERSIONINFO, *POSVERSIONINFO, *LPOSVERSIONINFO;
typedef OSVERSIONINFOEXA OSVERSIONINFOEX, *POSVERSIONINFOEX, *LPOSVERSIONINFOEX;
#endif

#define VER_PLATFORM_WIN32s 0
#define VER_PLATFORM_WIN32_WINDOWS 1
#define VER_PLATFORM_WIN32_NT 2
#define VER_NT_WORKSTATION 0x0000001
#define VER_NT_DOMAIN_CONTROLLER 0x0000002
#define VER_NT_SERVER 0x0000003
#define VER_SUITE_SMALLBUSINESS 0x00000001
#define VER_SUITE_ENTERPRISE 0x00000002
#define VER_SUITE_BACKOFFICE 0x00000004
#define VER_SUITE_TERMINAL 0x00000010
#define VER_SUITE_SMALLBUSINESS_RESTRICTED 0x00000020
#define VER_SUITE_EMBEDDEDNT 0x00000040
#define VER_SUITE_DATACENTER 0x00000080
#define VER_SUITE_SINGLEUSERTS 0x00000100
#define VER_SUITE_PERSONAL 0x00000200
#define VER_SUITE_BLADE 0x00000400

OVERLAPPED_API DWORD WINAPI GetVersion(void);
OVERLAPPED_API BOOL WINAPI GetVersionExA(LPOSVERSIONINFOA lpVersionInformation);
OVERLAPPED_API BOOL WINAPI GetVersionExW(LPOSVERSIONINFOW lpVersionInformation);

#ifdef UNICODE
#define CreateFileMapping CreateFileMappingW
#define OpenFileMapping OpenFileMappingW
#define GetComputerName GetComputerNameW
#define GetComputerNameEx GetComputerNameExW
#define OutputDebugString OutputDebugStringW
#else
#define CreateFileMapping CreateFileMappingA
#define OpenFileMapping OpenFileMappingA
#define GetComputerName GetComputerNameA
#define GetComputerNameEx GetComputerNameExA
#define OutputDebugString OutputDebugStringA
#endif

/* VerifyVersionInfo: the fields named in the type mask, compared with the version above
 * by the conditions VerSetConditionMask packs (3 bits a field). Major, minor and service
 * pack versions compare as one number, most significant first: a field decides when it
 * differs, the next is looked at when it is equal. FALSE with ERROR_OLD_WIN_VERSION when
 * the version does not match, ERROR_BAD_ARGUMENTS for an empty type or condition mask. */
#define VER_MINORVERSION 0x0000001
#define VER_MAJORVERSION 0x0000002
#define VER_BUILDNUMBER 0x0000004
#define VER_PLATFORMID 0x0000008
#define VER_SERVICEPACKMINOR 0x0000010
#define VER_SERVICEPACKMAJOR 0x0000020
#define VER_SUITENAME 0x0000040
#define VER_PRODUCT_TYPE 0x0000080
#define VER_EQUAL 1
#define VER_GREATER 2
#define VER_GREATER_EQUAL 3
#define VER_LESS 4
#define VER_LESS_EQUAL 5
#define VER_AND 6
#define VER_OR 7
#define VER_CONDITION_MASK 7
#define VER_NUM_BITS_PER_CONDITION_MASK 3
#define VER_SET_CONDITION(_m_, _t_, _c_) ((_m_) = VerSetConditionMask((_m_), (_t_), (_c_)))

OVERLAPPED_API ULONGLONG WINAPI VerSetConditionMask(ULONGLONG ConditionMask, DWORD TypeMask, BYTE Condition);
OVERLAPPED_API BOOL WINAPI VerifyVersionInfoA(LPOSVERSIONINFOEXA lpVersionInformation, DWORD dwTypeMask,
                                              DWORDLONG dwlConditionMask);
OVERLAPPED_API BOOL WINAPI VerifyVersionInfoW(LPOSVERSIONINFOEXW lpVersionInformation, DWORD dwTypeMask,
                                              DWORDLONG dwlConditionMask);
#ifdef UNICODE
#define VerifyVersionInfo VerifyVersionInfoW
#else
#define VerifyVersionInfo VerifyVersionInfoA
#endif

OVERLAPPED_END_C

#pragma GCC diagnostic pop

#endif
