// section.h: file-mapping objects (CreateFileMapping), what MapViewOfFile maps: a
// descriptor (a file's own, duplicated, or a memfd for memory backed by the paging file),
// the section's size and its page protection. Not waitable.
#pragma once

#include <cstdint>

#include "kernel/object.h"

namespace overlapped::kernel {

class SectionObject final : public Object {
public:
    SectionObject() : Object(ObjectType::Section) {}
    bool is_signaled(const ThreadState*) const override { return false; }

    // A section over `descriptor` (taken over) of `size` bytes with `protect`
    // (PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY or their EXECUTE forms); one reference.
    static SectionObject* create(int descriptor, uint64_t size, uint32_t protect);

    // Fixed from creation on: no lock needed.
    int descriptor() const { return descriptor_; }
    uint64_t size() const { return size_; }
    uint32_t protect() const { return protect_; }

    // What the section holds of its file for the file driver (drivers/file.h,
    // FileMapping): given up through `release` when the section goes. Set once, right
    // after create, before the section is shared.
    void set_file_mapping(void* mapping, void (*release)(void*))
    {
        file_mapping_ = mapping;
        release_ = release;
    }
    void* file_mapping() const { return file_mapping_; }

private:
    void recycle() override;

    int descriptor_ = -1;
    uint64_t size_ = 0;
    uint32_t protect_ = 0;
    void* file_mapping_ = nullptr;
    void (*release_)(void*) = nullptr;
};

}  // namespace overlapped::kernel
