/* test_drive_root.c: a drive mapped to a Linux directory (OVERLAPPED_DRIVES, docs/paths.md)
 * is a root the name cannot climb out of: "D:\..\x" is "D:\x", as on Windows, where ".."
 * at a drive's root stays there (Microsoft Learn, "File path formats on Windows systems":
 * relative components are evaluated by the text, and ".." of a root is the root). A
 * symbolic link's ".." is the link's own directory's parent, not its target's. Linux
 * itself would take "<root>/../x" above the mapped directory. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[128];

static void touch(const char *relative)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", base, relative);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f != NULL) fclose(f);
}

int main(void)
{
    char drives[256], path[256];
    snprintf(base, sizeof(base), "/tmp/ovdrive-%d", (int)getpid());
    CHECK(mkdir(base, 0700) == 0);
    snprintf(path, sizeof(path), "%s/d", base);
    CHECK(mkdir(path, 0700) == 0);
    snprintf(path, sizeof(path), "%s/d/sub", base);
    CHECK(mkdir(path, 0700) == 0);
    snprintf(path, sizeof(path), "%s/elsewhere", base);
    CHECK(mkdir(path, 0700) == 0);
    touch("outside.txt");
    touch("d/inside.txt");
    touch("elsewhere/target.txt");
    /* d/link -> ../elsewhere: "D:\link\..\inside.txt" is D:\inside.txt by the text. */
    snprintf(path, sizeof(path), "%s/d/link", base);
    CHECK(symlink("../elsewhere", path) == 0);
    /* Before the first call that reads the map. */
    snprintf(drives, sizeof(drives), "D=%s/d", base);
    setenv("OVERLAPPED_DRIVES", drives, 1);

    TEST("a drive's root: \"..\" does not climb out of it");
    CHECK_EQ(GetFileAttributesA("D:\\inside.txt"), FILE_ATTRIBUTE_ARCHIVE);
    CHECK_EQ(GetFileAttributesA("D:\\..\\inside.txt"), FILE_ATTRIBUTE_ARCHIVE);
    CHECK_EQ(GetFileAttributesA("D:\\sub\\..\\..\\..\\inside.txt"), FILE_ATTRIBUTE_ARCHIVE);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetFileAttributesA("D:\\..\\outside.txt"), INVALID_FILE_ATTRIBUTES);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    HANDLE file = CreateFileA("D:\\..\\..\\outside.txt", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file == INVALID_HANDLE_VALUE);
    if (file != INVALID_HANDLE_VALUE) CloseHandle(file);

    TEST("a link's \"..\" by the text; the link itself still leads to its target");
    CHECK_EQ(GetFileAttributesA("D:\\link\\..\\inside.txt"), FILE_ATTRIBUTE_ARCHIVE);
    CHECK_EQ(GetFileAttributesA("D:\\link\\target.txt"), FILE_ATTRIBUTE_ARCHIVE);

    snprintf(path, sizeof(path), "rm -rf %s", base);
    CHECK(system(path) == 0);
    return tl_finish();
}
