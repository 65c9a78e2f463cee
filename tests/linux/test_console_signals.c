/* test_console_signals.c: what Windows cannot state: Linux signals sent with kill() to
 * this process reach the console control handlers (SIGINT as CTRL_C_EVENT, SIGQUIT as
 * CTRL_BREAK_EVENT, SIGTERM and SIGHUP as CTRL_CLOSE_EVENT) on a thread of their own; a
 * close ends the process by its signal once the handlers return; Ctrl-C that no handler
 * takes ends it with ExitProcess(STATUS_CONTROL_C_EXIT); a process without handlers (or
 * whose handlers were removed) still dies of SIGINT; signals ignored at start stay ignored
 * (SIGINT until SetConsoleCtrlHandler(NULL, FALSE)); after FreeConsole no signal reaches
 * the handlers and SIGINT and SIGQUIT end nothing (Windows sends no console control event
 * to a process without a console); a blocking read is not interrupted by
 * a caught signal (SA_RESTART); a signal handler the program installs itself is left alone.
 *
 * Each scenario runs in a fresh process (this program, executed again with the scenario's
 * name), so that the parent stays single-threaded and a scenario may end its process. */
#define _GNU_SOURCE
#include "testlib.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MS 5000
#define QUIET_MS 500

/* ---- the scenarios (child processes) ----------------------------------------------- */

static HANDLE called;
static volatile LONG last_event = -1;
static volatile LONG handler_thread;
static DWORD main_thread;
static volatile sig_atomic_t own_handler_ran;

static void say(const char *format, ...)
{
    char line[256];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (n > 0 && write(1, line, (size_t)n) != n) _exit(99);
}

static BOOL WINAPI take(DWORD type)
{
    tl_store(&last_event, (LONG)type);
    tl_store(&handler_thread, (LONG)GetCurrentThreadId());
    SetEvent(called);
    return TRUE;
}

static BOOL WINAPI pass(DWORD type)
{
    say("pass event=%lu other-thread=%d\n", (unsigned long)type, GetCurrentThreadId() != main_thread);
    return FALSE;
}

static BOOL WINAPI close_handler(DWORD type)
{
    say("close event=%lu other-thread=%d\n", (unsigned long)type, GetCurrentThreadId() != main_thread);
    return TRUE;
}

static void own_sigint(int signo)
{
    (void)signo;
    own_handler_ran = 1;
}

/* Sends `signo` to this process and reports what reached the handler `take`. */
static void signal_and_report(int signo, const char *what, DWORD timeout)
{
    ResetEvent(called);
    tl_store(&last_event, -1);
    kill(getpid(), signo);
    DWORD wait = WaitForSingleObject(called, timeout);
    say("%s delivered=%d event=%ld other-thread=%d\n", what, wait == WAIT_OBJECT_0, (long)tl_load(&last_event),
        tl_load(&handler_thread) != 0 && tl_load(&handler_thread) != (LONG)main_thread);
}

static DWORD WINAPI interrupt_then_write(LPVOID parameter)
{
    int fd = (int)(intptr_t)parameter;
    Sleep(200); /* the main thread is in read() by now */
    kill(getpid(), SIGINT);
    Sleep(300); /* the signal has been handled (or, under ThreadSanitizer, held back) */
    if (write(fd, "x", 1) != 1) say("write failed\n");
    return 0;
}

static int scenario(const char *name)
{
    main_thread = GetCurrentThreadId();
    called = CreateEventA(NULL, TRUE, FALSE, NULL);

    if (strcmp(name, "handled") == 0) {
        SetConsoleCtrlHandler(take, TRUE);
        signal_and_report(SIGINT, "sigint", WAIT_MS);
        signal_and_report(SIGQUIT, "sigquit", WAIT_MS);
        /* A caught signal while this thread blocks in read(): the read goes on. */
        int fds[2];
        if (pipe(fds) != 0) return 2;
        HANDLE helper = CreateThread(NULL, 0, interrupt_then_write, (LPVOID)(intptr_t)fds[1], 0, NULL);
        char c = 0;
        ResetEvent(called);
        tl_store(&last_event, -1);
        ssize_t n = read(fds[0], &c, 1);
        int error = n < 0 ? errno : 0;
        /* ThreadSanitizer runs a signal that arrives in read() only once read() returns: wait
         * for the delivery after the read. */
        DWORD wait = WaitForSingleObject(called, WAIT_MS);
        say("read=%zd errno=%d\n", n, error);
        say("during-read delivered=%d event=%ld\n", wait == WAIT_OBJECT_0, (long)tl_load(&last_event));
        WaitForSingleObject(helper, WAIT_MS);
        CloseHandle(helper);
        say("alive\n");
        return 0;
    }
    if (strcmp(name, "close-term") == 0 || strcmp(name, "close-hup") == 0) {
        SetConsoleCtrlHandler(close_handler, TRUE);
        kill(getpid(), strcmp(name, "close-term") == 0 ? SIGTERM : SIGHUP);
        Sleep(WAIT_MS);
        say("survived\n");
        return 0;
    }
    if (strcmp(name, "default") == 0) {
        SetConsoleCtrlHandler(pass, TRUE);
        kill(getpid(), SIGINT);
        Sleep(WAIT_MS);
        say("survived\n");
        return 0;
    }
    if (strcmp(name, "generate-default") == 0) {
        GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
        Sleep(WAIT_MS);
        say("survived\n");
        return 0;
    }
    if (strcmp(name, "no-handler") == 0 || strcmp(name, "removed") == 0) {
        if (strcmp(name, "removed") == 0) {
            SetConsoleCtrlHandler(take, TRUE);
            SetConsoleCtrlHandler(pass, TRUE);
            SetConsoleCtrlHandler(pass, FALSE);
            SetConsoleCtrlHandler(take, FALSE);
        }
        kill(getpid(), SIGINT);
        Sleep(WAIT_MS);
        say("survived\n");
        return 0;
    }
    if (strcmp(name, "ignore") == 0) {
        SetConsoleCtrlHandler(take, TRUE);
        SetConsoleCtrlHandler(NULL, TRUE);
        signal_and_report(SIGINT, "ignored-sigint", QUIET_MS);
        signal_and_report(SIGQUIT, "sigquit", WAIT_MS);
        SetConsoleCtrlHandler(NULL, FALSE);
        signal_and_report(SIGINT, "sigint", WAIT_MS);
        return 0;
    }
    if (strcmp(name, "inherited-ignore") == 0) {
        SetConsoleCtrlHandler(take, TRUE);
        signal_and_report(SIGINT, "ignored-sigint", QUIET_MS);
        SetConsoleCtrlHandler(NULL, FALSE);
        signal_and_report(SIGINT, "sigint", WAIT_MS);
        return 0;
    }
    if (strcmp(name, "nohup") == 0) {
        SetConsoleCtrlHandler(close_handler, TRUE);
        kill(getpid(), SIGHUP);
        Sleep(QUIET_MS);
        say("alive\n");
        return 0;
    }
    if (strcmp(name, "freed") == 0) {
        /* Without a console (FreeConsole) a process gets no console control events, as on
         * Windows: the terminal's Ctrl-C and Ctrl-Break neither reach a handler added since
         * nor end the process; AllocConsole brings them back. */
        FreeConsole();
        kill(getpid(), SIGINT); /* no handler yet: not the default end either */
        Sleep(QUIET_MS / 5);
        SetConsoleCtrlHandler(take, TRUE);
        signal_and_report(SIGINT, "freed-sigint", QUIET_MS);
        signal_and_report(SIGQUIT, "freed-sigquit", QUIET_MS);
        AllocConsole();
        SetConsoleCtrlHandler(take, TRUE);
        signal_and_report(SIGINT, "sigint", WAIT_MS);
        return 0;
    }
    if (strcmp(name, "freed-term") == 0) {
        /* SIGTERM still ends a process without a console, with no CTRL_CLOSE_EVENT. */
        FreeConsole();
        SetConsoleCtrlHandler(close_handler, TRUE);
        kill(getpid(), SIGTERM);
        Sleep(WAIT_MS);
        say("survived\n");
        return 0;
    }
    if (strcmp(name, "foreign") == 0) {
        /* The program takes SIGINT over after registering a handler: removing the console
         * handler must not put back the disposition the library found. */
        SetConsoleCtrlHandler(take, TRUE);
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = own_sigint;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, NULL);
        SetConsoleCtrlHandler(take, FALSE);
        kill(getpid(), SIGINT);
        Sleep(200);
        say("own-handler=%d\n", (int)own_handler_ran);
        return 0;
    }
    say("unknown scenario %s\n", name);
    return 3;
}

/* ---- the parent ----------------------------------------------------------------------- */

struct run {
    int status;
    char output[4096];
};

/* Runs scenario `name` in a child (with `ignored` set to SIG_IGN first, if not 0) and
 * collects its standard output and wait status; every wait is bounded. */
static void run(const char *name, int ignored, struct run *result)
{
    int fds[2];
    memset(result, 0, sizeof *result);
    result->status = -1;
    if (pipe(fds) != 0) return;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (ignored != 0) signal(ignored, SIG_IGN);
        execl("/proc/self/exe", "test_console_signals", name, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    size_t used = 0;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsed > 30000) {
            printf("scenario %s: no end after 30 s, killed\n", name);
            kill(pid, SIGKILL);
            break;
        }
        struct pollfd p = {fds[0], POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        ssize_t n = read(fds[0], result->output + used, sizeof result->output - 1 - used);
        if (n <= 0) break;
        used += (size_t)n;
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result->status = status;
    printf("scenario %s: status %#x, output:\n%s", name, status, result->output);
    fflush(stdout);
}

static int has(const struct run *r, const char *text) { return strstr(r->output, text) != NULL; }
static int killed_by(const struct run *r, int signo) { return WIFSIGNALED(r->status) && WTERMSIG(r->status) == signo; }
static int exited_with(const struct run *r, int code) { return WIFEXITED(r->status) && WEXITSTATUS(r->status) == code; }

int main(int argc, char **argv)
{
    struct run r;
    if (argc > 1) return scenario(argv[1]);

    TEST("SIGINT and SIGQUIT reach the handlers as CTRL_C_EVENT and CTRL_BREAK_EVENT, on another thread");
    run("handled", 0, &r);
    CHECK(exited_with(&r, 0));
    CHECK(has(&r, "sigint delivered=1 event=0 other-thread=1"));
    CHECK(has(&r, "sigquit delivered=1 event=1 other-thread=1"));
    CHECK(has(&r, "during-read delivered=1 event=0"));
    CHECK(has(&r, "read=1 errno=0")); /* SA_RESTART: the read was not failed with EINTR */
    CHECK(has(&r, "alive"));

    TEST("SIGTERM: CTRL_CLOSE_EVENT, then the process ends by SIGTERM");
    run("close-term", 0, &r);
    CHECK(killed_by(&r, SIGTERM));
    CHECK(has(&r, "close event=2 other-thread=1"));
    CHECK(!has(&r, "survived"));

    TEST("SIGHUP: CTRL_CLOSE_EVENT, then the process ends by SIGHUP");
    run("close-hup", 0, &r);
    CHECK(killed_by(&r, SIGHUP));
    CHECK(has(&r, "close event=2 other-thread=1"));

    TEST("Ctrl-C that no handler takes: ExitProcess(STATUS_CONTROL_C_EXIT)");
    run("default", 0, &r);
    CHECK(exited_with(&r, (int)(STATUS_CONTROL_C_EXIT & 0xff)));
    CHECK(has(&r, "pass event=0 other-thread=1"));
    CHECK(!has(&r, "survived"));

    TEST("GenerateConsoleCtrlEvent with no handler: the default handler ends the process");
    run("generate-default", 0, &r);
    CHECK(exited_with(&r, (int)(STATUS_CONTROL_C_EXIT & 0xff)));

    TEST("a process without handlers still dies of SIGINT");
    run("no-handler", 0, &r);
    CHECK(killed_by(&r, SIGINT));
    CHECK(!has(&r, "survived"));

    TEST("... and so does one whose handlers were all removed");
    run("removed", 0, &r);
    CHECK(killed_by(&r, SIGINT));

    TEST("SetConsoleCtrlHandler(NULL, TRUE) ignores SIGINT, not SIGQUIT; (NULL, FALSE) undoes it");
    run("ignore", 0, &r);
    CHECK(exited_with(&r, 0));
    CHECK(has(&r, "ignored-sigint delivered=0"));
    CHECK(has(&r, "sigquit delivered=1 event=1"));
    CHECK(has(&r, "sigint delivered=1 event=0"));

    TEST("SIGINT ignored at start is the inherited 'ignore Ctrl-C' attribute");
    run("inherited-ignore", SIGINT, &r);
    CHECK(exited_with(&r, 0));
    CHECK(has(&r, "ignored-sigint delivered=0"));
    CHECK(has(&r, "sigint delivered=1 event=0"));

    TEST("SIGHUP ignored at start (nohup) stays ignored");
    run("nohup", SIGHUP, &r);
    CHECK(exited_with(&r, 0));
    CHECK(has(&r, "alive"));
    CHECK(!has(&r, "close event"));

    TEST("after FreeConsole, SIGINT and SIGQUIT reach no handler and end nothing; AllocConsole undoes it");
    run("freed", 0, &r);
    CHECK(exited_with(&r, 0));
    CHECK(has(&r, "freed-sigint delivered=0"));
    CHECK(has(&r, "freed-sigquit delivered=0"));
    CHECK(has(&r, "sigint delivered=1 event=0"));

    TEST("... and SIGTERM ends the process without a CTRL_CLOSE_EVENT");
    run("freed-term", 0, &r);
    CHECK(killed_by(&r, SIGTERM));
    CHECK(!has(&r, "close event"));
    CHECK(!has(&r, "survived"));

    TEST("a SIGINT handler the program installed itself is left in place");
    run("foreign", 0, &r);
    CHECK(exited_with(&r, 0));
    CHECK(has(&r, "own-handler=1"));

    return tl_finish();
}
