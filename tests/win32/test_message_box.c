/* test_message_box.c: MessageBox, MessageBeep and Beep in a program without windows.
 * Windows' own rule (an unknown button set is refused) is checked everywhere; where
 * Windows shows a dialog and waits for the user, the library writes the message to
 * standard error and answers with the default button (docs/deviations.md): those checks
 * run in a child whose standard error is a pipe, and not under Wine, which would open a
 * window and wait. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"

/* The child: four boxes, then their answers on standard error too (an exit code keeps 8
 * bits on Linux). */
static int child(void)
{
    int yes_no_cancel = MessageBoxA(NULL, "the text", "the caption", MB_YESNOCANCEL | MB_DEFBUTTON2 | MB_ICONQUESTION);
    int ok = MessageBoxW(NULL, L"wide text", NULL, MB_OK);
    int past_the_set = MessageBoxExA(NULL, "", "past", MB_OKCANCEL | MB_DEFBUTTON4, 0);
    int try_again = MessageBoxA(NULL, "third", "try", MB_CANCELTRYCONTINUE | MB_DEFBUTTON3);
    fprintf(stderr, "%d %d %d %d\n", yes_no_cancel, ok, past_the_set, try_again);
    return 0;
}

/* An unknown button set and an owner that is no window are refused before any box is
 * shown (MaulingMonkey/win32-safety-experiments' MessageBox test, run on Windows 10). */
static void test_refused(void)
{
    TEST("MessageBox: an unknown button set, an owner that is no window");
    WINE_DEVIATION("Wine without a display fails every box: -1, ERROR_INVALID_WINDOW_HANDLE") {
        SetLastError(0xdeadbeef);
        CHECK_EQ(MessageBoxA(NULL, "text", "caption", 7), 0);
        CHECK_ERROR(ERROR_INVALID_MSGBOX_STYLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(MessageBoxW(NULL, L"text", L"caption", 0xf), 0);
        CHECK_ERROR(ERROR_INVALID_MSGBOX_STYLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(MessageBoxExA(NULL, NULL, NULL, 0xffffffff, 0), 0);
        CHECK_ERROR(ERROR_INVALID_MSGBOX_STYLE);
        SetLastError(0xdeadbeef);
        CHECK_EQ(MessageBoxA((HWND)(ULONG_PTR)0x12345678, "text", "caption", MB_OK), 0);
        CHECK_ERROR(ERROR_INVALID_WINDOW_HANDLE);
    }
}

static void test_shown_and_answered(const char *self)
{
    SECURITY_ATTRIBUTES inherit = {sizeof(inherit), NULL, TRUE};
    HANDLE read_end, write_end;
    STARTUPINFOA startup;
    PROCESS_INFORMATION child_process;
    char command[MAX_PATH + 16], output[512];
    DWORD got = 0, total = 0, code = 0;

    TEST("MessageBox without windows: standard error, the default button");
    CHECK(CreatePipe(&read_end, &write_end, &inherit, 0));
    CHECK(SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0));
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    startup.hStdError = write_end;
    snprintf(command, sizeof(command), "\"%s\" child", self);
    CHECK(CreateProcessA(NULL, command, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &child_process));
    CloseHandle(write_end);
    while (total < sizeof(output) - 1 && ReadFile(read_end, output + total, (DWORD)(sizeof(output) - 1 - total), &got, NULL) && got > 0)
        total += got;
    output[total] = 0;
    CHECK_EQ(WaitForSingleObject(child_process.hProcess, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeProcess(child_process.hProcess, &code));
    CHECK_EQ(code, 0);
    /* The answers: IDNO (the second of Yes, No, Cancel), IDOK, IDOK (a fourth button of
     * two: the first), IDCONTINUE (the third of Cancel, Try Again, Continue). */
    CHECK(IDNO == 7 && IDOK == 1 && IDCONTINUE == 11);
    CHECK(strcmp(output, "the caption: the text\nError: wide text\npast: \ntry: third\n7 1 1 11\n") == 0);
    if (strcmp(output, "the caption: the text\nError: wide text\npast: \ntry: third\n7 1 1 11\n") != 0)
        printf("standard error was: [%s]\n", output);
    CloseHandle(read_end);
    CloseHandle(child_process.hProcess);
    CloseHandle(child_process.hThread);
}

static void test_beeps(void)
{
    DWORD before;
    TEST("MessageBeep and Beep");
    CHECK(MessageBeep(MB_ICONASTERISK));
    CHECK(MessageBeep(0xFFFFFFFF));
    before = GetTickCount();
    CHECK(Beep(440, 50));
    /* Microsoft Learn, Beep: "The function is synchronous; it ... does not return control
     * to its caller until the sound finishes." */
    WINE_DEVIATION("Wine's Beep writes a bell and returns at once") {
        CHECK(GetTickCount() - before >= 40);
    }
}

int main(int argc, char **argv)
{
    char self[MAX_PATH];
    if (argc >= 2 && strcmp(argv[1], "child") == 0) return child();
    CHECK(GetModuleFileNameA(NULL, self, sizeof(self)) > 0);
    test_refused();
    /* Windows shows a dialog and waits for the user, and so would Wine: only here. */
    if (!tl_under_wine()) test_shown_and_answered(self);
    test_beeps();
    return tl_finish();
}
