/* dirchanges.h: directories: change notification (ReadDirectoryChangesW,
 * ReadDirectoryChangesExW, FindFirstChangeNotification & co.) and MoveFile(Ex), with the records and constants they use (winnt.h, minwinbase.h
 * and ntstatus.h on Windows). docs/directories.md tells how they run on Linux. */
#ifndef OVERLAPPED_DIRCHANGES_H
#define OVERLAPPED_DIRCHANGES_H

#pragma GCC diagnostic push /* unnamed members: see winnt.h */
#pragma GCC diagnostic ignored "-Wpedantic"

#include <windef.h>
#include <winnt.h>
#include <winbase.h>
#include <fileman.h>

#define FILE_NOTIFY_CHANGE_FILE_NAME 0x00000001
#define FILE_NOTIFY_CHANGE_DIR_NAME 0x00000002
#define FILE_NOTIFY_CHANGE_ATTRIBUTES 0x00000004
#define FILE_NOTIFY_CHANGE_SIZE 0x00000008
#define FILE_NOTIFY_CHANGE_LAST_WRITE 0x00000010
#define FILE_NOTIFY_CHANGE_LAST_ACCESS 0x00000020
#define FILE_NOTIFY_CHANGE_CREATION 0x00000040
#define FILE_NOTIFY_CHANGE_SECURITY 0x00000100

#define FILE_ACTION_ADDED 0x00000001
#define FILE_ACTION_REMOVED 0x00000002
#define FILE_ACTION_MODIFIED 0x00000003
#define FILE_ACTION_RENAMED_OLD_NAME 0x00000004
#define FILE_ACTION_RENAMED_NEW_NAME 0x00000005

/* Success-level statuses a change request completes with (OVERLAPPED.Internal), and the
 * warning-level error a deleted watched directory gives. */
#ifndef STATUS_NOTIFY_CLEANUP
#define STATUS_NOTIFY_CLEANUP ((DWORD)0x0000010B)
#endif
#ifndef STATUS_NOTIFY_ENUM_DIR
#define STATUS_NOTIFY_ENUM_DIR ((DWORD)0x0000010C)
#endif
#ifndef STATUS_DELETE_PENDING
#define STATUS_DELETE_PENDING ((DWORD)0xC0000056)
#endif
#ifndef ERROR_NOTIFY_CLEANUP
#define ERROR_NOTIFY_CLEANUP 745
#endif

typedef struct _FILE_NOTIFY_INFORMATION {
    DWORD NextEntryOffset;
    DWORD Action;
    DWORD FileNameLength; /* bytes */
    WCHAR FileName[1];    /* not terminated */
} FILE_NOTIFY_INFORMATION, *PFILE_NOTIFY_INFORMATION;

typedef struct _FILE_NOTIFY_EXTENDED_INFORMATION {
    DWORD NextEntryOffset;
    DWORD Action;
    LARGE_INTEGER CreationTime;
    LARGE_INTEGER LastModificationTime;
    LARGE_INTEGER LastChangeTime;
    LARGE_INTEGER LastAccessTime;
    LARGE_INTEGER AllocatedLength;
    LARGE_INTEGER FileSize;
    DWORD FileAttributes;
    union {
        DWORD ReparsePointTag;
        DWORD EaSize;
    };
    LARGE_INTEGER FileId;
    LARGE_INTEGER ParentFileId;
    DWORD FileNameLength;
    WCHAR FileName[1];
} FILE_NOTIFY_EXTENDED_INFORMATION, *PFILE_NOTIFY_EXTENDED_INFORMATION;

typedef enum _READ_DIRECTORY_NOTIFY_INFORMATION_CLASS {
    ReadDirectoryNotifyInformation = 1,
    ReadDirectoryNotifyExtendedInformation = 2
} READ_DIRECTORY_NOTIFY_INFORMATION_CLASS, *PREAD_DIRECTORY_NOTIFY_INFORMATION_CLASS;

#define MOVEFILE_REPLACE_EXISTING 0x00000001
#define MOVEFILE_COPY_ALLOWED 0x00000002
#define MOVEFILE_DELAY_UNTIL_REBOOT 0x00000004
#define MOVEFILE_WRITE_THROUGH 0x00000008
#define MOVEFILE_CREATE_HARDLINK 0x00000010
#define MOVEFILE_FAIL_IF_NOT_TRACKABLE 0x00000020

/* ReplaceFile's flags. */
#define REPLACEFILE_WRITE_THROUGH 0x00000001
#define REPLACEFILE_IGNORE_MERGE_ERRORS 0x00000002
#define REPLACEFILE_IGNORE_ACL_ERRORS 0x00000004
#ifndef ERROR_NOT_SAME_DEVICE
#define ERROR_NOT_SAME_DEVICE 17
#endif

OVERLAPPED_BEGIN_C

OVERLAPPED_API BOOL WINAPI MoveFileA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName);
OVERLAPPED_API BOOL WINAPI MoveFileW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName);
OVERLAPPED_API BOOL WINAPI MoveFileExA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName, DWORD dwFlags);
OVERLAPPED_API BOOL WINAPI MoveFileExW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, DWORD dwFlags);
/* MoveFileEx whose routine sees the copy of a file moved to another file system. */
OVERLAPPED_API BOOL WINAPI MoveFileWithProgressA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName,
                                                 LPPROGRESS_ROUTINE lpProgressRoutine, LPVOID lpData, DWORD dwFlags);
OVERLAPPED_API BOOL WINAPI MoveFileWithProgressW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName,
                                                 LPPROGRESS_ROUTINE lpProgressRoutine, LPVOID lpData, DWORD dwFlags);
/* The replacement file takes the replaced one's name and attributes; the replaced file
 * is kept under lpBackupFileName when one is given. */
OVERLAPPED_API BOOL WINAPI ReplaceFileA(LPCSTR lpReplacedFileName, LPCSTR lpReplacementFileName,
                                        LPCSTR lpBackupFileName, DWORD dwReplaceFlags, LPVOID lpExclude,
                                        LPVOID lpReserved);
OVERLAPPED_API BOOL WINAPI ReplaceFileW(LPCWSTR lpReplacedFileName, LPCWSTR lpReplacementFileName,
                                        LPCWSTR lpBackupFileName, DWORD dwReplaceFlags, LPVOID lpExclude,
                                        LPVOID lpReserved);
/* A second name (lpFileName) for an existing file (lpExistingFileName), on its volume. */
OVERLAPPED_API BOOL WINAPI CreateHardLinkA(LPCSTR lpFileName, LPCSTR lpExistingFileName,
                                           LPSECURITY_ATTRIBUTES lpSecurityAttributes);
OVERLAPPED_API BOOL WINAPI CreateHardLinkW(LPCWSTR lpFileName, LPCWSTR lpExistingFileName,
                                           LPSECURITY_ATTRIBUTES lpSecurityAttributes);

OVERLAPPED_API BOOL WINAPI ReadDirectoryChangesW(HANDLE hDirectory, LPVOID lpBuffer, DWORD nBufferLength,
                                                 BOOL bWatchSubtree, DWORD dwNotifyFilter, LPDWORD lpBytesReturned,
                                                 LPOVERLAPPED lpOverlapped,
                                                 LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
OVERLAPPED_API BOOL WINAPI ReadDirectoryChangesExW(HANDLE hDirectory, LPVOID lpBuffer, DWORD nBufferLength,
                                                   BOOL bWatchSubtree, DWORD dwNotifyFilter, LPDWORD lpBytesReturned,
                                                   LPOVERLAPPED lpOverlapped,
                                                   LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                                   READ_DIRECTORY_NOTIFY_INFORMATION_CLASS ReadDirectoryNotifyInformationClass);

/* A directory handle that is signalled when a change passes the filter
 * (FindNextChangeNotification asks for the next one); closed with
 * FindCloseChangeNotification. */
OVERLAPPED_API HANDLE WINAPI FindFirstChangeNotificationA(LPCSTR lpPathName, BOOL bWatchSubtree,
                                                         DWORD dwNotifyFilter);
OVERLAPPED_API HANDLE WINAPI FindFirstChangeNotificationW(LPCWSTR lpPathName, BOOL bWatchSubtree,
                                                         DWORD dwNotifyFilter);
OVERLAPPED_API BOOL WINAPI FindNextChangeNotification(HANDLE hChangeHandle);
OVERLAPPED_API BOOL WINAPI FindCloseChangeNotification(HANDLE hChangeHandle);

OVERLAPPED_END_C

#ifdef UNICODE
#define FindFirstChangeNotification FindFirstChangeNotificationW
#define MoveFile MoveFileW
#define MoveFileEx MoveFileExW
#define MoveFileWithProgress MoveFileWithProgressW
#define ReplaceFile ReplaceFileW
#define CreateHardLink CreateHardLinkW
#else
#define FindFirstChangeNotification FindFirstChangeNotificationA
#define MoveFile MoveFileA
#define MoveFileEx MoveFileExA
#define MoveFileWithProgress MoveFileWithProgressA
#define ReplaceFile ReplaceFileA
#define CreateHardLink CreateHardLinkA
#endif

#pragma GCC diagnostic pop

#endif
