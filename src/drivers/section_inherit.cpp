// section_inherit.cpp: file mappings cross into another process as a child inherits
// them or DuplicateHandle puts them there (drivers/inherit.h): the section's descriptor
// and its page protection. The other process's section is as large as the descriptor
// (a memfd is exactly the section; a file-backed section smaller than its file becomes
// the whole file there: docs/deviations.md).
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/inherit.h"
#include "kernel/section.h"

namespace overlapped::drivers {
namespace {

bool export_section(kernel::Object* object, int* descriptor, uint32_t* extra)
{
    auto* section = static_cast<kernel::SectionObject*>(object);
    if (section->descriptor() < 0) return false;
    *descriptor = section->descriptor();
    *extra = section->protect();
    return true;
}

kernel::Object* import_section(int descriptor, uint32_t extra, ACCESS_MASK, DWORD* error)
{
    struct stat status;
    if (fstat(descriptor, &status) != 0) {
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    return kernel::SectionObject::create(descriptor, static_cast<uint64_t>(status.st_size), extra & 0xFF);
}

const InheritKind section_inherit_kind = {export_section, import_section};
const InheritRegistration section_inherit_registration OVERLAPPED_INHERIT_EARLY(kernel::ObjectType::Section,
                                                                                &section_inherit_kind);

}  // namespace
}  // namespace overlapped::drivers
