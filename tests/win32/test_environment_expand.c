/* test_environment_expand.c: ExpandEnvironmentStringsA/W and GetUserNameA/W.
 *
 * Facts: Wine's kernel32 environ test, which passes on Windows, records how Windows fills
 * the buffer (ExpandEnvironmentStringsW: the count returned is the expanded length with
 * its terminator; a buffer too small still gets each literal character while there is
 * room for one more, and each variable's value whole with a terminator, or a terminator
 * in its place; the A form needs room for one character more than the W form and writes
 * an empty string when it has not). Microsoft Learn: an undefined %NAME% is left as it
 * is; variable names compare without case; GetUserName's size includes the terminator. */
#include "testlib.h"

static void test_expand_wide(void)
{
    WCHAR buffer[64];
    static const WCHAR start[] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 0};
    WCHAR expected[64];

    TEST("ExpandEnvironmentStringsW: values, names without case, what a small buffer gets");
    CHECK(SetEnvironmentVariableA("OVL_TVAR", "WINE"));
    CHECK_EQ(ExpandEnvironmentStringsW(L"Long long value", NULL, 0), 16);

    CHECK_EQ(ExpandEnvironmentStringsW(L"%OVL_TVAR% long long", buffer, 64), 15);
    CHECK(lstrcmpW(buffer, L"WINE long long") == 0);
    CHECK_EQ(ExpandEnvironmentStringsW(L"%ovl_tvar%!", buffer, 64), 6); /* names without case */
    CHECK(lstrcmpW(buffer, L"WINE!") == 0);
    CHECK_EQ(ExpandEnvironmentStringsW(L"%OVL_NOT_SET% x", buffer, 64), 16); /* left as it is */
    CHECK(lstrcmpW(buffer, L"%OVL_NOT_SET% x") == 0);
    CHECK_EQ(ExpandEnvironmentStringsW(L"%OVL_TVAR no end", buffer, 64), 17);
    CHECK(lstrcmpW(buffer, L"%OVL_TVAR no end") == 0);

    WINE_DEVIATION("Wine 8 fills a buffer too small for the expansion otherwise") {
        /* Too small: literal characters while one more leaves room for a terminator. */
        memcpy(buffer, start, sizeof start);
        CHECK_EQ(ExpandEnvironmentStringsW(L"Long long value", buffer, 2), 16);
        memcpy(expected, start, sizeof start);
        expected[0] = 'L';
        CHECK(lstrcmpW(buffer, expected) == 0);
        /* A value that does not fit leaves a terminator in its place, and nothing follows. */
        memcpy(buffer, start, sizeof start);
        CHECK_EQ(ExpandEnvironmentStringsW(L"%OVL_TVAR% long", buffer, 4), 10);
        CHECK(buffer[0] == 0 && buffer[1] == 'b');
        /* One that fits is written with its terminator; the next literal overwrites it. */
        memcpy(buffer, start, sizeof start);
        CHECK_EQ(ExpandEnvironmentStringsW(L"%OVL_TVAR% %OVL_TVAR% long", buffer, 6), 15);
        CHECK(lstrcmpW(buffer, L"WINE ") == 0);
        memcpy(buffer, start, sizeof start);
        CHECK_EQ(ExpandEnvironmentStringsW(L"%OVL_TVAR% %OVL_TVAR% long", buffer, 11), 15);
        CHECK(memcmp(buffer, L"WINE WINE k", 11 * sizeof(WCHAR)) == 0); /* no terminator after the space */
    }
    CHECK(SetEnvironmentVariableA("OVL_TVAR", NULL));
}

static void test_expand_ansi(void)
{
    char buffer[64];

    TEST("ExpandEnvironmentStringsA: room for one character more, or an empty string");
    CHECK(SetEnvironmentVariableA("OVL_TVAR", "WINE"));
    CHECK(SetEnvironmentVariableA("OVL_INDIRECT", "Foo%OVL_TVAR%Bar"));
    WINE_DEVIATION("Wine 8 needs no room for the A form's extra character") {
        strcpy(buffer, "abcdefghijkl");
        CHECK_EQ(ExpandEnvironmentStringsA("Long long value", buffer, 16), 17);
        CHECK(strcmp(buffer, "") == 0);
    }
    CHECK_EQ(ExpandEnvironmentStringsA("Long long value", buffer, 17), 16);
    CHECK(strcmp(buffer, "Long long value") == 0);
    CHECK_EQ(ExpandEnvironmentStringsA("%OVL_TVAR% long long", buffer, 64), 15);
    CHECK(strcmp(buffer, "WINE long long") == 0);
    /* A value is not expanded again. */
    CHECK_EQ(ExpandEnvironmentStringsA("<%OVL_INDIRECT%>", buffer, 64), 19);
    CHECK(strcmp(buffer, "<Foo%OVL_TVAR%Bar>") == 0);
    CHECK(SetEnvironmentVariableA("OVL_TVAR", NULL));
    CHECK(SetEnvironmentVariableA("OVL_INDIRECT", NULL));
}

static void test_user_name(void)
{
    char name[256];
    WCHAR wide[256];
    DWORD size = sizeof name, length;

    TEST("GetUserNameA/W: the size with the terminator; a buffer too small");
    CHECK(GetUserNameA(name, &size));
    length = (DWORD)strlen(name);
    CHECK(length > 0);
    CHECK_EQ(size, length + 1);
    size = length; /* no room for the terminator */
    SetLastError(0xdeadbeef);
    CHECK(!GetUserNameA(name, &size));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK_EQ(size, length + 1);
    size = 256;
    CHECK(GetUserNameW(wide, &size));
    CHECK_EQ(size, length + 1);
}

/* The names without A/W, as the SDK samples use them (this test builds without UNICODE, so
 * they are the A functions; LPTCH and LPTSTR are char pointers). A block walk as in
 * "Changing Environment Variables" finds a variable just set. */
static void test_generic_names(void)
{
    char value[64], expanded[64], name[256], directory[MAX_PATH], module[MAX_PATH];
    DWORD size = sizeof name;
    STARTUPINFO startup;
    LPTCH block;
    LPTSTR entry;
    int found = 0;

    TEST("Get/SetEnvironmentVariable, ExpandEnvironmentStrings: the generic names");
    CHECK(SetEnvironmentVariable(TEXT("SmpConGeneric"), TEXT("seven")));
    CHECK_EQ(GetEnvironmentVariable(TEXT("SMPCONGENERIC"), value, sizeof value), 5);
    CHECK_EQ(strcmp(value, "seven"), 0);
    CHECK_EQ(ExpandEnvironmentStrings(TEXT("<%SmpConGeneric%>"), expanded, sizeof expanded), 8);
    CHECK_EQ(strcmp(expanded, "<seven>"), 0);

    TEST("GetEnvironmentStrings/FreeEnvironmentStrings: the walk of the samples finds the variable");
    block = GetEnvironmentStrings();
    CHECK(block != NULL);
    for (entry = (LPTSTR)block; block != NULL && *entry != 0; entry += lstrlen(entry) + 1)
        if (strcmp(entry, "SmpConGeneric=seven") == 0) found = 1;
    CHECK(found);
    CHECK(FreeEnvironmentStrings(block));
    CHECK(SetEnvironmentVariable(TEXT("SmpConGeneric"), NULL));
    CHECK_EQ(GetEnvironmentVariable(TEXT("SmpConGeneric"), value, sizeof value), 0);
    CHECK_ERROR(ERROR_ENVVAR_NOT_FOUND);

    TEST("GetUserName, GetComputerName, GetCommandLine, GetCurrentDirectory, GetModuleFileName, GetStartupInfo");
    CHECK(GetUserName(name, &size));
    CHECK_EQ(size, strlen(name) + 1);
    size = sizeof name;
    CHECK(GetComputerName(name, &size));
    CHECK_EQ(size, strlen(name));
    CHECK(strlen(GetCommandLine()) > 0);
    CHECK(GetCurrentDirectory(MAX_PATH, directory) > 0);
    CHECK(GetModuleFileName(NULL, module, MAX_PATH) > 0);
    memset(&startup, 0, sizeof startup);
    GetStartupInfo(&startup);
    CHECK_EQ(startup.cb, sizeof(STARTUPINFO));
}

int main(void)
{
    test_generic_names();
    test_expand_wide();
    test_expand_ansi();
    test_user_name();
    return tl_finish();
}
