/* consoleapi.h: console input (ReadConsole, input records, the input buffer), the screen
 * buffer's information and text attributes, and the console title. wincon.h has the
 * standard handles, modes, output and control events. docs/console.md describes how the
 * console maps to a Linux terminal; docs/win32-status.md lists each function. */
#ifndef OVERLAPPED_CONSOLEAPI_H
#define OVERLAPPED_CONSOLEAPI_H

#include <windef.h>
#include <winnt.h>
#include <winbase.h> /* SECURITY_ATTRIBUTES */

OVERLAPPED_BEGIN_C

/* ---- Coordinates and the screen buffer ------------------------------------------------ */

typedef struct _COORD {
    SHORT X;
    SHORT Y;
} COORD, *PCOORD;

typedef struct _SMALL_RECT {
    SHORT Left;
    SHORT Top;
    SHORT Right;
    SHORT Bottom;
} SMALL_RECT, *PSMALL_RECT;

typedef struct _CONSOLE_SCREEN_BUFFER_INFO {
    COORD dwSize;
    COORD dwCursorPosition;
    WORD wAttributes;
    SMALL_RECT srWindow;
    COORD dwMaximumWindowSize;
} CONSOLE_SCREEN_BUFFER_INFO, *PCONSOLE_SCREEN_BUFFER_INFO;

#define FOREGROUND_BLUE 0x0001
#define FOREGROUND_GREEN 0x0002
#define FOREGROUND_RED 0x0004
#define FOREGROUND_INTENSITY 0x0008
#define BACKGROUND_BLUE 0x0010
#define BACKGROUND_GREEN 0x0020
#define BACKGROUND_RED 0x0040
#define BACKGROUND_INTENSITY 0x0080

OVERLAPPED_API BOOL WINAPI GetConsoleScreenBufferInfo(HANDLE hConsoleOutput,
                                                      PCONSOLE_SCREEN_BUFFER_INFO lpConsoleScreenBufferInfo);

/* The extended information: also the popup attributes and the 16 colours the attributes'
 * colour numbers stand for (docs/console.md: recorded, the terminal keeps its own palette). */
typedef struct _CONSOLE_SCREEN_BUFFER_INFOEX {
    ULONG cbSize;
    COORD dwSize;
    COORD dwCursorPosition;
    WORD wAttributes;
    SMALL_RECT srWindow;
    COORD dwMaximumWindowSize;
    WORD wPopupAttributes;
    BOOL bFullscreenSupported;
    COLORREF ColorTable[16];
} CONSOLE_SCREEN_BUFFER_INFOEX, *PCONSOLE_SCREEN_BUFFER_INFOEX;

OVERLAPPED_API BOOL WINAPI GetConsoleScreenBufferInfoEx(HANDLE hConsoleOutput,
                                                        PCONSOLE_SCREEN_BUFFER_INFOEX lpConsoleScreenBufferInfoEx);
OVERLAPPED_API BOOL WINAPI SetConsoleScreenBufferInfoEx(HANDLE hConsoleOutput,
                                                        PCONSOLE_SCREEN_BUFFER_INFOEX lpConsoleScreenBufferInfoEx);
/* The ids of the processes attached to the console (docs/console.md). */
OVERLAPPED_API DWORD WINAPI GetConsoleProcessList(LPDWORD lpdwProcessList, DWORD dwProcessCount);
OVERLAPPED_API BOOL WINAPI SetConsoleTextAttribute(HANDLE hConsoleOutput, WORD wAttributes);

typedef struct _CONSOLE_CURSOR_INFO {
    DWORD dwSize;
    BOOL bVisible;
} CONSOLE_CURSOR_INFO, *PCONSOLE_CURSOR_INFO;

OVERLAPPED_API BOOL WINAPI SetConsoleCursorPosition(HANDLE hConsoleOutput, COORD dwCursorPosition);
OVERLAPPED_API BOOL WINAPI GetConsoleCursorInfo(HANDLE hConsoleOutput, PCONSOLE_CURSOR_INFO lpConsoleCursorInfo);
OVERLAPPED_API BOOL WINAPI SetConsoleCursorInfo(HANDLE hConsoleOutput, const CONSOLE_CURSOR_INFO *lpConsoleCursorInfo);

/* Screen buffers (docs/console.md, "Screen buffers"): a model of cells kept by the library;
 * the active buffer is mirrored to the terminal as VT sequences. */
#define COMMON_LVB_LEADING_BYTE 0x0100
#define COMMON_LVB_TRAILING_BYTE 0x0200
#define COMMON_LVB_GRID_HORIZONTAL 0x0400
#define COMMON_LVB_GRID_LVERTICAL 0x0800
#define COMMON_LVB_GRID_RVERTICAL 0x1000
#define COMMON_LVB_REVERSE_VIDEO 0x4000
#define COMMON_LVB_UNDERSCORE 0x8000

typedef struct _CHAR_INFO {
    union {
        WCHAR UnicodeChar;
        CHAR AsciiChar;
    } Char;
    WORD Attributes;
} CHAR_INFO, *PCHAR_INFO;

#define CONSOLE_TEXTMODE_BUFFER 1
OVERLAPPED_API HANDLE WINAPI CreateConsoleScreenBuffer(DWORD dwDesiredAccess, DWORD dwShareMode,
                                                       const SECURITY_ATTRIBUTES *lpSecurityAttributes,
                                                       DWORD dwFlags, LPVOID lpScreenBufferData);
OVERLAPPED_API BOOL WINAPI SetConsoleActiveScreenBuffer(HANDLE hConsoleOutput);
OVERLAPPED_API BOOL WINAPI FillConsoleOutputCharacterA(HANDLE hConsoleOutput, CHAR cCharacter, DWORD nLength,
                                                       COORD dwWriteCoord, LPDWORD lpNumberOfCharsWritten);
OVERLAPPED_API BOOL WINAPI FillConsoleOutputCharacterW(HANDLE hConsoleOutput, WCHAR cCharacter, DWORD nLength,
                                                       COORD dwWriteCoord, LPDWORD lpNumberOfCharsWritten);
OVERLAPPED_API BOOL WINAPI FillConsoleOutputAttribute(HANDLE hConsoleOutput, WORD wAttribute, DWORD nLength,
                                                      COORD dwWriteCoord, LPDWORD lpNumberOfAttrsWritten);
OVERLAPPED_API BOOL WINAPI WriteConsoleOutputCharacterA(HANDLE hConsoleOutput, LPCSTR lpCharacter, DWORD nLength,
                                                        COORD dwWriteCoord, LPDWORD lpNumberOfCharsWritten);
OVERLAPPED_API BOOL WINAPI WriteConsoleOutputCharacterW(HANDLE hConsoleOutput, LPCWSTR lpCharacter, DWORD nLength,
                                                        COORD dwWriteCoord, LPDWORD lpNumberOfCharsWritten);
OVERLAPPED_API BOOL WINAPI WriteConsoleOutputAttribute(HANDLE hConsoleOutput, const WORD *lpAttribute, DWORD nLength,
                                                       COORD dwWriteCoord, LPDWORD lpNumberOfAttrsWritten);
OVERLAPPED_API BOOL WINAPI ReadConsoleOutputCharacterA(HANDLE hConsoleOutput, LPSTR lpCharacter, DWORD nLength,
                                                       COORD dwReadCoord, LPDWORD lpNumberOfCharsRead);
OVERLAPPED_API BOOL WINAPI ReadConsoleOutputCharacterW(HANDLE hConsoleOutput, LPWSTR lpCharacter, DWORD nLength,
                                                       COORD dwReadCoord, LPDWORD lpNumberOfCharsRead);
OVERLAPPED_API BOOL WINAPI ReadConsoleOutputAttribute(HANDLE hConsoleOutput, LPWORD lpAttribute, DWORD nLength,
                                                      COORD dwReadCoord, LPDWORD lpNumberOfAttrsRead);
OVERLAPPED_API BOOL WINAPI WriteConsoleOutputA(HANDLE hConsoleOutput, const CHAR_INFO *lpBuffer, COORD dwBufferSize,
                                               COORD dwBufferCoord, PSMALL_RECT lpWriteRegion);
OVERLAPPED_API BOOL WINAPI WriteConsoleOutputW(HANDLE hConsoleOutput, const CHAR_INFO *lpBuffer, COORD dwBufferSize,
                                               COORD dwBufferCoord, PSMALL_RECT lpWriteRegion);
OVERLAPPED_API BOOL WINAPI ReadConsoleOutputA(HANDLE hConsoleOutput, PCHAR_INFO lpBuffer, COORD dwBufferSize,
                                              COORD dwBufferCoord, PSMALL_RECT lpReadRegion);
OVERLAPPED_API BOOL WINAPI ReadConsoleOutputW(HANDLE hConsoleOutput, PCHAR_INFO lpBuffer, COORD dwBufferSize,
                                              COORD dwBufferCoord, PSMALL_RECT lpReadRegion);
OVERLAPPED_API BOOL WINAPI ScrollConsoleScreenBufferA(HANDLE hConsoleOutput, const SMALL_RECT *lpScrollRectangle,
                                                      const SMALL_RECT *lpClipRectangle, COORD dwDestinationOrigin,
                                                      const CHAR_INFO *lpFill);
OVERLAPPED_API BOOL WINAPI ScrollConsoleScreenBufferW(HANDLE hConsoleOutput, const SMALL_RECT *lpScrollRectangle,
                                                      const SMALL_RECT *lpClipRectangle, COORD dwDestinationOrigin,
                                                      const CHAR_INFO *lpFill);
OVERLAPPED_API BOOL WINAPI SetConsoleScreenBufferSize(HANDLE hConsoleOutput, COORD dwSize);
OVERLAPPED_API BOOL WINAPI SetConsoleWindowInfo(HANDLE hConsoleOutput, BOOL bAbsolute,
                                                const SMALL_RECT *lpConsoleWindow);
OVERLAPPED_API COORD WINAPI GetLargestConsoleWindowSize(HANDLE hConsoleOutput);

/* ---- Input records ------------------------------------------------------------------- */

typedef struct _KEY_EVENT_RECORD {
    BOOL bKeyDown;
    WORD wRepeatCount;
    WORD wVirtualKeyCode;
    WORD wVirtualScanCode;
    union {
        WCHAR UnicodeChar;
        CHAR AsciiChar;
    } uChar;
    DWORD dwControlKeyState;
} KEY_EVENT_RECORD, *PKEY_EVENT_RECORD;

typedef struct _MOUSE_EVENT_RECORD {
    COORD dwMousePosition;
    DWORD dwButtonState;
    DWORD dwControlKeyState;
    DWORD dwEventFlags;
} MOUSE_EVENT_RECORD, *PMOUSE_EVENT_RECORD;

typedef struct _WINDOW_BUFFER_SIZE_RECORD {
    COORD dwSize;
} WINDOW_BUFFER_SIZE_RECORD, *PWINDOW_BUFFER_SIZE_RECORD;

typedef struct _MENU_EVENT_RECORD {
    UINT dwCommandId;
} MENU_EVENT_RECORD, *PMENU_EVENT_RECORD;

typedef struct _FOCUS_EVENT_RECORD {
    BOOL bSetFocus;
} FOCUS_EVENT_RECORD, *PFOCUS_EVENT_RECORD;

typedef struct _INPUT_RECORD {
    WORD EventType;
    union {
        KEY_EVENT_RECORD KeyEvent;
        MOUSE_EVENT_RECORD MouseEvent;
        WINDOW_BUFFER_SIZE_RECORD WindowBufferSizeEvent;
        MENU_EVENT_RECORD MenuEvent;
        FOCUS_EVENT_RECORD FocusEvent;
    } Event;
} INPUT_RECORD, *PINPUT_RECORD;

#define KEY_EVENT 0x0001
#define MOUSE_EVENT 0x0002
#define WINDOW_BUFFER_SIZE_EVENT 0x0004
#define MENU_EVENT 0x0008
#define FOCUS_EVENT 0x0010

/* MOUSE_EVENT_RECORD: dwButtonState bits and dwEventFlags values. */
#define FROM_LEFT_1ST_BUTTON_PRESSED 0x0001
#define RIGHTMOST_BUTTON_PRESSED 0x0002
#define FROM_LEFT_2ND_BUTTON_PRESSED 0x0004
#define FROM_LEFT_3RD_BUTTON_PRESSED 0x0008
#define FROM_LEFT_4TH_BUTTON_PRESSED 0x0010
#define MOUSE_MOVED 0x0001
#define DOUBLE_CLICK 0x0002
#define MOUSE_WHEELED 0x0004
#define MOUSE_HWHEELED 0x0008

/* dwControlKeyState */
#define RIGHT_ALT_PRESSED 0x0001
#define LEFT_ALT_PRESSED 0x0002
#define RIGHT_CTRL_PRESSED 0x0004
#define LEFT_CTRL_PRESSED 0x0008
#define SHIFT_PRESSED 0x0010
#define NUMLOCK_ON 0x0020
#define SCROLLLOCK_ON 0x0040
#define CAPSLOCK_ON 0x0080
#define ENHANCED_KEY 0x0100

/* The virtual-key codes the console reports (winuser.h on Windows). */
#ifndef VK_BACK
#define VK_BACK 0x08
#define VK_TAB 0x09
#define VK_RETURN 0x0D
#define VK_SHIFT 0x10
#define VK_CONTROL 0x11
#define VK_MENU 0x12
#define VK_ESCAPE 0x1B
#define VK_SPACE 0x20
#define VK_PRIOR 0x21
#define VK_NEXT 0x22
#define VK_END 0x23
#define VK_HOME 0x24
#define VK_LEFT 0x25
#define VK_UP 0x26
#define VK_RIGHT 0x27
#define VK_DOWN 0x28
#define VK_INSERT 0x2D
#define VK_DELETE 0x2E
#define VK_F1 0x70
#define VK_F2 0x71
#define VK_F3 0x72
#define VK_F4 0x73
#define VK_F5 0x74
#define VK_F6 0x75
#define VK_F7 0x76
#define VK_F8 0x77
#define VK_F9 0x78
#define VK_F10 0x79
#define VK_F11 0x7A
#define VK_F12 0x7B
#define VK_OEM_1 0xBA
#define VK_OEM_PLUS 0xBB
#define VK_OEM_COMMA 0xBC
#define VK_OEM_MINUS 0xBD
#define VK_OEM_PERIOD 0xBE
#define VK_OEM_2 0xBF
#define VK_OEM_3 0xC0
#define VK_OEM_4 0xDB
#define VK_OEM_5 0xDC
#define VK_OEM_6 0xDD
#define VK_OEM_7 0xDE
#endif

/* ---- Reading the input buffer ---------------------------------------------------------- */

typedef struct _CONSOLE_READCONSOLE_CONTROL {
    ULONG nLength;
    ULONG nInitialChars;
    ULONG dwCtrlWakeupMask;
    ULONG dwControlKeyState;
} CONSOLE_READCONSOLE_CONTROL, *PCONSOLE_READCONSOLE_CONTROL;

OVERLAPPED_API BOOL WINAPI ReadConsoleA(HANDLE hConsoleInput, LPVOID lpBuffer, DWORD nNumberOfCharsToRead,
                                        LPDWORD lpNumberOfCharsRead, PCONSOLE_READCONSOLE_CONTROL pInputControl);
OVERLAPPED_API BOOL WINAPI ReadConsoleW(HANDLE hConsoleInput, LPVOID lpBuffer, DWORD nNumberOfCharsToRead,
                                        LPDWORD lpNumberOfCharsRead, PCONSOLE_READCONSOLE_CONTROL pInputControl);
OVERLAPPED_API BOOL WINAPI ReadConsoleInputA(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength,
                                             LPDWORD lpNumberOfEventsRead);
OVERLAPPED_API BOOL WINAPI ReadConsoleInputW(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength,
                                             LPDWORD lpNumberOfEventsRead);
OVERLAPPED_API BOOL WINAPI PeekConsoleInputA(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength,
                                             LPDWORD lpNumberOfEventsRead);
OVERLAPPED_API BOOL WINAPI PeekConsoleInputW(HANDLE hConsoleInput, PINPUT_RECORD lpBuffer, DWORD nLength,
                                             LPDWORD lpNumberOfEventsRead);
OVERLAPPED_API BOOL WINAPI GetNumberOfConsoleInputEvents(HANDLE hConsoleInput, LPDWORD lpNumberOfEvents);
OVERLAPPED_API BOOL WINAPI FlushConsoleInputBuffer(HANDLE hConsoleInput);
/* Not provided (ERROR_CALL_NOT_IMPLEMENTED): the terminal is the only source of input. */
OVERLAPPED_API BOOL WINAPI WriteConsoleInputA(HANDLE hConsoleInput, const INPUT_RECORD *lpBuffer, DWORD nLength,
                                              LPDWORD lpNumberOfEventsWritten);
OVERLAPPED_API BOOL WINAPI WriteConsoleInputW(HANDLE hConsoleInput, const INPUT_RECORD *lpBuffer, DWORD nLength,
                                              LPDWORD lpNumberOfEventsWritten);

/* ---- The title ----------------------------------------------------------------------- */

OVERLAPPED_API DWORD WINAPI GetConsoleTitleA(LPSTR lpConsoleTitle, DWORD nSize);
OVERLAPPED_API DWORD WINAPI GetConsoleTitleW(LPWSTR lpConsoleTitle, DWORD nSize);

/* ---- Pseudo consoles ------------------------------------------------------------------ */

/* A pseudo console (ConPTY) is a Linux pseudo-terminal: its input is read from hInput,
 * its output written to hOutput; a child started with PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE
 * (processthreadsapi.h) has it as its console (docs/console.md). */
typedef VOID *HPCON;

#define PSEUDOCONSOLE_INHERIT_CURSOR 0x1

OVERLAPPED_API HRESULT WINAPI CreatePseudoConsole(COORD size, HANDLE hInput, HANDLE hOutput, DWORD dwFlags,
                                                  HPCON *phPC);
OVERLAPPED_API HRESULT WINAPI ResizePseudoConsole(HPCON hPC, COORD size);
OVERLAPPED_API VOID WINAPI ClosePseudoConsole(HPCON hPC);

#ifdef UNICODE
#define ReadConsole ReadConsoleW
#define ReadConsoleInput ReadConsoleInputW
#define PeekConsoleInput PeekConsoleInputW
#define GetConsoleTitle GetConsoleTitleW
#define FillConsoleOutputCharacter FillConsoleOutputCharacterW
#define WriteConsoleOutputCharacter WriteConsoleOutputCharacterW
#define ReadConsoleOutputCharacter ReadConsoleOutputCharacterW
#define WriteConsoleOutput WriteConsoleOutputW
#define ReadConsoleOutput ReadConsoleOutputW
#define ScrollConsoleScreenBuffer ScrollConsoleScreenBufferW
#define WriteConsoleInput WriteConsoleInputW
#else
#define ReadConsole ReadConsoleA
#define ReadConsoleInput ReadConsoleInputA
#define PeekConsoleInput PeekConsoleInputA
#define GetConsoleTitle GetConsoleTitleA
#define FillConsoleOutputCharacter FillConsoleOutputCharacterA
#define WriteConsoleOutputCharacter WriteConsoleOutputCharacterA
#define ReadConsoleOutputCharacter ReadConsoleOutputCharacterA
#define WriteConsoleOutput WriteConsoleOutputA
#define ReadConsoleOutput ReadConsoleOutputA
#define ScrollConsoleScreenBuffer ScrollConsoleScreenBufferA
#define WriteConsoleInput WriteConsoleInputA
#endif

OVERLAPPED_END_C

#endif
