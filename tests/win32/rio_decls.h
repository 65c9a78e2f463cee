/* rio_decls.h: Winsock registered I/O's declarations for the mingw-w64 build, whose
 * headers have none; our headers (include/win32/mswsock.h) have them. Used by
 * test_socket_rio.c and bench/win32/bench_rio.c. Include after <winsock2.h> and
 * <mswsock.h>. */
#ifndef OVERLAPPED_TESTS_RIO_DECLS_H
#define OVERLAPPED_TESTS_RIO_DECLS_H

/* mingw-w64's headers have no RIO declarations: the ones Windows' mswsockdef.h and
 * mswsock.h give, for the mingw build. */
#ifndef RIO_MSG_DEFER
typedef struct RIO_BUFFERID_t *RIO_BUFFERID;
typedef struct RIO_CQ_t *RIO_CQ;
typedef struct RIO_RQ_t *RIO_RQ;
#define RIO_INVALID_BUFFERID ((RIO_BUFFERID)(ULONG_PTR)0xFFFFFFFF)
#define RIO_INVALID_CQ ((RIO_CQ)0)
#define RIO_INVALID_RQ ((RIO_RQ)0)
#define RIO_CORRUPT_CQ 0xFFFFFFFF
#define RIO_MAX_CQ_SIZE 0x8000000
#define RIO_MSG_DONT_NOTIFY 0x00000001
#define RIO_MSG_DEFER 0x00000002
#define RIO_MSG_WAITALL 0x00000004
#define RIO_MSG_COMMIT_ONLY 0x00000008
typedef struct _RIO_BUF {
    RIO_BUFFERID BufferId;
    ULONG Offset;
    ULONG Length;
} RIO_BUF, *PRIO_BUF;
typedef struct _RIORESULT {
    LONG Status;
    ULONG BytesTransferred;
    ULONGLONG SocketContext;
    ULONGLONG RequestContext;
} RIORESULT, *PRIORESULT;
typedef enum _RIO_NOTIFICATION_COMPLETION_TYPE {
    RIO_EVENT_COMPLETION = 1,
    RIO_IOCP_COMPLETION = 2
} RIO_NOTIFICATION_COMPLETION_TYPE;
typedef struct _RIO_NOTIFICATION_COMPLETION {
    RIO_NOTIFICATION_COMPLETION_TYPE Type;
    union {
        struct {
            HANDLE EventHandle;
            BOOL NotifyReset;
        } Event;
        struct {
            HANDLE IocpHandle;
            PVOID CompletionKey;
            PVOID Overlapped;
        } Iocp;
    };
} RIO_NOTIFICATION_COMPLETION, *PRIO_NOTIFICATION_COMPLETION;
typedef struct _RIO_EXTENSION_FUNCTION_TABLE {
    DWORD cbSize;
    BOOL(PASCAL *RIOReceive)(RIO_RQ, PRIO_BUF, ULONG, DWORD, PVOID);
    int(PASCAL *RIOReceiveEx)(RIO_RQ, PRIO_BUF, ULONG, PRIO_BUF, PRIO_BUF, PRIO_BUF, PRIO_BUF, DWORD, PVOID);
    BOOL(PASCAL *RIOSend)(RIO_RQ, PRIO_BUF, ULONG, DWORD, PVOID);
    BOOL(PASCAL *RIOSendEx)(RIO_RQ, PRIO_BUF, ULONG, PRIO_BUF, PRIO_BUF, PRIO_BUF, PRIO_BUF, DWORD, PVOID);
    VOID(PASCAL *RIOCloseCompletionQueue)(RIO_CQ);
    RIO_CQ(PASCAL *RIOCreateCompletionQueue)(DWORD, PRIO_NOTIFICATION_COMPLETION);
    RIO_RQ(PASCAL *RIOCreateRequestQueue)(SOCKET, ULONG, ULONG, ULONG, ULONG, RIO_CQ, RIO_CQ, PVOID);
    ULONG(PASCAL *RIODequeueCompletion)(RIO_CQ, PRIORESULT, ULONG);
    VOID(PASCAL *RIODeregisterBuffer)(RIO_BUFFERID);
    INT(PASCAL *RIONotify)(RIO_CQ);
    RIO_BUFFERID(PASCAL *RIORegisterBuffer)(PCHAR, DWORD);
    BOOL(PASCAL *RIOResizeCompletionQueue)(RIO_CQ, DWORD);
    BOOL(PASCAL *RIOResizeRequestQueue)(RIO_RQ, DWORD, DWORD);
} RIO_EXTENSION_FUNCTION_TABLE;
#define WSAID_MULTIPLE_RIO {0x8509e081, 0x96dd, 0x4005, {0xb1, 0x65, 0x9e, 0x2e, 0xe8, 0xc7, 0x9e, 0x3f}}
#endif
#ifndef SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER
#define SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER 0xC8000024
#endif
#ifndef WSA_FLAG_REGISTERED_IO
#define WSA_FLAG_REGISTERED_IO 0x100
#endif

#endif
