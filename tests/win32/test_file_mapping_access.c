/* test_file_mapping_access.c: what a view of a section may do, and what the virtual-memory
 * functions may do to it.
 *
 * Facts from Wine's kernel32 virtual test (which passes on Windows): test_mapping and
 * test_mappings (the view's protection follows the access asked for: FILE_MAP_COPY alone
 * is copy-on-write, FILE_MAP_WRITE beats it, FILE_MAP_READ | FILE_MAP_COPY is read-only,
 * execute without read is a view not to be touched; a view needs what the section's
 * protection allows, else ERROR_ACCESS_DENIED; VirtualProtect on a view takes only
 * protections within the view's, else ERROR_INVALID_PARAMETER; VirtualAlloc(MEM_COMMIT) on
 * a view of a file is ERROR_ACCESS_DENIED, on a view of the paging file it is VirtualProtect;
 * an executable section of a file needs a handle that may execute), test_MapViewOfFile (a
 * read-only file can have a PAGE_WRITECOPY section; a handle without data access none;
 * UnmapViewOfFile of an address nothing maps), test_CreateFileMapping (names of sections
 * are case-sensitive), test_shared_memory_ro (a FILE_MAP_COPY view's writes stay in it). */
#include "testlib.h"

static char path[MAX_PATH + 64];
static SYSTEM_INFO system_info;

static HANDLE make_file(DWORD size, DWORD access)
{
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              CREATE_ALWAYS, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) return file;
    SetFilePointer(file, (LONG)size, NULL, FILE_BEGIN);
    SetEndOfFile(file);
    CloseHandle(file);
    return CreateFileA(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
}

static DWORD view_protection(void *view)
{
    MEMORY_BASIC_INFORMATION info;
    if (VirtualQuery(view, &info, sizeof info) != sizeof info) return 0xdeadbeef;
    return info.Protect;
}

static DWORD view_allocation_protection(void *view)
{
    MEMORY_BASIC_INFORMATION info;
    if (VirtualQuery(view, &info, sizeof info) != sizeof info) return 0xdeadbeef;
    return info.AllocationProtect;
}

static void test_view_protection_from_access(void)
{
    static const struct {
        DWORD access, protect;
    } views[] = {
        {0, PAGE_NOACCESS},
        {FILE_MAP_COPY, PAGE_WRITECOPY},
        {FILE_MAP_WRITE, PAGE_READWRITE},
        {FILE_MAP_WRITE | FILE_MAP_COPY, PAGE_READWRITE},
        {FILE_MAP_READ, PAGE_READONLY},
        {FILE_MAP_READ | FILE_MAP_COPY, PAGE_READONLY},
        {FILE_MAP_READ | FILE_MAP_WRITE, PAGE_READWRITE},
        {SECTION_MAP_EXECUTE, PAGE_NOACCESS},
        {SECTION_MAP_EXECUTE | FILE_MAP_COPY, PAGE_NOACCESS},
        {SECTION_MAP_EXECUTE | FILE_MAP_READ, PAGE_READONLY},
        {FILE_MAP_EXECUTE, PAGE_NOACCESS},
        {FILE_MAP_EXECUTE | FILE_MAP_READ, PAGE_EXECUTE_READ},
        {FILE_MAP_EXECUTE | FILE_MAP_WRITE, PAGE_EXECUTE_READWRITE},
        {FILE_MAP_EXECUTE | FILE_MAP_COPY, PAGE_EXECUTE_WRITECOPY},
        {FILE_MAP_EXECUTE | FILE_MAP_READ | FILE_MAP_COPY, PAGE_EXECUTE_READ},
    };
    HANDLE mapping;
    size_t i;

    TEST("a view's protection follows the access asked for (PAGE_EXECUTE_READWRITE section)");
    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_EXECUTE_READWRITE, 0, 2 * system_info.dwPageSize, NULL);
    CHECK(mapping != NULL);
    if (mapping == NULL) return;
    for (i = 0; i < sizeof views / sizeof views[0]; ++i) {
        void *view;
        SetLastError(0xdeadbeef);
        view = MapViewOfFile(mapping, views[i].access, 0, 0, 0);
        CHECK(view != NULL);
        if (view == NULL) {
            printf("  access %#lx: error %lu\n", (unsigned long)views[i].access, (unsigned long)GetLastError());
            continue;
        }
        CHECK_EQ(view_protection(view), views[i].protect);
        CHECK_EQ(view_allocation_protection(view), views[i].protect);
        CHECK(UnmapViewOfFile(view));
    }
    CloseHandle(mapping);

    TEST("FILE_MAP_READ | FILE_MAP_COPY is a read-only view of the section itself");
    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);
    CHECK(mapping != NULL);
    if (mapping != NULL) {
        char *writer = MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, 0);
        char *reader = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_COPY, 0, 0, 0);
        CHECK(writer != NULL && reader != NULL);
        if (writer != NULL && reader != NULL) {
            strcpy(writer, "seen by both");
            CHECK(strcmp(reader, "seen by both") == 0);
            CHECK_EQ(view_protection(reader), PAGE_READONLY);
        }
        UnmapViewOfFile(writer);
        UnmapViewOfFile(reader);
        CloseHandle(mapping);
    }
}

static void test_view_needs_section_protection(void)
{
    static const struct {
        DWORD section, access;
        BOOL maps;
    } cases[] = {
        {PAGE_READONLY, FILE_MAP_COPY, TRUE},
        {PAGE_READONLY, FILE_MAP_EXECUTE, TRUE},            /* a view not to be touched */
        {PAGE_READONLY, SECTION_MAP_EXECUTE, TRUE},
        {PAGE_READONLY, FILE_MAP_EXECUTE | FILE_MAP_READ, FALSE},
        {PAGE_READONLY, FILE_MAP_EXECUTE | FILE_MAP_COPY, FALSE},
        {PAGE_READWRITE, FILE_MAP_EXECUTE, TRUE},
        {PAGE_READWRITE, FILE_MAP_EXECUTE | FILE_MAP_WRITE, FALSE},
        {PAGE_WRITECOPY, FILE_MAP_COPY, TRUE},
        {PAGE_WRITECOPY, FILE_MAP_WRITE, FALSE},
        {PAGE_WRITECOPY, FILE_MAP_READ | FILE_MAP_COPY, TRUE},
        {PAGE_EXECUTE_READ, FILE_MAP_EXECUTE | FILE_MAP_READ, TRUE},
        {PAGE_EXECUTE_READ, FILE_MAP_EXECUTE | FILE_MAP_COPY, TRUE},
        {PAGE_EXECUTE_READ, FILE_MAP_WRITE, FALSE},
        {PAGE_EXECUTE_WRITECOPY, FILE_MAP_EXECUTE | FILE_MAP_COPY, TRUE},
        {PAGE_EXECUTE_WRITECOPY, FILE_MAP_EXECUTE | FILE_MAP_WRITE, FALSE},
    };
    HANDLE file;
    size_t i;

    TEST("a view may do only what its section's protection allows (ERROR_ACCESS_DENIED)");
    file = make_file(2 * system_info.dwPageSize, GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE);
    CHECK(file != INVALID_HANDLE_VALUE);
    for (i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        HANDLE mapping = CreateFileMappingA(file, NULL, cases[i].section, 0, 0, NULL);
        void *view;
        CHECK(mapping != NULL);
        if (mapping == NULL) continue;
        SetLastError(0xdeadbeef);
        view = MapViewOfFile(mapping, cases[i].access, 0, 0, 0);
        if (cases[i].maps) {
            CHECK(view != NULL);
        } else {
            CHECK(view == NULL);
            CHECK_ERROR(ERROR_ACCESS_DENIED);
        }
        if ((view != NULL) != cases[i].maps)
            printf("  section %#lx access %#lx: %p %lu\n", (unsigned long)cases[i].section,
                   (unsigned long)cases[i].access, view, (unsigned long)GetLastError());
        if (view != NULL) UnmapViewOfFile(view);
        CloseHandle(mapping);
    }
    CloseHandle(file);

    TEST("a copy-on-write view needs a handle that may map for reading");
    {
        HANDLE mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL), reduced = NULL;
        CHECK(mapping != NULL);
        CHECK(DuplicateHandle(GetCurrentProcess(), mapping, GetCurrentProcess(), &reduced, SECTION_QUERY, FALSE, 0));
        SetLastError(0xdeadbeef);
        CHECK(MapViewOfFile(reduced, FILE_MAP_COPY, 0, 0, 0) == NULL);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CloseHandle(reduced);
        CHECK(DuplicateHandle(GetCurrentProcess(), mapping, GetCurrentProcess(), &reduced, FILE_MAP_READ, FALSE, 0));
        {
            char *copy = MapViewOfFile(reduced, FILE_MAP_COPY, 0, 0, 0);
            CHECK(copy != NULL);
            if (copy != NULL) {
                copy[0] = 'c';  /* its own copy */
                CHECK(UnmapViewOfFile(copy));
            }
        }
        CloseHandle(reduced);
        CloseHandle(mapping);
    }
}

static void test_file_handle_access(void)
{
    static const struct {
        DWORD protect;
        BOOL made;
    } read_only[] = {
        {PAGE_READONLY, TRUE},          {PAGE_WRITECOPY, TRUE},          {PAGE_READWRITE, FALSE},
        {PAGE_EXECUTE_READ, FALSE},     {PAGE_EXECUTE_READWRITE, FALSE}, {PAGE_EXECUTE_WRITECOPY, FALSE},
    };
    HANDLE file, mapping;
    size_t i;

    TEST("a section of a file opened for reading only: no writing, no execution (ERROR_ACCESS_DENIED)");
    file = make_file(4096, GENERIC_READ);
    CHECK(file != INVALID_HANDLE_VALUE);
    for (i = 0; i < sizeof read_only / sizeof read_only[0]; ++i) {
        SetLastError(0xdeadbeef);
        mapping = CreateFileMappingA(file, NULL, read_only[i].protect, 0, 0, NULL);
        if (read_only[i].made) {
            CHECK(mapping != NULL);
        } else if (read_only[i].protect == PAGE_EXECUTE_READ || read_only[i].protect == PAGE_EXECUTE_WRITECOPY) {
            WINE_DEVIATION("Wine makes executable sections of a file its handle may not execute")
            {
                CHECK(mapping == NULL);
                CHECK_ERROR(ERROR_ACCESS_DENIED);
            }
        } else {
            CHECK(mapping == NULL);
            CHECK_ERROR(ERROR_ACCESS_DENIED);
        }
        if (mapping != NULL) CloseHandle(mapping);
    }
    CloseHandle(file);

    TEST("a file handle that may execute: executable sections");
    file = make_file(4096, GENERIC_READ | GENERIC_EXECUTE);
    CHECK(file != INVALID_HANDLE_VALUE);
    mapping = CreateFileMappingA(file, NULL, PAGE_EXECUTE_READ, 0, 0, NULL);
    CHECK(mapping != NULL);
    if (mapping != NULL) CloseHandle(mapping);
    mapping = CreateFileMappingA(file, NULL, PAGE_EXECUTE_WRITECOPY, 0, 0, NULL);
    CHECK(mapping != NULL);
    if (mapping != NULL) CloseHandle(mapping);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileMappingA(file, NULL, PAGE_EXECUTE_READWRITE, 0, 0, NULL) == NULL);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(file);

    TEST("a file handle without data access: no section at all");
    file = make_file(4096, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL) == NULL);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileMappingA(file, NULL, PAGE_WRITECOPY, 0, 0, NULL) == NULL);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(file);

    TEST("PAGE_NOACCESS, PAGE_EXECUTE and combinations are no section's protection");
    {
        static const DWORD refused[] = {0, PAGE_NOACCESS, PAGE_EXECUTE, PAGE_READONLY | PAGE_READWRITE,
                                        PAGE_EXECUTE_READ | PAGE_EXECUTE, PAGE_WRITECOPY | PAGE_READONLY};
        file = make_file(4096, GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE);
        for (i = 0; i < sizeof refused / sizeof refused[0]; ++i) {
            SetLastError(0xdeadbeef);
            mapping = CreateFileMappingA(file, NULL, refused[i], 0, 0, NULL);
            CHECK(mapping == NULL);
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
            if (mapping != NULL) CloseHandle(mapping);
        }
        CloseHandle(file);
    }
}

static void test_protect_view(void)
{
    HANDLE file, mapping;
    char *view;
    DWORD old = 0;

    TEST("VirtualProtect on a read-only view of a writable section: nothing it may not do");
    file = make_file(2 * system_info.dwPageSize, GENERIC_READ | GENERIC_WRITE);
    mapping = CreateFileMappingA(file, NULL, PAGE_READWRITE, 0, 0, NULL);
    CHECK(mapping != NULL);
    view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
    CHECK(view != NULL);
    if (view != NULL) {
        SetLastError(0xdeadbeef);
        CHECK(!VirtualProtect(view, system_info.dwPageSize, PAGE_READWRITE, &old));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        SetLastError(0xdeadbeef);
        CHECK(!VirtualProtect(view, system_info.dwPageSize, PAGE_EXECUTE_READ, &old));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(view_protection(view), PAGE_READONLY);
        CHECK(VirtualProtect(view, system_info.dwPageSize, PAGE_NOACCESS, &old));
        CHECK_EQ(old, PAGE_READONLY);
        CHECK(VirtualProtect(view, system_info.dwPageSize, PAGE_READONLY, &old));
        CHECK_EQ(old, PAGE_NOACCESS);
        CHECK(view[0] == 0);

        TEST("VirtualAlloc(MEM_COMMIT) on a view of a file: ERROR_ACCESS_DENIED");
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(view, system_info.dwPageSize, MEM_COMMIT, PAGE_READONLY) == NULL);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(view, system_info.dwPageSize, MEM_COMMIT, PAGE_NOACCESS) == NULL);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CHECK_EQ(view_protection(view), PAGE_READONLY);
        CHECK(UnmapViewOfFile(view));
    }
    view = MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, 0);
    CHECK(view != NULL);
    if (view != NULL) {
        TEST("VirtualProtect on a view that may write: read-only and back");
        CHECK(VirtualProtect(view, system_info.dwPageSize, PAGE_READONLY, &old));
        CHECK_EQ(old, PAGE_READWRITE);
        CHECK(VirtualProtect(view, system_info.dwPageSize, PAGE_READWRITE, &old));
        CHECK_EQ(old, PAGE_READONLY);
        view[0] = 'w';
        SetLastError(0xdeadbeef);
        CHECK(!VirtualProtect(view, system_info.dwPageSize, PAGE_EXECUTE_READWRITE, &old));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK(UnmapViewOfFile(view));
    }
    view = MapViewOfFile(mapping, FILE_MAP_COPY, 0, 0, 0);
    CHECK(view != NULL);
    if (view != NULL) {
        TEST("VirtualProtect on a copy-on-write view: not PAGE_READWRITE");
        SetLastError(0xdeadbeef);
        CHECK(!VirtualProtect(view, system_info.dwPageSize, PAGE_READWRITE, &old));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK(VirtualProtect(view, system_info.dwPageSize, PAGE_READONLY, &old));
        CHECK_EQ(old, PAGE_WRITECOPY);
        CHECK_EQ(view_protection(view), PAGE_READONLY);
        /* Copy-on-write again: writing copies the page, the file keeps its bytes. */
        CHECK(VirtualProtect(view, system_info.dwPageSize, PAGE_WRITECOPY, &old));
        CHECK_EQ(old, PAGE_READONLY);
        view[1] = 'c';
        CHECK(view[1] == 'c');
        CHECK(UnmapViewOfFile(view));
        {
            char byte = 'x';
            DWORD got = 0;
            SetFilePointer(file, 1, NULL, FILE_BEGIN);
            CHECK(ReadFile(file, &byte, 1, &got, NULL));
            CHECK(got == 1 && byte == 0);
        }
    }
    CloseHandle(mapping);
    CloseHandle(file);

    TEST("VirtualAlloc(MEM_COMMIT) on a view of the paging file: protections within the view's");
    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 2 * system_info.dwPageSize, NULL);
    CHECK(mapping != NULL);
    view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
    CHECK(view != NULL);
    if (view != NULL) {
        CHECK(VirtualAlloc(view, system_info.dwPageSize, MEM_COMMIT, PAGE_NOACCESS) == view);
        CHECK_EQ(view_protection(view), PAGE_NOACCESS);
        CHECK(VirtualAlloc(view, system_info.dwPageSize, MEM_COMMIT, PAGE_READONLY) == view);
        CHECK_EQ(view_protection(view), PAGE_READONLY);
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(view, system_info.dwPageSize, MEM_COMMIT, PAGE_READWRITE) == NULL);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(view_protection(view), PAGE_READONLY);
        CHECK(UnmapViewOfFile(view));
    }
    CloseHandle(mapping);
}

static void test_names_and_addresses(void)
{
    HANDLE mapping, other;

    TEST("names of sections are case-sensitive");
    SetLastError(0xdeadbeef);
    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, "Overlapped Case Mapping");
    CHECK(mapping != NULL);
    CHECK_ERROR(ERROR_SUCCESS);
    SetLastError(0xdeadbeef);
    other = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, "OVERLAPPED CASE MAPPING");
    CHECK(other != NULL);
    CHECK_ERROR(ERROR_SUCCESS);
    if (other != NULL) CloseHandle(other);
    SetLastError(0xdeadbeef);
    CHECK(OpenFileMappingA(FILE_MAP_READ, FALSE, "overlapped case mapping") == NULL);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    CloseHandle(mapping);

    TEST("a name goes with the section's last handle, though a view remains");
    {
        char name[64], *view, *again_view;
        snprintf(name, sizeof name, "Local\\overlapped_gone_%lu", (unsigned long)GetCurrentProcessId());
        mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
        CHECK(mapping != NULL);
        view = MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, 0);
        CHECK(view != NULL);
        other = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
        CHECK(other != NULL);
        if (other != NULL) CloseHandle(other);
        CHECK(CloseHandle(mapping));
        if (view != NULL) strcpy(view, "the first");
        SetLastError(0xdeadbeef);
        other = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
        CHECK(other == NULL);
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        if (other != NULL) CloseHandle(other);
        SetLastError(0xdeadbeef);
        mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
        CHECK(mapping != NULL);
        CHECK_ERROR(ERROR_SUCCESS);
        again_view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
        CHECK(again_view != NULL);
        if (again_view != NULL) {
            CHECK(again_view[0] == 0); /* a new section */
            UnmapViewOfFile(again_view);
        }
        if (view != NULL) {
            CHECK(strcmp(view, "the first") == 0);
            CHECK(UnmapViewOfFile(view));
        }
        CloseHandle(mapping);
    }

    TEST("a section larger than a file it may not write: ERROR_NOT_ENOUGH_MEMORY");
    {
        HANDLE file = make_file(0x3000, GENERIC_READ);
        SetLastError(0xdeadbeef);
        mapping = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0x3001, NULL);
        CHECK(mapping == NULL);
        CHECK_ERROR(ERROR_NOT_ENOUGH_MEMORY);
        if (mapping != NULL) CloseHandle(mapping);
        mapping = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 36, NULL); /* smaller: fine */
        CHECK(mapping != NULL);
        if (mapping != NULL) {
            char *view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
            CHECK(view != NULL);
            SetLastError(0xdeadbeef);
            CHECK(MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 37) == NULL);
            CHECK_ERROR(ERROR_ACCESS_DENIED);
            if (view != NULL) CHECK(UnmapViewOfFile(view));
            CloseHandle(mapping);
        }
        CloseHandle(file);
    }

    TEST("UnmapViewOfFile of an address nothing maps: ERROR_INVALID_ADDRESS");
    SetLastError(0xdeadbeef);
    CHECK(!UnmapViewOfFile((void *)(ULONG_PTR)0xdeadbeef));
    CHECK_ERROR(ERROR_INVALID_ADDRESS);
}

int main(void)
{
    char directory[MAX_PATH];
    GetSystemInfo(&system_info);
    GetTempPathA(sizeof directory, directory);
    snprintf(path, sizeof path, "%sovl_mapping_access_%lu.dat", directory, (unsigned long)GetCurrentProcessId());
    test_view_protection_from_access();
    test_view_needs_section_protection();
    test_file_handle_access();
    test_protect_view();
    test_names_and_addresses();
    DeleteFileA(path);
    return tl_finish();
}
