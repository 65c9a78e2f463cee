/* test_file_mapping.c: CreateFileMapping, OpenFileMapping, MapViewOfFile(Ex),
 * UnmapViewOfFile, FlushViewOfFile.
 *
 * Facts: Microsoft Learn (CreateFileMapping: size 0 maps the whole file, an empty file
 * then fails with ERROR_FILE_INVALID; a larger size grows a file opened for writing;
 * PAGE_READWRITE needs a handle with GENERIC_READ and GENERIC_WRITE; memory backed by the
 * paging file needs a size; an existing name opens that object with ERROR_ALREADY_EXISTS.
 * MapViewOfFile: the offset is a multiple of the allocation granularity; FILE_MAP_WRITE
 * needs PAGE_READWRITE, FILE_MAP_EXECUTE a PAGE_EXECUTE_* section; access 0 maps a view
 * not to be touched (Wine's kernel32 test_MapViewOfFile, which passes on Windows); FILE_MAP_COPY is copy-on-write; a view stays valid after the
 * mapping's handle is closed. UnmapViewOfFile: the base address of a view; a section
 * handle is inherited by a child, which then shares the memory; SetEndOfFile: a file with
 * a mapping is not cut, ERROR_USER_MAPPED_FILE). Wine's kernel32 test_file_sharing (which
 * passes on Windows): CREATE_ALWAYS over a mapped file is ERROR_USER_MAPPED_FILE, and a
 * PAGE_READWRITE section refuses an open that does not share writing. The program starts a copy
 * of itself ("child <handle>") for the last. Every wait is bounded. */
#include "testlib.h"
#include <psapi.h>

static char path[MAX_PATH + 64];

static HANDLE make_file(const char *content, DWORD access)
{
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              CREATE_ALWAYS, 0, NULL);
    DWORD written = 0;
    if (file == INVALID_HANDLE_VALUE) return file;
    if (content[0] != 0) WriteFile(file, content, (DWORD)strlen(content), &written, NULL);
    CloseHandle(file);
    return CreateFileA(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
}

static void test_file_views(void)
{
    HANDLE file, mapping;
    char *view, buffer[16];
    DWORD got = 0;

    TEST("a file mapped for reading and for writing; a view outlives its mapping's handle");
    file = make_file("hello mapping", GENERIC_READ);
    CHECK(file != INVALID_HANDLE_VALUE);
    mapping = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL);
    CHECK(mapping != NULL);
    view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
    CHECK(view != NULL);
    if (view != NULL) CHECK(memcmp(view, "hello mapping", 13) == 0);
    SetLastError(0xdeadbeef);
    CHECK(MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, 0) == NULL); /* a read-only section */
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK(CloseHandle(mapping));
    if (view != NULL) CHECK(view[0] == 'h'); /* still mapped */
    CHECK(UnmapViewOfFile(view));
    SetLastError(0xdeadbeef);
    CHECK(!UnmapViewOfFile(view));
    CHECK_ERROR(ERROR_INVALID_ADDRESS);
    /* Any address inside a view unmaps it. */
    mapping = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL);
    view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
    CHECK(view != NULL);
    CHECK(UnmapViewOfFile(view + 100));
    SetLastError(0xdeadbeef);
    CHECK(!UnmapViewOfFile(view));
    CHECK_ERROR(ERROR_INVALID_ADDRESS);
    CloseHandle(mapping);
    /* PAGE_READWRITE through a handle that may only read. */
    SetLastError(0xdeadbeef);
    CHECK(CreateFileMappingA(file, NULL, PAGE_READWRITE, 0, 0, NULL) == NULL);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(file);

    file = make_file("0123456789", GENERIC_READ | GENERIC_WRITE);
    CHECK(file != INVALID_HANDLE_VALUE);
    mapping = CreateFileMappingA(file, NULL, PAGE_READWRITE, 0, 70000, NULL);
    CHECK(mapping != NULL);
    CHECK_EQ(GetFileSize(file, NULL), 70000); /* grown to the section's size */
    view = MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, 0);
    CHECK(view != NULL);
    if (view != NULL) {
        memcpy(view, "ABC", 3);
        memcpy(view + 65536, "far", 3);
        CHECK(FlushViewOfFile(view, 0));
        CHECK(UnmapViewOfFile(view));
    }
    /* A second view at the second 64 KiB: the offset must be a multiple of 64 KiB. */
    SetLastError(0xdeadbeef);
    CHECK(MapViewOfFile(mapping, FILE_MAP_READ, 0, 4096, 0) == NULL);
    CHECK_ERROR(ERROR_MAPPED_ALIGNMENT);
    view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 65536, 0);
    CHECK(view != NULL);
    if (view != NULL) {
        CHECK(memcmp(view, "far", 3) == 0);
        CHECK(UnmapViewOfFile(view));
    }
    /* Beyond the section's end. */
    CHECK(MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 80000) == NULL);
    CloseHandle(mapping);
    SetFilePointer(file, 0, NULL, FILE_BEGIN);
    CHECK(ReadFile(file, buffer, 10, &got, NULL));
    CHECK(got == 10 && memcmp(buffer, "ABC3456789", 10) == 0);
    CloseHandle(file);

    file = make_file("", GENERIC_READ | GENERIC_WRITE);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL) == NULL); /* empty: nothing to map */
    CHECK_ERROR(ERROR_FILE_INVALID);
    CloseHandle(file);
}

static HANDLE open_shared(DWORD access, DWORD share, DWORD disposition)
{
    return CreateFileA(path, access, share, NULL, disposition, 0, NULL);
}

static void test_user_mapped_file(void)
{
    HANDLE file, mapping, other;
    char *view;

    TEST("a mapped file is not cut: SetEndOfFile, CREATE_ALWAYS, TRUNCATE_EXISTING (ERROR_USER_MAPPED_FILE)");
    file = make_file("0123456789", GENERIC_READ | GENERIC_WRITE);
    CHECK(file != INVALID_HANDLE_VALUE);
    mapping = CreateFileMappingA(file, NULL, PAGE_READWRITE, 0, 8192, NULL);
    CHECK(mapping != NULL);
    CHECK_EQ(GetFileSize(file, NULL), 8192);
    /* The section alone, no view yet. */
    CHECK(SetFilePointer(file, 100, NULL, FILE_BEGIN) == 100);
    SetLastError(0xdeadbeef);
    CHECK(!SetEndOfFile(file));
    CHECK_ERROR(ERROR_USER_MAPPED_FILE);
    view = MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, 0);
    CHECK(view != NULL);
    {
        FILE_END_OF_FILE_INFO end;
        end.EndOfFile.QuadPart = 10;
        SetLastError(0xdeadbeef);
        CHECK(!SetFileInformationByHandle(file, FileEndOfFileInfo, &end, sizeof end));
        CHECK_ERROR(ERROR_USER_MAPPED_FILE);
    }
    SetLastError(0xdeadbeef);
    other = open_shared(GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_ALWAYS);
    CHECK(other == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_USER_MAPPED_FILE);
    if (other != INVALID_HANDLE_VALUE) CloseHandle(other);
    SetLastError(0xdeadbeef);
    other = open_shared(GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, TRUNCATE_EXISTING);
    CHECK(other == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_USER_MAPPED_FILE);
    if (other != INVALID_HANDLE_VALUE) CloseHandle(other);
    CHECK_EQ(GetFileSize(file, NULL), 8192);
    if (view != NULL) {
        view[8191] = 'z';  /* still backed by the file */
        CHECK(view[0] == '0');
    }
    /* Growing is allowed. */
    CHECK(SetFilePointer(file, 20000, NULL, FILE_BEGIN) == 20000);
    CHECK(SetEndOfFile(file));
    /* The view alone keeps the file mapped once the section's handle is closed. */
    CHECK(CloseHandle(mapping));
    CHECK(SetFilePointer(file, 100, NULL, FILE_BEGIN) == 100);
    SetLastError(0xdeadbeef);
    CHECK(!SetEndOfFile(file));
    CHECK_ERROR(ERROR_USER_MAPPED_FILE);
    CHECK(UnmapViewOfFile(view));
    CHECK(SetEndOfFile(file));
    CHECK_EQ(GetFileSize(file, NULL), 100);
    CloseHandle(file);

    TEST("a section that writes the file holds it as a writer, after its file handle is closed");
    file = make_file("0123456789", GENERIC_READ | GENERIC_WRITE);
    mapping = CreateFileMappingA(file, NULL, PAGE_READWRITE, 0, 0, NULL);
    CHECK(mapping != NULL);
    CloseHandle(file);
    SetLastError(0xdeadbeef);
    other = open_shared(GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING);
    CHECK(other == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    if (other != INVALID_HANDLE_VALUE) CloseHandle(other);
    other = open_shared(FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING);  /* even without data access */
    CHECK(other == INVALID_HANDLE_VALUE);
    if (other != INVALID_HANDLE_VALUE) CloseHandle(other);
    other = open_shared(GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING);
    CHECK(other != INVALID_HANDLE_VALUE);
    CloseHandle(other);
    CloseHandle(mapping);
    /* A read-only section conflicts with no one; gone, neither does the other. */
    file = make_file("0123456789", GENERIC_READ);
    mapping = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL);
    CHECK(mapping != NULL);
    CloseHandle(file);
    other = open_shared(GENERIC_READ | GENERIC_WRITE, 0, OPEN_EXISTING);
    CHECK(other != INVALID_HANDLE_VALUE);
    CloseHandle(other);
    CloseHandle(mapping);
    other = open_shared(GENERIC_WRITE, 0, TRUNCATE_EXISTING);
    CHECK(other != INVALID_HANDLE_VALUE);
    CloseHandle(other);
}

static void test_view_access(void)
{
    HANDLE file, mapping, reduced;
    char *view;

    TEST("a view's access: none (a view not to be touched), execute only from a PAGE_EXECUTE_* section");
    /* A handle that may execute: an executable section needs it (below). */
    file = make_file("some bytes to map", GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE);
    mapping = CreateFileMappingA(file, NULL, PAGE_READWRITE, 0, 0, NULL);
    CHECK(mapping != NULL);
    /* Access 0 maps, through a handle that may map for reading. */
    view = MapViewOfFile(mapping, 0, 0, 0, 0);
    CHECK(view != NULL);
    if (view != NULL) CHECK(UnmapViewOfFile(view));
    CHECK(DuplicateHandle(GetCurrentProcess(), mapping, GetCurrentProcess(), &reduced, FILE_MAP_READ, FALSE, 0));
    view = MapViewOfFile(reduced, 0, 0, 0, 0);
    CHECK(view != NULL);
    if (view != NULL) CHECK(UnmapViewOfFile(view));
    CloseHandle(reduced);
    CHECK(DuplicateHandle(GetCurrentProcess(), mapping, GetCurrentProcess(), &reduced, 0, FALSE, 0));
    SetLastError(0xdeadbeef);
    CHECK(MapViewOfFile(reduced, 0, 0, 0, 0) == NULL);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(reduced);
    /* FILE_MAP_EXECUTE needs a section made executable. */
    SetLastError(0xdeadbeef);
    CHECK(MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_EXECUTE, 0, 0, 0) == NULL);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(mapping);
    mapping = CreateFileMappingA(file, NULL, PAGE_EXECUTE_READ, 0, 0, NULL);
    CHECK(mapping != NULL);
    view = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_EXECUTE, 0, 0, 0);
    CHECK(view != NULL);
    if (view != NULL) {
        CHECK(memcmp(view, "some bytes", 10) == 0);
        CHECK(UnmapViewOfFile(view));
    }
    CloseHandle(mapping);
    CloseHandle(file);
}

static void test_copy_on_write(void)
{
    HANDLE file, mapping;
    char *copy, *shared;

    TEST("FILE_MAP_COPY: the view's writes stay in it");
    file = make_file("original", GENERIC_READ | GENERIC_WRITE);
    mapping = CreateFileMappingA(file, NULL, PAGE_WRITECOPY, 0, 0, NULL);
    CHECK(mapping != NULL);
    copy = MapViewOfFile(mapping, FILE_MAP_COPY, 0, 0, 0);
    shared = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
    CHECK(copy != NULL && shared != NULL);
    if (copy != NULL && shared != NULL) {
        memcpy(copy, "CHANGED!", 8);
        CHECK(memcmp(copy, "CHANGED!", 8) == 0);
        CHECK(memcmp(shared, "original", 8) == 0);
    }
    UnmapViewOfFile(copy);
    UnmapViewOfFile(shared);
    CloseHandle(mapping);
    CloseHandle(file);
}

static void test_paging_file(void)
{
    HANDLE mapping, again, opened;
    char *first, *second, *third;

    TEST("memory backed by the paging file: named, two views, OpenFileMapping");
    SetLastError(0xdeadbeef);
    CHECK(CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0, NULL) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_NOACCESS, 0, 4096, NULL) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_COMMIT | SEC_RESERVE, 0, 4096, NULL) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER); /* committed or reserved, not both */
    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_COMMIT, 0, 4096, NULL);
    CHECK(mapping != NULL);
    CloseHandle(mapping);
    /* No file handle at all is the paging file too: CreateFileMapping gives the kernel no
     * file for INVALID_HANDLE_VALUE, and a section without one is the paging file's
     * (Microsoft Learn, ZwCreateSection: FileHandle). */
    SetLastError(0xdeadbeef);
    CHECK(CreateFileMappingA(NULL, NULL, PAGE_READWRITE, 0, 0, NULL) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    mapping = CreateFileMappingA(NULL, NULL, PAGE_READWRITE, 0, 4096, NULL);
    CHECK(mapping != NULL);
    if (mapping != NULL) {
        char *view = MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, 0);
        CHECK(view != NULL);
        if (view != NULL) {
            CHECK(view[4095] == 0);
            view[0] = 'x';
            CHECK(UnmapViewOfFile(view));
        }
        CloseHandle(mapping);
    }
    {
        /* SEC_NOCACHE and SEC_WRITECOMBINE only beside SEC_COMMIT or SEC_RESERVE; SEC_FILE never. */
        static const DWORD refused[] = {SEC_NOCACHE, SEC_WRITECOMBINE, SEC_FILE, SEC_FILE | SEC_COMMIT,
                                        SEC_IMAGE | SEC_COMMIT, SEC_RESERVE | SEC_LARGE_PAGES};
        size_t i;
        for (i = 0; i < sizeof refused / sizeof refused[0]; ++i) {
            SetLastError(0xdeadbeef);
            mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | refused[i], 0, 4096, NULL);
            CHECK(mapping == NULL);
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
            if (mapping != NULL) CloseHandle(mapping);
        }
    }
    SetLastError(0xdeadbeef);
    CHECK(OpenFileMappingA(FILE_MAP_READ, FALSE, "Local\\overlapped_test_no_such_map") == NULL);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, "Local\\overlapped_test_map");
    CHECK(mapping != NULL);
    CHECK_ERROR(ERROR_SUCCESS);
    first = MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    second = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 4096);
    CHECK(first != NULL && second != NULL && first != second);
    if (first != NULL && second != NULL) {
        CHECK(first[100] == 0); /* zero-filled */
        strcpy(first + 100, "shared memory");
        CHECK(strcmp(second + 100, "shared memory") == 0);
    }
    /* The generic names (no A or W), as Microsoft's "Creating Named Shared Memory" calls them. */
    again = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, "Local\\overlapped_test_map");
    CHECK(again != NULL);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    /* A section is not something to wait on: its handle has no SYNCHRONIZE right. */
    SetLastError(0xdeadbeef);
    CHECK_EQ(WaitForSingleObject(mapping, 0), WAIT_FAILED);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    opened = OpenFileMapping(FILE_MAP_READ, FALSE, "Local\\overlapped_test_map");
    CHECK(opened != NULL);
    third = MapViewOfFile(opened, FILE_MAP_READ, 0, 0, 0);
    CHECK(third != NULL);
    if (third != NULL) CHECK(strcmp(third + 100, "shared memory") == 0);
    SetLastError(0xdeadbeef);
    CHECK(MapViewOfFile(opened, FILE_MAP_WRITE, 0, 0, 0) == NULL); /* the handle may only read */
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    {
        MEMORY_BASIC_INFORMATION info;
        void *private_memory;
        TEST("a view to VirtualQuery and VirtualFree; private memory to UnmapViewOfFile");
        CHECK_EQ(VirtualQuery(first + 5000, &info, sizeof info), sizeof info);
        CHECK(info.BaseAddress == first + 4096);
        CHECK(info.AllocationBase == first);
        CHECK_EQ(info.AllocationProtect, PAGE_READWRITE);
        CHECK_EQ(info.RegionSize, 65536 - 4096);
        CHECK_EQ(info.State, MEM_COMMIT);
        CHECK_EQ(info.Protect, PAGE_READWRITE);
        CHECK_EQ(info.Type, MEM_MAPPED);
        CHECK_EQ(VirtualQuery(second, &info, sizeof info), sizeof info);
        CHECK(info.AllocationBase == second);
        CHECK_EQ(info.Protect, PAGE_READONLY);
        CHECK_EQ(info.Type, MEM_MAPPED);
        SetLastError(0xdeadbeef);
        CHECK(!VirtualFree(first, 65536, MEM_DECOMMIT)); /* a view is not VirtualAlloc's */
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK(strcmp(second + 100, "shared memory") == 0);
        /* VirtualAlloc on a view's pages: MEM_RESET is taken, and MEM_COMMIT (they are
         * committed) sets their protection (Wine's kernel32 virtual test,
         * test_MapViewOfFile, which passes on Windows); past the view's end, no. */
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(first + 4096, 8192, MEM_RESET, PAGE_READONLY) == first + 4096);
        CHECK(VirtualAlloc(first + 4096, 4096, MEM_COMMIT, PAGE_READONLY) == first + 4096);
        CHECK_EQ(VirtualQuery(first + 4096, &info, sizeof info), sizeof info);
        CHECK(info.AllocationBase == first);
        CHECK_EQ(info.AllocationProtect, PAGE_READWRITE);
        CHECK_EQ(info.RegionSize, 4096);
        CHECK_EQ(info.Protect, PAGE_READONLY);
        CHECK_EQ(info.Type, MEM_MAPPED);
        CHECK(VirtualAlloc(first + 4096, 4096, MEM_COMMIT, PAGE_READWRITE) == first + 4096);
        first[4096] = 'v';
        CHECK(first[4096] == 'v');
        SetLastError(0xdeadbeef);
        CHECK(VirtualAlloc(first + 61440, 8192, MEM_COMMIT, PAGE_READWRITE) == NULL);
        CHECK_ERROR(ERROR_INVALID_ADDRESS); /* STATUS_CONFLICTING_ADDRESSES: ReactOS's NtMapViewOfSection test */
        private_memory = VirtualAlloc(NULL, 65536, MEM_COMMIT, PAGE_READONLY);
        CHECK(private_memory != NULL);
        SetLastError(0xdeadbeef);
        CHECK(!UnmapViewOfFile(private_memory));
        CHECK_ERROR(ERROR_INVALID_ADDRESS);
        SetLastError(0xdeadbeef);
        CHECK(!UnmapViewOfFile((char *)private_memory + 0x3000));
        CHECK_ERROR(ERROR_INVALID_ADDRESS);
        CHECK(VirtualFree(private_memory, 0, MEM_RELEASE));
    }
    UnmapViewOfFile(first);
    UnmapViewOfFile(second);
    UnmapViewOfFile(third);
    CloseHandle(opened);
    CloseHandle(again);
    CloseHandle(mapping);
}

/* The child: maps the inherited section (argv[2], hex), checks the parent's text, writes
 * its own. */
static int run_child(const char *value)
{
    HANDLE mapping = (HANDLE)(ULONG_PTR)strtoull(value, NULL, 16);
    char *view = MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    if (view == NULL) return 10;
    if (strcmp(view, "from the parent") != 0) return 11;
    strcpy(view + 200, "from the child");
    UnmapViewOfFile(view);
    CloseHandle(mapping);
    return 0;
}

static void test_shared_with_child(const char *self)
{
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    HANDLE mapping;
    char *view, line[2048];
    STARTUPINFOA startup;
    PROCESS_INFORMATION child;
    DWORD code = 99;

    TEST("a section inherited by a child: one memory in two processes");
    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, &inheritable, PAGE_READWRITE, 0, 65536, NULL);
    CHECK(mapping != NULL);
    view = MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    CHECK(view != NULL);
    if (view == NULL) return;
    strcpy(view, "from the parent");
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" %llx", self, (unsigned long long)(ULONG_PTR)mapping);
    CHECK(CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &child));
    CHECK_EQ(WaitForSingleObject(child.hProcess, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeProcess(child.hProcess, &code));
    CHECK_EQ(code, 0);
    CHECK(strcmp(view + 200, "from the child") == 0);
    CloseHandle(child.hProcess);
    CloseHandle(child.hThread);
    UnmapViewOfFile(view);
    CloseHandle(mapping);
}

/* A child that opens named memory by its name: "open NAME" checks the parent's text and
 * writes its own; "absent NAME" expects no such memory. */
static int run_named_child(const char *role, const char *name)
{
    HANDLE mapping, again;
    char *view;
    if (strcmp(role, "absent") == 0) {
        SetLastError(0xdeadbeef);
        if (OpenFileMappingA(FILE_MAP_READ, FALSE, name) != NULL) return 20;
        return GetLastError() == ERROR_FILE_NOT_FOUND ? 0 : 21;
    }
    mapping = OpenFileMappingA(FILE_MAP_ALL_ACCESS, FALSE, name);
    if (mapping == NULL) return 22;
    view = MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    if (view == NULL) return 23;
    if (strcmp(view, "named, from the parent") != 0) return 24;
    strcpy(view + 300, "named, from the child");
    again = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
    if (again == NULL || GetLastError() != ERROR_ALREADY_EXISTS) return 25;
    CloseHandle(again);
    UnmapViewOfFile(view);
    CloseHandle(mapping);
    return 0;
}

static DWORD run_self(const char *self, const char *arguments)
{
    char line[2048];
    STARTUPINFOA startup;
    PROCESS_INFORMATION child;
    DWORD code = 99;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" %s", self, arguments);
    if (!CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &child)) return 98;
    CHECK_EQ(WaitForSingleObject(child.hProcess, 10000), WAIT_OBJECT_0);
    GetExitCodeProcess(child.hProcess, &code);
    CloseHandle(child.hProcess);
    CloseHandle(child.hThread);
    return code;
}

static void test_named_across_processes(const char *self)
{
    char name[64], arguments[128];
    HANDLE mapping;
    char *view;

    TEST("named memory backed by the paging file: another process opens it by name");
    snprintf(name, sizeof name, "Local\\overlapped_shared_%lu", (unsigned long)GetCurrentProcessId());
    snprintf(arguments, sizeof arguments, "absent %s", name);
    CHECK_EQ(run_self(self, arguments), 0);
    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536, name);
    CHECK(mapping != NULL);
    CHECK_ERROR(ERROR_SUCCESS);
    view = MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    CHECK(view != NULL);
    if (view == NULL) return;
    strcpy(view, "named, from the parent");
    snprintf(arguments, sizeof arguments, "open %s", name);
    CHECK_EQ(run_self(self, arguments), 0);
    CHECK(strcmp(view + 300, "named, from the child") == 0);
    CloseHandle(mapping);
    /* Its last handle gone, the name is gone, though this process's view remains (Wine's
     * kernel32 virtual test, test_MapViewOfFile, which passes on Windows: a view keeps the
     * memory, not the name). */
    snprintf(arguments, sizeof arguments, "absent %s", name);
    CHECK_EQ(run_self(self, arguments), 0);
    CHECK(strcmp(view + 300, "named, from the child") == 0);
    UnmapViewOfFile(view);
    CHECK_EQ(run_self(self, arguments), 0);
}

/* GetMappedFileName ("Obtaining a File Name From a File Handle" maps a file and asks for
 * it): the name of the file mapped at any address of a view. Windows' errors, from Wine's
 * psapi test_GetMappedFileName (which passes on Windows): no buffer ERROR_INVALID_PARAMETER,
 * an address with nothing mapped ERROR_UNEXP_NET_ERR, memory of the paging file
 * ERROR_FILE_INVALID, a NULL process ERROR_INVALID_HANDLE; a one-character buffer gets an
 * empty string and 1. Windows' name is the NT device name, which begins with what
 * QueryDosDevice answers for the file's drive; here both are Linux names. */
static void test_mapped_file_name(void)
{
    HANDLE file, mapping;
    char *view, name[MAX_PATH], device[MAX_PATH], drive[3];
    const char *base_name = strrchr(path, '\\') > strrchr(path, '/') ? strrchr(path, '\\') : strrchr(path, '/');
    DWORD length;

    TEST("GetMappedFileName: the mapped file's name at any address of its view");
    file = make_file("", GENERIC_READ | GENERIC_WRITE);
    CHECK(file != INVALID_HANDLE_VALUE);
    SetFilePointer(file, 0x4000, NULL, FILE_BEGIN);
    CHECK(SetEndOfFile(file));
    mapping = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL);
    CHECK(mapping != NULL);
    view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
    CHECK(view != NULL && base_name != NULL);
    if (view == NULL || base_name == NULL) return;
    length = GetMappedFileNameA(GetCurrentProcess(), view + 0x2000, name, sizeof name);
    CHECK(length > 0);
    CHECK_EQ(length, strlen(name));
    /* The same file: the name ends with the file's own name (the separator aside). */
    CHECK(length > strlen(base_name) && _stricmp(name + length - strlen(base_name) + 1, base_name + 1) == 0);
    drive[0] = path[1] == ':' ? path[0] : 'C', drive[1] = ':', drive[2] = 0; /* a Linux name is on C: */
    CHECK(QueryDosDeviceA(drive, device, sizeof device) > 0);
    WINE_DEVIATION("Wine's mapped file names are \\??\\ DOS names, not under QueryDosDevice's device name")
    {
        CHECK(length > strlen(device) && memcmp(name, device, strlen(device)) == 0);
    }
    {
        WCHAR wide[MAX_PATH];
        CHECK_EQ(GetMappedFileNameW(GetCurrentProcess(), view, wide, MAX_PATH), length);
        CHECK_EQ(lstrlenW(wide), (int)length);
    }

    TEST("GetMappedFileName: a short buffer, no buffer, a NULL process");
    memset(name, 'x', sizeof name);
    CHECK_EQ(GetMappedFileNameA(GetCurrentProcess(), view, name, 1), 1);
    CHECK_EQ(name[0], 0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetMappedFileNameA(GetCurrentProcess(), view, NULL, sizeof name), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetMappedFileNameA(NULL, view, name, sizeof name), 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("GetMappedFileName: NULL, a view unmapped: ERROR_UNEXP_NET_ERR");
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetMappedFileNameA(GetCurrentProcess(), NULL, name, sizeof name), 0);
    CHECK_ERROR(ERROR_UNEXP_NET_ERR);
    CHECK(UnmapViewOfFile(view));
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetMappedFileNameA(GetCurrentProcess(), view + 0x2000, name, sizeof name), 0);
    CHECK_ERROR(ERROR_UNEXP_NET_ERR);
    CHECK(CloseHandle(mapping));
    CHECK(CloseHandle(file));

    TEST("GetMappedFileName: memory of the paging file is no file's: ERROR_FILE_INVALID");
    mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);
    CHECK(mapping != NULL);
    view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
    CHECK(view != NULL);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetMappedFileNameA(GetCurrentProcess(), view, name, sizeof name), 0);
    CHECK_ERROR(ERROR_FILE_INVALID);
    CHECK(UnmapViewOfFile(view));
    CHECK(CloseHandle(mapping));
}

int main(int argc, char **argv)
{
    char directory[MAX_PATH], self[MAX_PATH];
    if (argc == 3) return run_named_child(argv[1], argv[2]);
    if (argc == 2) return run_child(argv[1]);
    CHECK(GetModuleFileNameA(NULL, self, sizeof self) > 0);
    GetTempPathA(sizeof directory, directory);
    snprintf(path, sizeof path, "%sovl_mapping_%lu.dat", directory, (unsigned long)GetCurrentProcessId());
    test_file_views();
    test_user_mapped_file();
    test_view_access();
    test_copy_on_write();
    test_paging_file();
    test_shared_with_child(self);
    test_named_across_processes(self);
    test_mapped_file_name();
    DeleteFileA(path);
    return tl_finish();
}
