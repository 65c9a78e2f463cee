/* test_move_race.c: MoveFileEx without MOVEFILE_REPLACE_EXISTING never replaces a file,
 * even one another thread creates at the target while the move runs. Windows' rename
 * refuses an existing target in the file system itself (FILE_RENAME_INFORMATION with
 * ReplaceIfExists FALSE: STATUS_OBJECT_NAME_COLLISION), so a move and a creation of
 * the same name never both succeed. Same file system (a rename) and, where /dev/shm is
 * another file system than /tmp, across them (MOVEFILE_COPY_ALLOWED: a copy). Linux-side:
 * it races two threads. */
#define _GNU_SOURCE
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char target[256];
static int armed;   /* 1: the creator tries until it creates the target; 2: quit */
static int created; /* the creator's O_EXCL creation succeeded */

/* Spins on the target's creation while armed: a creation lands at a random moment of
 * the move (the main thread starts it after a random delay). */
static void *create_target(void *arg)
{
    (void)arg;
    for (;;) {
        int state = __atomic_load_n(&armed, __ATOMIC_ACQUIRE);
        if (state == 2) return NULL;
        if (state == 3) { /* the move's file is there: the creator gives up */
            __atomic_store_n(&armed, 0, __ATOMIC_RELEASE);
            continue;
        }
        if (state != 1) {
            sched_yield(); /* idle between rounds: leave the core to the others */
            continue;
        }
        int fd = open(target, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd >= 0 || errno != EEXIST) {
            if (fd >= 0) {
                (void)!write(fd, "T", 1);
                close(fd);
            }
            __atomic_store_n(&created, fd >= 0, __ATOMIC_RELEASE);
            __atomic_store_n(&armed, 0, __ATOMIC_RELEASE);
        }
    }
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, text, strlen(text)), (long)strlen(text));
    close(fd);
}

static void race(const char *source_dir, const char *target_dir, int rounds)
{
    char source[256];
    snprintf(source, sizeof source, "%s/ovl-move-src-%d", source_dir, (int)getpid());
    snprintf(target, sizeof target, "%s/ovl-move-dst-%d", target_dir, (int)getpid());
    int both = 0, lost = 0, moved = 0, refused = 0;
    __atomic_store_n(&armed, 0, __ATOMIC_RELEASE); /* not the last race's 2 */
    pthread_t thread;
    pthread_create(&thread, NULL, create_target, NULL);
    for (int i = 0; i < rounds; ++i) {
        unlink(target);
        write_file(source, "S");
        created = 0;
        __atomic_store_n(&armed, 1, __ATOMIC_RELEASE);
        for (volatile int spin = rand() % 5000; spin > 0; --spin) {
        }
        SetLastError(0xdeadbeef);
        BOOL ok = MoveFileExA(source, target, MOVEFILE_COPY_ALLOWED);
        DWORD error = GetLastError();
        /* The creator stops once it created the file or found it there. */
        int expected = 1;
        __atomic_compare_exchange_n(&armed, &expected, 3, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
        while (__atomic_load_n(&armed, __ATOMIC_ACQUIRE) != 0) sched_yield();
        int made = __atomic_load_n(&created, __ATOMIC_ACQUIRE);
        if (ok) {
            ++moved;
            if (made) ++both; /* the creator's file was replaced */
        } else {
            ++refused;
            if (error != ERROR_ALREADY_EXISTS) {
                printf("round %d: error %lu\n", i, (unsigned long)error);
                ++lost;
            }
            if (!made) ++lost; /* refused with nothing there */
        }
        unlink(source);
    }
    __atomic_store_n(&armed, 2, __ATOMIC_RELEASE);
    pthread_join(thread, NULL);
    unlink(target);
    printf("%d moved, %d refused\n", moved, refused);
    CHECK_EQ(both, 0);
    CHECK_EQ(lost, 0);
}

int main(void)
{
    TEST("MoveFileEx without REPLACE_EXISTING against a creation of the target, same file system");
    race("/tmp", "/tmp", 1500);

    TEST("the same across file systems (a copy to the target)");
    struct stat a, b;
    if (stat("/tmp", &a) == 0 && stat("/dev/shm", &b) == 0 && a.st_dev != b.st_dev && access("/dev/shm", W_OK) == 0)
        race("/tmp", "/dev/shm", 600);
    else
        { tl_skipped++; printf("SKIP /dev/shm is not another writable file system here\n"); }

    TEST("an existing target is refused, and REPLACE_EXISTING replaces it");
    char source[256];
    snprintf(source, sizeof source, "/tmp/ovl-move-src-%d", (int)getpid());
    snprintf(target, sizeof target, "/tmp/ovl-move-dst-%d", (int)getpid());
    write_file(source, "S");
    write_file(target, "T");
    SetLastError(0xdeadbeef);
    CHECK(!MoveFileExA(source, target, 0));
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CHECK(MoveFileExA(source, target, MOVEFILE_REPLACE_EXISTING));
    char text[4] = {0};
    int fd = open(target, O_RDONLY);
    CHECK(fd >= 0 && read(fd, text, sizeof text) == 1 && text[0] == 'S');
    if (fd >= 0) close(fd);
    unlink(target);
    return tl_finish();
}
