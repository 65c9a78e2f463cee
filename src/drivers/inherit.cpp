// inherit.cpp: the table of kinds that can cross into a child, and the file kind (regular
// files, directories, the console's standard handles and NUL are all file handles).
#include "drivers/inherit.h"

#include <atomic>

#include "drivers/file.h"
#include "drivers/socket.h"

#include <sys/socket.h>
#include <unistd.h>

namespace overlapped::drivers {
namespace {

constexpr int kTypes = 32;

std::atomic<const InheritKind*>* kinds()
{
    static std::atomic<const InheritKind*> table[kTypes] = {};
    return table;
}

bool export_file(kernel::Object* object, int* descriptor, uint32_t* extra)
{
    auto* file = static_cast<FileDevice*>(object);
    if (file->descriptor() < 0) return false;
    *descriptor = file->descriptor();
    *extra = file->flags() & FILE_FLAG_OVERLAPPED;
    return true;
}

kernel::Object* import_file(int descriptor, uint32_t extra, ACCESS_MASK access, DWORD* error)
{
    return FileDevice::adopt(descriptor, access, extra, error);
}

const InheritKind file_kind = {export_file, import_file};

// Sockets: a connected stream socket crosses (a connection handed to a child, as inetd
// and CGI servers do); listening, bound-only and datagram sockets do not, for now: the
// child would need their Winsock state too (docs/deviations.md).
bool export_socket(kernel::Object* object, int* descriptor, uint32_t* extra)
{
    auto* socket = static_cast<SocketDevice*>(object);
    int fd = socket->descriptor();
    if (fd < 0 || !socket->is_stream_type() || socket->listening()) return false;
    sockaddr_storage peer;
    socklen_t length = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return false;
    *descriptor = fd;
    *extra = (static_cast<uint32_t>(socket->family()) & 0xFF) | ((static_cast<uint32_t>(socket->type()) & 0xFF) << 8) |
             ((static_cast<uint32_t>(socket->protocol()) & 0xFF) << 16) | (socket->overlapped_io() ? 1u << 24 : 0u);
    return true;
}

kernel::Object* import_socket(int descriptor, uint32_t extra, ACCESS_MASK, DWORD* error)
{
    int wsa_error = 0;
    SocketDevice* socket = SocketDevice::adopt_connected(
        descriptor, static_cast<int>(extra & 0xFF), static_cast<int>((extra >> 8) & 0xFF),
        static_cast<int>((extra >> 16) & 0xFF), (extra & (1u << 24)) ? ws::kWsaFlagOverlapped : 0, &wsa_error);
    if (socket == nullptr) *error = ERROR_INVALID_HANDLE;
    return socket;
}

const InheritKind socket_kind = {export_socket, import_socket};

}  // namespace

void inherit_register(kernel::ObjectType type, const InheritKind* kind)
{
    auto index = static_cast<unsigned>(type);
    if (index < kTypes) kinds()[index].store(kind, std::memory_order_release);
}

void inherit_export_aux(const InheritKind* kind, kernel::Object* object, int* descriptor, uint32_t* word)
{
    *descriptor = -1;
    *word = 0;
    if (kind->export_aux == nullptr || !kind->export_aux(object, descriptor, word)) *descriptor = -1;
}

kernel::Object* inherit_import(kernel::ObjectType type, int descriptor, uint32_t extra, int aux, uint32_t aux_word,
                               ACCESS_MASK access)
{
    const InheritKind* kind = inherit_kind(type);
    DWORD error = ERROR_SUCCESS;
    kernel::Object* object = kind != nullptr ? kind->import_object(descriptor, extra, access, &error) : nullptr;
    if (object == nullptr) ::close(descriptor);
    if (aux >= 0) {
        if (object != nullptr && kind->import_aux != nullptr) kind->import_aux(object, aux, aux_word);
        else ::close(aux);
    }
    return object;
}

const InheritKind* inherit_kind(kernel::ObjectType type)
{
    if (type == kernel::ObjectType::File) return &file_kind;
    if (type == kernel::ObjectType::Socket) return &socket_kind;
    auto index = static_cast<unsigned>(type);
    return index < kTypes ? kinds()[index].load(std::memory_order_acquire) : nullptr;
}

}  // namespace overlapped::drivers
