// serial.h: the serial-port driver: COMn on a Linux tty (a UART, a USB adapter, a
// pseudo-terminal), with Windows' DCB, COMMTIMEOUTS, event mask and queues.
//
// The tty is opened non-blocking and put in raw mode (Windows' ports are always binary).
// Reads run one at a time (Lane::In) and writes one at a time (Lane::Out). A read waits
// (an engine Poll) on the tty, or, when COMMTIMEOUTS gives it a deadline, on an epoll
// instance holding the tty and a timerfd of the port's read direction, armed when the
// read becomes the current one (a read queued behind another starts its clocks when it
// starts, as serial.sys does); each wake-up reads what is there and decides by Windows'
// rules (serial_read_decide) whether the read is over. Writes likewise, with the write
// time-outs. WaitCommEvent waits on a second epoll instance holding the tty edge-
// triggered (each arrival is one EV_RXCHAR, also while nobody waits: the history
// Windows keeps between SetCommMask and WaitCommEvent), an eventfd (the doorbell that
// SetCommMask and completed writes ring) and, on a port whose driver counts modem-line
// changes and line errors (TIOCGICOUNT: real UARTs and most USB adapters, never a pty),
// a 10 ms ticker that samples those counters.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include <windows.h>

#include "io/device.h"

namespace overlapped::drivers {

// Windows' read time-out rules (COMMTIMEOUTS; docs/research/windows-serial.md): the
// clocks of one read, from its start.
struct SerialReadClock {
    enum Mode : uint8_t { Normal, Immediate, FirstByte } mode = Normal;
    uint64_t total_deadline = 0;  // monotonic ms; 0: none
    uint64_t interval = 0;        // ms between bytes; 0: none
    uint64_t last_data = 0;       // when bytes last arrived
};
SerialReadClock serial_read_start(const COMMTIMEOUTS& timeouts, DWORD length, uint64_t now);
// Whether a read with `done` of `length` bytes is over at `now`; if not, *wake is when
// to look again (0: only when data comes).
bool serial_read_decide(const SerialReadClock& clock, DWORD done, DWORD length, uint64_t now, uint64_t* wake);
// Whether SetCommTimeouts accepts `timeouts` (all three read values MAXDWORD is refused).
bool serial_timeouts_valid(const COMMTIMEOUTS& timeouts);

// BuildCommDCB(AndTimeouts): parses `text` (UTF-8) into *dcb and, if given, *timeouts;
// false leaves both unchanged.
bool serial_build_dcb(const std::string& text, DCB* dcb, COMMTIMEOUTS* timeouts);

class SerialDevice final : public io::Device {
public:
    SerialDevice() : Device(kernel::ObjectType::Serial) {}

    // Opens the tty at `path` for the port; one reference, or null with *error
    // (ERROR_FILE_NOT_FOUND: no such device or not a tty; ERROR_ACCESS_DENIED: in use by
    // another handle, or no permission).
    static SerialDevice* open(const std::string& path, DWORD flags, DWORD* error);

    bool overlapped_io() const override { return (flags_ & FILE_FLAG_OVERLAPPED) != 0; }
    DWORD prepare(const io::Transfer& transfer, io::Request* request, io::Plan* plan) override;
    io::Next step(io::Request* request, io::Outcome* outcome) override;
    DWORD transfer_sync(const io::Transfer& transfer, bool at_offset, DWORD* done) override;
    void last_handle_closed() override;

    // The Win32 calls (src/win32/comm.cpp); each returns ERROR_SUCCESS or the error.
    DWORD get_state(DCB* dcb);
    DWORD set_state(const DCB& dcb);
    DWORD get_timeouts(COMMTIMEOUTS* timeouts);
    DWORD set_timeouts(const COMMTIMEOUTS& timeouts);
    DWORD get_mask(DWORD* mask);
    DWORD set_mask(DWORD mask);
    // WaitCommEvent on a handle without FILE_FLAG_OVERLAPPED: waits here.
    DWORD wait_event_sync(DWORD* mask);
    DWORD clear_error(DWORD* errors, COMSTAT* status);
    // PurgeComm: the requests to cancel are returned in `cancel` (overlapped pointers,
    // cancelled by the caller without the lock).
    DWORD purge(DWORD flags);
    DWORD escape(DWORD function);
    DWORD modem_status(DWORD* status);
    DWORD setup(DWORD in_queue, DWORD out_queue);
    DWORD transmit_char(char c);
    DWORD properties(COMMPROP* properties);
    DWORD flush();

private:
    void recycle() override;
    // Under `lock`: gathers what happened since the last look (arrivals, hang-up, line
    // errors and modem changes) into history_ and errors_.
    void collect_locked();
    // Under `lock`: samples TIOCGICOUNT; false if the tty has no counters.
    bool sample_counters_locked();
    void ring();
    // A transfer's step: tries the transfer, decides, re-arms. Without `lock`.
    io::Next transfer_step(io::Request* request, io::Outcome* outcome);
    io::Next wait_step(io::Request* request, io::Outcome* outcome);
    // After bytes went out: EV_TXEMPTY's watch.
    void wrote_some();

    int fd_ = -1;
    // A handle without FILE_FLAG_OVERLAPPED also has a blocking descriptor of the tty
    // (its own open file description): a read or write with no deadline waits in the
    // kernel in one system call, as a plain read() does (-1: none).
    int sync_fd_ = -1;
    DWORD flags_ = 0;
    int doorbell_ = -1;   // eventfd: SetCommMask, writes, close
    int event_epoll_ = -1;  // tty (edge-triggered), doorbell, ticker
    int ticker_ = -1;       // timerfd, 10 ms, while a wait needs sampling
    int timer_[2] = {-1, -1};  // the read and the write direction's timerfd
    int epoll_[2] = {-1, -1};  // tty + that timerfd
    std::atomic<bool> hung_{false};
    std::atomic<bool> closed_{false};  // the last handle is closed
    std::atomic<DWORD> mask_{0};
    // Under `lock`:
    DCB dcb_{};
    COMMTIMEOUTS timeouts_{};
    DWORD history_ = 0;
    DWORD errors_ = 0;
    DWORD in_queue_ = 0, out_queue_ = 0;  // the receive buffer's size (4096, or SetupComm's if larger); SetupComm's output size
    io::Request* wait_request_ = nullptr;
    bool wait_abort_ = false;     // SetCommMask ended the pending wait
    bool sync_waiting_ = false;   // a WaitCommEvent waits in a thread (no OVERLAPPED)
    uint32_t mask_generation_ = 0;
    bool tx_watch_ = false;       // bytes went out since the last EV_TXEMPTY
    bool counters_ok_ = false;    // TIOCGICOUNT works
    bool ticking_ = false;
    struct Counters {
        int cts, dsr, rng, dcd, frame, overrun, parity, brk, buf_overrun;
    } counters_{};
};

}  // namespace overlapped::drivers
