/* processenv.h: the process's command line and environment block, and
 * GetModuleFileName (libloaderapi.h's on Windows; here the only module is the program). */
#ifndef OVERLAPPED_PROCESSENV_H
#define OVERLAPPED_PROCESSENV_H

#include <windef.h>
#include <winnt.h>

OVERLAPPED_BEGIN_C

OVERLAPPED_API LPSTR WINAPI GetCommandLineA(void);
OVERLAPPED_API LPWSTR WINAPI GetCommandLineW(void);

OVERLAPPED_API DWORD WINAPI GetEnvironmentVariableA(LPCSTR lpName, LPSTR lpBuffer, DWORD nSize);
OVERLAPPED_API DWORD WINAPI GetEnvironmentVariableW(LPCWSTR lpName, LPWSTR lpBuffer, DWORD nSize);
OVERLAPPED_API BOOL WINAPI SetEnvironmentVariableA(LPCSTR lpName, LPCSTR lpValue);
OVERLAPPED_API BOOL WINAPI SetEnvironmentVariableW(LPCWSTR lpName, LPCWSTR lpValue);
/* GetEnvironmentStrings is the ANSI one, as in the SDK. */
OVERLAPPED_API LPCH WINAPI GetEnvironmentStrings(void);
OVERLAPPED_API LPCH WINAPI GetEnvironmentStringsA(void);
OVERLAPPED_API LPWCH WINAPI GetEnvironmentStringsW(void);
OVERLAPPED_API BOOL WINAPI FreeEnvironmentStringsA(LPCH penv);
OVERLAPPED_API BOOL WINAPI FreeEnvironmentStringsW(LPWCH penv);
OVERLAPPED_API DWORD WINAPI ExpandEnvironmentStringsA(LPCSTR lpSrc, LPSTR lpDst, DWORD nSize);
OVERLAPPED_API DWORD WINAPI ExpandEnvironmentStringsW(LPCWSTR lpSrc, LPWSTR lpDst, DWORD nSize);
/* advapi32's, declared here as winbase.h does on Windows. */
OVERLAPPED_API BOOL WINAPI GetUserNameA(LPSTR lpBuffer, LPDWORD pcbBuffer);
OVERLAPPED_API BOOL WINAPI GetUserNameW(LPWSTR lpBuffer, LPDWORD pcbBuffer);

OVERLAPPED_API DWORD WINAPI GetCurrentDirectoryA(DWORD nBufferLength, LPSTR lpBuffer);
OVERLAPPED_API DWORD WINAPI GetCurrentDirectoryW(DWORD nBufferLength, LPWSTR lpBuffer);
OVERLAPPED_API BOOL WINAPI SetCurrentDirectoryA(LPCSTR lpPathName);
OVERLAPPED_API BOOL WINAPI SetCurrentDirectoryW(LPCWSTR lpPathName);

OVERLAPPED_API DWORD WINAPI GetModuleFileNameA(HMODULE hModule, LPSTR lpFilename, DWORD nSize);
OVERLAPPED_API DWORD WINAPI GetModuleFileNameW(HMODULE hModule, LPWSTR lpFilename, DWORD nSize);

/* Modules (docs/win32-status.md: the system DLLs are this library; no other DLL loads). */
OVERLAPPED_API HMODULE WINAPI GetModuleHandleA(LPCSTR lpModuleName);
OVERLAPPED_API HMODULE WINAPI GetModuleHandleW(LPCWSTR lpModuleName);
OVERLAPPED_API HMODULE WINAPI LoadLibraryA(LPCSTR lpLibFileName);
OVERLAPPED_API HMODULE WINAPI LoadLibraryW(LPCWSTR lpLibFileName);
OVERLAPPED_API HMODULE WINAPI LoadLibraryExA(LPCSTR lpLibFileName, HANDLE hFile, DWORD dwFlags);
OVERLAPPED_API HMODULE WINAPI LoadLibraryExW(LPCWSTR lpLibFileName, HANDLE hFile, DWORD dwFlags);
OVERLAPPED_API BOOL WINAPI FreeLibrary(HMODULE hLibModule);
OVERLAPPED_API FARPROC WINAPI GetProcAddress(HMODULE hModule, LPCSTR lpProcName);

#ifdef UNICODE
#define GetCommandLine GetCommandLineW
#define GetEnvironmentVariable GetEnvironmentVariableW
#define SetEnvironmentVariable SetEnvironmentVariableW
#define GetEnvironmentStrings GetEnvironmentStringsW /* without UNICODE: the function above */
#define FreeEnvironmentStrings FreeEnvironmentStringsW
#define ExpandEnvironmentStrings ExpandEnvironmentStringsW
#define GetUserName GetUserNameW
#define GetCurrentDirectory GetCurrentDirectoryW
#define SetCurrentDirectory SetCurrentDirectoryW
#define GetModuleFileName GetModuleFileNameW
#define GetModuleHandle GetModuleHandleW
#define LoadLibrary LoadLibraryW
#define LoadLibraryEx LoadLibraryExW
#else
#define GetCommandLine GetCommandLineA
#define GetEnvironmentVariable GetEnvironmentVariableA
#define SetEnvironmentVariable SetEnvironmentVariableA
#define FreeEnvironmentStrings FreeEnvironmentStringsA
#define ExpandEnvironmentStrings ExpandEnvironmentStringsA
#define GetUserName GetUserNameA
#define GetCurrentDirectory GetCurrentDirectoryA
#define SetCurrentDirectory SetCurrentDirectoryA
#define GetModuleFileName GetModuleFileNameA
#define GetModuleHandle GetModuleHandleA
#define LoadLibrary LoadLibraryA
#define LoadLibraryEx LoadLibraryExA
#endif

OVERLAPPED_END_C

#endif
