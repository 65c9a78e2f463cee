// console.cpp: the console driver (console.h): terminal descriptors as the console's input
// buffer and screen buffers; the shared input buffer, the key-event parser, the waitable
// input handle, and console modes as terminal settings.
#include "drivers/console.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

#include "common/errors.h"
#include "common/user_memory.h"
#include "common/utf8.h"
#include "drivers/console_screen.h"
#include "drivers/inherit.h"
#include "io/request.h"
#include "kernel/thread_state.h"

namespace overlapped::drivers {

namespace {

// ---- The input buffer: one per process, shared by every input handle ----------------------

struct InputBuffer {
    std::mutex mutex;
    std::string bytes;                 // read from a terminal, not yet consumed
    std::deque<INPUT_RECORD> records;  // key events parsed from earlier bytes, in order
    // The '\r' of a line end's "\r\n" went to the caller and its '\n' did not (the
    // caller's buffer was full): the '\n' at the front of `bytes` is not expanded again.
    bool newline_half_done = false;
    // The low half of a surrogate pair whose high half filled a one-unit read: the next
    // UTF-16 read starts with it.
    WCHAR low_surrogate = 0;
    // bytes.size() + records.size(), readable without the mutex (is_signaled).
    std::atomic<size_t> buffered{0};
    // An eventfd that WriteConsoleInput signals, so that a reader blocked on the terminal
    // (wait_readable) wakes for records that never pass through it. Made by the first
    // reader that waits; a reader clears it under the mutex when it finds nothing to take.
    int wake = -1;
    void update()
    {
        buffered.store(bytes.size() + records.size() + (low_surrogate != 0 ? 1 : 0), std::memory_order_release);
    }
    // Under the mutex, before a reader waits: the eventfd it is to poll, cleared.
    int wake_descriptor()
    {
        if (wake < 0) wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        eventfd_t value;
        if (wake >= 0) eventfd_read(wake, &value);
        return wake;
    }
    // Under the mutex, after records were added.
    void notify()
    {
        if (wake >= 0) eventfd_write(wake, 1);
    }
};

InputBuffer& input_buffer()
{
    static InputBuffer* buffer = new InputBuffer();
    return *buffer;
}

// The console devices alive (input and screen buffers: every console handle is signalled
// while input waits), so that input taken into the buffer (by a thread that is not
// waiting) can wake the threads waiting on any console handle.
std::mutex registry_mutex;
std::vector<ConsoleDevice*>& input_devices()
{
    static auto* devices = new std::vector<ConsoleDevice*>();
    return *devices;
}

void wake_input_waiters()
{
    std::lock_guard<std::mutex> guard(registry_mutex);
    for (ConsoleDevice* device : input_devices()) {
        kernel::WakeList wake;  // flushed after the device's lock is released
        LockGuard device_guard(device->lock);
        if (device->has_waiters()) device->signal_waiters(wake);
    }
}

bool canonical(int descriptor)
{
    termios settings;
    return tcgetattr(descriptor, &settings) == 0 && (settings.c_lflag & ICANON) != 0;
}

// Reads what the terminal has now (never blocks: each read follows a poll that found the
// descriptor readable, and this process reads its terminals under the buffer's mutex).
// Under the buffer's mutex. Returns whether anything was added; *end: the terminal reported
// the end of input (end of file, or hung up).
bool drain(int descriptor, InputBuffer& buffer, bool* end)
{
    bool added = false;
    for (int rounds = 0; rounds < 64; ++rounds) {
        pollfd entry{descriptor, POLLIN, 0};
        int ready = poll(&entry, 1, 0);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0 || !(entry.revents & (POLLIN | POLLHUP | POLLERR))) break;
        char chunk[4096];
        ssize_t n = read(descriptor, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) {
            *end = true;  // 0: end of file (Ctrl-D); EIO: hung up
            break;
        }
        buffer.bytes.append(chunk, static_cast<size_t>(n));
        added = true;
    }
    buffer.update();
    return added;
}

// ---- Key events from terminal bytes --------------------------------------------------------

INPUT_RECORD key_record(WORD virtual_key, WCHAR character, DWORD control, bool down)
{
    INPUT_RECORD record;
    memset(&record, 0, sizeof record);
    record.EventType = KEY_EVENT;
    record.Event.KeyEvent.bKeyDown = down ? TRUE : FALSE;
    record.Event.KeyEvent.wRepeatCount = 1;
    record.Event.KeyEvent.wVirtualKeyCode = virtual_key;
    record.Event.KeyEvent.wVirtualScanCode = 0;
    record.Event.KeyEvent.uChar.UnicodeChar = character;
    record.Event.KeyEvent.dwControlKeyState = control;
    return record;
}

void add_key(std::deque<INPUT_RECORD>& out, WORD virtual_key, WCHAR character, DWORD control)
{
    out.push_back(key_record(virtual_key, character, control, true));
    out.push_back(key_record(virtual_key, character, control, false));
}

// The key that types printable ASCII `c` on a US keyboard, and whether Shift is held.
WORD ascii_key(char c, bool* shift)
{
    *shift = false;
    if (c >= 'a' && c <= 'z') return static_cast<WORD>(c - 'a' + 'A');
    if (c >= 'A' && c <= 'Z') {
        *shift = true;
        return static_cast<WORD>(c);
    }
    if (c >= '0' && c <= '9') return static_cast<WORD>(c);
    if (c == ' ') return VK_SPACE;
    static const char plain[] = ";=,-./`[\\]'";
    static const char shifted[] = ":+<_>?~{|}\"";
    static const WORD keys[] = {VK_OEM_1, VK_OEM_PLUS, VK_OEM_COMMA, VK_OEM_MINUS, VK_OEM_PERIOD, VK_OEM_2,
                                VK_OEM_3, VK_OEM_4,    VK_OEM_5,     VK_OEM_6,     VK_OEM_7};
    for (int i = 0; plain[i] != 0; ++i) {
        if (c == plain[i]) return keys[i];
        if (c == shifted[i]) {
            *shift = true;
            return keys[i];
        }
    }
    static const char digits_shifted[] = ")!@#$%^&*(";
    for (int i = 0; i < 10; ++i)
        if (c == digits_shifted[i]) {
            *shift = true;
            return static_cast<WORD>('0' + i);
        }
    return 0;
}

// The modifier parameter of an xterm sequence (2: Shift, 3: Alt, 5: Ctrl...).
DWORD modifiers(int parameter)
{
    if (parameter < 2) return 0;
    int bits = parameter - 1;
    DWORD state = 0;
    if (bits & 1) state |= SHIFT_PRESSED;
    if (bits & 2) state |= LEFT_ALT_PRESSED;
    if (bits & 4) state |= LEFT_CTRL_PRESSED;
    return state;
}

// An escape sequence at `bytes[at]` (ESC [ ... or ESC O ...): its key, or 0 for a sequence
// not known; *length is the sequence's length, 0 if it is incomplete.
WORD escape_key(const std::string& bytes, size_t at, size_t* length, DWORD* control)
{
    *length = 0;
    *control = 0;
    char kind = bytes[at + 1];
    size_t i = at + 2;
    int parameters[4] = {0, 0, 0, 0};
    int count = 0;
    while (i < bytes.size() && ((bytes[i] >= '0' && bytes[i] <= '9') || bytes[i] == ';')) {
        if (bytes[i] == ';') {
            if (count < 3) ++count;
        } else {
            parameters[count] = parameters[count] * 10 + (bytes[i] - '0');
        }
        ++i;
    }
    if (i >= bytes.size()) return 0;  // incomplete
    char final = bytes[i];
    *length = i - at + 1;
    if (kind == 'O') {
        switch (final) {
        case 'P': return VK_F1;
        case 'Q': return VK_F2;
        case 'R': return VK_F3;
        case 'S': return VK_F4;
        case 'A': return VK_UP;
        case 'B': return VK_DOWN;
        case 'C': return VK_RIGHT;
        case 'D': return VK_LEFT;
        case 'H': return VK_HOME;
        case 'F': return VK_END;
        default: return 0;
        }
    }
    *control = modifiers(parameters[1]);
    switch (final) {
    case 'A': *control |= ENHANCED_KEY; return VK_UP;
    case 'B': *control |= ENHANCED_KEY; return VK_DOWN;
    case 'C': *control |= ENHANCED_KEY; return VK_RIGHT;
    case 'D': *control |= ENHANCED_KEY; return VK_LEFT;
    case 'H': *control |= ENHANCED_KEY; return VK_HOME;
    case 'F': *control |= ENHANCED_KEY; return VK_END;
    case 'Z': *control = SHIFT_PRESSED; return VK_TAB;
    case '~': break;
    default: return 0;
    }
    switch (parameters[0]) {
    case 1: case 7: *control |= ENHANCED_KEY; return VK_HOME;
    case 4: case 8: *control |= ENHANCED_KEY; return VK_END;
    case 2: *control |= ENHANCED_KEY; return VK_INSERT;
    case 3: *control |= ENHANCED_KEY; return VK_DELETE;
    case 5: *control |= ENHANCED_KEY; return VK_PRIOR;
    case 6: *control |= ENHANCED_KEY; return VK_NEXT;
    case 11: return VK_F1;
    case 12: return VK_F2;
    case 13: return VK_F3;
    case 14: return VK_F4;
    case 15: return VK_F5;
    case 17: return VK_F6;
    case 18: return VK_F7;
    case 19: return VK_F8;
    case 20: return VK_F9;
    case 21: return VK_F10;
    case 23: return VK_F11;
    case 24: return VK_F12;
    default: return 0;
    }
}

// One UTF-8 character at `bytes[at]`: its code point (U+FFFD for a malformed one) and
// length; 0 length when the character is cut short at the end of `bytes`.
uint32_t decode_utf8(const std::string& bytes, size_t at, size_t* length)
{
    auto byte = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
    unsigned char first = byte(at);
    size_t need = first < 0x80 ? 1 : (first & 0xE0) == 0xC0 ? 2 : (first & 0xF0) == 0xE0 ? 3 : (first & 0xF8) == 0xF0 ? 4 : 0;
    if (need == 0) {
        *length = 1;
        return 0xFFFD;
    }
    if (at + need > bytes.size()) {
        for (size_t i = at + 1; i < bytes.size(); ++i)
            if ((byte(i) & 0xC0) != 0x80) {
                *length = i - at;
                return 0xFFFD;
            }
        *length = 0;
        return 0;
    }
    uint32_t code = need == 1 ? first : first & (0x7F >> need);
    for (size_t i = 1; i < need; ++i) {
        if ((byte(at + i) & 0xC0) != 0x80) {
            *length = i;
            return 0xFFFD;
        }
        code = (code << 6) | (byte(at + i) & 0x3F);
    }
    *length = need;
    static const uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < smallest[need] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0xFFFD;
    return code;
}

// Parses the buffer's bytes into key events (two records per key: down, then up). A lone
// ESC at the end is the Escape key; a character cut short at the end waits for its rest.
void parse_keys(InputBuffer& buffer)
{
    std::string& bytes = buffer.bytes;
    size_t at = 0;
    while (at < bytes.size()) {
        unsigned char c = static_cast<unsigned char>(bytes[at]);
        if (c == 0x1B) {
            if (at + 1 < bytes.size() && (bytes[at + 1] == '[' || bytes[at + 1] == 'O')) {
                size_t length = 0;
                DWORD control = 0;
                WORD key = escape_key(bytes, at, &length, &control);
                if (length > 0) {
                    if (key != 0) add_key(buffer.records, key, 0, control);
                    at += length;  // an unknown sequence is dropped whole
                    continue;
                }
            }
            if (at + 1 < bytes.size() && static_cast<unsigned char>(bytes[at + 1]) >= 0x20 &&
                static_cast<unsigned char>(bytes[at + 1]) < 0x7F) {
                bool shift = false;
                WORD key = ascii_key(bytes[at + 1], &shift);  // Alt+key
                add_key(buffer.records, key, static_cast<WCHAR>(bytes[at + 1]),
                        LEFT_ALT_PRESSED | (shift ? SHIFT_PRESSED : 0));
                at += 2;
                continue;
            }
            add_key(buffer.records, VK_ESCAPE, 0x1B, 0);
            ++at;
            continue;
        }
        if (c == '\r' || c == '\n') add_key(buffer.records, VK_RETURN, '\r', 0);
        else if (c == 0x7F || c == 0x08) add_key(buffer.records, VK_BACK, 0x08, 0);
        else if (c == '\t') add_key(buffer.records, VK_TAB, '\t', 0);
        else if (c == 0) add_key(buffer.records, VK_SPACE, 0, LEFT_CTRL_PRESSED);
        else if (c < 0x1B) add_key(buffer.records, static_cast<WORD>('A' + c - 1), c, LEFT_CTRL_PRESSED);
        else if (c < 0x20) {
            static const WORD keys[] = {VK_OEM_5, VK_OEM_6, '6', VK_OEM_MINUS};  // Ctrl-\ ] ^ _
            add_key(buffer.records, keys[c - 0x1C], c, LEFT_CTRL_PRESSED);
        } else if (c < 0x80) {
            bool shift = false;
            WORD key = ascii_key(static_cast<char>(c), &shift);
            add_key(buffer.records, key, c, shift ? SHIFT_PRESSED : 0);
        } else {
            size_t length = 0;
            uint32_t code = decode_utf8(bytes, at, &length);
            if (length == 0) break;  // the rest of the character has not come yet
            if (code >= 0x10000) {
                code -= 0x10000;
                add_key(buffer.records, 0, static_cast<WCHAR>(0xD800 + (code >> 10)), 0);
                add_key(buffer.records, 0, static_cast<WCHAR>(0xDC00 + (code & 0x3FF)), 0);
            } else {
                add_key(buffer.records, 0, static_cast<WCHAR>(code), 0);
            }
            at += length;
            continue;
        }
        ++at;
    }
    bytes.erase(0, at);
    buffer.newline_half_done = false;
    buffer.update();
}

// Puts the characters of parsed key events back in front of the bytes, for a character
// read (ReadConsole, ReadFile): Windows reads the characters of key-down events and skips
// every other event. Enter is '\n' again on a canonical terminal (the line's end).
void unparse_keys(InputBuffer& buffer, bool line)
{
    if (buffer.records.empty()) return;
    std::string text;
    WCHAR high = 0;
    for (const INPUT_RECORD& record : buffer.records) {
        if (record.EventType != KEY_EVENT || !record.Event.KeyEvent.bKeyDown) continue;
        uint32_t c = record.Event.KeyEvent.uChar.UnicodeChar;
        if (c == 0) continue;
        if (c >= 0xD800 && c < 0xDC00) {
            high = static_cast<WCHAR>(c);
            continue;
        }
        if (c >= 0xDC00 && c < 0xE000) {
            if (high == 0) continue;
            c = 0x10000 + ((static_cast<uint32_t>(high) - 0xD800) << 10) + (c - 0xDC00);
            high = 0;
        }
        if (c == '\r' && line) c = '\n';
        std::string character;
        overlapped::append_utf8(&character, c);
        // A key held down (or key-downs WriteConsoleInput coalesced) types its character
        // once per repeat; a repeat count of 0 still types it once.
        for (WORD n = std::max<WORD>(record.Event.KeyEvent.wRepeatCount, 1); n > 0; --n) text += character;
    }
    buffer.records.clear();
    buffer.bytes.insert(0, text);
    buffer.newline_half_done = false;
    buffer.update();
}

// Moves characters from the buffer's bytes to the caller's buffer: bytes (`wide` false) or
// UTF-16 units, at most `count`. `line`: the terminal is canonical: only the first line is
// taken and its '\n' becomes "\r\n", as a console's line input ends. Never splits a
// character (nor a surrogate pair); returns how many units were stored.
DWORD take_text(InputBuffer& buffer, void* out, DWORD count, bool wide, bool line)
{
    std::string& bytes = buffer.bytes;
    auto* narrow = static_cast<char*>(out);
    auto* units = static_cast<WCHAR*>(out);
    DWORD stored = 0;
    size_t at = 0;
    auto put = [&](uint32_t unit) {
        if (wide) units[stored++] = static_cast<WCHAR>(unit);
        else narrow[stored++] = static_cast<char>(unit);
    };
    if (wide && buffer.low_surrogate != 0) {
        put(buffer.low_surrogate);
        buffer.low_surrogate = 0;
    }
    while (at < bytes.size() && stored < count) {
        char c = bytes[at];
        if (line && c == '\n') {
            if (!buffer.newline_half_done) {
                put('\r');
                if (stored == count) {
                    buffer.newline_half_done = true;
                    break;
                }
            }
            put('\n');
            buffer.newline_half_done = false;
            ++at;
            break;  // one line per read
        }
        if (!wide) {
            put(static_cast<unsigned char>(c));
            ++at;
            continue;
        }
        size_t length = 0;
        uint32_t code = decode_utf8(bytes, at, &length);
        if (length == 0) {
            // A character cut short at the end: as U+FFFD if nothing else will come, else
            // left for the next read. (Terminals send whole characters.)
            code = 0xFFFD;
            length = bytes.size() - at;
        }
        if (code >= 0x10000) {
            code -= 0x10000;
            if (count - stored < 2) {
                if (stored > 0) break;  // the pair goes whole into the next read
                put(0xD800 + (code >> 10));  // a one-unit read: the low half comes next
                buffer.low_surrogate = static_cast<WCHAR>(0xDC00 + (code & 0x3FF));
                at += length;
                break;
            }
            put(0xD800 + (code >> 10));
            put(0xDC00 + (code & 0x3FF));
        } else {
            put(code);
        }
        at += length;
    }
    bytes.erase(0, at);
    buffer.update();
    return stored;
}

// ---- Terminal settings and their restoration at exit -------------------------------------

struct SavedSettings {
    std::mutex mutex;
    bool saved = false;
    int descriptor = -1;
    termios original{};
};

SavedSettings& saved_settings()
{
    static auto* saved = new SavedSettings();
    return *saved;
}

void restore_settings()
{
    SavedSettings& saved = saved_settings();
    std::lock_guard<std::mutex> guard(saved.mutex);
    if (saved.saved && saved.descriptor >= 0) tcsetattr(saved.descriptor, TCSANOW, &saved.original);
}

// Before the first change: keeps the terminal's settings (and a descriptor to put them
// back through) for the process's exit.
void save_settings(int descriptor)
{
    SavedSettings& saved = saved_settings();
    std::lock_guard<std::mutex> guard(saved.mutex);
    if (saved.saved) return;
    if (tcgetattr(descriptor, &saved.original) != 0) return;
    saved.descriptor = fcntl(descriptor, F_DUPFD_CLOEXEC, 3);
    if (saved.descriptor < 0) return;
    saved.saved = true;
    atexit(restore_settings);
}

// ---- Inheritance: a console handle crosses into a child as its terminal descriptor ---------

bool export_console(kernel::Object* object, int* descriptor, uint32_t* extra)
{
    auto* console = static_cast<ConsoleDevice*>(object);
    if (console->descriptor() < 0) return false;
    *descriptor = console->descriptor();
    *extra = console->input() ? 1 : 0;
    return true;
}

kernel::Object* import_console(int descriptor, uint32_t extra, ACCESS_MASK, DWORD* error)
{
    return ConsoleDevice::open(descriptor, true, (extra & 1) != 0, error);
}

const InheritKind console_kind = {export_console, import_console};
const InheritRegistration console_registration OVERLAPPED_INHERIT_EARLY(kernel::ObjectType::Console, &console_kind);

}  // namespace

// ---- The device ------------------------------------------------------------------------------

namespace {

// Writes all of `data` to the terminal (a synchronous request: CancelSynchronousIo ends a
// write that waits, ERROR_OPERATION_ABORTED).
DWORD write_terminal(int descriptor, const char* data, DWORD length)
{
    DWORD written = 0;
    while (written < length) {
        ssize_t n = ::write(descriptor, data + written, length - written);
        if (n < 0 && errno == EINTR) {
            if (io::sync_io_cancelled()) return ERROR_OPERATION_ABORTED;
            continue;
        }
        if (n < 0) return win32_error_from_errno(errno);
        written += static_cast<DWORD>(n);
    }
    return ERROR_SUCCESS;
}

}  // namespace

ConsoleDevice* ConsoleDevice::make(int descriptor, bool input, ScreenBuffer* screen)
{
    // A buffer of CreateConsoleScreenBuffer has no descriptor: its waits watch the console's
    // terminal, known by now (screen_create adopts it), asked here and not under the lock.
    int console_terminal = descriptor < 0 && !input ? screen_terminal() : -1;
    ConsoleDevice* device = kernel::Pool<ConsoleDevice>::instance().acquire();
    device->lock.lock();
    device->reset_base();
    device->reset_device();
    device->descriptor_ = descriptor;
    device->input_ = input;
    device->screen_ = screen;
    device->closing_ = false;
    device->armed_ = false;
    device->console_terminal_ = console_terminal;
    device->lock.unlock();
    std::lock_guard<std::mutex> guard(registry_mutex);
    input_devices().push_back(device);
    return device;
}

ConsoleDevice* ConsoleDevice::open_screen(ScreenBuffer* buffer) { return make(-1, false, buffer); }

int ConsoleDevice::terminal() const { return descriptor_ >= 0 ? descriptor_ : screen_terminal(); }

ConsoleDevice* ConsoleDevice::open(int descriptor, bool take, bool input, DWORD* error, bool active_buffer)
{
    if (!isatty(descriptor)) {
        if (take) ::close(descriptor);
        *error = ERROR_INVALID_HANDLE;
        return nullptr;
    }
    int own = descriptor;
    if (take) {
        int flags = fcntl(descriptor, F_GETFD);
        if (flags >= 0) fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC);
    } else {
        own = fcntl(descriptor, F_DUPFD_CLOEXEC, 3);
        if (own < 0) {
            *error = errno == EMFILE ? ERROR_TOO_MANY_OPEN_FILES : ERROR_NOT_ENOUGH_MEMORY;
            return nullptr;
        }
    }
    return make(own, input, input ? nullptr : screen_for_terminal(own, active_buffer));
}

DWORD ConsoleDevice::prepare(const io::Transfer&, io::Request*, io::Plan*)
{
    return ERROR_INVALID_FUNCTION;  // never asked: console transfers are synchronous
}

DWORD ConsoleDevice::transfer_sync(const io::Transfer& transfer, bool, DWORD* done)
{
    *done = 0;
    if (!console_attached()) return ERROR_INVALID_HANDLE;  // FreeConsole unbound it
    if (transfer.segments != nullptr) return ERROR_INVALID_PARAMETER;
    if (!transfer.write) {
        // A screen buffer has nothing to read; the input buffer reads as ReadConsoleA.
        if (!input_) return ERROR_INVALID_HANDLE;
        return read_text(transfer.buffer, transfer.length, false, done);
    }
    if (input_) return ERROR_INVALID_HANDLE;  // nothing is written to an input buffer
    // The screen buffer's model takes the text; the terminal gets it while the buffer is active.
    DWORD error = screen_write_text(screen_, descriptor_, static_cast<const char*>(transfer.buffer), transfer.length,
                                    write_terminal);
    *done = error == ERROR_SUCCESS ? transfer.length : 0;
    return error;
}

// A screen buffer's handle too is signalled exactly while input waits, as Windows
// signals every console handle (Wine's conformance test dlls/kernel32/tests/console.c,
// test_wait, which passes on Windows): its terminal is the console's.
bool ConsoleDevice::is_signaled(const kernel::ThreadState*) const
{
    if (input_buffer().buffered.load(std::memory_order_acquire) > 0) return true;
    int watched = watch_descriptor();
    if (watched < 0 || closing_) return false;
    pollfd entry{watched, POLLIN, 0};
    if (poll(&entry, 1, 0) > 0 && (entry.revents & (POLLIN | POLLHUP | POLLERR))) return true;
    // Not now: a watch tells the waiters when input comes (the wait protocol calls this
    // under the lock, before it links its waiter; the watch's completion takes the lock).
    const_cast<ConsoleDevice*>(this)->arm_watch();
    return false;
}

int ConsoleDevice::watch_descriptor() const { return descriptor_ >= 0 ? descriptor_ : console_terminal_; }

void ConsoleDevice::arm_watch()
{
    int watched = watch_descriptor();
    if (armed_ || watched < 0 || closing_) return;
    io::InternalOp& op = watch_.op;
    watch_.device = this;
    op.reset();
    op.code = engine::OpCode::Poll;
    op.kind = engine::OpKind::Stream;
    op.descriptor = watched;
    op.flags = POLLIN;
    op.complete = &ConsoleDevice::watched;
    armed_ = true;
    add_reference();  // the watch keeps the device
    if (!io::submit_internal(&op)) {
        armed_ = false;
        release_reference();  // not the last: the caller's is still held
    }
}

void ConsoleDevice::watched(engine::Op* op)
{
    ConsoleDevice* device = reinterpret_cast<Watch*>(op)->device;
    {
        kernel::WakeList wake;  // flushed after the lock is released
        LockGuard guard(device->lock);
        device->armed_ = false;
        // Wakes the waiters if input is waiting; if not (another reader took it first),
        // is_signaled arms the watch again for them.
        if (device->has_waiters() && !device->closing_) {
            if (device->is_signaled(nullptr)) device->signal_waiters(wake);
        }
    }
    device->release_reference();  // the watch's
}

void ConsoleDevice::last_handle_closed()
{
    closing_ = true;
    Device::last_handle_closed();
    interrupt_blocked();
    if (armed_) io::cancel_internal(&watch_.op);
}

void ConsoleDevice::recycle()
{
    {
        std::lock_guard<std::mutex> guard(registry_mutex);
        auto& devices = input_devices();
        devices.erase(std::remove(devices.begin(), devices.end(), this), devices.end());
    }
    lock.lock();
    int descriptor = descriptor_;
    descriptor_ = -1;
    ScreenBuffer* screen = screen_;
    screen_ = nullptr;
    unbind();
    lock.unlock();
    if (screen != nullptr) screen_release(screen);
    io::forget_device(this);
    if (descriptor >= 0) ::close(descriptor);
    kernel::Pool<ConsoleDevice>::instance().release(this);
}

// Waits (without the buffer's mutex) until the terminal is readable. ERROR_SUCCESS, or
// ERROR_OPERATION_ABORTED when CancelSynchronousIo or the handle's close ended the wait.
DWORD ConsoleDevice::wait_readable(int wake)
{
    kernel::ThreadState* self = kernel::current_thread();
    lock.lock();
    bool closing = closing_;
    if (!closing) blocked_enter(self);
    lock.unlock();
    if (closing) return ERROR_OPERATION_ABORTED;
    DWORD error = ERROR_SUCCESS;
    for (;;) {
        pollfd entries[2] = {{descriptor_, POLLIN, 0}, {wake, POLLIN, 0}};  // wake -1: ignored
        int ready = poll(entries, 2, -1);
        if (ready > 0) break;
        if (ready < 0 && errno != EINTR) {
            error = win32_error_from_errno(errno);
            break;
        }
        if (io::sync_io_cancelled()) {
            error = ERROR_OPERATION_ABORTED;
            break;
        }
        LockGuard check(lock);
        if (closing_) {
            error = ERROR_OPERATION_ABORTED;
            break;
        }
    }
    lock.lock();
    blocked_leave(self);
    lock.unlock();
    return error;
}

DWORD ConsoleDevice::read_text(void* out, DWORD count, bool wide, DWORD* done)
{
    *done = 0;
    if (!input_) return ERROR_INVALID_HANDLE;
    if (count == 0) return ERROR_SUCCESS;
    // A buffer the length does not fit in fails at once, before any wait and with nothing
    // taken (ERROR_NOACCESS, as Windows 8 and later answer a read of length -128: Wine's
    // conformance test dlls/kernel32/tests/console.c, test_ReadConsole).
    if (!writable_memory(out, static_cast<size_t>(count) * (wide ? sizeof(WCHAR) : 1))) return ERROR_NOACCESS;
    InputBuffer& buffer = input_buffer();
    for (;;) {
        bool end = false, added = false;
        int wake = -1;
        {
            std::lock_guard<std::mutex> guard(buffer.mutex);
            bool line = canonical(descriptor_);
            unparse_keys(buffer, line);
            // A line read waits for the line's end. A terminal in line mode hands over whole
            // lines, but key-downs written by WriteConsoleInput may stop short of their
            // Enter; the rest of that line is typed (or written) later.
            auto whole = [&] { return !line || buffer.bytes.find('\n') != std::string::npos; };
            if ((buffer.bytes.empty() && buffer.low_surrogate == 0) || !whole())
                added = drain(descriptor_, buffer, &end);
            if ((wide && buffer.low_surrogate != 0) || (!buffer.bytes.empty() && (whole() || end)))
                *done = take_text(buffer, out, count, wide, line);
            added = added && buffer.buffered.load(std::memory_order_relaxed) > 0;
            if (*done == 0 && !end) wake = buffer.wake_descriptor();
        }
        // What this read left in the buffer is input waiting for the other waiters.
        if (added) wake_input_waiters();
        if (*done > 0 || end) return ERROR_SUCCESS;  // end of input: 0 read, as at the end of a file
        if (DWORD error = wait_readable(wake)) return error;
    }
}

DWORD ConsoleDevice::read_records(INPUT_RECORD* out, DWORD count, bool remove, bool wait, DWORD* done)
{
    *done = 0;
    if (!input_) return ERROR_INVALID_HANDLE;
    InputBuffer& buffer = input_buffer();
    for (;;) {
        bool end = false, added = false;
        int wake = -1;
        {
            std::lock_guard<std::mutex> guard(buffer.mutex);
            added = drain(descriptor_, buffer, &end);
            parse_keys(buffer);
            if (!buffer.records.empty() || !wait || end || count == 0) {
                DWORD n = static_cast<DWORD>(std::min<size_t>(count, buffer.records.size()));
                for (DWORD i = 0; i < n; ++i) out[i] = buffer.records[i];
                if (remove) buffer.records.erase(buffer.records.begin(), buffer.records.begin() + n);
                buffer.update();
                *done = n;
            } else {
                wake = buffer.wake_descriptor();
            }
        }
        if (added) wake_input_waiters();
        if (*done > 0 || !wait || end || count == 0) return ERROR_SUCCESS;
        if (DWORD error = wait_readable(wake)) return error;
    }
}

DWORD ConsoleDevice::pending_events(DWORD* count)
{
    *count = 0;
    if (!input_) return ERROR_INVALID_HANDLE;
    InputBuffer& buffer = input_buffer();
    bool added;
    {
        std::lock_guard<std::mutex> guard(buffer.mutex);
        bool end = false;
        added = drain(descriptor_, buffer, &end);
        parse_keys(buffer);
        *count = static_cast<DWORD>(buffer.records.size());
    }
    if (added) wake_input_waiters();
    return ERROR_SUCCESS;
}

namespace {

// A character the console draws two cells wide (the East Asian wide and full-width
// blocks): the console host never coalesces the key-downs that type it.
bool full_width(WCHAR c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6);
}

// The console host's coalescing of one record written onto the last one queued
// (microsoft/terminal src/host/inputBuffer.cpp, _WriteBuffer): a mouse move updates the
// queued move's position; a key-down of the same key (scan code, character and control
// keys alike) adds its repeat count to the queued key-down. Returns whether `next` was
// folded into `last`.
bool coalesce(INPUT_RECORD& last, const INPUT_RECORD& next)
{
    if (last.EventType == MOUSE_EVENT && next.EventType == MOUSE_EVENT) {
        if (last.Event.MouseEvent.dwEventFlags != MOUSE_MOVED || next.Event.MouseEvent.dwEventFlags != MOUSE_MOVED)
            return false;
        last.Event.MouseEvent.dwMousePosition = next.Event.MouseEvent.dwMousePosition;
        return true;
    }
    if (last.EventType != KEY_EVENT || next.EventType != KEY_EVENT) return false;
    const KEY_EVENT_RECORD& a = last.Event.KeyEvent;
    const KEY_EVENT_RECORD& b = next.Event.KeyEvent;
    if (!a.bKeyDown || !b.bKeyDown || full_width(b.uChar.UnicodeChar) || a.wVirtualScanCode != b.wVirtualScanCode ||
        a.uChar.UnicodeChar != b.uChar.UnicodeChar || a.dwControlKeyState != b.dwControlKeyState)
        return false;
    last.Event.KeyEvent.wRepeatCount = static_cast<WORD>(a.wRepeatCount + b.wRepeatCount);
    return true;
}

}  // namespace

DWORD ConsoleDevice::write_records(const INPUT_RECORD* records, DWORD count, DWORD* done)
{
    *done = 0;
    if (!input_) return ERROR_INVALID_HANDLE;
    InputBuffer& buffer = input_buffer();
    {
        std::lock_guard<std::mutex> guard(buffer.mutex);
        bool end = false;
        drain(descriptor_, buffer, &end);  // what was typed before comes first
        parse_keys(buffer);
        if (count == 1 && !buffer.records.empty() && coalesce(buffer.records.back(), records[0])) {
            *done = 1;
        } else {
            buffer.records.insert(buffer.records.end(), records, records + count);
            *done = count;
        }
        buffer.update();
        if (count > 0) buffer.notify();
    }
    if (count > 0) wake_input_waiters();
    return ERROR_SUCCESS;
}

DWORD ConsoleDevice::flush_input()
{
    if (!input_) return ERROR_INVALID_HANDLE;
    InputBuffer& buffer = input_buffer();
    std::lock_guard<std::mutex> guard(buffer.mutex);
    tcflush(descriptor_, TCIFLUSH);
    buffer.bytes.clear();
    buffer.records.clear();
    buffer.newline_half_done = false;
    buffer.low_surrogate = 0;
    buffer.update();
    return ERROR_SUCCESS;
}

// ---- Modes ------------------------------------------------------------------------------------

void console_apply_input_mode(int descriptor, DWORD mode)
{
    termios settings;
    if (tcgetattr(descriptor, &settings) != 0) return;
    save_settings(descriptor);
    auto set = [](tcflag_t& flags, tcflag_t bits, bool on) { flags = on ? (flags | bits) : (flags & ~bits); };
    bool line = (mode & ENABLE_LINE_INPUT) != 0;
    set(settings.c_lflag, ICANON, line);
    set(settings.c_lflag, ECHO | ECHOE | ECHOK, (mode & ENABLE_ECHO_INPUT) != 0);
    set(settings.c_lflag, ISIG, (mode & ENABLE_PROCESSED_INPUT) != 0);
    // Enter ends a line as '\n' for the line discipline; a raw read gets the '\r' the key
    // sends, as a console's raw input has it.
    set(settings.c_iflag, ICRNL, line);
    if (!line) {
        settings.c_cc[VMIN] = 1;
        settings.c_cc[VTIME] = 0;
    }
    tcsetattr(descriptor, TCSANOW, &settings);
}

void console_apply_output_mode(int descriptor, DWORD old_mode, DWORD mode)
{
    termios settings;
    if (tcgetattr(descriptor, &settings) != 0) return;
    save_settings(descriptor);
    bool processed = (mode & ENABLE_PROCESSED_OUTPUT) != 0;
    settings.c_oflag = processed ? (settings.c_oflag | OPOST) : (settings.c_oflag & ~OPOST);
    bool newline_returns = processed && !(mode & DISABLE_NEWLINE_AUTO_RETURN);
    settings.c_oflag = newline_returns ? (settings.c_oflag | ONLCR) : (settings.c_oflag & ~ONLCR);
    tcsetattr(descriptor, TCSANOW, &settings);
    if ((old_mode ^ mode) & ENABLE_WRAP_AT_EOL_OUTPUT) {
        // The terminal's autowrap (DECAWM).
        const char* sequence = (mode & ENABLE_WRAP_AT_EOL_OUTPUT) ? "\033[?7h" : "\033[?7l";
        ssize_t n;
        do n = write(descriptor, sequence, strlen(sequence));
        while (n < 0 && errno == EINTR);
    }
}

namespace {
std::atomic<bool> attached{true};
}  // namespace

bool console_attached() { return attached.load(std::memory_order_acquire); }
bool console_set_attached(bool value) { return attached.exchange(value, std::memory_order_acq_rel); }

namespace {

// The controlling terminal (stat's seventh field, tty_nr) of a process, 0 for none, -1 when
// it cannot be read (the process has gone). The command name (the second field) is in
// parentheses and may hold anything: the fields are counted after its last ')'.
long long controlling_terminal(const char* stat_path)
{
    int descriptor = ::open(stat_path, O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return -1;
    char text[1024];
    ssize_t length = ::read(descriptor, text, sizeof text - 1);
    ::close(descriptor);
    if (length <= 0) return -1;
    text[length] = '\0';
    const char* after = strrchr(text, ')');
    if (after == nullptr) return -1;
    char state = 0;
    long long parent = 0, group = 0, session = 0, terminal = 0;
    if (sscanf(after + 1, " %c %lld %lld %lld %lld", &state, &parent, &group, &session, &terminal) != 5) return -1;
    return terminal;
}

}  // namespace

std::vector<DWORD> console_processes()
{
    std::vector<DWORD> list;
    DWORD self = static_cast<DWORD>(getpid());
    list.push_back(self);
    long long terminal = controlling_terminal("/proc/self/stat");
    if (terminal <= 0) return list;
    DIR* processes = opendir("/proc");
    if (processes == nullptr) return list;
    while (dirent* entry = readdir(processes)) {
        char* end = nullptr;
        unsigned long pid = strtoul(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0' || pid == 0 || pid == self) continue;
        char path[64];
        snprintf(path, sizeof path, "/proc/%lu/stat", pid);
        if (controlling_terminal(path) == terminal) list.push_back(static_cast<DWORD>(pid));
    }
    closedir(processes);
    return list;
}

}  // namespace overlapped::drivers
