// locale.cpp: the locales (GetLocaleInfo(Ex), the default LCIDs and names) and the dates
// and times written by their pictures (GetDateFormat(Ex), GetTimeFormat(Ex)).
//
// The library has one locale, English (United States), 0x0409 "en-US", with Windows'
// data for it, and the invariant locale (0x007F, name ""). The default locales
// (LOCALE_USER_DEFAULT, LOCALE_SYSTEM_DEFAULT, LOCALE_NEUTRAL, the custom ones, English
// neutral 0x0009; the names NULL and "!x-sys-default-locale") are en-US; any other LCID
// or name fails with ERROR_INVALID_PARAMETER, as Windows refuses a locale it does not
// have. No user overrides: LOCALE_NOUSEROVERRIDE changes nothing.
// The Windows rules: docs/research/windows-locale-formats.md.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

using Text = std::u16string;

// One locale's data: the values of the LCTYPEs the library answers (strings; a numeric
// LCTYPE's value is its decimal digits, or hexadecimal for the language identifiers).
struct Field {
    LCTYPE type;
    const char* us;         // en-US
    const char* invariant;  // the invariant locale
};

constexpr Field kFields[] = {
    {LOCALE_ILANGUAGE, "0409", "007f"},
    {LOCALE_SLANGUAGE, "English (United States)", "Invariant Language (Invariant Country)"},
    {LOCALE_SABBREVLANGNAME, "ENU", "IVL"},
    {LOCALE_SNATIVELANGNAME, "English", "Invariant Language"},
    {LOCALE_ICOUNTRY, "1", "1"},
    {LOCALE_SCOUNTRY, "United States", "Invariant Country"},
    {LOCALE_SABBREVCTRYNAME, "USA", "IVC"},
    {LOCALE_SNATIVECTRYNAME, "United States", "Invariant Country"},
    {LOCALE_IDEFAULTLANGUAGE, "0409", "0409"},
    {LOCALE_IDEFAULTCOUNTRY, "1", "1"},
    {LOCALE_IDEFAULTCODEPAGE, "65001", "65001"},  // the library's OEM code page (GetOEMCP)
    {LOCALE_IDEFAULTANSICODEPAGE, "65001", "65001"},  // and its ANSI one (GetACP)
    {LOCALE_IDEFAULTMACCODEPAGE, "65001", "65001"},
    {LOCALE_SLIST, ",", ","},
    {LOCALE_IMEASURE, "1", "0"},
    {LOCALE_SDECIMAL, ".", "."},
    {LOCALE_STHOUSAND, ",", ","},
    {LOCALE_SGROUPING, "3;0", "3;0"},
    {LOCALE_IDIGITS, "2", "2"},
    {LOCALE_ILZERO, "1", "1"},
    {LOCALE_INEGNUMBER, "1", "1"},
    {LOCALE_SNATIVEDIGITS, "0123456789", "0123456789"},
    {LOCALE_SCURRENCY, "$", "\xC2\xA4"},
    {LOCALE_SINTLSYMBOL, "USD", "XDR"},
    {LOCALE_SMONDECIMALSEP, ".", "."},
    {LOCALE_SMONTHOUSANDSEP, ",", ","},
    {LOCALE_SMONGROUPING, "3;0", "3;0"},
    {LOCALE_ICURRDIGITS, "2", "2"},
    {LOCALE_IINTLCURRDIGITS, "2", "2"},
    {LOCALE_ICURRENCY, "0", "0"},
    {LOCALE_INEGCURR, "0", "0"},
    {LOCALE_SPOSITIVESIGN, "", "+"},
    {LOCALE_SNEGATIVESIGN, "-", "-"},
    {LOCALE_SDATE, "/", "/"},
    {LOCALE_STIME, ":", ":"},
    {LOCALE_SSHORTDATE, "M/d/yyyy", "MM/dd/yyyy"},
    {LOCALE_SLONGDATE, "dddd, MMMM d, yyyy", "dddd, dd MMMM yyyy"},
    {LOCALE_SYEARMONTH, "MMMM yyyy", "yyyy MMMM"},
    {LOCALE_SMONTHDAY, "MMMM d", "MMMM dd"},
    {LOCALE_STIMEFORMAT, "h:mm:ss tt", "HH:mm:ss"},
    {LOCALE_SSHORTTIME, "h:mm tt", "HH:mm"},
    {LOCALE_IDATE, "0", "0"},
    {LOCALE_ILDATE, "0", "1"},
    {LOCALE_ITIME, "0", "1"},
    {LOCALE_ITIMEMARKPOSN, "0", "0"},
    {LOCALE_ICENTURY, "1", "1"},
    {LOCALE_ITLZERO, "0", "1"},
    {LOCALE_IDAYLZERO, "0", "1"},
    {LOCALE_IMONLZERO, "0", "1"},
    {LOCALE_S1159, "AM", "AM"},
    {LOCALE_S2359, "PM", "PM"},
    {LOCALE_ICALENDARTYPE, "1", "1"},
    {LOCALE_IFIRSTDAYOFWEEK, "6", "6"},
    {LOCALE_IFIRSTWEEKOFYEAR, "0", "0"},
    {LOCALE_SISO639LANGNAME, "en", "iv"},
    {LOCALE_SISO3166CTRYNAME, "US", "IV"},
    {LOCALE_SNAME, "en-US", ""},
    {LOCALE_SENGLISHLANGUAGENAME, "English", "Invariant Language"},
    {LOCALE_SENGLISHCOUNTRYNAME, "United States", "Invariant Country"},
    {LOCALE_SMONTHNAME13, "", ""},
    {LOCALE_SABBREVMONTHNAME13, "", ""},
};

// Both locales name days and months in English. Windows numbers the days from Monday
// (LOCALE_SDAYNAME1), SYSTEMTIME from Sunday (wDayOfWeek 0).
constexpr const char* kDays[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr const char* kMonths[12] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};

// The numeric LCTYPEs (LOCALE_RETURN_NUMBER takes these alone): the "I" ones.
bool numeric_type(LCTYPE type)
{
    switch (type) {
    case LOCALE_ILANGUAGE: case LOCALE_ICOUNTRY: case LOCALE_IDEFAULTLANGUAGE: case LOCALE_IDEFAULTCOUNTRY:
    case LOCALE_IDEFAULTCODEPAGE: case LOCALE_IDEFAULTANSICODEPAGE: case LOCALE_IDEFAULTMACCODEPAGE:
    case LOCALE_IMEASURE: case LOCALE_IDIGITS: case LOCALE_ILZERO: case LOCALE_INEGNUMBER:
    case LOCALE_ICURRDIGITS: case LOCALE_IINTLCURRDIGITS: case LOCALE_ICURRENCY: case LOCALE_INEGCURR:
    case LOCALE_IDATE: case LOCALE_ILDATE: case LOCALE_ITIME: case LOCALE_ITIMEMARKPOSN: case LOCALE_ICENTURY:
    case LOCALE_ITLZERO: case LOCALE_IDAYLZERO: case LOCALE_IMONLZERO: case LOCALE_ICALENDARTYPE:
    case LOCALE_IFIRSTDAYOFWEEK: case LOCALE_IFIRSTWEEKOFYEAR:
        return true;
    default:
        return false;
    }
}

// The value of `type` (flags removed) in the locale (invariant or en-US), as UTF-8;
// false for an LCTYPE the library does not know.
bool field_value(bool invariant, LCTYPE type, std::string* value)
{
    if (type >= LOCALE_SDAYNAME1 && type <= LOCALE_SDAYNAME7) {
        *value = kDays[type - LOCALE_SDAYNAME1];
    } else if (type >= LOCALE_SABBREVDAYNAME1 && type <= LOCALE_SABBREVDAYNAME7) {
        *value = std::string(kDays[type - LOCALE_SABBREVDAYNAME1], 3);
    } else if (type >= LOCALE_SSHORTESTDAYNAME1 && type <= LOCALE_SSHORTESTDAYNAME7) {
        *value = std::string(kDays[type - LOCALE_SSHORTESTDAYNAME1], 2);
    } else if (type >= LOCALE_SMONTHNAME1 && type <= LOCALE_SMONTHNAME12) {
        *value = kMonths[type - LOCALE_SMONTHNAME1];
    } else if (type >= LOCALE_SABBREVMONTHNAME1 && type <= LOCALE_SABBREVMONTHNAME12) {
        *value = std::string(kMonths[type - LOCALE_SABBREVMONTHNAME1], 3);
    } else {
        for (const Field& field : kFields) {
            if (field.type == type) {
                *value = invariant ? field.invariant : field.us;
                return true;
            }
        }
        return false;
    }
    return true;
}

Text field_text(bool invariant, LCTYPE type)
{
    std::string value;
    field_value(invariant, type, &value);
    return win32::utf16_from_utf8(value);
}

// The locale an LCID names: true with *invariant set, or false (not a locale here).
bool find_lcid(LCID lcid, bool* invariant)
{
    *invariant = lcid == LOCALE_INVARIANT;
    switch (lcid) {
    case LOCALE_INVARIANT:
    case 0x0409:                          // en-US
    case MAKELANGID(LANG_ENGLISH, 0):     // English neutral: en-US, as on Windows
    case LOCALE_NEUTRAL:
    case LOCALE_USER_DEFAULT:
    case LOCALE_SYSTEM_DEFAULT:
    case LOCALE_CUSTOM_DEFAULT:
    case LOCALE_CUSTOM_UNSPECIFIED:
    case LOCALE_CUSTOM_UI_DEFAULT:
        return true;
    default:
        return false;
    }
}

bool equal_ignoring_case(const WCHAR* name, const char* ascii)
{
    size_t i = 0;
    for (; ascii[i] != 0; ++i) {
        WCHAR c = name[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<WCHAR>(c - 'A' + 'a');
        char a = ascii[i];
        if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
        if (c != static_cast<unsigned char>(a)) return false;
    }
    return name[i] == 0;
}

// The locale a name names (NULL: the user's default, "": the invariant locale).
bool find_name(const WCHAR* name, bool* invariant)
{
    *invariant = name != nullptr && name[0] == 0;
    return name == nullptr || name[0] == 0 || equal_ignoring_case(name, "en-US") ||
           equal_ignoring_case(name, "!x-sys-default-locale");
}

// The answer of the calls that return a string and its size, terminator included: 0 for
// a buffer that is too short (ERROR_INSUFFICIENT_BUFFER); a length of 0 asks for the size.
template <class Char>
int string_out(const std::basic_string<Char>& value, Char* buffer, int size)
{
    int needed = static_cast<int>(value.size()) + 1;
    if (size == 0) return needed;
    if (size < needed) return fail(ERROR_INSUFFICIENT_BUFFER, 0);
    memcpy(buffer, value.data(), value.size() * sizeof(Char));
    buffer[value.size()] = 0;
    return needed;
}

// An LCTYPE without its flags (the high bits; those the library does not know are
// ignored, as Wine does).
LCTYPE type_of(LCTYPE lctype) { return lctype & 0xffff; }

// GetLocaleInfoW's work after the locale: the checks in Windows' order.
int locale_info(bool invariant, LCTYPE lctype, WCHAR* buffer, int size)
{
    if (size < 0 || (size > 0 && buffer == nullptr)) return fail(ERROR_INVALID_PARAMETER, 0);
    LCTYPE type = type_of(lctype);
    std::string value;
    if (!field_value(invariant, type, &value)) return fail(ERROR_INVALID_FLAGS, 0);
    if (lctype & LOCALE_RETURN_GENITIVE_NAMES) {
        // Month names only; English has no genitive forms: the names themselves.
        bool month = (type >= LOCALE_SMONTHNAME1 && type <= LOCALE_SMONTHNAME12) || type == LOCALE_SMONTHNAME13;
        if (!month) return fail(ERROR_INVALID_FLAGS, 0);
    }
    if (lctype & LOCALE_RETURN_NUMBER) {
        // The value as a DWORD in the buffer (two WCHARs).
        if (!numeric_type(type)) return fail(ERROR_INVALID_FLAGS, 0);
        constexpr int kUnits = sizeof(DWORD) / sizeof(WCHAR);
        if (size == 0) return kUnits;
        if (size < kUnits) return fail(ERROR_INSUFFICIENT_BUFFER, 0);
        bool hex = type == LOCALE_ILANGUAGE || type == LOCALE_IDEFAULTLANGUAGE;
        DWORD number = static_cast<DWORD>(strtoul(value.c_str(), nullptr, hex ? 16 : 10));
        memcpy(buffer, &number, sizeof(number));
        return kUnits;
    }
    return string_out(win32::utf16_from_utf8(value), buffer, size);
}

// ---- Dates and times -------------------------------------------------------------------

// The day of the week (0 Sunday) of a valid date, and whether the date is one: the year
// 1601 to 30827, the month 1 to 12, the day within the month. The time of day is not
// looked at (GetDateFormat ignores it).
bool check_date(const SYSTEMTIME& date, int* day_of_week)
{
    SYSTEMTIME day = date;
    day.wHour = day.wMinute = day.wSecond = day.wMilliseconds = 0;
    FILETIME ticks;
    if (!SystemTimeToFileTime(&day, &ticks)) return false;
    FileTimeToSystemTime(&ticks, &day);
    *day_of_week = day.wDayOfWeek;
    return true;
}

bool check_time(const SYSTEMTIME& time)
{
    return time.wHour <= 23 && time.wMinute <= 59 && time.wSecond <= 59 && time.wMilliseconds <= 999;
}

void append_number(Text* out, unsigned value, int digits)
{
    std::string text = std::to_string(value);
    while (static_cast<int>(text.size()) < digits) text.insert(text.begin(), '0');
    out->append(text.begin(), text.end());
}

void append_ascii(Text* out, const std::string& text) { out->append(win32::utf16_from_utf8(text)); }

// A run of `count` copies of picture[*at] (moving *at past it).
int run_length(const Text& picture, size_t* at)
{
    size_t start = *at;
    while (*at < picture.size() && picture[*at] == picture[start]) ++*at;
    return static_cast<int>(*at - start);
}

// A quoted literal starting at picture[*at] (the quote): its text, with '' for a quote;
// an unclosed one runs to the end.
void append_quoted(const Text& picture, size_t* at, Text* out)
{
    ++*at;
    while (*at < picture.size()) {
        if (picture[*at] == '\'') {
            if (*at + 1 < picture.size() && picture[*at + 1] == '\'') {
                out->push_back('\'');
                *at += 2;
                continue;
            }
            ++*at;
            return;
        }
        out->push_back(picture[(*at)++]);
    }
}

// A date picture: d dd (day), ddd (abbreviated day name), dddd... (day name); M MM
// (month), MMM (abbreviated name), MMMM... (name: the genitive form when the picture has a
// day number, which English does not distinguish); y (year in the century, no leading
// zero), yy (two digits), yyy... (the whole year); g gg (the era); anything else, and
// 'quoted' text ('' a quote), as it is.
Text format_date(const Text& picture, const SYSTEMTIME& date, int day_of_week)
{
    Text out;
    size_t at = 0;
    while (at < picture.size()) {
        WCHAR c = picture[at];
        if (c == '\'') {
            append_quoted(picture, &at, &out);
            continue;
        }
        if (c != 'd' && c != 'M' && c != 'y' && c != 'g') {
            out.push_back(c);
            ++at;
            continue;
        }
        int count = run_length(picture, &at);
        switch (c) {
        case 'd':
            if (count <= 2) append_number(&out, date.wDay, count);
            else {
                std::string name = kDays[(day_of_week + 6) % 7];
                append_ascii(&out, count == 3 ? name.substr(0, 3) : name);
            }
            break;
        case 'M':
            if (count <= 2) append_number(&out, date.wMonth, count);
            else {
                std::string name = kMonths[date.wMonth - 1];
                append_ascii(&out, count == 3 ? name.substr(0, 3) : name);
            }
            break;
        case 'y':
            if (count <= 2) append_number(&out, date.wYear % 100, count);
            else append_number(&out, date.wYear, 1);
            break;
        default:  // 'g': the Gregorian calendar's era, once for g or gg
            append_ascii(&out, "A.D.");
            break;
        }
    }
    return out;
}

// A time picture: h hh (12-hour), H HH (24-hour), m mm, s ss (two digits at most
// whatever the run), t (the marker's first letter), tt... (the marker); anything else,
// and 'quoted' text, as it is. A field a flag leaves out (seconds for TIME_NOSECONDS,
// minutes and seconds for TIME_NOMINUTESORSECONDS, the marker for TIME_NOTIMEMARKER)
// takes with it what was written since the last hour, minute or second written, and the
// text after it up to the next field except its spaces (Wine's locale.c
// test_GetTimeFormatA, which passes on Windows).
Text format_time(bool invariant, const Text& picture, const SYSTEMTIME& time, DWORD flags)
{
    Text out;
    size_t kept = 0;        // the end of the last hour, minute or second written
    bool dropping = false;  // after a field left out, until the next field
    size_t at = 0;
    auto is_field = [](WCHAR c) { return c == 'h' || c == 'H' || c == 'm' || c == 's' || c == 't'; };
    while (at < picture.size()) {
        WCHAR c = picture[at];
        if (!is_field(c)) {
            Text literal;
            if (c == '\'') append_quoted(picture, &at, &literal);
            else literal.push_back(picture[at++]);
            for (WCHAR l : literal)
                if (!dropping || l == ' ') out.push_back(l);
            continue;
        }
        int count = run_length(picture, &at);
        bool drop = (c == 's' && (flags & (TIME_NOSECONDS | TIME_NOMINUTESORSECONDS))) ||
                    (c == 'm' && (flags & TIME_NOMINUTESORSECONDS)) || (c == 't' && (flags & TIME_NOTIMEMARKER));
        if (drop) {
            out.resize(kept);
            dropping = true;
            continue;
        }
        dropping = false;
        int digits = count > 2 ? 2 : count;
        switch (c) {
        case 'h':
        case 'H':
            if (c == 'H' || (flags & TIME_FORCE24HOURFORMAT)) append_number(&out, time.wHour, digits);
            else append_number(&out, time.wHour % 12 == 0 ? 12 : time.wHour % 12, digits);
            kept = out.size();
            break;
        case 'm':
            append_number(&out, time.wMinute, digits);
            kept = out.size();
            break;
        case 's':
            append_number(&out, time.wSecond, digits);
            kept = out.size();
            break;
        default: {  // 't'
            Text marker = field_text(invariant, time.wHour < 12 ? LOCALE_S1159 : LOCALE_S2359);
            out.append(count == 1 ? marker.substr(0, 1) : marker);
            break;
        }
        }
    }
    return out;
}

constexpr DWORD kDatePictureFlags = DATE_SHORTDATE | DATE_LONGDATE | DATE_YEARMONTH | DATE_MONTHDAY;

// GetDateFormatW's work once the locale is known (`known` false: no such locale), the
// checks in Windows' order (Wine's locale.c tests): the buffer, the locale, the flags
// (a picture takes none of those that choose one), the date. `picture` NULL: the
// locale's. Flags the library does not know are ignored, as Wine does. Fails with 0 and
// the last error, or gives the text.
bool date_text(bool known, bool invariant, DWORD flags, const SYSTEMTIME* date, const Text* picture, Text* out)
{
    if (!known) return fail(ERROR_INVALID_PARAMETER, false);
    DWORD chosen = flags & kDatePictureFlags;
    if ((chosen & (chosen - 1)) || (picture != nullptr && (chosen || (flags & LOCALE_NOUSEROVERRIDE))))
        return fail(ERROR_INVALID_FLAGS, false);
    SYSTEMTIME now;
    if (date == nullptr) {
        GetLocalTime(&now);
        date = &now;
    }
    int day_of_week;
    if (!check_date(*date, &day_of_week)) return fail(ERROR_INVALID_PARAMETER, false);
    LCTYPE type = chosen == DATE_LONGDATE    ? LOCALE_SLONGDATE
                  : chosen == DATE_YEARMONTH ? LOCALE_SYEARMONTH
                  : chosen == DATE_MONTHDAY  ? LOCALE_SMONTHDAY
                                             : LOCALE_SSHORTDATE;
    *out = format_date(picture != nullptr ? *picture : field_text(invariant, type), *date, day_of_week);
    return true;
}

bool time_text(bool known, bool invariant, DWORD flags, const SYSTEMTIME* time, const Text* picture, Text* out)
{
    if (!known) return fail(ERROR_INVALID_PARAMETER, false);
    if (picture != nullptr && (flags & LOCALE_NOUSEROVERRIDE))
        return fail(ERROR_INVALID_FLAGS, false);
    SYSTEMTIME now;
    if (time == nullptr) {
        GetLocalTime(&now);
        time = &now;
    }
    if (!check_time(*time)) return fail(ERROR_INVALID_PARAMETER, false);
    *out = format_time(invariant, picture != nullptr ? *picture : field_text(invariant, LOCALE_STIMEFORMAT), *time,
                       flags);
    return true;
}

using Formatter = bool (*)(bool, bool, DWORD, const SYSTEMTIME*, const Text*, Text*);

int format_w(Formatter formatter, bool known, bool invariant, DWORD flags, const SYSTEMTIME* when,
             const WCHAR* picture, WCHAR* buffer, int size)
{
    if (size < 0 || (size > 0 && buffer == nullptr)) return fail(ERROR_INVALID_PARAMETER, 0);
    Text given, out;
    if (picture != nullptr) given = picture;
    if (!formatter(known, invariant, flags, when, picture != nullptr ? &given : nullptr, &out)) return 0;
    return string_out(out, buffer, size);
}

int format_lcid(Formatter formatter, LCID lcid, DWORD flags, const SYSTEMTIME* when, const WCHAR* picture,
                WCHAR* buffer, int size)
{
    bool invariant;
    bool known = find_lcid(lcid, &invariant);
    return format_w(formatter, known, invariant, flags, when, picture, buffer, size);
}

int format_name(Formatter formatter, const WCHAR* name, DWORD flags, const SYSTEMTIME* when, const WCHAR* picture,
                WCHAR* buffer, int size)
{
    bool invariant;
    bool known = find_name(name, &invariant);
    return format_w(formatter, known, invariant, flags, when, picture, buffer, size);
}

// The A forms: the picture and the text in UTF-8 (the library's ANSI code page), the
// size in bytes.
int format_a(Formatter formatter, LCID lcid, DWORD flags, const SYSTEMTIME* when, const char* picture, char* buffer,
             int size)
{
    if (size < 0 || (size > 0 && buffer == nullptr)) return fail(ERROR_INVALID_PARAMETER, 0);
    bool invariant;
    bool known = find_lcid(lcid, &invariant);
    Text given, out;
    if (picture != nullptr) given = win32::utf16_from_utf8(picture, strlen(picture));
    if (!formatter(known, invariant, flags, when, picture != nullptr ? &given : nullptr, &out)) return 0;
    return string_out(win32::utf8_from_utf16(out.c_str()), buffer, size);
}

int default_name(WCHAR* buffer, int size)
{
    if (size < 0 || (size > 0 && buffer == nullptr)) return fail(ERROR_INVALID_PARAMETER, 0);
    return string_out(Text(u"en-US"), buffer, size);
}

}  // namespace

extern "C" {

LCID WINAPI GetUserDefaultLCID(void) { return 0x0409; }
LCID WINAPI GetSystemDefaultLCID(void) { return 0x0409; }
LCID WINAPI GetThreadLocale(void) { return 0x0409; }
LANGID WINAPI GetUserDefaultLangID(void) { return 0x0409; }
LANGID WINAPI GetSystemDefaultLangID(void) { return 0x0409; }
LANGID WINAPI GetUserDefaultUILanguage(void) { return 0x0409; }
LANGID WINAPI GetSystemDefaultUILanguage(void) { return 0x0409; }

int WINAPI GetUserDefaultLocaleName(LPWSTR lpLocaleName, int cchLocaleName)
{
    return default_name(lpLocaleName, cchLocaleName);
}

int WINAPI GetSystemDefaultLocaleName(LPWSTR lpLocaleName, int cchLocaleName)
{
    return default_name(lpLocaleName, cchLocaleName);
}

BOOL WINAPI IsValidLocale(LCID Locale, DWORD)
{
    bool invariant;
    return find_lcid(Locale, &invariant);
}

BOOL WINAPI IsValidLocaleName(LPCWSTR lpLocaleName)
{
    bool invariant;
    return lpLocaleName != nullptr && find_name(lpLocaleName, &invariant);
}

LCID WINAPI LocaleNameToLCID(LPCWSTR lpName, DWORD)
{
    bool invariant;
    if (!find_name(lpName, &invariant)) return fail(ERROR_INVALID_PARAMETER, 0u);
    return invariant ? LOCALE_INVARIANT : 0x0409;
}

int WINAPI LCIDToLocaleName(LCID Locale, LPWSTR lpName, int cchName, DWORD)
{
    bool invariant;
    if (!find_lcid(Locale, &invariant)) return fail(ERROR_INVALID_PARAMETER, 0);
    return locale_info(invariant, LOCALE_SNAME, lpName, cchName);
}

int WINAPI GetLocaleInfoW(LCID Locale, LCTYPE LCType, LPWSTR lpLCData, int cchData)
{
    bool invariant;
    if (!find_lcid(Locale, &invariant)) return fail(ERROR_INVALID_PARAMETER, 0);
    return locale_info(invariant, LCType, lpLCData, cchData);
}

int WINAPI GetLocaleInfoEx(LPCWSTR lpLocaleName, LCTYPE LCType, LPWSTR lpLCData, int cchData)
{
    bool invariant;
    if (!find_name(lpLocaleName, &invariant)) return fail(ERROR_INVALID_PARAMETER, 0);
    return locale_info(invariant, LCType, lpLCData, cchData);
}

// The A form: the value in UTF-8, its size in bytes; a buffer too short gets what fits
// before the failure (Wine's locale.c test_GetLocaleInfoA: programs rely on it on
// Windows); LOCALE_RETURN_NUMBER's DWORD is 4 bytes. LOCALE_RETURN_GENITIVE_NAMES is W
// only (ERROR_INVALID_FLAGS).
int WINAPI GetLocaleInfoA(LCID Locale, LCTYPE LCType, LPSTR lpLCData, int cchData)
{
    bool invariant;
    if (!find_lcid(Locale, &invariant)) return fail(ERROR_INVALID_PARAMETER, 0);
    if (cchData < 0 || (cchData > 0 && lpLCData == nullptr)) return fail(ERROR_INVALID_PARAMETER, 0);
    if (LCType & LOCALE_RETURN_GENITIVE_NAMES) return fail(ERROR_INVALID_FLAGS, 0);
    if (LCType & LOCALE_RETURN_NUMBER) {
        DWORD number;
        int units = locale_info(invariant, LCType, cchData == 0 ? nullptr : reinterpret_cast<WCHAR*>(&number),
                                cchData == 0 ? 0 : cchData / static_cast<int>(sizeof(WCHAR)));
        if (units == 0) return 0;
        if (cchData != 0) memcpy(lpLCData, &number, sizeof(number));
        return units * static_cast<int>(sizeof(WCHAR));
    }
    if (locale_info(invariant, LCType, nullptr, 0) == 0) return 0;  // the type's checks
    std::string value;
    field_value(invariant, type_of(LCType), &value);
    int needed = static_cast<int>(value.size()) + 1;
    if (cchData == 0) return needed;
    if (cchData < needed) {
        memcpy(lpLCData, value.data(), static_cast<size_t>(cchData));
        return fail(ERROR_INSUFFICIENT_BUFFER, 0);
    }
    memcpy(lpLCData, value.c_str(), static_cast<size_t>(needed));
    return needed;
}

int WINAPI GetDateFormatW(LCID Locale, DWORD dwFlags, const SYSTEMTIME* lpDate, LPCWSTR lpFormat, LPWSTR lpDateStr,
                          int cchDate)
{
    return format_lcid(date_text, Locale, dwFlags, lpDate, lpFormat, lpDateStr, cchDate);
}

// lpCalendar is reserved: anything but NULL fails with ERROR_INVALID_PARAMETER.
int WINAPI GetDateFormatEx(LPCWSTR lpLocaleName, DWORD dwFlags, const SYSTEMTIME* lpDate, LPCWSTR lpFormat,
                           LPWSTR lpDateStr, int cchDate, LPCWSTR lpCalendar)
{
    if (lpCalendar != nullptr) return fail(ERROR_INVALID_PARAMETER, 0);
    return format_name(date_text, lpLocaleName, dwFlags, lpDate, lpFormat, lpDateStr, cchDate);
}

int WINAPI GetDateFormatA(LCID Locale, DWORD dwFlags, const SYSTEMTIME* lpDate, LPCSTR lpFormat, LPSTR lpDateStr,
                          int cchDate)
{
    return format_a(date_text, Locale, dwFlags, lpDate, lpFormat, lpDateStr, cchDate);
}

int WINAPI GetTimeFormatW(LCID Locale, DWORD dwFlags, const SYSTEMTIME* lpTime, LPCWSTR lpFormat, LPWSTR lpTimeStr,
                          int cchTime)
{
    return format_lcid(time_text, Locale, dwFlags, lpTime, lpFormat, lpTimeStr, cchTime);
}

int WINAPI GetTimeFormatEx(LPCWSTR lpLocaleName, DWORD dwFlags, const SYSTEMTIME* lpTime, LPCWSTR lpFormat,
                           LPWSTR lpTimeStr, int cchTime)
{
    return format_name(time_text, lpLocaleName, dwFlags, lpTime, lpFormat, lpTimeStr, cchTime);
}

int WINAPI GetTimeFormatA(LCID Locale, DWORD dwFlags, const SYSTEMTIME* lpTime, LPCSTR lpFormat, LPSTR lpTimeStr,
                          int cchTime)
{
    return format_a(time_text, Locale, dwFlags, lpTime, lpFormat, lpTimeStr, cchTime);
}

}  // extern "C"
