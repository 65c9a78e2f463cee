// interrupt.cpp: see interrupt.h.
#include "engine/interrupt.h"

#include <mutex>
#include <pthread.h>
#include <signal.h>

namespace overlapped::engine {
namespace {

void on_interrupt(int) {}

}  // namespace

int interrupt_signal() { return SIGRTMIN + 6; }

void interrupt_thread(unsigned long thread)
{
    static std::once_flag installed;
    std::call_once(installed, [] {
        struct sigaction action {};
        action.sa_handler = &on_interrupt;
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0;  // no SA_RESTART: the interrupted call returns EINTR
        sigaction(interrupt_signal(), &action, nullptr);
    });
    pthread_kill(static_cast<pthread_t>(thread), interrupt_signal());
}

InterruptWindow::InterruptWindow()
{
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, interrupt_signal());
    pthread_sigmask(SIG_BLOCK, &interrupt, &previous_);
    during_ = previous_;
    sigdelset(&during_, interrupt_signal());
}

InterruptWindow::~InterruptWindow() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

}  // namespace overlapped::engine
