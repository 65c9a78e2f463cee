// message_box.cpp: MessageBox and the beeps for programs without windows. A message box
// is shown on standard error and answered with its default button (what Enter would
// choose); the beeps ring the terminal's bell, and Beep waits the tone's duration
// (docs/deviations.md).
#include <windows.h>

#include <cstdio>
#include <string>

#include "win32/entry.h"

using overlapped::win32::fail;

namespace {

// The buttons of each MB_TYPEMASK value, left to right (Microsoft Learn, MessageBox).
struct ButtonSet {
    int count;
    int ids[3];
};
constexpr ButtonSet kButtons[] = {
    {1, {IDOK}},                             // MB_OK
    {2, {IDOK, IDCANCEL}},                   // MB_OKCANCEL
    {3, {IDABORT, IDRETRY, IDIGNORE}},       // MB_ABORTRETRYIGNORE
    {3, {IDYES, IDNO, IDCANCEL}},            // MB_YESNOCANCEL
    {2, {IDYES, IDNO}},                      // MB_YESNO
    {2, {IDRETRY, IDCANCEL}},                // MB_RETRYCANCEL
    {3, {IDCANCEL, IDTRYAGAIN, IDCONTINUE}}, // MB_CANCELTRYCONTINUE
};

// There are no windows, so an owner other than NULL is no window (Windows: 0 with
// ERROR_INVALID_WINDOW_HANDLE for an invalid owner, and ERROR_INVALID_MSGBOX_STYLE for an
// unknown button set, as MaulingMonkey/win32-safety-experiments' MessageBox test records
// on Windows 10).
int message_box(HWND window, const std::string& text, const std::string& caption, UINT type)
{
    if (window != nullptr) return fail(ERROR_INVALID_WINDOW_HANDLE, 0);
    UINT set = type & MB_TYPEMASK;
    if (set >= sizeof kButtons / sizeof kButtons[0]) return fail(ERROR_INVALID_MSGBOX_STYLE, 0);
    std::string shown = caption + ": " + text + "\n";
    std::fflush(stdout);  // the program's own output first, as a box would appear after it
    std::fputs(shown.c_str(), stderr);
    std::fflush(stderr);
    // The default button; one past the set (or MB_HELP's Help button, which does not
    // close the box) falls back to the first.
    UINT index = (type & MB_DEFMASK) >> 8;
    const ButtonSet& buttons = kButtons[set];
    return index < static_cast<UINT>(buttons.count) ? buttons.ids[index] : buttons.ids[0];
}

std::string narrow(LPCWSTR text, const char* absent)
{
    return text != nullptr ? overlapped::win32::utf8_from_utf16(text) : std::string(absent);
}

// The bell, written to the console as CONOUT$ opens it (the terminal; nothing after
// FreeConsole or without a terminal). The caller's last error is kept: the beeps succeed
// either way.
void ring_bell()
{
    DWORD saved = GetLastError();
    HANDLE console = CreateFileA("CONOUT$", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                 OPEN_EXISTING, 0, nullptr);
    if (console != INVALID_HANDLE_VALUE) {
        DWORD written = 0;
        WriteFile(console, "\a", 1, &written, nullptr);
        CloseHandle(console);
    }
    SetLastError(saved);
}

}  // namespace

extern "C" {

int WINAPI MessageBoxExA(HWND hWnd, LPCSTR lpText, LPCSTR lpCaption, UINT uType, WORD wLanguageId)
{
    (void)wLanguageId;
    return message_box(hWnd, lpText != nullptr ? lpText : "", lpCaption != nullptr ? lpCaption : "Error", uType);
}

int WINAPI MessageBoxExW(HWND hWnd, LPCWSTR lpText, LPCWSTR lpCaption, UINT uType, WORD wLanguageId)
{
    (void)wLanguageId;
    return message_box(hWnd, narrow(lpText, ""), narrow(lpCaption, "Error"), uType);
}

int WINAPI MessageBoxA(HWND hWnd, LPCSTR lpText, LPCSTR lpCaption, UINT uType)
{
    return MessageBoxExA(hWnd, lpText, lpCaption, uType, 0);
}

int WINAPI MessageBoxW(HWND hWnd, LPCWSTR lpText, LPCWSTR lpCaption, UINT uType)
{
    return MessageBoxExW(hWnd, lpText, lpCaption, uType, 0);
}

BOOL WINAPI MessageBeep(UINT uType)
{
    (void)uType;  // every sound is the bell
    ring_bell();
    return TRUE;
}

BOOL WINAPI Beep(DWORD dwFreq, DWORD dwDuration)
{
    (void)dwFreq;
    ring_bell();
    // Windows' Beep waits alertably until the tone has played: APCs run meanwhile.
    if (dwDuration == INFINITE) {
        for (;;) SleepEx(INFINITE, TRUE);
    }
    ULONGLONG end = GetTickCount64() + dwDuration;
    for (ULONGLONG now = GetTickCount64(); now < end; now = GetTickCount64())
        SleepEx(static_cast<DWORD>(end - now), TRUE);
    return TRUE;
}

}  // extern "C"
