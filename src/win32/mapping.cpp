// mapping.cpp: file mappings: CreateFileMapping, OpenFileMapping, MapViewOfFile(Ex),
// UnmapViewOfFile, FlushViewOfFile.
//
// A section (kernel/section.h) is a descriptor: the file's own (duplicated), or a memfd
// for memory backed by the paging file. A view is an mmap of it: MAP_SHARED, or
// MAP_PRIVATE for FILE_MAP_COPY; views are remembered by base address so that
// UnmapViewOfFile and FlushViewOfFile know them, and a view outlives the handles to its
// section, as on Windows. Named memory backed by the paging file is shared with the other
// processes of the user that name it (drivers/shared_section.h); other names are the
// process's own, as for events (deviations).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <map>
#include <mutex>

#include "drivers/file.h"
#include "drivers/shared_section.h"
#include "io/device.h"
#include "kernel/handle_table.h"
#include "kernel/names.h"
#include "kernel/section.h"
#include "win32/entry.h"
#include "win32/mapping.h"
#include "win32/named.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

constexpr uint64_t kGranularity = 64 * 1024;  // GetSystemInfo's dwAllocationGranularity

// A view: its length, and what it holds of a file's section (drivers/file.h: a file
// with a view stays user-mapped after its section's handles are closed), or nullptr.
struct View {
    size_t length;
    drivers::FileMapping* mapping;
    DWORD protect;  // as mapped (VirtualQuery's AllocationProtect)
    bool of_file;   // a view of a file's section, not of the paging file
};
std::mutex views_mutex;
std::map<uintptr_t, View>* views = new std::map<uintptr_t, View>();  // base -> view

void release_file_mapping(void* mapping) { drivers::file_mapping_release(static_cast<drivers::FileMapping*>(mapping)); }

bool writable(uint32_t protect) { return protect == PAGE_READWRITE || protect == PAGE_EXECUTE_READWRITE; }

bool executable(uint32_t protect)
{
    return protect == PAGE_EXECUTE_READ || protect == PAGE_EXECUTE_READWRITE || protect == PAGE_EXECUTE_WRITECOPY;
}

// The view's protection for MapViewOfFile's access (see MapViewOfFileEx).
DWORD view_protection(DWORD access)
{
    bool execute = (access & FILE_MAP_EXECUTE) != 0;
    DWORD rest = access & ~DWORD(FILE_MAP_EXECUTE);
    if (rest == FILE_MAP_COPY) return execute ? PAGE_EXECUTE_WRITECOPY : PAGE_WRITECOPY;
    if (rest & FILE_MAP_WRITE) return execute ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
    if (rest & FILE_MAP_READ) return execute ? PAGE_EXECUTE_READ : PAGE_READONLY;
    return PAGE_NOACCESS;
}

// The rights a view of `protect` needs of its section, or a section of `protect` gives
// its views: reading for every view (even one not to be touched), writing and execution
// as the protection says (copy-on-write writes no section).
DWORD section_rights(DWORD protect)
{
    switch (protect) {
    case PAGE_READWRITE: return SECTION_MAP_READ | SECTION_MAP_WRITE;
    case PAGE_EXECUTE_READWRITE: return SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_MAP_EXECUTE;
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_WRITECOPY: return SECTION_MAP_READ | SECTION_MAP_EXECUTE;
    default: return SECTION_MAP_READ;  // PAGE_NOACCESS, PAGE_READONLY, PAGE_WRITECOPY
    }
}

int prot_of_view(DWORD protect)
{
    switch (protect) {
    case PAGE_READONLY: return PROT_READ;
    case PAGE_READWRITE:
    case PAGE_WRITECOPY: return PROT_READ | PROT_WRITE;
    case PAGE_EXECUTE_READ: return PROT_READ | PROT_EXEC;
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY: return PROT_READ | PROT_WRITE | PROT_EXEC;
    default: return PROT_NONE;
    }
}

// A new open file description of what `descriptor` is open on (its access mode), or -1.
int reopen(int descriptor)
{
    int mode = fcntl(descriptor, F_GETFL);
    if (mode < 0) return -1;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", descriptor);
    return open(path, (mode & O_ACCMODE) | O_CLOEXEC);
}

bool valid_protect(uint32_t protect)
{
    switch (protect) {
    case PAGE_READONLY:
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
    case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY:
        return true;
    default:
        return false;
    }
}

template <class Char>
HANDLE create_mapping(HANDLE file, LPSECURITY_ATTRIBUTES attributes, DWORD protect_flags, DWORD size_high,
                      DWORD size_low, const Char* name)
{
    // No file is the paging file, as INVALID_HANDLE_VALUE (CreateFileMapping hands the
    // kernel no file handle for either: ZwCreateSection, Microsoft Learn).
    if (file == nullptr) file = INVALID_HANDLE_VALUE;
    uint32_t protect = protect_flags & 0xFF;
    DWORD sec = protect_flags & ~DWORD(0xFF);
    if (!valid_protect(protect) || (sec & ~DWORD(SEC_COMMIT | SEC_RESERVE | SEC_NOCACHE | SEC_WRITECOMBINE |
                                                  SEC_IMAGE | SEC_LARGE_PAGES | SEC_FILE)))
        return fail(ERROR_INVALID_PARAMETER, HANDLE(nullptr));
    // The SEC_* attributes (Wine's kernel32 virtual test, test_CreateFileMapping, which
    // passes on Windows): none means SEC_COMMIT; else exactly one of SEC_COMMIT,
    // SEC_RESERVE and SEC_IMAGE (NtCreateSection: STATUS_INVALID_PARAMETER_6), the
    // others only beside it; SEC_FILE is never the caller's; an image is not made
    // write-combined; large pages only for committed memory of the paging file.
    if (sec != 0) {
        DWORD kind = sec & (SEC_COMMIT | SEC_RESERVE | SEC_IMAGE);
        bool one_kind = kind == SEC_COMMIT || kind == SEC_RESERVE || kind == SEC_IMAGE;
        if (!one_kind || (sec & SEC_FILE) || ((sec & SEC_IMAGE) && (sec & (SEC_WRITECOMBINE | SEC_LARGE_PAGES))) ||
            ((sec & SEC_LARGE_PAGES) && (kind != SEC_COMMIT || file != INVALID_HANDLE_VALUE)))
            return fail(ERROR_INVALID_PARAMETER, HANDLE(nullptr));
    }
    if (sec & (SEC_IMAGE | SEC_LARGE_PAGES)) return fail(ERROR_CALL_NOT_IMPLEMENTED, HANDLE(nullptr));
    uint64_t size = (static_cast<uint64_t>(size_high) << 32) | size_low;
    int descriptor = -1;
    win32::Name object_name = win32::name_from(name, attributes);
    if (object_name.error != ERROR_SUCCESS) return fail(object_name.error, HANDLE(nullptr));
    bool existed_elsewhere = false;
    std::string shared_name = object_name.text;
    bool shared = file == INVALID_HANDLE_VALUE && object_name.present && kernel::names_normalise(&shared_name) == ERROR_SUCCESS;
    if (shared) {
        // Named memory backed by the paging file: shared with the other processes that
        // name it (drivers/shared_section.h), unless this process has the name already.
        if (size == 0) return fail(ERROR_INVALID_PARAMETER, HANDLE(nullptr));
        if (kernel::Object* local = kernel::names_find(shared_name)) {
            local->release_reference();
            shared = false;  // create_object opens this process's object of that name
        }
    }
    if (shared) {
        uint64_t actual = size;
        if (DWORD error = drivers::shared_section_create(shared_name, size, &descriptor, &actual, &existed_elsewhere))
            return fail(error, HANDLE(nullptr));
        size = actual;
    } else if (file == INVALID_HANDLE_VALUE) {
        // Memory backed by the paging file: a size is needed.
        if (size == 0) return fail(ERROR_INVALID_PARAMETER, HANDLE(nullptr));
        descriptor = memfd_create("overlapped-section", MFD_CLOEXEC);
        if (descriptor < 0) return fail(ERROR_NOT_ENOUGH_MEMORY, HANDLE(nullptr));
        if (ftruncate(descriptor, static_cast<off_t>(size)) != 0) {
            ::close(descriptor);
            return fail(ERROR_NOT_ENOUGH_MEMORY, HANDLE(nullptr));
        }
    } else {
        DWORD error;
        ACCESS_MASK granted = 0;
        io::Device* device = io::device_lock(file, 0, &error, &granted);
        if (device == nullptr) return fail(error, HANDLE(nullptr));
        if (device->type() != kernel::ObjectType::File) {
            device->lock.unlock();
            return fail(ERROR_INVALID_HANDLE, HANDLE(nullptr));
        }
        int own = static_cast<drivers::FileDevice*>(device)->descriptor();
        descriptor = own >= 0 ? fcntl(own, F_DUPFD_CLOEXEC, 3) : -1;
        device->lock.unlock();
        // The file handle must allow what the mapping does (Windows: ERROR_ACCESS_DENIED):
        // reading always, writing for PAGE_READWRITE and PAGE_EXECUTE_READWRITE,
        // execution for the PAGE_EXECUTE_* protections (Microsoft Learn,
        // CreateFileMapping: "must be created with the GENERIC_READ and GENERIC_EXECUTE
        // access rights"; Wine's kernel32 virtual test, test_mappings, which passes on
        // Windows, for a file opened for reading only).
        bool reads = (granted & FILE_READ_DATA) != 0, writes = (granted & FILE_WRITE_DATA) != 0;
        bool runs = (granted & FILE_EXECUTE) != 0;
        if (descriptor < 0) return fail(ERROR_INVALID_HANDLE, HANDLE(nullptr));
        if (!reads || (writable(protect) && !writes) || (executable(protect) && !runs)) {
            ::close(descriptor);
            return fail(ERROR_ACCESS_DENIED, HANDLE(nullptr));
        }
        struct stat status;
        if (fstat(descriptor, &status) != 0 || !S_ISREG(status.st_mode)) {
            ::close(descriptor);
            return fail(ERROR_INVALID_HANDLE, HANDLE(nullptr));
        }
        uint64_t length = static_cast<uint64_t>(status.st_size);
        if (size == 0) {
            if (length == 0) {  // nothing to map
                ::close(descriptor);
                return fail(ERROR_FILE_INVALID, HANDLE(nullptr));
            }
            size = length;
        } else if (size > length) {
            // A section larger than its file grows the file, if it may be written.
            if (!writable(protect)) {
                ::close(descriptor);
                return fail(ERROR_NOT_ENOUGH_MEMORY, HANDLE(nullptr));
            }
            if (ftruncate(descriptor, static_cast<off_t>(size)) != 0) {
                int failure = errno;
                ::close(descriptor);
                return fail(failure == ENOSPC || failure == EFBIG ? ERROR_DISK_FULL : ERROR_ACCESS_DENIED,
                            HANDLE(nullptr));
            }
        }
    }
    // An existing section of that name is opened instead (ERROR_ALREADY_EXISTS, its size
    // and protection): then no object was made over our descriptor.
    bool made = false;
    HANDLE handle = win32::create_object(object_name, kernel::ObjectType::Section, SECTION_ALL_ACCESS, [&] {
        made = true;
        kernel::SectionObject* section = kernel::SectionObject::create(descriptor, size, protect);
        // A section over a file makes the file user-mapped while it lasts.
        struct stat status;
        if (file != INVALID_HANDLE_VALUE && fstat(descriptor, &status) == 0)
            if (drivers::FileMapping* mapping =
                    drivers::file_mapping_add(status.st_dev, status.st_ino, size, writable(protect)))
                section->set_file_mapping(mapping, release_file_mapping);
        return section;
    });
    if (!made && descriptor >= 0) ::close(descriptor);
    if (handle != nullptr && made && existed_elsewhere) SetLastError(ERROR_ALREADY_EXISTS);  // another process's
    return handle;
}

template <class Char>
HANDLE open_mapping(DWORD access, BOOL inherit, const Char* name)
{
    win32::Name object_name = win32::name_from(name);
    HANDLE handle = win32::open_object(object_name, kernel::ObjectType::Section, access, inherit);
    if (handle != nullptr || GetLastError() != ERROR_FILE_NOT_FOUND) return handle;
    // Not this process's: another process's named memory (drivers/shared_section.h).
    std::string shared_name = object_name.text;
    if (kernel::names_normalise(&shared_name) != ERROR_SUCCESS) return fail(ERROR_FILE_NOT_FOUND, HANDLE(nullptr));
    int descriptor = -1;
    uint64_t size = 0;
    if (DWORD error = drivers::shared_section_open(shared_name, &descriptor, &size)) return fail(error, HANDLE(nullptr));
    win32::Name creator = object_name;
    creator.handle_flags = inherit ? HANDLE_FLAG_INHERIT : 0;
    bool made = false;
    // The creator's protection is not known here: the memory is readable and writable,
    // as such sections are made (the handle's access still limits the views).
    handle = win32::create_object(creator, kernel::ObjectType::Section, access, [&] {
        made = true;
        return kernel::SectionObject::create(descriptor, size, PAGE_READWRITE);
    });
    if (!made) ::close(descriptor);
    if (handle != nullptr) SetLastError(ERROR_SUCCESS);
    return handle;
}

}  // namespace

bool overlapped::win32::view_containing(uintptr_t address, uintptr_t* base, size_t* length, DWORD* protect,
                                        bool* of_file)
{
    std::lock_guard<std::mutex> guard(views_mutex);
    auto found = views->upper_bound(address);
    if (found == views->begin()) return false;
    --found;
    if (address >= found->first + found->second.length) return false;
    *base = found->first;
    *length = found->second.length;
    *protect = found->second.protect;
    if (of_file != nullptr) *of_file = found->second.of_file;
    return true;
}

extern "C" {

HANDLE WINAPI CreateFileMappingA(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes, DWORD flProtect,
                                 DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow, LPCSTR lpName)
{
    return create_mapping(hFile, lpFileMappingAttributes, flProtect, dwMaximumSizeHigh, dwMaximumSizeLow, lpName);
}

HANDLE WINAPI CreateFileMappingW(HANDLE hFile, LPSECURITY_ATTRIBUTES lpFileMappingAttributes, DWORD flProtect,
                                 DWORD dwMaximumSizeHigh, DWORD dwMaximumSizeLow, LPCWSTR lpName)
{
    return create_mapping(hFile, lpFileMappingAttributes, flProtect, dwMaximumSizeHigh, dwMaximumSizeLow, lpName);
}

HANDLE WINAPI OpenFileMappingA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    return open_mapping(dwDesiredAccess, bInheritHandle, lpName);
}

HANDLE WINAPI OpenFileMappingW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    return open_mapping(dwDesiredAccess, bInheritHandle, lpName);
}

LPVOID WINAPI MapViewOfFileEx(HANDLE hFileMappingObject, DWORD dwDesiredAccess, DWORD dwFileOffsetHigh,
                              DWORD dwFileOffsetLow, SIZE_T dwNumberOfBytesToMap, LPVOID lpBaseAddress)
{
    DWORD error;
    ACCESS_MASK granted = 0;
    kernel::Object* object =
        kernel::handle_reference_granted(hFileMappingObject, kernel::ObjectType::Section, 0, &granted, &error);
    if (object == nullptr) return fail(error, LPVOID(nullptr));
    auto* section = static_cast<kernel::SectionObject*>(object);
    uint64_t offset = (static_cast<uint64_t>(dwFileOffsetHigh) << 32) | dwFileOffsetLow;
    uint64_t size = section->size();
    uint32_t protect = section->protect();
    int descriptor = section->descriptor();
    bool of_file = section->file_mapping() != nullptr;
    // The view's protection follows the access asked for (Wine's kernel32 virtual test,
    // test_mapping, which passes on Windows): FILE_MAP_COPY alone is copy-on-write,
    // FILE_MAP_WRITE beats it, FILE_MAP_READ | FILE_MAP_COPY reads the section itself,
    // FILE_MAP_EXECUTE adds execution to any of those, and without read, write or copy
    // (FILE_MAP_EXECUTE alone, SECTION_MAP_EXECUTE, 0) the view may not be touched.
    DWORD view_protect = view_protection(dwDesiredAccess);
    // It needs what the section's protection allows and what the handle may do
    // (ERROR_ACCESS_DENIED); a view not to be touched, the right to map for reading.
    DWORD needed = section_rights(view_protect);
    DWORD handle_rights = granted & (SECTION_MAP_READ | SECTION_MAP_WRITE);
    if (granted & (SECTION_MAP_EXECUTE | FILE_MAP_EXECUTE)) handle_rights |= SECTION_MAP_EXECUTE;
    DWORD refused = ERROR_SUCCESS;
    if ((needed & section_rights(protect)) != needed || (needed & handle_rights) != needed)
        refused = ERROR_ACCESS_DENIED;
    else if (offset % kGranularity != 0) refused = ERROR_MAPPED_ALIGNMENT;
    else if (offset >= size) refused = ERROR_ACCESS_DENIED;
    else if (dwNumberOfBytesToMap > size - offset) refused = ERROR_ACCESS_DENIED;
    else if (lpBaseAddress != nullptr && reinterpret_cast<uintptr_t>(lpBaseAddress) % kGranularity != 0)
        refused = ERROR_MAPPED_ALIGNMENT;
    if (refused != ERROR_SUCCESS) {
        object->release_reference();
        return fail(refused, LPVOID(nullptr));
    }
    size_t length = dwNumberOfBytesToMap != 0 ? dwNumberOfBytesToMap : static_cast<size_t>(size - offset);
    bool copy = view_protect == PAGE_WRITECOPY || view_protect == PAGE_EXECUTE_WRITECOPY;
    int prot = prot_of_view(view_protect);
    int flags = (copy ? MAP_PRIVATE : MAP_SHARED) | (lpBaseAddress != nullptr ? MAP_FIXED_NOREPLACE : 0);
    // A view of memory backed by the paging file maps its own open of it: the section's
    // descriptor of named memory holds the name's lock (drivers/shared_section.h), and a
    // view must not keep the name once the section's last handle is gone (as on Windows,
    // where a view keeps the memory, not the name).
    int own = of_file ? -1 : reopen(descriptor);
    void* view = mmap(lpBaseAddress, length, prot, flags, own >= 0 ? own : descriptor, static_cast<off_t>(offset));
    int failure = errno;
    if (own >= 0) ::close(own);
    auto* mapping = static_cast<drivers::FileMapping*>(section->file_mapping());
    if (view != MAP_FAILED && mapping != nullptr) drivers::file_mapping_retain(mapping);
    object->release_reference();  // the view keeps its pages (and its file mapped), not the section
    if (view == MAP_FAILED || (lpBaseAddress != nullptr && view != lpBaseAddress)) {
        if (view != MAP_FAILED) {
            munmap(view, length);  // (a kernel without MAP_FIXED_NOREPLACE)
            if (mapping != nullptr) drivers::file_mapping_release(mapping);
        }
        return fail(lpBaseAddress != nullptr ? ERROR_INVALID_ADDRESS
                    : failure == ENOMEM       ? ERROR_NOT_ENOUGH_MEMORY
                                              : ERROR_ACCESS_DENIED,
                    LPVOID(nullptr));
    }
    {
        std::lock_guard<std::mutex> guard(views_mutex);
        // A view is whole pages: the bytes past the section's end in its last page are
        // the view's too (UnmapViewOfFile, FlushViewOfFile, VirtualQuery).
        size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        size_t pages = (length + page - 1) / page * page;
        (*views)[reinterpret_cast<uintptr_t>(view)] = View{pages, mapping, view_protect, of_file};
    }
    return view;
}

LPVOID WINAPI MapViewOfFile(HANDLE hFileMappingObject, DWORD dwDesiredAccess, DWORD dwFileOffsetHigh,
                            DWORD dwFileOffsetLow, SIZE_T dwNumberOfBytesToMap)
{
    return MapViewOfFileEx(hFileMappingObject, dwDesiredAccess, dwFileOffsetHigh, dwFileOffsetLow,
                           dwNumberOfBytesToMap, nullptr);
}

// The view holding lpBaseAddress, which need not be its base (Wine's kernel32 virtual
// test, test_MapViewOfFile, which passes on Windows: base + 100, base + 4096 unmap it);
// an address in no view is ERROR_INVALID_ADDRESS.
BOOL WINAPI UnmapViewOfFile(LPCVOID lpBaseAddress)
{
    uintptr_t address = reinterpret_cast<uintptr_t>(lpBaseAddress);
    uintptr_t base = 0;
    View view{};
    {
        std::lock_guard<std::mutex> guard(views_mutex);
        auto found = views->upper_bound(address);
        if (found == views->begin()) return fail(ERROR_INVALID_ADDRESS, FALSE);
        --found;
        if (address >= found->first + found->second.length) return fail(ERROR_INVALID_ADDRESS, FALSE);
        base = found->first;
        view = found->second;
        views->erase(found);
    }
    munmap(reinterpret_cast<void*>(base), view.length);
    win32::pages_unmapped(base, base + view.length);
    if (view.mapping != nullptr) drivers::file_mapping_release(view.mapping);
    return TRUE;
}

// Writes the view's changed pages to the file (msync, waiting for them); 0 bytes means to
// the end of the view.
BOOL WINAPI FlushViewOfFile(LPCVOID lpBaseAddress, SIZE_T dwNumberOfBytesToFlush)
{
    uintptr_t address = reinterpret_cast<uintptr_t>(lpBaseAddress);
    uintptr_t base = 0;
    size_t length = 0;
    {
        std::lock_guard<std::mutex> guard(views_mutex);
        auto found = views->upper_bound(address);
        if (found == views->begin()) return fail(ERROR_INVALID_ADDRESS, FALSE);
        --found;
        if (address >= found->first + found->second.length) return fail(ERROR_INVALID_ADDRESS, FALSE);
        base = found->first;
        length = found->second.length;
    }
    uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    uintptr_t start = address & ~(page - 1);
    uintptr_t end = dwNumberOfBytesToFlush == 0 ? base + length : std::min(base + length, address + dwNumberOfBytesToFlush);
    if (msync(reinterpret_cast<void*>(start), end - start, MS_SYNC) != 0) return fail(ERROR_ACCESS_DENIED, FALSE);
    return TRUE;
}

}  // extern "C"
