// select.cpp: which engine the process uses, chosen once.
//
// OVERLAPPED_ENGINE=uring|fallback|auto (default auto). auto probes io_uring once: if
// setting up a ring is refused (seccomp, the io_uring_disabled sysctl, an old kernel) or
// an opcode the library uses is missing, the process uses the fallback engine.
// uring forces io_uring: where it is refused, I/O fails with ERROR_NOT_SUPPORTED.
#include <cstdlib>
#include <cstring>

#include "engine/engine.h"

namespace overlapped::engine {
namespace {

enum class Choice { Uring, Fallback, UringUnavailable };

Choice choose()
{
    const char* forced = getenv("OVERLAPPED_ENGINE");
    if (forced != nullptr && strcmp(forced, "fallback") == 0) return Choice::Fallback;
    bool works = uring::available();
    if (forced != nullptr && strcmp(forced, "uring") == 0) return works ? Choice::Uring : Choice::UringUnavailable;
    return works ? Choice::Uring : Choice::Fallback;
}

Choice choice()
{
    static const Choice chosen = choose();
    return chosen;
}

}  // namespace

Queue* create_queue(uint32_t depth, bool cooperative)
{
    switch (choice()) {
    case Choice::Uring: return uring::create_queue(depth, cooperative);
    case Choice::Fallback: return fallback::create_queue();
    case Choice::UringUnavailable: break;
    }
    return nullptr;
}

const char* engine_name()
{
    switch (choice()) {
    case Choice::Uring: return "io_uring";
    case Choice::Fallback: return "fallback";
    case Choice::UringUnavailable: break;
    }
    return nullptr;
}

}  // namespace overlapped::engine
