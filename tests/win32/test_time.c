/* test_time.c: calendar time: SYSTEMTIME and FILETIME (GetSystemTime, GetLocalTime,
 * SystemTimeToFileTime, FileTimeToSystemTime, FileTimeToLocalFileTime,
 * LocalFileTimeToFileTime, CompareFileTime, GetSystemTimePreciseAsFileTime) and time zones
 * (GetTimeZoneInformation, SystemTimeToTzSpecificLocalTime,
 * TzSpecificLocalTimeToSystemTime), MS-DOS dates and times (FileTimeToDosDateTime,
 * DosDateTimeToFileTime), QueryUnbiasedInterruptTime, GetDynamicTimeZoneInformation,
 * GetTimeZoneInformationForYear, GetSystemTimeAdjustment, SetSystemTime, SetLocalTime.
 *
 * Facts: Microsoft Learn (FILETIME: 100-nanosecond intervals since January 1, 1601 UTC;
 * SYSTEMTIME: wDayOfWeek 0 is Sunday, "the wDayOfWeek member is ignored" by
 * SystemTimeToFileTime, fields out of range fail; FileTimeToSystemTime: a value less than
 * 0x8000000000000000, "otherwise, the function fails"; FileTimeToLocalFileTime uses the
 * current time zone and daylight saving settings). 1970-01-01 is 116444736000000000 ticks
 * (the Unix epoch as a FILETIME). TIME_ZONE_INFORMATION: UTC = local time + Bias (+
 * DaylightBias in daylight saving time); DaylightDate and StandardDate with wYear 0 are
 * yearly rules (the wDay-th wDayOfWeek of wMonth, 5 the last), DaylightDate in local
 * standard time, StandardDate in local daylight time. Wine's conformance tests
 * (dlls/kernel32/tests/time.c, passing on Windows): TzSpecificLocalTimeToSystemTime takes
 * the repeated hour as daylight saving time ends, and the skipped one as it begins, as
 * daylight time (test_TzSpecificLocalTimeToSystemTime); a zone without transition dates
 * converts with Bias alone, its StandardBias unused (test_GetTimeZoneInformation).
 * SystemTimeToTzSpecificLocalTime with NULL uses "the currently active time zone"
 * (Microsoft Learn), whose rules may be wrong for another year ("may calculate the local
 * time incorrectly" when the offsets differ between years; history is
 * SystemTimeToTzSpecificLocalTimeEx's). A converted time before 1601 has no SYSTEMTIME:
 * the conversion fails as FileTimeToSystemTime does (Wine's, which converts through it,
 * fails so; the alternative is a wrapped year). CTest also runs this program with
 * TZ=America/New_York (test_time_new_york), a zone whose rules changed in 2007, with
 * TZ=Europe/Dublin (test_time_dublin: tzdata's daylight time is the Irish winter's, Windows'
 * zone for Ireland, GMT Standard Time, has Bias 0, DaylightBias -60 and daylight time from
 * March, its registry data says) and TZ=Asia/Kolkata (test_time_kolkata: Windows' zones
 * without daylight saving time have DaylightBias -60 all the same: their registry data;
 * Wine's test_GetTimeZoneInformationForYear, Altai Standard Time in 2017), and with
 * TZ=America/Havana (test_time_havana: Cuba's daylight time begins at midnight, Windows'
 * rule the second Sunday of March at 00:00, not the Saturday before) and with
 * TZ=Asia/Barnaul (test_time_barnaul: a year whose offset changes once, Altai's 2016).
 * MS-DOS dates (Microsoft Learn, FileTimeToDosDateTime): 7 bits of year from 1980, 4 of
 * month, 5 of day; the time in two-second steps; the range is 1980-01-01 to 2107-12-31 and
 * the conversion fails outside it. Wine's test_FileTimeToDosDateTime (passing on Windows):
 * a NULL output is ERROR_INVALID_PARAMETER; test_QueryUnbiasedInterruptTime: NULL is
 * ERROR_INVALID_PARAMETER.
 * Wine's test_GetDynamicTimeZoneInformation and test_GetTimeZoneInformationForYear
 * (passing on Windows): the dynamic zone is GetTimeZoneInformation's with a key name; this
 * year's rules with NULL or that zone are GetTimeZoneInformation's; a key name that is no
 * zone fails with ERROR_FILE_NOT_FOUND. The US rules (Energy Policy Act of 2005): daylight
 * saving time from the first Sunday of April to the last of October until 2006, from the
 * second Sunday of March to the first of November since 2007. SetSystemTime and
 * SetLocalTime need the SE_SYSTEMTIME_NAME privilege, "disabled by default" (Microsoft
 * Learn): without it they fail with ERROR_PRIVILEGE_NOT_HELD; a time that is not one is
 * ERROR_INVALID_PARAMETER. GetSystemTimeAdjustment: the increment added at each clock
 * interrupt, in 100 ns units (15.625 ms, 156250, on most Windows machines). */
#include "testlib.h"

static ULONGLONG ticks(const FILETIME *time)
{
    return ((ULONGLONG)time->dwHighDateTime << 32) | time->dwLowDateTime;
}

static FILETIME filetime(ULONGLONG value)
{
    FILETIME time;
    time.dwLowDateTime = (DWORD)value;
    time.dwHighDateTime = (DWORD)(value >> 32);
    return time;
}

static SYSTEMTIME date(WORD year, WORD month, WORD day, WORD hour, WORD minute, WORD second, WORD ms)
{
    SYSTEMTIME t;
    memset(&t, 0, sizeof t);
    t.wYear = year;
    t.wMonth = month;
    t.wDay = day;
    t.wHour = hour;
    t.wMinute = minute;
    t.wSecond = second;
    t.wMilliseconds = ms;
    return t;
}

static void test_conversions(void)
{
    SYSTEMTIME t, back;
    FILETIME ft;

    TEST("SystemTimeToFileTime and FileTimeToSystemTime: the epoch, 1970, a leap day, the day of the week");
    t = date(1601, 1, 1, 0, 0, 0, 0);
    CHECK(SystemTimeToFileTime(&t, &ft));
    CHECK(ticks(&ft) == 0);
    t = date(1970, 1, 1, 0, 0, 0, 0);
    CHECK(SystemTimeToFileTime(&t, &ft));
    CHECK(ticks(&ft) == 116444736000000000ULL);
    ft = filetime(0);
    CHECK(FileTimeToSystemTime(&ft, &back));
    CHECK_EQ(back.wYear, 1601);
    CHECK_EQ(back.wMonth, 1);
    CHECK_EQ(back.wDay, 1);
    CHECK_EQ(back.wDayOfWeek, 1); /* a Monday */
    /* 2000-02-29 12:34:56.789, a Tuesday; the day of the week given is ignored. */
    t = date(2000, 2, 29, 12, 34, 56, 789);
    t.wDayOfWeek = 6;
    CHECK(SystemTimeToFileTime(&t, &ft));
    CHECK(ticks(&ft) == 125963012967890000ULL);
    memset(&back, 0xcc, sizeof back);
    CHECK(FileTimeToSystemTime(&ft, &back));
    CHECK_EQ(back.wYear, 2000);
    CHECK_EQ(back.wMonth, 2);
    CHECK_EQ(back.wDay, 29);
    CHECK_EQ(back.wDayOfWeek, 2);
    CHECK_EQ(back.wHour, 12);
    CHECK_EQ(back.wMinute, 34);
    CHECK_EQ(back.wSecond, 56);
    CHECK_EQ(back.wMilliseconds, 789);
    /* Ticks below a millisecond are dropped. */
    ft = filetime(ticks(&ft) + 9999);
    CHECK(FileTimeToSystemTime(&ft, &back));
    CHECK_EQ(back.wMilliseconds, 789);
    /* The last day of a year and the first of the next. */
    t = date(2023, 12, 31, 23, 59, 59, 999);
    CHECK(SystemTimeToFileTime(&t, &ft));
    ft = filetime(ticks(&ft) + 10000);
    CHECK(FileTimeToSystemTime(&ft, &back));
    CHECK_EQ(back.wYear, 2024);
    CHECK_EQ(back.wMonth, 1);
    CHECK_EQ(back.wDay, 1);
    CHECK_EQ(back.wHour, 0);
    CHECK_EQ(back.wDayOfWeek, 1); /* 2024-01-01 was a Monday */
}

static void test_invalid(void)
{
    SYSTEMTIME t, out;
    FILETIME ft;
    const SYSTEMTIME bad[] = {
        date(2020, 13, 1, 0, 0, 0, 0), date(2020, 0, 1, 0, 0, 0, 0),   date(2020, 4, 31, 0, 0, 0, 0),
        date(2020, 1, 0, 0, 0, 0, 0),  date(2020, 1, 1, 24, 0, 0, 0),  date(2020, 1, 1, 0, 60, 0, 0),
        date(2020, 1, 1, 0, 0, 60, 0), date(2020, 1, 1, 0, 0, 0, 1000), date(1600, 12, 31, 0, 0, 0, 0),
    };
    size_t i;

    TEST("SystemTimeToFileTime refuses fields out of range; FileTimeToSystemTime a time of 2^63 or more");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        SetLastError(0xdeadbeef);
        CHECK(!SystemTimeToFileTime(&bad[i], &ft));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    t = date(2000, 2, 29, 0, 0, 0, 0); /* 2000 is a leap year */
    CHECK(SystemTimeToFileTime(&t, &ft));
    ft = filetime(0x8000000000000000ULL);
    SetLastError(0xdeadbeef);
    CHECK(!FileTimeToSystemTime(&ft, &out));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    ft = filetime(0x7fffffffffffffffULL);
    CHECK(FileTimeToSystemTime(&ft, &out));
    CHECK_EQ(out.wYear, 30828);
}

static void test_now(void)
{
    FILETIME now, precise, from_system, from_local, local_now, back;
    SYSTEMTIME utc, local;
    LONGLONG difference;

    TEST("GetSystemTime and GetLocalTime agree with GetSystemTimeAsFileTime and the local conversions");
    GetSystemTimeAsFileTime(&now);
    GetSystemTime(&utc);
    GetLocalTime(&local);
    GetSystemTimePreciseAsFileTime(&precise);
    CHECK(SystemTimeToFileTime(&utc, &from_system));
    /* Within 2 s, less the milliseconds' truncation (a SYSTEMTIME has no finer unit). */
    difference = (LONGLONG)(ticks(&from_system) - ticks(&now));
    CHECK(difference > -10000 && difference < 20000000);
    difference = (LONGLONG)(ticks(&precise) - ticks(&now));
    CHECK(difference >= 0 && difference < 20000000);
    CHECK(FileTimeToLocalFileTime(&now, &local_now));
    CHECK(SystemTimeToFileTime(&local, &from_local));
    difference = (LONGLONG)(ticks(&from_local) - ticks(&local_now));
    CHECK(difference > -10000 && difference < 20000000);
    CHECK(LocalFileTimeToFileTime(&local_now, &back));
    CHECK(ticks(&back) == ticks(&now));
    CHECK(utc.wDayOfWeek <= 6);
    CHECK(utc.wYear >= 2024);
}

static void test_compare(void)
{
    FILETIME a = filetime(5), b = filetime(0x100000004ULL), c = filetime(5);

    TEST("CompareFileTime");
    CHECK_EQ(CompareFileTime(&a, &b), -1);
    CHECK_EQ(CompareFileTime(&b, &a), 1);
    CHECK_EQ(CompareFileTime(&a, &c), 0);
}

static SYSTEMTIME rule(WORD month, WORD weekday, WORD occurrence, WORD hour)
{
    SYSTEMTIME t;
    memset(&t, 0, sizeof t);
    t.wMonth = month;
    t.wDayOfWeek = weekday;
    t.wDay = occurrence;
    t.wHour = hour;
    return t;
}

static int local_is(const TIME_ZONE_INFORMATION *zone, SYSTEMTIME utc, WORD day, WORD hour, WORD minute)
{
    SYSTEMTIME local;
    if (!SystemTimeToTzSpecificLocalTime(zone, &utc, &local)) return 0;
    if (local.wDay != day || local.wHour != hour || local.wMinute != minute) {
        printf("  got %02u %02u:%02u\n", local.wDay, local.wHour, local.wMinute);
        return 0;
    }
    return 1;
}

static void test_zones(void)
{
    const char *tz = getenv("TZ");
    TIME_ZONE_INFORMATION europe, south, current;
    SYSTEMTIME utc, local, from_zone, back;
    FILETIME a, b;
    DWORD id;
    LONG bias;
    LONGLONG difference;

    TEST("time zones: yearly rules in both hemispheres, the conversions both ways, the current zone");
    memset(&europe, 0, sizeof europe);
    europe.Bias = -60; /* UTC+1, daylight saving time UTC+2 from the last Sunday of March
                          02:00 to the last Sunday of October 03:00 */
    europe.DaylightBias = -60;
    europe.DaylightDate = rule(3, 0, 5, 2);
    europe.StandardDate = rule(10, 0, 5, 3);
    CHECK(local_is(&europe, date(2024, 1, 15, 12, 0, 0, 0), 15, 13, 0));
    CHECK(local_is(&europe, date(2024, 7, 15, 12, 0, 0, 0), 15, 14, 0));
    CHECK(local_is(&europe, date(2024, 3, 31, 0, 59, 0, 0), 31, 1, 59)); /* 2024-03-31 01:00 UTC */
    CHECK(local_is(&europe, date(2024, 3, 31, 1, 0, 0, 0), 31, 3, 0));
    CHECK(local_is(&europe, date(2024, 10, 27, 0, 59, 0, 0), 27, 2, 59)); /* 2024-10-27 01:00 UTC */
    CHECK(local_is(&europe, date(2024, 10, 27, 1, 0, 0, 0), 27, 2, 0));
    local = date(2024, 7, 15, 14, 0, 0, 0);
    CHECK(TzSpecificLocalTimeToSystemTime(&europe, &local, &back));
    CHECK_EQ(back.wHour, 12);
    local = date(2024, 1, 15, 13, 0, 0, 0);
    CHECK(TzSpecificLocalTimeToSystemTime(&europe, &local, &back));
    CHECK_EQ(back.wHour, 12);

    memset(&south, 0, sizeof south);
    south.Bias = -600; /* UTC+10, daylight saving time from the first Sunday of October */
    south.DaylightBias = -60;
    south.DaylightDate = rule(10, 0, 1, 2);
    south.StandardDate = rule(4, 0, 1, 3);
    CHECK(local_is(&south, date(2024, 1, 15, 0, 0, 0, 0), 15, 11, 0));
    CHECK(local_is(&south, date(2024, 7, 15, 0, 0, 0, 0), 15, 10, 0));

    TEST("TzSpecificLocalTimeToSystemTime: the repeated and the skipped hour are daylight time");
    /* 2024-10-27 02:00-02:59 occurs twice in europe: first as daylight time. */
    local = date(2024, 10, 27, 2, 30, 0, 0);
    CHECK(TzSpecificLocalTimeToSystemTime(&europe, &local, &back));
    CHECK_EQ(back.wDay, 27);
    CHECK_EQ(back.wHour, 0); /* 02:30 UTC+2 */
    CHECK_EQ(back.wMinute, 30);
    local = date(2024, 10, 27, 3, 0, 0, 0); /* standard time again */
    CHECK(TzSpecificLocalTimeToSystemTime(&europe, &local, &back));
    CHECK_EQ(back.wHour, 2);
    local = date(2024, 10, 27, 1, 59, 59, 999);
    CHECK(TzSpecificLocalTimeToSystemTime(&europe, &local, &back));
    CHECK_EQ(back.wHour, 23); /* 2024-10-26 23:59:59.999 UTC */
    CHECK_EQ(back.wDay, 26);
    /* 2024-03-31 02:00-02:59 does not occur: taken as daylight time too. */
    local = date(2024, 3, 31, 2, 30, 0, 0);
    CHECK(TzSpecificLocalTimeToSystemTime(&europe, &local, &back));
    CHECK_EQ(back.wHour, 0);
    CHECK_EQ(back.wMinute, 30);
    local = date(2024, 3, 31, 1, 59, 0, 0);
    CHECK(TzSpecificLocalTimeToSystemTime(&europe, &local, &back));
    CHECK_EQ(back.wHour, 0);
    CHECK_EQ(back.wMinute, 59);
    /* The southern zone's repeated hour: 2024-04-07 02:00-02:59 (ends at 03:00). */
    local = date(2024, 4, 7, 2, 30, 0, 0);
    CHECK(TzSpecificLocalTimeToSystemTime(&south, &local, &back));
    CHECK_EQ(back.wDay, 6);
    CHECK_EQ(back.wHour, 15); /* 02:30 UTC+11 */
    local = date(2024, 4, 7, 3, 0, 0, 0);
    CHECK(TzSpecificLocalTimeToSystemTime(&south, &local, &back));
    CHECK_EQ(back.wHour, 17); /* 03:00 UTC+10 */

    TEST("time zones: without transition dates, Bias alone");
    memset(&current, 0, sizeof current);
    current.Bias = 60;
    current.StandardBias = -123;
    current.DaylightBias = 456;
    CHECK(local_is(&current, date(2024, 6, 1, 12, 0, 0, 0), 1, 11, 0));
    local = date(2024, 6, 1, 12, 0, 0, 0);
    CHECK(TzSpecificLocalTimeToSystemTime(&current, &local, &back));
    CHECK_EQ(back.wHour, 13);
    CHECK_EQ(back.wMinute, 0);

    id = GetTimeZoneInformation(&current);
    CHECK(id == TIME_ZONE_ID_UNKNOWN || id == TIME_ZONE_ID_STANDARD || id == TIME_ZONE_ID_DAYLIGHT);
    GetSystemTime(&utc);
    GetLocalTime(&local);
    CHECK(SystemTimeToTzSpecificLocalTime(NULL, &utc, &from_zone));
    CHECK(SystemTimeToFileTime(&local, &a) && SystemTimeToFileTime(&from_zone, &b));
    difference = (LONGLONG)(ticks(&b) - ticks(&a));
    if (tz != NULL && strcmp(tz, "Europe/Dublin") == 0) {
        WINE_DEVIATION("Wine finds no Windows zone for Europe/Dublin: its rules are Irish summer time all year")
        {
            CHECK(difference > -20000000 && difference < 20000000);
        }
    } else {
        CHECK(difference > -20000000 && difference < 20000000);
    }
    /* The bias in effect now is the one between the two clocks. */
    bias = current.Bias + (id == TIME_ZONE_ID_DAYLIGHT ? current.DaylightBias : current.StandardBias);
    CHECK(SystemTimeToFileTime(&utc, &a));
    difference = (LONGLONG)(ticks(&b) - ticks(&a)) + (LONGLONG)bias * 600000000;
    CHECK(difference > -20000000 && difference < 20000000);
}

static int same_time(const SYSTEMTIME *a, const SYSTEMTIME *b)
{
    return a->wYear == b->wYear && a->wMonth == b->wMonth && a->wDay == b->wDay && a->wHour == b->wHour &&
           a->wMinute == b->wMinute && a->wSecond == b->wSecond && a->wMilliseconds == b->wMilliseconds;
}

typedef BOOL(WINAPI *zone_conversion)(const TIME_ZONE_INFORMATION *, const SYSTEMTIME *, LPSYSTEMTIME);

/* `convert` in `zone`, 10 hours behind its input: 1601-01-01 09:59 has no result,
   10:00 is the first moment (1601-01-01 00:00). */
static void first_moment_after(zone_conversion convert, const TIME_ZONE_INFORMATION *zone)
{
    SYSTEMTIME in = date(1601, 1, 1, 9, 59, 0, 0), out;

    SetLastError(0xdeadbeef);
    CHECK(!convert(zone, &in, &out));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    in = date(1601, 1, 1, 10, 0, 0, 0);
    CHECK(convert(zone, &in, &out));
    CHECK(out.wYear == 1601 && out.wMonth == 1 && out.wDay == 1 && out.wHour == 0 && out.wMinute == 0);
}

static void test_zone_edges(void)
{
    TIME_ZONE_INFORMATION west, east, current;
    SYSTEMTIME local, back, with_zone;
    const SYSTEMTIME noons[] = {date(2005, 3, 20, 12, 0, 0, 0), date(2005, 10, 31, 12, 0, 0, 0),
                                date(1990, 7, 1, 12, 0, 0, 0),  date(2024, 1, 15, 12, 0, 0, 0),
                                date(2024, 7, 15, 12, 0, 0, 0), date(2040, 3, 20, 12, 0, 0, 0)};
    size_t i;

    TEST("time zones: a converted time before 1601 fails with ERROR_INVALID_PARAMETER");
    memset(&west, 0, sizeof west);
    west.Bias = 600; /* UTC-10 */
    east = west;
    east.Bias = -600; /* UTC+10 */
    first_moment_after(SystemTimeToTzSpecificLocalTime, &west);
    first_moment_after(TzSpecificLocalTimeToSystemTime, &east);

    TEST("time zones: NULL is GetTimeZoneInformation's zone in every year, both ways");
    CHECK(GetTimeZoneInformation(&current) != TIME_ZONE_ID_INVALID);
    for (i = 0; i < sizeof noons / sizeof noons[0]; i++) {
        CHECK(SystemTimeToTzSpecificLocalTime(NULL, &noons[i], &local));
        CHECK(SystemTimeToTzSpecificLocalTime(&current, &noons[i], &with_zone));
        CHECK(same_time(&local, &with_zone));
        CHECK(TzSpecificLocalTimeToSystemTime(NULL, &local, &back));
        CHECK(same_time(&back, &noons[i]));
    }
}

#define DOS_DATE(y, m, d) ((WORD)((((y) - 1980) << 9) | ((m) << 5) | (d)))
#define DOS_TIME(h, m, s) ((WORD)(((h) << 11) | ((m) << 5) | ((s) >> 1)))

static void test_dos_times(void)
{
    SYSTEMTIME t;
    FILETIME ft;
    WORD fat_date = 0, fat_time = 0;
    size_t i;
    const WORD bad_dates[] = {DOS_DATE(2000, 0, 1), DOS_DATE(2000, 13, 1), DOS_DATE(2000, 1, 0), DOS_DATE(2001, 2, 30)};
    const WORD bad_times[] = {DOS_TIME(24, 0, 0), DOS_TIME(0, 60, 0), DOS_TIME(0, 0, 60)};

    TEST("FileTimeToDosDateTime and DosDateTimeToFileTime");
    CHECK(DosDateTimeToFileTime(DOS_DATE(1980, 1, 1), DOS_TIME(0, 0, 0), &ft));
    CHECK(ticks(&ft) == 0x01a8e79fe1d58000ULL); /* 1980-01-01 00:00 */
    t = date(2024, 2, 29, 13, 45, 31, 999);
    CHECK(SystemTimeToFileTime(&t, &ft));
    CHECK(FileTimeToDosDateTime(&ft, &fat_date, &fat_time));
    CHECK_EQ(fat_date, DOS_DATE(2024, 2, 29));
    CHECK_EQ(fat_time, DOS_TIME(13, 45, 30)); /* two-second steps: the odd second is dropped */
    CHECK(DosDateTimeToFileTime(fat_date, fat_time, &ft));
    CHECK(FileTimeToSystemTime(&ft, &t));
    CHECK(t.wYear == 2024 && t.wMonth == 2 && t.wDay == 29 && t.wHour == 13 && t.wMinute == 45 &&
          t.wSecond == 30 && t.wMilliseconds == 0);
    /* The last moment MS-DOS dates can hold, and either side of the range. */
    t = date(2107, 12, 31, 23, 59, 59, 0);
    CHECK(SystemTimeToFileTime(&t, &ft));
    CHECK(FileTimeToDosDateTime(&ft, &fat_date, &fat_time));
    CHECK_EQ(fat_date, DOS_DATE(2107, 12, 31));
    CHECK_EQ(fat_time, DOS_TIME(23, 59, 58));
    WINE_DEVIATION("Wine's FileTimeToDosDateTime takes years past 2107, their year wrapped")
    {
        t = date(2108, 1, 1, 0, 0, 0, 0);
        CHECK(SystemTimeToFileTime(&t, &ft));
        SetLastError(0xdeadbeef);
        CHECK(!FileTimeToDosDateTime(&ft, &fat_date, &fat_time));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    t = date(1979, 12, 31, 23, 59, 59, 0);
    CHECK(SystemTimeToFileTime(&t, &ft));
    SetLastError(0xdeadbeef);
    CHECK(!FileTimeToDosDateTime(&ft, &fat_date, &fat_time));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    /* Either output missing. */
    t = date(2000, 1, 1, 0, 0, 0, 0);
    CHECK(SystemTimeToFileTime(&t, &ft));
    SetLastError(0xdeadbeef);
    CHECK(!FileTimeToDosDateTime(&ft, NULL, &fat_time));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!FileTimeToDosDateTime(&ft, &fat_date, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    /* Fields out of range. */
    for (i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++)
        CHECK(!DosDateTimeToFileTime(bad_dates[i], DOS_TIME(12, 0, 0), &ft));
    for (i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++)
        CHECK(!DosDateTimeToFileTime(DOS_DATE(2000, 1, 1), bad_times[i], &ft));
}

static void test_unbiased_time(void)
{
    ULONGLONG first = 0, second = 0;

    TEST("QueryUnbiasedInterruptTime");
    CHECK(QueryUnbiasedInterruptTime(&first));
    Sleep(50);
    CHECK(QueryUnbiasedInterruptTime(&second));
    WINE_DEVIATION("Wine 8 refreshes the interrupt time of its shared page only now and then") {
        CHECK(second - first >= 400000); /* 40 ms or more, in 100 ns units */
    }
    CHECK(second - first < 100000000);
    SetLastError(0xdeadbeef);
    CHECK(!QueryUnbiasedInterruptTime(NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
}

static int same_zone(const TIME_ZONE_INFORMATION *a, const TIME_ZONE_INFORMATION *b)
{
    return a->Bias == b->Bias && a->StandardBias == b->StandardBias && a->DaylightBias == b->DaylightBias &&
           memcmp(&a->StandardDate, &b->StandardDate, sizeof a->StandardDate) == 0 &&
           memcmp(&a->DaylightDate, &b->DaylightDate, sizeof a->DaylightDate) == 0 &&
           memcmp(a->StandardName, b->StandardName, sizeof a->StandardName) == 0 &&
           memcmp(a->DaylightName, b->DaylightName, sizeof a->DaylightName) == 0;
}

static void test_dynamic_zone(void)
{
    DYNAMIC_TIME_ZONE_INFORMATION dynamic, nowhere;
    TIME_ZONE_INFORMATION zone, from_dynamic, year_zone;
    SYSTEMTIME now;
    const char *tz = getenv("TZ");
    static const char nowhere_name[] = "Greenland Daylight Time"; /* a Windows zone's daylight name, no key */
    DWORD id;
    int i;

    TEST("GetDynamicTimeZoneInformation: GetTimeZoneInformation's zone and its name");
    memset(&dynamic, 0x55, sizeof dynamic);
    memset(&zone, 0, sizeof zone);
    id = GetDynamicTimeZoneInformation(&dynamic);
    CHECK_EQ(id, GetTimeZoneInformation(&zone));
    memset(&from_dynamic, 0, sizeof from_dynamic);
    from_dynamic.Bias = dynamic.Bias;
    memcpy(from_dynamic.StandardName, dynamic.StandardName, sizeof dynamic.StandardName);
    from_dynamic.StandardDate = dynamic.StandardDate;
    from_dynamic.StandardBias = dynamic.StandardBias;
    memcpy(from_dynamic.DaylightName, dynamic.DaylightName, sizeof dynamic.DaylightName);
    from_dynamic.DaylightDate = dynamic.DaylightDate;
    from_dynamic.DaylightBias = dynamic.DaylightBias;
    CHECK(same_zone(&from_dynamic, &zone));
    CHECK(dynamic.TimeZoneKeyName[0] != 0);

    TEST("GetTimeZoneInformationForYear: this year's is GetTimeZoneInformation's; a name that is no zone");
    GetLocalTime(&now);
    memset(&year_zone, 0, sizeof year_zone);
    CHECK(GetTimeZoneInformationForYear(now.wYear, NULL, &year_zone));
    CHECK(same_zone(&year_zone, &zone));
    memset(&year_zone, 0, sizeof year_zone);
    CHECK(GetTimeZoneInformationForYear(now.wYear, &dynamic, &year_zone));
    CHECK(same_zone(&year_zone, &zone));
    memset(&nowhere, 0xaa, sizeof nowhere);
    for (i = 0; nowhere_name[i] != '\0'; i++) nowhere.TimeZoneKeyName[i] = (WCHAR)nowhere_name[i];
    nowhere.TimeZoneKeyName[i] = 0;
    SetLastError(0xdeadbeef);
    CHECK(!GetTimeZoneInformationForYear(2015, &nowhere, &year_zone));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    if (tz != NULL && strcmp(tz, "America/New_York") == 0) {
        TEST("GetTimeZoneInformationForYear: New York's rules before 2007 and since");
        CHECK(GetTimeZoneInformationForYear(2006, NULL, &year_zone));
        CHECK_EQ(year_zone.Bias, 300);
        CHECK_EQ(year_zone.DaylightBias, -60);
        CHECK_EQ(year_zone.DaylightDate.wMonth, 4);
        CHECK_EQ(year_zone.DaylightDate.wDayOfWeek, 0);
        CHECK_EQ(year_zone.DaylightDate.wDay, 1);
        CHECK_EQ(year_zone.StandardDate.wMonth, 10);
        CHECK_EQ(year_zone.StandardDate.wDay, 5);
        CHECK(GetTimeZoneInformationForYear(2026, NULL, &year_zone));
        CHECK_EQ(year_zone.DaylightDate.wMonth, 3);
        CHECK_EQ(year_zone.DaylightDate.wDay, 2);
        CHECK_EQ(year_zone.StandardDate.wMonth, 11);
        CHECK_EQ(year_zone.StandardDate.wDay, 1);
    }

    if (tz != NULL && strcmp(tz, "Europe/Dublin") == 0) {
        FILETIME utc, local;
        LONGLONG ahead_minutes;
        /* tzdata calls Irish winter time daylight time (negative DST); Windows' zone for
           Ireland is GMT Standard Time, daylight time the summer's, an hour ahead */
        TEST("GetTimeZoneInformation: Ireland's daylight time is the summer's, an hour ahead");
        WINE_DEVIATION("Wine finds no Windows zone for Europe/Dublin: Bias -60 and no transition dates")
        {
            memset(&zone, 0, sizeof zone);
            id = GetTimeZoneInformation(&zone);
            CHECK_EQ(zone.Bias, 0);
            CHECK_EQ(zone.StandardBias, 0);
            CHECK_EQ(zone.DaylightBias, -60);
            CHECK_EQ(zone.DaylightDate.wMonth, 3);
            CHECK_EQ(zone.DaylightDate.wDay, 5);
            CHECK_EQ(zone.DaylightDate.wHour, 1);
            CHECK_EQ(zone.StandardDate.wMonth, 10);
            CHECK_EQ(zone.StandardDate.wDay, 5);
            CHECK_EQ(zone.StandardDate.wHour, 2);
            GetSystemTimeAsFileTime(&utc);
            CHECK(FileTimeToLocalFileTime(&utc, &local));
            ahead_minutes = (LONGLONG)(ticks(&local) - ticks(&utc)) / 600000000;
            CHECK_EQ(id, (DWORD)(ahead_minutes == 60 ? TIME_ZONE_ID_DAYLIGHT : TIME_ZONE_ID_STANDARD));
        }
    }

    if (tz != NULL && strcmp(tz, "America/Havana") == 0) {
        /* Cuba changes at midnight: daylight time from the second Sunday of March 00:00
           (at the end of the Saturday before), standard time from the first Sunday of
           November 01:00; Windows' Cuba Standard Time has these rules */
        TEST("GetTimeZoneInformationForYear: a change at midnight is the next day's 00:00");
        CHECK(GetTimeZoneInformationForYear(2026, NULL, &year_zone));
        CHECK_EQ(year_zone.Bias, 300);
        CHECK_EQ(year_zone.DaylightDate.wMonth, 3);
        CHECK_EQ(year_zone.DaylightDate.wDayOfWeek, 0);
        CHECK_EQ(year_zone.DaylightDate.wDay, 2);
        CHECK_EQ(year_zone.DaylightDate.wHour, 0);
        CHECK_EQ(year_zone.StandardDate.wMonth, 11);
        CHECK_EQ(year_zone.StandardDate.wDayOfWeek, 0);
        CHECK_EQ(year_zone.StandardDate.wDay, 1);
        CHECK_EQ(year_zone.StandardDate.wHour, 1);
    }

    if (tz != NULL && strcmp(tz, "Asia/Barnaul") == 0) {
        /* Altai went from UTC+6 to UTC+7 for good on the last Sunday of March 2016: Windows
           gives that year as daylight time from January 1st, DaylightBias +60, and 2017
           without daylight saving time (Wine's time test, test_GetTimeZoneInformationForYear,
           passing on Windows) */
        TEST("GetTimeZoneInformationForYear: a year whose offset changes once");
        CHECK(GetTimeZoneInformationForYear(2016, NULL, &year_zone));
        CHECK_EQ(year_zone.Bias, -420);
        CHECK_EQ(year_zone.StandardBias, 0);
        CHECK_EQ(year_zone.DaylightBias, 60);
        CHECK_EQ(year_zone.StandardDate.wMonth, 3);
        CHECK_EQ(year_zone.StandardDate.wDay, 5); /* the last Sunday: the 27th */
        CHECK_EQ(year_zone.StandardDate.wDayOfWeek, 0);
        CHECK_EQ(year_zone.DaylightDate.wMonth, 1);
        CHECK(year_zone.DaylightDate.wYear != 0 ? year_zone.DaylightDate.wDay == 1
                                                : year_zone.DaylightDate.wDay == 1 &&
                                                      year_zone.DaylightDate.wDayOfWeek == 5); /* Friday the 1st */
        CHECK(GetTimeZoneInformationForYear(2017, NULL, &year_zone));
        CHECK_EQ(year_zone.Bias, -420);
        CHECK_EQ(year_zone.DaylightBias, -60);
        CHECK_EQ(year_zone.StandardDate.wMonth, 0);
        CHECK_EQ(year_zone.DaylightDate.wMonth, 0);
    }

    if (tz != NULL && strcmp(tz, "Asia/Kolkata") == 0) {
        /* Windows' zones without daylight saving time: DaylightBias -60 all the same
           (India Standard Time's registry data; Wine's time test, Altai Standard Time in 2017) */
        TEST("GetTimeZoneInformation: a zone without daylight saving time, DaylightBias -60");
        memset(&zone, 0x55, sizeof zone);
        CHECK_EQ(GetTimeZoneInformation(&zone), TIME_ZONE_ID_UNKNOWN);
        CHECK_EQ(zone.Bias, -330);
        CHECK_EQ(zone.StandardBias, 0);
        CHECK_EQ(zone.DaylightBias, -60);
        CHECK_EQ(zone.StandardDate.wMonth, 0);
        CHECK_EQ(zone.DaylightDate.wMonth, 0);
        CHECK(GetTimeZoneInformationForYear(2015, NULL, &year_zone));
        CHECK_EQ(year_zone.DaylightBias, -60);
        CHECK_EQ(year_zone.DaylightDate.wMonth, 0);
    }
}

static void test_clock_setting(void)
{
    SYSTEMTIME time;
    DWORD adjustment = 0, increment = 0;
    BOOL disabled = 7;

    TEST("SetSystemTime, SetLocalTime: no SE_SYSTEMTIME_NAME privilege, ERROR_PRIVILEGE_NOT_HELD");
    GetSystemTime(&time);
    time.wYear = 2001;
    SetLastError(0xdeadbeef);
    CHECK(!SetSystemTime(&time));
    CHECK_ERROR(ERROR_PRIVILEGE_NOT_HELD);
    GetLocalTime(&time);
    time.wYear = 2001;
    SetLastError(0xdeadbeef);
    CHECK(!SetLocalTime(&time));
    CHECK_ERROR(ERROR_PRIVILEGE_NOT_HELD);
    time.wMonth = 13;
    SetLastError(0xdeadbeef);
    CHECK(!SetSystemTime(&time));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    WINE_DEVIATION("Wine sets a time within 2 seconds of the clock's without the privilege")
    {
        GetSystemTime(&time);
        SetLastError(0xdeadbeef);
        CHECK(!SetSystemTime(&time));
        CHECK_ERROR(ERROR_PRIVILEGE_NOT_HELD);
    }

    TEST("GetSystemTimeAdjustment: the clock's increment");
    CHECK(GetSystemTimeAdjustment(&adjustment, &increment, &disabled));
    CHECK(increment > 0 && increment <= 156250);
    CHECK(adjustment > 0);
    CHECK(disabled == TRUE || disabled == FALSE);
}

int main(void)
{
    test_conversions();
    test_invalid();
    test_now();
    test_compare();
    test_zones();
    test_zone_edges();
    test_dos_times();
    test_unbiased_time();
    test_dynamic_zone();
    test_clock_setting();
    return tl_finish();
}
