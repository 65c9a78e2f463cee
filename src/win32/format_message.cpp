// format_message.cpp: FormatMessageA/W. The message (the caller's string, or a system
// message) is expanded into UTF-16: escapes (%n %r %t %0 %% and the like), inserts %1..%99
// with an optional printf-style format between exclamation marks, taking their values from
// an array or the caller's va_list; then its lines are broken as the low byte of the flags
// asks. The rules are those Wine's conformance test dlls/kernel32/tests/format_msg.c
// records (it passes on Windows) and Microsoft Learn's FormatMessage page.
#include <windows.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "win32/entry.h"

namespace {

using overlapped::win32::fail;

// Wine's test: an A function's message of 32767 characters or more is refused.
constexpr size_t kLongestNarrowMessage = 32766;
// A width or precision taken from an argument is a count of characters to produce; past
// this the message could not be stored anyway.
constexpr unsigned long kLongestPiece = 1u << 24;

// The values of the inserts: the caller's array of ULONG_PTR (FORMAT_MESSAGE_ARGUMENT_ARRAY)
// or its va_list, read a ULONG_PTR at a time as the inserts first need them. An insert
// numbered n takes the n-th value; a width or precision given as '*' takes the insert's
// number, and what follows the one after the last value taken. With a va_list, Windows
// takes the value of an insert that had a '*' from the va_list's next argument again (the
// test's "%1!*.*u!,%1!*.*u!" with 5, 3, 1, 4, 2 gives "  001, 0002").
class Values {
public:
    Values(void* arguments, bool array)
    {
        if (array) array_ = static_cast<const ULONG_PTR*>(arguments);
        else list_ = static_cast<va_list*>(arguments);
    }
    bool present() const { return array_ != nullptr || list_ != nullptr; }
    // The value of insert `number` (from 1), or of the one after the last taken (-1).
    ULONG_PTR take(int number)
    {
        if (number < 0) number = last_ + 1;
        if (list_ != nullptr) {
            while (number > last_) {
                if (taken_.size() < static_cast<size_t>(last_) + 1) taken_.resize(static_cast<size_t>(last_) + 1);
                taken_[static_cast<size_t>(last_++)] = va_arg(*list_, ULONG_PTR);
            }
        }
        if (number > last_) last_ = number;
        return list_ != nullptr ? taken_[static_cast<size_t>(number) - 1] : array_[number - 1];
    }
    // After a '*': the value comes from the va_list's next argument (see above).
    void retake_after_star()
    {
        if (list_ != nullptr) --last_;
    }

private:
    const ULONG_PTR* array_ = nullptr;
    va_list* list_ = nullptr;
    std::vector<ULONG_PTR> taken_;
    int last_ = 0;
};

// The text being made, with its line breaking: `width` 0 keeps the message's own breaks,
// FORMAT_MESSAGE_MAX_WIDTH_MASK (255) makes them spaces, any other width also breaks each
// line before it reaches `width` characters: at the start of the last run of spaces (the
// spaces are dropped), or in the middle of a word longer than the line. %n and %r start
// a new line.
class Output {
public:
    explicit Output(unsigned width) : width_(width) {}
    bool wraps() const { return width_ != 0 && width_ != FORMAT_MESSAGE_MAX_WIDTH_MASK; }
    bool joins_lines() const { return width_ != 0; }
    void put(char16_t c)
    {
        text_ += c;
        if (!wraps()) return;
        if (c == u'\r' || c == u'\n') {
            column_ = 0;
            space_ = std::u16string::npos;
            in_space_ = false;
        } else if (c == u' ') {
            if (!in_space_) space_ = text_.size() - 1;
            in_space_ = true;
            ++column_;
        } else {
            in_space_ = false;
            ++column_;
        }
        if (column_ < width_) return;
        // The line is full: it ends where its last run of spaces begins (or here), and
        // what follows the spaces goes to the next line.
        size_t rest = space_;
        if (space_ == std::u16string::npos) {
            space_ = rest = text_.size();
        } else {
            while (rest < text_.size() && text_[rest] == u' ') ++rest;
        }
        std::u16string moved = text_.substr(rest);
        text_.resize(space_);
        text_ += u"\r\n";
        text_ += moved;
        column_ = moved.size();
        space_ = std::u16string::npos;
        in_space_ = false;
    }
    void put(const std::u16string& piece)
    {
        for (char16_t c : piece) put(c);
    }
    const std::u16string& text() const { return text_; }

private:
    unsigned width_;
    std::u16string text_;
    size_t column_ = 0;
    size_t space_ = std::u16string::npos;  // where the current line's last run of spaces begins
    bool in_space_ = false;
};

std::u16string widen_ascii(const std::string& text) { return std::u16string(text.begin(), text.end()); }

// A string argument: UTF-16 (`wide`) or the A functions' UTF-8; NULL is "(null)".
std::u16string string_value(ULONG_PTR value, bool wide)
{
    if (value == 0) return u"(null)";
    if (wide) return std::u16string(reinterpret_cast<const char16_t*>(value));
    const char* text = reinterpret_cast<const char*>(value);
    return overlapped::win32::utf16_from_utf8(text, std::strlen(text));
}

// A character argument: a UTF-16 unit (`wide`), or a byte of the A functions' code page
// (UTF-8: ASCII as it is, any other byte alone is U+FFFD).
char16_t char_value(ULONG_PTR value, bool wide)
{
    if (wide) return static_cast<char16_t>(value & 0xFFFF);
    auto byte = static_cast<unsigned char>(value & 0xFF);
    return byte < 0x80 ? byte : u'\uFFFD';
}

// Pads `piece` to `width` characters (on the right for '-'; with zeros for '0').
std::u16string padded(std::u16string piece, long width, bool left, bool zeros)
{
    if (width < 0 || piece.size() >= static_cast<size_t>(width)) return piece;
    std::u16string fill(static_cast<size_t>(width) - piece.size(), zeros && !left ? u'0' : u' ');
    return left ? piece + fill : fill + piece;
}

// An insert's format between exclamation marks, from just after the first: flags, width
// (or '*'), precision (or ".*"), a size (h, l, ll, w, I, I32, I64) and a type, then
// anything up to the closing '!'. `number` is the insert's number; `wide_caller` says
// whether s and c mean UTF-16 (FormatMessageW) or UTF-8 (FormatMessageA). Appends the
// piece to *piece; returns false (ERROR_NOT_ENOUGH_MEMORY) for a width or precision past
// kLongestPiece.
bool format_piece(const char16_t*& f, int number, bool wide_caller, Values& values, std::u16string* piece)
{
    std::string flags;
    while (*f == u'-' || *f == u'+' || *f == u' ' || *f == u'#' || *f == u'0') flags += static_cast<char>(*f++);
    long width = -1, precision = -1;
    if (*f == u'*') {
        width = static_cast<long>(static_cast<unsigned>(values.take(number)));
        number = -1;
        ++f;
    } else if (*f >= u'0' && *f <= u'9') {
        width = 0;
        while (*f >= u'0' && *f <= u'9') width = std::min<long>(width * 10 + (*f++ - u'0'), kLongestPiece + 1);
    }
    if (*f == u'.') {
        ++f;
        precision = 0;
        if (*f == u'*') {
            precision = static_cast<long>(static_cast<unsigned>(values.take(number)));
            number = -1;
            ++f;
        } else {
            while (*f >= u'0' && *f <= u'9') precision = std::min<long>(precision * 10 + (*f++ - u'0'), kLongestPiece + 1);
        }
    }
    if (width > static_cast<long>(kLongestPiece) || precision > static_cast<long>(kLongestPiece)) return false;
    if (number < 0) values.retake_after_star();
    ULONG_PTR value = values.take(number);

    // The size: 'h' narrow (short numbers, A strings), 'l'/'w' wide strings (32-bit
    // numbers, as Windows' long), 'll'/'I64'/'I' 64-bit numbers.
    enum class Size { Default, Short, Long, Wide64 } size = Size::Default;
    bool narrow_text = false, wide_text = false;
    if (f[0] == u'I' && f[1] == u'6' && f[2] == u'4') {
        size = Size::Wide64;
        f += 3;
    } else if (f[0] == u'I' && f[1] == u'3' && f[2] == u'2') {
        size = Size::Long;
        f += 3;
    } else if (f[0] == u'I') {
        size = Size::Wide64;  // pointer-sized
        ++f;
    } else if (f[0] == u'l' && f[1] == u'l') {
        size = Size::Wide64;
        f += 2;
    } else if (f[0] == u'h') {
        size = Size::Short;
        narrow_text = true;
        ++f;
    } else if (f[0] == u'l' || f[0] == u'w') {
        size = Size::Long;
        wide_text = true;
        ++f;
    }
    char16_t type = *f != u'!' && *f != 0 ? *f++ : u's';
    bool left = flags.find('-') != std::string::npos, zeros = flags.find('0') != std::string::npos;

    switch (type) {
    case u's':
    case u'S': {
        bool wide = wide_text || (!narrow_text && ((type == u's') == wide_caller));
        std::u16string text = string_value(value, wide);
        if (precision >= 0 && text.size() > static_cast<size_t>(precision)) text.resize(static_cast<size_t>(precision));
        *piece += padded(text, width, left, zeros);
        break;
    }
    case u'c':
    case u'C': {
        bool wide = wide_text || (!narrow_text && ((type == u'c') == wide_caller));
        *piece += padded(std::u16string(1, char_value(value, wide)), width, left, zeros);
        break;
    }
    case u'd':
    case u'i':
    case u'u':
    case u'x':
    case u'X':
    case u'o':
    case u'p':
    case u'e':
    case u'E':
    case u'f':
    case u'g':
    case u'G':
    case u'a':
    case u'A': {
        // A printf format of our own making (only the characters checked above), applied
        // to the value as Windows' C run-time would read it from the argument's slot.
        char numbers[48] = "";
        if (width >= 0 && precision >= 0) std::snprintf(numbers, sizeof numbers, "%ld.%ld", width, precision);
        else if (width >= 0) std::snprintf(numbers, sizeof numbers, "%ld", width);
        else if (precision >= 0) std::snprintf(numbers, sizeof numbers, ".%ld", precision);
        std::string format = "%" + flags + numbers;
        std::string text;
        auto print = [&](auto argument, const char* length) {
            std::string full = format + length + static_cast<char>(type);
            int needed = std::snprintf(nullptr, 0, full.c_str(), argument);
            if (needed < 0) return;
            text.resize(static_cast<size_t>(needed) + 1);
            std::snprintf(text.data(), text.size(), full.c_str(), argument);
            text.resize(static_cast<size_t>(needed));
        };
        if (type == u'p') {
            // Windows prints a pointer as 16 upper-case hexadecimal digits.
            char digits[24];
            std::snprintf(digits, sizeof digits, "%016llX", static_cast<unsigned long long>(value));
            *piece += padded(widen_ascii(digits), width, left, false);
            break;
        }
        if (type == u'e' || type == u'E' || type == u'f' || type == u'g' || type == u'G' || type == u'a' ||
            type == u'A') {
            double real;
            std::memcpy(&real, &value, sizeof real);  // the slot's bits, as a double
            print(real, "");
        } else if (type == u'd' || type == u'i') {
            if (size == Size::Wide64) print(static_cast<long long>(value), "ll");
            else if (size == Size::Short) print(static_cast<int>(static_cast<short>(value)), "");
            else print(static_cast<int>(static_cast<int32_t>(value)), "");
        } else {
            if (size == Size::Wide64) print(static_cast<unsigned long long>(value), "ll");
            else if (size == Size::Short) print(static_cast<unsigned>(static_cast<unsigned short>(value)), "");
            else print(static_cast<unsigned>(static_cast<uint32_t>(value)), "");
        }
        *piece += widen_ascii(text);
        break;
    }
    default:
        break;  // a type Windows does not know: nothing
    }
    while (*f != 0 && *f != u'!') ++f;
    if (*f == u'!') ++f;
    return true;
}

// Expands `source` into *out. Returns ERROR_SUCCESS, or ERROR_INVALID_PARAMETER (a '%' at
// the end, an insert with no arguments given), ERROR_NOT_ENOUGH_MEMORY (an insert too
// large).
DWORD expand(const std::u16string& source, DWORD flags, bool wide_caller, Values& values, Output* out)
{
    bool ignore_inserts = (flags & FORMAT_MESSAGE_IGNORE_INSERTS) != 0;
    const char16_t* f = source.c_str();
    while (*f != 0) {
        char16_t c = *f++;
        if (c == u'\r' || c == u'\n') {
            // A line break of the message, "\r\n", "\r" or "\n": "\r\n", or a space when
            // the lines are joined or wrapped.
            if (c == u'\r' && *f == u'\n') ++f;
            if (out->joins_lines()) {
                out->put(u' ');
            } else {
                out->put(u'\r');
                out->put(u'\n');
            }
            continue;
        }
        if (c != u'%') {
            out->put(c);
            continue;
        }
        char16_t escape = *f;
        if (escape == 0) return ERROR_INVALID_PARAMETER;
        ++f;
        if (escape == u'0') break;  // the message ends here, with no line break
        if (escape == u'n') {
            out->put(u'\r');
            out->put(u'\n');
        } else if (escape == u'r') {
            out->put(u'\r');
        } else if (escape == u't') {
            out->put(u'\t');
        } else if (escape >= u'1' && escape <= u'9' && !ignore_inserts) {
            if (!values.present()) return ERROR_INVALID_PARAMETER;
            int number = escape - u'0';
            if (*f >= u'0' && *f <= u'9') number = number * 10 + (*f++ - u'0');
            std::u16string piece;
            if (*f == u'!') {
                ++f;
                if (!format_piece(f, number, wide_caller, values, &piece)) return ERROR_NOT_ENOUGH_MEMORY;
            } else {
                piece = string_value(values.take(number), wide_caller);
            }
            out->put(piece);
        } else {
            // %% %. %! and "% " give the character; with FORMAT_MESSAGE_IGNORE_INSERTS
            // these and the inserts stay as they are.
            if (ignore_inserts) out->put(u'%');
            out->put(escape);
        }
    }
    return ERROR_SUCCESS;
}

// The message to expand: the caller's string (FORMAT_MESSAGE_FROM_STRING), a module's
// message (FORMAT_MESSAGE_FROM_HMODULE: the system modules' are the system messages; no
// other module has resources, so none has a message table) or a system message
// (FORMAT_MESSAGE_FROM_SYSTEM, with the line break every system message ends with).
// ERROR_INVALID_PARAMETER with no source, ERROR_RESOURCE_DATA_NOT_FOUND for a module
// (a program built without resources, as under Wine a mingw-w64 program without any),
// ERROR_MR_MID_NOT_FOUND for an unknown message.
template <class Char>
DWORD message_source(DWORD flags, LPCVOID source, DWORD id, std::u16string* text)
{
    if (flags & FORMAT_MESSAGE_FROM_STRING) {
        if (source == nullptr) return ERROR_INVALID_PARAMETER;  // Windows crashes
        if constexpr (sizeof(Char) == 1) {
            const char* s = static_cast<const char*>(source);
            *text = overlapped::win32::utf16_from_utf8(s, std::strlen(s));
        } else {
            *text = static_cast<const char16_t*>(source);
        }
        return ERROR_SUCCESS;
    }
    bool system = (flags & FORMAT_MESSAGE_FROM_SYSTEM) != 0;
    if (flags & FORMAT_MESSAGE_FROM_HMODULE) {
        HMODULE module = static_cast<HMODULE>(const_cast<void*>(source));
        bool ours = module != nullptr && overlapped::win32::system_module_handle(module);
        if (!ours && !system) return ERROR_RESOURCE_DATA_NOT_FOUND;
        system = true;
    }
    if (!system) return ERROR_INVALID_PARAMETER;
    if ((id & 0xFFFF0000u) == 0x80070000u) id &= 0xFFFFu;  // HRESULT_FROM_WIN32(code)
    const char* message = overlapped::win32::system_message_text(id);
    if (message == nullptr) return ERROR_MR_MID_NOT_FOUND;
    *text = overlapped::win32::utf16_from_utf8(message, std::strlen(message));
    *text += u"\r\n";
    return ERROR_SUCCESS;
}

// FormatMessageA/W: the expanded message in the caller's characters, into lpBuffer (nSize
// characters) or, with FORMAT_MESSAGE_ALLOCATE_BUFFER, into a LocalAlloc'd buffer of at
// least nSize characters whose address goes to *(Char**)lpBuffer (free: LocalFree).
// Returns the characters stored without the terminator, or 0 with the error. An empty
// message is ERROR_NO_WORK_DONE. A short buffer is ERROR_INSUFFICIENT_BUFFER (an A
// buffer untouched; a W buffer gets what fits and a terminator); the va_list has moved past
// what the inserts took all the same. dwLanguageId is not looked at: there is one language.
template <class Char>
DWORD format_message(DWORD flags, LPCVOID source, DWORD id, Char* lpBuffer, DWORD nSize, void* arguments)
{
    constexpr bool wide = sizeof(Char) != 1;
    // FormatMessageW refuses a NULL buffer pointer before anything else; FormatMessageA
    // only with FORMAT_MESSAGE_ALLOCATE_BUFFER, which has nowhere to put the buffer.
    if (wide && lpBuffer == nullptr) return fail(ERROR_INVALID_PARAMETER, DWORD(0));
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        if (lpBuffer == nullptr) return fail(ERROR_NOT_ENOUGH_MEMORY, DWORD(0));
        *reinterpret_cast<Char**>(lpBuffer) = nullptr;  // NULL until a buffer is made
    }
    std::u16string message;
    if (DWORD error = message_source<Char>(flags, source, id, &message)) return fail(error, DWORD(0));
    Values values(arguments, (flags & FORMAT_MESSAGE_ARGUMENT_ARRAY) != 0);
    Output out(flags & FORMAT_MESSAGE_MAX_WIDTH_MASK);
    if (DWORD error = expand(message, flags, wide, values, &out)) return fail(error, DWORD(0));

    std::basic_string<Char> result;
    if constexpr (wide) {
        result.assign(out.text().begin(), out.text().end());
    } else {
        const std::u16string& text = out.text();
        result = overlapped::win32::utf8_from_utf16(reinterpret_cast<const WCHAR*>(text.data()), text.size());
        if (result.size() > kLongestNarrowMessage) return fail(ERROR_INVALID_PARAMETER, DWORD(0));
    }
    size_t length = result.size();
    if (length == 0) {
        if (wide && !(flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) && nSize > 0) lpBuffer[0] = 0;
        return fail(ERROR_NO_WORK_DONE, DWORD(0));
    }
    if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        size_t size = std::max<size_t>(length + 1, nSize);
        auto* buffer = static_cast<Char*>(LocalAlloc(LMEM_FIXED, size * sizeof(Char)));
        if (buffer == nullptr) return fail(ERROR_NOT_ENOUGH_MEMORY, DWORD(0));
        std::memcpy(buffer, result.c_str(), (length + 1) * sizeof(Char));
        *reinterpret_cast<Char**>(lpBuffer) = buffer;
        return static_cast<DWORD>(length);
    }
    // Only nSize is looked at first: an A call's NULL buffer with a size too small is
    // ERROR_INSUFFICIENT_BUFFER, as on Windows (where a larger size crashes).
    if (nSize < length + 1) {
        if (wide && nSize > 0) {
            std::memcpy(lpBuffer, result.c_str(), (nSize - 1) * sizeof(Char));
            lpBuffer[nSize - 1] = 0;
        }
        return fail(ERROR_INSUFFICIENT_BUFFER, DWORD(0));
    }
    if (lpBuffer == nullptr) return fail(ERROR_INVALID_PARAMETER, DWORD(0));
    std::memcpy(lpBuffer, result.c_str(), (length + 1) * sizeof(Char));
    return static_cast<DWORD>(length);
}

}  // namespace

extern "C" {

DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD, LPSTR lpBuffer, DWORD nSize,
                            void* Arguments)
{
    return format_message(dwFlags, lpSource, dwMessageId, lpBuffer, nSize, Arguments);
}

DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD, LPWSTR lpBuffer, DWORD nSize,
                            void* Arguments)
{
    return format_message(dwFlags, lpSource, dwMessageId, lpBuffer, nSize, Arguments);
}

}  // extern "C"
