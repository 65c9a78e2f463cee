/* test_device_names.c: a name that is a device node (NUL is /dev/null, docs/paths.md) is
 * never deleted, renamed, replaced, linked or given attributes through the file functions.
 * On Windows a device name refuses these (DeleteFile("nul") fails: Wine's kernel32 file.c
 * test_DeleteFileA); here, run by root, unlink, rename or chmod of the node would take the
 * device from the whole system. The checks use a null device node of their own
 * (mknod, root only: skipped otherwise), so a regression harms nothing. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int main(void)
{
    char base[128], device[160], file[160], other[160], backup[160];
    snprintf(base, sizeof(base), "/tmp/ovdevnames-%d", (int)getpid());
    CHECK(mkdir(base, 0700) == 0);
    snprintf(device, sizeof(device), "%s/null", base);
    snprintf(file, sizeof(file), "%s/file.txt", base);
    snprintf(other, sizeof(other), "%s/other.txt", base);
    snprintf(backup, sizeof(backup), "%s/backup.txt", base);
    if (mknod(device, S_IFCHR | 0666, makedev(1, 3)) != 0) {
        printf("SKIP: mknod needs root\n");
        tl_skipped++;
        rmdir(base);
        return tl_finish();
    }
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    if (f != NULL) fclose(f);
    struct stat before, after;
    CHECK(stat(device, &before) == 0);

    TEST("DeleteFile of a device: ERROR_INVALID_PARAMETER, the node kept");
    CHECK_FAILS(DeleteFileA(device), ERROR_INVALID_PARAMETER);
    CHECK(stat(device, &after) == 0 && S_ISCHR(after.st_mode));

    TEST("MoveFile(Ex) of a device, onto a device: refused, both kept");
    CHECK_FAILS(MoveFileA(device, other), ERROR_INVALID_PARAMETER);
    CHECK_FAILS(MoveFileExA(file, device, MOVEFILE_REPLACE_EXISTING), ERROR_NOT_SAME_DEVICE);
    CHECK_FAILS(MoveFileExA(file, device, MOVEFILE_REPLACE_EXISTING | MOVEFILE_COPY_ALLOWED), ERROR_NOT_SAME_DEVICE);
    CHECK(stat(device, &after) == 0 && S_ISCHR(after.st_mode));
    CHECK(access(file, F_OK) == 0);
    CHECK(access(other, F_OK) != 0);

    TEST("ReplaceFile, CreateHardLink with a device: refused, nothing changed");
    CHECK_FAILS(ReplaceFileA(device, file, NULL, 0, NULL, NULL), ERROR_NOT_SAME_DEVICE);
    CHECK_FAILS(ReplaceFileA(file, device, NULL, 0, NULL, NULL), ERROR_NOT_SAME_DEVICE);
    f = fopen(other, "w");
    CHECK(f != NULL);
    if (f != NULL) fclose(f);
    CHECK_FAILS(ReplaceFileA(file, other, device, 0, NULL, NULL), ERROR_UNABLE_TO_REMOVE_REPLACED);
    CHECK(access(file, F_OK) == 0 && access(other, F_OK) == 0);
    CHECK_FAILS(CreateHardLinkA(backup, device, NULL), ERROR_INVALID_PARAMETER);
    CHECK(access(backup, F_OK) != 0);
    CHECK(stat(device, &after) == 0 && S_ISCHR(after.st_mode) && after.st_nlink == 1);

    TEST("SetFileAttributes of a device: succeeds and leaves its permissions");
    CHECK(SetFileAttributesA(device, FILE_ATTRIBUTE_READONLY));
    CHECK(stat(device, &after) == 0 && (after.st_mode & 07777) == (before.st_mode & 07777));

    TEST("RemoveDirectory of a device: refused, the node kept");
    SetLastError(0xdeadbeef);
    CHECK(!RemoveDirectoryA(device));
    CHECK(stat(device, &after) == 0 && S_ISCHR(after.st_mode));

    unlink(device);
    unlink(file);
    unlink(other);
    unlink(backup);
    CHECK(rmdir(base) == 0);
    return tl_finish();
}
