//
// Module:
//      iocpserver.cpp
//
// Abstract:
//      A Winsock echo server that uses an I/O completion port and AcceptEx, written the
//      way the Windows SDK network samples are written: for Windows and the Microsoft
//      compiler, not for this library. It is a test of overlapped: the program must
//      build with g++ against overlapped's headers and serve, with no change but the
//      ones listed below.
//
//      The listening socket and every accepted socket are associated with one
//      completion port. The completion key is a pointer to the socket's context
//      (LISTEN_CONTEXT or CLIENT_CONTEXT); the OVERLAPPED of each request is the first
//      member of an IO_CONTEXT whose IoOperation says what completed. Several AcceptEx
//      requests are kept outstanding on the listener; each receives the first block of
//      data together with the connection. Every block received is written back, then
//      the next read is posted.
//
//      The worker threads are created with CreateThread, which does not initialize the
//      C run-time library, so the program writes its messages with myprintf(), which
//      uses only Win32 functions.
//
//  Usage:
//      iocpserver [-e:port] [-l:address] [-v] [-?]
//          -e:port      port to listen on (default 5001; 0 lets the system choose)
//          -l:address   address to listen on (default: all local addresses)
//          -v           verbose
//
//  Build (Windows):
//      cl iocpserver.cpp ws2_32.lib mswsock.lib
//
//  Changes made for gcc, each the smallest that builds (see docs/porting.md):
//      1. "void __cdecl main" is "int __cdecl main", and main returns a value:
//         C++ requires main to return int, and g++ rejects any other return type.
//      2. Structured exception handling is an MSVC extension that gcc does not have,
//         and libstdc++ defines __try itself (as "try"):
//         - the __try { ... __leave; ... } __finally { ... } block in main is a plain
//           block in which each __leave is "goto Cleanup;", and the __finally block
//           follows the label Cleanup:. This runs the cleanup on every path the
//           original ran it on, because the block holds no return and raises nothing.
//         - __try { InitializeCriticalSection(...); } __except (...) { ... } is
//           "if (!InitializeCriticalSectionAndSpinCount(...)) { ... }": that function
//           reports failure by its return value instead of an exception.
//      3. g_Port is "const char *", not "char *": it points to a string literal.
//      4. #include <Ws2tcpip.h> is #include <ws2tcpip.h>: file names are case
//         sensitive on Linux.
//      The #pragma lines are unchanged: gcc ignores them (and says so with
//      -Wunknown-pragmas); the libraries they name are given on the link command line.
//

#pragma warning (disable:4127)
#pragma comment(lib, "ws2_32.lib")
#pragma comment(lib, "mswsock.lib")

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <stdio.h>
#include <stdlib.h>
#include <strsafe.h>

#define xmalloc(s) HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (s))
#define xfree(p)   HeapFree(GetProcessHeap(), 0, (p))

#define DEFAULT_PORT            "5001"
#define MAX_BUFF_SIZE           8192
#define MAX_WORKER_THREAD       16
#define MAX_PENDING_ACCEPTS     4
#define ACCEPT_ADDRESS_LENGTH   (sizeof(SOCKADDR_STORAGE) + 16)
#define ACCEPT_DATA_LENGTH      (MAX_BUFF_SIZE - (2 * ACCEPT_ADDRESS_LENGTH))
#define SHUTDOWN_WAIT_MS        5000

//
// What an outstanding overlapped request is doing.
//
typedef enum _IO_OPERATION {
    ClientIoAccept,
    ClientIoRead,
    ClientIoWrite
} IO_OPERATION, *PIO_OPERATION;

//
// Data kept for every overlapped request. The OVERLAPPED must stay the first member:
// the pointer the completion port returns is then the IO_CONTEXT.
//
typedef struct _IO_CONTEXT {
    WSAOVERLAPPED               Overlapped;
    IO_OPERATION                IoOperation;
    WSABUF                      wsabuf;
    DWORD                       dwTotalBytes;   // ClientIoWrite: bytes to write back
    DWORD                       dwSentBytes;    // ClientIoWrite: bytes written so far
    SOCKET                      sdAccept;       // ClientIoAccept: the socket AcceptEx fills
    char                        Buffer[MAX_BUFF_SIZE];
} IO_CONTEXT, *PIO_CONTEXT;

//
// The completion key of the listening socket.
//
typedef struct _LISTEN_CONTEXT {
    SOCKET                      sdListen;
    int                         nFamily;
    LPFN_ACCEPTEX               fnAcceptEx;
    LPFN_GETACCEPTEXSOCKADDRS   fnGetAcceptExSockaddrs;
    IO_CONTEXT                  AcceptIo[MAX_PENDING_ACCEPTS];
} LISTEN_CONTEXT, *PLISTEN_CONTEXT;

//
// The completion key of an accepted socket. It has one request outstanding at a time,
// a read or a write, so one IO_CONTEXT is enough.
//
typedef struct _CLIENT_CONTEXT {
    SOCKET                      sdClient;
    IO_CONTEXT                  IoContext;
    char                        szPeer[NI_MAXHOST + NI_MAXSERV + 2];
    struct _CLIENT_CONTEXT      *pCtxtBack;
    struct _CLIENT_CONTEXT      *pCtxtForward;
} CLIENT_CONTEXT, *PCLIENT_CONTEXT;

BOOL ValidOptions(int argc, char *argv[]);
BOOL WINAPI CtrlHandler(DWORD dwEvent);
BOOL CreateListenSocket(void);
BOOL PostAccept(PIO_CONTEXT lpIoContext);
DWORD WINAPI WorkerThread(LPVOID WorkThreadContext);
VOID HandleAccept(PIO_CONTEXT lpIoContext, BOOL bSuccess, DWORD dwIoSize);
BOOL PostRead(PCLIENT_CONTEXT lpClientContext);
BOOL PostWrite(PCLIENT_CONTEXT lpClientContext);
VOID CloseClient(PCLIENT_CONTEXT lpClientContext, BOOL bGraceful);
VOID CtxtListAddTo(PCLIENT_CONTEXT lpClientContext);
VOID CtxtListDeleteFrom(PCLIENT_CONTEXT lpClientContext);
int myprintf(const char *lpFormat, ...);

const char *g_Port = DEFAULT_PORT;
const char *g_Address = NULL;
BOOL g_bVerbose = FALSE;
BOOL g_bEndServer = FALSE;                      // set when the server shuts down
HANDLE g_hIOCP = NULL;
WSAEVENT g_hCleanupEvent[1] = { WSA_INVALID_EVENT };
HANDLE g_ThreadHandles[MAX_WORKER_THREAD];
PLISTEN_CONTEXT g_pListenContext = NULL;
PCLIENT_CONTEXT g_pCtxtList = NULL;             // every open client, so that shutdown
                                                // can close them all
LONG g_lPendingAccepts = 0;                     // AcceptEx requests outstanding
LONG g_lConnections = 0;
LONG g_lRequests = 0;

CRITICAL_SECTION g_CriticalSection;             // guards g_bEndServer, the list and
                                                // g_lPendingAccepts, and orders posting a
                                                // request against closing its socket

int __cdecl main(int argc, char *argv[])
{
    SYSTEM_INFO systemInfo;
    WSADATA wsaData;
    DWORD dwThreadCount = 0;
    DWORD dwThreadsStarted = 0;
    int nRet = 0;
    int nExitCode = 1;

    for (int i = 0; i < MAX_WORKER_THREAD; i++) {
        g_ThreadHandles[i] = NULL;
    }

    if (!ValidOptions(argc, argv))
        return 1;

    if ((nRet = WSAStartup(MAKEWORD(2, 2), &wsaData)) != 0) {
        myprintf("WSAStartup() failed: %d\n", nRet);
        return 1;
    }

    if (!InitializeCriticalSectionAndSpinCount(&g_CriticalSection, 4000)) {
        myprintf("InitializeCriticalSectionAndSpinCount() failed: %d\n", GetLastError());
        WSACleanup();
        return 1;
    }

    if ((g_hCleanupEvent[0] = WSACreateEvent()) == WSA_INVALID_EVENT) {
        myprintf("WSACreateEvent() failed: %d\n", WSAGetLastError());
        DeleteCriticalSection(&g_CriticalSection);
        WSACleanup();
        return 1;
    }

    if (!SetConsoleCtrlHandler(CtrlHandler, TRUE)) {
        myprintf("SetConsoleCtrlHandler() failed to install console handler: %d\n", GetLastError());
        WSACloseEvent(g_hCleanupEvent[0]);
        DeleteCriticalSection(&g_CriticalSection);
        WSACleanup();
        return 1;
    }

    GetSystemInfo(&systemInfo);
    dwThreadCount = systemInfo.dwNumberOfProcessors * 2;
    if (dwThreadCount > MAX_WORKER_THREAD)
        dwThreadCount = MAX_WORKER_THREAD;

    {
        //
        // Create the completion port with a concurrency of one thread per processor; the
        // extra threads take over while a running one blocks.
        //
        g_hIOCP = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
        if (g_hIOCP == NULL) {
            myprintf("CreateIoCompletionPort() failed to create I/O completion port: %d\n", GetLastError());
            goto Cleanup;
        }

        for (DWORD dwCPU = 0; dwCPU < dwThreadCount; dwCPU++) {
            HANDLE hThread;
            DWORD dwThreadId;

            hThread = CreateThread(NULL, 0, WorkerThread, g_hIOCP, 0, &dwThreadId);
            if (hThread == NULL) {
                myprintf("CreateThread() failed to create worker thread: %d\n", GetLastError());
                goto Cleanup;
            }
            g_ThreadHandles[dwThreadsStarted++] = hThread;
        }

        if (!CreateListenSocket())
            goto Cleanup;

        for (int i = 0; i < MAX_PENDING_ACCEPTS; i++) {
            if (!PostAccept(&g_pListenContext->AcceptIo[i]))
                goto Cleanup;
        }

        WSAWaitForMultipleEvents(1, g_hCleanupEvent, TRUE, WSA_INFINITE, FALSE);
        nExitCode = 0;
    }

Cleanup:
    {

        //
        // Close the listening socket and every client socket. Each outstanding request
        // then completes with an error, and the worker that receives it frees the
        // context. The critical section keeps a worker from posting on a socket while
        // it is being closed.
        //
        EnterCriticalSection(&g_CriticalSection);
        g_bEndServer = TRUE;
        if (g_pListenContext != NULL && g_pListenContext->sdListen != INVALID_SOCKET) {
            closesocket(g_pListenContext->sdListen);
            g_pListenContext->sdListen = INVALID_SOCKET;
        }
        for (PCLIENT_CONTEXT pCtxt = g_pCtxtList; pCtxt != NULL; pCtxt = pCtxt->pCtxtForward) {
            if (pCtxt->sdClient != INVALID_SOCKET) {
                closesocket(pCtxt->sdClient);
                pCtxt->sdClient = INVALID_SOCKET;
            }
        }
        LeaveCriticalSection(&g_CriticalSection);

        //
        // Give the workers time to take the failed requests off the port.
        //
        BOOL bDrained = FALSE;
        for (DWORD dwWaited = 0; dwThreadsStarted > 0 && dwWaited < SHUTDOWN_WAIT_MS; dwWaited += 10) {
            EnterCriticalSection(&g_CriticalSection);
            bDrained = (g_pCtxtList == NULL && g_lPendingAccepts == 0);
            LeaveCriticalSection(&g_CriticalSection);
            if (bDrained)
                break;
            Sleep(10);
        }
        if (!bDrained && dwThreadsStarted > 0) {
            myprintf("requests still outstanding after %d ms\n", SHUTDOWN_WAIT_MS);
            nExitCode = 1;
        }

        //
        // Cause worker threads to exit, and make sure they do.
        //
        if (g_hIOCP != NULL) {
            for (DWORD i = 0; i < dwThreadsStarted; i++)
                PostQueuedCompletionStatus(g_hIOCP, 0, 0, NULL);
        }
        if (dwThreadsStarted > 0 &&
            WaitForMultipleObjects(dwThreadsStarted, g_ThreadHandles, TRUE, SHUTDOWN_WAIT_MS) != WAIT_OBJECT_0) {
            myprintf("WaitForMultipleObjects() failed: %d\n", GetLastError());
            nExitCode = 1;
        } else {
            for (DWORD i = 0; i < dwThreadsStarted; i++) {
                CloseHandle(g_ThreadHandles[i]);
                g_ThreadHandles[i] = NULL;
            }
        }

        //
        // Contexts may only be freed once nothing refers to them any more.
        //
        if (bDrained && g_pListenContext != NULL) {
            xfree(g_pListenContext);
            g_pListenContext = NULL;
        }

        if (g_hIOCP != NULL) {
            CloseHandle(g_hIOCP);
            g_hIOCP = NULL;
        }
    } // Cleanup

    myprintf("iocpserver is exiting: %d connections, %d requests\n", g_lConnections, g_lRequests);

    SetConsoleCtrlHandler(CtrlHandler, FALSE);
    WSACloseEvent(g_hCleanupEvent[0]);
    g_hCleanupEvent[0] = WSA_INVALID_EVENT;
    DeleteCriticalSection(&g_CriticalSection);
    WSACleanup();
    return nExitCode;
} // main

//
//  Just validate the command line options.
//
BOOL ValidOptions(int argc, char *argv[])
{
    BOOL bRet = TRUE;

    for (int i = 1; i < argc; i++) {
        if ((argv[i][0] == '-') || (argv[i][0] == '/')) {
            switch (tolower(argv[i][1])) {
            case 'e':
                if (strlen(argv[i]) > 3)
                    g_Port = &argv[i][3];
                break;

            case 'l':
                if (strlen(argv[i]) > 3)
                    g_Address = &argv[i][3];
                break;

            case 'v':
                g_bVerbose = TRUE;
                break;

            case '?':
                myprintf("Usage:\n  iocpserver [-e:port] [-l:address] [-v] [-?]\n");
                myprintf("  -e:port\tSpecify echoing port number\n");
                myprintf("  -l:address\tSpecify the address to listen on\n");
                myprintf("  -v\t\tVerbose\n");
                myprintf("  -?\t\tDisplay this help\n");
                bRet = FALSE;
                break;

            default:
                myprintf("Unknown options flag %s\n", argv[i]);
                bRet = FALSE;
                break;
            }
        }
    }

    return bRet;
}

//
//  Intercept CTRL-C, CTRL-BREAK and the closing of the console, and cause the server
//  to shut down.
//
BOOL WINAPI CtrlHandler(DWORD dwEvent)
{
    switch (dwEvent) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
        if (g_bVerbose)
            myprintf("CtrlHandler: shutting down\n");
        EnterCriticalSection(&g_CriticalSection);
        g_bEndServer = TRUE;
        LeaveCriticalSection(&g_CriticalSection);
        WSASetEvent(g_hCleanupEvent[0]);
        break;

    default:
        //
        // unknown type--better pass it on.
        //
        return FALSE;
    }
    return TRUE;
}

//
//  Create the listening socket, associate it with the completion port and load the
//  AcceptEx extension functions.
//
BOOL CreateListenSocket(void)
{
    int nRet = 0;
    DWORD dwBytes = 0;
    struct addrinfo hints = { 0 };
    struct addrinfo *addrlocal = NULL;
    GUID acceptex_guid = WSAID_ACCEPTEX;
    GUID getacceptexsockaddrs_guid = WSAID_GETACCEPTEXSOCKADDRS;
    SOCKADDR_STORAGE addrBound;
    int nBoundLength = sizeof(addrBound);
    char szHost[NI_MAXHOST];
    char szPort[NI_MAXSERV];

    g_pListenContext = (PLISTEN_CONTEXT)xmalloc(sizeof(LISTEN_CONTEXT));
    if (g_pListenContext == NULL) {
        myprintf("HeapAlloc() LISTEN_CONTEXT failed: %d\n", GetLastError());
        return FALSE;
    }
    g_pListenContext->sdListen = INVALID_SOCKET;
    for (int i = 0; i < MAX_PENDING_ACCEPTS; i++)
        g_pListenContext->AcceptIo[i].sdAccept = INVALID_SOCKET;

    //
    // Resolve the interface
    //
    hints.ai_flags = AI_PASSIVE;
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;

    if ((nRet = getaddrinfo(g_Address, g_Port, &hints, &addrlocal)) != 0) {
        myprintf("getaddrinfo() failed with error %d\n", nRet);
        return FALSE;
    }

    if (addrlocal == NULL) {
        myprintf("getaddrinfo() failed to resolve/convert the interface\n");
        return FALSE;
    }

    g_pListenContext->nFamily = addrlocal->ai_family;
    g_pListenContext->sdListen = WSASocket(addrlocal->ai_family, addrlocal->ai_socktype, addrlocal->ai_protocol,
                                           NULL, 0, WSA_FLAG_OVERLAPPED);
    if (g_pListenContext->sdListen == INVALID_SOCKET) {
        myprintf("WSASocket(sdListen) failed: %d\n", WSAGetLastError());
        freeaddrinfo(addrlocal);
        return FALSE;
    }

    nRet = bind(g_pListenContext->sdListen, addrlocal->ai_addr, (int)addrlocal->ai_addrlen);
    if (nRet == SOCKET_ERROR) {
        myprintf("bind() failed: %d\n", WSAGetLastError());
        freeaddrinfo(addrlocal);
        return FALSE;
    }

    nRet = listen(g_pListenContext->sdListen, SOMAXCONN);
    if (nRet == SOCKET_ERROR) {
        myprintf("listen() failed: %d\n", WSAGetLastError());
        freeaddrinfo(addrlocal);
        return FALSE;
    }

    freeaddrinfo(addrlocal);

    if (CreateIoCompletionPort((HANDLE)g_pListenContext->sdListen, g_hIOCP, (ULONG_PTR)g_pListenContext, 0) == NULL) {
        myprintf("CreateIoCompletionPort() failed on the listening socket: %d\n", GetLastError());
        return FALSE;
    }

    //
    // Load the AcceptEx extension functions from the provider of this socket.
    //
    nRet = WSAIoctl(g_pListenContext->sdListen, SIO_GET_EXTENSION_FUNCTION_POINTER, &acceptex_guid,
                    sizeof(acceptex_guid), &g_pListenContext->fnAcceptEx, sizeof(g_pListenContext->fnAcceptEx),
                    &dwBytes, NULL, NULL);
    if (nRet == SOCKET_ERROR) {
        myprintf("failed to load AcceptEx: %d\n", WSAGetLastError());
        return FALSE;
    }

    nRet = WSAIoctl(g_pListenContext->sdListen, SIO_GET_EXTENSION_FUNCTION_POINTER, &getacceptexsockaddrs_guid,
                    sizeof(getacceptexsockaddrs_guid), &g_pListenContext->fnGetAcceptExSockaddrs,
                    sizeof(g_pListenContext->fnGetAcceptExSockaddrs), &dwBytes, NULL, NULL);
    if (nRet == SOCKET_ERROR) {
        myprintf("failed to load GetAcceptExSockaddrs: %d\n", WSAGetLastError());
        return FALSE;
    }

    //
    // Say where we listen (the system chose the port if we asked for port 0).
    //
    if (getsockname(g_pListenContext->sdListen, (SOCKADDR *)&addrBound, &nBoundLength) == SOCKET_ERROR ||
        getnameinfo((SOCKADDR *)&addrBound, nBoundLength, szHost, sizeof(szHost), szPort, sizeof(szPort),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        myprintf("getsockname() failed: %d\n", WSAGetLastError());
        return FALSE;
    }
    myprintf("iocpserver listening on %s port %s\n", szHost, szPort);

    return TRUE;
}

//
// Create a socket and post an AcceptEx on it. The AcceptEx also receives the first
// block of data the client sends. Several are kept outstanding: while one is being
// handled, the others accept the next clients.
//
BOOL PostAccept(PIO_CONTEXT lpIoContext)
{
    int nRet = 0;
    DWORD dwRecvNumBytes = 0;
    BOOL bPosted = FALSE;

    EnterCriticalSection(&g_CriticalSection);
    if (!g_bEndServer) {
        lpIoContext->sdAccept = WSASocket(g_pListenContext->nFamily, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                                          WSA_FLAG_OVERLAPPED);
        if (lpIoContext->sdAccept == INVALID_SOCKET) {
            myprintf("failed to create new accept socket: %d\n", WSAGetLastError());
        } else {
            ZeroMemory(&lpIoContext->Overlapped, sizeof(lpIoContext->Overlapped));
            lpIoContext->IoOperation = ClientIoAccept;

            //
            // pay close attention to these parameters and buffer lengths
            //
            nRet = g_pListenContext->fnAcceptEx(g_pListenContext->sdListen, lpIoContext->sdAccept,
                                                (LPVOID)(lpIoContext->Buffer), ACCEPT_DATA_LENGTH,
                                                ACCEPT_ADDRESS_LENGTH, ACCEPT_ADDRESS_LENGTH, &dwRecvNumBytes,
                                                (LPOVERLAPPED)&lpIoContext->Overlapped);
            if (nRet == FALSE && (ERROR_IO_PENDING != WSAGetLastError())) {
                myprintf("AcceptEx() failed: %d\n", WSAGetLastError());
                closesocket(lpIoContext->sdAccept);
                lpIoContext->sdAccept = INVALID_SOCKET;
            } else {
                bPosted = TRUE;
                g_lPendingAccepts++;
            }
        }
    }
    LeaveCriticalSection(&g_CriticalSection);

    return bPosted;
}

//
// Worker thread that handles all I/O requests on any socket associated with the
// completion port.
//
DWORD WINAPI WorkerThread(LPVOID WorkThreadContext)
{
    HANDLE hIOCP = (HANDLE)WorkThreadContext;
    BOOL bSuccess = FALSE;
    LPWSAOVERLAPPED lpOverlapped = NULL;
    ULONG_PTR ulCompletionKey = 0;
    PIO_CONTEXT lpIoContext = NULL;
    PCLIENT_CONTEXT lpClientContext = NULL;
    DWORD dwIoSize = 0;

    while (TRUE) {
        //
        // continually loop to service io completion packets
        //
        bSuccess = GetQueuedCompletionStatus(hIOCP, &dwIoSize, &ulCompletionKey, (LPOVERLAPPED *)&lpOverlapped,
                                             INFINITE);
        if (!bSuccess && lpOverlapped == NULL) {
            myprintf("GetQueuedCompletionStatus() failed: %d\n", GetLastError());
            return 0;
        }

        if (ulCompletionKey == 0) {
            //
            // PostQueuedCompletionStatus posted a packet without a key:
            // the server is shutting down.
            //
            return 0;
        }

        lpIoContext = (PIO_CONTEXT)lpOverlapped;

        if (lpIoContext->IoOperation == ClientIoAccept) {
            HandleAccept(lpIoContext, bSuccess, dwIoSize);
            continue;
        }

        lpClientContext = (PCLIENT_CONTEXT)ulCompletionKey;

        if (!bSuccess || dwIoSize == 0) {
            //
            // client connection dropped, or the socket was closed at shutdown
            //
            CloseClient(lpClientContext, bSuccess);
            continue;
        }

        //
        // determine what type of IO packet has completed by checking the IO_CONTEXT
        // associated with this socket. This will determine what action to take.
        //
        switch (lpIoContext->IoOperation) {
        case ClientIoRead:
            //
            // a read operation has completed, post a write operation to echo the
            // data back to the client using the same data buffer.
            //
            InterlockedIncrement(&g_lRequests);
            lpIoContext->dwTotalBytes = dwIoSize;
            lpIoContext->dwSentBytes = 0;
            if (!PostWrite(lpClientContext))
                CloseClient(lpClientContext, FALSE);
            break;

        case ClientIoWrite:
            //
            // a write operation has completed: write what is left, or post the next
            // read once everything was echoed.
            //
            lpIoContext->dwSentBytes += dwIoSize;
            if (lpIoContext->dwSentBytes < lpIoContext->dwTotalBytes) {
                if (!PostWrite(lpClientContext))
                    CloseClient(lpClientContext, FALSE);
            } else {
                if (!PostRead(lpClientContext))
                    CloseClient(lpClientContext, FALSE);
            }
            break;

        default:
            myprintf("unexpected IO operation %d\n", lpIoContext->IoOperation);
            break;
        } // switch
    } // while

    return 0;
}

//
// An AcceptEx completed: set the new socket up, echo the first block of data, and post
// another AcceptEx in its place.
//
VOID HandleAccept(PIO_CONTEXT lpIoContext, BOOL bSuccess, DWORD dwIoSize)
{
    SOCKET sdAccept = lpIoContext->sdAccept;
    PCLIENT_CONTEXT lpClientContext = NULL;
    SOCKADDR *lpLocalAddr = NULL;
    SOCKADDR *lpRemoteAddr = NULL;
    int nLocalLength = 0;
    int nRemoteLength = 0;
    int nRet = 0;
    char szHost[NI_MAXHOST] = "?";
    char szPort[NI_MAXSERV] = "?";

    BOOL bEnding;

    lpIoContext->sdAccept = INVALID_SOCKET;
    EnterCriticalSection(&g_CriticalSection);
    g_lPendingAccepts--;
    bEnding = g_bEndServer;
    LeaveCriticalSection(&g_CriticalSection);

    if (!bSuccess) {
        if (!bEnding)
            myprintf("AcceptEx() completed with error %d\n", GetLastError());
        closesocket(sdAccept);
        PostAccept(lpIoContext);
        return;
    }

    //
    // The new socket inherits the listening socket's properties only after this.
    //
    nRet = setsockopt(sdAccept, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&g_pListenContext->sdListen,
                      sizeof(g_pListenContext->sdListen));
    if (nRet == SOCKET_ERROR) {
        //
        // just warn user here.
        //
        myprintf("setsockopt(SO_UPDATE_ACCEPT_CONTEXT) failed to update accept socket: %d\n", WSAGetLastError());
    }

    g_pListenContext->fnGetAcceptExSockaddrs(lpIoContext->Buffer, ACCEPT_DATA_LENGTH, ACCEPT_ADDRESS_LENGTH,
                                             ACCEPT_ADDRESS_LENGTH, &lpLocalAddr, &nLocalLength, &lpRemoteAddr,
                                             &nRemoteLength);
    getnameinfo(lpRemoteAddr, nRemoteLength, szHost, sizeof(szHost), szPort, sizeof(szPort),
                NI_NUMERICHOST | NI_NUMERICSERV);

    lpClientContext = (PCLIENT_CONTEXT)xmalloc(sizeof(CLIENT_CONTEXT));
    if (lpClientContext == NULL) {
        myprintf("HeapAlloc() CLIENT_CONTEXT failed: %d\n", GetLastError());
        closesocket(sdAccept);
        PostAccept(lpIoContext);
        return;
    }
    lpClientContext->sdClient = sdAccept;
    StringCchPrintfA(lpClientContext->szPeer, sizeof(lpClientContext->szPeer), "%s:%s", szHost, szPort);

    if (CreateIoCompletionPort((HANDLE)sdAccept, g_hIOCP, (ULONG_PTR)lpClientContext, 0) == NULL) {
        myprintf("CreateIoCompletionPort() failed on the accepted socket: %d\n", GetLastError());
        closesocket(sdAccept);
        xfree(lpClientContext);
        PostAccept(lpIoContext);
        return;
    }

    //
    // The data AcceptEx received is the first block to echo.
    //
    CopyMemory(lpClientContext->IoContext.Buffer, lpIoContext->Buffer, dwIoSize);
    lpClientContext->IoContext.dwTotalBytes = dwIoSize;
    lpClientContext->IoContext.dwSentBytes = 0;

    //
    // The accept context is free again: post the next AcceptEx.
    //
    PostAccept(lpIoContext);

    CtxtListAddTo(lpClientContext);
    InterlockedIncrement(&g_lConnections);
    if (g_bVerbose)
        myprintf("client %s connected\n", lpClientContext->szPeer);

    if (dwIoSize == 0) {
        //
        // The client closed the connection without sending anything.
        //
        CloseClient(lpClientContext, TRUE);
        return;
    }
    InterlockedIncrement(&g_lRequests);
    if (!PostWrite(lpClientContext))
        CloseClient(lpClientContext, FALSE);
}

//
// Post a read into the client's buffer. Fails if the socket is closed already.
//
BOOL PostRead(PCLIENT_CONTEXT lpClientContext)
{
    PIO_CONTEXT lpIoContext = &lpClientContext->IoContext;
    DWORD dwFlags = 0;
    int nRet = SOCKET_ERROR;
    DWORD dwError = WSAENOTSOCK;
    BOOL bEnding;

    ZeroMemory(&lpIoContext->Overlapped, sizeof(lpIoContext->Overlapped));
    lpIoContext->IoOperation = ClientIoRead;
    lpIoContext->wsabuf.buf = lpIoContext->Buffer;
    lpIoContext->wsabuf.len = MAX_BUFF_SIZE;

    EnterCriticalSection(&g_CriticalSection);
    if (lpClientContext->sdClient != INVALID_SOCKET) {
        nRet = WSARecv(lpClientContext->sdClient, &lpIoContext->wsabuf, 1, NULL, &dwFlags,
                       &lpIoContext->Overlapped, NULL);
        dwError = WSAGetLastError();
    }
    bEnding = g_bEndServer;
    LeaveCriticalSection(&g_CriticalSection);

    if (nRet == SOCKET_ERROR && dwError != WSA_IO_PENDING) {
        if (!bEnding)
            myprintf("WSARecv() failed: %d\n", dwError);
        return FALSE;
    }
    return TRUE;
}

//
// Post a write of what is left of the block to echo.
//
BOOL PostWrite(PCLIENT_CONTEXT lpClientContext)
{
    PIO_CONTEXT lpIoContext = &lpClientContext->IoContext;
    int nRet = SOCKET_ERROR;
    DWORD dwError = WSAENOTSOCK;
    BOOL bEnding;

    ZeroMemory(&lpIoContext->Overlapped, sizeof(lpIoContext->Overlapped));
    lpIoContext->IoOperation = ClientIoWrite;
    lpIoContext->wsabuf.buf = lpIoContext->Buffer + lpIoContext->dwSentBytes;
    lpIoContext->wsabuf.len = lpIoContext->dwTotalBytes - lpIoContext->dwSentBytes;

    EnterCriticalSection(&g_CriticalSection);
    if (lpClientContext->sdClient != INVALID_SOCKET) {
        nRet = WSASend(lpClientContext->sdClient, &lpIoContext->wsabuf, 1, NULL, 0, &lpIoContext->Overlapped,
                       NULL);
        dwError = WSAGetLastError();
    }
    bEnding = g_bEndServer;
    LeaveCriticalSection(&g_CriticalSection);

    if (nRet == SOCKET_ERROR && dwError != WSA_IO_PENDING) {
        if (!bEnding)
            myprintf("WSASend() failed: %d\n", dwError);
        return FALSE;
    }
    return TRUE;
}

//
//  Close down a connection with a client. This involves closing the socket (when used
//  with an I/O completion port, closing the socket causes outstanding requests on it to
//  complete with an error) and freeing the context. It is called only by the thread
//  that owns the client's one outstanding request, so nothing refers to the context
//  afterwards.
//
VOID CloseClient(PCLIENT_CONTEXT lpClientContext, BOOL bGraceful)
{
    EnterCriticalSection(&g_CriticalSection);

    if (lpClientContext->sdClient != INVALID_SOCKET) {
        if (g_bVerbose)
            myprintf("CloseClient: %s closed%s\n", lpClientContext->szPeer, bGraceful ? "" : " after an error");

        if (!bGraceful) {
            //
            // force the subsequent closesocket to be abortative.
            //
            LINGER lingerStruct;

            lingerStruct.l_onoff = 1;
            lingerStruct.l_linger = 0;
            setsockopt(lpClientContext->sdClient, SOL_SOCKET, SO_LINGER, (char *)&lingerStruct,
                       sizeof(lingerStruct));
        }
        closesocket(lpClientContext->sdClient);
        lpClientContext->sdClient = INVALID_SOCKET;
    }
    CtxtListDeleteFrom(lpClientContext);

    LeaveCriticalSection(&g_CriticalSection);

    xfree(lpClientContext);
}

//
//  Add a client context to the global list of contexts.
//
VOID CtxtListAddTo(PCLIENT_CONTEXT lpClientContext)
{
    EnterCriticalSection(&g_CriticalSection);

    lpClientContext->pCtxtBack = NULL;
    lpClientContext->pCtxtForward = g_pCtxtList;
    if (g_pCtxtList != NULL)
        g_pCtxtList->pCtxtBack = lpClientContext;
    g_pCtxtList = lpClientContext;

    //
    // A client accepted while the server was shutting down is closed at once: its
    // read then fails and the context is freed.
    //
    if (g_bEndServer && lpClientContext->sdClient != INVALID_SOCKET) {
        closesocket(lpClientContext->sdClient);
        lpClientContext->sdClient = INVALID_SOCKET;
    }

    LeaveCriticalSection(&g_CriticalSection);
}

//
//  Remove a client context from the global list of contexts. Called with the critical
//  section held.
//
VOID CtxtListDeleteFrom(PCLIENT_CONTEXT lpClientContext)
{
    PCLIENT_CONTEXT pBack = lpClientContext->pCtxtBack;
    PCLIENT_CONTEXT pForward = lpClientContext->pCtxtForward;

    if (pBack != NULL)
        pBack->pCtxtForward = pForward;
    else
        g_pCtxtList = pForward;
    if (pForward != NULL)
        pForward->pCtxtBack = pBack;
}

//
// Our own printf. This is done because calling printf from threads made by
// CreateThread can leak memory in old C run-time libraries. It writes to the console
// when there is one, and to the standard output handle otherwise.
//
int myprintf(const char *lpFormat, ...)
{
    int nLen = 0;
    DWORD dwWritten = 0;
    char cBuffer[512];
    va_list arglist;
    HANDLE hOut = NULL;
    HRESULT hRet;

    ZeroMemory(cBuffer, sizeof(cBuffer));

    va_start(arglist, lpFormat);

    nLen = lstrlenA(lpFormat);
    hRet = StringCchVPrintfA(cBuffer, 512, lpFormat, arglist);
    va_end(arglist);

    if (nLen != 0 && (SUCCEEDED(hRet) || hRet == STRSAFE_E_INSUFFICIENT_BUFFER)) {
        hOut = GetStdHandle(STD_OUTPUT_HANDLE);
        if (hOut != NULL && hOut != INVALID_HANDLE_VALUE) {
            nLen = lstrlenA(cBuffer);
            if (!WriteConsoleA(hOut, cBuffer, (DWORD)nLen, &dwWritten, NULL))
                WriteFile(hOut, cBuffer, (DWORD)nLen, &dwWritten, NULL);
        }
    }

    return nLen;
}
