/* versionhelpers.h: the SDK's inline tests of the Windows version, over VerifyVersionInfoW.
 * The library reports Windows 10 (10.0.19045), a workstation (docs/deviations.md), so
 * every Is...OrGreater up to IsWindows10OrGreater is true and IsWindowsServer false. */
#ifndef OVERLAPPED_VERSIONHELPERS_H
#define OVERLAPPED_VERSIONHELPERS_H

#include <windows.h>

#ifndef __cplusplus
#include <stdbool.h>
#endif
#define OVERLAPPED_VERSIONHELPER static inline bool

OVERLAPPED_VERSIONHELPER IsWindowsVersionOrGreater(WORD wMajorVersion, WORD wMinorVersion, WORD wServicePackMajor)
{
    OSVERSIONINFOEXW wanted;
    DWORDLONG conditions = 0;
    ZeroMemory(&wanted, sizeof wanted);
    wanted.dwOSVersionInfoSize = sizeof wanted;
    wanted.dwMajorVersion = wMajorVersion;
    wanted.dwMinorVersion = wMinorVersion;
    wanted.wServicePackMajor = wServicePackMajor;
    conditions = VerSetConditionMask(conditions, VER_MAJORVERSION, VER_GREATER_EQUAL);
    conditions = VerSetConditionMask(conditions, VER_MINORVERSION, VER_GREATER_EQUAL);
    conditions = VerSetConditionMask(conditions, VER_SERVICEPACKMAJOR, VER_GREATER_EQUAL);
    return VerifyVersionInfoW(&wanted, VER_MAJORVERSION | VER_MINORVERSION | VER_SERVICEPACKMAJOR, conditions) !=
           FALSE;
}

#define OVERLAPPED_IS_WINDOWS(name, winnt, sp)                                                  \
    OVERLAPPED_VERSIONHELPER name(void)                                                         \
    {                                                                                           \
        return IsWindowsVersionOrGreater(HIBYTE(winnt), LOBYTE(winnt), (sp));                   \
    }
OVERLAPPED_IS_WINDOWS(IsWindowsXPOrGreater, _WIN32_WINNT_WINXP, 0)
OVERLAPPED_IS_WINDOWS(IsWindowsXPSP1OrGreater, _WIN32_WINNT_WINXP, 1)
OVERLAPPED_IS_WINDOWS(IsWindowsXPSP2OrGreater, _WIN32_WINNT_WINXP, 2)
OVERLAPPED_IS_WINDOWS(IsWindowsXPSP3OrGreater, _WIN32_WINNT_WINXP, 3)
OVERLAPPED_IS_WINDOWS(IsWindowsVistaOrGreater, _WIN32_WINNT_VISTA, 0)
OVERLAPPED_IS_WINDOWS(IsWindowsVistaSP1OrGreater, _WIN32_WINNT_VISTA, 1)
OVERLAPPED_IS_WINDOWS(IsWindowsVistaSP2OrGreater, _WIN32_WINNT_VISTA, 2)
OVERLAPPED_IS_WINDOWS(IsWindows7OrGreater, _WIN32_WINNT_WIN7, 0)
OVERLAPPED_IS_WINDOWS(IsWindows7SP1OrGreater, _WIN32_WINNT_WIN7, 1)
OVERLAPPED_IS_WINDOWS(IsWindows8OrGreater, _WIN32_WINNT_WIN8, 0)
OVERLAPPED_IS_WINDOWS(IsWindows8Point1OrGreater, _WIN32_WINNT_WINBLUE, 0)
OVERLAPPED_IS_WINDOWS(IsWindowsThresholdOrGreater, _WIN32_WINNT_WINTHRESHOLD, 0)
OVERLAPPED_IS_WINDOWS(IsWindows10OrGreater, _WIN32_WINNT_WINTHRESHOLD, 0)
#undef OVERLAPPED_IS_WINDOWS

/* A server or domain controller: anything but a workstation product. */
OVERLAPPED_VERSIONHELPER IsWindowsServer(void)
{
    OSVERSIONINFOEXW wanted;
    ZeroMemory(&wanted, sizeof wanted);
    wanted.dwOSVersionInfoSize = sizeof wanted;
    wanted.wProductType = VER_NT_WORKSTATION;
    return !VerifyVersionInfoW(&wanted, VER_PRODUCT_TYPE, VerSetConditionMask(0, VER_PRODUCT_TYPE, VER_EQUAL));
}

#endif
