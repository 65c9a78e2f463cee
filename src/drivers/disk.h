// disk.h: the disk driver: \\.\PHYSICALDRIVEn (a whole disk, or a disk image file mapped
// as one) and \\.\X: (the block device behind the mount of drive X's directory, or an
// image mapped as the volume). Transfers follow Windows' rules for raw disks: offsets
// and lengths in whole sectors, buffers aligned when the handle is unbuffered, nothing
// past the end; DeviceIoControl's disk and storage controls. docs/drives.md.
#pragma once

#include <atomic>
#include <string>
#include <sys/types.h>
#include <vector>

#include <windows.h>

#include "drivers/ioctl.h"
#include "io/device.h"

namespace overlapped::drivers {

// What a drive name opens.
struct DiskTarget {
    std::string path;           // the Linux block device or image file
    bool physical = true;       // \\.\PHYSICALDRIVEn (else a volume, \\.\X:)
    DWORD number = 0;           // n of PHYSICALDRIVEn; a volume's disk number, or MAXDWORD
    bool mounted = false;       // a volume with a file system mounted on it
};

// Whether `name` is a drive name this driver opens ("\\.\PHYSICALDRIVEn", "\\.\X:", any
// case, '/' or '\'). If so, *error is ERROR_SUCCESS with *target filled, or the error
// CreateFile fails with (ERROR_FILE_NOT_FOUND: no such drive).
bool disk_name(const std::string& name, DiskTarget* target, DWORD* error);

class DiskDevice final : public io::Device {
public:
    DiskDevice() : Device(kernel::ObjectType::Disk) {}

    static DiskDevice* open(const DiskTarget& target, ACCESS_MASK access, DWORD disposition, DWORD flags,
                            DWORD* error);

    bool overlapped_io() const override { return (flags_ & FILE_FLAG_OVERLAPPED) != 0; }
    DWORD prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan) override;
    io::Next step(io::Request* request, io::Outcome* outcome) override;
    DWORD transfer_sync(const io::Transfer& transfer, bool at_offset, DWORD* done) override;

    // SetFilePointerEx on the drive.
    DWORD seek(LONGLONG distance, DWORD method, LONGLONG* position);
    // FlushFileBuffers: what was written reaches the device.
    DWORD flush();

    uint32_t sector_size() const { return sector_; }
    uint64_t length() const { return length_; }

    // DeviceIoControl's disk, storage and volume controls. Called WITHOUT `lock` (it
    // reads the disk and /sys; the caller holds a reference): the controls that change
    // the device's state take the lock themselves.
    struct IoctlOutcome {
        DWORD error;
        DWORD bytes;
    };
    IoctlOutcome control(const IoctlRequest& request);

private:
    void recycle() override;
    // Windows' checks of a transfer; may shorten *length (a volume's end).
    DWORD check(bool write, const void* buffer, bool vectored, uint64_t offset, uint32_t* length) const;

    int descriptor_ = -1;
    DWORD flags_ = 0;
    ACCESS_MASK access_ = 0;
    uint32_t sector_ = 512;
    uint64_t length_ = 0;   // fixed at open, as a disk's size is
    uint64_t start_ = 0;    // a volume's offset on its disk
    DiskTarget target_;
    DWORD partition_ = 0;   // a volume's partition number (0: the whole disk)
    bool removable_ = false;
    bool image_ = false;    // a regular file, not a block device
    bool locked_ = false;   // FSCTL_LOCK_VOLUME
    engine::OpKind kind_ = engine::OpKind::File;
    std::string sys_name_;  // the disk's name under /sys/block ("sda"), if a block device
};

// ---- drives and volumes (GetLogicalDrives & co.; win32/volume.cpp).

// The mount that holds `path`: its mount point, file system type and source, from
// /proc/self/mountinfo. False if none was found.
bool mount_of(const std::string& path, std::string* mount_point, std::string* fs_type, std::string* source);

// One line of /proc/self/mountinfo (volumes.cpp).
struct MountEntry {
    dev_t device = 0;       // the file system's device number, as stat reports it
    std::string root;       // the directory of the file system mounted there ("/", or a bind's)
    std::string point;      // the Linux mount point
    std::string type;       // "ext4"
    std::string source;     // "/dev/vda1", "tmpfs"
};
std::vector<MountEntry> read_mounts();

// The /sys/class/block name of a block device ("sda1"), or "".
std::string sys_block_name(dev_t device);

// The name of the link in a udev directory ("/dev/disk/by-uuid", "/dev/disk/by-label")
// that leads to `device`, as udev wrote it (escapes left in), or "".
std::string udev_link_name(const char* directory, const std::string& device);

// The block device under a mount: its source when that is one, else the device number's
// own (/sys/dev/block); "" for a mount with none (tmpfs, overlay, NFS).
std::string block_device_of(const std::string& source, dev_t device);

// A volume: a mounted file system the library names as Windows names its volumes,
// "\\?\Volume{guid}\" (docs/drives.md, "Volume names"): the file system of each drive's
// root, and every other mount with a block device or in memory (tmpfs, ramfs).
struct Volume {
    dev_t device = 0;
    std::string guid;                       // "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}", lower case
    std::string root;                       // the Linux directory of the file system's root
    std::vector<std::string> mount_points;  // every Linux mount point of it
    std::string type;                       // the file system's type
    std::string block_device;               // its block device, or ""
};

// The volumes: the drives' first, in letter order, then the others in mount order.
std::vector<Volume> volume_list();
// The volume that holds an existing Linux path, or false.
bool volume_of_path(const std::string& path, Volume* volume);
// The volume of a GUID ("{...}", any case), or false.
bool volume_by_guid(const std::string& guid, Volume* volume);
// If `name` begins with a volume GUID name ("\\?\Volume{guid}", also "\\.\", either
// separator), its length (without what follows) and *guid ("{...}", lower case); else 0.
size_t volume_guid_name(const std::string& name, std::string* guid);

}  // namespace overlapped::drivers
