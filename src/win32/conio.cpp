// conio.cpp: the Microsoft C run-time's console I/O (conio.h: _getch, _getche, _kbhit,
// _putch, _ungetch, _cputs), on the console functions. As the C run-time does, it reads
// the console's input buffer (CONIN$, opened once) with the console mode set to 0 for the
// read (no line input, no echo, Ctrl-C a key), takes key-down records, and writes to
// CONOUT$; with no console (no terminal), _getch returns EOF and _kbhit 0.
#include <windows.h>

#include <conio.h>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace {

std::mutex conio_mutex;
HANDLE console_input = INVALID_HANDLE_VALUE;
HANDLE console_output = INVALID_HANDLE_VALUE;
bool input_opened = false;
bool output_opened = false;
int pushed_back = EOF;  // _ungetch's character, or an extended key's second byte

HANDLE open_console(const char* name, HANDLE* handle, bool* opened)
{
    if (!*opened) {
        *handle = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                              OPEN_EXISTING, 0, nullptr);
        *opened = true;
    }
    return *handle;
}

HANDLE input_handle() { return open_console("CONIN$", &console_input, &input_opened); }
HANDLE output_handle() { return open_console("CONOUT$", &console_output, &output_opened); }

// The two bytes _getch gives for a key without a character, as the C run-time has them
// (the PC's extended key codes): the lead byte (0, or 0xE0 for the keys of the separate
// cursor block and F11/F12) and the code, unmodified, with Shift, with Ctrl, with Alt.
struct ExtendedKey {
    WORD virtual_key;
    unsigned char codes[4][2];
};
constexpr ExtendedKey extended_keys[] = {
    {VK_HOME, {{0xE0, 0x47}, {0xE0, 0x47}, {0xE0, 0x77}, {0x00, 0x97}}},
    {VK_UP, {{0xE0, 0x48}, {0xE0, 0x48}, {0xE0, 0x8D}, {0x00, 0x98}}},
    {VK_PRIOR, {{0xE0, 0x49}, {0xE0, 0x49}, {0xE0, 0x86}, {0x00, 0x99}}},
    {VK_LEFT, {{0xE0, 0x4B}, {0xE0, 0x4B}, {0xE0, 0x73}, {0x00, 0x9B}}},
    {VK_RIGHT, {{0xE0, 0x4D}, {0xE0, 0x4D}, {0xE0, 0x74}, {0x00, 0x9D}}},
    {VK_END, {{0xE0, 0x4F}, {0xE0, 0x4F}, {0xE0, 0x75}, {0x00, 0x9F}}},
    {VK_DOWN, {{0xE0, 0x50}, {0xE0, 0x50}, {0xE0, 0x91}, {0x00, 0xA0}}},
    {VK_NEXT, {{0xE0, 0x51}, {0xE0, 0x51}, {0xE0, 0x76}, {0x00, 0xA1}}},
    {VK_INSERT, {{0xE0, 0x52}, {0xE0, 0x52}, {0xE0, 0x92}, {0x00, 0xA2}}},
    {VK_DELETE, {{0xE0, 0x53}, {0xE0, 0x53}, {0xE0, 0x93}, {0x00, 0xA3}}},
    {VK_F11, {{0xE0, 0x85}, {0xE0, 0x87}, {0xE0, 0x89}, {0xE0, 0x8B}}},
    {VK_F12, {{0xE0, 0x86}, {0xE0, 0x88}, {0xE0, 0x8A}, {0xE0, 0x8C}}},
};

// The extended codes of a key-down record without a character, or null for a key _getch
// does not report (Shift, Ctrl and Alt alone, for one).
const unsigned char* extended_codes(const KEY_EVENT_RECORD& key, unsigned char* function_key)
{
    DWORD state = key.dwControlKeyState;
    int column = (state & (LEFT_ALT_PRESSED | RIGHT_ALT_PRESSED))     ? 3
                 : (state & (LEFT_CTRL_PRESSED | RIGHT_CTRL_PRESSED)) ? 2
                 : (state & SHIFT_PRESSED)                            ? 1
                                                                      : 0;
    if (key.wVirtualKeyCode >= VK_F1 && key.wVirtualKeyCode <= VK_F1 + 9) {
        // F1-F10: 0, then 0x3B-0x44; with Shift from 0x54, Ctrl from 0x5E, Alt from 0x68.
        static constexpr unsigned char first[4] = {0x3B, 0x54, 0x5E, 0x68};
        function_key[0] = 0;
        function_key[1] = (unsigned char)(first[column] + (key.wVirtualKeyCode - VK_F1));
        return function_key;
    }
    for (const ExtendedKey& entry : extended_keys)
        if (entry.virtual_key == key.wVirtualKeyCode) return entry.codes[column];
    return nullptr;
}

// Whether a record is a key _getch returns.
bool is_getch_key(const INPUT_RECORD& record)
{
    unsigned char function_key[2];
    if (record.EventType != KEY_EVENT || !record.Event.KeyEvent.bKeyDown) return false;
    return record.Event.KeyEvent.uChar.AsciiChar != 0 || extended_codes(record.Event.KeyEvent, function_key) != nullptr;
}

// _getch with conio_mutex held.
int getch_locked()
{
    if (pushed_back != EOF) {
        int c = pushed_back;
        pushed_back = EOF;
        return c;
    }
    HANDLE input = input_handle();
    if (input == INVALID_HANDLE_VALUE) return EOF;
    DWORD old_mode = 0;
    BOOL had_mode = GetConsoleMode(input, &old_mode);
    SetConsoleMode(input, 0);
    int result = EOF;
    for (;;) {
        INPUT_RECORD record;
        DWORD count = 0;
        if (!ReadConsoleInputA(input, &record, 1, &count) || count == 0) break;
        if (!is_getch_key(record)) continue;
        const KEY_EVENT_RECORD& key = record.Event.KeyEvent;
        if (key.uChar.AsciiChar != 0) {
            result = (unsigned char)key.uChar.AsciiChar;
        } else {
            unsigned char function_key[2];
            const unsigned char* codes = extended_codes(key, function_key);
            result = codes[0];
            pushed_back = codes[1];
        }
        break;
    }
    if (had_mode) SetConsoleMode(input, old_mode);
    return result;
}

int putch_locked(int c)
{
    HANDLE output = output_handle();
    char byte = (char)c;
    DWORD written = 0;
    if (output == INVALID_HANDLE_VALUE || !WriteConsoleA(output, &byte, 1, &written, nullptr) || written != 1)
        return EOF;
    return (unsigned char)byte;
}

}  // namespace

extern "C" {

int __cdecl _getch(void)
{
    std::lock_guard<std::mutex> guard(conio_mutex);
    return getch_locked();
}

int __cdecl _getche(void)
{
    std::lock_guard<std::mutex> guard(conio_mutex);
    int c = getch_locked();
    // An extended key's lead byte is not echoed, nor is the code that follows it.
    if (c == EOF || ((c == 0 || c == 0xE0) && pushed_back != EOF)) return c;
    return putch_locked(c) == EOF ? EOF : c;
}

int __cdecl _kbhit(void)
{
    std::lock_guard<std::mutex> guard(conio_mutex);
    if (pushed_back != EOF) return 1;
    HANDLE input = input_handle();
    if (input == INVALID_HANDLE_VALUE) return 0;
    // A key typed on a terminal in line mode reaches the input buffer only with the
    // line's end; with the mode 0 for the look, it is there as soon as it is typed.
    DWORD old_mode = 0;
    BOOL had_mode = GetConsoleMode(input, &old_mode);
    SetConsoleMode(input, 0);
    int hit = 0;
    DWORD pending = 0;
    if (GetNumberOfConsoleInputEvents(input, &pending) && pending != 0) {
        INPUT_RECORD records[64];
        DWORD count = 0;
        if (PeekConsoleInputA(input, records, pending < 64 ? pending : 64, &count))
            for (DWORD i = 0; i < count && !hit; ++i) hit = is_getch_key(records[i]);
    }
    if (had_mode) SetConsoleMode(input, old_mode);
    return hit;
}

int __cdecl _putch(int c)
{
    std::lock_guard<std::mutex> guard(conio_mutex);
    return putch_locked(c);
}

int __cdecl _ungetch(int c)
{
    std::lock_guard<std::mutex> guard(conio_mutex);
    if (c == EOF || pushed_back != EOF) return EOF;
    pushed_back = (unsigned char)c;
    return pushed_back;
}

int __cdecl _cputs(const char* str)
{
    std::lock_guard<std::mutex> guard(conio_mutex);
    HANDLE output = output_handle();
    DWORD length = (DWORD)std::strlen(str), written = 0;
    if (output == INVALID_HANDLE_VALUE) return -1;
    if (length == 0) return 0;
    return WriteConsoleA(output, str, length, &written, nullptr) && written == length ? 0 : -1;
}

}  // extern "C"
