// interrupt.h: interrupting another thread's blocking system call.
//
// Linux has one way to make a thread's blocking read() or write() return early: a signal
// whose handler is installed without SA_RESTART, so that the call fails with EINTR. The
// library uses one real-time signal for this (docs/deviations.md): CancelSynchronousIo
// sends it to a thread blocked in a synchronous request, and the fallback engine to a
// pool thread running a cancelled operation. The handler does nothing.
#pragma once

#include <signal.h>

namespace overlapped::engine {

// The signal: SIGRTMIN + 6.
int interrupt_signal();

// Sends the signal to `thread` (a pthread_t), installing its handler on first use. A
// thread not in a system call just runs the empty handler.
void interrupt_thread(unsigned long thread);

// While one lives, the calling thread keeps the signal blocked except inside the ppoll
// calls it gives during(): a signal that arrives after a waiter's last checks and before
// it sleeps is taken by the ppoll (EINTR), not lost in between.
class InterruptWindow {
public:
    InterruptWindow();
    ~InterruptWindow();
    InterruptWindow(const InterruptWindow&) = delete;
    InterruptWindow& operator=(const InterruptWindow&) = delete;
    const sigset_t* during() const { return &during_; }

private:
    sigset_t previous_;
    sigset_t during_;
};

}  // namespace overlapped::engine
