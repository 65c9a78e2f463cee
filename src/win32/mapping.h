// mapping.h: what mapping.cpp tells the virtual-memory functions (system.cpp) of the
// views it made.
#pragma once

#include <cstddef>
#include <cstdint>

#include <windows.h>

namespace overlapped::win32 {

// The view of a section (MapViewOfFile) holding `address`: its base, its length and the
// protection it was mapped with (PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY, their
// EXECUTE forms, or PAGE_NOACCESS), and whether it is a view of a file's section (not of
// the paging file). False if no view holds it.
bool view_containing(uintptr_t address, uintptr_t* base, size_t* length, DWORD* protect, bool* of_file = nullptr);

// The pages of [start, end) were unmapped: VirtualLock's locks on them go too.
void pages_unmapped(uintptr_t start, uintptr_t end);

}  // namespace overlapped::win32
