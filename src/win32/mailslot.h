// mailslot.h: the mailslot entry points' helper for CreateFile (src/win32/file.cpp hands
// it "\\.\mailslot\..." and "\\*\mailslot\..." names).
#pragma once

#include <string>

#include <windows.h>

namespace overlapped::win32 {

// CreateFile on a mailslot name: a client end (`disposition`: CreateFile's, already
// checked to be one of its five). Sets the last error.
HANDLE create_mailslot_client(const std::string& name, DWORD access, DWORD disposition, DWORD flags,
                              LPSECURITY_ATTRIBUTES attributes);

// FlushFileBuffers on a mailslot handle (hooked from win32/file.cpp): false if `handle` is
// not one.
bool flush_mailslot(HANDLE handle, BOOL* result);

}  // namespace overlapped::win32
