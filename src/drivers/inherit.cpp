// inherit.cpp: the table of kinds that can cross into a child, and the file kind (regular
// files, directories, the console's standard handles and NUL are all file handles).
#include "drivers/inherit.h"

#include <atomic>

#include "drivers/file.h"

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

}  // namespace

void inherit_register(kernel::ObjectType type, const InheritKind* kind)
{
    auto index = static_cast<unsigned>(type);
    if (index < kTypes) kinds()[index].store(kind, std::memory_order_release);
}

const InheritKind* inherit_kind(kernel::ObjectType type)
{
    if (type == kernel::ObjectType::File) return &file_kind;
    auto index = static_cast<unsigned>(type);
    return index < kTypes ? kinds()[index].load(std::memory_order_acquire) : nullptr;
}

}  // namespace overlapped::drivers
