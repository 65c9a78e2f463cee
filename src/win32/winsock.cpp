// winsock.cpp: Winsock's start-up and error functions: WSAStartup/WSACleanup (reference
// counted), WSAGetLastError/WSASetLastError (the thread's last error), and the Winsock 1
// blocking-hook functions.
#include <atomic>
#include <cstring>

#include <winsock2.h>

#include "kernel/handle_table.h"
#include "win32/winsock_state.h"

using namespace overlapped;
using overlapped::win32::wsa_fail;

namespace {

std::atomic<int> startups{0};

}  // namespace

namespace overlapped::win32 {

bool winsock_started()
{
    if (startups.load(std::memory_order_acquire) > 0) return true;
    set_last_error(WSANOTINITIALISED);
    return false;
}

}  // namespace overlapped::win32

extern "C" {

int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)
{
    // Windows implements 1.0, 1.1, 2.0, 2.1 and 2.2; a request above 2.2 gets 2.2, one
    // for major version 0 is refused. The error is returned, not stored.
    BYTE major = LOBYTE(wVersionRequested), minor = HIBYTE(wVersionRequested);
    if (major == 0) return WSAVERNOTSUPPORTED;
    if (lpWSAData == nullptr) return WSAEFAULT;
    WORD version = wVersionRequested;
    if (major > 2 || (major == 2 && minor > 2)) version = MAKEWORD(2, 2);
    else if (major == 1 && minor > 1) version = MAKEWORD(1, 1);
    memset(lpWSAData, 0, sizeof(*lpWSAData));
    lpWSAData->wVersion = version;
    lpWSAData->wHighVersion = MAKEWORD(2, 2);
    strcpy(lpWSAData->szDescription, "WinSock 2.0");
    strcpy(lpWSAData->szSystemStatus, "Running");
    if (major == 1) {
        // Winsock 1 programs read the limits; Winsock 2 ones must ignore them.
        lpWSAData->iMaxSockets = 32767;
        lpWSAData->iMaxUdpDg = 65467;
    }
    startups.fetch_add(1, std::memory_order_acq_rel);
    return 0;
}

int WSAAPI WSACleanup(void)
{
    int current = startups.load(std::memory_order_acquire);
    while (current > 0 && !startups.compare_exchange_weak(current, current - 1, std::memory_order_acq_rel)) {
    }
    if (current <= 0) return wsa_fail(WSANOTINITIALISED, SOCKET_ERROR);
    // The last cleanup destroys the process's sockets, as on Windows: their handles close
    // (pending requests end) and their values no longer name sockets.
    if (current == 1) kernel::handle_close_all(kernel::ObjectType::Socket);
    return 0;
}

int WSAAPI WSAGetLastError(void) { return static_cast<int>(GetLastError()); }

void WSAAPI WSASetLastError(int iError) { SetLastError(static_cast<DWORD>(iError)); }

// Winsock 1's blocking hooks: Winsock 2 removed them (WSAEOPNOTSUPP), as here.
BOOL WSAAPI WSAIsBlocking(void) { return FALSE; }
int WSAAPI WSAUnhookBlockingHook(void) { return wsa_fail(WSAEOPNOTSUPP, SOCKET_ERROR); }
FARPROC WSAAPI WSASetBlockingHook(FARPROC) { return wsa_fail(WSAEOPNOTSUPP, static_cast<FARPROC>(nullptr)); }
int WSAAPI WSACancelBlockingCall(void) { return wsa_fail(WSAEOPNOTSUPP, SOCKET_ERROR); }

}  // extern "C"

// ---- Winsock's events: the kernel's manual-reset events under Winsock's names.
extern "C" {

WSAEVENT WSAAPI WSACreateEvent(void)
{
    HANDLE event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
    return event != nullptr ? event : WSA_INVALID_EVENT;
}

BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent)
{
    if (!CloseHandle(hEvent)) return wsa_fail(WSA_INVALID_HANDLE, FALSE);
    return TRUE;
}

BOOL WSAAPI WSASetEvent(WSAEVENT hEvent)
{
    if (!SetEvent(hEvent)) return wsa_fail(WSA_INVALID_HANDLE, FALSE);
    return TRUE;
}

BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent)
{
    if (!ResetEvent(hEvent)) return wsa_fail(WSA_INVALID_HANDLE, FALSE);
    return TRUE;
}

DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT* lphEvents, BOOL fWaitAll, DWORD dwTimeout,
                                      BOOL fAlertable)
{
    if (cEvents == 0 || cEvents > WSA_MAXIMUM_WAIT_EVENTS) return wsa_fail(WSA_INVALID_PARAMETER, WSA_WAIT_FAILED);
    if (lphEvents == nullptr) return wsa_fail(WSA_INVALID_PARAMETER, WSA_WAIT_FAILED);
    DWORD result = WaitForMultipleObjectsEx(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable);
    if (result == WAIT_FAILED && GetLastError() == ERROR_INVALID_HANDLE) return wsa_fail(WSA_INVALID_HANDLE, result);
    return result;
}

int WSAAPI WSAAsyncSelect(SOCKET, HWND, u_int, LONG)
{
    // Window messages: there are no windows here (docs/win32-status.md).
    return wsa_fail(ERROR_CALL_NOT_IMPLEMENTED, SOCKET_ERROR);
}

}  // extern "C"
