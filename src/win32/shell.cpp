// shell.cpp: shell32's CommandLineToArgvW (include/win32/shellapi.h says the rules; Wine's
// shell32 tests, which pass on Windows, pin down the program name and the quote runs).
#include <cstring>
#include <vector>
#include <windows.h>
#include <shellapi.h>

#include "win32/entry.h"

using overlapped::win32::fail;

namespace {

bool is_blank(WCHAR c) { return c == u' ' || c == u'\t'; }

// The arguments of `line`, each as its characters.
std::vector<std::vector<WCHAR>> split(const WCHAR* line)
{
    std::vector<std::vector<WCHAR>> arguments(1);
    const WCHAR* s = line;
    // The program name: to the next quote if it starts with one, else to a blank.
    if (*s == u'"') {
        ++s;
        while (*s != 0 && *s != u'"') arguments[0].push_back(*s++);
        if (*s == u'"') ++s;
    } else {
        while (*s != 0 && !is_blank(*s)) arguments[0].push_back(*s++);
    }
    for (;;) {
        while (is_blank(*s)) ++s;
        if (*s == 0) break;
        std::vector<WCHAR> argument;
        unsigned quotes = 0;  // the quote run count inside quotes: 0 outside, 1 inside
        size_t backslashes = 0;
        while (*s != 0 && (quotes != 0 || !is_blank(*s))) {
            WCHAR c = *s++;
            if (c == u'\\') {
                argument.push_back(c);
                ++backslashes;
                continue;
            }
            if (c != u'"') {
                argument.push_back(c);
                backslashes = 0;
                continue;
            }
            // Half the backslashes before a quote stay; an odd one out makes it literal.
            argument.resize(argument.size() - backslashes / 2);
            if (backslashes % 2 == 1) argument.back() = u'"';
            else ++quotes;
            backslashes = 0;
            // A run of quotes: every third, counting the one that opened quoting, is a
            // literal quote; two of a run close the quoted part.
            while (*s == u'"') {
                ++s;
                if (++quotes == 3) {
                    argument.push_back(u'"');
                    quotes = 0;
                }
            }
            if (quotes == 2) quotes = 0;
        }
        arguments.push_back(argument);
    }
    return arguments;
}

}  // namespace

extern "C" {

LPWSTR* WINAPI CommandLineToArgvW(LPCWSTR lpCmdLine, int* pNumArgs)
{
    if (pNumArgs == nullptr) return fail(ERROR_INVALID_PARAMETER, static_cast<LPWSTR*>(nullptr));
    std::vector<std::vector<WCHAR>> arguments;
    if (lpCmdLine == nullptr || *lpCmdLine == 0) {
        // The program's own path, as GetModuleFileNameW gives it.
        std::vector<WCHAR> path(MAX_PATH);
        for (;;) {
            DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
            if (n == 0) return nullptr;
            if (n < path.size()) {
                path.resize(n);
                break;
            }
            path.resize(path.size() * 2);
        }
        arguments.push_back(path);
    } else {
        arguments = split(lpCmdLine);
    }
    // One block: the pointers, then the strings, so that one LocalFree releases it all.
    size_t characters = 0;
    for (const auto& a : arguments) characters += a.size() + 1;
    size_t table = arguments.size() * sizeof(LPWSTR);
    auto* argv = static_cast<LPWSTR*>(LocalAlloc(LMEM_FIXED, table + characters * sizeof(WCHAR)));
    if (argv == nullptr) return fail(ERROR_NOT_ENOUGH_MEMORY, static_cast<LPWSTR*>(nullptr));
    auto* text = reinterpret_cast<WCHAR*>(reinterpret_cast<char*>(argv) + table);
    for (size_t k = 0; k < arguments.size(); ++k) {
        argv[k] = text;
        if (!arguments[k].empty()) std::memcpy(text, arguments[k].data(), arguments[k].size() * sizeof(WCHAR));
        text += arguments[k].size();
        *text++ = 0;
    }
    *pNumArgs = static_cast<int>(arguments.size());
    return argv;
}

}  // extern "C"
