/* test_job.c: job objects: assigning children, TerminateJobObject, the accounting and the
 * id list, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, a process in a job starting its children
 * in it (and CREATE_BREAKAWAY_FROM_JOB). The program starts copies of itself
 * ("child sleep"), which wait to be ended.
 *
 * Facts: Microsoft Learn (TerminateJobObject: every process in the job ends with the exit
 * code given; JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: the processes end when the last handle
 * to the job closes; "a process associated with a job ... child processes it creates are
 * associated with the same job", unless created with CREATE_BREAKAWAY_FROM_JOB in a job
 * that sets JOB_OBJECT_LIMIT_BREAKAWAY_OK; TotalTerminatedProcesses counts "processes
 * terminated because of a limit violation"; a process's handles close when it ends, so a
 * kill-on-close job held by a process that is killed ends its members). The completion
 * port's messages: Microsoft Learn's JOBOBJECT_ASSOCIATE_COMPLETION_PORT (the message in
 * the byte count, the key, the process id as the OVERLAPPED pointer; ABNORMAL_EXIT_PROCESS
 * for an exception's exit code; one port per job, a null one ending the association on
 * Windows 8 and later), and Wine's conformance test test_CompletionPort (members already in
 * the job are announced at the association; a terminated member's EXIT_PROCESS, then
 * ACTIVE_PROCESS_ZERO with 0) and test_WaitForJobObject (TerminateJobObject signals the
 * job, and it stays signalled); Wine's server posts no EXIT_PROCESS for the members
 * TerminateJobObject ends. Every wait is bounded. */
#include "testlib.h"
#include "children.h"

#define WAIT_MS 10000

static char self_path[MAX_PATH];

static BOOL start_sleeper(DWORD flags, PROCESS_INFORMATION *child)
{
    char line[2048];
    STARTUPINFOA startup;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" child sleep", self_path);
    memset(child, 0, sizeof *child);
    return CreateProcessA(NULL, line, NULL, NULL, FALSE, flags, NULL, NULL, &startup, child);
}

static void end_child(PROCESS_INFORMATION *child)
{
    TerminateProcess(child->hProcess, 1);
    WaitForSingleObject(child->hProcess, WAIT_MS);
    CloseHandle(child->hProcess);
    CloseHandle(child->hThread);
}

static void test_terminate(void)
{
    HANDLE job;
    PROCESS_INFORMATION children[2];
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION accounting;
    ULONG_PTR ids[10]; /* a JOBOBJECT_BASIC_PROCESS_ID_LIST: two DWORDs, then the ids */
    JOBOBJECT_BASIC_PROCESS_ID_LIST *list = (JOBOBJECT_BASIC_PROCESS_ID_LIST *)ids;
    BOOL inside = 7;
    DWORD code = 0, i, j;
    int found;

    TEST("children in a job: the accounting, the ids, TerminateJobObject's exit code");
    job = CreateJobObjectA(NULL, NULL);
    CHECK(job != NULL);
    for (i = 0; i < 2; i++) {
        CHECK(start_sleeper(0, &children[i]));
        CHECK(AssignProcessToJobObject(job, children[i].hProcess));
    }
    CHECK(IsProcessInJob(children[0].hProcess, job, &inside));
    CHECK_EQ(inside, TRUE);
    CHECK(IsProcessInJob(GetCurrentProcess(), job, &inside));
    CHECK_EQ(inside, FALSE);
    inside = 7; /* no job named: whether the process is in any job (Wine's test_IsProcessInJob) */
    CHECK(IsProcessInJob(children[1].hProcess, NULL, &inside));
    CHECK_EQ(inside, TRUE);
    memset(&accounting, 0, sizeof accounting);
    CHECK(QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &accounting, sizeof accounting, NULL));
    CHECK_EQ(accounting.TotalProcesses, 2);
    CHECK_EQ(accounting.ActiveProcesses, 2);
    /* Wine's test_QueryInformationJobObject: the header alone is too short; room for one
     * id of two gives that one and ERROR_MORE_DATA. */
    SetLastError(0xdeadbeef);
    CHECK(!QueryInformationJobObject(job, JobObjectBasicProcessIdList, ids,
                                     FIELD_OFFSET(JOBOBJECT_BASIC_PROCESS_ID_LIST, ProcessIdList), NULL));
    CHECK_ERROR(ERROR_BAD_LENGTH);
    SetLastError(0xdeadbeef);
    CHECK(!QueryInformationJobObject(job, JobObjectBasicProcessIdList, ids,
                                     FIELD_OFFSET(JOBOBJECT_BASIC_PROCESS_ID_LIST, ProcessIdList[1]), NULL));
    CHECK_ERROR(ERROR_MORE_DATA);
    memset(ids, 0, sizeof ids);
    CHECK(QueryInformationJobObject(job, JobObjectBasicProcessIdList, ids, sizeof ids, NULL));
    CHECK_EQ(list->NumberOfProcessIdsInList, 2);
    for (i = 0; i < 2; i++) {
        found = 0;
        for (j = 0; j < list->NumberOfProcessIdsInList && j < 9; j++)
            if (ids[1 + j] == children[i].dwProcessId) found = 1;
        CHECK(found);
    }
    {
        /* Each job function needs its right (Microsoft Learn: JOB_OBJECT_QUERY,
         * _SET_ATTRIBUTES, _ASSIGN_PROCESS, _TERMINATE); a named job opened for querying
         * only can be asked, not changed. */
        char name[64];
        HANDLE named, query_only;
        JOBOBJECT_BASIC_LIMIT_INFORMATION basic;
        snprintf(name, sizeof name, "ovl-test-job-%lu", (unsigned long)GetCurrentProcessId());
        named = CreateJobObjectA(NULL, name);
        CHECK(named != NULL);
        query_only = OpenJobObjectA(JOB_OBJECT_QUERY, FALSE, name);
        CHECK(query_only != NULL);
        memset(&basic, 0, sizeof basic);
        CHECK(QueryInformationJobObject(query_only, JobObjectBasicLimitInformation, &basic, sizeof basic, NULL));
        SetLastError(0xdeadbeef);
        CHECK(!SetInformationJobObject(query_only, JobObjectBasicLimitInformation, &basic, sizeof basic));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        SetLastError(0xdeadbeef);
        CHECK(!AssignProcessToJobObject(query_only, children[0].hProcess));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        SetLastError(0xdeadbeef);
        CHECK(!TerminateJobObject(query_only, 1));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CloseHandle(query_only);
        CloseHandle(named);
    }
    CHECK(TerminateJobObject(job, 42));
    for (i = 0; i < 2; i++) {
        CHECK_EQ(WaitForSingleObject(children[i].hProcess, WAIT_MS), WAIT_OBJECT_0);
        CHECK(GetExitCodeProcess(children[i].hProcess, &code));
        CHECK_EQ(code, 42);
        CloseHandle(children[i].hProcess);
        CloseHandle(children[i].hThread);
    }
    memset(&accounting, 0, sizeof accounting);
    CHECK(QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &accounting, sizeof accounting, NULL));
    CHECK_EQ(accounting.TotalProcesses, 2);
    CHECK_EQ(accounting.ActiveProcesses, 0);
    CHECK_EQ(accounting.TotalTerminatedProcesses, 0); /* counts only limit violations */
    CloseHandle(job);
}

static void test_kill_on_close(void)
{
    HANDLE job;
    PROCESS_INFORMATION child;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits, read_back;

    TEST("JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: the last handle's close ends the job's processes");
    job = CreateJobObjectA(NULL, NULL);
    CHECK(job != NULL);
    memset(&limits, 0, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    CHECK(SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits));
    memset(&read_back, 0, sizeof read_back);
    CHECK(QueryInformationJobObject(job, JobObjectExtendedLimitInformation, &read_back, sizeof read_back, NULL));
    WINE_DEVIATION("Wine 8 reports no limit flags back") {
        CHECK_EQ(read_back.BasicLimitInformation.LimitFlags, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE);
    }
    CHECK(start_sleeper(0, &child));
    CHECK(AssignProcessToJobObject(job, child.hProcess));
    CHECK_EQ(WaitForSingleObject(child.hProcess, 100), WAIT_TIMEOUT);
    CHECK(CloseHandle(job));
    CHECK_EQ(WaitForSingleObject(child.hProcess, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(child.hProcess);
    CloseHandle(child.hThread);

    job = CreateJobObjectA(NULL, NULL);
    memset(&limits, 0, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_JOB_TIME;
    OUR_DEVIATION("job limits other than kill-on-close, breakaway, active processes and process memory are not "
                  "enforced") {
        CHECK(SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits));
    }
    if (!tl_under_wine()) {
        SetLastError(0xdeadbeef);
        CHECK(!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits));
        CHECK_ERROR(ERROR_CALL_NOT_IMPLEMENTED);
    }
    CloseHandle(job);
}

/* Under AddressSanitizer or ThreadSanitizer a process's shadow memory counts as private
 * memory on Linux (RLIMIT_DATA), so a member under a limit could not even start. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LIMITED_CHILDREN 0
#else
#define LIMITED_CHILDREN 2
#endif

/* Commits `megabytes` of memory; 0 if that worked, 1 if the commit was refused. */
static int commit_memory(DWORD megabytes)
{
    SIZE_T size = (SIZE_T)megabytes << 20;
    char *memory = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (memory == NULL) return 1;
    for (SIZE_T at = 0; at < size; at += 4096) memory[at] = 1;
    VirtualFree(memory, 0, MEM_RELEASE);
    return 0;
}

static void test_process_memory(void)
{
    HANDLE job;
    PROCESS_INFORMATION child;
    STARTUPINFOA startup;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits, read_back;
    char line[2048];
    DWORD code = 99;
    int i;
    static const char *const roles[2] = {"commit 32", "commit 512"};

    TEST("JOB_OBJECT_LIMIT_PROCESS_MEMORY: a member may commit less than ProcessMemoryLimit, not more");
    job = CreateJobObjectA(NULL, NULL);
    CHECK(job != NULL);
    memset(&limits, 0, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_MEMORY;
    limits.ProcessMemoryLimit = 256 << 20;
    SetLastError(0xdeadbeef); /* only the extended class carries the limit (winnt.h's valid basic flags) */
    CHECK(!SetInformationJobObject(job, JobObjectBasicLimitInformation, &limits.BasicLimitInformation,
                                   sizeof limits.BasicLimitInformation));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits));
    memset(&read_back, 0, sizeof read_back);
    CHECK(QueryInformationJobObject(job, JobObjectExtendedLimitInformation, &read_back, sizeof read_back, NULL));
    WINE_DEVIATION("Wine 8 reports no limits back, and does not enforce the process memory limit") {
        CHECK_EQ(read_back.BasicLimitInformation.LimitFlags, JOB_OBJECT_LIMIT_PROCESS_MEMORY);
        CHECK_EQ(read_back.ProcessMemoryLimit, 256 << 20);
        for (i = 0; i < LIMITED_CHILDREN; i++) {
            memset(&startup, 0, sizeof startup);
            startup.cb = sizeof startup;
            snprintf(line, sizeof line, "\"%s\" child %s", self_path, roles[i]);
            CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &startup, &child));
            CHECK(AssignProcessToJobObject(job, child.hProcess));
            CHECK_EQ(ResumeThread(child.hThread), 1);
            CHECK_EQ(WaitForSingleObject(child.hProcess, WAIT_MS), WAIT_OBJECT_0);
            CHECK(GetExitCodeProcess(child.hProcess, &code));
            CHECK_EQ(code, (DWORD)i); /* 32 MB: committed; 512 MB: refused */
            CloseHandle(child.hProcess);
            CloseHandle(child.hThread);
        }
    }
    CloseHandle(job);
}

static void test_inherited_membership(void)
{
    HANDLE job;
    PROCESS_INFORMATION child, away;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    BOOL inside = 7;

    TEST("a process in a job starts its children in it; CREATE_BREAKAWAY_FROM_JOB with BREAKAWAY_OK");
    job = CreateJobObjectA(NULL, NULL);
    CHECK(job != NULL);
    memset(&limits, 0, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_BREAKAWAY_OK;
    CHECK(SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits));
    CHECK(AssignProcessToJobObject(job, GetCurrentProcess()));
    CHECK(IsProcessInJob(GetCurrentProcess(), job, &inside));
    CHECK_EQ(inside, TRUE);
    CHECK(start_sleeper(0, &child));
    CHECK(IsProcessInJob(child.hProcess, job, &inside));
    CHECK_EQ(inside, TRUE);
    CHECK(start_sleeper(CREATE_BREAKAWAY_FROM_JOB, &away));
    CHECK(IsProcessInJob(away.hProcess, job, &inside));
    CHECK_EQ(inside, FALSE);

    /* This process and its child are 2 active processes: a limit of 2 refuses a third. */
    WINE_DEVIATION("Wine 8 does not enforce JOB_OBJECT_LIMIT_ACTIVE_PROCESS")
    {
        PROCESS_INFORMATION refused;
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_BREAKAWAY_OK | JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
        limits.BasicLimitInformation.ActiveProcessLimit = 2;
        CHECK(SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits));
        SetLastError(0xdeadbeef);
        CHECK(!start_sleeper(0, &refused));
        CHECK_ERROR(ERROR_NOT_ENOUGH_QUOTA);
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_BREAKAWAY_OK;
        CHECK(SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits));
    }
    end_child(&child);
    end_child(&away);
    /* The job handle stays open: this process is in the job until it exits. */
}

/* The child "owner": makes a kill-on-close job, starts a sleeper in it, writes the
 * sleeper's process id on its standard output and waits to be killed. */
static int run_owner(void)
{
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    PROCESS_INFORMATION sleeper;
    char line[32];
    DWORD written = 0;
    HANDLE job = CreateJobObjectA(NULL, NULL);
    if (job == NULL) return 40;
    memset(&limits, 0, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) return 41;
    if (!start_sleeper(0, &sleeper)) return 42;
    if (!AssignProcessToJobObject(job, sleeper.hProcess)) return 43;
    snprintf(line, sizeof line, "%lu\n", (unsigned long)sleeper.dwProcessId);
    if (!WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), line, (DWORD)strlen(line), &written, NULL)) return 44;
    Sleep(30000);
    return 45;
}

static void test_owner_killed(void)
{
    PROCESS_INFORMATION owner;
    HANDLE read_end = NULL, sleeper = NULL;
    char text[32];
    DWORD got = 0, total = 0;

    TEST("JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: the members end when the process holding the job is killed");
    CHECK(tl_start_child_with_output(self_path, "owner", &owner, &read_end));
    /* The sleeper's id, once the owner has it in its job (or the end of the pipe). */
    memset(text, 0, sizeof text);
    while (total < sizeof text - 1 && strchr(text, '\n') == NULL &&
           ReadFile(read_end, text + total, sizeof text - 1 - total, &got, NULL) && got > 0)
        total += got;
    CloseHandle(read_end);
    CHECK(strchr(text, '\n') != NULL);
    if (strchr(text, '\n') != NULL)
        sleeper = OpenProcess(SYNCHRONIZE | PROCESS_TERMINATE, FALSE, (DWORD)strtoul(text, NULL, 10));
    CHECK(sleeper != NULL);
    if (sleeper != NULL) CHECK_EQ(WaitForSingleObject(sleeper, 100), WAIT_TIMEOUT);
    CHECK(TerminateProcess(owner.hProcess, 9));
    CHECK_EQ(WaitForSingleObject(owner.hProcess, WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(owner.hProcess);
    CloseHandle(owner.hThread);
    if (sleeper != NULL) {
        CHECK_EQ(WaitForSingleObject(sleeper, WAIT_MS), WAIT_OBJECT_0);
        TerminateProcess(sleeper, 1); /* should it not have ended */
        CloseHandle(sleeper);
    }
}

/* Takes one packet from `port` and checks it is the job's `message` about `pid` (0 for
 * none), with `key`. */
static void expect_message_(int line, HANDLE port, DWORD message, ULONG_PTR key, DWORD pid)
{
    DWORD bytes = 0xdeadbeef;
    ULONG_PTR got_key = 0;
    OVERLAPPED *value = (OVERLAPPED *)(ULONG_PTR)0xdeadbeef;
    char what[160];
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &got_key, &value, WAIT_MS);
    snprintf(what, sizeof what, "line %d: a message %lu (got %d, message %lu, key %#lx, value %#lx)", line,
             (unsigned long)message, ok, (unsigned long)bytes, (unsigned long)got_key, (unsigned long)(ULONG_PTR)value);
    tl_record(ok && bytes == message && got_key == key && (ULONG_PTR)value == pid, __FILE__, line, what);
}
#define expect_message(port, message, key, pid) expect_message_(__LINE__, port, message, key, pid)

static void expect_no_message(HANDLE port)
{
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *value = NULL;
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &value, 300));
    CHECK_ERROR(WAIT_TIMEOUT);
}

static BOOL associate(HANDLE job, HANDLE port, ULONG_PTR key)
{
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT association;
    association.CompletionKey = (PVOID)key;
    association.CompletionPort = port;
    return SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &association,
                                   sizeof association);
}

static void test_completion_port(void)
{
    const ULONG_PTR key = 0x5eed;
    HANDLE job, port, other;
    PROCESS_INFORMATION first, second, third;
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT association;

    TEST("a job's completion port: members already there and new ones announced, each end, then zero active");
    job = CreateJobObjectA(NULL, NULL);
    CHECK(job != NULL);
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    CHECK(port != NULL);
    CHECK(start_sleeper(0, &first));
    CHECK(AssignProcessToJobObject(job, first.hProcess));
    CHECK(associate(job, port, key));
    CHECK(start_sleeper(0, &second));
    CHECK(AssignProcessToJobObject(job, second.hProcess));
    expect_message(port, JOB_OBJECT_MSG_NEW_PROCESS, key, first.dwProcessId);
    expect_message(port, JOB_OBJECT_MSG_NEW_PROCESS, key, second.dwProcessId);
    CHECK(TerminateProcess(second.hProcess, 0));
    CHECK_EQ(WaitForSingleObject(second.hProcess, WAIT_MS), WAIT_OBJECT_0);
    expect_message(port, JOB_OBJECT_MSG_EXIT_PROCESS, key, second.dwProcessId);
    expect_no_message(port);

    TEST("a member that ends with an exception's code: JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS");
    CHECK(TerminateProcess(first.hProcess, 0xC0000005)); /* STATUS_ACCESS_VIOLATION */
    CHECK_EQ(WaitForSingleObject(first.hProcess, WAIT_MS), WAIT_OBJECT_0);
    WINE_DEVIATION("Wine's server posts JOB_OBJECT_MSG_EXIT_PROCESS whatever the exit code")
    {
        expect_message(port, JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS, key, first.dwProcessId);
    }
    if (tl_under_wine()) expect_message(port, JOB_OBJECT_MSG_EXIT_PROCESS, key, first.dwProcessId);
    expect_message(port, JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO, key, 0);
    expect_no_message(port);
    CloseHandle(first.hProcess);
    CloseHandle(first.hThread);
    CloseHandle(second.hProcess);
    CloseHandle(second.hThread);

    TEST("one port per job: a second association fails; bad lengths and handles fail");
    other = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    CHECK(other != NULL);
    SetLastError(0xdeadbeef);
    CHECK(!associate(job, other, key));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    association.CompletionKey = (PVOID)key;
    association.CompletionPort = other;
    SetLastError(0xdeadbeef);
    CHECK(!SetInformationJobObject(job, JobObjectAssociateCompletionPortInformation, &association,
                                   sizeof association - 1));
    WINE_DEVIATION("Wine answers a wrong length with ERROR_INVALID_PARAMETER (NT: STATUS_INFO_LENGTH_MISMATCH)")
    {
        CHECK_ERROR(ERROR_BAD_LENGTH);
    }
    HANDLE second_job = CreateJobObjectA(NULL, NULL);
    CHECK(second_job != NULL);
    SetLastError(0xdeadbeef);
    CHECK(!associate(second_job, (HANDLE)(ULONG_PTR)0x7ff0, key));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(second_job);

    TEST("TerminateJobObject: no exit message for the members it ends, then zero active; the job is signalled");
    CHECK_EQ(WaitForSingleObject(job, 0), WAIT_TIMEOUT);
    CHECK(start_sleeper(0, &third));
    CHECK(AssignProcessToJobObject(job, third.hProcess));
    expect_message(port, JOB_OBJECT_MSG_NEW_PROCESS, key, third.dwProcessId);
    CHECK(TerminateJobObject(job, 9));
    CHECK_EQ(WaitForSingleObject(third.hProcess, WAIT_MS), WAIT_OBJECT_0);
    expect_message(port, JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO, key, 0);
    expect_no_message(port);
    CHECK_EQ(WaitForSingleObject(job, WAIT_MS), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(job, 0), WAIT_OBJECT_0); /* it stays signalled */
    CloseHandle(third.hProcess);
    CloseHandle(third.hThread);

    TEST("a null port ends the association (Windows 8 and later)");
    WINE_DEVIATION("Wine refuses a null completion port")
    {
        CHECK(associate(job, NULL, 0));
        CHECK(start_sleeper(0, &third));
        CHECK(AssignProcessToJobObject(job, third.hProcess));
        end_child(&third);
        expect_no_message(port);
        CHECK(associate(job, other, key + 1)); /* another port may come now */
    }

    CloseHandle(job);
    CloseHandle(other);
    CloseHandle(port);
}

static void test_accounting_times(void)
{
    HANDLE job;
    PROCESS_INFORMATION child;
    STARTUPINFOA startup;
    JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION both;
    DWORD length = 0;
    char line[2048];

    TEST("the accounting counts the CPU time of a member that has ended; the basic-and-I/O class too");
    job = CreateJobObjectA(NULL, NULL);
    CHECK(job != NULL);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" child spin", self_path);
    CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &startup, &child));
    CHECK(AssignProcessToJobObject(job, child.hProcess));
    CHECK_EQ(ResumeThread(child.hThread), 1);
    CHECK_EQ(WaitForSingleObject(child.hProcess, WAIT_MS), WAIT_OBJECT_0);
    memset(&both, 0xab, sizeof both);
    WINE_DEVIATION("Wine 8 has no JobObjectBasicAndIoAccountingInformation, and reports no CPU time for a job")
    {
        CHECK(QueryInformationJobObject(job, JobObjectBasicAndIoAccountingInformation, &both, sizeof both, &length));
        CHECK_EQ(length, sizeof both);
        CHECK_EQ(both.BasicInfo.TotalProcesses, 1);
        CHECK_EQ(both.BasicInfo.ActiveProcesses, 0);
        /* 300 ms of CPU time: counted, in 100 ns units, within what a second could hold. */
        CHECK(both.BasicInfo.TotalUserTime.QuadPart + both.BasicInfo.TotalKernelTime.QuadPart >= 3000000);
        CHECK(both.BasicInfo.TotalUserTime.QuadPart + both.BasicInfo.TotalKernelTime.QuadPart < 100000000);
        SetLastError(0xdeadbeef);
        CHECK(!QueryInformationJobObject(job, JobObjectBasicAndIoAccountingInformation, &both, sizeof both - 1,
                                         NULL));
        CHECK_ERROR(ERROR_BAD_LENGTH);
    }
    CHECK_EQ(GetExitCodeProcess(child.hProcess, &length) ? length : 99, 0);
    CloseHandle(child.hProcess);
    CloseHandle(child.hThread);
    CloseHandle(job);
}

static void test_active_process_limit(void)
{
    const ULONG_PTR key = 0x11;
    HANDLE job, port;
    PROCESS_INFORMATION first, second;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION accounting;
    BOOL inside = FALSE;
    DWORD code = 0;

    TEST("JOB_OBJECT_LIMIT_ACTIVE_PROCESS: one too many is ended with ERROR_NOT_ENOUGH_QUOTA, and the port told");
    job = CreateJobObjectA(NULL, NULL);
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    CHECK(job != NULL && port != NULL);
    memset(&limits, 0, sizeof limits);
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
    limits.BasicLimitInformation.ActiveProcessLimit = 1;
    CHECK(SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits));
    CHECK(associate(job, port, key));
    CHECK(start_sleeper(0, &first));
    CHECK(start_sleeper(0, &second));
    CHECK(AssignProcessToJobObject(job, first.hProcess));
    expect_message(port, JOB_OBJECT_MSG_NEW_PROCESS, key, first.dwProcessId);
    WINE_DEVIATION("Wine 8 does not enforce JOB_OBJECT_LIMIT_ACTIVE_PROCESS")
    {
        memset(&limits, 0, sizeof limits);
        CHECK(QueryInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits, NULL));
        CHECK_EQ(limits.BasicLimitInformation.ActiveProcessLimit, 1);
        SetLastError(0xdeadbeef);
        CHECK(!AssignProcessToJobObject(job, second.hProcess));
        CHECK_ERROR(ERROR_NOT_ENOUGH_QUOTA);
        expect_message(port, JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT, key, 0);
        CHECK_EQ(WaitForSingleObject(second.hProcess, WAIT_MS), WAIT_OBJECT_0);
        CHECK(GetExitCodeProcess(second.hProcess, &code));
        CHECK_EQ(code, ERROR_NOT_ENOUGH_QUOTA);
        CHECK(IsProcessInJob(second.hProcess, job, &inside));
        CHECK_EQ(inside, TRUE);
        memset(&accounting, 0, sizeof accounting);
        CHECK(QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &accounting, sizeof accounting,
                                        NULL));
        CHECK_EQ(accounting.TotalProcesses, 2);
        CHECK_EQ(accounting.ActiveProcesses, 1);
        CHECK_EQ(accounting.TotalTerminatedProcesses, 1);
        expect_no_message(port); /* the refused process was never active: no exit message */
    }
    CHECK(TerminateProcess(first.hProcess, 0));
    CHECK_EQ(WaitForSingleObject(first.hProcess, WAIT_MS), WAIT_OBJECT_0);
    expect_message(port, JOB_OBJECT_MSG_EXIT_PROCESS, key, first.dwProcessId);
    if (tl_under_wine()) end_child(&second);
    else {
        CloseHandle(second.hProcess);
        CloseHandle(second.hThread);
    }
    CloseHandle(first.hProcess);
    CloseHandle(first.hThread);
    CloseHandle(job);
    CloseHandle(port);
}

/* A wait for all of {job, member} beside a thread that associates the job's port (which
 * takes the job's lock, then the member's): neither may wait for the other for good. */
static HANDLE race_job, race_port, race_member;
static volatile LONG race_stop;

static DWORD WINAPI wait_all_loop(LPVOID unused)
{
    HANDLE both[2];
    (void)unused;
    both[0] = race_job;
    both[1] = race_member;
    while (!tl_load(&race_stop)) {
        WaitForMultipleObjects(2, both, TRUE, 0);
        both[0] = both[0] == race_job ? race_member : race_job; /* both orders */
        both[1] = both[1] == race_job ? race_member : race_job;
    }
    return 0;
}

static DWORD WINAPI associate_loop(LPVOID unused)
{
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *value;
    (void)unused;
    while (!tl_load(&race_stop)) {
        associate(race_job, race_port, 1);
        associate(race_job, NULL, 0);
        while (GetQueuedCompletionStatus(race_port, &bytes, &key, &value, 0)) {
        }
    }
    return 0;
}

/* In a fresh process (the "race" role), so that its member's and port's objects are made
 * before any job's: the order by address that the wait would use otherwise puts the
 * member first. Returns 0 if both threads finished. */
static int run_race(void)
{
    PROCESS_INFORMATION member;
    HANDLE threads[2];
    DWORD result;

    if (!start_sleeper(0, &member)) return 50;
    race_port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    race_job = CreateJobObjectA(NULL, NULL);
    if (race_job == NULL || race_port == NULL) return 51;
    race_member = member.hProcess;
    if (!AssignProcessToJobObject(race_job, member.hProcess)) return 52;
    threads[0] = CreateThread(NULL, 0, wait_all_loop, NULL, 0, NULL);
    threads[1] = CreateThread(NULL, 0, associate_loop, NULL, 0, NULL);
    if (threads[0] == NULL || threads[1] == NULL) return 53;
    Sleep(1000);
    tl_store(&race_stop, 1);
    result = WaitForMultipleObjects(2, threads, TRUE, WAIT_MS);
    TerminateProcess(member.hProcess, 1);
    return result == WAIT_OBJECT_0 ? 0 : 54;
}

static void test_wait_all_beside_association(void)
{
    PROCESS_INFORMATION child;
    STARTUPINFOA startup;
    char line[2048];

    TEST("WaitForMultipleObjects(all) on a job and its member while its port is associated: no deadlock");
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" child race", self_path);
    CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &child));
    if (WaitForSingleObject(child.hProcess, WAIT_MS) != WAIT_OBJECT_0) TerminateProcess(child.hProcess, 55);
    CHECK_EQ(WaitForSingleObject(child.hProcess, WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 99;
    CHECK(GetExitCodeProcess(child.hProcess, &code));
    CHECK_EQ(code, 0);
    CloseHandle(child.hProcess);
    CloseHandle(child.hThread);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0) {
        if (strcmp(argv[2], "owner") == 0) {
            if (GetModuleFileNameA(NULL, self_path, sizeof self_path) == 0) return 46;
            return run_owner();
        }
        if (strcmp(argv[2], "race") == 0) {
            if (GetModuleFileNameA(NULL, self_path, sizeof self_path) == 0) return 46;
            return run_race();
        }
        if (strcmp(argv[2], "spin") == 0) { /* uses 300 ms of CPU time (at most 20 s long), then ends */
            volatile unsigned long long sum = 0;
            DWORD start = GetTickCount();
            FILETIME created, ended, kernel, user;
            ULONGLONG used = 0;
            while (used < 3000000 && GetTickCount() - start < 20000) {
                for (int i = 0; i < 100000; i++) sum += (unsigned long long)i;
                if (!GetProcessTimes(GetCurrentProcess(), &created, &ended, &kernel, &user)) return 47;
                used = ((ULONGLONG)kernel.dwHighDateTime << 32 | kernel.dwLowDateTime) +
                       ((ULONGLONG)user.dwHighDateTime << 32 | user.dwLowDateTime);
            }
            return 0;
        }
        if (strcmp(argv[2], "commit") == 0 && argc >= 4) return commit_memory((DWORD)strtoul(argv[3], NULL, 10));
        Sleep(30000);
        return 0;
    }
    CHECK(GetModuleFileNameA(NULL, self_path, sizeof self_path) > 0);
    test_terminate();
    test_kill_on_close();
    test_process_memory();
    test_inherited_membership();
    test_owner_killed();
    test_completion_port();
    test_accounting_times();
    test_active_process_limit();
    test_wait_all_beside_association();
    return tl_finish();
}
