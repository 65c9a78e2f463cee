/* windows.h: what a Win32 program includes; everything overlapped implements. */
#ifndef OVERLAPPED_WINDOWS_H
#define OVERLAPPED_WINDOWS_H

#include <windef.h>
#include <winnt.h>
#include <winerror.h>
#include <winbase.h>

#endif
