// attempt.h: running one operation with plain system calls, in the calling thread.
// The fallback engine runs every operation this way (at once, from its reactor when the
// descriptor is ready, or blocking in its pool); the I/O manager uses it to try a
// request before it goes to an engine (a socket with data queued completes at once, as
// Windows completes it).
#pragma once

#include "engine/engine.h"

namespace overlapped::engine {

// Whether `op` waits for its descriptor to be readable (Read, Receive, Accept, Poll for
// input) or writable (Write, Send, Connect, Poll for output).
bool wants_input(const Op* op);

// Bytes transferred in all, as asked (the vectors' lengths added up).
size_t requested_length(const Op* op);

// One attempt at `op`: its result (as Op::result), or -EAGAIN if it would block.
// `nowait` false: blocks until it can be done (a signal interrupts it: -EINTR). Streams
// that cannot be asked not to block per call (FIFOs opened by name) are made
// non-blocking for good; -EOPNOTSUPP if that fails.
// `probe`: for a receive tried before anything said the socket is readable, ask poll()
// first: a recv() that finds nothing still takes the socket's lock, which the sender on
// another processor may hold at that moment (a request-response peer sends the next
// request just as the receive is posted); poll() takes no lock.
int attempt(Op* op, bool nowait, bool probe = false);

// A read (or write) of `length` bytes at `offset` of a file, without waiting
// (RWF_NOWAIT), for a driver's fast I/O path (io::Device::fast_transfer): the bytes
// transferred (fewer where the page cache or the file ends), -EAGAIN if it would wait,
// -EOPNOTSUPP if the file system does not take RWF_NOWAIT, or another -errno.
int attempt_at(int descriptor, bool write, void* buffer, uint32_t length, uint64_t offset);

}  // namespace overlapped::engine
