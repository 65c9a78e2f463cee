// text.cpp: UTF-16 to UTF-8 for counted strings, and the Microsoft-rules formatter
// (see text.h) behind StringCchPrintf, wsprintf and _snprintf.
#include "win32/text.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

namespace overlapped::win32 {

namespace {

}  // namespace


// ---- The formatter ------------------------------------------------------------------------

namespace {

template <class CharT>
struct Sink {
    CharT* out;
    size_t capacity;
    size_t length = 0;
    void put(CharT c)
    {
        if (length < capacity) out[length] = c;
        ++length;
    }
    void pad(size_t count, CharT c)
    {
        for (size_t i = 0; i < count; ++i) put(c);
    }
};

struct Spec {
    bool left = false, plus = false, space = false, alternate = false, zero = false;
    int width = 0;
    int precision = -1;
    enum class Size { Default, Char, Short, Long32, Long64, LongDouble, Wide, Narrow } size = Size::Default;
};

// The text of a C printf conversion with the same flags, width and precision.
std::string c_spec(const Spec& spec, const char* length, char conversion)
{
    std::string s = "%";
    if (spec.left) s += '-';
    if (spec.plus) s += '+';
    if (spec.space) s += ' ';
    if (spec.alternate) s += '#';
    if (spec.zero) s += '0';
    if (spec.width > 0) s += std::to_string(spec.width);
    if (spec.precision >= 0) s += '.' + std::to_string(spec.precision);
    s += length;
    s += conversion;
    return s;
}

template <class... Args>
std::string c_format(const std::string& spec, Args... args)
{
    char small[128];
    int n = std::snprintf(small, sizeof small, spec.c_str(), args...);
    if (n < 0) return std::string();
    if (static_cast<size_t>(n) < sizeof small) return std::string(small, static_cast<size_t>(n));
    std::vector<char> big(static_cast<size_t>(n) + 1);
    std::snprintf(big.data(), big.size(), spec.c_str(), args...);
    return std::string(big.data(), static_cast<size_t>(n));
}

template <class CharT>
void put_ascii(Sink<CharT>& sink, const std::string& text)
{
    for (char c : text) sink.put(static_cast<CharT>(static_cast<unsigned char>(c)));
}

// Converts a string argument to the output's character type, at most `limit` characters
// of output (a precision), never splitting a UTF-8 sequence or a surrogate pair.
std::basic_string<char> to_output(const char* text, int limit, char*)
{
    size_t n = 0;
    while (text[n] != 0 && (limit < 0 || n < static_cast<size_t>(limit))) ++n;
    return std::string(text, n);
}

std::basic_string<char> to_output(const WCHAR* text, int limit, char*)
{
    size_t n = 0;
    while (text[n] != 0) ++n;
    std::string out = utf8_from_utf16(text, n);
    if (limit >= 0 && out.size() > static_cast<size_t>(limit)) {
        size_t cut = static_cast<size_t>(limit);
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
    }
    return out;
}

std::u16string to_output(const WCHAR* text, int limit, WCHAR*)
{
    size_t n = 0;
    while (text[n] != 0 && (limit < 0 || n < static_cast<size_t>(limit))) ++n;
    if (n > 0 && limit >= 0 && n == static_cast<size_t>(limit) && text[n] != 0 &&
        static_cast<uint16_t>(text[n - 1]) >= 0xD800 && static_cast<uint16_t>(text[n - 1]) < 0xDC00)
        --n;  // do not end on half a surrogate pair
    return std::u16string(reinterpret_cast<const char16_t*>(text), n);
}

std::u16string to_output(const char* text, int limit, WCHAR*)
{
    std::u16string out = utf16_from_utf8(text, std::strlen(text));
    if (limit >= 0 && out.size() > static_cast<size_t>(limit)) {
        size_t cut = static_cast<size_t>(limit);
        if (cut > 0 && out[cut - 1] >= 0xD800 && out[cut - 1] < 0xDC00) --cut;
        out.resize(cut);
    }
    return out;
}

template <class CharT, class Text>
void put_field(Sink<CharT>& sink, const Spec& spec, const Text& text)
{
    size_t fill = spec.width > 0 && text.size() < static_cast<size_t>(spec.width) ? spec.width - text.size() : 0;
    if (!spec.left) sink.pad(fill, static_cast<CharT>(spec.zero ? '0' : ' '));  // %04c pads with zeros
    for (auto c : text) sink.put(static_cast<CharT>(c));
    if (spec.left) sink.pad(fill, static_cast<CharT>(' '));
}

template <class CharT>
bool is_digit(CharT c)
{
    return c >= '0' && c <= '9';
}

// wsprintf's number: user32's rules (Microsoft Learn, wsprintfA): the precision is the
// least number of digits, 1 when it is 0 or missing; the 0 flag pads with zeros after
// the sign or the "0x" that '#' puts before any hexadecimal value, 0 included.
template <class CharT>
void put_user32_number(Sink<CharT>& sink, const Spec& spec, bool negative, unsigned long long magnitude,
                       char conversion)
{
    std::string digits = c_format(conversion == 'x'   ? "%llx"
                                  : conversion == 'X' ? "%llX"
                                                      : "%llu",
                                  magnitude);
    if (spec.precision > 0 && digits.size() < static_cast<size_t>(spec.precision))
        digits.insert(0, static_cast<size_t>(spec.precision) - digits.size(), '0');
    std::string prefix = negative ? "-" : "";
    if (spec.alternate && (conversion == 'x' || conversion == 'X')) prefix = conversion == 'x' ? "0x" : "0X";
    size_t length = prefix.size() + digits.size();
    size_t fill = spec.width > 0 && length < static_cast<size_t>(spec.width) ? spec.width - length : 0;
    if (!spec.left && !spec.zero) sink.pad(fill, static_cast<CharT>(' '));
    put_ascii(sink, prefix);
    if (!spec.left && spec.zero) sink.pad(fill, static_cast<CharT>('0'));
    put_ascii(sink, digits);
    if (spec.left) sink.pad(fill, static_cast<CharT>(' '));
}

// The conversions wsprintf knows (Microsoft Learn, wsprintfA: the type field).
template <class CharT>
bool user32_conversion(CharT c)
{
    return c > 0 && c < 0x80 && std::strchr("cCdiuxXsSp", static_cast<int>(c)) != nullptr;
}

// `user32`: wsprintf's narrower grammar, %[-][#][0][width][.precision][h|l|w|I64|I32|I]type
// with the types above; any other character after the '%' (and its fields) is printed as
// it is, taking no argument ("%e" prints "e", "%+d" "+d").
template <class CharT>
size_t format_impl(CharT* out, size_t capacity, const CharT* f, va_list args_in, bool user32)
{
    va_list args;
    va_copy(args, args_in);
    Sink<CharT> sink{out, capacity};
    while (*f != 0) {
        if (*f != '%') {
            sink.put(*f++);
            continue;
        }
        ++f;
        if (*f == '%') {
            sink.put(*f++);
            continue;
        }
        Spec spec;
        if (user32) {
            if (*f == '-') spec.left = true, ++f;
            if (*f == '#') spec.alternate = true, ++f;
            if (*f == '0') spec.zero = true, ++f;
        }
        for (; !user32; ++f) {
            if (*f == '-') spec.left = true;
            else if (*f == '+') spec.plus = true;
            else if (*f == ' ') spec.space = true;
            else if (*f == '#') spec.alternate = true;
            else if (*f == '0') spec.zero = true;
            else break;
        }
        if (*f == '*' && !user32) {
            int w = va_arg(args, int);
            if (w < 0) spec.left = true, w = -w;
            spec.width = w;
            ++f;
        } else {
            while (is_digit(*f)) spec.width = spec.width * 10 + (*f++ - '0');
        }
        if (*f == '.') {
            ++f;
            spec.precision = 0;
            if (*f == '*' && !user32) {
                int p = va_arg(args, int);
                spec.precision = p < 0 ? -1 : p;
                ++f;
            } else {
                while (is_digit(*f)) spec.precision = spec.precision * 10 + (*f++ - '0');
            }
        }
        using Size = Spec::Size;
        if (user32) {
            if (f[0] == 'h') spec.size = Size::Short, ++f;
            else if (f[0] == 'l') spec.size = Size::Long32, ++f;
            else if (f[0] == 'w') spec.size = Size::Wide, ++f;
            else if (f[0] == 'I' && f[1] == '6' && f[2] == '4') spec.size = Size::Long64, f += 3;
            else if (f[0] == 'I' && f[1] == '3' && f[2] == '2') spec.size = Size::Long32, f += 3;
            else if (f[0] == 'I') spec.size = Size::Long64, ++f;
        } else if (f[0] == 'h' && f[1] == 'h') spec.size = Size::Char, f += 2;
        else if (f[0] == 'h') spec.size = Size::Short, ++f;
        else if (f[0] == 'l' && f[1] == 'l') spec.size = Size::Long64, f += 2;
        else if (f[0] == 'l') spec.size = Size::Long32, ++f;
        else if (f[0] == 'w') spec.size = Size::Wide, ++f;
        else if (f[0] == 'L') spec.size = Size::LongDouble, ++f;
        else if (f[0] == 'I' && f[1] == '6' && f[2] == '4') spec.size = Size::Long64, f += 3;
        else if (f[0] == 'I' && f[1] == '3' && f[2] == '2') spec.size = Size::Long32, f += 3;
        else if (f[0] == 'I' || f[0] == 'z' || f[0] == 't' || f[0] == 'j') spec.size = Size::Long64, ++f;
        CharT conversion = *f;
        if (conversion == 0) break;  // the format ends inside a conversion: nothing of it is printed
        ++f;
        if (user32 && !user32_conversion(conversion)) {
            sink.put(conversion);  // "not formatted": no field, no padding
            continue;
        }
        // Which character type a %s/%c argument has: the output's own, unless a size or the
        // upper-case conversion says otherwise.
        bool own_wide = sizeof(CharT) == sizeof(WCHAR);
        auto wide_argument = [&](bool upper) {
            if (spec.size == Size::Short) return false;
            if (spec.size == Size::Long32 || spec.size == Size::Wide) return true;
            return upper ? !own_wide : own_wide;
        };
        switch (conversion) {
        case 'd':
        case 'i': {
            long long value;
            if (spec.size == Size::Long64 || spec.size == Size::LongDouble) value = va_arg(args, long long);
            else value = va_arg(args, int);
            if (spec.size == Size::Short) value = static_cast<short>(value);
            if (spec.size == Size::Char) value = static_cast<signed char>(value);
            if (user32) {
                unsigned long long magnitude = static_cast<unsigned long long>(value);
                put_user32_number(sink, spec, value < 0, value < 0 ? 0ull - magnitude : magnitude, 'u');
                break;
            }
            put_ascii(sink, c_format(c_spec(spec, "ll", 'd'), value));
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            unsigned long long value;
            if (spec.size == Size::Long64 || spec.size == Size::LongDouble) value = va_arg(args, unsigned long long);
            else value = va_arg(args, unsigned int);
            if (spec.size == Size::Short) value = static_cast<unsigned short>(value);
            if (spec.size == Size::Char) value = static_cast<unsigned char>(value);
            if (user32) {
                put_user32_number(sink, spec, false, value, static_cast<char>(conversion));
                break;
            }
            put_ascii(sink, c_format(c_spec(spec, "ll", static_cast<char>(conversion)), value));
            break;
        }
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
        case 'a':
        case 'A':
            if (spec.size == Size::LongDouble)
                put_ascii(sink, c_format(c_spec(spec, "L", static_cast<char>(conversion)), va_arg(args, long double)));
            else
                put_ascii(sink, c_format(c_spec(spec, "", static_cast<char>(conversion)), va_arg(args, double)));
            break;
        case 'p': {
            // 16 digits; '#' adds "0X"; a width pads with spaces (the 0 flag does not apply).
            void* pointer = va_arg(args, void*);
            Spec digits;
            digits.zero = true;
            digits.width = 16;
            std::string text = c_format(c_spec(digits, "ll", 'X'),
                                        static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(pointer)));
            if (spec.alternate) text = "0X" + text;
            Spec field = spec;
            field.zero = false;
            put_field(sink, field, text);
            break;
        }
        case 'c':
        case 'C': {
            int value = va_arg(args, int);
            if (wide_argument(conversion == 'C')) {
                WCHAR text[2] = {static_cast<WCHAR>(value), 0};
                if (text[0] == 0) put_field(sink, spec, std::basic_string<CharT>(1, CharT(0)));
                else put_field(sink, spec, to_output(text, -1, static_cast<CharT*>(nullptr)));
            } else {
                unsigned char c = static_cast<unsigned char>(value);
                if (own_wide) {
                    // A single byte: ASCII as it is, anything else is not a whole character.
                    std::u16string text(1, c < 0x80 ? static_cast<char16_t>(c) : u'\xFFFD');
                    put_field(sink, spec, text);
                } else {
                    put_field(sink, spec, std::string(1, static_cast<char>(c)));
                }
            }
            break;
        }
        case 's':
        case 'S': {
            if (wide_argument(conversion == 'S')) {
                const WCHAR* text = va_arg(args, const WCHAR*);
                if (text == nullptr) put_field(sink, spec, std::string("(null)"));
                else put_field(sink, spec, to_output(text, spec.precision, static_cast<CharT*>(nullptr)));
            } else {
                const char* text = va_arg(args, const char*);
                if (text == nullptr) put_field(sink, spec, std::string("(null)"));
                else put_field(sink, spec, to_output(text, spec.precision, static_cast<CharT*>(nullptr)));
            }
            break;
        }
        case 'n':
            (void)va_arg(args, void*);
            break;
        default:
            sink.put(conversion);  // an unknown conversion prints as its own character, as the C run-time does
            break;
        }
    }
    va_end(args);
    return sink.length;
}

}  // namespace

size_t format_ms(char* out, size_t capacity, const char* format, va_list args)
{
    return format_impl(out, capacity, format, args, false);
}

size_t format_ms(WCHAR* out, size_t capacity, const WCHAR* format, va_list args)
{
    return format_impl(out, capacity, format, args, false);
}

size_t format_user32(char* out, size_t capacity, const char* format, va_list args)
{
    return format_impl(out, capacity, format, args, true);
}

size_t format_user32(WCHAR* out, size_t capacity, const WCHAR* format, va_list args)
{
    return format_impl(out, capacity, format, args, true);
}

}  // namespace overlapped::win32
