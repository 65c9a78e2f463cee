// section.cpp: file-mapping objects (section.h).
#include "kernel/section.h"

#include <unistd.h>

namespace overlapped::kernel {

SectionObject* SectionObject::create(int descriptor, uint64_t size, uint32_t protect)
{
    SectionObject* section = Pool<SectionObject>::instance().acquire();
    section->lock.lock();
    section->reset_base();
    section->descriptor_ = descriptor;
    section->size_ = size;
    section->protect_ = protect;
    section->file_mapping_ = nullptr;
    section->release_ = nullptr;
    section->lock.unlock();
    return section;
}

void SectionObject::recycle()
{
    lock.lock();
    if (descriptor_ >= 0) ::close(descriptor_);
    descriptor_ = -1;
    size_ = 0;
    protect_ = 0;
    void* mapping = file_mapping_;
    void (*release)(void*) = release_;
    file_mapping_ = nullptr;
    release_ = nullptr;
    lock.unlock();
    if (mapping != nullptr && release != nullptr) release(mapping);
    Pool<SectionObject>::instance().release(this);
}

}  // namespace overlapped::kernel
