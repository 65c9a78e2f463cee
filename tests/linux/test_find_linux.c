/* test_find_linux.c: directory enumeration where Linux differs from NTFS
 * (docs/files-management.md, "Differences from Windows"): two names that differ only in
 * case are both found by a case-insensitive mask and told apart with
 * FIND_FIRST_EX_CASE_SENSITIVE; dot-files are not hidden; a dangling symbolic link is
 * listed; entries come in upper-cased name order; GetFullPathName of a relative name
 * is the Linux current directory's; COPY_FILE_COPY_SYMLINK copies a link as a link;
 * CopyFile of procfs files and across file systems;
 * FileNameInfo is the Linux path with '\'. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[128];

static void touch(const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f != NULL) fclose(f);
}

static int count_matches(const char *mask, DWORD flags, char names[][64], int room)
{
    char path[256];
    WIN32_FIND_DATAA data;
    int n = 0;
    snprintf(path, sizeof(path), "%s/%s", dir, mask);
    HANDLE find = FindFirstFileExA(path, FindExInfoBasic, &data, FindExSearchNameMatch, NULL, flags);
    if (find == INVALID_HANDLE_VALUE) return 0;
    do {
        if (n < room) snprintf(names[n], 64, "%.63s", data.cFileName);
        ++n;
    } while (FindNextFileA(find, &data));
    FindClose(find);
    return n;
}

int main(void)
{
    char names[16][64], path[256], link[256];
    snprintf(dir, sizeof(dir), "/tmp/ovfindlx-%d", (int)getpid());
    CHECK(mkdir(dir, 0700) == 0);
    touch("Case.txt");
    touch("case.txt");
    touch(".hidden");
    touch("b.dat");
    snprintf(link, sizeof(link), "%s/dangling", dir);
    CHECK(symlink("/nonexistent/target", link) == 0);

    TEST("names that differ only in case: both match without case, one with");
    CHECK_EQ(count_matches("CASE.TXT", 0, names, 16), 2);
    CHECK_EQ(count_matches("case.*", FIND_FIRST_EX_CASE_SENSITIVE, names, 16), 1);
    CHECK(strcmp(names[0], "case.txt") == 0);

    TEST("upper-cased name order after . and ..; dot-files listed and not hidden");
    {
        int n = count_matches("*", 0, names, 16);
        CHECK_EQ(n, 7);
        CHECK(strcmp(names[0], ".") == 0 && strcmp(names[1], "..") == 0);
        CHECK(strcmp(names[2], ".hidden") == 0);
        CHECK(strcmp(names[3], "b.dat") == 0);
        CHECK(strcasecmp(names[4], "case.txt") == 0 && strcasecmp(names[5], "case.txt") == 0);
        CHECK(strcmp(names[6], "dangling") == 0);
        WIN32_FIND_DATAA data;
        snprintf(path, sizeof(path), "%s/.hidden", dir);
        HANDLE find = FindFirstFileA(path, &data);
        CHECK(find != INVALID_HANDLE_VALUE);
        CHECK(!(data.dwFileAttributes & FILE_ATTRIBUTE_HIDDEN));
        FindClose(find);
    }

    TEST("GetFullPathName of a relative name: the Linux current directory, '/'");
    {
        char cwd[256], out[512], expected[512];
        char *part = NULL;
        CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
        CHECK(SetCurrentDirectoryA(dir));
        DWORD n = GetFullPathNameA("sub/../x.txt", sizeof(out), out, &part);
        snprintf(expected, sizeof(expected), "%s/x.txt", dir);
        CHECK(strcmp(out, expected) == 0);
        CHECK_EQ(n, strlen(expected));
        CHECK(part != NULL && strcmp(part, "x.txt") == 0);
        n = GetFullPathNameA("\\tmp\\y", sizeof(out), out, &part);
        CHECK(strcmp(out, "/tmp/y") == 0);
        CHECK(chdir(cwd) == 0);
    }

    TEST("COPY_FILE_COPY_SYMLINK copies the link itself");
    {
        char target[256], read_back[256];
        snprintf(target, sizeof(target), "%s/link-copy", dir);
        CHECK(CopyFileExA(link, target, NULL, NULL, NULL, COPY_FILE_COPY_SYMLINK));
        ssize_t n = readlink(target, read_back, sizeof(read_back) - 1);
        CHECK(n > 0);
        if (n > 0) read_back[n] = 0;
        CHECK(n > 0 && strcmp(read_back, "/nonexistent/target") == 0);
        SetLastError(0xdeadbeef);
        CHECK(!CopyFileExA(link, target, NULL, NULL, NULL, COPY_FILE_COPY_SYMLINK | COPY_FILE_FAIL_IF_EXISTS));
        CHECK_ERROR(ERROR_FILE_EXISTS);
        unlink(target);
    }

    TEST("CopyFile of a file that reports size 0 but has data (procfs): all of it");
    {
        char target[256];
        snprintf(target, sizeof(target), "%s/maps-copy", dir);
        CHECK(CopyFileA("/proc/self/maps", target, TRUE));
        struct stat copied;
        CHECK(stat(target, &copied) == 0 && copied.st_size > 100);
        unlink(target);
    }

    TEST("CopyFile across file systems (/dev/shm to the test directory): all the data");
    {
        char source[128], target[256];
        static char data[3 << 20];
        snprintf(source, sizeof(source), "/dev/shm/ovcopy-%d", (int)getpid());
        FILE *f = fopen(source, "wb");
        if (f == NULL) {
            printf("SKIP no /dev/shm\n");
        } else {
            for (size_t i = 0; i < sizeof(data); ++i) data[i] = (char)(i * 31 + (i >> 10));
            CHECK(fwrite(data, 1, sizeof(data), f) == sizeof(data));
            fclose(f);
            snprintf(target, sizeof(target), "%s/shm-copy", dir);
            CHECK(CopyFileA(source, target, TRUE));
            struct stat copied;
            CHECK(stat(target, &copied) == 0 && copied.st_size == (off_t)sizeof(data));
            FILE *g = fopen(target, "rb");
            static char back[sizeof(data)];
            CHECK(g != NULL && fread(back, 1, sizeof(back), g) == sizeof(back));
            if (g != NULL) fclose(g);
            CHECK(memcmp(back, data, sizeof(data)) == 0);
            unlink(target);
            unlink(source);
        }
    }

    TEST("FileNameInfo: the Linux path with backslashes");
    {
        char buffer[512];
        FILE_NAME_INFO *info = (FILE_NAME_INFO *)buffer;
        snprintf(path, sizeof(path), "%s/b.dat", dir);
        HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(file != INVALID_HANDLE_VALUE);
        CHECK(GetFileInformationByHandleEx(file, FileNameInfo, info, sizeof(buffer)));
        char expected[256];
        snprintf(expected, sizeof(expected), "\\tmp\\ovfindlx-%d\\b.dat", (int)getpid());
        CHECK_EQ(info->FileNameLength, strlen(expected) * 2);
        int same = 1;
        for (size_t i = 0; i < strlen(expected); ++i)
            if (info->FileName[i] != (WCHAR)expected[i]) same = 0;
        CHECK(same);
        CloseHandle(file);
    }

    const char *all[] = {"Case.txt", "case.txt", ".hidden", "b.dat", "dangling"};
    for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); ++i) {
        snprintf(path, sizeof(path), "%s/%s", dir, all[i]);
        unlink(path);
    }
    CHECK(rmdir(dir) == 0);
    return tl_finish();
}
