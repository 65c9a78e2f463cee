/* test_volume.c: drives and volumes as a Win32 program sees them: GetLogicalDrives,
 * GetLogicalDriveStringsA/W (the size rules), GetDriveTypeA/W, GetDiskFreeSpaceExA/W,
 * GetDiskFreeSpaceA/W, GetVolumePathNameA/W, GetVolumeInformationA/W (root names only),
 * CreateFile on drive names that do not exist, GetWindowsDirectoryA/W, GetSystemWindowsDirectoryA/W,
 * GetSystemDirectoryA/W and QueryDosDeviceA/W; volume GUID paths:
 * GetVolumeNameForVolumeMountPointA/W, FindFirstVolumeA/W and the rest of the search,
 * GetVolumePathNamesForVolumeNameA/W, FindFirstVolumeMountPointA/W, and the GUID path where
 * Windows takes it (GetVolumeInformation, GetDriveType, CreateFile, GetFinalPathNameByHandle). Facts: Microsoft Learn's pages of each
 * function; Wine's kernel32/tests/volume.c and drive.c. Disk images mapped as drives:
 * tests/linux/test_physical_drive.c. */
#include "testlib.h"

#include <ctype.h>
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
    TEST("GetDiskFreeSpaceExA/W, GetDiskFreeSpaceA: a DOS device path \\\\.\\C:\\ is C:'s root directory");
    CHECK(GetDiskFreeSpaceExA("\\\\.\\C:\\", NULL, &again, NULL));
    CHECK_EQ(again.QuadPart, total.QuadPart);
    CHECK(GetDiskFreeSpaceExW(L"\\\\.\\C:\\", NULL, &again, NULL));
    CHECK_EQ(again.QuadPart, total.QuadPart);
    {
        DWORD spc = 0, bps = 0, fc = 0, tc = 0;
        CHECK(GetDiskFreeSpaceA("\\\\.\\C:\\", &spc, &bps, &fc, &tc));
        CHECK(spc > 0 && bps > 0 && tc > 0);
    }
    /* a file name through it: the root is a directory */
    {
        DWORD attributes = GetFileAttributesA("\\\\.\\C:\\");
        CHECK(attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY));
    }
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
    TEST("GetVolumeInformationA: a directory off the root (no mount point), with and without a separator");
    char directory[2 * MAX_PATH], dos[2 * MAX_PATH];
    snprintf(directory, sizeof(directory), "%svolume_dir_%lu", temp, (unsigned long)GetCurrentProcessId());
    CHECK(CreateDirectoryA(directory, NULL));
    /* Its name on its drive, "C:\..." (the temporary directory may be a Linux name here) */
    HANDLE opened = CreateFileA(directory, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                                FILE_FLAG_BACKUP_SEMANTICS, NULL);
    CHECK(opened != INVALID_HANDLE_VALUE);
    DWORD length = GetFinalPathNameByHandleA(opened, dos, sizeof(dos) - 1, VOLUME_NAME_DOS);
    CHECK(length > 7 && length < sizeof(dos) - 1);
    CloseHandle(opened);
    if (length > 7 && length < sizeof(dos) - 1) {
        strcat(dos, "\\");
        SetLastError(0);
        CHECK(!GetVolumeInformationA(dos + 4, name, sizeof(name), NULL, NULL, NULL, fs, sizeof(fs)));
        CHECK_ERROR(ERROR_DIR_NOT_ROOT);
    }
    CHECK(RemoveDirectoryA(directory));
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

/* Wine's kernel32 volume tests, test_disk_extents: a volume's extents on its disks. */
static void test_disk_extents(void)
{
    TEST("IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS on \\\\.\\C: (when C: has a device): one extent, 32 bytes");
    HANDLE volume = CreateFileA("\\\\.\\C:", 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (volume == INVALID_HANDLE_VALUE) {
        printf("   C: has no volume device here: skipped\n");
        return;
    }
    VOLUME_DISK_EXTENTS extents;
    STORAGE_DEVICE_NUMBER number;
    DWORD returned = 0;
    SetLastError(0xdeadbeef);
    BOOL done = DeviceIoControl(volume, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0, &extents, sizeof(extents),
                                &returned, NULL);
    if (!done && GetLastError() == ERROR_INVALID_FUNCTION) {
        /* Wine; and the library for a volume on no disk of the physical-drive map */
        printf("   IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS not taken: skipped\n");
    } else {
        CHECK(done);
        CHECK_EQ(returned, (DWORD)sizeof(extents));
        CHECK_EQ(sizeof(extents), (size_t)32);
        WINE_DEVIATION("Wine answers with an empty structure and takes any buffer size")
        {
            CHECK(extents.NumberOfDiskExtents >= 1);
            CHECK(extents.Extents[0].ExtentLength.QuadPart > 0);
            if (DeviceIoControl(volume, IOCTL_STORAGE_GET_DEVICE_NUMBER, NULL, 0, &number, sizeof(number), &returned,
                                NULL))
                CHECK_EQ(extents.Extents[0].DiskNumber, number.DeviceNumber);
            SetLastError(0xdeadbeef);
            CHECK(!DeviceIoControl(volume, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0, &extents, 8, &returned, NULL));
            CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
        }
    }
    CloseHandle(volume);
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

    TEST("GetSystemWindowsDirectoryA/W: the Windows directory on a single-user system, same rules");
    memset(system, 'x', sizeof(system));
    length = GetSystemWindowsDirectoryA(system, MAX_PATH);
    CHECK_EQ(length, strlen(windows));
    CHECK(lstrcmpiA(system, windows) == 0);
    CHECK_EQ(GetSystemWindowsDirectoryA(NULL, 0), length + 1);
    memset(system, 'x', sizeof(system));
    CHECK_EQ(GetSystemWindowsDirectoryA(system, length), length + 1);
    CHECK_EQ(system[0], 'x'); /* nothing stored */
    CHECK_EQ(GetSystemWindowsDirectoryW(wide, MAX_PATH), length);
    CHECK_EQ(wide[length], 0);
    CHECK_EQ(GetSystemWindowsDirectoryW(wide, length), length + 1);
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

/* A volume GUID path: "\\?\Volume{" 8-4-4-4-12 hex digits "}\", 49 characters. */
static int is_guid_path(const char *name)
{
    if (strlen(name) != 49 || strncmp(name, "\\\\?\\Volume{", 11) != 0 || strcmp(name + 47, "}\\") != 0) return 0;
    for (int i = 11; i < 47; ++i) {
        int dash = i == 19 || i == 24 || i == 29 || i == 34;
        if (dash ? name[i] != '-' : !isxdigit((unsigned char)name[i])) return 0;
    }
    return 1;
}

static void test_volume_name_for_mount_point(void)
{
    char volume[MAX_PATH], again[MAX_PATH], temp[MAX_PATH], directory[2 * MAX_PATH];

    TEST("GetVolumeNameForVolumeMountPointA: a drive's root gives its volume GUID path");
    SetLastError(0xdeadbeef);
    CHECK(GetVolumeNameForVolumeMountPointA("C:\\", volume, sizeof(volume)));
    CHECK(is_guid_path(volume));
    CHECK(GetVolumeNameForVolumeMountPointA("c:\\", again, sizeof(again)));
    CHECK(strcmp(volume, again) == 0);
    WCHAR wide[MAX_PATH];
    CHECK(GetVolumeNameForVolumeMountPointW(L"C:\\", wide, MAX_PATH));
    CHECK_EQ((size_t)lstrlenW(wide), strlen(volume));
    int same = 1;
    for (int i = 0; volume[i] != 0; ++i)
        if (wide[i] != (WCHAR)(unsigned char)volume[i]) same = 0;
    CHECK(same);

    TEST("GetVolumeNameForVolumeMountPointA: the buffer holds the 50 characters of the answer or fails");
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeNameForVolumeMountPointA("C:\\", again, 0));
    CHECK(GetLastError() == ERROR_INVALID_PARAMETER || GetLastError() == ERROR_FILENAME_EXCED_RANGE);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeNameForVolumeMountPointA("C:\\", again, 10));
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeNameForVolumeMountPointA("C:\\", again, 49));
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);
    CHECK(GetVolumeNameForVolumeMountPointA("C:\\", again, 50));
    CHECK(strcmp(volume, again) == 0);

    TEST("GetVolumeNameForVolumeMountPointA: a directory that is no mount point, a letter with no drive");
    GetTempPathA(sizeof(temp), temp);
    snprintf(directory, sizeof(directory), "%svolume_test_%lu\\", temp, (unsigned long)GetCurrentProcessId());
    CHECK(CreateDirectoryA(directory, NULL));
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeNameForVolumeMountPointA(directory, again, sizeof(again)));
    CHECK(GetLastError() == ERROR_NOT_A_REPARSE_POINT || GetLastError() == ERROR_INVALID_FUNCTION /* FAT */);
    CHECK(RemoveDirectoryA(directory));
    char missing[] = "?:\\";
    missing[0] = unmapped_letter(GetLogicalDrives());
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeNameForVolumeMountPointA(missing, again, sizeof(again)));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    TEST("GetVolumeNameForVolumeMountPointA: no trailing separator: ERROR_INVALID_NAME");
    missing[2] = 0;
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeNameForVolumeMountPointA(missing, again, sizeof(again)));
    CHECK_ERROR(ERROR_INVALID_NAME);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeNameForVolumeMountPointA("C:", again, sizeof(again)));
    CHECK_ERROR(ERROR_INVALID_NAME);

    TEST("GetVolumeNameForVolumeMountPointA: a volume GUID path names its own volume");
    WINE_DEVIATION("Wine refuses a volume GUID path (ERROR_NOT_A_REPARSE_POINT)")
    {
        CHECK(GetVolumeNameForVolumeMountPointA(volume, again, sizeof(again)));
        CHECK(strcmp(volume, again) == 0);
        SetLastError(0xdeadbeef);
        CHECK(!GetVolumeNameForVolumeMountPointA("\\\\?\\Volume{00000000-0000-0000-0000-000000000000}\\", again,
                                                 sizeof(again)));
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    }
}

static void test_find_volumes(void)
{
    char volume[MAX_PATH], name[51];
    WCHAR wide[MAX_PATH];

    TEST("FindFirstVolumeA: a buffer under 50 characters fails");
    SetLastError(0xdeadbeef);
    CHECK(FindFirstVolumeA(name, 0) == INVALID_HANDLE_VALUE);
    CHECK(GetLastError() == ERROR_FILENAME_EXCED_RANGE || GetLastError() == ERROR_MORE_DATA /* XP */);
    SetLastError(0xdeadbeef);
    CHECK(FindFirstVolumeA(name, 49) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILENAME_EXCED_RANGE);

    TEST("FindFirstVolumeA/FindNextVolumeA: GUID paths, C:'s among them, then ERROR_NO_MORE_FILES");
    CHECK(GetVolumeNameForVolumeMountPointA("C:\\", volume, sizeof(volume)));
    HANDLE search = FindFirstVolumeA(name, sizeof(name));
    CHECK(search != INVALID_HANDLE_VALUE);
    if (search == INVALID_HANDLE_VALUE) return;
    int count = 0, all_guid = 1, found_c = 0;
    do {
        ++count;
        if (!is_guid_path(name)) all_guid = 0;
        if (strcmp(name, volume) == 0) found_c = 1;
        SetLastError(0xdeadbeef);
    } while (count < 1000 && FindNextVolumeA(search, name, sizeof(name)));
    CHECK_ERROR(ERROR_NO_MORE_FILES);
    CHECK(all_guid);
    CHECK(found_c);
    SetLastError(0xdeadbeef);
    CHECK(!FindNextVolumeA(search, name, sizeof(name)));
    CHECK_ERROR(ERROR_NO_MORE_FILES);
    CHECK(FindVolumeClose(search));

    TEST("FindFirstVolumeW: the same first volume in UTF-16");
    char first[51];
    search = FindFirstVolumeA(first, sizeof(first));
    CHECK(search != INVALID_HANDLE_VALUE);
    if (search != INVALID_HANDLE_VALUE) CHECK(FindVolumeClose(search));
    search = FindFirstVolumeW(wide, MAX_PATH);
    CHECK(search != INVALID_HANDLE_VALUE);
    if (search == INVALID_HANDLE_VALUE) return;
    CHECK_EQ((size_t)lstrlenW(wide), strlen(first));
    CHECK_EQ(wide[10], (WCHAR)'{');
    CHECK(wide[11] == (WCHAR)(unsigned char)first[11] && wide[46] == (WCHAR)(unsigned char)first[46]);
    int more = FindNextVolumeW(search, wide, MAX_PATH);
    CHECK(more || GetLastError() == ERROR_NO_MORE_FILES);
    CHECK(FindVolumeClose(search));
}

static void test_volume_path_names(void)
{
    char volume[MAX_PATH], names[4096];
    DWORD length, error;

    CHECK(GetVolumeNameForVolumeMountPointA("C:\\", volume, sizeof(volume)));

    TEST("GetVolumePathNamesForVolumeNameA: no name or an empty one: ERROR_INVALID_NAME");
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNamesForVolumeNameA(NULL, NULL, 0, NULL));
    CHECK_ERROR(ERROR_INVALID_NAME);
    length = 0;
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNamesForVolumeNameA("", names, sizeof(names), &length));
    CHECK_ERROR(ERROR_INVALID_NAME);

    TEST("GetVolumePathNamesForVolumeNameA: no buffer: ERROR_MORE_DATA with the size needed");
    length = 0;
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNamesForVolumeNameA(volume, NULL, 0, &length));
    CHECK_ERROR(ERROR_MORE_DATA);
    DWORD needed = length;
    CHECK(needed >= 5);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNamesForVolumeNameA(volume, names, 0, NULL));
    CHECK_ERROR(ERROR_MORE_DATA);

    TEST("GetVolumePathNamesForVolumeNameA: C:\\ first, strings with two terminators, the count stored");
    memset(names, 0x55, sizeof(names));
    length = 0;
    CHECK(GetVolumePathNamesForVolumeNameA(volume, names, sizeof(names), &length));
    CHECK_EQ(length, needed);
    CHECK(strcmp(names, "C:\\") == 0);
    CHECK(length >= 2 && names[length - 1] == 0 && names[length - 2] == 0);
    DWORD counted = 1;
    for (char *at = names; *at != 0; at += strlen(at) + 1) counted += (DWORD)strlen(at) + 1;
    CHECK_EQ(counted, length);
    CHECK(GetVolumePathNamesForVolumeNameA(volume, names, sizeof(names), NULL));
    CHECK(GetVolumePathNamesForVolumeNameA(volume, names, needed, &length));
    length = 0;
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNamesForVolumeNameA(volume, names, needed - 1, &length));
    error = GetLastError();
    CHECK_EQ(error, (DWORD)ERROR_MORE_DATA);
    CHECK_EQ(length, needed);

    TEST("GetVolumePathNamesForVolumeNameA: each mounted folder names the volume again");
    memset(names, 0, sizeof(names));
    CHECK(GetVolumePathNamesForVolumeNameA(volume, names, sizeof(names), NULL));
    int all_back = 1;
    for (char *at = names; *at != 0; at += strlen(at) + 1) {
        char back[MAX_PATH];
        if (!GetVolumeNameForVolumeMountPointA(at, back, sizeof(back)) || strcmp(back, volume) != 0) all_back = 0;
    }
    CHECK(all_back);

    TEST("GetVolumePathNamesForVolumeNameA/W: a name without its separator, a GUID no volume has");
    char cut[MAX_PATH];
    strcpy(cut, volume);
    cut[strlen(cut) - 1] = 0;
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNamesForVolumeNameA(cut, names, sizeof(names), &length));
    CHECK_ERROR(ERROR_INVALID_NAME);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNamesForVolumeNameA("C:\\", names, sizeof(names), &length));
    CHECK_ERROR(ERROR_INVALID_NAME);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumePathNamesForVolumeNameW(L"\\\\?\\Volume{00000000-0000-0000-0000-000000000000}\\", NULL, 0,
                                            &length));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    WCHAR wide_volume[MAX_PATH], wide_names[1024];
    CHECK(GetVolumeNameForVolumeMountPointW(L"C:\\", wide_volume, MAX_PATH));
    length = 0;
    CHECK(GetVolumePathNamesForVolumeNameW(wide_volume, wide_names, 1024, &length));
    CHECK_EQ(length, needed);
    CHECK(wide_names[0] == 'C' && wide_names[1] == ':' && wide_names[2] == '\\' && wide_names[3] == 0);
}

static void test_volume_guid_paths(void)
{
    char volume[MAX_PATH], cut[MAX_PATH], name[MAX_PATH + 1], fs[MAX_PATH + 1], fs_c[MAX_PATH + 1];
    DWORD serial = 0, serial_c = 1;
    CHECK(GetVolumeNameForVolumeMountPointA("C:\\", volume, sizeof(volume)));
    strcpy(cut, volume);
    cut[strlen(cut) - 1] = 0;

    TEST("GetVolumeInformationA: a volume GUID path is the volume's root");
    SetLastError(0xdeadbeef);
    CHECK(GetVolumeInformationA(volume, name, sizeof(name), &serial, NULL, NULL, fs, sizeof(fs)));
    CHECK(GetVolumeInformationA("C:\\", name, sizeof(name), &serial_c, NULL, NULL, fs_c, sizeof(fs_c)));
    CHECK_EQ(serial, serial_c);
    CHECK(strcmp(fs, fs_c) == 0);

    TEST("GetDriveTypeA, CreateFileA: the GUID path with its separator names the volume's root directory");
    WINE_DEVIATION("Wine's NT namespace does not resolve volume GUID paths to directories")
    {
        CHECK_EQ(GetDriveTypeA(volume), GetDriveTypeA("C:\\"));
        HANDLE root = CreateFileA(volume, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                                  FILE_FLAG_BACKUP_SEMANTICS, NULL);
        CHECK(root != INVALID_HANDLE_VALUE);
        BY_HANDLE_FILE_INFORMATION info;
        if (root != INVALID_HANDLE_VALUE) {
            CHECK(GetFileInformationByHandle(root, &info));
            CHECK(info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
            CHECK_EQ(info.dwVolumeSerialNumber, serial_c);
            CloseHandle(root);
        }
        char file[2 * MAX_PATH];
        snprintf(file, sizeof(file), "%sno_such_directory_overlapped\\x", volume);
        SetLastError(0xdeadbeef);
        CHECK(CreateFileA(file, 0, 0, NULL, OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    }

    TEST("CreateFileA: the GUID path without its separator opens the volume");
    HANDLE drive = CreateFileA(cut, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (drive == INVALID_HANDLE_VALUE && GetLastError() == ERROR_FILE_NOT_FOUND) {
        /* C: on a file system without a block device (tmpfs, overlay): no volume to open,
         * as \\.\C: (docs/drives.md) */
        HANDLE letter = CreateFileA("\\\\.\\C:", 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(letter == INVALID_HANDLE_VALUE);
        if (letter != INVALID_HANDLE_VALUE) CloseHandle(letter);
    } else {
        CHECK(drive != INVALID_HANDLE_VALUE);
        WINE_DEVIATION("Wine's volume handle reports FILE_TYPE_UNKNOWN") { CHECK_EQ(GetFileType(drive), (DWORD)FILE_TYPE_DISK); }
        if (drive != INVALID_HANDLE_VALUE) CloseHandle(drive);
    }

    TEST("GetFinalPathNameByHandleA(VOLUME_NAME_GUID): the volume's GUID path, then the name on it");
    char temp[MAX_PATH], file[2 * MAX_PATH], final_dos[2 * MAX_PATH], final_guid[2 * MAX_PATH];
    GetTempPathA(sizeof(temp), temp);
    snprintf(file, sizeof(file), "%svolume_final_%lu.tmp", temp, (unsigned long)GetCurrentProcessId());
    HANDLE handle = CreateFileA(file, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(handle != INVALID_HANDLE_VALUE);
    if (handle == INVALID_HANDLE_VALUE) return;
    DWORD dos = GetFinalPathNameByHandleA(handle, final_dos, sizeof(final_dos), VOLUME_NAME_DOS);
    DWORD guid = GetFinalPathNameByHandleA(handle, final_guid, sizeof(final_guid), VOLUME_NAME_GUID);
    CHECK(dos > 7 && guid > 49);
    if (dos > 7 && guid > 49) {
        /* "\\?\X:\dir\f" and "\\?\Volume{...}\dir\f" when the file's volume is mounted at X:\ */
        char root[] = "?:\\", owner[MAX_PATH];
        root[0] = final_dos[4];
        if (GetVolumeNameForVolumeMountPointA(root, owner, sizeof(owner)) && strncmp(owner, final_guid, 49) == 0) {
            char volume_path[MAX_PATH];
            CHECK(GetVolumePathNameA(file, volume_path, sizeof(volume_path)));
            if (strlen(volume_path) == 3) CHECK(lstrcmpiA(final_guid + 49, final_dos + 7) == 0);
        } else {
            CHECK(is_guid_path(owner) || GetVolumePathNameA(file, owner, sizeof(owner)));
        }
    }
    CloseHandle(handle);
}

static void test_volume_mount_points(void)
{
    char volume[MAX_PATH], point[MAX_PATH];

    TEST("FindFirstVolumeMountPointA: the mounted folders on C:'s volume name other volumes");
    CHECK(GetVolumeNameForVolumeMountPointA("C:\\", volume, sizeof(volume)));
    WINE_DEVIATION("Wine does not implement FindFirstVolumeMountPoint (ERROR_CALL_NOT_IMPLEMENTED)")
    {
        SetLastError(0xdeadbeef);
        HANDLE search = FindFirstVolumeMountPointA(volume, point, sizeof(point));
        CHECK(search != INVALID_HANDLE_VALUE || GetLastError() == ERROR_NO_MORE_FILES);
        int count = 0, all_volumes = 1;
        if (search != INVALID_HANDLE_VALUE) {
            do {
                char full[2 * MAX_PATH], other[MAX_PATH];
                ++count;
                snprintf(full, sizeof(full), "C:\\%s", point);
                if (point[strlen(point) - 1] != '\\' || !GetVolumeNameForVolumeMountPointA(full, other, sizeof(other)) ||
                    strcmp(other, volume) == 0) {
                    printf("  mount point %s\n", full);
                    all_volumes = 0;
                }
                SetLastError(0xdeadbeef);
            } while (count < 1000 && FindNextVolumeMountPointA(search, point, sizeof(point)));
            CHECK_ERROR(ERROR_NO_MORE_FILES);
            CHECK(FindVolumeMountPointClose(search));
        }
        CHECK(all_volumes);
        TEST("FindVolumeMountPointClose/FindVolumeClose: a handle of the other kind is refused");
        HANDLE volumes = FindFirstVolumeA(point, sizeof(point));
        CHECK(volumes != INVALID_HANDLE_VALUE);
        SetLastError(0xdeadbeef);
        CHECK(!FindVolumeMountPointClose(volumes));
        CHECK_ERROR(ERROR_INVALID_HANDLE);
        CHECK(FindVolumeClose(volumes));
        SetLastError(0xdeadbeef);
        CHECK(FindFirstVolumeMountPointA("\\\\?\\Volume{00000000-0000-0000-0000-000000000000}\\", point,
                                         sizeof(point)) == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    }
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
    test_disk_extents();
    test_system_directories();
    test_query_dos_device();
    test_volume_name_for_mount_point();
    test_find_volumes();
    test_volume_path_names();
    test_volume_guid_paths();
    test_volume_mount_points();
    test_generic_names();
    return tl_finish();
}
