// interrupt.h: interrupting another thread's blocking system call.
//
// Linux has one way to make a thread's blocking read() or write() return early: a signal
// whose handler is installed without SA_RESTART, so that the call fails with EINTR. The
// library uses one real-time signal for this (docs/deviations.md): CancelSynchronousIo
// sends it to a thread blocked in a synchronous request, and the fallback engine to a
// pool thread running a cancelled operation. The handler does nothing.
#pragma once

namespace overlapped::engine {

// The signal: SIGRTMIN + 6.
int interrupt_signal();

// Sends the signal to `thread` (a pthread_t), installing its handler on first use. A
// thread not in a system call just runs the empty handler.
void interrupt_thread(unsigned long thread);

}  // namespace overlapped::engine
