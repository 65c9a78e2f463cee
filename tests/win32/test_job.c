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
 * kill-on-close job held by a process that is killed ends its members). Every wait is
 * bounded. */
#include "testlib.h"

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
    memset(&accounting, 0, sizeof accounting);
    CHECK(QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &accounting, sizeof accounting, NULL));
    CHECK_EQ(accounting.TotalProcesses, 2);
    CHECK_EQ(accounting.ActiveProcesses, 2);
    memset(ids, 0, sizeof ids);
    CHECK(QueryInformationJobObject(job, JobObjectBasicProcessIdList, ids, sizeof ids, NULL));
    CHECK_EQ(list->NumberOfProcessIdsInList, 2);
    for (i = 0; i < 2; i++) {
        found = 0;
        for (j = 0; j < list->NumberOfProcessIdsInList && j < 9; j++)
            if (ids[1 + j] == children[i].dwProcessId) found = 1;
        CHECK(found);
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
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
    limits.BasicLimitInformation.ActiveProcessLimit = 4;
    OUR_DEVIATION("job limits other than kill-on-close and breakaway are not enforced") {
        CHECK(SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits));
    }
    if (!tl_under_wine()) {
        SetLastError(0xdeadbeef);
        CHECK(!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits));
        CHECK_ERROR(ERROR_CALL_NOT_IMPLEMENTED);
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
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    STARTUPINFOA startup;
    PROCESS_INFORMATION owner;
    HANDLE read_end, write_end, sleeper = NULL;
    char line[2048], text[32];
    DWORD got = 0, total = 0;

    TEST("JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: the members end when the process holding the job is killed");
    CHECK(CreatePipe(&read_end, &write_end, &inherit, 0));
    SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = write_end;
    startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    snprintf(line, sizeof line, "\"%s\" child owner", self_path);
    memset(&owner, 0, sizeof owner);
    CHECK(CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &owner));
    CloseHandle(write_end);
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

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0) {
        if (strcmp(argv[2], "owner") == 0) {
            if (GetModuleFileNameA(NULL, self_path, sizeof self_path) == 0) return 46;
            return run_owner();
        }
        Sleep(30000);
        return 0;
    }
    CHECK(GetModuleFileNameA(NULL, self_path, sizeof self_path) > 0);
    test_terminate();
    test_kill_on_close();
    test_inherited_membership();
    test_owner_killed();
    return tl_finish();
}
