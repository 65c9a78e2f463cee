/* test_pipe_namespace.c: where named pipes live on the Linux side. The namespace is
 * pointed at a fresh directory (OVERLAPPED_NAMESPACE); pipes with hostile names are made
 * and used; nothing may appear outside that directory, every entry in it is a socket,
 * the directory is 0700 and ours, and the entries go when the pipes close. */
#include <windows.h>
#include "testlib.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int count_entries(const char *path, int sockets_only, int *not_sockets)
{
    DIR *dir = opendir(path);
    struct dirent *entry;
    int count = 0;
    if (dir == NULL) return -1;
    while ((entry = readdir(dir)) != NULL) {
        char full[4096];
        struct stat st;
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        if (entry->d_name[0] == '.') continue;  /* the namespace's own lock or marks, if any */
        count++;
        snprintf(full, sizeof full, "%s/%s", path, entry->d_name);
        if (sockets_only && lstat(full, &st) == 0 && !S_ISSOCK(st.st_mode)) {
            printf("  not a socket: %s\n", full);
            (*not_sockets)++;
        }
    }
    closedir(dir);
    return count;
}

int main(void)
{
    static const char *names[] = {
        "\\\\.\\pipe\\..\\..\\escape",
        "\\\\.\\pipe\\a/b/../../../escape",
        "\\\\.\\pipe\\x\\..\\..\\..\\etc\\passwd",
        "\\\\.\\pipe\\%2e%2e%2fescape",
        "\\\\.\\pipe\\tab\there",
        "\\\\.\\pipe\\\xc3\xbc/../../escape",
        "\\\\.\\pipe\\ordinary name",
        "\\\\.\\pipe\\..",
        "\\\\.\\pipe\\.",
        "\\\\.\\pipe\\/",
        "\\\\.\\pipe\\x\\..\\y",
        "\\\\.\\pipe\\deep\\a\\b\\c",
    };
    enum { COUNT = sizeof(names) / sizeof(names[0]) };
    char parent[] = "/tmp/overlapped-pipe-ns-XXXXXX";
    char ns[4096];
    HANDLE servers[COUNT], clients[COUNT];
    int made = 0, not_sockets = 0, i;
    struct stat st;

    CHECK(mkdtemp(parent) != NULL);
    snprintf(ns, sizeof ns, "%s/ns", parent);
    setenv("OVERLAPPED_NAMESPACE", ns, 1);

    TEST("hostile names stay inside the namespace");
    for (i = 0; i < COUNT; i++) {
        SetLastError(0xdeadbeef);
        servers[i] = CreateNamedPipeA(names[i], PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 1024, 1024, 0, NULL);
        clients[i] = INVALID_HANDLE_VALUE;
        if (servers[i] == INVALID_HANDLE_VALUE) {
            /* Refused as a name is fine; nothing else is. */
            CHECK_ERROR(ERROR_INVALID_NAME);
            continue;
        }
        made++;
        clients[i] = CreateFileA(names[i], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(clients[i] != INVALID_HANDLE_VALUE);
    }
    CHECK(made >= 4);
    /* The parent holds the namespace directory only; nothing escaped into /tmp. */
    CHECK_EQ(count_entries(parent, 0, &not_sockets), 1);
    CHECK(access("/tmp/escape", F_OK) != 0);
    CHECK(access("/tmp/etc", F_OK) != 0);
    /* Every entry of the namespace is a socket; the directory is ours, mode 0700. */
    CHECK(count_entries(ns, 1, &not_sockets) >= 1);
    CHECK_EQ(not_sockets, 0);
    CHECK(stat(ns, &st) == 0);
    CHECK_EQ(st.st_mode & 0777, 0700);
    CHECK_EQ(st.st_uid, getuid());

    TEST("the entries go with their pipes");
    for (i = 0; i < COUNT; i++) {
        if (clients[i] != INVALID_HANDLE_VALUE) CloseHandle(clients[i]);
        if (servers[i] != INVALID_HANDLE_VALUE) CloseHandle(servers[i]);
    }
    CHECK_EQ(count_entries(ns, 1, &not_sockets), 0);
    {
        /* Leave nothing behind (the namespace may keep a hidden lock file). */
        DIR *dir = opendir(ns);
        struct dirent *entry;
        while (dir != NULL && (entry = readdir(dir)) != NULL) {
            char full[4096 + 512];
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
            snprintf(full, sizeof full, "%s/%s", ns, entry->d_name);
            unlink(full);
        }
        if (dir != NULL) closedir(dir);
        rmdir(ns);
        rmdir(parent);
    }
    return tl_finish();
}
