// volumes.cpp: the volumes of the library (disk.h, "drives and volumes"): the mounted
// file systems from /proc/self/mountinfo, each named by a volume GUID as Windows names
// its volumes ("\\?\Volume{...}\"). docs/drives.md, "Volume names".
#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "drivers/disk.h"
#include "drivers/file.h"

namespace overlapped::drivers {
namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape(const std::string& field)
{
    std::string out;
    for (size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size() && isdigit(static_cast<unsigned char>(field[i + 1])) &&
            isdigit(static_cast<unsigned char>(field[i + 2])) && isdigit(static_cast<unsigned char>(field[i + 3]))) {
            out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0'));
            i += 3;
        } else {
            out += field[i];
        }
    }
    return out;
}

// A GUID's text "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (36 characters), any case.
bool guid_text(const std::string& text)
{
    if (text.size() != 36) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !isxdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
}

// A GUID made from a name (two FNV-1a hashes, with the version and variant bits of a
// name-based UUID), for file systems whose UUID is not a GUID or that have none.
std::string guid_from_name(const std::string& name)
{
    uint8_t bytes[16];
    for (int half = 0; half < 2; ++half) {
        uint64_t hash = half == 0 ? 0xcbf29ce484222325ull : 0x84222325cbf29ce4ull;
        for (unsigned char c : name) hash = (hash ^ c) * 0x100000001b3ull;
        for (int i = 0; i < 8; ++i) bytes[half * 8 + i] = static_cast<uint8_t>(hash >> (i * 8));
    }
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x50);
    bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
    char text[37];
    snprintf(text, sizeof(text), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
             bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
             bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return text;
}

// "{text}" in lower case (built by appending: GCC 12 warns wrongly of "{" + string).
std::string braced(const std::string& text)
{
    std::string out(1, '{');
    for (char c : text) out += static_cast<char>(tolower(static_cast<unsigned char>(c)));
    out += '}';
    return out;
}

// The GUID of the file system mounted from `mount`: its UUID when that is a GUID and the
// device number is the block device's own (so one file system, one volume); otherwise
// one made from the UUID and the mount's root in it (a btrfs subvolume), or from the
// device number (no UUID: tmpfs, or a system without /dev/disk/by-uuid).
std::string volume_guid(const MountEntry& mount, const std::string& block)
{
    std::string uuid = udev_link_name("/dev/disk/by-uuid", block);
    if (!uuid.empty() && major(mount.device) != 0 && guid_text(uuid)) return braced(uuid);
    std::string name(uuid.empty() ? "device " : "uuid ");
    if (uuid.empty()) {
        name += std::to_string(major(mount.device));
        name += ':';
        name += std::to_string(minor(mount.device));
    } else {
        name += uuid;
        name += ' ';
        name += mount.root;
    }
    return braced(guid_from_name(name));
}

// A file system in memory that stands for a volume (a RAM disk: /tmp, /run): tmpfs and
// ramfs, except those of the system's own trees (/dev/shm, /sys/fs/cgroup, /proc).
bool ram_volume(const MountEntry& mount)
{
    if (mount.type != "tmpfs" && mount.type != "ramfs") return false;
    for (const char* system : {"/dev", "/sys", "/proc"}) {
        size_t length = strlen(system);
        if (mount.point.compare(0, length, system) == 0 && (mount.point.size() == length || mount.point[length] == '/'))
            return false;
    }
    return true;
}

}  // namespace

std::string udev_link_name(const char* directory, const std::string& device)
{
    char wanted[PATH_MAX];
    if (device.empty() || realpath(device.c_str(), wanted) == nullptr) return std::string();
    DIR* dir = opendir(directory);
    if (dir == nullptr) return std::string();
    std::string name;
    while (dirent* entry = readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        char target[PATH_MAX];
        std::string link = std::string(directory) + "/" + entry->d_name;
        if (realpath(link.c_str(), target) != nullptr && strcmp(target, wanted) == 0) {
            name = entry->d_name;
            break;
        }
    }
    closedir(dir);
    return name;
}

std::vector<MountEntry> read_mounts()
{
    std::vector<MountEntry> mounts;
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        // id parent major:minor root mount-point options [optional...] - type source super-options
        std::istringstream fields(line);
        std::string id, parent, numbers, root, point;
        fields >> id >> parent >> numbers >> root >> point;
        size_t dash = line.find(" - ");
        if (dash == std::string::npos) continue;
        std::istringstream tail(line.substr(dash + 3));
        MountEntry entry;
        tail >> entry.type >> entry.source;
        unsigned maj = 0, min = 0;
        if (sscanf(numbers.c_str(), "%u:%u", &maj, &min) != 2) continue;
        entry.device = makedev(maj, min);
        entry.root = unescape(root);
        entry.point = unescape(point);
        entry.source = unescape(entry.source);
        mounts.push_back(std::move(entry));
    }
    return mounts;
}

std::string block_device_of(const std::string& source, dev_t device)
{
    struct stat status;
    if (source.compare(0, 5, "/dev/") == 0 && stat(source.c_str(), &status) == 0 && S_ISBLK(status.st_mode))
        return source;
    if (major(device) != 0) {
        std::string sys = sys_block_name(device);
        if (!sys.empty()) return "/dev/" + sys;
    }
    return std::string();
}

std::vector<Volume> volume_list()
{
    std::vector<MountEntry> mounts = read_mounts();
    std::vector<dev_t> order;
    // The file systems of the drives' roots first, in letter order, then every other
    // mount with a block device (or in memory: tmpfs), in mountinfo's order.
    for (char letter = 'A'; letter <= 'Z'; ++letter) {
        std::string root = drive_root(letter);
        struct stat status;
        if (root.empty() || stat(root.c_str(), &status) != 0) continue;
        if (std::find(order.begin(), order.end(), status.st_dev) == order.end()) order.push_back(status.st_dev);
    }
    for (const MountEntry& mount : mounts) {
        if (std::find(order.begin(), order.end(), mount.device) != order.end()) continue;
        if (ram_volume(mount) || !block_device_of(mount.source, mount.device).empty())
            order.push_back(mount.device);
    }
    std::vector<Volume> volumes;
    for (dev_t device : order) {
        Volume volume;
        volume.device = device;
        const MountEntry* chosen = nullptr;
        for (const MountEntry& mount : mounts) {
            if (mount.device != device) continue;
            volume.mount_points.push_back(mount.point);
            // The file system's root: a mount of its "/" (the shortest such mount point),
            // else its first mount.
            bool whole = mount.root == "/";
            if (chosen == nullptr || (whole && (chosen->root != "/" || mount.point.size() < chosen->point.size())))
                chosen = &mount;
        }
        if (chosen == nullptr) continue;  // a drive on no mount mountinfo shows
        volume.root = chosen->point;
        volume.type = chosen->type;
        volume.block_device = block_device_of(chosen->source, device);
        volume.guid = volume_guid(*chosen, volume.block_device);
        volumes.push_back(std::move(volume));
    }
    return volumes;
}

bool volume_of_path(const std::string& path, Volume* volume)
{
    struct stat status;
    if (stat(path.c_str(), &status) != 0) return false;
    for (Volume& candidate : volume_list())
        if (candidate.device == status.st_dev) {
            *volume = std::move(candidate);
            return true;
        }
    return false;
}

bool volume_by_guid(const std::string& guid, Volume* volume)
{
    for (Volume& candidate : volume_list())
        if (strcasecmp(candidate.guid.c_str(), guid.c_str()) == 0) {
            *volume = std::move(candidate);
            return true;
        }
    return false;
}

size_t volume_guid_name(const std::string& name, std::string* guid)
{
    static const char kVolume[] = "Volume{";
    const size_t prefix = 4, length = sizeof(kVolume) - 1 + 36 + 1;
    if (name.size() < prefix + length) return 0;
    bool device = (name[0] == '\\' || name[0] == '/') && (name[1] == '\\' || name[1] == '/') &&
                  (name[2] == '?' || name[2] == '.') && (name[3] == '\\' || name[3] == '/');
    if (!device || strncasecmp(name.c_str() + prefix, kVolume, sizeof(kVolume) - 1) != 0) return 0;
    std::string text = name.substr(prefix + sizeof(kVolume) - 1, 36);
    if (!guid_text(text) || name[prefix + length - 1] != '}') return 0;
    if (guid != nullptr) *guid = braced(text);
    return prefix + length;
}

}  // namespace overlapped::drivers
