// wmain.cpp: the start of a program whose entry point is wmain (tchar.h's _tmain with
// _UNICODE, or wmain itself, as Windows' C run-time starts with -municode). Linux starts
// main; this weak main is used only when the program has none: it converts argv (UTF-8)
// to UTF-16 and calls the program's wmain. The program's wmain is found by weak
// references, which also make the linker export it from the executable: the C name, and
// the C++ names of wmain(int, X **) for X = char16_t (WCHAR, _TCHAR), const char16_t
// (PCWSTR), wchar_t and const wchar_t.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <windows.h>

#include "win32/entry.h"

using Wmain = int (*)(int, WCHAR**);

extern "C" {
int overlapped_wmain_c(int, WCHAR**) __asm__("wmain") __attribute__((weak));
int overlapped_wmain_char16(int, WCHAR**) __asm__("_Z5wmainiPPDs") __attribute__((weak));
int overlapped_wmain_const_char16(int, WCHAR**) __asm__("_Z5wmainiPPKDs") __attribute__((weak));
int overlapped_wmain_wchar(int, WCHAR**) __asm__("_Z5wmainiPPw") __attribute__((weak));
int overlapped_wmain_const_wchar(int, WCHAR**) __asm__("_Z5wmainiPPKw") __attribute__((weak));

OVERLAPPED_API __attribute__((weak)) int main(int argc, char** argv)
{
    const Wmain candidates[] = {overlapped_wmain_c, overlapped_wmain_char16, overlapped_wmain_const_char16,
                                overlapped_wmain_wchar, overlapped_wmain_const_wchar};
    Wmain entry = nullptr;
    for (Wmain candidate : candidates)
        if (candidate != nullptr && entry == nullptr) entry = candidate;
    if (entry == nullptr) {
        std::fputs("overlapped: the program has neither main nor wmain\n", stderr);
        return 1;
    }
    std::vector<std::u16string> wide;
    wide.reserve(static_cast<size_t>(argc));
    for (int i = 0; i < argc; ++i)
        wide.push_back(overlapped::win32::utf16_from_utf8(argv[i], std::strlen(argv[i])));
    std::vector<WCHAR*> wargv;
    for (auto& w : wide) wargv.push_back(reinterpret_cast<WCHAR*>(w.data()));
    wargv.push_back(nullptr);
    return entry(argc, wargv.data());
}
}
