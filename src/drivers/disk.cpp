// disk.cpp: the disk driver (see disk.h).
#include "drivers/disk.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <linux/fs.h>
#include <map>
#include <sstream>
#include <strings.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <vector>
#include <winioctl.h>

#include "common/errors.h"
#include "drivers/file.h"
#include "drivers/ioctl.h"
#include "io/request.h"

namespace overlapped::drivers {
namespace {

std::string read_line(const std::string& file)
{
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line)) return std::string();
    size_t end = line.find_last_not_of(" \t\r\n");
    return end == std::string::npos ? std::string() : line.substr(0, end + 1);
}

std::string config_file(const char* name)
{
    if (const char* config = getenv("XDG_CONFIG_HOME")) return std::string(config) + "/overlapped/" + name;
    if (const char* home = getenv("HOME")) return std::string(home) + "/.config/overlapped/" + name;
    return std::string();
}

// "KEY=VALUE" entries separated by ';' (the variable) or lines (the files, '#' comments):
// the first of the variable, the user's file, the system's file. False if none exists.
bool read_map(const char* variable, const char* file_name, std::vector<std::pair<std::string, std::string>>* out)
{
    auto add = [&](const std::string& entry) {
        size_t start = entry.find_first_not_of(" \t");
        if (start == std::string::npos || entry[start] == '#') return;
        size_t at = entry.find_first_of("=", start);
        if (at == std::string::npos) return;
        std::string key = entry.substr(start, at - start);
        while (!key.empty() && (key.back() == ' ' || key.back() == ':')) key.pop_back();
        size_t value_start = entry.find_first_not_of(" \t", at + 1);
        size_t value_end = entry.find_last_not_of(" \t\r\n");
        if (value_start == std::string::npos || value_end < value_start) return;
        out->push_back({key, entry.substr(value_start, value_end - value_start + 1)});
    };
    if (const char* value = getenv(variable)) {
        std::string list = value;
        size_t start = 0;
        while (start <= list.size()) {
            size_t end = list.find(';', start);
            if (end == std::string::npos) end = list.size();
            add(list.substr(start, end - start));
            start = end + 1;
        }
        return true;
    }
    for (const std::string& file : {config_file(file_name), std::string("/etc/overlapped/") + file_name}) {
        if (file.empty()) continue;
        std::ifstream in(file);
        if (!in) continue;
        std::string line;
        while (std::getline(in, line)) add(line);
        return true;
    }
    return false;
}

bool whole_disk_name(const std::string& name)
{
    static const char* const kPrefixes[] = {"sd", "vd", "xvd", "hd", "nvme", "mmcblk"};
    for (const char* prefix : kPrefixes)
        if (name.compare(0, strlen(prefix), prefix) == 0) return true;
    return false;
}

// PHYSICALDRIVEn → a Linux path: OVERLAPPED_PHYSICALDRIVES ("0=/path/disk.img;1=/dev/sdb"),
// else $XDG_CONFIG_HOME/overlapped/physicaldrives, else /etc/overlapped/physicaldrives;
// with none of them, the whole disks of /sys/block in name order (nvme, sd, vd...).
// Read at each open, so that a test can set the variable before its first use.
std::map<DWORD, std::string> physical_map()
{
    std::map<DWORD, std::string> map;
    std::vector<std::pair<std::string, std::string>> entries;
    if (read_map("OVERLAPPED_PHYSICALDRIVES", "physicaldrives", &entries)) {
        for (auto& [key, value] : entries) {
            char* end = nullptr;
            unsigned long n = strtoul(key.c_str(), &end, 10);
            if (end != key.c_str() && *end == 0 && n < 1000) map[static_cast<DWORD>(n)] = value;
        }
        return map;
    }
    std::vector<std::string> names;
    if (DIR* dir = opendir("/sys/block")) {
        while (dirent* entry = readdir(dir))
            if (whole_disk_name(entry->d_name)) names.push_back(entry->d_name);
        closedir(dir);
    }
    std::sort(names.begin(), names.end());
    for (size_t i = 0; i < names.size(); ++i) map[static_cast<DWORD>(i)] = "/dev/" + names[i];
    return map;
}

// \\.\X: overrides: OVERLAPPED_VOLUMES ("D=/path/volume.img"), else the "volumes" files.
std::string volume_override(char letter)
{
    std::vector<std::pair<std::string, std::string>> entries;
    if (!read_map("OVERLAPPED_VOLUMES", "volumes", &entries)) return std::string();
    for (auto& [key, value] : entries)
        if (key.size() == 1 && toupper(static_cast<unsigned char>(key[0])) == letter) return value;
    return std::string();
}

// The whole disk a partition belongs to ("sda" for "sda1"), or the name itself.
std::string parent_disk(const std::string& name)
{
    if (name.empty()) return name;
    if (access(("/sys/class/block/" + name + "/partition").c_str(), F_OK) != 0) return name;
    char resolved[PATH_MAX];
    if (realpath(("/sys/class/block/" + name + "/..").c_str(), resolved) == nullptr) return name;
    const char* slash = strrchr(resolved, '/');
    return slash != nullptr ? std::string(slash + 1) : name;
}

bool parse_physical(const std::string& rest, DWORD* number)
{
    static const char kPrefix[] = "PHYSICALDRIVE";
    if (rest.size() <= sizeof(kPrefix) - 1 || strncasecmp(rest.c_str(), kPrefix, sizeof(kPrefix) - 1) != 0) return false;
    std::string digits = rest.substr(sizeof(kPrefix) - 1);
    if (digits.empty() || digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    *number = static_cast<DWORD>(strtoul(digits.c_str(), nullptr, 10));
    return true;
}

// The physical-drive number of the disk a volume's block device is on, or MAXDWORD.
DWORD disk_number_of(const std::string& device)
{
    struct stat block;
    if (stat(device.c_str(), &block) != 0) return 0xFFFFFFFFu;
    std::string disk = "/dev/" + parent_disk(sys_block_name(block.st_rdev));
    for (auto& [n, path] : physical_map())
        if (path == disk) return n;
    return 0xFFFFFFFFu;
}

}  // namespace

std::string sys_block_name(dev_t device)
{
    std::string uevent = "/sys/dev/block/" + std::to_string(major(device)) + ":" + std::to_string(minor(device)) + "/uevent";
    std::ifstream in(uevent);
    std::string line;
    while (std::getline(in, line))
        if (line.compare(0, 8, "DEVNAME=") == 0) return line.substr(8);
    return std::string();
}

bool mount_of(const std::string& path, std::string* mount_point, std::string* fs_type, std::string* source)
{
    struct stat status;
    if (stat(path.c_str(), &status) != 0) return false;
    char resolved[PATH_MAX];
    std::string real = realpath(path.c_str(), resolved) != nullptr ? resolved : path;
    std::string best_point;
    bool found = false;
    for (const MountEntry& mount : read_mounts()) {
        if (mount.device != status.st_dev) continue;
        const std::string& point = mount.point;
        bool inside = point == "/" || real == point || real.compare(0, point.size() + 1, point + "/") == 0;
        if (!inside || (found && point.size() < best_point.size())) continue;
        found = true;
        best_point = point;
        if (mount_point != nullptr) *mount_point = point;
        if (fs_type != nullptr) *fs_type = mount.type;
        if (source != nullptr) *source = mount.source;
    }
    return found;
}

bool disk_name(const std::string& name, DiskTarget* target, DWORD* error)
{
    std::string guid;
    if (size_t length = volume_guid_name(name, &guid); length != 0 && length == name.size()) {
        // "\\?\Volume{guid}" (no separator after it): the volume, as its drive's "\\.\X:"
        // when it has a drive, else its block device.
        Volume volume;
        if (!volume_by_guid(guid, &volume)) {
            *error = ERROR_FILE_NOT_FOUND;
            return true;
        }
        for (char letter = 'A'; letter <= 'Z'; ++letter) {
            struct stat status;
            std::string root = drive_root(letter);
            if (!root.empty() && stat(root.c_str(), &status) == 0 && status.st_dev == volume.device)
                return disk_name(std::string("\\\\.\\") + letter + ":", target, error);
        }
        *error = ERROR_SUCCESS;
        if (volume.block_device.empty()) {
            *error = ERROR_FILE_NOT_FOUND;  // a volume in memory: no device to read
            return true;
        }
        target->path = volume.block_device;
        target->physical = false;
        target->mounted = true;
        target->number = disk_number_of(volume.block_device);
        return true;
    }
    if (name.size() < 5) return false;
    bool prefix = (name[0] == '\\' || name[0] == '/') && (name[1] == '\\' || name[1] == '/') && name[2] == '.' &&
                  (name[3] == '\\' || name[3] == '/');
    if (!prefix) return false;
    std::string rest = name.substr(4);
    *error = ERROR_SUCCESS;
    DWORD number = 0;
    if (parse_physical(rest, &number)) {
        std::map<DWORD, std::string> map = physical_map();
        auto it = map.find(number);
        if (it == map.end()) {
            *error = ERROR_FILE_NOT_FOUND;
            return true;
        }
        target->path = it->second;
        target->physical = true;
        target->number = number;
        target->mounted = false;
        return true;
    }
    if (rest.size() == 2 && rest[1] == ':' && isalpha(static_cast<unsigned char>(rest[0]))) {
        char letter = static_cast<char>(toupper(static_cast<unsigned char>(rest[0])));
        target->physical = false;
        target->number = 0xFFFFFFFFu;
        std::string image = volume_override(letter);
        if (!image.empty()) {
            target->path = image;
            target->mounted = false;
            return true;
        }
        std::string root = drive_root(letter);
        std::string source;
        if (root.empty() || !mount_of(root, nullptr, nullptr, &source)) {
            *error = ERROR_FILE_NOT_FOUND;
            return true;
        }
        struct stat status;
        std::string device = stat(root.c_str(), &status) == 0 ? block_device_of(source, status.st_dev) : std::string();
        if (device.empty()) {
            // A mount with no block device under it (tmpfs, overlay, a network share).
            *error = ERROR_FILE_NOT_FOUND;
            return true;
        }
        target->path = device;
        target->mounted = true;
        target->number = disk_number_of(device);
        return true;
    }
    return false;
}

DiskDevice* DiskDevice::open(const DiskTarget& target, ACCESS_MASK access, DWORD disposition, DWORD flags,
                             DWORD* error)
{
    // A device exists already: only the dispositions that open an existing one.
    if (disposition != OPEN_EXISTING && disposition != OPEN_ALWAYS) {
        *error = disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING ? ERROR_INVALID_PARAMETER
                                                                              : ERROR_ACCESS_DENIED;
        return nullptr;
    }
    bool read = access & (GENERIC_READ | GENERIC_ALL | FILE_READ_DATA);
    bool write = access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA | FILE_APPEND_DATA);
    int mode = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    int descriptor = ::open(target.path.c_str(), mode | O_CLOEXEC | O_NOCTTY);
    if (descriptor < 0 && (errno == EACCES || errno == EPERM) && !read && !write)
        descriptor = ::open(target.path.c_str(), O_PATH | O_CLOEXEC);  // no data access: queries only
    if (descriptor < 0) {
        *error = errno == ENOENT || errno == ENXIO || errno == ENODEV ? ERROR_FILE_NOT_FOUND
                                                                     : win32_error_from_errno(errno);
        return nullptr;
    }
    struct stat status;
    if (fstat(descriptor, &status) != 0 || !(S_ISREG(status.st_mode) || S_ISBLK(status.st_mode))) {
        ::close(descriptor);
        *error = ERROR_FILE_NOT_FOUND;
        return nullptr;
    }
    uint32_t sector = 512;
    uint64_t length = 0;
    uint64_t start = 0;
    DWORD partition = 0;
    bool removable = false;
    std::string sys_name;
    if (S_ISBLK(status.st_mode)) {
        std::string name = sys_block_name(status.st_rdev);
        int logical = 0;
        if (ioctl(descriptor, BLKSSZGET, &logical) == 0 && logical > 0) sector = static_cast<uint32_t>(logical);
        if (ioctl(descriptor, BLKGETSIZE64, &length) != 0) {
            std::string sectors = read_line("/sys/class/block/" + name + "/size");
            length = strtoull(sectors.c_str(), nullptr, 10) * 512;
        }
        std::string number = read_line("/sys/class/block/" + name + "/partition");
        partition = static_cast<DWORD>(strtoul(number.c_str(), nullptr, 10));
        start = strtoull(read_line("/sys/class/block/" + name + "/start").c_str(), nullptr, 10) * 512;
        sys_name = parent_disk(name);
        removable = read_line("/sys/block/" + sys_name + "/removable") == "1";
    } else {
        length = static_cast<uint64_t>(status.st_size);
    }
    length -= length % sector;  // whole sectors

    bool direct = false;
    if ((flags & FILE_FLAG_NO_BUFFERING) && (read || write)) {
        int current = fcntl(descriptor, F_GETFL);
        if (current >= 0) direct = fcntl(descriptor, F_SETFL, current | O_DIRECT) == 0;
    }

    DiskDevice* device = kernel::Pool<DiskDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->reset_device();
    device->descriptor_ = descriptor;
    device->flags_ = flags;
    device->access_ = access;
    device->sector_ = sector;
    device->length_ = length;
    device->start_ = start;
    device->target_ = target;
    device->partition_ = target.physical ? 0 : partition;
    device->removable_ = removable;
    device->image_ = S_ISREG(status.st_mode);
    device->locked_ = false;
    device->kind_ = direct ? engine::OpKind::DirectFile : engine::OpKind::File;
    device->sys_name_ = sys_name;
    device->lock.unlock();
    *error = ERROR_SUCCESS;
    return device;
}

DWORD DiskDevice::check(bool write, const void* buffer, bool vectored, uint64_t offset, uint32_t* length) const
{
    (void)write;
    uint64_t mask = sector_ - 1;
    if ((*length & mask) || (offset & mask)) return ERROR_INVALID_PARAMETER;
    // Buffers must be sector-aligned when the handle is unbuffered; Windows' "Depending on
    // the disk, this requirement may not be enforced" is taken as "not" otherwise.
    if ((flags_ & FILE_FLAG_NO_BUFFERING) && !vectored && (reinterpret_cast<uintptr_t>(buffer) & mask))
        return ERROR_INVALID_PARAMETER;
    if (*length == 0) return ERROR_SUCCESS;
    if (target_.physical) {
        // The disk class driver refuses a transfer that does not fit on the disk.
        if (offset >= length_ || *length > length_ - offset) return ERROR_INVALID_PARAMETER;
    } else {
        // A volume (through its file system): nothing at or past the end, a transfer
        // across it is cut there.
        if (offset >= length_) return ERROR_HANDLE_EOF;
        if (*length > length_ - offset) *length = static_cast<uint32_t>(length_ - offset);
    }
    return ERROR_SUCCESS;
}

DWORD DiskDevice::prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan)
{
    if (descriptor_ < 0) return ERROR_INVALID_HANDLE;
    if (transfer.driver_request != nullptr) {  // done in step(), without the lock
        ioctl_prepare(*static_cast<const IoctlRequest*>(transfer.driver_request), request, plan);
        return ERROR_SUCCESS;
    }
    ioctl_clear(request);
    uint32_t length = transfer.length;
    if (transfer.segments != nullptr) return ERROR_INVALID_PARAMETER;  // ReadFileScatter: files only
    if (DWORD error = check(transfer.write, transfer.buffer, false, transfer.offset, &length)) return error;
    engine::Op* op = &request->op;
    op->code = transfer.write ? engine::OpCode::Write : engine::OpCode::Read;
    op->buffer = transfer.buffer;
    op->length = length;
    op->descriptor = descriptor_;
    op->offset = transfer.offset;
    op->kind = kind_;
    request->requested = length;
    return ERROR_SUCCESS;
}

io::Next DiskDevice::step(io::Request* request, io::Outcome* outcome)
{
    if (ioctl_step(request, outcome, [&](const IoctlRequest& control) {
            IoctlOutcome done = this->control(control);
            return IoctlResult{done.error, done.bytes};
        }))
        return io::Next::Done;
    engine::Op* op = &request->op;
    if (!request->write && op->result >= 0 && static_cast<uint32_t>(op->result) < op->length) {
        // The image (or device) ended before the disk's length: the sectors asked for
        // are not there, which a disk reports as "sector not found".
        outcome->status = ntstatus_from_win32_error(ERROR_SECTOR_NOT_FOUND);
        outcome->bytes = 0;
        return io::Next::Done;
    }
    return Device::step(request, outcome);
}

DWORD DiskDevice::transfer_sync(const io::Transfer& transfer, bool at_offset, DWORD* done)
{
    *done = 0;
    off_t offset = static_cast<off_t>(transfer.offset);
    if (!at_offset) {
        offset = lseek(descriptor_, 0, SEEK_CUR);
        if (offset < 0) return win32_error_from_errno(errno);
    }
    uint32_t length = transfer.length;
    if (DWORD error = check(transfer.write, transfer.buffer, false, static_cast<uint64_t>(offset), &length)) return error;
    char* buffer = static_cast<char*>(transfer.buffer);
    DWORD total = 0;
    while (total < length) {
        ssize_t n = transfer.write ? pwrite(descriptor_, buffer + total, length - total, offset + total)
                                   : pread(descriptor_, buffer + total, length - total, offset + total);
        if (n < 0 && errno == EINTR && !io::sync_io_cancelled()) continue;
        if (n < 0 && errno == EINTR) return ERROR_OPERATION_ABORTED;
        if (n < 0) return win32_error_from_errno(errno);
        if (n == 0) return transfer.write ? ERROR_DISK_FULL : ERROR_SECTOR_NOT_FOUND;  // the image is short
        total += static_cast<DWORD>(n);
    }
    lseek(descriptor_, offset + total, SEEK_SET);
    *done = total;
    return ERROR_SUCCESS;
}

DWORD DiskDevice::seek(LONGLONG distance, DWORD method, LONGLONG* position)
{
    return seek_descriptor(descriptor_, distance, method, static_cast<LONGLONG>(length_), position);
}

DWORD DiskDevice::flush()
{
    if (fsync(descriptor_) != 0 && errno != EINVAL) return win32_error_from_errno(errno);
    return ERROR_SUCCESS;
}

namespace {

// The partition style of the disk whose first sectors are at `descriptor` (of `sector`
// bytes): GPT (a protective MBR entry of type 0xEE), MBR (the 0x55AA signature), or raw.
PARTITION_STYLE partition_style(int descriptor, uint32_t sector, DWORD* signature)
{
    std::vector<unsigned char> first(sector < 512 ? 512 : sector);
    *signature = 0;
    if (pread(descriptor, first.data(), first.size(), 0) != static_cast<ssize_t>(first.size()))
        return PARTITION_STYLE_RAW;
    if (first[510] != 0x55 || first[511] != 0xAA) return PARTITION_STYLE_RAW;
    memcpy(signature, &first[440], sizeof(*signature));
    for (int entry = 0; entry < 4; ++entry)
        if (first[446 + entry * 16 + 4] == 0xEE) return PARTITION_STYLE_GPT;
    return PARTITION_STYLE_MBR;
}

// Copies `size` bytes of `data` into the caller's buffer, or as much as fits.
DWORD copy_out(const IoctlRequest& request, const void* data, size_t size)
{
    size_t copied = size < request.out_size ? size : request.out_size;
    memcpy(request.out, data, copied);
    return static_cast<DWORD>(copied);
}

}  // namespace

DiskDevice::IoctlOutcome DiskDevice::control(const IoctlRequest& request)
{
    auto fail = [](DWORD error) { return IoctlOutcome{error, 0}; };
    auto ok = [](DWORD bytes) { return IoctlOutcome{ERROR_SUCCESS, bytes}; };
    DISK_GEOMETRY geometry = {};
    geometry.MediaType = removable_ ? RemovableMedia : FixedMedia;
    geometry.TracksPerCylinder = 255;
    geometry.SectorsPerTrack = 63;
    geometry.BytesPerSector = sector_;
    geometry.Cylinders.QuadPart = static_cast<LONGLONG>(length_ / (255ULL * 63ULL * sector_));
    switch (request.code) {
    case IOCTL_DISK_GET_DRIVE_GEOMETRY:
        if (request.out_size < sizeof(DISK_GEOMETRY)) return fail(ERROR_INSUFFICIENT_BUFFER);
        memcpy(request.out, &geometry, sizeof(geometry));
        return ok(sizeof(geometry));
    case IOCTL_DISK_GET_DRIVE_GEOMETRY_EX: {
        if (request.out_size < offsetof(DISK_GEOMETRY_EX, Data)) return fail(ERROR_INSUFFICIENT_BUFFER);
        struct {
            DISK_GEOMETRY geometry;
            LARGE_INTEGER size;
            DISK_PARTITION_INFO partition;
            DISK_DETECTION_INFO detection;
        } whole;
        memset(&whole, 0, sizeof(whole));
        whole.geometry = geometry;
        whole.size.QuadPart = static_cast<LONGLONG>(length_);
        whole.partition.SizeOfPartitionInfo = sizeof(DISK_PARTITION_INFO);
        DWORD signature = 0;
        whole.partition.PartitionStyle = descriptor_ >= 0 && !(access_ == 0 && !image_)
                                             ? partition_style(descriptor_, sector_, &signature)
                                             : PARTITION_STYLE_RAW;
        whole.partition.Mbr.Signature = signature;
        whole.detection.SizeOfDetectInfo = sizeof(DISK_DETECTION_INFO);
        whole.detection.DetectionType = DetectNone;
        return ok(copy_out(request, &whole, sizeof(whole)));
    }
    case IOCTL_DISK_GET_LENGTH_INFO: {
        if (request.out_size < sizeof(GET_LENGTH_INFORMATION)) return fail(ERROR_INSUFFICIENT_BUFFER);
        GET_LENGTH_INFORMATION info;
        info.Length.QuadPart = static_cast<LONGLONG>(length_);
        memcpy(request.out, &info, sizeof(info));
        return ok(sizeof(info));
    }
    case IOCTL_STORAGE_GET_DEVICE_NUMBER: {
        if (request.out_size < sizeof(STORAGE_DEVICE_NUMBER)) return fail(ERROR_INSUFFICIENT_BUFFER);
        STORAGE_DEVICE_NUMBER number;
        number.DeviceType = FILE_DEVICE_DISK;
        number.DeviceNumber = target_.number;
        number.PartitionNumber = partition_;
        memcpy(request.out, &number, sizeof(number));
        return ok(sizeof(number));
    }
    case IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS: {
        // A volume's one extent on its disk (the physical-drive map's number). A disk is
        // no volume, and a volume on no disk of the map (an image) has no extent to give:
        // ERROR_INVALID_FUNCTION, as a device that does not take the control.
        if (target_.physical || target_.number == 0xFFFFFFFFu) return fail(ERROR_INVALID_FUNCTION);
        if (request.out_size < sizeof(VOLUME_DISK_EXTENTS)) return fail(ERROR_INSUFFICIENT_BUFFER);
        VOLUME_DISK_EXTENTS extents;
        memset(&extents, 0, sizeof(extents));
        extents.NumberOfDiskExtents = 1;
        extents.Extents[0].DiskNumber = target_.number;
        extents.Extents[0].StartingOffset.QuadPart = static_cast<LONGLONG>(start_);
        extents.Extents[0].ExtentLength.QuadPart = static_cast<LONGLONG>(length_);
        memcpy(request.out, &extents, sizeof(extents));
        return ok(sizeof(extents));
    }
    case IOCTL_DISK_GET_PARTITION_INFO_EX: {
        if (request.out_size < sizeof(PARTITION_INFORMATION_EX)) return fail(ERROR_INSUFFICIENT_BUFFER);
        PARTITION_INFORMATION_EX info;
        memset(&info, 0, sizeof(info));
        DWORD signature = 0;
        info.PartitionStyle = target_.physical ? partition_style(descriptor_, sector_, &signature)
                                               : (partition_ != 0 ? PARTITION_STYLE_MBR : PARTITION_STYLE_RAW);
        info.StartingOffset.QuadPart = target_.physical ? 0 : static_cast<LONGLONG>(start_);
        info.PartitionLength.QuadPart = static_cast<LONGLONG>(length_);
        info.PartitionNumber = partition_;
        if (info.PartitionStyle == PARTITION_STYLE_MBR) {
            info.Mbr.RecognizedPartition = partition_ != 0;
            info.Mbr.HiddenSectors = static_cast<DWORD>(start_ / sector_);
        }
        memcpy(request.out, &info, sizeof(info));
        return ok(sizeof(info));
    }
    case IOCTL_STORAGE_QUERY_PROPERTY: {
        if (request.in == nullptr || request.in_size < offsetof(STORAGE_PROPERTY_QUERY, AdditionalParameters))
            return fail(ERROR_INVALID_PARAMETER);
        STORAGE_PROPERTY_QUERY query;
        memcpy(&query, request.in, offsetof(STORAGE_PROPERTY_QUERY, AdditionalParameters));
        if (query.PropertyId != StorageDeviceProperty) return fail(ERROR_NOT_SUPPORTED);
        if (query.QueryType == PropertyExistsQuery) return ok(0);
        if (query.QueryType != PropertyStandardQuery) return fail(ERROR_INVALID_PARAMETER);
        if (request.out_size < sizeof(STORAGE_DESCRIPTOR_HEADER)) return fail(ERROR_INSUFFICIENT_BUFFER);
        std::string vendor, product, revision, serial;
        STORAGE_BUS_TYPE bus = BusTypeUnknown;
        if (image_) {
            vendor = std::string("overlapped");
            product = std::string("disk image");
            revision = std::string(1, '1');
            bus = BusTypeFileBackedVirtual;
        } else {
            std::string base = "/sys/block/" + sys_name_;
            vendor = read_line(base + "/device/vendor");
            product = read_line(base + "/device/model");
            revision = read_line(base + "/device/rev");
            if (revision.empty()) revision = read_line(base + "/device/firmware_rev");
            serial = read_line(base + "/device/serial");
            char resolved[PATH_MAX];
            std::string path = realpath(base.c_str(), resolved) != nullptr ? resolved : "";
            if (sys_name_.compare(0, 4, "nvme") == 0) bus = BusTypeNvme;
            else if (path.find("/usb") != std::string::npos) bus = BusTypeUsb;
            else if (path.find("/virtio") != std::string::npos) bus = BusTypeVirtual;
            else if (path.find("/ata") != std::string::npos) bus = BusTypeSata;
            else if (sys_name_.compare(0, 6, "mmcblk") == 0) bus = BusTypeSd;
            else if (sys_name_.compare(0, 2, "sd") == 0) bus = BusTypeScsi;
        }
        std::string whole(offsetof(STORAGE_DEVICE_DESCRIPTOR, RawDeviceProperties), '\0');
        STORAGE_DEVICE_DESCRIPTOR descriptor;
        memset(&descriptor, 0, sizeof(descriptor));
        auto append = [&](const std::string& text) -> DWORD {
            if (text.empty()) return 0;
            DWORD at = static_cast<DWORD>(whole.size());
            whole += text;
            whole += '\0';
            return at;
        };
        descriptor.Version = sizeof(STORAGE_DEVICE_DESCRIPTOR);
        descriptor.DeviceType = 0;  // a direct-access device (SCSI peripheral type 0)
        descriptor.RemovableMedia = removable_;
        descriptor.CommandQueueing = bus == BusTypeNvme || bus == BusTypeSata || bus == BusTypeScsi;
        descriptor.VendorIdOffset = append(vendor);
        descriptor.ProductIdOffset = append(product);
        descriptor.ProductRevisionOffset = append(revision);
        descriptor.SerialNumberOffset = append(serial);
        descriptor.BusType = bus;
        descriptor.Size = static_cast<DWORD>(whole.size());
        memcpy(&whole[0], &descriptor, offsetof(STORAGE_DEVICE_DESCRIPTOR, RawDeviceProperties));
        return ok(copy_out(request, whole.data(), whole.size()));
    }
    case FSCTL_LOCK_VOLUME:
        // A mounted Linux file system is in use by the whole system: it cannot be locked
        // out (Windows' answer for a volume with open files). An image or an unmounted
        // disk is locked against other lockers (flock), once per handle.
    {
        LockGuard guard(lock);  // locked_; flock without waiting
        if (target_.mounted || locked_) return fail(ERROR_ACCESS_DENIED);
        if (descriptor_ < 0 || flock(descriptor_, LOCK_EX | LOCK_NB) != 0) return fail(ERROR_ACCESS_DENIED);
        locked_ = true;
        return ok(0);
    }
    case FSCTL_UNLOCK_VOLUME: {
        LockGuard guard(lock);
        if (!locked_) return fail(ERROR_NOT_LOCKED);
        flock(descriptor_, LOCK_UN);
        locked_ = false;
        return ok(0);
    }
    case FSCTL_DISMOUNT_VOLUME:
        // The library does not unmount Linux file systems; with none mounted there is
        // nothing to dismount.
        if (target_.mounted) return fail(ERROR_ACCESS_DENIED);
        return ok(0);
    default: return fail(ERROR_INVALID_FUNCTION);
    }
}

void DiskDevice::recycle()
{
    lock.lock();
    int descriptor = descriptor_;
    descriptor_ = -1;
    locked_ = false;
    unbind();
    lock.unlock();
    io::forget_device(this);
    if (descriptor >= 0) ::close(descriptor);
    kernel::Pool<DiskDevice>::instance().release(this);
}

}  // namespace overlapped::drivers
