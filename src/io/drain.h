// drain.h: a stream receive's hint, shared by the stream drivers (sockets, named pipes).
//
// A receive that got less than it asked for left the stream empty, as far as the thread
// that made it knows; a send the thread made on the stream (sockets) means the same for
// what comes next: the peer has not had time to answer it. Until that thread waits for
// something (kernel::ThreadState::wait_epoch moves on every wait), a receive it issues
// next on the same stream is not tried at once: a request-response server answers and
// posts its next receive before the peer has had time to send, so the try would only
// cost a system call (also when the last request filled the receive buffer exactly, and
// so did not show the stream empty); the engine catches anything that did arrive.
#pragma once

#include <atomic>
#include <cstdint>

#include "kernel/thread_state.h"

namespace overlapped::io {

class DrainHint {
public:
    // The calling thread's receive left the stream empty.
    void note()
    {
        kernel::ThreadState* self = kernel::current_thread();
        thread_.store(self, std::memory_order_relaxed);
        epoch_.store(self->wait_epoch, std::memory_order_relaxed);
    }
    // Whether the calling thread saw the stream empty and has not waited since.
    bool applies() const
    {
        kernel::ThreadState* self = kernel::current_thread();
        return thread_.load(std::memory_order_relaxed) == self &&
               epoch_.load(std::memory_order_relaxed) == self->wait_epoch;
    }
    void reset() { thread_.store(nullptr, std::memory_order_relaxed); }

private:
    std::atomic<kernel::ThreadState*> thread_{nullptr};
    std::atomic<uint32_t> epoch_{0};
};

}  // namespace overlapped::io
