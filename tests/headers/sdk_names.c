/* sdk_names.c: the names and idioms of the Windows SDK headers that Win32 programs use
 * without thinking about them, in one program. CMake compiles it as C (c99, c11, c17) and
 * as C++ (c++11, c++17, c++20), each with and without UNICODE, with -Wall -Wextra
 * -Wpedantic -Werror: a correct program gets no warning from the headers, and the
 * compile-time checks below hold. Both header orders (windows.h before winsock2.h, as
 * here, and after) are compiled: SDK_NAMES_WINSOCK_FIRST selects the other. TEXT() with
 * UNICODE is a u"" literal, which C99 does not have: c99 is compiled without UNICODE. */
#define WIN32_LEAN_AND_MEAN
#ifdef SDK_NAMES_WINSOCK_FIRST
#include <winsock2.h>
#include <windows.h>
#else
#include <windows.h>
#include <winsock2.h>
#endif
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
#include <wspiapi.h>
#include <tchar.h>
#include <stdio.h>

/* A wire header packed by the SDK's packing headers. */
#include <pshpack1.h>
typedef struct _WIRE_HEADER {
    BYTE Type;
    DWORD Length;
    WORD Port;
} WIRE_HEADER;
#include <poppack.h>
typedef struct _UNPACKED {
    BYTE Type;
    DWORD Length;
} UNPACKED;
C_ASSERT(sizeof(WIRE_HEADER) == 7 && FIELD_OFFSET(WIRE_HEADER, Length) == 1 && sizeof(UNPACKED) == 8);
C_ASSERT(SIZEOF_SOCKET_ADDRESS_LIST(3) == FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address) + 3 * sizeof(SOCKET_ADDRESS));

/* SAL annotations, as Microsoft's samples write them. */
_Success_(return != FALSE) static BOOL
CopyBytes(_Out_writes_bytes_to_(cbDest, *pcbCopied) PVOID pDest, _In_ DWORD cbDest,
          _In_reads_bytes_(cbSrc) const VOID *pSrc, _In_ DWORD cbSrc, _Out_opt_ DWORD *pcbCopied)
{
    DWORD n = min(cbDest, cbSrc);
    CopyMemory(pDest, pSrc, n);
    if (pcbCopied != NULL)
        *pcbCopied = n;
    return n == cbSrc;
}

_Must_inspect_result_ _Ret_maybenull_ static LPTSTR
FindChar(_In_z_ LPTSTR psz, _In_ TCHAR ch, _Inout_opt_ LONG_PTR *pcFound)
{
    for (; *psz != 0; ++psz) {
        if (*psz == ch) {
            if (pcFound != NULL)
                ++*pcFound;
            return psz;
        }
    }
    return NULL;
}

typedef struct _IO_CONTEXT {
    DECLSPEC_CACHEALIGN OVERLAPPED Overlapped;
    _Field_size_bytes_(cbBuffer) CHAR Buffer[64];
    DWORD cbBuffer;
    HANDLE_PTR Owner;
} IO_CONTEXT, *PIO_CONTEXT;

/* Compile-time checks, at file scope and (below) in a function. */
C_ASSERT(sizeof(DWORD) == 4 && sizeof(LONG) == 4 && sizeof(ULONG_PTR) == sizeof(void *));
C_ASSERT(sizeof(HANDLE_PTR) == sizeof(HANDLE) && sizeof(SHANDLE_PTR) == sizeof(HANDLE));
C_ASSERT(sizeof(HALF_PTR) == 4 && sizeof(LRESULT) == 8 && sizeof(ATOM) == 2 && sizeof(HFILE) == 4);
C_ASSERT(FIELD_OFFSET(IO_CONTEXT, Overlapped) == 0 && TYPE_ALIGNMENT(IO_CONTEXT) == 64);
C_ASSERT(RTL_FIELD_SIZE(IO_CONTEXT, Buffer) == 64 && RTL_NUMBER_OF(((IO_CONTEXT *)0)->Buffer) == 64);
C_ASSERT(RTL_SIZEOF_THROUGH_FIELD(IO_CONTEXT, cbBuffer) == FIELD_OFFSET(IO_CONTEXT, cbBuffer) + 4);
C_ASSERT(MAXLONG == 0x7fffffff && MAXDWORD == 0xffffffffu && MAXWORD == 0xffff && MAXBYTE == 0xff);
C_ASSERT(MAXCHAR == 0x7f && MAXSHORT == 0x7fff && MINLONG == 0x80000000);
C_ASSERT(MAXINT == 0x7fffffff && MININT == -MAXINT - 1 && MAXUINT == 0xffffffffu);
C_ASSERT(MAXINT32 == 0x7fffffff && MAXUINT32 == 0xffffffffu && MAXUINT16 == 0xffff && MAXUINT8 == 0xff);
C_ASSERT(MAXLONGLONG == 0x7fffffffffffffffLL && MAXINT64 == MAXLONGLONG && MININT64 == -MAXINT64 - 1);
C_ASSERT(MAXULONGLONG == 0xffffffffffffffffULL && MAXUINT64 == MAXULONGLONG && MAXDWORD64 == MAXULONGLONG);
C_ASSERT(MAXSIZE_T == (SIZE_T)-1 && MAXSSIZE_T == (SSIZE_T)(MAXSIZE_T >> 1) && MINSSIZE_T == -MAXSSIZE_T - 1);
C_ASSERT(MAXULONG_PTR == (ULONG_PTR)-1 && MAXLONG_PTR == 0x7fffffffffffffffLL && MININT_PTR == -MAXINT_PTR - 1);
C_ASSERT(MAXHALF_PTR == 0x7fffffff && MAXUHALF_PTR == 0xffffffffu);
C_ASSERT(MAKEWORD(2, 2) == 0x0202 && LOBYTE(0x1234) == 0x34 && HIBYTE(0x1234) == 0x12);
C_ASSERT(MAKELONG(1, 2) == 0x00020001 && LOWORD(0x00020001) == 1 && HIWORD(0x00020001) == 2);
C_ASSERT(MAKELPARAM(1, 2) == 0x00020001 && MAKEWPARAM(3, 4) == 0x00040003 && MAKELRESULT(5, 6) == 0x00060005);
C_ASSERT(WAIT_OBJECT_0 + 1 == 1 && WAIT_ABANDONED_0 == 0x80 && INFINITE == 0xffffffffu);

/* HRESULTs: the values and the macros that take them apart. */
C_ASSERT(HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED) == E_ACCESSDENIED);
C_ASSERT(HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) == E_HANDLE);
C_ASSERT(HRESULT_FROM_WIN32(ERROR_OUTOFMEMORY) == E_OUTOFMEMORY);
C_ASSERT(__HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER) == E_INVALIDARG);
C_ASSERT(HRESULT_FROM_WIN32(ERROR_SUCCESS) == S_OK && HRESULT_FROM_WIN32(E_FAIL) == E_FAIL);
C_ASSERT(HRESULT_CODE(E_ACCESSDENIED) == ERROR_ACCESS_DENIED && HRESULT_FACILITY(E_ACCESSDENIED) == FACILITY_WIN32);
C_ASSERT(HRESULT_SEVERITY(E_FAIL) == SEVERITY_ERROR && HRESULT_SEVERITY(S_FALSE) == SEVERITY_SUCCESS);
C_ASSERT(MAKE_HRESULT(SEVERITY_ERROR, FACILITY_WIN32, ERROR_ACCESS_DENIED) == E_ACCESSDENIED);
C_ASSERT(MAKE_HRESULT(SEVERITY_ERROR, FACILITY_NULL, 0x4001) == E_NOTIMPL);
C_ASSERT(IS_ERROR(E_UNEXPECTED) && !IS_ERROR(S_FALSE) && FAILED(E_POINTER) && SUCCEEDED(S_FALSE));
C_ASSERT(E_NOINTERFACE == (HRESULT)0x80004002 && E_ABORT == (HRESULT)0x80004004 && E_PENDING == (HRESULT)0x8000000A);
C_ASSERT(HRESULT_FROM_NT(0xC0000001) == (HRESULT)0xD0000001);
C_ASSERT(MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT) == LANG_USER_DEFAULT && LANG_SYSTEM_DEFAULT == 0x0800);

/* The target-version macros of sdkddkver.h. */
#if !defined(_WIN32_WINNT) || _WIN32_WINNT < _WIN32_WINNT_VISTA || WINVER != _WIN32_WINNT
#error "_WIN32_WINNT and WINVER are the newest version unless the program sets them"
#endif
#if NTDDI_VERSION < NTDDI_WIN7
#error "NTDDI_VERSION follows _WIN32_WINNT"
#endif

/* The generic (TCHAR) names are the W functions with UNICODE and the A ones without:
 * each assignment below is a type error when a name maps to the wrong one. */
static void GenericNames(void)
{
    BOOL(WINAPI * pCreateProcess)(LPCTSTR, LPTSTR, LPSECURITY_ATTRIBUTES, LPSECURITY_ATTRIBUTES, BOOL, DWORD,
                                  LPVOID, LPCTSTR, LPSTARTUPINFO, LPPROCESS_INFORMATION) = CreateProcess;
    void(WINAPI * pGetStartupInfo)(LPSTARTUPINFO) = GetStartupInfo;
    DWORD(WINAPI * pGetCurrentDirectory)(DWORD, LPTSTR) = GetCurrentDirectory;
    BOOL(WINAPI * pSetCurrentDirectory)(LPCTSTR) = SetCurrentDirectory;
    DWORD(WINAPI * pGetModuleFileName)(HMODULE, LPTSTR, DWORD) = GetModuleFileName;
    HMODULE(WINAPI * pGetModuleHandle)(LPCTSTR) = GetModuleHandle;
    HMODULE(WINAPI * pLoadLibrary)(LPCTSTR) = LoadLibrary;
    HMODULE(WINAPI * pLoadLibraryEx)(LPCTSTR, HANDLE, DWORD) = LoadLibraryEx;
    DWORD(WINAPI * pGetEnvironmentVariable)(LPCTSTR, LPTSTR, DWORD) = GetEnvironmentVariable;
    BOOL(WINAPI * pSetEnvironmentVariable)(LPCTSTR, LPCTSTR) = SetEnvironmentVariable;
    DWORD(WINAPI * pExpandEnvironmentStrings)(LPCTSTR, LPTSTR, DWORD) = ExpandEnvironmentStrings;
    LPTSTR(WINAPI * pGetCommandLine)(void) = GetCommandLine;
    BOOL(WINAPI * pGetUserName)(LPTSTR, LPDWORD) = GetUserName;
    BOOL(WINAPI * pGetComputerName)(LPTSTR, LPDWORD) = GetComputerName;
    BOOL(WINAPI * pMoveFile)(LPCTSTR, LPCTSTR) = MoveFile;
    BOOL(WINAPI * pMoveFileEx)(LPCTSTR, LPCTSTR, DWORD) = MoveFileEx;
    void(WINAPI * pOutputDebugString)(LPCTSTR) = OutputDebugString;
    HANDLE(WINAPI * pCreateFileMapping)(HANDLE, LPSECURITY_ATTRIBUTES, DWORD, DWORD, DWORD, LPCTSTR) =
        CreateFileMapping;
    HANDLE(WINAPI * pOpenFileMapping)(DWORD, BOOL, LPCTSTR) = OpenFileMapping;
    HANDLE(WINAPI * pCreateJobObject)(LPSECURITY_ATTRIBUTES, LPCTSTR) = CreateJobObject;
    HANDLE(WINAPI * pOpenJobObject)(DWORD, BOOL, LPCTSTR) = OpenJobObject;
    BOOL(WINAPI * pQueryFullProcessImageName)(HANDLE, DWORD, LPTSTR, PDWORD) = QueryFullProcessImageName;
    UINT(WINAPI * pGetDriveType)(LPCTSTR) = GetDriveType;
    DWORD(WINAPI * pGetLogicalDriveStrings)(DWORD, LPTSTR) = GetLogicalDriveStrings;
    BOOL(WINAPI * pGetVolumePathName)(LPCTSTR, LPTSTR, DWORD) = GetVolumePathName;
    BOOL(WINAPI * pGetDiskFreeSpaceEx)(LPCTSTR, PULARGE_INTEGER, PULARGE_INTEGER, PULARGE_INTEGER) =
        GetDiskFreeSpaceEx;
    STARTUPINFO si;
    STARTUPINFOEX six;
    C_ASSERT(sizeof(STARTUPINFO) == 104 && sizeof(STARTUPINFOEX) == 112);
    ZeroMemory(&si, sizeof(si));
    ZeroMemory(&six, sizeof(six));
    si.cb = sizeof(si);
    six.StartupInfo.cb = sizeof(six);
    (void)pCreateProcess, (void)pGetStartupInfo, (void)pGetCurrentDirectory, (void)pSetCurrentDirectory;
    (void)pGetModuleFileName, (void)pGetModuleHandle, (void)pLoadLibrary, (void)pLoadLibraryEx;
    (void)pGetEnvironmentVariable, (void)pSetEnvironmentVariable, (void)pExpandEnvironmentStrings;
    (void)pGetCommandLine, (void)pGetUserName, (void)pGetComputerName, (void)pMoveFile, (void)pMoveFileEx;
    (void)pOutputDebugString, (void)pCreateFileMapping, (void)pOpenFileMapping, (void)pCreateJobObject;
    (void)pOpenJobObject, (void)pQueryFullProcessImageName, (void)pGetDriveType, (void)pGetLogicalDriveStrings;
    (void)pGetVolumePathName, (void)pGetDiskFreeSpaceEx;
}

/* mstcpip.h's address helpers, as Microsoft's Winsock samples use them: 0 when each
 * gives what the SDK's does. */
static int AddressHelpers(void)
{
    SOCKADDR_STORAGE addr;
    SOCKADDR_IN6 mapped;
    IN_ADDR v4;
    SCOPE_ID scope = SCOPEID_UNSPECIFIED_INIT;
    static const UCHAR expect_mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 7};

    FillMemory(&addr, sizeof(addr), 0xcc);
    addr.ss_family = AF_INET6;
    INETADDR_SETANY((SOCKADDR *)&addr);
    SS_PORT((SOCKADDR *)&addr) = htons(12345);
    if (addr.ss_family != AF_INET6 || !INETADDR_ISANY((SOCKADDR *)&addr) || INETADDR_ISLOOPBACK((SOCKADDR *)&addr) ||
        ntohs(INETADDR_PORT((SOCKADDR *)&addr)) != 12345 || ((SOCKADDR_IN6 *)&addr)->sin6_scope_id != 0 ||
        ((SOCKADDR_IN6 *)&addr)->sin6_flowinfo != 0)
        return 1;
    INETADDR_SETLOOPBACK((SOCKADDR *)&addr);
    if (!INETADDR_ISLOOPBACK((SOCKADDR *)&addr) || INETADDR_PORT((SOCKADDR *)&addr) != 0 ||
        INETADDR_ADDRESS((SOCKADDR *)&addr)[15] != 1)
        return 1;
    FillMemory(&addr, sizeof(addr), 0xcc);
    addr.ss_family = AF_INET;
    INETADDR_SETLOOPBACK((SOCKADDR *)&addr);
    if (addr.ss_family != AF_INET || ((SOCKADDR_IN *)&addr)->sin_addr.s_addr != htonl(INADDR_LOOPBACK) ||
        INETADDR_PORT((SOCKADDR *)&addr) != 0 || ((SOCKADDR_IN *)&addr)->sin_zero[7] != 0 ||
        INETADDR_SCOPE_ID((SOCKADDR *)&addr).Value != 0)
        return 1;
    INETADDR_SETANY((SOCKADDR *)&addr);
    if (!INETADDR_ISANY((SOCKADDR *)&addr) || INETADDR_ISLOOPBACK((SOCKADDR *)&addr))
        return 1;
    v4.s_addr = htonl(0xC0000207); /* 192.0.2.7: of global scope, so the SDK drops the zone */
    scope.Value = 3;
    IN6ADDR_SETV4MAPPED(&mapped, &v4, scope, htons(80));
    if (mapped.sin6_family != AF_INET6 || ntohs(mapped.sin6_port) != 80 || mapped.sin6_scope_id != 0 ||
        memcmp(&mapped.sin6_addr, expect_mapped, 16) != 0 || !IN6_IS_ADDR_V4MAPPED(&mapped.sin6_addr))
        return 1;
    return 0;
}

static DWORD WINAPI Worker(LPVOID lpParameter)
{
    UNREFERENCED_PARAMETER(lpParameter);
    return 0;
}

static VOID CALLBACK OnApc(ULONG_PTR dwParam)
{
    DBG_UNREFERENCED_PARAMETER(dwParam);
}

static DECLSPEC_NOINLINE int APIENTRY Helper(int x) { return x + 1; }

int _tmain(int argc, _TCHAR *argv[])
{
    IO_CONTEXT ctx;
    PIO_CONTEXT pctx;
    TCHAR text[] = TEXT("a,b");
    LONG_PTR found = 0;
    DWORD copied = 0, index = 0;
    ULONG_PTR key = 0;
    DWORD_PTR mask = 1;
    SIZE_T cb = sizeof(ctx);
    HANDLE hThread;
    int unused_local = 0;
    C_ASSERT(sizeof(IO_CONTEXT) % 64 == 0);

    UNREFERENCED_PARAMETER(argc);
    UNREFERENCED_PARAMETER(argv);
    UNREFERENCED_LOCAL_VARIABLE(unused_local);
    ZeroMemory(&ctx, sizeof(ctx));
    pctx = CONTAINING_RECORD(&ctx.Overlapped, IO_CONTEXT, Overlapped);
    ctx.Owner = (HANDLE_PTR)pctx;
    if (!CopyBytes(ctx.Buffer, sizeof(ctx.Buffer), "abc", 3, &copied) || copied != 3)
        return 1;
    if (FindChar(text, TEXT(','), &found) == NULL || found != 1)
        return 1;
    if (PtrToUlong(UlongToPtr(0x1234u)) != 0x1234u || HandleToLong(LongToHandle(-1)) != -1 ||
        HandleToUlong(ULongToHandle(7)) != 7 || PtrToInt(IntToPtr(-5)) != -5 || PtrToUint(UIntToPtr(9)) != 9 ||
        LongToPtr(-1) != (void *)(LONG_PTR)-1)
        return 1;
    if (!BitScanForward(&index, 0x50) || index != 4 || !_BitScanReverse64(&index, 1ULL << 40) || index != 40 ||
        _BitScanForward(&index, 0))
        return 1;
    if (_byteswap_ulong(0x11223344u) != 0x44332211u || _byteswap_ushort(0x1122) != 0x2211 ||
        RtlUlongByteSwap(0x01020304u) != 0x04030201u)
        return 1;
    _ReadWriteBarrier();
    hThread = CreateThread(NULL, 0, Worker, NULL, 0, NULL);
    if (hThread == NULL)
        return 1;
    QueueUserAPC(OnApc, hThread, key);
    if (WaitForSingleObject(hThread, INFINITE) != WAIT_OBJECT_0)
        return 1;
    CloseHandle(hThread);
    GenericNames();
    if (AddressHelpers() != 0)
        return 1;
    _tprintf(_T("%d %lu %lu %d\n"), max(Helper(1), 1), (unsigned long)mask, (unsigned long)cb,
             (int)(MAXDWORD == 0xffffffffu));
    return 0;
}
