/* wincon.h: the console: standard handles, console output, console modes, and the
 * console control events (Ctrl-C, Ctrl-Break, close) with their handler routines.
 * docs/win32-status.md lists each function; docs/deviations.md how the console maps to a
 * Linux terminal and to signals. */
#ifndef OVERLAPPED_WINCON_H
#define OVERLAPPED_WINCON_H

#include <windef.h>
#include <winnt.h>

OVERLAPPED_BEGIN_C

/* ---- Standard handles ------------------------------------------------------------ */

#define STD_INPUT_HANDLE ((DWORD)-10)
#define STD_OUTPUT_HANDLE ((DWORD)-11)
#define STD_ERROR_HANDLE ((DWORD)-12)

OVERLAPPED_API HANDLE WINAPI GetStdHandle(DWORD nStdHandle);
OVERLAPPED_API BOOL WINAPI SetStdHandle(DWORD nStdHandle, HANDLE hHandle);

/* ---- Console control events --------------------------------------------------------- */

#define CTRL_C_EVENT 0
#define CTRL_BREAK_EVENT 1
#define CTRL_CLOSE_EVENT 2
#define CTRL_LOGOFF_EVENT 5
#define CTRL_SHUTDOWN_EVENT 6

#ifndef STATUS_CONTROL_C_EXIT
#define STATUS_CONTROL_C_EXIT ((DWORD)0xC000013A)
#endif
#ifndef CONTROL_C_EXIT
#define CONTROL_C_EXIT STATUS_CONTROL_C_EXIT
#endif

typedef BOOL(WINAPI *PHANDLER_ROUTINE)(DWORD CtrlType);

OVERLAPPED_API BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add);
OVERLAPPED_API BOOL WINAPI GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId);

/* ---- Console modes ------------------------------------------------------------------ */

#define ENABLE_PROCESSED_INPUT 0x0001
#define ENABLE_LINE_INPUT 0x0002
#define ENABLE_ECHO_INPUT 0x0004
#define ENABLE_WINDOW_INPUT 0x0008
#define ENABLE_MOUSE_INPUT 0x0010
#define ENABLE_INSERT_MODE 0x0020
#define ENABLE_QUICK_EDIT_MODE 0x0040
#define ENABLE_EXTENDED_FLAGS 0x0080
#define ENABLE_AUTO_POSITION 0x0100
#define ENABLE_VIRTUAL_TERMINAL_INPUT 0x0200

#define ENABLE_PROCESSED_OUTPUT 0x0001
#define ENABLE_WRAP_AT_EOL_OUTPUT 0x0002
#define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#define DISABLE_NEWLINE_AUTO_RETURN 0x0008
#define ENABLE_LVB_GRID_WORLDWIDE 0x0010

OVERLAPPED_API BOOL WINAPI GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode);
OVERLAPPED_API BOOL WINAPI SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode);

/* ---- Console output, title, code pages ---------------------------------------------- */

OVERLAPPED_API BOOL WINAPI WriteConsoleA(HANDLE hConsoleOutput, const VOID *lpBuffer,
                                         DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                                         LPVOID lpReserved);
OVERLAPPED_API BOOL WINAPI WriteConsoleW(HANDLE hConsoleOutput, const VOID *lpBuffer,
                                         DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                                         LPVOID lpReserved);
OVERLAPPED_API BOOL WINAPI SetConsoleTitleA(LPCSTR lpConsoleTitle);
OVERLAPPED_API BOOL WINAPI SetConsoleTitleW(LPCWSTR lpConsoleTitle);

#ifndef CP_UTF8
#define CP_UTF8 65001
#endif
OVERLAPPED_API UINT WINAPI GetConsoleCP(void);
OVERLAPPED_API UINT WINAPI GetConsoleOutputCP(void);
OVERLAPPED_API BOOL WINAPI SetConsoleCP(UINT wCodePageID);
OVERLAPPED_API BOOL WINAPI SetConsoleOutputCP(UINT wCodePageID);

/* ---- The console itself ------------------------------------------------------------- */

#define ATTACH_PARENT_PROCESS ((DWORD)-1)

OVERLAPPED_API BOOL WINAPI AllocConsole(void);
OVERLAPPED_API BOOL WINAPI FreeConsole(void);
OVERLAPPED_API BOOL WINAPI AttachConsole(DWORD dwProcessId);
OVERLAPPED_API HWND WINAPI GetConsoleWindow(void);

/* ---- The A/W names without suffix follow UNICODE ------------------------------------ */

#ifdef UNICODE
#define WriteConsole WriteConsoleW
#define SetConsoleTitle SetConsoleTitleW
#else
#define WriteConsole WriteConsoleA
#define SetConsoleTitle SetConsoleTitleA
#endif

OVERLAPPED_END_C

#endif
