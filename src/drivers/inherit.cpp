// inherit.cpp: the table of kinds that can cross into a child, and the file kind (regular
// files, directories, the console's standard handles and NUL are all file handles).
#include "drivers/inherit.h"

#include <atomic>

#include "drivers/file.h"
#include "drivers/socket.h"

#include <fcntl.h>
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

// Sockets: any socket whose state its descriptor carries crosses (SocketDevice::
// crossing_refused): a connection handed to a child, as inetd and CGI servers do, and a
// listening or datagram socket (with its default peer), as pre-forked servers share
// theirs. The word: Windows' family, type and protocol, a byte each,
// WSA_FLAG_OVERLAPPED (bit 24) and the traffic-class receive options (bits 25-28); the
// second word, with no descriptor: UDP_RECV_MAX_COALESCED_SIZE. The options the library
// keeps itself otherwise start afresh in the child, as for WSADuplicateSocket
// (docs/deviations.md).
bool export_socket(kernel::Object* object, int* descriptor, uint32_t* extra)
{
    auto* socket = static_cast<SocketDevice*>(object);
    if (socket->crossing_refused() != 0) return false;
    *descriptor = socket->descriptor();
    *extra = (static_cast<uint32_t>(socket->family()) & 0xFF) | ((static_cast<uint32_t>(socket->type()) & 0xFF) << 8) |
             ((static_cast<uint32_t>(socket->protocol()) & 0xFF) << 16) | (socket->overlapped_io() ? 1u << 24 : 0u) |
             ((static_cast<uint32_t>(socket->traffic_class_options()) & 0xF) << 25);
    return true;
}

kernel::Object* import_socket(int descriptor, uint32_t extra, ACCESS_MASK, DWORD* error)
{
    int wsa_error = 0;
    SocketDevice* socket = SocketDevice::adopt(
        descriptor, static_cast<int>(extra & 0xFF), static_cast<int>((extra >> 8) & 0xFF),
        static_cast<int>((extra >> 16) & 0xFF), (extra & (1u << 24)) ? ws::kWsaFlagOverlapped : 0, &wsa_error);
    if (socket == nullptr) {
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    socket->set_traffic_class_options(static_cast<uint8_t>((extra >> 25) & 0xF));
    return socket;
}

bool export_socket_word(kernel::Object* object, int* descriptor, uint32_t* word)
{
    *descriptor = -1;
    *word = static_cast<SocketDevice*>(object)->receive_coalesced_max();
    return true;
}

void import_socket_word(kernel::Object* object, int descriptor, uint32_t word)
{
    if (descriptor >= 0) ::close(descriptor);  // a socket passes none
    static_cast<SocketDevice*>(object)->set_receive_coalesced_max(word);
}

const InheritKind socket_kind = {export_socket, import_socket, export_socket_word, import_socket_word};

}  // namespace

void inherit_register(kernel::ObjectType type, const InheritKind* kind)
{
    auto index = static_cast<unsigned>(type);
    if (index < kTypes) kinds()[index].store(kind, std::memory_order_release);
}

bool inherit_duplicate(const InheritKind* kind, kernel::Object* object, int* descriptor, uint32_t* extra, int* aux,
                       uint32_t* aux_word, bool* aux_failed)
{
    *descriptor = -1;
    if (aux != nullptr) {
        *aux = -1;
        *aux_word = 0;
        *aux_failed = false;
    }
    int exported = -1;
    if (!kind->export_object(object, &exported, extra)) return false;
    *descriptor = fcntl(exported, F_DUPFD_CLOEXEC, 3);
    if (*descriptor < 0 || aux == nullptr) return true;
    int exported_aux = -1;
    if (kind->export_aux == nullptr || !kind->export_aux(object, &exported_aux, aux_word)) {
        *aux_word = 0;
        return true;
    }
    if (exported_aux >= 0) {
        *aux = fcntl(exported_aux, F_DUPFD_CLOEXEC, 3);
        *aux_failed = *aux < 0;
    }
    return true;
}

kernel::Object* inherit_import(kernel::ObjectType type, int descriptor, uint32_t extra, int aux, uint32_t aux_word,
                               ACCESS_MASK access)
{
    const InheritKind* kind = inherit_kind(type);
    DWORD error = ERROR_SUCCESS;
    kernel::Object* object = kind != nullptr ? kind->import_object(descriptor, extra, access, &error) : nullptr;
    if (object == nullptr) ::close(descriptor);
    if (object != nullptr && kind->import_aux != nullptr) kind->import_aux(object, aux, aux_word);
    else if (aux >= 0) ::close(aux);
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
