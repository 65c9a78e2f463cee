/* test_volume.c: drives and volumes as a Win32 program sees them: GetLogicalDrives,
 * GetLogicalDriveStringsA/W (the size rules), GetDriveTypeA/W, GetDiskFreeSpaceExA/W,
 * GetDiskFreeSpaceA/W, GetVolumePathNameA/W, GetVolumeInformationA/W (root names only),
 * CreateFile on drive names that do not exist, GetWindowsDirectoryA/W,
 * GetSystemDirectoryA/W and QueryDosDeviceA/W. Facts: Microsoft Learn's pages of each
 * function; Wine's kernel32/tests/volume.c and drive.c. Disk images mapped as drives:
 * tests/linux/test_physical_drive.c. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winioctl.h>

static char unmapped_letter(DWORD mask)
{
    for (int i = 25; i >= 2; --i)
        if (!(mask & (1u << i))) return (char)('A' + i);
    return 0;
}

static void test_logical_drives(void)
{
    TEST("GetLogicalDrives: C: is there");
    DWORD mask = GetLogicalDrives();
    CHECK(mask & (1u << 2));

    TEST("GetLogicalDriveStringsA: the size needed when the buffer is short, the strings otherwise");
    int count = 0;
    for (int i = 0; i < 26; ++i)
        if (mask & (1u << i)) ++count;
    DWORD needed = GetLogicalDriveStringsA(0, NULL);
    CHECK_EQ(needed, (DWORD)(count * 4 + 1));
    char small[2];
    CHECK_EQ(GetLogicalDriveStringsA(sizeof(small), small), needed);
    char strings[26 * 4 + 1];
    memset(strings, 'x', sizeof(strings));
    DWORD length = GetLogicalDriveStringsA(sizeof(strings), strings);
    CHECK_EQ(length, needed - 1);
    CHECK_EQ(strings[length], 0);
    int found_c = 0, listed = 0;
    for (char *at = strings; *at != 0; at += strlen(at) + 1) {
        ++listed;
        CHECK_EQ(strlen(at), (size_t)3);
        CHECK(at[1] == ':' && at[2] == '\\');
        CHECK(mask & (1u << (at[0] - 'A')));
        if (at[0] == 'C') found_c = 1;
    }
    CHECK_EQ(listed, count);
    CHECK(found_c);

    TEST("GetLogicalDriveStringsW: the same in UTF-16");
    WCHAR wide[26 * 4 + 1];
    CHECK_EQ(GetLogicalDriveStringsW(0, NULL), needed);
    CHECK_EQ(GetLogicalDriveStringsW(sizeof(wide) / sizeof(wide[0]), wide), needed - 1);
    for (DWORD i = 0; i < needed; ++i) CHECK_EQ((char)wide[i], strings[i]);
}

static void test_drive_type(void)
{
    TEST("GetDriveTypeA/W: C:\\ is a fixed disk; a letter with nothing behind it has no root");
    CHECK_EQ(GetDriveTypeA("C:\\"), (UINT)DRIVE_FIXED);
    CHECK_EQ(GetDriveTypeW(L"C:\\"), (UINT)DRIVE_FIXED);
    char missing[] = "?:\\";
    missing[0] = unmapped_letter(GetLogicalDrives());
    CHECK_EQ(GetDriveTypeA(missing), (UINT)DRIVE_NO_ROOT_DIR);
    TEST("GetDriveTypeA: a directory that is not a root");
    CHECK_EQ(GetDriveTypeA("C:\\no_such_directory_overlapped\\"), (UINT)DRIVE_NO_ROOT_DIR);
}

static void test_free_space(void)
{
    TEST("GetDiskFreeSpaceExA/W: total >= free >= available to the caller, all optional");
    ULARGE_INTEGER available, total, free_bytes;
    CHECK(GetDiskFreeSpaceExA("C:\\", &available, &total, &free_bytes));
    CHECK(total.QuadPart > 0);
    CHECK(free_bytes.QuadPart <= total.QuadPart);
    CHECK(available.QuadPart <= total.QuadPart);
    ULARGE_INTEGER again;
    CHECK(GetDiskFreeSpaceExW(L"C:\\", NULL, &again, NULL));
    CHECK_EQ(again.QuadPart, total.QuadPart);
    CHECK(GetDiskFreeSpaceExA(NULL, NULL, &again, NULL));  /* the current directory's */
    TEST("GetDiskFreeSpaceExA: a directory that does not exist (opened as a file: not found)");
    SetLastError(0);
    CHECK(!GetDiskFreeSpaceExA("C:\\no_such_directory_overlapped\\", &available, &total, &free_bytes));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0);
    CHECK(!GetDiskFreeSpaceExA("C:\\no_such_directory_overlapped\\deeper\\", &available, &total, &free_bytes));
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
}

static void test_free_clusters(void)
{
    TEST("GetDiskFreeSpaceA/W: clusters that cover the bytes GetDiskFreeSpaceEx reports");
    DWORD sectors = 0, bytes = 0, free_clusters = 0, clusters = 0;
    CHECK(GetDiskFreeSpaceA("C:\\", &sectors, &bytes, &free_clusters, &clusters));
    CHECK(sectors > 0 && bytes > 0 && clusters > 0);
    CHECK(free_clusters <= clusters);
    ULARGE_INTEGER total;
    CHECK(GetDiskFreeSpaceExA("C:\\", NULL, &total, NULL));
    CHECK(total.QuadPart <= (ULONGLONG)sectors * bytes * clusters);
    CHECK(GetDiskFreeSpaceW(L"C:\\", &sectors, &bytes, &free_clusters, &clusters));
    TEST("GetDiskFreeSpaceA: NULL, \\ and / are the current drive's; every output optional");
    CHECK(GetDiskFreeSpaceA(NULL, &sectors, &bytes, &free_clusters, &clusters));
    CHECK(GetDiskFreeSpaceA("\\", &sectors, &bytes, &free_clusters, &clusters));
    CHECK(GetDiskFreeSpaceA("/", &sectors, &bytes, &free_clusters, &clusters));
    CHECK(GetDiskFreeSpaceA("C:\\", NULL, NULL, NULL, NULL));
    TEST("GetDiskFreeSpaceA/W: an empty name, a drive with nothing behind it");
    SetLastError(0);
    CHECK(!GetDiskFreeSpaceW(L"", &sectors, &bytes, &free_clusters, &clusters));
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    char missing[] = "?:\\";
    missing[0] = unmapped_letter(GetLogicalDrives());
    SetLastError(0);
    CHECK(!GetDiskFreeSpaceA(missing, &sectors, &bytes, &free_clusters, &clusters));
    CHECK(GetLastError() == ERROR_PATH_NOT_FOUND || GetLastError() == ERROR_INVALID_DRIVE);
}

/* GetVolumePathName (Wine's kernel32 volume tests, test_GetVolumePathNameA/W). */
static void expect_volume_path(const char *name, DWORD size, BOOL succeeds, const char *expected, DWORD error)
{
    char out[MAX_PATH];
    memset(out, 0, sizeof(out));
    if (size < sizeof(out)) out[size] = 0x11;
    SetLastError(0xdeadbeef);
    BOOL done = GetVolumePathNameA(name, out, size);
    if (succeeds != done) printf("  GetVolumePathNameA(%s, %lu): %d, error %lu\n", name, (unsigned long)size, done,
                                 (unsigned long)GetLastError());
    CHECK_EQ(done, succeeds);
    if (succeeds) CHECK(strcmp(out, expected) == 0);
    else CHECK_ERROR(error);
    if (size < sizeof(out)) CHECK_EQ(out[size], 0x11);  /* nothing past the buffer */
}

static void test_volume_path_name(void)
{
    TEST("GetVolumePathNameA: the drive's root for names on it, whether they exist or not");
    expect_volume_path("C:\\", MAX_PATH, TRUE, "C:\\", 0);
    expect_volume_path("c:\\", MAX_PATH, TRUE, "C:\\", 0);
    expect_volume_path("C:/", 4, TRUE, "C:\\", 0);
    expect_volume_path("C:\\no_such_directory\\AnInvalidFolder", MAX_PATH, TRUE, "C:\\", 0);
    expect_volume_path("\\\\?\\C:\\AnInvalidFolder", MAX_PATH, TRUE, "\\\\?\\C:\\", 0);
    expect_volume_path("C:ABC:DEF:\\AnInvalidFolder", MAX_PATH, TRUE, "C:\\", 0);

    TEST("GetVolumePathNameA: a buffer one short drops the separator; shorter fails");
    expect_volume_path("C:\\", 3, TRUE, "C:", 0);
    expect_volume_path("C::", 3, TRUE, "C:", 0);
    expect_volume_path("\\\\?\\c:\\AnInvalidFolder", 7, TRUE, "\\\\?\\c:", 0);
    expect_volume_path("C:\\", 2, FALSE, NULL, ERROR_FILENAME_EXCED_RANGE);
    expect_volume_path("\\\\?\\C:\\AnInvalidFolder", 6, FALSE, NULL, ERROR_FILENAME_EXCED_RANGE);

    TEST("GetVolumePathNameA: bad names, letters with no drive, no buffer");
    expect_volume_path("\\\\$$$", 1, FALSE, NULL, ERROR_INVALID_NAME);
    expect_volume_path("\\\\?\\InvalidDrive:\\AnInvalidFolder", MAX_PATH, FALSE, NULL, ERROR_INVALID_NAME);
    char missing[] = "?:/";
    missing[0] = unmapped_letter(GetLogicalDrives());
    expect_volume_path(missing, 4, FALSE, NULL, ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNameA("C:\\", NULL, 0));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNameA("", NULL, 0));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("GetVolumePathNameA: a relative name is the current directory's volume");
    char cwd[MAX_PATH], here[MAX_PATH], relative[MAX_PATH];
    GetCurrentDirectoryA(sizeof(cwd), cwd);
    CHECK(GetVolumePathNameA(cwd, here, sizeof(here)));
    CHECK(GetVolumePathNameA("relative/path", relative, sizeof(relative)));
    CHECK(strcmp(here, relative) == 0);

    TEST("GetVolumePathNameW: the same rules in UTF-16");
    WCHAR wide[8];
    wide[3] = 0x11;
    CHECK(GetVolumePathNameW(L"C:\\", wide, 3));
    CHECK(wide[0] == 'C' && wide[1] == ':' && wide[2] == 0 && wide[3] == 0x11);
    CHECK(GetVolumePathNameW(L"C:\\", wide, 4));
    CHECK(lstrcmpW(wide, L"C:\\") == 0);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNameW(L"C:\\", wide, 2));
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);
}

static void test_volume_information(void)
{
    TEST("GetVolumeInformationA/W of C:\\: a file system name, 255-character components, case preserved");
    char name[MAX_PATH + 1], fs[MAX_PATH + 1];
    DWORD serial = 0, component = 0, flags = 0;
    CHECK(GetVolumeInformationA("C:\\", name, sizeof(name), &serial, &component, &flags, fs, sizeof(fs)));
    CHECK(strlen(fs) > 0);
    CHECK_EQ(component, 255u);
    CHECK(flags & FILE_CASE_PRESERVED_NAMES);
    WCHAR wname[MAX_PATH + 1], wfs[MAX_PATH + 1];
    DWORD wserial = 0;
    CHECK(GetVolumeInformationW(L"C:\\", wname, MAX_PATH + 1, &wserial, NULL, NULL, wfs, MAX_PATH + 1));
    CHECK_EQ(wserial, serial);
    CHECK_EQ((char)wfs[0], fs[0]);
    CHECK(GetVolumeInformationA("C:\\", NULL, 0, NULL, NULL, NULL, NULL, 0));

    TEST("GetVolumeInformationA/GetDriveTypeA: the device form \\\\.\\C:\\ names the drive too");
    CHECK(GetVolumeInformationA("\\\\.\\C:\\", name, sizeof(name), NULL, NULL, NULL, fs, sizeof(fs)));
    CHECK(GetVolumeInformationA("\\\\?\\C:\\", name, sizeof(name), NULL, NULL, NULL, fs, sizeof(fs)));
    CHECK_EQ(GetDriveTypeA("\\\\.\\C:\\"), (UINT)DRIVE_FIXED);

    TEST("GetVolumeInformationA(\"C:\"): the current directory of C:, fine at its root only");
    char cwd[MAX_PATH], full[MAX_PATH];
    GetCurrentDirectoryA(sizeof(cwd), cwd);
    CHECK(SetCurrentDirectoryA("C:\\"));
    CHECK(GetVolumeInformationA("C:", name, sizeof(name), NULL, NULL, NULL, fs, sizeof(fs)));
    char temp[MAX_PATH];
    GetTempPathA(sizeof(temp), temp);
    CHECK(SetCurrentDirectoryA(temp));
    /* Only when the temporary directory lies on C: (it does, unless the drive map moves C:). */
    if (GetFullPathNameA("C:", sizeof(full), full, NULL) > 3) {
        SetLastError(0);
        CHECK(!GetVolumeInformationA("C:", name, sizeof(name), NULL, NULL, NULL, fs, sizeof(fs)));
        CHECK_ERROR(ERROR_INVALID_NAME);
    }
    CHECK(SetCurrentDirectoryA(cwd));
    TEST("GetVolumeInformationA: a directory off the root, with and without a separator");
    SetLastError(0);
    CHECK(!GetVolumeInformationA("C:\\tmp\\", name, sizeof(name), NULL, NULL, NULL, fs, sizeof(fs)));
    CHECK_ERROR(ERROR_DIR_NOT_ROOT);
    SetLastError(0);
    CHECK(!GetVolumeInformationA("C:\\tmp", name, sizeof(name), NULL, NULL, NULL, fs, sizeof(fs)));
    CHECK_ERROR(ERROR_INVALID_NAME);

    TEST("GetVolumeInformationA: a drive with nothing behind it fails");
    char missing[] = "?:\\";
    missing[0] = unmapped_letter(GetLogicalDrives());
    SetLastError(0);
    CHECK(!GetVolumeInformationA(missing, name, sizeof(name), &serial, &component, &flags, fs, sizeof(fs)));
    CHECK(GetLastError() == ERROR_PATH_NOT_FOUND || GetLastError() == ERROR_NOT_READY);
}

static void test_drive_names(void)
{
    TEST("CreateFile on a physical drive that does not exist: ERROR_FILE_NOT_FOUND");
    SetLastError(0);
    HANDLE drive = CreateFileA("\\\\.\\PHYSICALDRIVE97", 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
                               NULL);
    CHECK(drive == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    TEST("CreateFile on a drive letter with nothing behind it: ERROR_FILE_NOT_FOUND");
    char volume[] = "\\\\.\\?:";
    volume[4] = unmapped_letter(GetLogicalDrives());
    SetLastError(0);
    drive = CreateFileA(volume, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(drive == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
}

static void test_system_directories(void)
{
    char windows[MAX_PATH], system[MAX_PATH];
    WCHAR wide[MAX_PATH];

    TEST("GetWindowsDirectoryA/W: the length on success, the size with the terminator when short");
    UINT length = GetWindowsDirectoryA(windows, MAX_PATH);
    CHECK(length > 3);
    CHECK_EQ(strlen(windows), length);
    CHECK(lstrcmpiA(windows, "C:\\Windows") == 0);
    CHECK_EQ(GetWindowsDirectoryA(NULL, 0), length + 1);
    memset(system, 'x', sizeof(system));
    CHECK_EQ(GetWindowsDirectoryA(system, length), length + 1);
    CHECK_EQ(system[0], 'x'); /* nothing stored */
    CHECK_EQ(GetWindowsDirectoryA(system, length + 1), length);
    CHECK_EQ(GetWindowsDirectoryW(wide, MAX_PATH), length);
    CHECK_EQ(GetWindowsDirectoryW(wide, length), length + 1);

    TEST("GetSystemDirectoryA/W: system32 in the Windows directory");
    length = GetSystemDirectoryA(system, MAX_PATH);
    CHECK_EQ(strlen(system), length);
    CHECK(length == strlen(windows) + 9 && strncmp(system, windows, strlen(windows)) == 0 &&
          lstrcmpiA(system + strlen(windows), "\\system32") == 0);
    CHECK_EQ(GetSystemDirectoryA(NULL, 0), length + 1);
    CHECK_EQ(GetSystemDirectoryA(system, length), length + 1);
    CHECK_EQ(GetSystemDirectoryW(wide, MAX_PATH), length);
    CHECK_EQ(wide[length], 0);
    CHECK_EQ(wide[2], '\\');
}

static void test_query_dos_device(void)
{
    static char list[65536];
    char target[MAX_PATH];
    WCHAR wide_name[3] = {'C', ':', 0}, wide_target[MAX_PATH];

    TEST("QueryDosDeviceA: a drive's target, with two terminators; names without case");
    SetLastError(0xdeadbeef);
    DWORD length = QueryDosDeviceA("C:", target, sizeof(target));
    CHECK(length > 2);
    CHECK_EQ(length, strlen(target) + 2);
    CHECK(length >= 2 && target[length - 1] == 0 && target[length - 2] == 0);
    CHECK_EQ(QueryDosDeviceA("c:", target, sizeof(target)), length);
    CHECK_EQ(QueryDosDeviceW(wide_name, wide_target, MAX_PATH), length);
    CHECK_EQ(wide_target[0], (WCHAR)(unsigned char)target[0]);
    if (!tl_under_wine()) {
        /* a drive stands for its Linux directory (docs/drives.md); Windows names a
         * device ("\\Device\\HarddiskVolume3") */
        CHECK_EQ(target[0], '/');
        CHECK(QueryDosDeviceA("NUL", target, sizeof(target)) > 0 && strcmp(target, "/dev/null") == 0);
    }
    CHECK(QueryDosDeviceA("nul", target, sizeof(target)) > 0);

    TEST("QueryDosDeviceA: a short buffer, an unknown name");
    SetLastError(0xdeadbeef);
    CHECK_EQ(QueryDosDeviceA("C:", target, length - 1), 0);
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    char unmapped[] = "?:";
    unmapped[0] = unmapped_letter(GetLogicalDrives());
    SetLastError(0xdeadbeef);
    CHECK_EQ(QueryDosDeviceA(unmapped, target, sizeof(target)), 0);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK_EQ(QueryDosDeviceA("NoSuchDevice", target, sizeof(target)), 0);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    TEST("QueryDosDeviceA(NULL): every name, each of which answers (Wine's volume.c test_dos_devices)");
    SetLastError(0xdeadbeef);
    CHECK_EQ(QueryDosDeviceA(NULL, NULL, 0), 0);
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    length = QueryDosDeviceA(NULL, list, sizeof(list));
    CHECK(length > 2);
    CHECK(length >= 2 && list[length - 1] == 0 && list[length - 2] == 0);
    int found_c = 0, all_answer = 1;
    for (char *name = list; *name != 0 && name < list + length; name += strlen(name) + 1) {
        if (lstrcmpiA(name, "C:") == 0) found_c = 1;
        SetLastError(0xdeadbeef);
        /* Windows 10 also lists a security device that takes privileges to query */
        if (QueryDosDeviceA(name, target, sizeof(target)) == 0 && GetLastError() != ERROR_ACCESS_DENIED)
            all_answer = 0;
    }
    CHECK(found_c);
    CHECK(all_answer);
    SetLastError(0xdeadbeef);
    CHECK_EQ(QueryDosDeviceA(NULL, list, length - 1), 0);
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
}

/* Microsoft's samples call the drive functions by their generic names (no A or W), which
 * follow UNICODE; this test is built without it, so they are the A forms. */
static void test_generic_names(void)
{
    TEST("GetDriveType, GetDiskFreeSpace(Ex), GetVolumeInformation, ...: the generic names");
    char strings[256], path[MAX_PATH], name[MAX_PATH], file_system[MAX_PATH];
    CHECK_EQ(GetLogicalDriveStrings(sizeof(strings), strings), GetLogicalDriveStringsA(sizeof(strings), strings));
    CHECK_EQ(GetDriveType("C:\\"), (UINT)DRIVE_FIXED);
    ULARGE_INTEGER available, total, free_bytes;
    CHECK(GetDiskFreeSpaceEx("C:\\", &available, &total, &free_bytes));
    CHECK(total.QuadPart > 0);
    DWORD sectors, bytes, free_clusters, clusters;
    CHECK(GetDiskFreeSpace("C:\\", &sectors, &bytes, &free_clusters, &clusters));
    CHECK(GetVolumePathName("C:\\", path, MAX_PATH));
    CHECK(strcmp(path, "C:\\") == 0);
    DWORD serial, max_component, flags;
    CHECK(GetVolumeInformation("C:\\", name, MAX_PATH, &serial, &max_component, &flags, file_system, MAX_PATH));
}

int main(void)
{
    test_logical_drives();
    test_drive_type();
    test_free_space();
    test_free_clusters();
    test_volume_path_name();
    test_volume_information();
    test_drive_names();
    test_system_directories();
    test_query_dos_device();
    test_generic_names();
    return tl_finish();
}
