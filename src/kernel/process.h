// process.h: the object behind GetCurrentProcess(): waitable, never signalled while the
// process runs.
#pragma once

#include "kernel/object.h"

namespace overlapped::kernel {

class ProcessObject final : public Object {
public:
    ProcessObject() : Object(ObjectType::Process) {}
    bool is_signaled(const ThreadState*) const override { return false; }

private:
    void recycle() override {}
};

// The process object (one reference is held forever by the library).
Object* current_process_object();

}  // namespace overlapped::kernel
