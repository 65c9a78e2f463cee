// volume.h: the drive side of CreateFile (\\.\PHYSICALDRIVEn, \\.\X:) and of
// SetFilePointerEx, for win32/devices.cpp and win32/file.cpp.
#pragma once

#include <string>

#include <windows.h>

namespace overlapped::win32 {

// CreateFile's opener for drive names (devices.cpp's table).
bool open_drive(const std::string& name, DWORD access, DWORD share, DWORD disposition, DWORD flags,
                LPSECURITY_ATTRIBUTES attributes, HANDLE* handle);

// SetFilePointerEx on a drive handle: true if `handle` is one (then *result is the
// function's result, with the last error set).
bool drive_set_pointer(HANDLE handle, LONGLONG distance, DWORD method, PLARGE_INTEGER position, BOOL* result);

// FlushFileBuffers on a drive handle: true if `handle` is one (then *result as above).
bool drive_flush(HANDLE handle, BOOL* result);

}  // namespace overlapped::win32
