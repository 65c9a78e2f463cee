/* test_volume_names.c: volume GUID paths over Linux mounts (docs/drives.md, "Volume
 * names"). A drive mapped (OVERLAPPED_DRIVES) to a directory on the tmpfs at /dev/shm, a
 * file system other than C:'s, is a volume of its own: its GUID path names D:\ and the
 * mounted folder C:\dev\shm\ (a root for GetVolumeInformation, as a mounted folder is on
 * Windows: Wine's kernel32 volume tests, test_mounted_folder), FindFirstVolume lists it,
 * and a name below the GUID path is a file on it (the Platform SDK's text on unique volume names: the GUID path with its
 * separator is the volume's root directory). Skipped where /dev/shm is not a tmpfs of its
 * own. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define TMPFS_MAGIC_NUMBER 0x01021994

static int listed(const char *list, const char *name)
{
    for (const char *at = list; *at != 0; at += strlen(at) + 1)
        if (strcmp(at, name) == 0) return 1;
    return 0;
}

int main(void)
{
    char base[128], drives[256];
    struct statfs shm;
    struct stat root_status, shm_status;
    if (statfs("/dev/shm", &shm) != 0 || shm.f_type != TMPFS_MAGIC_NUMBER || stat("/", &root_status) != 0 ||
        stat("/dev/shm", &shm_status) != 0 || root_status.st_dev == shm_status.st_dev) {
        printf("SKIP: /dev/shm is not a tmpfs of its own\n");
        return tl_finish();
    }
    snprintf(base, sizeof(base), "/dev/shm/ovvolume-%d", (int)getpid());
    CHECK(mkdir(base, 0700) == 0);
    /* Before the first call that reads the drive map. */
    snprintf(drives, sizeof(drives), "D=%s", base);
    setenv("OVERLAPPED_DRIVES", drives, 1);

    char c_volume[MAX_PATH], d_volume[MAX_PATH], back[MAX_PATH], names[4096];
    TEST("a drive on another file system: a volume of its own");
    CHECK(GetVolumeNameForVolumeMountPointA("C:\\", c_volume, sizeof(c_volume)));
    CHECK(GetVolumeNameForVolumeMountPointA("D:\\", d_volume, sizeof(d_volume)));
    CHECK_EQ(strlen(d_volume), (size_t)49);
    CHECK(strcmp(c_volume, d_volume) != 0);

    TEST("its path names: the drive letter, then the mounted folder inside C:");
    DWORD length = 0;
    memset(names, 0, sizeof(names));
    CHECK(GetVolumePathNamesForVolumeNameA(d_volume, names, sizeof(names), &length));
    CHECK(strcmp(names, "D:\\") == 0);
    CHECK(listed(names, "C:\\dev\\shm\\"));
    CHECK(GetVolumeNameForVolumeMountPointA("C:\\dev\\shm\\", back, sizeof(back)));
    CHECK(strcmp(back, d_volume) == 0);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeNameForVolumeMountPointA("C:\\dev\\shm", back, sizeof(back)));
    CHECK_ERROR(ERROR_INVALID_NAME);

    TEST("FindFirstVolume lists D:'s volume");
    char point[MAX_PATH];
    int found = 0;
    HANDLE search;
    search = FindFirstVolumeA(point, sizeof(point));
    CHECK(search != INVALID_HANDLE_VALUE);
    if (search != INVALID_HANDLE_VALUE) {
        do {
            if (strcmp(point, d_volume) == 0) found = 1;
        } while (FindNextVolumeA(search, point, sizeof(point)));
        CHECK(FindVolumeClose(search));
    }
    CHECK(found);

    TEST("a name below the GUID path is a file on the volume; GetFinalPathNameByHandle names it so");
    char file[2 * MAX_PATH], linux_path[256], final_name[2 * MAX_PATH];
    snprintf(file, sizeof(file), "%sovvolume-%d\\made.txt", d_volume, (int)getpid());
    HANDLE handle = CreateFileA(file, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    CHECK(handle != INVALID_HANDLE_VALUE);
    snprintf(linux_path, sizeof(linux_path), "%s/made.txt", base);
    struct stat made;
    CHECK(stat(linux_path, &made) == 0);
    if (handle != INVALID_HANDLE_VALUE) {
        DWORD size = GetFinalPathNameByHandleA(handle, final_name, sizeof(final_name), VOLUME_NAME_GUID);
        CHECK_EQ(size, (DWORD)strlen(file));
        CHECK(strcmp(final_name, file) == 0);
        CloseHandle(handle);
    }

    TEST("the volume's GUID path in the other functions: information, type, free space, DOS device");
    DWORD serial = 0, d_serial = 1;
    char fs[64];
    CHECK(GetVolumeInformationA(d_volume, NULL, 0, &serial, NULL, NULL, fs, sizeof(fs)));
    CHECK(GetVolumeInformationA("D:\\", NULL, 0, &d_serial, NULL, NULL, NULL, 0));
    CHECK_EQ(serial, d_serial);
    CHECK(strcmp(fs, "tmpfs") == 0);
    CHECK_EQ(GetDriveTypeA(d_volume), (UINT)DRIVE_RAMDISK);
    ULARGE_INTEGER total;
    CHECK(GetDiskFreeSpaceExA(d_volume, NULL, &total, NULL));
    char device[MAX_PATH];
    CHECK(QueryDosDeviceA(d_volume + 4, device, 0) == 0);  /* "Volume{...}\": not a name */
    char dos_name[64];
    snprintf(dos_name, sizeof(dos_name), "%.*s", 44, d_volume + 4);
    CHECK(QueryDosDeviceA(dos_name, device, sizeof(device)) > 0);
    CHECK(strcmp(device, "/dev/shm") == 0);

    TEST("GetVolumeInformationA: a mounted folder is a root; a name below it that does not exist is not found");
    serial = 0;
    CHECK(GetVolumeInformationA("C:\\dev\\shm\\", NULL, 0, &serial, NULL, NULL, fs, sizeof(fs)));
    CHECK_EQ(serial, d_serial);
    CHECK(strcmp(fs, "tmpfs") == 0);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeInformationA("C:\\dev\\shm\\no_such_directory_overlapped\\", NULL, 0, NULL, NULL, NULL, NULL, 0));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    char below[256];
    snprintf(below, sizeof(below), "C:\\dev\\shm\\ovvolume-%d\\", (int)getpid());
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeInformationA(below, NULL, 0, NULL, NULL, NULL, NULL, 0));  /* a directory, no mount point */
    CHECK_ERROR(ERROR_DIR_NOT_ROOT);
    SetLastError(0xdeadbeef);
    CHECK(!GetVolumeNameForVolumeMountPointA("C:\\dev\\shm\\no_such_directory_overlapped\\", back, sizeof(back)));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    TEST("the GUID path without its separator: a volume in memory has no device to open");
    char cut[MAX_PATH];
    snprintf(cut, sizeof(cut), "%.*s", 48, d_volume);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileA(cut, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    CHECK(unlink(linux_path) == 0);
    CHECK(rmdir(base) == 0);
    return tl_finish();
}
