// serial.cpp: COM ports on Linux ttys (serial.h).
#include "drivers/serial.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/serial.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <termios.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/errors.h"
#include "io/request.h"
#include "kernel/thread_state.h"

namespace overlapped::drivers {
namespace {

// The events WaitCommEvent can report from TIOCGICOUNT's counters.
constexpr DWORD kCounterEvents = EV_CTS | EV_DSR | EV_RLSD | EV_RING | EV_BREAK | EV_ERR;
constexpr DWORD kValidEvents = 0x1fff;  // EV_RXCHAR ... EV_EVENT2
constexpr long kTickMs = 10;
// The receive buffer a port starts with, as serial.sys allocates at open (4096 bytes on
// any but a small system); SetupComm can make it larger.
constexpr DWORD kReceiveBuffer = 4096;

// What a request is, in its driver state.
enum class Kind : uint8_t { Read, Write, Wait };

struct SerialState {
    Kind kind = Kind::Read;
    bool started = false;   // its clocks run (the lane's current request)
    bool finished = false;  // prepare() finished it (plan.done_now)
    DWORD status = 0;       // prepare()'s status for a finished request
    char* buffer = nullptr;
    DWORD length = 0;
    DWORD done = 0;
    SerialReadClock clock;      // reads
    uint64_t write_deadline = 0;  // writes; 0: none
    DWORD* mask_out = nullptr;  // WaitCommEvent's
    DWORD mask = 0;
};

struct WaitArguments {
    DWORD* mask;
};

struct Speed {
    DWORD baud;
    speed_t code;
};
constexpr Speed kSpeeds[] = {
    {50, B50},         {75, B75},         {110, B110},       {134, B134},       {150, B150},
    {200, B200},       {300, B300},       {600, B600},       {1200, B1200},     {1800, B1800},
    {2400, B2400},     {4800, B4800},     {9600, B9600},     {19200, B19200},   {38400, B38400},
    {57600, B57600},   {115200, B115200}, {230400, B230400}, {460800, B460800}, {500000, B500000},
    {576000, B576000}, {921600, B921600}, {1000000, B1000000}, {1152000, B1152000}, {1500000, B1500000},
    {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000}, {3500000, B3500000}, {4000000, B4000000},
};

bool speed_code(DWORD baud, speed_t* code)
{
    for (const Speed& speed : kSpeeds)
        if (speed.baud == baud) {
            *code = speed.code;
            return true;
        }
    return false;
}

DWORD speed_baud(speed_t code)
{
    for (const Speed& speed : kSpeeds)
        if (speed.code == code) return speed.baud;
    return 0;
}

// The kernel's struct termios2 (<asm/termbits.h>, which cannot be included with
// <termios.h>): it carries the speed as a number, for the rates without a Bnnn code
// (BOTHER): 7200, 14400, 56000, 128000, 256000 and any other a program asks for.
struct KernelTermios2 {
    tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
    cc_t c_line;
    cc_t c_cc[19];
    speed_t c_ispeed, c_ospeed;
};
static_assert(sizeof(KernelTermios2) == 44, "the kernel's termios2");
const unsigned long kGetTermios2 = _IOR('T', 0x2A, KernelTermios2);
const unsigned long kSetTermios2 = _IOW('T', 0x2B, KernelTermios2);
constexpr tcflag_t kBaudOther = 0010000;  // BOTHER: the speed is c_ospeed
constexpr tcflag_t kBaudBits = CBAUD;     // CBAUD with CBAUDEX
constexpr int kInputBaudShift = 16;       // IBSHIFT: the input speed's code (0: as output)

// The tty's output speed in baud (0 if unknown).
DWORD tty_baud(int fd, const termios& settings)
{
    speed_t code = cfgetospeed(&settings);
    if ((code & kBaudBits) != kBaudOther) return speed_baud(code);
    KernelTermios2 t2;
    if (ioctl(fd, kGetTermios2, &t2) != 0) return 0;
    return t2.c_ospeed;
}

// Windows' serial driver takes a rate when its UART can run within 1% of it (serial.sys,
// SerialGetDivisorFromBaud: "Allow up to a 1 percent error"); the tty driver says what it
// runs at.
bool baud_close_enough(DWORD wanted, DWORD got)
{
    uint64_t difference = wanted > got ? wanted - got : got - wanted;
    return got != 0 && difference * 100 <= wanted;
}

bool epoll_add(int epoll, int descriptor, uint32_t events)
{
    epoll_event event{};
    event.events = events;
    event.data.fd = descriptor;
    return epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0;
}

// Arms `timer` for the monotonic millisecond `when` (0: disarms).
void arm_timer(int timer, uint64_t when)
{
    itimerspec spec{};
    if (when != 0) {
        spec.it_value.tv_sec = static_cast<time_t>(when / 1000);
        spec.it_value.tv_nsec = static_cast<long>(when % 1000) * 1000000L;
    }
    timerfd_settime(timer, when != 0 ? TFD_TIMER_ABSTIME : 0, &spec, nullptr);
}

// The status of a request that was under way when the tty hung up (docs/serial.md).
constexpr DWORD kHungUpPending = STATUS_CANCELLED;

}  // namespace

// ---- open, close.
SerialDevice* SerialDevice::open(const std::string& path, DWORD flags, DWORD* error)
{
    int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *error = errno == EACCES || errno == EPERM ? ERROR_ACCESS_DENIED
                 : errno == EBUSY                  ? ERROR_ACCESS_DENIED
                                                   : ERROR_FILE_NOT_FOUND;
        return nullptr;
    }
    termios settings;
    if (!isatty(fd) || tcgetattr(fd, &settings) != 0) {  // a COM port is a tty
        ::close(fd);
        *error = ERROR_FILE_NOT_FOUND;
        return nullptr;
    }
    // One handle at a time, as Windows opens COM ports (in this process and in others
    // using this library).
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        *error = ERROR_ACCESS_DENIED;
        return nullptr;
    }
    // Binary, raw: what a Windows port always is. The line settings stay.
    settings.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF | IXANY);
    settings.c_oflag &= ~OPOST;
    settings.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    settings.c_cflag |= CREAD | CLOCAL;
    settings.c_cc[VMIN] = 1;
    settings.c_cc[VTIME] = 0;
    tcsetattr(fd, TCSANOW, &settings);

    int doorbell = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int event_epoll = epoll_create1(EPOLL_CLOEXEC);
    int ticker = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    int timers[2] = {timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC),
                     timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)};
    int epolls[2] = {epoll_create1(EPOLL_CLOEXEC), epoll_create1(EPOLL_CLOEXEC)};
    bool ok = doorbell >= 0 && event_epoll >= 0 && ticker >= 0 && timers[0] >= 0 && timers[1] >= 0 &&
              epolls[0] >= 0 && epolls[1] >= 0 && epoll_add(event_epoll, fd, EPOLLIN | EPOLLET) &&
              epoll_add(event_epoll, doorbell, EPOLLIN) && epoll_add(event_epoll, ticker, EPOLLIN) &&
              epoll_add(epolls[0], fd, EPOLLIN) && epoll_add(epolls[0], timers[0], EPOLLIN) &&
              epoll_add(epolls[1], fd, EPOLLOUT) && epoll_add(epolls[1], timers[1], EPOLLIN);
    if (!ok) {
        *error = win32_error_from_errno(errno);
        for (int descriptor : {fd, doorbell, event_epoll, ticker, timers[0], timers[1], epolls[0], epolls[1]})
            if (descriptor >= 0) ::close(descriptor);
        return nullptr;
    }
    // Arrivals before the open are not events.
    epoll_event drained[4];
    epoll_wait(event_epoll, drained, 4, 0);

    int sync_fd = (flags & FILE_FLAG_OVERLAPPED) ? -1 : ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);

    SerialDevice* device = kernel::Pool<SerialDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->reset_device();
    device->fd_ = fd;
    device->sync_fd_ = sync_fd;
    device->flags_ = flags;
    device->doorbell_ = doorbell;
    device->event_epoll_ = event_epoll;
    device->ticker_ = ticker;
    for (int i = 0; i < 2; ++i) {
        device->timer_[i] = timers[i];
        device->epoll_[i] = epolls[i];
    }
    device->hung_.store(false, std::memory_order_relaxed);
    device->closed_.store(false, std::memory_order_relaxed);
    device->mask_.store(0, std::memory_order_relaxed);
    DCB& dcb = device->dcb_;
    dcb = DCB{};
    dcb.DCBlength = sizeof(DCB);
    dcb.fBinary = 1;
    dcb.fDtrControl = DTR_CONTROL_ENABLE;
    dcb.fRtsControl = RTS_CONTROL_ENABLE;
    dcb.fTXContinueOnXoff = 1;
    dcb.XonLim = 2048;
    dcb.XoffLim = 512;
    dcb.XonChar = 0x11;
    dcb.XoffChar = 0x13;
    device->timeouts_ = COMMTIMEOUTS{};
    device->history_ = device->errors_ = 0;
    device->in_queue_ = kReceiveBuffer;
    device->out_queue_ = 0;
    device->wait_request_ = nullptr;
    device->wait_abort_ = false;
    device->sync_waiting_ = false;
    device->mask_generation_ = 0;
    device->tx_watch_ = false;
    device->ticking_ = false;
    device->counters_ok_ = false;
    device->counters_ok_ = device->sample_counters_locked();
    device->lock.unlock();
    return device;
}

void SerialDevice::last_handle_closed()
{
    closed_.store(true, std::memory_order_release);
    Device::last_handle_closed();  // cancels the requests in progress
    interrupt_blocked();
    ring();
    // The port is free at once for the next CreateFile, though the descriptor lives on
    // until the last request has let go of the device (and io_uring of the file).
    flock(fd_, LOCK_UN);
}

void SerialDevice::recycle()
{
    lock.lock();
    int descriptors[9] = {fd_, doorbell_, event_epoll_, ticker_, timer_[0], timer_[1], epoll_[0], epoll_[1], sync_fd_};
    fd_ = doorbell_ = event_epoll_ = ticker_ = sync_fd_ = -1;
    timer_[0] = timer_[1] = epoll_[0] = epoll_[1] = -1;
    unbind();
    lock.unlock();
    io::forget_device(this);
    for (int descriptor : descriptors)
        if (descriptor >= 0) ::close(descriptor);
    kernel::Pool<SerialDevice>::instance().release(this);
}

void SerialDevice::ring()
{
    uint64_t one = 1;
    if (doorbell_ >= 0) (void)!write(doorbell_, &one, sizeof one);
}

// ---- events.
bool SerialDevice::sample_counters_locked()
{
    serial_icounter_struct counts{};
    if (ioctl(fd_, TIOCGICOUNT, &counts) != 0) return false;
    Counters now{counts.cts,    counts.dsr,     counts.rng, counts.dcd,        counts.frame,
                 counts.overrun, counts.parity, counts.brk, counts.buf_overrun};
    if (counters_ok_) {
        DWORD mask = mask_.load(std::memory_order_relaxed), events = 0;
        if (now.cts != counters_.cts) events |= EV_CTS;
        if (now.dsr != counters_.dsr) events |= EV_DSR;
        if (now.dcd != counters_.dcd) events |= EV_RLSD;
        if (now.rng != counters_.rng) events |= EV_RING;
        if (now.brk != counters_.brk) {
            events |= EV_BREAK;
            errors_ |= CE_BREAK;
        }
        if (now.frame != counters_.frame) errors_ |= CE_FRAME;
        if (now.overrun != counters_.overrun) errors_ |= CE_OVERRUN;
        if (now.parity != counters_.parity) errors_ |= CE_RXPARITY;
        if (now.buf_overrun != counters_.buf_overrun) errors_ |= CE_RXOVER;
        if (now.frame != counters_.frame || now.overrun != counters_.overrun || now.parity != counters_.parity ||
            now.buf_overrun != counters_.buf_overrun)
            events |= EV_ERR;
        history_ |= events & mask;
    }
    counters_ = now;
    return true;
}

void SerialDevice::collect_locked()
{
    if (event_epoll_ < 0) return;
    DWORD mask = mask_.load(std::memory_order_relaxed);
    epoll_event events[4];
    int count = epoll_wait(event_epoll_, events, 4, 0);
    for (int i = 0; i < count; ++i) {
        int descriptor = events[i].data.fd;
        if (descriptor == fd_) {
            if (events[i].events & (EPOLLHUP | EPOLLERR)) hung_.store(true, std::memory_order_release);
            if ((events[i].events & EPOLLIN) && (mask & EV_RXCHAR)) {
                int queued = 0;  // an arrival (a hang-up also reads as EPOLLIN)
                if (ioctl(fd_, FIONREAD, &queued) == 0 && queued > 0) history_ |= EV_RXCHAR;
            }
        } else {
            uint64_t value;
            (void)!read(descriptor, &value, sizeof value);  // the doorbell or the ticker
        }
    }
    if (!hung_.load(std::memory_order_relaxed)) {
        pollfd entry{fd_, 0, 0};
        if (poll(&entry, 1, 0) == 1 && (entry.revents & (POLLHUP | POLLERR))) hung_.store(true, std::memory_order_release);
    }
    if (tx_watch_ && (mask & EV_TXEMPTY) && (lanes[1].busy == false)) {
        int queued = 0;
        if (ioctl(fd_, TIOCOUTQ, &queued) != 0 || queued == 0) {
            history_ |= EV_TXEMPTY;
            tx_watch_ = false;
        }
    }
    if (counters_ok_) sample_counters_locked();
}

void SerialDevice::wrote_some()
{
    if (!(mask_.load(std::memory_order_relaxed) & EV_TXEMPTY)) return;
    LockGuard guard(lock);
    tx_watch_ = true;
    if (wait_request_ != nullptr || sync_waiting_) ring();
}

// ---- transfers.
DWORD SerialDevice::prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan)
{
    SerialState* state = request->driver_state<SerialState>();
    *state = SerialState{};
    engine::Op* op = &request->op;
    op->kind = engine::OpKind::Stream;
    op->code = engine::OpCode::Poll;
    if (transfer.segments != nullptr) return ERROR_INVALID_PARAMETER;
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    uint64_t now = monotonic_ms();
    if (transfer.driver_request != nullptr) {  // WaitCommEvent
        state->kind = Kind::Wait;
        state->mask_out = static_cast<const WaitArguments*>(transfer.driver_request)->mask;
        DWORD mask = mask_.load(std::memory_order_relaxed);
        if (mask == 0 || wait_request_ != nullptr) return ERROR_INVALID_PARAMETER;
        collect_locked();
        if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
        if (history_ & mask) {
            state->finished = true;
            state->mask = history_ & mask;
            history_ &= ~state->mask;
            plan->done_now = true;
            plan->result = sizeof(DWORD);
            return ERROR_SUCCESS;
        }
        wait_request_ = request;
        op->descriptor = event_epoll_;
        op->flags = POLLIN;
        if ((counters_ok_ && (mask & kCounterEvents)) || (tx_watch_ && (mask & EV_TXEMPTY))) {
            itimerspec tick{};
            tick.it_interval.tv_nsec = tick.it_value.tv_nsec = kTickMs * 1000000L;
            timerfd_settime(ticker_, 0, &tick, nullptr);
            ticking_ = true;
        }
        return ERROR_SUCCESS;
    }
    state->kind = transfer.write ? Kind::Write : Kind::Read;
    state->buffer = static_cast<char*>(transfer.buffer);
    state->length = transfer.length;
    int direction = transfer.write ? 1 : 0;
    plan->lane = transfer.write ? io::Lane::Out : io::Lane::In;
    if (transfer.length == 0) {
        state->finished = true;
        plan->done_now = true;
        plan->result = 0;
        return ERROR_SUCCESS;
    }
    if (lanes[direction].busy) {
        // Behind another request of its direction: its clocks start when it starts. The
        // doorbell is always writable: the Poll ends as soon as the lane starts it.
        op->descriptor = doorbell_;
        op->flags = POLLOUT;
        return ERROR_SUCCESS;
    }
    // The lane's current request: start now, and try at once (the fast path).
    state->started = true;
    if (transfer.write) {
        uint64_t total = static_cast<uint64_t>(timeouts_.WriteTotalTimeoutMultiplier) * transfer.length +
                         timeouts_.WriteTotalTimeoutConstant;
        state->write_deadline = total != 0 ? now + total : 0;
    } else {
        state->clock = serial_read_start(timeouts_, transfer.length, now);
    }
    op->descriptor = fd_;
    op->flags = transfer.write ? POLLOUT : POLLIN;
    // The first attempt happens in step(), called at once for a plan done now: here we
    // only ask the I/O manager to run the step without the engine.
    plan->done_now = true;
    plan->result = 0;
    return ERROR_SUCCESS;
}

io::Next SerialDevice::step(io::Request* request, io::Outcome* outcome)
{
    SerialState* state = request->driver_state<SerialState>();
    if (state->kind == Kind::Wait) return wait_step(request, outcome);
    return transfer_step(request, outcome);
}

io::Next SerialDevice::transfer_step(io::Request* request, io::Outcome* outcome)
{
    SerialState* state = request->driver_state<SerialState>();
    engine::Op* op = &request->op;
    bool write = state->kind == Kind::Write;
    int direction = write ? 1 : 0;
    outcome->bytes = state->done;
    if (state->finished) {
        outcome->status = STATUS_SUCCESS;
        return io::Next::Done;
    }
    // The end, whether the request ran in an engine or was cancelled while it waited in
    // its lane (then it was never started, and the I/O manager delivers it with
    // -ECANCELED: it must not do its transfer now). The first step of a plan done now
    // comes with 0.
    if (op->result < 0) {
        outcome->status = op->result == -ECANCELED ? STATUS_CANCELLED : io::status_from_errno(-op->result);
        return io::Next::Done;
    }
    uint64_t now = monotonic_ms();
    if (!state->started) {  // the lane just started it
        state->started = true;
        if (write) {
            uint64_t total = 0;
            {
                LockGuard guard(lock);
                total = static_cast<uint64_t>(timeouts_.WriteTotalTimeoutMultiplier) * state->length +
                        timeouts_.WriteTotalTimeoutConstant;
            }
            state->write_deadline = total != 0 ? now + total : 0;
        } else {
            COMMTIMEOUTS timeouts;
            {
                LockGuard guard(lock);
                timeouts = timeouts_;
            }
            state->clock = serial_read_start(timeouts, state->length, now);
        }
    }
    // Move what can be moved now.
    bool hung = false;
    DWORD before = state->done;
    while (state->done < state->length) {
        ssize_t moved = write ? ::write(fd_, state->buffer + state->done, state->length - state->done)
                              : ::read(fd_, state->buffer + state->done, state->length - state->done);
        if (moved > 0) {
            state->done += static_cast<DWORD>(moved);
            continue;
        }
        if (moved < 0 && errno == EINTR) continue;
        if (moved < 0 && errno == EAGAIN) break;
        hung = true;  // 0 (a tty's end of file) or EIO: the other end hung up
        break;
    }
    outcome->bytes = state->done;
    if (state->done != before) {
        if (write) wrote_some();
        else state->clock.last_data = now;
    }
    if (hung) {
        hung_.store(true, std::memory_order_release);
        ring();
        outcome->status = state->done > 0 && !write ? STATUS_SUCCESS : kHungUpPending;
        return io::Next::Done;
    }
    uint64_t wake = 0;
    bool over = write ? state->done >= state->length || (state->write_deadline != 0 && now >= state->write_deadline)
                      : serial_read_decide(state->clock, state->done, state->length, now, &wake);
    if (write && !over) wake = state->write_deadline;
    if (over) {
        // A time-out ends the request successfully with fewer bytes (docs/serial.md).
        outcome->status = STATUS_SUCCESS;
        return io::Next::Done;
    }
    if (request->cancel_requested) {
        outcome->status = STATUS_CANCELLED;
        return io::Next::Done;
    }
    op->code = engine::OpCode::Poll;
    op->kind = engine::OpKind::Stream;
    if (wake != 0) {
        arm_timer(timer_[direction], wake);
        op->descriptor = epoll_[direction];
        op->flags = POLLIN;
    } else {
        op->descriptor = fd_;
        op->flags = write ? POLLOUT : POLLIN;
    }
    return io::Next::Engine;
}

io::Next SerialDevice::wait_step(io::Request* request, io::Outcome* outcome)
{
    SerialState* state = request->driver_state<SerialState>();
    engine::Op* op = &request->op;
    outcome->bytes = 0;
    LockGuard guard(lock);
    if (wait_request_ == request) wait_request_ = nullptr;
    auto stop_ticking = [&] {
        if (ticking_) {
            arm_timer(ticker_, 0);
            ticking_ = false;
        }
    };
    if (state->finished) {
        *state->mask_out = state->mask;
        outcome->status = STATUS_SUCCESS;
        outcome->bytes = sizeof(DWORD);
        return io::Next::Done;
    }
    if (op->result < 0) {
        stop_ticking();
        wait_abort_ = false;
        outcome->status = op->result == -ECANCELED ? STATUS_CANCELLED : io::status_from_errno(-op->result);
        return io::Next::Done;
    }
    if (wait_abort_) {  // SetCommMask: the wait ends with no event
        wait_abort_ = false;
        stop_ticking();
        collect_locked();
        *state->mask_out = 0;
        outcome->status = STATUS_SUCCESS;
        outcome->bytes = sizeof(DWORD);
        return io::Next::Done;
    }
    collect_locked();
    if (hung_.load(std::memory_order_acquire)) {
        stop_ticking();
        outcome->status = kHungUpPending;
        return io::Next::Done;
    }
    DWORD got = history_ & mask_.load(std::memory_order_relaxed);
    if (got != 0) {
        history_ &= ~got;
        stop_ticking();
        *state->mask_out = got;
        outcome->status = STATUS_SUCCESS;
        outcome->bytes = sizeof(DWORD);
        return io::Next::Done;
    }
    if (request->cancel_requested) {
        stop_ticking();
        outcome->status = STATUS_CANCELLED;
        return io::Next::Done;
    }
    wait_request_ = request;
    op->code = engine::OpCode::Poll;
    op->kind = engine::OpKind::Stream;
    op->descriptor = event_epoll_;
    op->flags = POLLIN;
    return io::Next::Engine;
}

DWORD SerialDevice::transfer_sync(const io::Transfer& transfer, bool, DWORD* done)
{
    *done = 0;
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    if (transfer.length == 0) return ERROR_SUCCESS;
    kernel::ThreadState* self = kernel::current_thread();
    bool write = transfer.write;
    uint64_t now = 0;
    SerialReadClock clock;
    uint64_t write_deadline = 0;
    bool timed;  // any time-out at all (else the clock is never read)
    {
        LockGuard guard(lock);
        timed = write ? (timeouts_.WriteTotalTimeoutMultiplier | timeouts_.WriteTotalTimeoutConstant) != 0
                      : (timeouts_.ReadIntervalTimeout | timeouts_.ReadTotalTimeoutMultiplier |
                         timeouts_.ReadTotalTimeoutConstant) != 0;
        if (timed) now = monotonic_ms();
        if (write) {
            uint64_t total = static_cast<uint64_t>(timeouts_.WriteTotalTimeoutMultiplier) * transfer.length +
                             timeouts_.WriteTotalTimeoutConstant;
            write_deadline = total != 0 ? now + total : 0;
        } else {
            clock = serial_read_start(timeouts_, transfer.length, now);
        }
    }
    char* buffer = static_cast<char*>(transfer.buffer);
    DWORD error = ERROR_SUCCESS;
    bool entered = false;
    // Counts this thread as blocked in a call on the port (so that a close interrupts it);
    // false if the port's last handle is already closed.
    auto enter = [&] {
        ++self->wait_epoch;
        LockGuard guard(lock);
        if (handle_count == 0) return false;
        blocked_enter(self);
        entered = true;
        return true;
    };
    // With no deadline, the blocking descriptor waits in the kernel: one system call a
    // transfer, as a plain read() or write(); otherwise non-blocking tries and poll.
    bool blocking = sync_fd_ >= 0 && (write ? write_deadline == 0
                                            : clock.mode == SerialReadClock::Normal && clock.total_deadline == 0);
    for (;;) {
        bool hung = false;
        DWORD before = *done;
        if (blocking && !write && clock.interval != 0 && *done > 0) blocking = false;  // the gaps count now
        if (blocking && !entered && !enter()) return ERROR_OPERATION_ABORTED;
        int descriptor = blocking ? sync_fd_ : fd_;
        while (*done < transfer.length) {
            ssize_t moved = write ? ::write(descriptor, buffer + *done, transfer.length - *done)
                                  : ::read(descriptor, buffer + *done, transfer.length - *done);
            if (moved > 0) {
                *done += static_cast<DWORD>(moved);
                if (blocking && !write && clock.interval != 0) break;  // from now on the gaps count
                continue;
            }
            if (moved < 0 && errno == EINTR) {
                if (blocking && (io::sync_io_cancelled() || closed_.load(std::memory_order_acquire))) break;
                continue;
            }
            if (moved < 0 && errno == EAGAIN) break;
            hung = true;
            break;
        }
        if (blocking && (io::sync_io_cancelled() || closed_.load(std::memory_order_acquire)) && *done < transfer.length) {
            error = ERROR_OPERATION_ABORTED;
            break;
        }
        if (timed) now = monotonic_ms();
        if (*done != before) {
            if (write) wrote_some();
            else clock.last_data = now;
        }
        if (hung) {
            hung_.store(true, std::memory_order_release);
            ring();
            if (*done == 0 || write) error = entered ? ERROR_OPERATION_ABORTED : ERROR_BAD_COMMAND;
            break;
        }
        uint64_t wake = 0;
        bool over = write ? *done >= transfer.length || (write_deadline != 0 && now >= write_deadline)
                          : serial_read_decide(clock, *done, transfer.length, now, &wake);
        if (write && !over) wake = write_deadline;
        if (over) break;
        int timeout = -1;
        if (wake != 0) timeout = static_cast<int>(std::min<uint64_t>(wake > now ? wake - now : 0, 1u << 30));
        if (!entered && !enter()) return ERROR_OPERATION_ABORTED;
        pollfd entry{fd_, static_cast<short>(write ? POLLOUT : POLLIN), 0};
        int ready = poll(&entry, 1, timeout);
        if (ready < 0 && errno == EINTR && io::sync_io_cancelled()) {
            error = ERROR_OPERATION_ABORTED;
            break;
        }
    }
    if (entered) {
        LockGuard guard(lock);
        blocked_leave(self);
    }
    return error;
}

// ---- the Win32 calls.
DWORD SerialDevice::get_state(DCB* dcb)
{
    LockGuard guard(lock);
    *dcb = dcb_;
    dcb->DCBlength = sizeof(DCB);
    termios settings;
    if (tcgetattr(fd_, &settings) != 0) return hung_ ? ERROR_BAD_COMMAND : win32_error_from_errno(errno);
    // The rate as set (what Windows reports too) unless the tty runs at another.
    DWORD baud = tty_baud(fd_, settings);
    if (baud != 0 && !(dcb_.BaudRate != 0 && baud_close_enough(dcb_.BaudRate, baud))) dcb->BaudRate = baud;
    switch (settings.c_cflag & CSIZE) {
    case CS5: dcb->ByteSize = 5; break;
    case CS6: dcb->ByteSize = 6; break;
    case CS7: dcb->ByteSize = 7; break;
    default: dcb->ByteSize = 8; break;
    }
    if (!(settings.c_cflag & PARENB)) dcb->Parity = NOPARITY;
    else if (settings.c_cflag & CMSPAR) dcb->Parity = (settings.c_cflag & PARODD) ? MARKPARITY : SPACEPARITY;
    else dcb->Parity = (settings.c_cflag & PARODD) ? ODDPARITY : EVENPARITY;
    dcb->StopBits = !(settings.c_cflag & CSTOPB) ? ONESTOPBIT : dcb->ByteSize == 5 ? ONE5STOPBITS : TWOSTOPBITS;
    dcb->fOutX = (settings.c_iflag & IXON) != 0;
    dcb->fInX = (settings.c_iflag & IXOFF) != 0;
    dcb->fParity = (settings.c_iflag & INPCK) != 0;
    dcb->XonChar = static_cast<char>(settings.c_cc[VSTART]);
    dcb->XoffChar = static_cast<char>(settings.c_cc[VSTOP]);
    bool rtscts = (settings.c_cflag & CRTSCTS) != 0;
    if (!rtscts) {
        dcb->fOutxCtsFlow = 0;
        if (dcb->fRtsControl == RTS_CONTROL_HANDSHAKE) dcb->fRtsControl = RTS_CONTROL_ENABLE;
    } else if (!dcb->fOutxCtsFlow && dcb->fRtsControl != RTS_CONTROL_HANDSHAKE) {
        dcb->fOutxCtsFlow = 1;
        dcb->fRtsControl = RTS_CONTROL_HANDSHAKE;
    }
    return ERROR_SUCCESS;
}

DWORD SerialDevice::set_state(const DCB& dcb)
{
    // What Windows refuses (serial.sys), then what a Linux tty cannot do.
    if (dcb.ByteSize < 5 || dcb.ByteSize > 8 || dcb.Parity > SPACEPARITY || dcb.StopBits > TWOSTOPBITS)
        return ERROR_INVALID_PARAMETER;
    if ((dcb.StopBits == ONE5STOPBITS && dcb.ByteSize != 5) || (dcb.StopBits == TWOSTOPBITS && dcb.ByteSize == 5))
        return ERROR_INVALID_PARAMETER;
    if ((dcb.fOutX || dcb.fInX) && dcb.XonChar == dcb.XoffChar) return ERROR_INVALID_PARAMETER;
    // Any positive rate (serial.sys takes the baud as a LONG and refuses <= 0): a standard
    // one by its Bnnn code, others as a number (BOTHER), if the tty runs within 1% of it.
    if (dcb.BaudRate == 0 || dcb.BaudRate > 0x7fffffffu) return ERROR_INVALID_PARAMETER;
    speed_t speed = 0;
    bool standard = speed_code(dcb.BaudRate, &speed);
    if (dcb.fOutxDsrFlow || dcb.fDtrControl == DTR_CONTROL_HANDSHAKE || dcb.fDsrSensitivity ||
        dcb.fRtsControl == RTS_CONTROL_TOGGLE || dcb.fNull || dcb.fErrorChar)
        return ERROR_INVALID_PARAMETER;

    LockGuard guard(lock);
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    // The flow-control limits must fit the receive buffer (serial.sys,
    // IOCTL_SERIAL_SET_HANDFLOW: XonLimit or XoffLimit above its buffer size is refused).
    if (dcb.XonLim > in_queue_ || dcb.XoffLim > in_queue_) return ERROR_INVALID_PARAMETER;
    termios old_settings, settings;
    if (tcgetattr(fd_, &old_settings) != 0) return win32_error_from_errno(errno);
    KernelTermios2 old_speed;  // the old settings with their speed as a number
    if (ioctl(fd_, kGetTermios2, &old_speed) != 0) return win32_error_from_errno(errno);
    auto restore = [&] { ioctl(fd_, kSetTermios2, &old_speed); };
    settings = old_settings;
    if (standard) {
        cfsetispeed(&settings, speed);
        cfsetospeed(&settings, speed);
    }
    static const tcflag_t sizes[] = {CS5, CS6, CS7, CS8};
    settings.c_cflag = (settings.c_cflag & ~(CSIZE | PARENB | PARODD | CMSPAR | CSTOPB | CRTSCTS)) |
                       sizes[dcb.ByteSize - 5] | CREAD | CLOCAL;
    switch (dcb.Parity) {
    case ODDPARITY: settings.c_cflag |= PARENB | PARODD; break;
    case EVENPARITY: settings.c_cflag |= PARENB; break;
    case MARKPARITY: settings.c_cflag |= PARENB | CMSPAR | PARODD; break;
    case SPACEPARITY: settings.c_cflag |= PARENB | CMSPAR; break;
    default: break;
    }
    if (dcb.StopBits != ONESTOPBIT) settings.c_cflag |= CSTOPB;
    if (dcb.fOutxCtsFlow || dcb.fRtsControl == RTS_CONTROL_HANDSHAKE) settings.c_cflag |= CRTSCTS;
    settings.c_iflag &= ~(IXON | IXOFF | IXANY | INPCK);
    if (dcb.fOutX) settings.c_iflag |= IXON;
    if (dcb.fInX) settings.c_iflag |= IXOFF;
    if (dcb.fParity) settings.c_iflag |= INPCK;
    settings.c_cc[VSTART] = static_cast<cc_t>(dcb.XonChar);
    settings.c_cc[VSTOP] = static_cast<cc_t>(dcb.XoffChar);
    if (tcsetattr(fd_, TCSANOW, &settings) != 0) {
        restore();
        return ERROR_INVALID_PARAMETER;
    }
    if (!standard) {
        KernelTermios2 other;
        bool set = ioctl(fd_, kGetTermios2, &other) == 0;
        if (set) {
            other.c_cflag &= ~(kBaudBits | (kBaudBits << kInputBaudShift));
            other.c_cflag |= kBaudOther;
            other.c_ispeed = other.c_ospeed = dcb.BaudRate;
            set = ioctl(fd_, kSetTermios2, &other) == 0;
        }
        if (!set) {
            restore();
            return ERROR_INVALID_PARAMETER;
        }
    }
    // tcsetattr succeeds if any change took: check that all did.
    termios now;
    tcflag_t checked = CSIZE | PARENB | PARODD | CMSPAR | CSTOPB | CRTSCTS;
    bool took = tcgetattr(fd_, &now) == 0 && (now.c_cflag & checked) == (settings.c_cflag & checked) &&
                (standard ? cfgetospeed(&now) == speed : baud_close_enough(dcb.BaudRate, tty_baud(fd_, now)));
    if (!took) {
        restore();
        return ERROR_INVALID_PARAMETER;
    }
    // The modem lines the DCB asks for, where the tty has them (not a pty).
    int dtr = TIOCM_DTR, rts = TIOCM_RTS;
    ioctl(fd_, dcb.fDtrControl == DTR_CONTROL_ENABLE ? TIOCMBIS : TIOCMBIC, &dtr);
    if (dcb.fRtsControl != RTS_CONTROL_HANDSHAKE) ioctl(fd_, dcb.fRtsControl == RTS_CONTROL_ENABLE ? TIOCMBIS : TIOCMBIC, &rts);
    dcb_ = dcb;
    dcb_.DCBlength = sizeof(DCB);
    dcb_.fBinary = 1;  // Windows supports binary mode only
    return ERROR_SUCCESS;
}

DWORD SerialDevice::get_timeouts(COMMTIMEOUTS* timeouts)
{
    LockGuard guard(lock);
    *timeouts = timeouts_;
    return ERROR_SUCCESS;
}

DWORD SerialDevice::set_timeouts(const COMMTIMEOUTS& timeouts)
{
    if (!serial_timeouts_valid(timeouts)) return ERROR_INVALID_PARAMETER;
    LockGuard guard(lock);
    timeouts_ = timeouts;
    return ERROR_SUCCESS;
}

DWORD SerialDevice::get_mask(DWORD* mask)
{
    *mask = mask_.load(std::memory_order_relaxed);
    return ERROR_SUCCESS;
}

DWORD SerialDevice::set_mask(DWORD mask)
{
    if (mask & ~kValidEvents) return ERROR_INVALID_PARAMETER;
    LockGuard guard(lock);
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    collect_locked();  // what came before the new mask is not an event of it
    mask_.store(mask, std::memory_order_relaxed);
    history_ = 0;
    tx_watch_ = false;
    ++mask_generation_;
    if (wait_request_ != nullptr) wait_abort_ = true;  // the pending wait ends with 0
    if (wait_request_ != nullptr || sync_waiting_) ring();
    return ERROR_SUCCESS;
}

DWORD SerialDevice::wait_event_sync(DWORD* mask)
{
    kernel::ThreadState* self = kernel::current_thread();
    ++self->wait_epoch;
    LockGuard guard(lock);
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    DWORD wanted = mask_.load(std::memory_order_relaxed);
    if (wanted == 0 || sync_waiting_) return ERROR_INVALID_PARAMETER;
    sync_waiting_ = true;
    blocked_enter(self);
    uint32_t generation = mask_generation_;
    DWORD error = ERROR_SUCCESS;
    for (;;) {
        if (generation != mask_generation_) {
            *mask = 0;
            break;
        }
        collect_locked();
        if (hung_.load(std::memory_order_acquire)) {
            error = ERROR_OPERATION_ABORTED;
            break;
        }
        DWORD got = history_ & wanted;
        if (got != 0) {
            history_ &= ~got;
            *mask = got;
            break;
        }
        if (handle_count == 0) {
            error = ERROR_OPERATION_ABORTED;
            break;
        }
        bool sample = (counters_ok_ && (wanted & kCounterEvents)) || (tx_watch_ && (wanted & EV_TXEMPTY));
        int epoll = event_epoll_;
        lock.unlock();
        pollfd entry{epoll, POLLIN, 0};
        int ready = poll(&entry, 1, sample ? static_cast<int>(kTickMs) : -1);
        int failure = errno;
        lock.lock();
        if (ready < 0 && failure == EINTR && io::sync_io_cancelled()) {
            error = ERROR_OPERATION_ABORTED;
            break;
        }
    }
    sync_waiting_ = false;
    blocked_leave(self);
    return error;
}

DWORD SerialDevice::clear_error(DWORD* errors, COMSTAT* status)
{
    LockGuard guard(lock);
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    if (counters_ok_) sample_counters_locked();
    if (errors != nullptr) *errors = errors_;
    errors_ = 0;
    if (status != nullptr) {
        *status = COMSTAT{};
        int in = 0, out = 0;
        if (ioctl(fd_, FIONREAD, &in) != 0) in = 0;
        if (ioctl(fd_, TIOCOUTQ, &out) != 0) out = 0;
        DWORD pending = 0;  // bytes of writes not yet handed to the tty
        for (io::Request* request = requests; request != nullptr; request = request->next) {
            SerialState* state = request->driver_state<SerialState>();
            if (state->kind == Kind::Write) pending += state->length - state->done;
        }
        status->cbInQue = static_cast<DWORD>(in);
        status->cbOutQue = static_cast<DWORD>(out) + pending;
    }
    return ERROR_SUCCESS;
}

DWORD SerialDevice::purge(DWORD flags)
{
    constexpr DWORD kAll = PURGE_TXABORT | PURGE_RXABORT | PURGE_TXCLEAR | PURGE_RXCLEAR;
    if (flags == 0 || (flags & ~kAll)) return ERROR_INVALID_PARAMETER;
    LockGuard guard(lock);
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    // Cancelled here, under the lock: collected OVERLAPPED pointers cancelled later could
    // name a request that completed meanwhile, its OVERLAPPED reused for a new one.
    for (io::Request* request = requests; request != nullptr; request = request->next) {
        SerialState* state = request->driver_state<SerialState>();
        if ((state->kind == Kind::Read && (flags & PURGE_RXABORT)) || (state->kind == Kind::Write && (flags & PURGE_TXABORT)))
            io::cancel_locked(request);
    }
    if (flags & PURGE_RXCLEAR) tcflush(fd_, TCIFLUSH);
    if (flags & PURGE_TXCLEAR) tcflush(fd_, TCOFLUSH);
    return ERROR_SUCCESS;
}

DWORD SerialDevice::escape(DWORD function)
{
    LockGuard guard(lock);
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    int line = 0;
    unsigned long request = 0;
    switch (function) {
    case SETDTR: line = TIOCM_DTR; request = TIOCMBIS; break;
    case CLRDTR: line = TIOCM_DTR; request = TIOCMBIC; break;
    case SETRTS: line = TIOCM_RTS; request = TIOCMBIS; break;
    case CLRRTS: line = TIOCM_RTS; request = TIOCMBIC; break;
    case SETBREAK: return ioctl(fd_, TIOCSBRK, 0) == 0 ? ERROR_SUCCESS : ERROR_NOT_SUPPORTED;
    case CLRBREAK: return ioctl(fd_, TIOCCBRK, 0) == 0 ? ERROR_SUCCESS : ERROR_NOT_SUPPORTED;
    case SETXOFF: return tcflow(fd_, TCOOFF) == 0 ? ERROR_SUCCESS : ERROR_NOT_SUPPORTED;
    case SETXON: return tcflow(fd_, TCOON) == 0 ? ERROR_SUCCESS : ERROR_NOT_SUPPORTED;
    case RESETDEV: return ERROR_SUCCESS;  // a printer's; nothing to do on a serial port
    default: return ERROR_INVALID_PARAMETER;
    }
    // A tty without modem lines (a pty) says so: ERROR_NOT_SUPPORTED, not a pretence.
    if (ioctl(fd_, request, &line) != 0) return errno == ENOTTY || errno == EINVAL ? ERROR_NOT_SUPPORTED : win32_error_from_errno(errno);
    return ERROR_SUCCESS;
}

DWORD SerialDevice::modem_status(DWORD* status)
{
    LockGuard guard(lock);
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    int lines = 0;
    if (ioctl(fd_, TIOCMGET, &lines) != 0)
        return errno == ENOTTY || errno == EINVAL ? ERROR_NOT_SUPPORTED : win32_error_from_errno(errno);
    *status = ((lines & TIOCM_CTS) ? MS_CTS_ON : 0) | ((lines & TIOCM_DSR) ? MS_DSR_ON : 0) |
              ((lines & TIOCM_RNG) ? MS_RING_ON : 0) | ((lines & TIOCM_CAR) ? MS_RLSD_ON : 0);
    return ERROR_SUCCESS;
}

DWORD SerialDevice::setup(DWORD in_queue, DWORD out_queue)
{
    LockGuard guard(lock);
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    // The tty's queues are the kernel's own size; the request is remembered and reported.
    // The receive buffer only grows, as serial.sys's (IOCTL_SERIAL_SET_QUEUE_SIZE keeps a
    // buffer at least as large as asked for).
    in_queue_ = std::max(in_queue_, in_queue);
    out_queue_ = out_queue;
    return ERROR_SUCCESS;
}

DWORD SerialDevice::transmit_char(char c)
{
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    for (;;) {
        ssize_t sent = ::write(fd_, &c, 1);
        if (sent == 1) {
            wrote_some();
            return ERROR_SUCCESS;
        }
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && errno == EAGAIN) {
            pollfd entry{fd_, POLLOUT, 0};
            if (poll(&entry, 1, 1000) == 0) return ERROR_SEM_TIMEOUT;
            continue;
        }
        hung_.store(true, std::memory_order_release);
        return ERROR_BAD_COMMAND;
    }
}

DWORD SerialDevice::properties(COMMPROP* properties)
{
    LockGuard guard(lock);
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    int lines = 0;
    bool modem = ioctl(fd_, TIOCMGET, &lines) == 0;  // a pty has no modem lines
    *properties = COMMPROP{};
    properties->wPacketLength = sizeof(COMMPROP);
    properties->wPacketVersion = 2;
    properties->dwServiceMask = SP_SERIALCOMM;
    properties->dwMaxTxQueue = 0;  // no fixed maximum
    properties->dwMaxRxQueue = 0;
    properties->dwMaxBaud = BAUD_USER;
    properties->dwProvSubType = PST_RS232;
    properties->dwProvCapabilities = PCF_PARITY_CHECK | PCF_XONXOFF | PCF_SETXCHAR | PCF_TOTALTIMEOUTS |
                                     PCF_INTTIMEOUTS | PCF_SPECIALCHARS | (modem ? PCF_RTSCTS | PCF_RLSD : 0);
    properties->dwSettableParams = SP_PARITY | SP_BAUD | SP_DATABITS | SP_STOPBITS | SP_PARITY_CHECK |
                                   (modem ? SP_HANDSHAKING | SP_RLSD : 0);
    properties->dwSettableBaud = BAUD_075 | BAUD_110 | BAUD_134_5 | BAUD_150 | BAUD_300 | BAUD_600 | BAUD_1200 |
                                 BAUD_1800 | BAUD_2400 | BAUD_4800 | BAUD_7200 | BAUD_9600 | BAUD_14400 |
                                 BAUD_19200 | BAUD_38400 | BAUD_56K | BAUD_57600 | BAUD_115200 | BAUD_128K |
                                 BAUD_USER;
    properties->wSettableData = DATABITS_5 | DATABITS_6 | DATABITS_7 | DATABITS_8;
    properties->wSettableStopParity = STOPBITS_10 | STOPBITS_15 | STOPBITS_20 | PARITY_NONE | PARITY_ODD |
                                      PARITY_EVEN | PARITY_MARK | PARITY_SPACE;
    properties->dwCurrentTxQueue = out_queue_;
    properties->dwCurrentRxQueue = in_queue_;
    return ERROR_SUCCESS;
}

DWORD SerialDevice::flush()
{
    if (hung_.load(std::memory_order_acquire)) return ERROR_BAD_COMMAND;
    // Until the bytes handed to the tty are out (what Windows' FlushFileBuffers waits for).
    for (;;) {
        if (tcdrain(fd_) == 0) return ERROR_SUCCESS;
        if (errno == EINTR) {
            if (io::sync_io_cancelled()) return ERROR_OPERATION_ABORTED;
            continue;
        }
        return errno == EIO ? ERROR_BAD_COMMAND : win32_error_from_errno(errno);
    }
}

}  // namespace overlapped::drivers
