// volume.cpp: drives and volumes: CreateFile on \\.\PHYSICALDRIVEn and \\.\X:, and
// GetLogicalDrives, GetLogicalDriveStrings, GetDriveType, GetDiskFreeSpace(Ex),
// GetVolumeInformation over the drive map; volume GUID names (GetVolumeNameForVolumeMountPoint,
// FindFirstVolume, GetVolumePathNamesForVolumeName, FindFirstVolumeMountPoint) over the
// volumes of drivers/volumes.cpp (docs/paths.md, docs/drives.md).
#include "win32/volume.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <strings.h>
#include <unistd.h>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/errors.h"
#include "drivers/disk.h"
#include "drivers/file.h"
#include "io/device.h"
#include "kernel/handle_table.h"
#include "win32/devices.h"
#include "win32/entry.h"
#include "win32/fileman_internal.h"

using namespace overlapped;
using overlapped::win32::fail;
using overlapped::win32::set_last_error;

namespace overlapped::win32 {

bool open_drive(const std::string& name, DWORD access, DWORD, DWORD disposition, DWORD flags,
                LPSECURITY_ATTRIBUTES attributes, HANDLE* handle)
{
    drivers::DiskTarget target;
    DWORD error = ERROR_SUCCESS;
    if (!drivers::disk_name(name, &target, &error)) return false;
    *handle = INVALID_HANDLE_VALUE;
    if (error != ERROR_SUCCESS) {
        set_last_error(error);
        return true;
    }
    drivers::DiskDevice* device = drivers::DiskDevice::open(target, access, disposition, flags, &error);
    return win32::open_as_handle(device, error, io::map_generic_file_access(access), attributes, handle);
}

bool drive_set_pointer(HANDLE handle, LONGLONG distance, DWORD method, PLARGE_INTEGER position, BOOL* result)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference(handle, kernel::ObjectType::Any, 0, &error);
    if (object == nullptr) return false;
    if (object->type() != kernel::ObjectType::Disk) {
        object->release_reference();
        return false;
    }
    LONGLONG where = 0;
    error = static_cast<drivers::DiskDevice*>(object)->seek(distance, method, &where);
    object->release_reference();
    if (error != ERROR_SUCCESS) {
        *result = fail(error, FALSE);
        return true;
    }
    if (position != nullptr) position->QuadPart = where;
    *result = TRUE;
    return true;
}

bool drive_flush(HANDLE handle, BOOL* result)
{
    DWORD error;
    ACCESS_MASK granted = 0;
    kernel::Object* object = kernel::handle_reference_granted(handle, kernel::ObjectType::Any, 0, &granted, &error);
    if (object == nullptr) return false;
    if (object->type() != kernel::ObjectType::Disk) {
        object->release_reference();
        return false;
    }
    error = (granted & (FILE_WRITE_DATA | FILE_APPEND_DATA)) ? static_cast<drivers::DiskDevice*>(object)->flush()
                                                            : static_cast<DWORD>(ERROR_ACCESS_DENIED);
    object->release_reference();
    *result = error == ERROR_SUCCESS ? TRUE : fail(error, FALSE);
    return true;
}

}  // namespace overlapped::win32

namespace {

bool is_separator(char c) { return c == '\\' || c == '/'; }

// The drive letter a root name names ("C:\", "C:", "c:/", "\\?\C:\", "\\.\C:\"), or 0.
// *trailing_separator: a separator follows "C:"; *extra: something else does.
char drive_letter(std::string name, bool* trailing_separator, bool* extra)
{
    *trailing_separator = false;
    *extra = false;
    if (name.size() >= 4 && is_separator(name[0]) && is_separator(name[1]) && (name[2] == '?' || name[2] == '.') &&
        is_separator(name[3]))
        name.erase(0, 4);
    if (name.size() < 2 || name[1] != ':' || !isalpha(static_cast<unsigned char>(name[0]))) return 0;
    if (name.size() >= 3) {
        *trailing_separator = name[2] == '\\' || name[2] == '/';
        *extra = name.size() > 3 || !*trailing_separator;
    }
    return static_cast<char>(toupper(static_cast<unsigned char>(name[0])));
}

// A root named by its volume GUID path ("\\?\Volume{guid}\"): false if `name` is
// not one; else *error is ERROR_SUCCESS with *path the volume's Linux root, or why it
// names no root: no separator after the GUID (ERROR_INVALID_NAME, as "C:\dir"), a
// directory below it (ERROR_DIR_NOT_ROOT), no such volume (ERROR_PATH_NOT_FOUND).
bool guid_root(const std::string& name, std::string* path, DWORD* error)
{
    std::string guid;
    size_t length = drivers::volume_guid_name(name, &guid);
    if (length == 0 || name[2] != '?') return false;
    drivers::Volume volume;
    if (name.size() == length) *error = ERROR_INVALID_NAME;
    else if (!is_separator(name[length])) return false;
    else if (name.size() > length + 1) *error = ERROR_DIR_NOT_ROOT;
    else if (!drivers::volume_by_guid(guid, &volume)) *error = ERROR_PATH_NOT_FOUND;
    else {
        *path = volume.root;
        *error = ERROR_SUCCESS;
    }
    return true;
}

// A volume's GUID path, "\\?\Volume{guid}\" (49 characters).
std::string guid_path(const drivers::Volume& volume) { return "\\\\?\\Volume" + volume.guid + "\\"; }

std::string text(const char* name) { return name != nullptr ? std::string(name) : std::string(); }
std::string text(const WCHAR* name) { return name != nullptr ? win32::utf8_from_utf16(name) : std::string(); }

template <class Char>
bool store(const std::string& value, Char* buffer, DWORD size)
{
    if (buffer == nullptr) return true;
    if (sizeof(Char) == 1) {
        if (value.size() + 1 > size) return false;
        memcpy(buffer, value.c_str(), value.size() + 1);
        return true;
    }
    std::u16string wide = win32::utf16_from_utf8(value);
    if (wide.size() + 1 > size) return false;
    for (size_t i = 0; i <= wide.size(); ++i) buffer[i] = static_cast<Char>(i < wide.size() ? wide[i] : 0);
    return true;
}

DWORD logical_drives()
{
    DWORD mask = 0;
    for (char letter = 'A'; letter <= 'Z'; ++letter)
        if (!drivers::drive_root(letter).empty()) mask |= 1u << (letter - 'A');
    return mask;
}

template <class Char>
DWORD logical_drive_strings(DWORD length, Char* buffer)
{
    DWORD mask = logical_drives();
    DWORD needed = 1;
    for (int i = 0; i < 26; ++i)
        if (mask & (1u << i)) needed += 4;
    if (length < needed || buffer == nullptr) return needed;
    Char* at = buffer;
    for (int i = 0; i < 26; ++i) {
        if (!(mask & (1u << i))) continue;
        *at++ = static_cast<Char>('A' + i);
        *at++ = static_cast<Char>(':');
        *at++ = static_cast<Char>('\\');
        *at++ = 0;
    }
    *at = 0;
    set_last_error(ERROR_SUCCESS);
    return needed - 1;
}

bool removable_device(dev_t device)
{
    if (major(device) == 0) return false;
    std::string base = "/sys/dev/block/" + std::to_string(major(device)) + ":" + std::to_string(minor(device));
    for (const std::string& file : {base + "/removable", base + "/../removable"}) {
        FILE* in = fopen(file.c_str(), "r");
        if (in == nullptr) continue;
        int c = fgetc(in);
        fclose(in);
        return c == '1';
    }
    return false;
}

UINT drive_type_of(const std::string& path)
{
    struct statfs info;
    struct stat status;
    if (statfs(path.c_str(), &info) != 0 || stat(path.c_str(), &status) != 0 || !S_ISDIR(status.st_mode))
        return DRIVE_NO_ROOT_DIR;
    switch (static_cast<unsigned long>(info.f_type)) {
    case 0x6969:          // NFS
    case 0x517B:          // SMB
    case 0xFF534D42UL:    // CIFS
    case 0xFE534D42UL:    // SMB2
    case 0x564C:          // NCP
        return DRIVE_REMOTE;
    case 0x01021994:      // tmpfs
    case 0x858458F6UL:    // ramfs
        return DRIVE_RAMDISK;
    case 0x9660:          // ISO 9660
    case 0x15013346:      // UDF
        return DRIVE_CDROM;
    default: break;
    }
    return removable_device(status.st_dev) ? DRIVE_REMOVABLE : DRIVE_FIXED;
}

template <class Char>
UINT drive_type(const Char* root)
{
    if (root == nullptr) {
        char here[PATH_MAX];
        if (getcwd(here, sizeof(here)) == nullptr) return DRIVE_UNKNOWN;
        return drive_type_of(here);
    }
    std::string given = text(root), path;
    DWORD error;
    if (guid_root(given, &path, &error)) return error == ERROR_SUCCESS ? drive_type_of(path) : DRIVE_NO_ROOT_DIR;
    bool separator, extra;
    char letter = drive_letter(given, &separator, &extra);
    if (letter == 0 || extra) return DRIVE_NO_ROOT_DIR;
    path = drivers::drive_root(letter);
    if (path.empty()) return DRIVE_NO_ROOT_DIR;
    return drive_type_of(path);
}

// statvfs of a directory named as the free-space functions take it (any path, through the
// drive map; NULL: the current directory). The directory is opened as a file is: a
// missing last name is "file not found", a missing directory on the way "path not found".
template <class Char>
DWORD volume_statistics(const Char* directory, struct statvfs* info)
{
    std::string path = ".";
    if (directory != nullptr) {
        if (DWORD error = drivers::file_linux_path(text(directory), &path)) return error;
    }
    if (statvfs(path.c_str(), info) == 0) return ERROR_SUCCESS;
    DWORD error = win32_error_from_errno(errno);
    if (errno == ENOENT || errno == ENOTDIR) {
        std::string parent = path;
        while (parent.size() > 1 && parent.back() == '/') parent.pop_back();
        size_t slash = parent.find_last_of('/');
        parent = slash == std::string::npos ? std::string(".") : parent.substr(0, slash == 0 ? 1 : slash);
        struct stat status;
        error = stat(parent.c_str(), &status) == 0 && S_ISDIR(status.st_mode) ? ERROR_FILE_NOT_FOUND
                                                                              : ERROR_PATH_NOT_FOUND;
    }
    return error;
}

template <class Char>
BOOL disk_free_space(const Char* directory, PULARGE_INTEGER available, PULARGE_INTEGER total, PULARGE_INTEGER free)
{
    struct statvfs info;
    if (DWORD error = volume_statistics(directory, &info)) return fail(error, FALSE);
    ULONGLONG unit = info.f_frsize != 0 ? info.f_frsize : info.f_bsize;
    if (available != nullptr) available->QuadPart = static_cast<ULONGLONG>(info.f_bavail) * unit;
    if (total != nullptr) total->QuadPart = static_cast<ULONGLONG>(info.f_blocks) * unit;
    if (free != nullptr) free->QuadPart = static_cast<ULONGLONG>(info.f_bfree) * unit;
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

// GetDiskFreeSpace's clusters: the file system's fragment is the cluster, in sectors of
// 512 bytes (a fragment smaller than that is one sector of its own size). The free
// clusters are those the caller may use (f_bavail), as Windows counts them for a caller
// with a quota. Counts beyond 32 bits are cut to 0xFFFFFFFF.
template <class Char>
BOOL disk_free_clusters(const Char* root, LPDWORD sectors_per_cluster, LPDWORD bytes_per_sector, LPDWORD free_clusters,
                        LPDWORD total_clusters)
{
    struct statvfs info;
    if (DWORD error = volume_statistics(root, &info)) return fail(error, FALSE);
    ULONGLONG unit = info.f_frsize != 0 ? info.f_frsize : info.f_bsize;
    ULONGLONG sector = unit >= 512 ? 512 : unit;
    auto cut = [](ULONGLONG count) { return static_cast<DWORD>(count > 0xFFFFFFFFull ? 0xFFFFFFFFull : count); };
    if (sectors_per_cluster != nullptr) *sectors_per_cluster = static_cast<DWORD>(unit / sector);
    if (bytes_per_sector != nullptr) *bytes_per_sector = static_cast<DWORD>(sector);
    if (free_clusters != nullptr) *free_clusters = cut(info.f_bavail);
    if (total_clusters != nullptr) *total_clusters = cut(info.f_blocks);
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

// The label of the file system on `source` (a /dev path), from /dev/disk/by-label.
std::string volume_label(const std::string& source)
{
    std::string name = drivers::udev_link_name("/dev/disk/by-label", source), label;
    // udev escapes characters as \xNN ("\x20" for a space).
    for (size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\' && i + 3 < name.size() && name[i + 1] == 'x' &&
            isxdigit(static_cast<unsigned char>(name[i + 2])) && isxdigit(static_cast<unsigned char>(name[i + 3]))) {
            label += static_cast<char>(strtol(name.substr(i + 2, 2).c_str(), nullptr, 16));
            i += 3;
        } else {
            label += name[i];
        }
    }
    return label;
}

// The volume mounted at the directory a Windows name gives ("C:\mnt\usb\"): ERROR_SUCCESS
// with *volume and *where (the directory, links resolved), or why not: a name that does
// not exist ERROR_FILE_NOT_FOUND or ERROR_PATH_NOT_FOUND, a directory no volume is mounted
// at `not_mounted` (Wine's kernel32 volume tests, test_mounted_folder, on Windows).
DWORD volume_mounted_at(const std::string& name, DWORD not_mounted, drivers::Volume* volume, std::string* where)
{
    std::string path;
    if (DWORD error = drivers::file_linux_path(name, &path)) return error;
    struct stat status;
    if (stat(path.c_str(), &status) != 0) {
        if (errno != ENOENT && errno != ENOTDIR) return win32_error_from_errno(errno);
        while (path.size() > 1 && path.back() == '/') path.pop_back();
        return win32::missing_path_error(path);
    }
    char resolved[PATH_MAX];
    if (realpath(path.c_str(), resolved) == nullptr) return win32_error_from_errno(errno);
    bool mounted = drivers::volume_of_path(resolved, volume) &&
                   std::find(volume->mount_points.begin(), volume->mount_points.end(), std::string(resolved)) !=
                       volume->mount_points.end();
    if (!mounted) return not_mounted;
    *where = resolved;
    return ERROR_SUCCESS;
}

template <class Char>
BOOL volume_information(const Char* root, Char* name, DWORD name_size, LPDWORD serial, LPDWORD component,
                        LPDWORD flags, Char* fs_name, DWORD fs_name_size)
{
    std::string path;
    if (root == nullptr) {
        char here[PATH_MAX];
        if (getcwd(here, sizeof(here)) == nullptr) return fail(win32_error_from_errno(errno), FALSE);
        path = here;
    } else {
        std::string given = text(root);
        bool separator, extra;
        char letter = drive_letter(given, &separator, &extra);
        DWORD error;
        if (guid_root(given, &path, &error)) {
            if (error != ERROR_SUCCESS) return fail(error, FALSE);
        } else if (letter == 0 && given.size() >= 2 && is_separator(given[0]) && is_separator(given[1])) {
            return fail(ERROR_BAD_NETPATH, FALSE);
        } else if (letter != 0 && given.size() == 2) {
            // "C:" names the drive's current directory: the root when the current directory
            // is the drive's root, else a directory that is not a root, ERROR_INVALID_NAME
            // as Windows gives it (Wine's kernel32 volume tests).
            char here[PATH_MAX];
            std::string root = path = drivers::drive_root(letter);
            while (root.size() > 1 && root.back() == '/') root.pop_back();
            if (root.empty() || getcwd(here, sizeof here) == nullptr || root != here) return fail(ERROR_INVALID_NAME, FALSE);
        } else {
            if (letter == 0 || !is_separator(given.back())) return fail(ERROR_INVALID_NAME, FALSE);
            drivers::Volume mounted;
            if (extra) {  // a mounted folder is a volume's root too; another directory is not
                if (DWORD error = volume_mounted_at(given, ERROR_DIR_NOT_ROOT, &mounted, &path))
                    return fail(error, FALSE);
            } else {
                path = drivers::drive_root(letter);
                if (path.empty()) return fail(ERROR_PATH_NOT_FOUND, FALSE);
            }
        }
    }
    struct statvfs info;
    struct stat status;
    if (statvfs(path.c_str(), &info) != 0 || stat(path.c_str(), &status) != 0)
        return fail(errno == ENOENT ? ERROR_PATH_NOT_FOUND : win32_error_from_errno(errno), FALSE);
    std::string mount_point, type, source;
    drivers::mount_of(path, &mount_point, &type, &source);
    if (type.empty()) type = "unknown";
    if (!store(volume_label(source), name, name_size)) return fail(ERROR_BAD_LENGTH, FALSE);
    if (!store(type, fs_name, fs_name_size)) return fail(ERROR_BAD_LENGTH, FALSE);
    if (serial != nullptr) *serial = static_cast<DWORD>(status.st_dev);  // as GetFileInformationByHandle
    if (component != nullptr) *component = static_cast<DWORD>(info.f_namemax != 0 ? info.f_namemax : 255);
    if (flags != nullptr) {
        DWORD value = FILE_CASE_SENSITIVE_SEARCH | FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK |
                      FILE_PERSISTENT_ACLS | FILE_SUPPORTS_SPARSE_FILES | FILE_SUPPORTS_REPARSE_POINTS |
                      FILE_SUPPORTS_HARD_LINKS;
        if (info.f_flag & ST_RDONLY) value |= FILE_READ_ONLY_VOLUME;
        *flags = value;
    }
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

// The names QueryDosDevice knows, with what each stands for: the mapped drive letters
// ("C:", the Linux directory of the drive map), "NUL" (/dev/null, as CreateFile opens it),
// the volumes, then the COM and LPT ports whose device exists (the port map).
std::vector<std::pair<std::string, std::string>> dos_devices()
{
    std::vector<std::pair<std::string, std::string>> devices;
    for (char letter = 'A'; letter <= 'Z'; ++letter) {
        std::string root = drivers::drive_root(letter);
        if (!root.empty()) devices.emplace_back(std::string(1, letter) + ":", root);
    }
    devices.emplace_back("NUL", "/dev/null");
    // The volumes' names ("Volume{guid}", as FindFirstVolume gives them without "\\?\" and
    // the separator): the Linux directory of the volume's root, as a drive letter's.
    for (const drivers::Volume& volume : drivers::volume_list()) devices.emplace_back("Volume" + volume.guid, volume.root);
    for (auto& port : win32::existing_ports()) devices.push_back(std::move(port));
    return devices;
}

// QueryDosDevice: the target of `name` (names without case), or with no name every name,
// as a list of strings each with its terminator and one more terminator after the last.
// Returns the characters stored, all the terminators included.
template <class Char>
DWORD query_dos_device(const Char* name, Char* target, DWORD size)
{
    std::string list;
    std::vector<std::pair<std::string, std::string>> devices = dos_devices();
    if (name == nullptr) {
        for (const auto& device : devices) list += device.first + '\0';
    } else {
        std::string wanted = text(name);
        for (const auto& device : devices)
            if (strcasecmp(device.first.c_str(), wanted.c_str()) == 0) {
                list = device.second + '\0';
                break;
            }
        if (list.empty()) return fail(ERROR_FILE_NOT_FOUND, DWORD(0));
    }
    list += '\0';
    std::basic_string<Char> out = win32::text_for<Char>(list);
    if (target == nullptr || out.size() > size) return fail(ERROR_INSUFFICIENT_BUFFER, DWORD(0));
    memcpy(target, out.data(), out.size() * sizeof(Char));
    return static_cast<DWORD>(out.size());
}

// GetWindowsDirectory and GetSystemDirectory: Windows' names for its directories. They
// stand for no directory of the library (on the default drive map C:\Windows is
// /Windows, which seldom exists); programs build names from them (docs/deviations.md).
constexpr char kWindowsDirectory[] = "C:\\Windows";
constexpr char kSystemDirectory[] = "C:\\Windows\\system32";

template <class Char>
UINT directory_name(const char* name, Char* buffer, UINT size)
{
    return win32::copy_out(win32::text_for<Char>(name), buffer, size);
}

// GetVolumeNameForVolumeMountPoint: the GUID path of the volume at a drive's root ("C:\",
// also "\\?\C:\"), at a mount point inside a drive ("C:\mnt\usb\") or named by its own GUID
// path. Windows' rules (Wine's kernel32 volume tests, which pass on Windows): the name ends
// with a separator (else ERROR_INVALID_NAME), a letter with no drive is
// ERROR_FILE_NOT_FOUND, a directory that is not a mount point ERROR_NOT_A_REPARSE_POINT;
// no buffer or a size of 0 ERROR_INVALID_PARAMETER, a buffer under the 50 characters of
// the answer ERROR_FILENAME_EXCED_RANGE.
template <class Char>
BOOL volume_name_for_mount_point(const Char* mount_point, Char* buffer, DWORD size)
{
    if (mount_point == nullptr || buffer == nullptr || size == 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
    std::string given = text(mount_point);
    if (given.empty() || !is_separator(given.back())) return fail(ERROR_INVALID_NAME, FALSE);
    drivers::Volume volume;
    std::string guid, root;
    size_t length = drivers::volume_guid_name(given, &guid);
    bool separator, extra;
    char letter = drive_letter(given, &separator, &extra);
    if (length != 0 && given[2] == '?' && given.size() == length + 1) {
        if (!drivers::volume_by_guid(guid, &volume)) return fail(ERROR_FILE_NOT_FOUND, FALSE);
    } else if (letter != 0 && !extra) {
        root = drivers::drive_root(letter);
        if (root.empty() || !drivers::volume_of_path(root, &volume)) return fail(ERROR_FILE_NOT_FOUND, FALSE);
    } else if (DWORD error = volume_mounted_at(given, ERROR_NOT_A_REPARSE_POINT, &volume, &root)) {
        return fail(error, FALSE);
    }
    if (!store(guid_path(volume), buffer, size)) return fail(ERROR_FILENAME_EXCED_RANGE, FALSE);
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

// A volume search (FindFirstVolume) or a mount-point search (FindFirstVolumeMountPoint):
// the names, listed when the search begins, and the next one to give. As a find handle,
// the handle is a pointer to it, kept in a set so that a stale or foreign value is refused.
struct NameSearch {
    bool mount_points;
    std::vector<std::string> names;
    size_t next = 0;
};

std::mutex name_searches_mutex;
std::unordered_set<NameSearch*>* name_searches = new std::unordered_set<NameSearch*>();  // never freed

template <class Char>
HANDLE begin_search(bool mount_points, std::vector<std::string> names, Char* buffer, DWORD size)
{
    if (names.empty()) return fail(ERROR_NO_MORE_FILES, INVALID_HANDLE_VALUE);
    if (!store(names[0], buffer, size)) return fail(ERROR_FILENAME_EXCED_RANGE, INVALID_HANDLE_VALUE);
    auto* search = new NameSearch{mount_points, std::move(names), 1};
    std::lock_guard<std::mutex> guard(name_searches_mutex);
    name_searches->insert(search);
    set_last_error(ERROR_SUCCESS);
    return reinterpret_cast<HANDLE>(search);
}

template <class Char>
BOOL continue_search(HANDLE handle, bool mount_points, Char* buffer, DWORD size)
{
    std::lock_guard<std::mutex> guard(name_searches_mutex);
    auto* search = reinterpret_cast<NameSearch*>(handle);
    if (name_searches->count(search) == 0 || search->mount_points != mount_points)
        return fail(ERROR_INVALID_HANDLE, FALSE);
    if (search->next >= search->names.size()) return fail(ERROR_NO_MORE_FILES, FALSE);
    // A buffer too small keeps the name for the next call.
    if (!store(search->names[search->next], buffer, size)) return fail(ERROR_FILENAME_EXCED_RANGE, FALSE);
    ++search->next;
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

BOOL end_search(HANDLE handle, bool mount_points)
{
    auto* search = reinterpret_cast<NameSearch*>(handle);
    {
        std::lock_guard<std::mutex> guard(name_searches_mutex);
        if (name_searches->count(search) == 0 || search->mount_points != mount_points)
            return fail(ERROR_INVALID_HANDLE, FALSE);
        name_searches->erase(search);
    }
    delete search;
    return TRUE;
}

// FindFirstVolume: the GUID paths of every volume (drivers/volumes.cpp).
template <class Char>
HANDLE find_first_volume(Char* buffer, DWORD size)
{
    std::vector<std::string> names;
    for (const drivers::Volume& volume : drivers::volume_list()) names.push_back(guid_path(volume));
    return begin_search(false, std::move(names), buffer, size);
}

// The volume a GUID path names ("\\?\Volume{guid}\", the separator required), for
// GetVolumePathNamesForVolumeName and FindFirstVolumeMountPoint: ERROR_INVALID_NAME for
// any other name, ERROR_FILE_NOT_FOUND for a GUID no volume has.
DWORD volume_of_guid_path(const std::string& name, drivers::Volume* volume)
{
    std::string guid;
    size_t length = drivers::volume_guid_name(name, &guid);
    if (length == 0 || name[2] != '?' || name.size() != length + 1 || !is_separator(name.back()))
        return ERROR_INVALID_NAME;
    return drivers::volume_by_guid(guid, volume) ? ERROR_SUCCESS : static_cast<DWORD>(ERROR_FILE_NOT_FOUND);
}

// The Windows names of a volume: "X:\" for each drive whose root is on it, then each of
// its mount points that a drive holds and that is no drive's root ("C:\mnt\usb\").
std::vector<std::string> volume_path_names(const drivers::Volume& volume)
{
    std::vector<std::string> names;
    std::vector<std::string> roots;
    for (char letter = 'A'; letter <= 'Z'; ++letter) {
        std::string root = drivers::drive_root(letter);
        struct stat status;
        if (root.empty() || stat(root.c_str(), &status) != 0) continue;
        char resolved[PATH_MAX];
        roots.push_back(realpath(root.c_str(), resolved) != nullptr ? resolved : root);
        if (status.st_dev == volume.device) names.push_back(std::string(1, letter) + ":\\");
    }
    for (const std::string& point : volume.mount_points) {
        char drive;
        std::string rest;
        if (std::find(roots.begin(), roots.end(), point) != roots.end() || !win32::drive_name_of(point, &drive, &rest))
            continue;
        std::string name = std::string(1, drive) + ":" + rest + "\\";
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    return names;
}

// GetVolumePathNamesForVolumeName: the names above as a list of strings, each with its
// terminator, and one more terminator. A buffer too small holds the whole names that fit
// and fails with ERROR_MORE_DATA; *returned is the size needed then, the size stored on
// success (Microsoft Learn; Wine's kernel32 volume tests).
template <class Char>
BOOL volume_path_names_for_volume_name(const Char* name, Char* buffer, DWORD size, PDWORD returned)
{
    drivers::Volume volume;
    if (name == nullptr) return fail(ERROR_INVALID_NAME, FALSE);
    if (DWORD error = volume_of_guid_path(text(name), &volume)) return fail(error, FALSE);
    std::basic_string<Char> list, fitting;
    for (const std::string& path : volume_path_names(volume)) {
        list += win32::text_for<Char>(path);
        list += Char(0);
        if (list.size() + 1 <= size) fitting = list;
    }
    list += Char(0);
    if (buffer == nullptr || list.size() > size) {
        if (buffer != nullptr && size > 0) {
            fitting += Char(0);
            std::copy(fitting.begin(), fitting.end(), buffer);
        }
        if (returned != nullptr) *returned = static_cast<DWORD>(list.size());
        return fail(ERROR_MORE_DATA, FALSE);
    }
    std::copy(list.begin(), list.end(), buffer);
    if (returned != nullptr) *returned = static_cast<DWORD>(list.size());
    set_last_error(ERROR_SUCCESS);
    return TRUE;
}

// FindFirstVolumeMountPoint: the mount points on a volume (named by its GUID path, or a
// drive's root "C:\"): each mount of another file system whose directory lies on this
// volume, as a name relative to the volume's root with a trailing separator ("mnt\usb\");
// only mounts of volumes (a block device, or a RAM disk), as Windows mounts only volumes.
template <class Char>
HANDLE find_first_volume_mount_point(const Char* root_name, Char* buffer, DWORD size)
{
    if (root_name == nullptr) return fail(ERROR_INVALID_PARAMETER, INVALID_HANDLE_VALUE);
    std::string given = text(root_name);
    drivers::Volume volume;
    bool separator, extra;
    char letter = drive_letter(given, &separator, &extra);
    if (letter != 0 && separator && !extra) {
        std::string root = drivers::drive_root(letter);
        if (root.empty() || !drivers::volume_of_path(root, &volume)) return fail(ERROR_FILE_NOT_FOUND, INVALID_HANDLE_VALUE);
    } else if (DWORD error = volume_of_guid_path(given, &volume)) {
        return fail(error, INVALID_HANDLE_VALUE);
    }
    std::string base = volume.root == "/" ? std::string() : volume.root;
    std::vector<dev_t> volumes;
    for (const drivers::Volume& other : drivers::volume_list()) volumes.push_back(other.device);
    std::vector<std::string> names;
    for (const drivers::MountEntry& mount : drivers::read_mounts()) {
        if (mount.device == volume.device || std::find(volumes.begin(), volumes.end(), mount.device) == volumes.end() ||
            mount.point.size() <= base.size() + 1 ||
            mount.point.compare(0, base.size() + 1, base + "/") != 0)
            continue;
        // Only a mount whose directory is on this volume: its parent's file system.
        std::string parent = mount.point.substr(0, mount.point.find_last_of('/'));
        struct stat status;
        if (stat(parent.empty() ? "/" : parent.c_str(), &status) != 0 || status.st_dev != volume.device) continue;
        std::string name = mount.point.substr(base.size() + 1) + "/";
        std::replace(name.begin(), name.end(), '/', '\\');
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    return begin_search(true, std::move(names), buffer, size);
}

}  // namespace

extern "C" {

DWORD WINAPI QueryDosDeviceA(LPCSTR lpDeviceName, LPSTR lpTargetPath, DWORD ucchMax)
{
    return query_dos_device(lpDeviceName, lpTargetPath, ucchMax);
}

DWORD WINAPI QueryDosDeviceW(LPCWSTR lpDeviceName, LPWSTR lpTargetPath, DWORD ucchMax)
{
    return query_dos_device(lpDeviceName, lpTargetPath, ucchMax);
}

UINT WINAPI GetWindowsDirectoryA(LPSTR lpBuffer, UINT uSize)
{
    return directory_name(kWindowsDirectory, lpBuffer, uSize);
}

UINT WINAPI GetWindowsDirectoryW(LPWSTR lpBuffer, UINT uSize)
{
    return directory_name(kWindowsDirectory, lpBuffer, uSize);
}

// The shared Windows directory of a multi-user (Terminal Services) system: the Windows
// directory itself on a single-user one, as here.
UINT WINAPI GetSystemWindowsDirectoryA(LPSTR lpBuffer, UINT uSize) { return GetWindowsDirectoryA(lpBuffer, uSize); }

UINT WINAPI GetSystemWindowsDirectoryW(LPWSTR lpBuffer, UINT uSize) { return GetWindowsDirectoryW(lpBuffer, uSize); }

UINT WINAPI GetSystemDirectoryA(LPSTR lpBuffer, UINT uSize) { return directory_name(kSystemDirectory, lpBuffer, uSize); }

UINT WINAPI GetSystemDirectoryW(LPWSTR lpBuffer, UINT uSize)
{
    return directory_name(kSystemDirectory, lpBuffer, uSize);
}

DWORD WINAPI GetLogicalDrives(void)
{
    set_last_error(ERROR_SUCCESS);
    return logical_drives();
}

DWORD WINAPI GetLogicalDriveStringsA(DWORD nBufferLength, LPSTR lpBuffer)
{
    return logical_drive_strings(nBufferLength, lpBuffer);
}

DWORD WINAPI GetLogicalDriveStringsW(DWORD nBufferLength, LPWSTR lpBuffer)
{
    return logical_drive_strings(nBufferLength, lpBuffer);
}

UINT WINAPI GetDriveTypeA(LPCSTR lpRootPathName) { return drive_type(lpRootPathName); }
UINT WINAPI GetDriveTypeW(LPCWSTR lpRootPathName) { return drive_type(lpRootPathName); }

BOOL WINAPI GetDiskFreeSpaceA(LPCSTR lpRootPathName, LPDWORD lpSectorsPerCluster, LPDWORD lpBytesPerSector,
                              LPDWORD lpNumberOfFreeClusters, LPDWORD lpTotalNumberOfClusters)
{
    return disk_free_clusters(lpRootPathName, lpSectorsPerCluster, lpBytesPerSector, lpNumberOfFreeClusters,
                              lpTotalNumberOfClusters);
}

BOOL WINAPI GetDiskFreeSpaceW(LPCWSTR lpRootPathName, LPDWORD lpSectorsPerCluster, LPDWORD lpBytesPerSector,
                              LPDWORD lpNumberOfFreeClusters, LPDWORD lpTotalNumberOfClusters)
{
    return disk_free_clusters(lpRootPathName, lpSectorsPerCluster, lpBytesPerSector, lpNumberOfFreeClusters,
                              lpTotalNumberOfClusters);
}

BOOL WINAPI GetDiskFreeSpaceExA(LPCSTR lpDirectoryName, PULARGE_INTEGER lpFreeBytesAvailableToCaller,
                                PULARGE_INTEGER lpTotalNumberOfBytes, PULARGE_INTEGER lpTotalNumberOfFreeBytes)
{
    return disk_free_space(lpDirectoryName, lpFreeBytesAvailableToCaller, lpTotalNumberOfBytes,
                           lpTotalNumberOfFreeBytes);
}

BOOL WINAPI GetDiskFreeSpaceExW(LPCWSTR lpDirectoryName, PULARGE_INTEGER lpFreeBytesAvailableToCaller,
                                PULARGE_INTEGER lpTotalNumberOfBytes, PULARGE_INTEGER lpTotalNumberOfFreeBytes)
{
    return disk_free_space(lpDirectoryName, lpFreeBytesAvailableToCaller, lpTotalNumberOfBytes,
                           lpTotalNumberOfFreeBytes);
}

BOOL WINAPI GetVolumeInformationA(LPCSTR lpRootPathName, LPSTR lpVolumeNameBuffer, DWORD nVolumeNameSize,
                                  LPDWORD lpVolumeSerialNumber, LPDWORD lpMaximumComponentLength,
                                  LPDWORD lpFileSystemFlags, LPSTR lpFileSystemNameBuffer, DWORD nFileSystemNameSize)
{
    return volume_information(lpRootPathName, lpVolumeNameBuffer, nVolumeNameSize, lpVolumeSerialNumber,
                              lpMaximumComponentLength, lpFileSystemFlags, lpFileSystemNameBuffer,
                              nFileSystemNameSize);
}

BOOL WINAPI GetVolumeInformationW(LPCWSTR lpRootPathName, LPWSTR lpVolumeNameBuffer, DWORD nVolumeNameSize,
                                  LPDWORD lpVolumeSerialNumber, LPDWORD lpMaximumComponentLength,
                                  LPDWORD lpFileSystemFlags, LPWSTR lpFileSystemNameBuffer, DWORD nFileSystemNameSize)
{
    return volume_information(lpRootPathName, lpVolumeNameBuffer, nVolumeNameSize, lpVolumeSerialNumber,
                              lpMaximumComponentLength, lpFileSystemFlags, lpFileSystemNameBuffer,
                              nFileSystemNameSize);
}

BOOL WINAPI GetVolumeNameForVolumeMountPointA(LPCSTR lpszVolumeMountPoint, LPSTR lpszVolumeName,
                                              DWORD cchBufferLength)
{
    return volume_name_for_mount_point(lpszVolumeMountPoint, lpszVolumeName, cchBufferLength);
}

BOOL WINAPI GetVolumeNameForVolumeMountPointW(LPCWSTR lpszVolumeMountPoint, LPWSTR lpszVolumeName,
                                              DWORD cchBufferLength)
{
    return volume_name_for_mount_point(lpszVolumeMountPoint, lpszVolumeName, cchBufferLength);
}

HANDLE WINAPI FindFirstVolumeA(LPSTR lpszVolumeName, DWORD cchBufferLength)
{
    return find_first_volume(lpszVolumeName, cchBufferLength);
}

HANDLE WINAPI FindFirstVolumeW(LPWSTR lpszVolumeName, DWORD cchBufferLength)
{
    return find_first_volume(lpszVolumeName, cchBufferLength);
}

BOOL WINAPI FindNextVolumeA(HANDLE hFindVolume, LPSTR lpszVolumeName, DWORD cchBufferLength)
{
    return continue_search(hFindVolume, false, lpszVolumeName, cchBufferLength);
}

BOOL WINAPI FindNextVolumeW(HANDLE hFindVolume, LPWSTR lpszVolumeName, DWORD cchBufferLength)
{
    return continue_search(hFindVolume, false, lpszVolumeName, cchBufferLength);
}

BOOL WINAPI FindVolumeClose(HANDLE hFindVolume) { return end_search(hFindVolume, false); }

BOOL WINAPI GetVolumePathNamesForVolumeNameA(LPCSTR lpszVolumeName, LPCH lpszVolumePathNames, DWORD cchBufferLength,
                                             PDWORD lpcchReturnLength)
{
    return volume_path_names_for_volume_name(lpszVolumeName, lpszVolumePathNames, cchBufferLength, lpcchReturnLength);
}

BOOL WINAPI GetVolumePathNamesForVolumeNameW(LPCWSTR lpszVolumeName, LPWCH lpszVolumePathNames, DWORD cchBufferLength,
                                             PDWORD lpcchReturnLength)
{
    return volume_path_names_for_volume_name(lpszVolumeName, lpszVolumePathNames, cchBufferLength, lpcchReturnLength);
}

HANDLE WINAPI FindFirstVolumeMountPointA(LPCSTR lpszRootPathName, LPSTR lpszVolumeMountPoint, DWORD cchBufferLength)
{
    return find_first_volume_mount_point(lpszRootPathName, lpszVolumeMountPoint, cchBufferLength);
}

HANDLE WINAPI FindFirstVolumeMountPointW(LPCWSTR lpszRootPathName, LPWSTR lpszVolumeMountPoint, DWORD cchBufferLength)
{
    return find_first_volume_mount_point(lpszRootPathName, lpszVolumeMountPoint, cchBufferLength);
}

BOOL WINAPI FindNextVolumeMountPointA(HANDLE hFindVolumeMountPoint, LPSTR lpszVolumeMountPoint, DWORD cchBufferLength)
{
    return continue_search(hFindVolumeMountPoint, true, lpszVolumeMountPoint, cchBufferLength);
}

BOOL WINAPI FindNextVolumeMountPointW(HANDLE hFindVolumeMountPoint, LPWSTR lpszVolumeMountPoint, DWORD cchBufferLength)
{
    return continue_search(hFindVolumeMountPoint, true, lpszVolumeMountPoint, cchBufferLength);
}

BOOL WINAPI FindVolumeMountPointClose(HANDLE hFindVolumeMountPoint) { return end_search(hFindVolumeMountPoint, true); }

}  // extern "C"
