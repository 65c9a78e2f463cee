// file.h: the file driver: regular files and directories on the Linux file system.
// For now: open with Windows dispositions, synchronous read and write at the file
// pointer, delete. Overlapped requests arrive with the files issue.
#pragma once

#include <string>

#include <windows.h>

#include "io/device.h"

namespace overlapped::drivers {

class FileDevice final : public io::Device {
public:
    FileDevice() : Device(kernel::ObjectType::File) {}

    // Opens `path` (already in Linux form) as CreateFile's disposition says. On success
    // returns the device (one reference) and sets *existed for CREATE_ALWAYS/OPEN_ALWAYS;
    // on failure returns nullptr with *error.
    static FileDevice* open(const std::string& path, DWORD access, DWORD disposition, DWORD flags,
                            bool* existed, DWORD* error);

    // A file object is signalled while no request is pending; none can be yet.
    bool is_signaled(const kernel::ThreadState*) const override { return true; }

    bool overlapped_io() const override { return (flags_ & FILE_FLAG_OVERLAPPED) != 0; }
    int descriptor() const { return descriptor_; }
    DWORD flags() const { return flags_; }

    // Synchronous transfer at the file pointer. Returns ERROR_SUCCESS or the Win32 error.
    DWORD read(void* buffer, DWORD length, DWORD* transferred);
    DWORD write(const void* buffer, DWORD length, DWORD* transferred);

private:
    void recycle() override;

    int descriptor_ = -1;
    DWORD flags_ = 0;
};

// Deletes the file at `path` (Linux form). Returns ERROR_SUCCESS or the Win32 error.
DWORD file_delete(const std::string& path);

// The Linux form of a Win32 path: "\\?\" dropped, '\' turned into '/'. Returns false
// for forms not supported yet (drive letters: the drive map comes with the files issue).
bool file_linux_path(const std::string& windows_path, std::string* linux_path);

}  // namespace overlapped::drivers
