/* test_locale_format.c: the locale (GetLocaleInfoA/W/Ex and the default LCIDs and names)
 * and the dates and times written by pictures: GetDateFormatA/W/Ex, GetTimeFormatA/W/Ex
 * (the picture letters, quoted text, the flags and the fields they drop, invalid
 * SYSTEMTIMEs, the buffer rules). Facts: docs/research/windows-locale-formats.md (Wine's
 * kernel32 locale.c tests, which pass on Windows, and Microsoft Learn). Every check names
 * en-US (0x0409) or the invariant locale: the library's one locale and Wine's default. */
#include "testlib.h"

#include <string.h>
#include <windows.h>

#define EN_US 0x0409

/* `call` (an A call writing `buffer`) succeeds with `expected` and its size. */
#define CHECK_TEXT(call, buffer, expected)                                               \
    do {                                                                                 \
        SetLastError(0xdeadbeef);                                                        \
        strcpy((buffer), "pristine");                                                    \
        CHECK_EQ((call), strlen(expected) + 1);                                          \
        CHECK(strcmp((buffer), (expected)) == 0 || (printf("  got '%s'\n", (buffer)), 0)); \
        CHECK_ERROR(0xdeadbeef);                                                         \
    } while (0)

/* The same for a W call: the text compared with ASCII `expected`. */
#define CHECK_WTEXT(call, buffer, expected)                                              \
    do {                                                                                 \
        SetLastError(0xdeadbeef);                                                        \
        (buffer)[0] = 'x';                                                               \
        CHECK_EQ((call), strlen(expected) + 1);                                          \
        CHECK(same_ascii((buffer), (expected)));                                         \
        CHECK_ERROR(0xdeadbeef);                                                         \
    } while (0)

static int same_ascii(const WCHAR *text, const char *ascii)
{
    size_t i = 0;
    for (; ascii[i] != 0; ++i)
        if (text[i] != (unsigned char)ascii[i]) break;
    if (ascii[i] == 0 && text[i] == 0) return 1;
    printf("  got '");
    for (i = 0; text[i] != 0 && i < 64; ++i) putchar(text[i] < 128 ? text[i] : '?');
    printf("'\n");
    return 0;
}

/* A SYSTEMTIME (the day of the week left 0, 22 milliseconds). */
#define MAKE_TIME(year, month, day, hour, minute, second) \
    ((SYSTEMTIME){(year), (month), 0, (day), (hour), (minute), (second), 22})

static void test_locale_info(void)
{
    char buffer[128];
    WCHAR wide[128];
    DWORD number;

    TEST("the default locales are English (United States)");
    CHECK_EQ(GetUserDefaultLCID(), EN_US);
    CHECK_EQ(GetSystemDefaultLCID(), EN_US);
    CHECK_EQ(GetThreadLocale(), EN_US);
    CHECK_EQ(MAKELCID(MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), SORT_DEFAULT), EN_US);
    CHECK_WTEXT(GetUserDefaultLocaleName(wide, 128), wide, "en-US");
    CHECK_EQ(GetUserDefaultLocaleName(wide, 6), 6);
    CHECK_FAILS(GetUserDefaultLocaleName(wide, 5), ERROR_INSUFFICIENT_BUFFER);

    TEST("GetLocaleInfoA: en-US's date, time and number fields");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SSHORTDATE, buffer, 128), buffer, "M/d/yyyy");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SLONGDATE, buffer, 128), buffer, "dddd, MMMM d, yyyy");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_STIMEFORMAT, buffer, 128), buffer, "h:mm:ss tt");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SYEARMONTH, buffer, 128), buffer, "MMMM yyyy");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SDAYNAME1, buffer, 128), buffer, "Monday");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SDAYNAME7, buffer, 128), buffer, "Sunday");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SABBREVDAYNAME3, buffer, 128), buffer, "Wed");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SMONTHNAME1, buffer, 128), buffer, "January");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SMONTHNAME12, buffer, 128), buffer, "December");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SABBREVMONTHNAME9, buffer, 128), buffer, "Sep");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SMONTHNAME13, buffer, 128), buffer, "");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_S1159, buffer, 128), buffer, "AM");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_S2359, buffer, 128), buffer, "PM");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SDECIMAL, buffer, 128), buffer, ".");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_STHOUSAND, buffer, 128), buffer, ",");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SGROUPING, buffer, 128), buffer, "3;0");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SNAME, buffer, 128), buffer, "en-US");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_ILANGUAGE, buffer, 128), buffer, "0409");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_ITIME, buffer, 128), buffer, "0");
    CHECK_TEXT(GetLocaleInfoA(EN_US, LOCALE_SLANGUAGE, buffer, 128), buffer, "English (United States)");
    /* the default LCIDs and English neutral are en-US */
    CHECK_TEXT(GetLocaleInfoA(LOCALE_USER_DEFAULT, LOCALE_SNAME, buffer, 128), buffer, "en-US");
    CHECK_TEXT(GetLocaleInfoA(LOCALE_SYSTEM_DEFAULT, LOCALE_SNAME, buffer, 128), buffer, "en-US");
    CHECK_TEXT(GetLocaleInfoA(LOCALE_NEUTRAL, LOCALE_SNAME, buffer, 128), buffer, "en-US");
    CHECK_TEXT(GetLocaleInfoA(LANG_ENGLISH, LOCALE_SNAME, buffer, 128), buffer, "en-US");

    TEST("GetLocaleInfoA: the invariant locale");
    CHECK_TEXT(GetLocaleInfoA(LOCALE_INVARIANT, LOCALE_SSHORTDATE, buffer, 128), buffer, "MM/dd/yyyy");
    CHECK_TEXT(GetLocaleInfoA(LOCALE_INVARIANT, LOCALE_SLONGDATE, buffer, 128), buffer, "dddd, dd MMMM yyyy");
    CHECK_TEXT(GetLocaleInfoA(LOCALE_INVARIANT, LOCALE_STIMEFORMAT, buffer, 128), buffer, "HH:mm:ss");
    CHECK_TEXT(GetLocaleInfoA(LOCALE_INVARIANT, LOCALE_SNAME, buffer, 128), buffer, "");
    CHECK_TEXT(GetLocaleInfoA(LOCALE_INVARIANT, LOCALE_ILANGUAGE, buffer, 128), buffer, "007f");

    TEST("GetLocaleInfoA: a size query, a short buffer gets what fits, bad arguments");
    memset(buffer, 0, sizeof(buffer));
    CHECK_EQ(GetLocaleInfoA(EN_US, LOCALE_NOUSEROVERRIDE | LOCALE_SDAYNAME1, buffer, 0), 7);
    CHECK_EQ(buffer[0], 0);
    CHECK_FAILS(GetLocaleInfoA(EN_US, LOCALE_NOUSEROVERRIDE | LOCALE_SDAYNAME1, buffer, 3), ERROR_INSUFFICIENT_BUFFER);
    CHECK(strcmp(buffer, "Mon") == 0);
    CHECK_FAILS(GetLocaleInfoA(EN_US, LOCALE_SDAYNAME1, NULL, 10), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(GetLocaleInfoA(EN_US, LOCALE_SDAYNAME1, buffer, -1), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(GetLocaleInfoA(0x1234, LOCALE_SDAYNAME1, buffer, 128), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(GetLocaleInfoA(EN_US | 0x10000, LOCALE_SDAYNAME1, buffer, 128), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(GetLocaleInfoA(EN_US, 0, buffer, 128), ERROR_INVALID_FLAGS);
    CHECK_FAILS(GetLocaleInfoA(EN_US, 0x9999, buffer, 128), ERROR_INVALID_FLAGS);
    /* genitive names are for the W form alone */
    CHECK_FAILS(GetLocaleInfoA(EN_US, LOCALE_SMONTHNAME1 | LOCALE_RETURN_GENITIVE_NAMES, buffer, 128),
                ERROR_INVALID_FLAGS);

    TEST("GetLocaleInfoA/W: LOCALE_RETURN_NUMBER gives a DWORD (4 bytes, 2 WCHARs)");
    number = 0;
    CHECK_EQ(GetLocaleInfoA(EN_US, LOCALE_ILANGUAGE | LOCALE_RETURN_NUMBER, (char *)&number, sizeof(number)), 4);
    CHECK_EQ(number, EN_US);
    number = 0;
    CHECK_EQ(GetLocaleInfoW(EN_US, LOCALE_ILANGUAGE | LOCALE_RETURN_NUMBER, (WCHAR *)&number, 2), 2);
    CHECK_EQ(number, EN_US);
    number = 0;
    CHECK_EQ(GetLocaleInfoW(EN_US, LOCALE_IFIRSTDAYOFWEEK | LOCALE_RETURN_NUMBER, (WCHAR *)&number, 2), 2);
    CHECK_EQ(number, 6); /* Sunday */
    CHECK_EQ(GetLocaleInfoW(EN_US, LOCALE_ILANGUAGE | LOCALE_RETURN_NUMBER, NULL, 0), 2);
    CHECK_EQ(GetLocaleInfoA(EN_US, LOCALE_ILANGUAGE | LOCALE_RETURN_NUMBER, NULL, 0), 4);
    CHECK_FAILS(GetLocaleInfoW(EN_US, LOCALE_ILANGUAGE | LOCALE_RETURN_NUMBER, (WCHAR *)&number, 1),
                ERROR_INSUFFICIENT_BUFFER);
    CHECK_FAILS(GetLocaleInfoA(EN_US, LOCALE_ILANGUAGE | LOCALE_RETURN_NUMBER, (char *)&number, 3),
                ERROR_INSUFFICIENT_BUFFER);
    /* a string field has no number */
    CHECK_FAILS(GetLocaleInfoW(EN_US, LOCALE_SDECIMAL | LOCALE_RETURN_NUMBER, (WCHAR *)&number, 2),
                ERROR_INVALID_FLAGS);

    TEST("GetLocaleInfoW/Ex: names; genitive month names are the names in English");
    CHECK_WTEXT(GetLocaleInfoW(EN_US, LOCALE_SMONTHNAME1 | LOCALE_RETURN_GENITIVE_NAMES, wide, 128), wide, "January");
    CHECK_FAILS(GetLocaleInfoW(EN_US, LOCALE_RETURN_GENITIVE_NAMES, wide, 128), ERROR_INVALID_FLAGS);
    CHECK_WTEXT(GetLocaleInfoEx(L"en-US", LOCALE_SLONGDATE, wide, 128), wide, "dddd, MMMM d, yyyy");
    CHECK_WTEXT(GetLocaleInfoEx(L"en-us", LOCALE_SNAME, wide, 128), wide, "en-US");
    CHECK_WTEXT(GetLocaleInfoEx(LOCALE_NAME_USER_DEFAULT, LOCALE_SNAME, wide, 128), wide, "en-US");
    CHECK_WTEXT(GetLocaleInfoEx(L"", LOCALE_STIMEFORMAT, wide, 128), wide, "HH:mm:ss");
    CHECK_FAILS(GetLocaleInfoEx(L"xx-YY", LOCALE_SNAME, wide, 128), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(GetLocaleInfoW(EN_US, LOCALE_SDAYNAME1, wide, 3), ERROR_INSUFFICIENT_BUFFER);
}

static void test_time_format(void)
{
    char buffer[128];
    SYSTEMTIME t;

    TEST("GetTimeFormatA: an invalid time, flags with a picture, buffers");
    memset(&t, 2, sizeof(t));
    strcpy(buffer, "pristine");
    CHECK_FAILS(GetTimeFormatA(EN_US, TIME_FORCE24HOURFORMAT, &t, "tt HH':'mm'@'ss", buffer, 128),
                ERROR_INVALID_PARAMETER);
    CHECK(strcmp(buffer, "pristine") == 0);
    t = MAKE_TIME(2002, 5, 4, 8, 56, 13);
    CHECK_TEXT(GetTimeFormatA(EN_US, TIME_FORCE24HOURFORMAT, &t, "tt HH':'mm'@'ss", buffer, 128), buffer,
               "AM 08:56@13");
    CHECK_FAILS(GetTimeFormatA(EN_US, LOCALE_NOUSEROVERRIDE | TIME_FORCE24HOURFORMAT, &t, "HH", buffer, 128),
                ERROR_INVALID_FLAGS);
    CHECK_FAILS(GetTimeFormatA(EN_US, TIME_FORCE24HOURFORMAT, &t, " HH", buffer, 2), ERROR_INSUFFICIENT_BUFFER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetTimeFormatA(EN_US, TIME_FORCE24HOURFORMAT, &t, "tt HH':'mm'@'ss", NULL, 0), 12);
    strcpy(buffer, "pristine");
    CHECK_EQ(GetTimeFormatA(EN_US, 0, &t, "h:mm", buffer, 0), 5); /* a size of 0 writes nothing */
    CHECK(strcmp(buffer, "pristine") == 0);
    CHECK_ERROR(0xdeadbeef);
    CHECK_FAILS(GetTimeFormatA(EN_US, 0, &t, "h", NULL, 10), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(GetTimeFormatA(EN_US, 0, &t, "h", buffer, -1), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(GetTimeFormatA(0x1234, 0, &t, "h", buffer, 128), ERROR_INVALID_PARAMETER);

    TEST("GetTimeFormatA: the locale's picture and the flags that drop fields");
    CHECK_TEXT(GetTimeFormatA(EN_US, LOCALE_NOUSEROVERRIDE, &t, NULL, buffer, 128), buffer, "8:56:13 AM");
    CHECK_TEXT(GetTimeFormatA(EN_US, LOCALE_NOUSEROVERRIDE | TIME_NOMINUTESORSECONDS, &t, NULL, buffer, 128), buffer,
               "8 AM");
    CHECK_TEXT(GetTimeFormatA(EN_US, TIME_NOMINUTESORSECONDS, &t, "m1s2m3s4", buffer, 128), buffer, "");
    CHECK_TEXT(GetTimeFormatA(EN_US, LOCALE_NOUSEROVERRIDE | TIME_NOSECONDS, &t, NULL, buffer, 128), buffer,
               "8:56 AM");
    CHECK_TEXT(GetTimeFormatA(EN_US, TIME_NOSECONDS, &t, "h:m:s tt", buffer, 128), buffer, "8:56 AM");
    CHECK_TEXT(GetTimeFormatA(EN_US, TIME_NOSECONDS, &t, "h.@:m.@:s.@:tt", buffer, 128), buffer, "8.@:56AM");
    CHECK_TEXT(GetTimeFormatA(EN_US, TIME_NOSECONDS, &t, "s1s2s3", buffer, 128), buffer, "");
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "t/tt", buffer, 128), buffer, "A/AM");
    CHECK_TEXT(GetTimeFormatA(EN_US, TIME_NOTIMEMARKER, &t, "'123'tt", buffer, 128), buffer, "");
    CHECK_TEXT(GetTimeFormatA(LOCALE_INVARIANT, 0, &t, NULL, buffer, 128), buffer, "08:56:13");
    t.wHour = 13;
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "t/tt", buffer, 128), buffer, "P/PM");
    CHECK_TEXT(GetTimeFormatA(EN_US, TIME_NOTIMEMARKER, &t, "h1t2tt3m", buffer, 128), buffer, "156");
    CHECK_TEXT(GetTimeFormatA(EN_US, TIME_FORCE24HOURFORMAT, &t, "h:m:s tt", buffer, 128), buffer, "13:56:13 PM");
    CHECK_TEXT(GetTimeFormatA(EN_US, TIME_FORCE24HOURFORMAT, &t, "h:m:s", buffer, 128), buffer, "13:56:13");

    TEST("GetTimeFormatA: h hh H HH m mm s ss t tt; longer runs; quoted text");
    t.wHour = 14;
    t.wMinute = 5;
    t.wSecond = 3;
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "h hh H HH m mm s ss t tt", buffer, 128), buffer,
               "2 02 14 14 5 05 3 03 P PM");
    t.wHour = 0;
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "h/H/hh/HH", buffer, 128), buffer, "12/0/12/00");
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "h:m:s tt", buffer, 128), buffer, "12:5:3 AM");
    t = MAKE_TIME(2002, 5, 4, 8, 56, 13);
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "h:hh:hhh H:HH:HHH m:mm:mmm M:MM:MMM s:ss:sss S:SS:SSS", buffer, 128),
               buffer, "8:08:08 8:08:08 56:56:56 M:MM:MMM 13:13:13 S:SS:SSS");
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "h 'h' H 'H' HH 'HH' m 'm' s 's' t 't' tt 'tt'", buffer, 128), buffer,
               "8 h 8 H 08 HH 56 m 13 s A t AM tt");
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "'''", buffer, 128), buffer, "'");
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "''''", buffer, 128), buffer, "'");
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "''HHHHHH", buffer, 128), buffer, "08");
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "'''HHHHHH'", buffer, 128), buffer, "'HHHHHH");
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "'''HHHHHH", buffer, 128), buffer, "'HHHHHH");

    TEST("GetTimeFormatA: the time's fields are checked, the date's are not");
    t.wHour = 25;
    CHECK_FAILS(GetTimeFormatA(EN_US, 0, &t, "'123'tt", buffer, 128), ERROR_INVALID_PARAMETER);
    t.wHour = 12;
    t.wMonth = 60;
    CHECK_TEXT(GetTimeFormatA(EN_US, 0, &t, "h:m:s", buffer, 128), buffer, "12:56:13");
    t.wMonth = 5;
    t.wMilliseconds = 1000;
    CHECK_FAILS(GetTimeFormatA(EN_US, 0, &t, "h", buffer, 128), ERROR_INVALID_PARAMETER);
}

static void test_time_format_w(void)
{
    WCHAR buffer[128];
    SYSTEMTIME t = MAKE_TIME(2002, 5, 4, 8, 56, 13);

    TEST("GetTimeFormatW/Ex");
    CHECK_WTEXT(GetTimeFormatW(EN_US, TIME_FORCE24HOURFORMAT, &t, L"tt HH':'mm'@'ss", buffer, 128), buffer,
                "AM 08:56@13");
    CHECK_WTEXT(GetTimeFormatEx(L"en-US", TIME_FORCE24HOURFORMAT, &t, L"tt HH':'mm'@'ss", buffer, 128), buffer,
                "AM 08:56@13");
    CHECK_WTEXT(GetTimeFormatEx(L"en-US", LOCALE_NOUSEROVERRIDE | TIME_NOSECONDS, &t, NULL, buffer, 128), buffer,
                "8:56 AM");
    CHECK_WTEXT(GetTimeFormatEx(NULL, TIME_NOMINUTESORSECONDS, &t, L"m1s2m3s4", buffer, 128), buffer, "");
    CHECK_FAILS(GetTimeFormatEx(L"en-US", LOCALE_NOUSEROVERRIDE, &t, L"HH", buffer, 128), ERROR_INVALID_FLAGS);
    CHECK_FAILS(GetTimeFormatEx(L"en-US", TIME_FORCE24HOURFORMAT, &t, L" tt", buffer, 2), ERROR_INSUFFICIENT_BUFFER);
    CHECK_FAILS(GetTimeFormatEx(L"xx-YY", 0, &t, L"h", buffer, 128), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetTimeFormatW(EN_US, 0, &t, L"h:mm", NULL, 0), 5);
    CHECK_ERROR(0xdeadbeef);
    t.wHour = 25;
    CHECK_FAILS(GetTimeFormatW(EN_US, 0, &t, L"h", buffer, 128), ERROR_INVALID_PARAMETER);
}

static void test_date_format(void)
{
    char buffer[128];
    SYSTEMTIME t;

    TEST("GetDateFormatA: an invalid date, flags with a picture, buffers");
    memset(&t, 2, sizeof(t));
    strcpy(buffer, "pristine");
    CHECK_FAILS(GetDateFormatA(EN_US, 0, &t, "ddd',' MMM dd yy", buffer, 128), ERROR_INVALID_PARAMETER);
    CHECK(strcmp(buffer, "pristine") == 0);
    t.wYear = 2002;
    t.wMonth = 5;
    t.wDay = 4;
    t.wDayOfWeek = 3; /* wrong: ignored */
    CHECK_TEXT(GetDateFormatA(EN_US, 0, &t, "ddd',' MMM dd yy", buffer, 128), buffer, "Sat, May 04 02");
    CHECK_FAILS(GetDateFormatA(EN_US, LOCALE_NOUSEROVERRIDE, &t, "ddd',' MMM dd yy", buffer, 128),
                ERROR_INVALID_FLAGS);
    t.wHour = 36; /* the time is not looked at */
    CHECK_TEXT(GetDateFormatA(EN_US, 0, &t, "ddd',' MMM dd ''''yy", buffer, 128), buffer, "Sat, May 04 '02");
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetDateFormatA(EN_US, 0, &t, "ddd',' MMM dd ''''yy", NULL, 0), 16);
    CHECK_ERROR(0xdeadbeef);
    CHECK_FAILS(GetDateFormatA(EN_US, 0, &t, "ddd", buffer, 2), ERROR_INSUFFICIENT_BUFFER);
    CHECK_FAILS(GetDateFormatA(EN_US, 0, &t, "dddd", buffer, 8), ERROR_INSUFFICIENT_BUFFER);
    CHECK_FAILS(GetDateFormatA(0x1234, 0, &t, "d", buffer, 128), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(GetDateFormatA(EN_US, 0, &t, "d", buffer, -1), ERROR_INVALID_PARAMETER);
    CHECK_TEXT(GetDateFormatA(EN_US, 0, &t, "", buffer, 128), buffer, "");

    TEST("GetDateFormatA: the locale's pictures");
    CHECK_TEXT(GetDateFormatA(EN_US, LOCALE_NOUSEROVERRIDE, &t, NULL, buffer, 128), buffer, "5/4/2002");
    CHECK_TEXT(GetDateFormatA(EN_US, LOCALE_NOUSEROVERRIDE | DATE_LONGDATE, &t, NULL, buffer, 128), buffer,
               "Saturday, May 4, 2002");
    CHECK_TEXT(GetDateFormatA(EN_US, DATE_YEARMONTH, &t, NULL, buffer, 128), buffer, "May 2002");
    CHECK_TEXT(GetDateFormatA(LOCALE_USER_DEFAULT, DATE_SHORTDATE, &t, NULL, buffer, 128), buffer, "5/4/2002");
    CHECK_TEXT(GetDateFormatA(LOCALE_INVARIANT, 0, &t, NULL, buffer, 128), buffer, "05/04/2002");
    CHECK_TEXT(GetDateFormatA(LOCALE_INVARIANT, DATE_LONGDATE, &t, NULL, buffer, 128), buffer,
               "Saturday, 04 May 2002");
    CHECK_TEXT(GetDateFormatA(LOCALE_INVARIANT, DATE_YEARMONTH, &t, NULL, buffer, 128), buffer, "2002 May");
    CHECK_FAILS(GetDateFormatA(EN_US, LOCALE_NOUSEROVERRIDE | DATE_YEARMONTH, &t, "ddd',' MMM dd ''''yy", buffer, 128),
                ERROR_INVALID_FLAGS);
    CHECK_FAILS(GetDateFormatA(EN_US, DATE_YEARMONTH | DATE_SHORTDATE | DATE_LONGDATE, &t, "m/d/y", buffer, 128),
                ERROR_INVALID_FLAGS);
    CHECK_FAILS(GetDateFormatA(EN_US, DATE_LONGDATE | DATE_YEARMONTH, &t, NULL, buffer, 128), ERROR_INVALID_FLAGS);

    TEST("GetDateFormatA: d dd ddd dddd, M MM MMM MMMM, yy yyyy; other letters and quoted text as they are");
    CHECK_TEXT(GetDateFormatA(EN_US, 0, &t, "d|dd|ddd|dddd|ddddd", buffer, 128), buffer,
               "4|04|Sat|Saturday|Saturday");
    CHECK_TEXT(GetDateFormatA(EN_US, 0, &t, "M|MM|MMM|MMMM|MMMMM", buffer, 128), buffer, "5|05|May|May|May");
    CHECK_TEXT(GetDateFormatA(EN_US, 0, &t, "yy|yyyy|yyyyy", buffer, 128), buffer, "02|2002|2002");
    CHECK_TEXT(GetDateFormatA(EN_US, 0, &t, "h H m s t tt D Y", buffer, 128), buffer, "h H m s t tt D Y");
    CHECK_TEXT(GetDateFormatA(EN_US, 0, &t, "'abc''def' '' 'open", buffer, 128), buffer, "abc'def  open");
    /* a month name after a day number (the genitive form) is the name in English */
    CHECK_TEXT(GetDateFormatA(EN_US, 0, &t, "d MMMM", buffer, 128), buffer, "4 May");
    WINE_DEVIATION("Wine writes \"y\" with two digits (02)")
    {
        CHECK_TEXT(GetDateFormatA(EN_US, 0, &t, "y", buffer, 128), buffer, "2");
    }
}

static void test_date_format_w(void)
{
    WCHAR buffer[128];
    SYSTEMTIME t, now;
    char year[8], text[16];

    TEST("GetDateFormatW/Ex: flags with a picture, a NULL buffer, the reserved argument");
    CHECK_FAILS(GetDateFormatW(LOCALE_SYSTEM_DEFAULT, DATE_LONGDATE, NULL, L"", buffer, 128), ERROR_INVALID_FLAGS);
    CHECK_FAILS(GetDateFormatW(EN_US, 0, NULL, L"", NULL, 128), ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetDateFormatW(EN_US, 0, NULL, L"", NULL, 0), 1);
    CHECK_ERROR(0xdeadbeef);
    CHECK_FAILS(GetDateFormatEx(L"en-US", DATE_LONGDATE, NULL, L"", buffer, 128, NULL), ERROR_INVALID_FLAGS);
    CHECK_FAILS(GetDateFormatEx(L"en-US", DATE_LONGDATE | DATE_SHORTDATE, NULL, L"", NULL, 0, NULL),
                ERROR_INVALID_FLAGS);
    CHECK_FAILS(GetDateFormatEx(L"xx-YY", 0, NULL, L"d", buffer, 128, NULL), ERROR_INVALID_PARAMETER);

    TEST("GetDateFormatW/Ex: the day of the week from the date; 1601 is the first year");
    t = MAKE_TIME(2002, 10, 23, 65432, 34512, 65535);
    t.wDayOfWeek = 45612;
    t.wMilliseconds = 12345;
    CHECK_WTEXT(GetDateFormatW(EN_US, 0, &t, L"dddd d MMMM yyyy", buffer, 128), buffer, "Wednesday 23 October 2002");
    CHECK_WTEXT(GetDateFormatEx(L"en-US", 0, &t, L"dddd d MMMM yyyy", buffer, 128, NULL), buffer,
                "Wednesday 23 October 2002");
    CHECK_FAILS(GetDateFormatEx(L"en-US", 0, &t, L"dddd d MMMM yyyy", buffer, 128, L""), ERROR_INVALID_PARAMETER);
    t = MAKE_TIME(1601, 1, 1, 0, 0, 0);
    CHECK_WTEXT(GetDateFormatW(EN_US, 0, &t, L"dddd d MMMM yyyy", buffer, 128), buffer, "Monday 1 January 1601");
    t = MAKE_TIME(1600, 12, 31, 23, 59, 59);
    CHECK_FAILS(GetDateFormatW(EN_US, 0, &t, L"dddd d MMMM yyyy", buffer, 128), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(GetDateFormatEx(NULL, 0, &t, L"dddd d MMMM yyyy", buffer, 128, NULL), ERROR_INVALID_PARAMETER);

    TEST("GetDateFormat/GetTimeFormat: no SYSTEMTIME is the local time now");
    GetLocalTime(&now);
    CHECK_EQ(GetDateFormatA(EN_US, 0, NULL, "yyyy", year, sizeof(year)), 5);
    CHECK_EQ(GetDateFormatA(EN_US, 0, &now, "yyyy", text, sizeof(text)), 5);
    CHECK(strcmp(year, text) == 0);
    CHECK(GetTimeFormatA(EN_US, 0, NULL, NULL, text, sizeof(text)) > 0);
    CHECK(GetDateFormatEx(NULL, DATE_LONGDATE, NULL, NULL, buffer, 128, NULL) > 0);
}

int main(void)
{
    test_locale_info();
    test_time_format();
    test_time_format_w();
    test_date_format();
    test_date_format_w();
    return tl_finish();
}
