/* test_modules.c: GetModuleHandle, LoadLibrary, GetProcAddress, FreeLibrary: the way a
 * program looks for a function at run time (an API newer than the one it was built for).
 *
 * Facts: Microsoft Learn (GetModuleHandle(NULL): the program's own module; a module not
 * loaded: NULL, ERROR_MOD_NOT_FOUND; the ".dll" extension may be left out and names
 * compare without case; GetProcAddress: NULL with ERROR_PROC_NOT_FOUND for a function the
 * module does not export; LoadLibrary of a file that does not exist: ERROR_MOD_NOT_FOUND). */
#include "testlib.h"

typedef DWORD(WINAPI *process_id_fn)(void);
typedef int(WINAPI *last_error_fn)(void);
typedef u_short(WINAPI *htons_fn)(u_short);

static void test_modules(void)
{
    char program[MAX_PATH], named[MAX_PATH];
    HMODULE self, kernel, kernel_again, winsock;
    FARPROC found;

    TEST("the program's module, the system modules, functions found at run time");
    self = GetModuleHandleA(NULL);
    CHECK(self != NULL);
    CHECK(GetModuleFileNameA(NULL, program, sizeof program) > 0);
    CHECK(GetModuleFileNameA(self, named, sizeof named) > 0);
    CHECK(strcmp(program, named) == 0);

    kernel = GetModuleHandleA("kernel32.dll");
    CHECK(kernel != NULL);
    kernel_again = GetModuleHandleA("KERNEL32"); /* no extension, other case */
    CHECK(kernel_again == kernel);
    found = GetProcAddress(kernel, "GetCurrentProcessId");
    CHECK(found != NULL);
    if (found != NULL) CHECK_EQ(((process_id_fn)(void (*)(void))found)(), GetCurrentProcessId());
    SetLastError(0xdeadbeef);
    CHECK(GetProcAddress(kernel, "NoSuchFunctionAnywhere") == NULL);
    CHECK_ERROR(ERROR_PROC_NOT_FOUND);

    winsock = LoadLibraryA("ws2_32.dll");
    CHECK(winsock != NULL);
    found = GetProcAddress(winsock, "htons");
    CHECK(found != NULL);
    if (found != NULL) CHECK_EQ(((htons_fn)(void (*)(void))found)(0x1234), 0x3412);
    found = GetProcAddress(winsock, "WSAGetLastError");
    CHECK(found != NULL);
    CHECK(FreeLibrary(winsock));

    SetLastError(0xdeadbeef);
    CHECK(GetModuleHandleA("overlapped_no_such_module.dll") == NULL);
    CHECK_ERROR(ERROR_MOD_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(LoadLibraryA("overlapped_no_such_library.dll") == NULL);
    CHECK_ERROR(ERROR_MOD_NOT_FOUND);

    /* GetProcAddress of NULL looks in the program's own module; a handle that names no
     * module is ERROR_MOD_NOT_FOUND (Wine's kernel32 module.c, testGetProcAddress_Wrong,
     * which passes on Windows). */
    SetLastError(0xdeadbeef);
    CHECK(GetProcAddress(NULL, "overlapped_no_such_function") == NULL);
    CHECK_ERROR(ERROR_PROC_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(GetProcAddress((HMODULE)(ULONG_PTR)0xdeadbeef, "overlapped_no_such_function") == NULL);
    CHECK_ERROR(ERROR_MOD_NOT_FOUND);
}

int main(void)
{
    test_modules();
    return tl_finish();
}
