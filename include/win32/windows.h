/* windows.h: what a Win32 program includes; everything overlapped implements. */
#ifndef OVERLAPPED_WINDOWS_H
#define OVERLAPPED_WINDOWS_H

/* The C headers the Windows SDK's windows.h brings along, which programs rely on. */
#include <windef.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <winnt.h>
#include <winerror.h>
#include <winbase.h>
#include <wincon.h>
#include <winnls.h>
#include <winuser.h>
#include <consoleapi.h>
#include <namedpipeapi.h>
#include <processthreadsapi.h>
#include <processenv.h>
#include <dirchanges.h>
#include <fileman.h>
#include <winioctl.h>
#include <commapi.h>
#include <threadpoolapi.h>

#endif
