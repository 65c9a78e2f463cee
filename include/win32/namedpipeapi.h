/* namedpipeapi.h: anonymous and named pipes (CreatePipe, CreateNamedPipe, ConnectNamedPipe,
 * PeekNamedPipe, TransactNamedPipe...). Included from windows.h. Design: docs/pipes.md. */
#ifndef OVERLAPPED_NAMEDPIPEAPI_H
#define OVERLAPPED_NAMEDPIPEAPI_H

#include <windef.h>
#include <winnt.h>
#include <winbase.h>

OVERLAPPED_BEGIN_C

/* CreateNamedPipe's open mode (beside FILE_FLAG_OVERLAPPED, FILE_FLAG_WRITE_THROUGH). */
#define PIPE_ACCESS_INBOUND 0x00000001
#define PIPE_ACCESS_OUTBOUND 0x00000002
#define PIPE_ACCESS_DUPLEX 0x00000003
#define FILE_FLAG_FIRST_PIPE_INSTANCE 0x00080000

/* Pipe mode: type, read mode, wait mode, remote clients. */
#define PIPE_TYPE_BYTE 0x00000000
#define PIPE_TYPE_MESSAGE 0x00000004
#define PIPE_READMODE_BYTE 0x00000000
#define PIPE_READMODE_MESSAGE 0x00000002
#define PIPE_WAIT 0x00000000
#define PIPE_NOWAIT 0x00000001
#define PIPE_ACCEPT_REMOTE_CLIENTS 0x00000000
#define PIPE_REJECT_REMOTE_CLIENTS 0x00000008
#define PIPE_UNLIMITED_INSTANCES 255

/* GetNamedPipeInfo's flags. */
#define PIPE_CLIENT_END 0x00000000
#define PIPE_SERVER_END 0x00000001

/* WaitNamedPipe's time-outs. */
#define NMPWAIT_WAIT_FOREVER 0xFFFFFFFF
#define NMPWAIT_NOWAIT 0x00000001
#define NMPWAIT_USE_DEFAULT_WAIT 0x00000000

OVERLAPPED_API BOOL WINAPI CreatePipe(PHANDLE hReadPipe, PHANDLE hWritePipe,
                                      LPSECURITY_ATTRIBUTES lpPipeAttributes, DWORD nSize);
OVERLAPPED_API HANDLE WINAPI CreateNamedPipeA(LPCSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode,
                                              DWORD nMaxInstances, DWORD nOutBufferSize,
                                              DWORD nInBufferSize, DWORD nDefaultTimeOut,
                                              LPSECURITY_ATTRIBUTES lpSecurityAttributes);
OVERLAPPED_API HANDLE WINAPI CreateNamedPipeW(LPCWSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode,
                                              DWORD nMaxInstances, DWORD nOutBufferSize,
                                              DWORD nInBufferSize, DWORD nDefaultTimeOut,
                                              LPSECURITY_ATTRIBUTES lpSecurityAttributes);
OVERLAPPED_API BOOL WINAPI ConnectNamedPipe(HANDLE hNamedPipe, LPOVERLAPPED lpOverlapped);
OVERLAPPED_API BOOL WINAPI DisconnectNamedPipe(HANDLE hNamedPipe);
OVERLAPPED_API BOOL WINAPI WaitNamedPipeA(LPCSTR lpNamedPipeName, DWORD nTimeOut);
OVERLAPPED_API BOOL WINAPI WaitNamedPipeW(LPCWSTR lpNamedPipeName, DWORD nTimeOut);
OVERLAPPED_API BOOL WINAPI PeekNamedPipe(HANDLE hNamedPipe, LPVOID lpBuffer, DWORD nBufferSize,
                                         LPDWORD lpBytesRead, LPDWORD lpTotalBytesAvail,
                                         LPDWORD lpBytesLeftThisMessage);
OVERLAPPED_API BOOL WINAPI TransactNamedPipe(HANDLE hNamedPipe, LPVOID lpInBuffer, DWORD nInBufferSize,
                                             LPVOID lpOutBuffer, DWORD nOutBufferSize,
                                             LPDWORD lpBytesRead, LPOVERLAPPED lpOverlapped);
OVERLAPPED_API BOOL WINAPI CallNamedPipeA(LPCSTR lpNamedPipeName, LPVOID lpInBuffer, DWORD nInBufferSize,
                                          LPVOID lpOutBuffer, DWORD nOutBufferSize, LPDWORD lpBytesRead,
                                          DWORD nTimeOut);
OVERLAPPED_API BOOL WINAPI CallNamedPipeW(LPCWSTR lpNamedPipeName, LPVOID lpInBuffer, DWORD nInBufferSize,
                                          LPVOID lpOutBuffer, DWORD nOutBufferSize, LPDWORD lpBytesRead,
                                          DWORD nTimeOut);
OVERLAPPED_API BOOL WINAPI GetNamedPipeInfo(HANDLE hNamedPipe, LPDWORD lpFlags, LPDWORD lpOutBufferSize,
                                            LPDWORD lpInBufferSize, LPDWORD lpMaxInstances);
OVERLAPPED_API BOOL WINAPI GetNamedPipeHandleStateA(HANDLE hNamedPipe, LPDWORD lpState,
                                                    LPDWORD lpCurInstances, LPDWORD lpMaxCollectionCount,
                                                    LPDWORD lpCollectDataTimeout, LPSTR lpUserName,
                                                    DWORD nMaxUserNameSize);
OVERLAPPED_API BOOL WINAPI GetNamedPipeHandleStateW(HANDLE hNamedPipe, LPDWORD lpState,
                                                    LPDWORD lpCurInstances, LPDWORD lpMaxCollectionCount,
                                                    LPDWORD lpCollectDataTimeout, LPWSTR lpUserName,
                                                    DWORD nMaxUserNameSize);
OVERLAPPED_API BOOL WINAPI SetNamedPipeHandleState(HANDLE hNamedPipe, LPDWORD lpMode,
                                                   LPDWORD lpMaxCollectionCount,
                                                   LPDWORD lpCollectDataTimeout);
OVERLAPPED_API BOOL WINAPI GetNamedPipeClientProcessId(HANDLE Pipe, PULONG ClientProcessId);
OVERLAPPED_API BOOL WINAPI GetNamedPipeServerProcessId(HANDLE Pipe, PULONG ServerProcessId);
OVERLAPPED_API BOOL WINAPI ImpersonateNamedPipeClient(HANDLE hNamedPipe);

#ifdef UNICODE
#define CreateNamedPipe CreateNamedPipeW
#define WaitNamedPipe WaitNamedPipeW
#define CallNamedPipe CallNamedPipeW
#define GetNamedPipeHandleState GetNamedPipeHandleStateW
#else
#define CreateNamedPipe CreateNamedPipeA
#define WaitNamedPipe WaitNamedPipeA
#define CallNamedPipe CallNamedPipeA
#define GetNamedPipeHandleState GetNamedPipeHandleStateA
#endif

OVERLAPPED_END_C

#endif
