/* test_exit_drain.c: a process that exits with overlapped writes still in progress loses
 * none of them: every block it wrote is in the file afterwards. Writes go past what any
 * engine runs at once (a ring's room, the kernel AIO context, the pool's threads), so some
 * still wait in the library's own queues at exit. A read of a FIFO nobody writes to,
 * pending too, does not hold the exit up. Linux-side: the writer is a forked child, and
 * the file is checked by the parent with plain POSIX calls. */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 4096
#define WRITES 1000

static char file_path[64], fifo_path[64];

static unsigned char pattern(int block) { return (unsigned char)(1 + block % 251); }

static const char *how_name(int how)
{
    return how == 1 ? "ExitProcess" : how == 2 ? "return from main, on a port's thread" : "return from main";
}

/* The child: issues every write, leaves them pending and exits. Its exit status says how
 * far it got (0: every write was accepted). */
static int child(int how)
{
    DWORD flags = FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING | FILE_FLAG_WRITE_THROUGH;
    HANDLE file = CreateFileA(file_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, flags, NULL);
    if (file == INVALID_HANDLE_VALUE) return 10;
    /* Sized first: writes inside the file run asynchronously (Linux does a direct write
     * that extends a file synchronously, which would hide a loss). */
    LARGE_INTEGER size;
    size.QuadPart = (LONGLONG)WRITES * BLOCK;
    if (!SetFilePointerEx(file, size, NULL, FILE_BEGIN) || !SetEndOfFile(file)) return 16;
    HANDLE port = CreateIoCompletionPort(file, NULL, 1, 0);
    if (port == NULL) return 11;
    HANDLE fifo = CreateFileA(fifo_path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    if (fifo == INVALID_HANDLE_VALUE) return 12;
    static OVERLAPPED fifo_read;
    static char fifo_buffer[16];
    if (ReadFile(fifo, fifo_buffer, sizeof(fifo_buffer), NULL, &fifo_read) || GetLastError() != ERROR_IO_PENDING)
        return 13;

    if (how == 2) {
        /* A thread that took a packet from the port is the port's: the requests it issues
         * on handles of that port start at its next wait, which never comes. */
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *packet;
        if (!PostQueuedCompletionStatus(port, 0, 7, NULL) || !GetQueuedCompletionStatus(port, &bytes, &key, &packet, 0))
            return 17;
    }
    unsigned char *buffers = VirtualAlloc(NULL, (SIZE_T)WRITES * BLOCK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    static OVERLAPPED writes[WRITES];
    if (buffers == NULL) return 14;
    for (int i = 0; i < WRITES; ++i) {
        memset(buffers + (size_t)i * BLOCK, pattern(i), BLOCK);
        writes[i].Offset = (DWORD)i * BLOCK;
        if (!WriteFile(file, buffers + (size_t)i * BLOCK, BLOCK, NULL, &writes[i]) && GetLastError() != ERROR_IO_PENDING)
            return 15;
    }
    /* Nothing waited for; the buffers and OVERLAPPEDs stay valid until the process ends. */
    int pending = 0;
    for (int i = 0; i < WRITES; ++i) pending += !HasOverlappedIoCompleted(&writes[i]);
    printf("exit by %s with %d of %d writes pending\n", how_name(how), pending, WRITES);
    if (how == 1) ExitProcess(0);
    return 0; /* from main: exit(0) */
}

/* Waits for `pid` for at most `seconds`; its exit status, or -1 if it had to be killed. */
static int wait_child(pid_t pid, int seconds)
{
    for (int waited_ms = 0; waited_ms < seconds * 1000; waited_ms += 10) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
        usleep(10 * 1000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static void check_exit(int how)
{
    unlink(file_path);
    fflush(stdout); /* the child's exit flushes its copy of the buffer */
    pid_t pid = fork();
    if (pid == 0) exit(child(how)); /* as a return from main would */
    CHECK(pid > 0);
    if (pid <= 0) return;
    int status = wait_child(pid, 60);
    CHECK_EQ(status, 0);

    int fd = open(file_path, O_RDONLY);
    CHECK(fd >= 0);
    if (fd < 0) return;
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)WRITES * BLOCK);
    static unsigned char block[BLOCK];
    int whole = 0;
    for (int i = 0; i < WRITES; ++i) {
        if (pread(fd, block, BLOCK, (off_t)i * BLOCK) != BLOCK) break;
        int same = 1;
        for (int j = 0; j < BLOCK; ++j) same &= block[j] == pattern(i);
        whole += same;
    }
    printf("exit by %s: %d of %d blocks written\n", how_name(how), whole, WRITES);
    CHECK_EQ(whole, WRITES);
    close(fd);
    unlink(file_path);
}

int main(void)
{
    /* Beside the test (a disk file system where O_DIRECT works; /tmp may be tmpfs). */
    snprintf(file_path, sizeof(file_path), "ovl-exit-drain-%d.dat", (int)getpid());
    snprintf(fifo_path, sizeof(fifo_path), "/tmp/ovl-exit-drain-fifo-%d", (int)getpid());
    unlink(fifo_path);
    CHECK_EQ(mkfifo(fifo_path, 0600), 0);
    check_exit(0);
    check_exit(1);
    check_exit(2);
    unlink(fifo_path);
    return tl_finish();
}
