// console_screen.cpp: console screen buffers (console_screen.h): the model of cells, the VT
// interpreter that applies written text to it, and the mirroring of changes to the terminal.
#include "drivers/console_screen.h"

#include "common/utf8.h"
#include "drivers/console.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <new>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace overlapped::drivers {

namespace {

constexpr WORD kDefaultAttributes = FOREGROUND_RED | FOREGROUND_GREEN | FOREGROUND_BLUE;
constexpr int kDefaultWidth = 80, kDefaultHeight = 24;
// The console host's default popup attributes (magenta on white) and colour table (Windows
// 10's "Campbell" scheme, as COLORREF 0x00BBGGRR, in the attributes' colour order: black,
// blue, green, cyan, red, magenta, yellow, white, then the bright ones).
constexpr WORD kDefaultPopupAttributes = BACKGROUND_RED | BACKGROUND_GREEN | BACKGROUND_BLUE | BACKGROUND_INTENSITY |
                                         FOREGROUND_RED | FOREGROUND_BLUE;
constexpr COLORREF kDefaultColors[16] = {0x0C0C0C, 0xDA3700, 0x0EA113, 0xDD963A, 0x1F0FC5, 0x981788,
                                         0x009CC1, 0xCCCCCC, 0x767676, 0xFF783B, 0x0CC616, 0xD6D661,
                                         0x5648E7, 0x9E00B4, 0xA5F1F9, 0xF2F2F2};

struct Cell {
    WCHAR ch;
    WORD attributes;
};

}  // namespace

class ScreenBuffer {
public:
    int width = kDefaultWidth, height = kDefaultHeight;           // the buffer
    int window_width = kDefaultWidth, window_height = kDefaultHeight;  // the window, at (0, 0)
    // The rows, each contiguous, as a ring: row 0 is stored at `top`, so a scroll moves
    // `top` instead of every cell (a line feed on the last row of a 9001-row buffer would
    // otherwise move 4 MiB, under the screen lock).
    std::vector<Cell> cells;
    int top = 0;
    int x = 0, y = 0;             // the cursor
    bool wrap_pending = false;    // a character went into the last column (a terminal's delayed wrap)
    WORD attributes = kDefaultAttributes;
    // GetConsoleScreenBufferInfoEx's: recorded (the terminal has its own palette).
    WORD popup_attributes = kDefaultPopupAttributes;
    COLORREF colors[16] = {kDefaultColors[0],  kDefaultColors[1],  kDefaultColors[2],  kDefaultColors[3],
                           kDefaultColors[4],  kDefaultColors[5],  kDefaultColors[6],  kDefaultColors[7],
                           kDefaultColors[8],  kDefaultColors[9],  kDefaultColors[10], kDefaultColors[11],
                           kDefaultColors[12], kDefaultColors[13], kDefaultColors[14], kDefaultColors[15]};
    int saved_x = 0, saved_y = 0;  // DECSC / CSI s
    bool cursor_visible = true;
    DWORD cursor_size = 25;  // percent of the cell (recorded: a terminal draws its own cursor)
    // Its output mode: ENABLE_WRAP_AT_EOL_OUTPUT, and the line feed's return
    // (ENABLE_PROCESSED_OUTPUT without DISABLE_NEWLINE_AUTO_RETURN). The terminal has the
    // active buffer's.
    DWORD output_mode = ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT;
        bool dirty = false;  // changed while not shown: redrawn when shown again
    bool main = false;
    int references = 0;
    // The interpreter's state between writes.
    enum class State { Ground, Escape, EscapeIntermediate, Csi, String, StringEscape } state = State::Ground;
    std::string csi;       // the parameters and intermediates of a CSI sequence
    uint32_t code = 0;     // a UTF-8 character being decoded
    uint32_t code_least = 0;  // the least value its length may encode (less: an overlong form)
    int code_left = 0;     // its continuation bytes still to come

    // False when the memory for the new size cannot be had (the buffer is left as it was).
    bool resize(int new_width, int new_height)
    {
        std::vector<Cell> grown;
        try {
            grown.assign(static_cast<size_t>(new_width) * new_height, Cell{L' ', kDefaultAttributes});
        } catch (const std::bad_alloc&) {
            return false;
        }
        for (int row = 0; row < std::min(height, new_height); ++row)
            for (int column = 0; column < std::min(width, new_width); ++column)
                grown[static_cast<size_t>(row) * new_width + column] = at(column, row);
        cells.swap(grown);
        width = new_width;
        height = new_height;
        top = 0;
        x = std::min(x, width - 1);
        y = std::min(y, height - 1);
        wrap_pending = false;
        return true;
    }
    Cell& at(int column, int row)
    {
        int stored = row + top;
        if (stored >= height) stored -= height;
        return cells[static_cast<size_t>(stored) * width + column];
    }
    // The cell `index` cells from the buffer's start in reading order.
    Cell& at_index(size_t index) { return at(static_cast<int>(index % width), static_cast<int>(index / width)); }
};

namespace {

std::mutex& screen_mutex()
{
    static auto* mutex = new std::mutex();
    return *mutex;
}

// Under the screen lock.
ScreenBuffer* main_buffer = nullptr;
ScreenBuffer* active_buffer = nullptr;
int terminal = -1;
bool alternate = false;  // the terminal shows its alternate screen

bool terminal_size(int* columns, int* rows)
{
    winsize size{};
    if (terminal < 0 || ioctl(terminal, TIOCGWINSZ, &size) != 0 || size.ws_col == 0 || size.ws_row == 0) return false;
    *columns = std::min<int>(size.ws_col, 0x7FFF);
    *rows = std::min<int>(size.ws_row, 0x7FFF);
    return true;
}

// The window follows the terminal's size; a buffer that was the window's size stays so,
// a larger one grows to hold the window.
void follow_terminal(ScreenBuffer* buffer)
{
    int columns, rows;
    if (!terminal_size(&columns, &rows)) return;
    if (columns == buffer->window_width && rows == buffer->window_height) return;
    bool fitted = buffer->width == buffer->window_width && buffer->height == buffer->window_height;
    // A buffer that cannot grow (no memory) keeps its window too: never larger than the buffer.
    if (fitted && !buffer->resize(columns, rows)) return;
    if (!fitted && (buffer->width < columns || buffer->height < rows) &&
        !buffer->resize(std::max(buffer->width, columns), std::max(buffer->height, rows)))
        return;
    buffer->window_width = columns;
    buffer->window_height = rows;
}

// Null when there is no memory for it.
ScreenBuffer* new_buffer(int columns, int rows)
{
    auto* buffer = new (std::nothrow) ScreenBuffer();
    if (buffer == nullptr) return nullptr;
    buffer->width = buffer->window_width = columns;
    buffer->height = buffer->window_height = rows;
    try {
        buffer->cells.assign(static_cast<size_t>(columns) * rows, Cell{L' ', kDefaultAttributes});
    } catch (const std::bad_alloc&) {
        delete buffer;
        return nullptr;
    }
    return buffer;
}

void write_all(int descriptor, const std::string& bytes)
{
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(descriptor, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<size_t>(n);
    }
}

// The attributes as SGR: colours (red, green, blue bits to ANSI's 1, 2, 4), intensity as
// the bright colours, reverse video and underscore. The default attributes (light grey on
// black) are the terminal's own colours, so a cleared screen keeps the terminal's theme.
void append_sgr(std::string& out, WORD attributes)
{
    if (attributes == kDefaultAttributes) {
        out += "\033[0m";
        return;
    }
    auto ansi = [](WORD bits) { return ((bits & 4) ? 1 : 0) | ((bits & 2) ? 2 : 0) | ((bits & 1) ? 4 : 0); };
    int foreground = ansi(attributes & 7) + ((attributes & FOREGROUND_INTENSITY) ? 90 : 30);
    int background = ansi((attributes >> 4) & 7) + ((attributes & BACKGROUND_INTENSITY) ? 100 : 40);
    out += "\033[0;";
    if (attributes & COMMON_LVB_REVERSE_VIDEO) out += "7;";
    if (attributes & COMMON_LVB_UNDERSCORE) out += "4;";
    out += std::to_string(foreground) + ";" + std::to_string(background) + "m";
}

void append_cup(std::string& out, int column, int row)
{
    out += "\033[" + std::to_string(row + 1) + ";" + std::to_string(column + 1) + "H";
}

// The terminal's state after a mirrored change: the buffer's attributes and cursor.
void append_restore(std::string& out, ScreenBuffer* buffer)
{
    append_sgr(out, buffer->attributes);
    append_cup(out, std::min(buffer->x, buffer->window_width - 1), std::min(buffer->y, buffer->window_height - 1));
    buffer->wrap_pending = false;  // a cursor move ends the terminal's delayed wrap
}

// The cells of the rectangle (inclusive; clipped to the window) as VT output.
void append_cells(std::string& out, ScreenBuffer* buffer, int left, int top, int right, int bottom)
{
    right = std::min(right, std::min(buffer->width, buffer->window_width) - 1);
    bottom = std::min(bottom, std::min(buffer->height, buffer->window_height) - 1);
    left = std::max(left, 0);
    top = std::max(top, 0);
    WORD last = 0xFFFF;
    for (int row = top; row <= bottom; ++row) {
        if (left > right) break;
        append_cup(out, left, row);
        for (int column = left; column <= right; ++column) {
            const Cell& cell = buffer->at(column, row);
            if (cell.attributes != last) {
                append_sgr(out, cell.attributes);
                last = cell.attributes;
            }
            uint32_t c = cell.ch;
            overlapped::append_utf8(&out, c < 0x20 || c == 0x7F               ? ' '
                                          : c >= 0xD800 && c <= 0xDFFF ? 0xFFFD
                                                                       : c);
        }
    }
}

// After the model of `buffer` changed in a rectangle: the terminal shows it if the buffer
// is active, else the buffer is redrawn when it is shown.
void show(ScreenBuffer* buffer, int left, int top, int right, int bottom)
{
    if (buffer != active_buffer || terminal < 0) {
        buffer->dirty = true;
        return;
    }
    if (left > right || top > bottom) return;
    // Around the cells, the terminal's own cursor and attributes are saved and restored
    // (DECSC, DECRC): where the terminal's cursor is may differ from the model's (what was
    // on the terminal before the program, or written by other means, is not in the model).
    std::string out = "\0337";
    append_cells(out, buffer, left, top, right, bottom);
    out += "\0338";
    write_all(terminal, out);
}

void redraw(ScreenBuffer* buffer, std::string& out)
{
    append_cells(out, buffer, 0, 0, buffer->width - 1, buffer->height - 1);
    append_restore(out, buffer);
    out += buffer->cursor_visible ? "\033[?25h" : "\033[?25l";
    buffer->dirty = false;
}

void leave_alternate_at_exit()
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    if (alternate && terminal >= 0) write_all(terminal, "\033[?1049l");
    alternate = false;
}

// ---- The interpreter ------------------------------------------------------------------------

void blank(ScreenBuffer* b, int row, int from, int to)  // [from, to) of a row
{
    for (int column = std::max(from, 0); column < std::min(to, b->width); ++column)
        b->at(column, row) = Cell{L' ', b->attributes};
}

void scroll_up(ScreenBuffer* b, int count)
{
    count = std::min(count, b->height);
    b->top = (b->top + count) % b->height;  // the first `count` rows become the last ones
    for (int row = b->height - count; row < b->height; ++row) blank(b, row, 0, b->width);
}

void scroll_down(ScreenBuffer* b, int count)
{
    count = std::min(count, b->height);
    b->top = (b->top + b->height - count) % b->height;  // the last `count` rows become the first ones
    for (int row = 0; row < count; ++row) blank(b, row, 0, b->width);
}

void line_feed(ScreenBuffer* b)
{
    b->wrap_pending = false;
    if (b->y + 1 < b->height) ++b->y;
    else scroll_up(b, 1);
}

void put(ScreenBuffer* b, uint32_t c)
{
    if (b->wrap_pending) {
        b->x = 0;
        line_feed(b);
    }
    b->at(b->x, b->y) = Cell{static_cast<WCHAR>(c > 0xFFFF ? 0xFFFD : c), b->attributes};
    if (b->x + 1 < b->width) ++b->x;
    else if (b->output_mode & ENABLE_WRAP_AT_EOL_OUTPUT) b->wrap_pending = true;
}

void control(ScreenBuffer* b, unsigned char c)
{
    switch (c) {
    case '\r': b->x = 0; b->wrap_pending = false; break;
    case '\n': case '\v': case '\f':
        if ((b->output_mode & ENABLE_PROCESSED_OUTPUT) && !(b->output_mode & DISABLE_NEWLINE_AUTO_RETURN)) b->x = 0;
        line_feed(b);
        break;
    case '\b':
        if (b->x > 0 && !b->wrap_pending) --b->x;
        b->wrap_pending = false;
        break;
    case '\t':
        b->x = std::min(b->width - 1, (b->x / 8 + 1) * 8);
        b->wrap_pending = false;
        break;
    default: break;  // BEL and the others show nothing
    }
}

void sgr(ScreenBuffer* b, const int* p, int n)
{
    if (n == 0) {
        b->attributes = kDefaultAttributes;
        return;
    }
    auto colour = [](int ansi) -> WORD { return ((ansi & 1) ? 4 : 0) | (ansi & 2) | ((ansi & 4) ? 1 : 0); };
    WORD& a = b->attributes;
    for (int i = 0; i < n; ++i) {
        int v = p[i];
        if (v == 0) a = kDefaultAttributes;
        else if (v == 1) a |= FOREGROUND_INTENSITY;
        else if (v == 22) a &= ~FOREGROUND_INTENSITY;
        else if (v == 4) a |= COMMON_LVB_UNDERSCORE;
        else if (v == 24) a &= ~COMMON_LVB_UNDERSCORE;
        else if (v == 7) a |= COMMON_LVB_REVERSE_VIDEO;
        else if (v == 27) a &= ~COMMON_LVB_REVERSE_VIDEO;
        else if (v >= 30 && v <= 37) a = static_cast<WORD>((a & ~0x0007) | colour(v - 30));
        else if (v == 39) a = static_cast<WORD>((a & ~0x0007) | (kDefaultAttributes & 7));
        else if (v >= 40 && v <= 47) a = static_cast<WORD>((a & ~0x0070) | (colour(v - 40) << 4));
        else if (v == 49) a &= ~0x0070;
        else if (v >= 90 && v <= 97) a = static_cast<WORD>((a & ~0x000F) | colour(v - 90) | FOREGROUND_INTENSITY);
        else if (v >= 100 && v <= 107)
            a = static_cast<WORD>((a & ~0x00F0) | (colour(v - 100) << 4) | BACKGROUND_INTENSITY);
        else if ((v == 38 || v == 48) && i + 1 < n) i += p[i + 1] == 5 ? 2 : p[i + 1] == 2 ? 4 : 1;  // 256/RGB: skipped
    }
}

// A complete CSI sequence: `csi` holds its parameters, `final` ends it.
void csi_sequence(ScreenBuffer* b, const std::string& csi, char final)
{
    if (!csi.empty() && (csi[0] < '0' || csi[0] > ';')) return;  // private (?, >, =): the terminal's
    int p[16];
    int n = 0;
    bool any = false;
    p[0] = 0;
    for (char c : csi) {
        if (c >= '0' && c <= '9') {
            p[n] = std::min(p[n] * 10 + (c - '0'), 32767);
            any = true;
        } else if (c == ';' || c == ':') {
            if (n < 15) p[++n] = 0;
            any = true;
        } else {
            return;  // an intermediate: not one of ours
        }
    }
    if (any) ++n;
    auto arg = [&](int i, int fallback) { return i < n && p[i] != 0 ? p[i] : fallback; };
    int count = arg(0, 1);
    bool pending = b->wrap_pending;
    b->wrap_pending = false;
    switch (final) {
    case 'A': b->y = std::max(0, b->y - count); break;
    case 'B': case 'e': b->y = std::min(b->height - 1, b->y + count); break;
    case 'C': case 'a': b->x = std::min(b->width - 1, b->x + count); break;
    case 'D': b->x = std::max(0, b->x - count); break;
    case 'E': b->x = 0; b->y = std::min(b->height - 1, b->y + count); break;
    case 'F': b->x = 0; b->y = std::max(0, b->y - count); break;
    case 'G': case '`': b->x = std::min(b->width - 1, count - 1); break;
    case 'd': b->y = std::min(b->height - 1, count - 1); break;
    case 'H': case 'f':
        b->y = std::min(b->height - 1, arg(0, 1) - 1);
        b->x = std::min(b->width - 1, arg(1, 1) - 1);
        break;
    case 'J': {
        int mode = n > 0 ? p[0] : 0;
        if (mode == 0) {
            blank(b, b->y, b->x, b->width);
            for (int row = b->y + 1; row < b->height; ++row) blank(b, row, 0, b->width);
        } else if (mode == 1) {
            for (int row = 0; row < b->y; ++row) blank(b, row, 0, b->width);
            blank(b, b->y, 0, b->x + 1);
        } else if (mode == 2 || mode == 3) {
            for (int row = 0; row < b->height; ++row) blank(b, row, 0, b->width);
        }
        b->wrap_pending = pending;
        break;
    }
    case 'K': {
        int mode = n > 0 ? p[0] : 0;
        if (mode == 0) blank(b, b->y, b->x, b->width);
        else if (mode == 1) blank(b, b->y, 0, b->x + 1);
        else if (mode == 2) blank(b, b->y, 0, b->width);
        b->wrap_pending = pending;
        break;
    }
    case 'X': blank(b, b->y, b->x, b->x + count); b->wrap_pending = pending; break;
    case 'P': {  // delete characters
        Cell* row = &b->at(0, b->y);
        int moved = std::max(0, b->width - b->x - count);
        std::move(row + b->x + (b->width - b->x - moved), row + b->width, row + b->x);
        blank(b, b->y, b->x + moved, b->width);
        break;
    }
    case '@': {  // insert blanks
        Cell* row = &b->at(0, b->y);
        int kept = std::max(0, b->width - b->x - count);
        std::move_backward(row + b->x, row + b->x + kept, row + b->width);
        blank(b, b->y, b->x, b->x + (b->width - b->x - kept));
        break;
    }
    case 'S': scroll_up(b, count); b->wrap_pending = pending; break;
    case 'T': scroll_down(b, count); b->wrap_pending = pending; break;
    case 'm': sgr(b, p, n); b->wrap_pending = pending; break;
    case 's': b->saved_x = b->x; b->saved_y = b->y; b->wrap_pending = pending; break;
    case 'u': b->x = std::min(b->saved_x, b->width - 1); b->y = std::min(b->saved_y, b->height - 1); break;
    default: b->wrap_pending = pending; break;  // not modelled
    }
}

// Applies written bytes (UTF-8 text and VT sequences) to the model: one pass, a switch a byte.
// Without ENABLE_PROCESSED_OUTPUT a control character other than ESC is no action but a cell
// of its own, as on Windows (Microsoft Learn, SetConsoleMode: only processed output acts on
// backspace, tab, bell, carriage return and line feed; Wine's conformance test
// testWriteNotWrappedNotProcessed reads the characters 0-31 back from the cells); then
// So is ESC unless ENABLE_VIRTUAL_TERMINAL_PROCESSING is set (with processed output ESC always
// begins a sequence, docs/deviations.md). Then `shown`, when not null, receives the bytes for
// the terminal with each such character as a blank, as a cell holding one is drawn.
void interpret(ScreenBuffer* b, const char* data, size_t length, std::string* shown = nullptr)
{
    using State = ScreenBuffer::State;
    const bool processed = (b->output_mode & ENABLE_PROCESSED_OUTPUT) != 0;
    const bool escapes = processed || (b->output_mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0;
    for (size_t i = 0; i < length; ++i) {
        unsigned char c = static_cast<unsigned char>(data[i]);
        if (shown != nullptr)
            *shown += b->state == State::Ground && c < 0x20 && (c != 0x1B || !escapes) ? ' ' : static_cast<char>(c);
        switch (b->state) {
        case State::Ground:
            if (b->code_left > 0) {
                if ((c & 0xC0) == 0x80) {
                    b->code = (b->code << 6) | (c & 0x3F);
                    // An overlong form, a surrogate or a value past U+10FFFF is no
                    // character: U+FFFD, as the console's decoding (MultiByteToWideChar) gives.
                    if (--b->code_left == 0)
                        put(b, b->code < b->code_least || (b->code >= 0xD800 && b->code <= 0xDFFF) ? 0xFFFD : b->code);
                    continue;
                }
                b->code_left = 0;
                put(b, 0xFFFD);  // a character cut short
            }
            if (c >= 0x20 && c < 0x7F) {
                put(b, c);
            } else if (c == 0x1B && escapes) {
                b->state = State::Escape;
            } else if (c < 0x20) {
                if (processed) control(b, c);
                else put(b, c);
            } else if (c >= 0xC2 && c <= 0xF4) {
                b->code_left = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
                b->code = c & (0x3F >> b->code_left);
                b->code_least = b->code_left == 1 ? 0x80 : b->code_left == 2 ? 0x800 : 0x10000;
            } else if (c != 0x7F) {
                put(b, 0xFFFD);
            }
            break;
        case State::Escape:
            if (c == '[') {
                b->state = State::Csi;
                b->csi.clear();
            } else if (c == ']' || c == 'P' || c == '_' || c == '^' || c == 'X') {
                b->state = State::String;  // OSC, DCS...: up to BEL or ST
            } else if (c >= 0x20 && c <= 0x2F) {
                b->state = State::EscapeIntermediate;
            } else {
                b->state = State::Ground;
                if (c == '7') {
                    b->saved_x = b->x;
                    b->saved_y = b->y;
                } else if (c == '8') {
                    b->x = std::min(b->saved_x, b->width - 1);
                    b->y = std::min(b->saved_y, b->height - 1);
                    b->wrap_pending = false;
                } else if (c == 'D') {
                    line_feed(b);
                } else if (c == 'E') {
                    b->x = 0;
                    line_feed(b);
                } else if (c == 'M') {
                    b->wrap_pending = false;
                    if (b->y > 0) --b->y;
                    else scroll_down(b, 1);
                } else if (c == 'c') {
                    for (int row = 0; row < b->height; ++row) blank(b, row, 0, b->width);
                    b->x = b->y = 0;
                    b->attributes = kDefaultAttributes;
                    b->wrap_pending = false;
                }
            }
            break;
        case State::EscapeIntermediate:
            if (c >= 0x30 && c <= 0x7E) b->state = State::Ground;
            break;
        case State::Csi:
            if (c >= 0x40 && c <= 0x7E) {
                b->state = State::Ground;
                csi_sequence(b, b->csi, static_cast<char>(c));
            } else if (c == 0x1B) {
                b->state = State::Escape;
            } else if (c >= 0x20 && b->csi.size() < 64) {
                b->csi += static_cast<char>(c);
            }
            break;
        case State::String:
            if (c == 0x07) b->state = State::Ground;
            else if (c == 0x1B) b->state = State::StringEscape;
            break;
        case State::StringEscape:
            b->state = c == '\\' ? State::Ground : State::String;
            break;
        }
    }
}

bool inside(const ScreenBuffer* b, COORD at) { return at.X >= 0 && at.Y >= 0 && at.X < b->width && at.Y < b->height; }

CHAR to_ascii(WCHAR c) { return c < 0x80 ? static_cast<CHAR>(c) : '?'; }

// The rectangle `region` clipped to the buffer and to the caller's cells (`size`, corner
// `from`): false when nothing is left. *column0/*row0: the caller's cell of the corner.
bool clip_rect(const ScreenBuffer* b, COORD size, COORD from, SMALL_RECT* region)
{
    if (from.X < 0 || from.Y < 0 || from.X >= size.X || from.Y >= size.Y) return false;
    int left = region->Left, top = region->Top;
    int right = std::min<int>(region->Right, left + (size.X - from.X) - 1);
    int bottom = std::min<int>(region->Bottom, top + (size.Y - from.Y) - 1);
    int clipped_left = std::max(left, 0), clipped_top = std::max(top, 0);
    right = std::min(right, b->width - 1);
    bottom = std::min(bottom, b->height - 1);
    if (clipped_left > right || clipped_top > bottom) return false;  // the region is left as it was
    region->Left = static_cast<SHORT>(clipped_left);
    region->Top = static_cast<SHORT>(clipped_top);
    region->Right = static_cast<SHORT>(right);
    region->Bottom = static_cast<SHORT>(bottom);
    return true;
}

// The console's first buffer, over the terminal `descriptor` (the console's from now on).
void make_main(int descriptor)
{
    terminal = descriptor;
    int columns = kDefaultWidth, rows = kDefaultHeight;
    terminal_size(&columns, &rows);
    main_buffer = new_buffer(columns, rows);
    // A terminal too large to model (no memory for its cells): the model starts at 80x24.
    if (main_buffer == nullptr) main_buffer = new_buffer(kDefaultWidth, kDefaultHeight);
    main_buffer->main = true;
    main_buffer->references = 1;  // the console's own: the main buffer lives as long as the process
    if (active_buffer == nullptr) active_buffer = main_buffer;
}

// Under the screen lock: SetConsoleActiveScreenBuffer.
void activate(ScreenBuffer* buffer)
{
    if (buffer == active_buffer) return;
    ScreenBuffer* shown = active_buffer;
    active_buffer = buffer;
    if (buffer == nullptr || terminal < 0) return;
    follow_terminal(buffer);
    std::string out;
    if (buffer->main) {
        if (alternate) out += "\033[?1049l";  // the terminal's own screen comes back
        alternate = false;
        if (buffer->dirty) redraw(buffer, out);
    } else {
        if (!alternate) {
            static bool registered = false;
            if (!registered) atexit(leave_alternate_at_exit);
            registered = true;
            out += "\033[?1049h";
        }
        alternate = true;
        out += "\033[0m\033[2J";
        redraw(buffer, out);
    }
    write_all(terminal, out);
    // The terminal takes the shown buffer's output mode (line feeds' return, autowrap).
    DWORD old_mode = shown != nullptr ? shown->output_mode : ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT;
    if (old_mode != buffer->output_mode) console_apply_output_mode(terminal, old_mode, buffer->output_mode);
}

}  // namespace

WCHAR screen_char_from_ascii(CHAR c)
{
    return static_cast<unsigned char>(c) < 0x80 ? static_cast<WCHAR>(c) : static_cast<WCHAR>(0xFFFD);
}

ScreenBuffer* screen_for_terminal(int descriptor, bool active)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    if (main_buffer == nullptr) make_main(fcntl(descriptor, F_DUPFD_CLOEXEC, 3));
    ScreenBuffer* buffer = active ? active_buffer : main_buffer;
    ++buffer->references;
    return buffer;
}

ScreenBuffer* screen_create()
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    if (main_buffer == nullptr) {
        // No handle of the terminal opened yet: standard output or error if one is a
        // terminal, else the controlling terminal, as CONOUT$ would open.
        int descriptor = -1;
        for (int fd : {1, 2})
            if (descriptor < 0 && isatty(fd)) descriptor = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (descriptor < 0) descriptor = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (descriptor >= 0) make_main(descriptor);
    }
    int columns = kDefaultWidth, rows = kDefaultHeight;
    WORD attributes = kDefaultAttributes;
    if (active_buffer != nullptr) {
        follow_terminal(active_buffer);
        columns = active_buffer->window_width;
        rows = active_buffer->window_height;
        attributes = active_buffer->attributes;
    }
    ScreenBuffer* buffer = new_buffer(columns, rows);
    if (buffer == nullptr) return nullptr;
    buffer->references = 1;
    // The active buffer's current attributes, as the console host gives a new buffer (Wine's
    // conformance test test_new_screen_buffer_color_attributes): its blanks are in them too.
    buffer->attributes = attributes;
    buffer->popup_attributes = attributes;  // as the console host does (the same test)
    if (active_buffer != nullptr) std::copy(active_buffer->colors, active_buffer->colors + 16, buffer->colors);
    if (attributes != kDefaultAttributes)
        for (Cell& cell : buffer->cells) cell.attributes = attributes;
    return buffer;
}

void screen_release(ScreenBuffer* buffer)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    if (--buffer->references > 0) return;
    // The switch back is made under the same hold of the lock: a CONOUT$ opened meanwhile
    // must not take the active buffer being deleted.
    if (buffer == active_buffer) activate(main_buffer);  // null when there is no terminal: nothing is shown
    delete buffer;
}

int screen_terminal()
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    return terminal;
}

void screen_activate(ScreenBuffer* buffer)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    activate(buffer);
}

DWORD screen_output_mode(ScreenBuffer* b)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    return b->output_mode;
}

void screen_set_output_mode(ScreenBuffer* b, int descriptor, DWORD mode)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    DWORD old_mode = b->output_mode;
    b->output_mode = mode;
    if (b != active_buffer) return;  // applied to the terminal when the buffer is shown
    if (descriptor < 0) descriptor = terminal;
    if (descriptor >= 0) console_apply_output_mode(descriptor, old_mode, mode);
}

DWORD screen_write_text(ScreenBuffer* buffer, int descriptor, const char* data, DWORD length,
                        DWORD (*write)(int descriptor, const char* data, DWORD length))
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    bool shown = buffer == active_buffer && (descriptor >= 0 || terminal >= 0);
    if (!shown || (buffer->output_mode & ENABLE_PROCESSED_OUTPUT)) {
        interpret(buffer, data, length);
        if (!shown) {
            buffer->dirty = true;
            return ERROR_SUCCESS;
        }
        return write(descriptor >= 0 ? descriptor : terminal, data, length);
    }
    std::string bytes;  // control characters are cells: the terminal draws them as blanks
    try {
        bytes.reserve(length);
    } catch (const std::bad_alloc&) {
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    interpret(buffer, data, length, &bytes);
    return write(descriptor >= 0 ? descriptor : terminal, bytes.data(), static_cast<DWORD>(bytes.size()));
}

void screen_info(ScreenBuffer* b, CONSOLE_SCREEN_BUFFER_INFO* info)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    follow_terminal(b);
    info->dwSize = {static_cast<SHORT>(b->width), static_cast<SHORT>(b->height)};
    info->dwCursorPosition = {static_cast<SHORT>(b->x), static_cast<SHORT>(b->y)};
    info->wAttributes = b->attributes;
    info->srWindow = {0, 0, static_cast<SHORT>(b->window_width - 1), static_cast<SHORT>(b->window_height - 1)};
    int columns = b->window_width, rows = b->window_height;
    terminal_size(&columns, &rows);
    info->dwMaximumWindowSize = {static_cast<SHORT>(std::min(columns, b->width)),
                                 static_cast<SHORT>(std::min(rows, b->height))};
}

void screen_extra_info(ScreenBuffer* b, WORD* popup_attributes, COLORREF colors[16])
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    *popup_attributes = b->popup_attributes;
    std::copy(b->colors, b->colors + 16, colors);
}

void screen_set_extra_info(ScreenBuffer* b, WORD popup_attributes, const COLORREF colors[16])
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    b->popup_attributes = popup_attributes;
    std::copy(colors, colors + 16, b->colors);
}

DWORD screen_set_cursor(ScreenBuffer* b, COORD position)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    follow_terminal(b);
    if (!inside(b, position)) return ERROR_INVALID_PARAMETER;
    b->x = position.X;
    b->y = position.Y;
    b->wrap_pending = false;
    if (b == active_buffer && terminal >= 0) {
        std::string out;
        append_cup(out, std::min(b->x, b->window_width - 1), std::min(b->y, b->window_height - 1));
        write_all(terminal, out);
    }
    return ERROR_SUCCESS;
}

void screen_set_attributes(ScreenBuffer* b, WORD attributes)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    b->attributes = attributes;
    if (b == active_buffer && terminal >= 0) {
        std::string out;
        append_sgr(out, attributes);
        write_all(terminal, out);
    }
}

void screen_cursor_info(ScreenBuffer* b, CONSOLE_CURSOR_INFO* info)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    info->dwSize = b->cursor_size;
    info->bVisible = b->cursor_visible ? TRUE : FALSE;
}

void screen_set_cursor_info(ScreenBuffer* b, DWORD size, bool visible)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    b->cursor_size = size;
    b->cursor_visible = visible;
    if (b == active_buffer && terminal >= 0) write_all(terminal, visible ? "\033[?25h" : "\033[?25l");
}

COORD screen_largest_window(ScreenBuffer* b)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    follow_terminal(b);
    int columns = b->window_width, rows = b->window_height;
    terminal_size(&columns, &rows);
    return COORD{static_cast<SHORT>(columns), static_cast<SHORT>(rows)};
}

// As Windows: the buffer cannot be smaller than its window (nor larger than 0x7FFF a side).
DWORD screen_set_size(ScreenBuffer* b, COORD size)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    follow_terminal(b);
    if (size.X < b->window_width || size.Y < b->window_height || size.X <= 0 || size.Y <= 0)
        return ERROR_INVALID_PARAMETER;
    if ((size.X != b->width || size.Y != b->height) && !b->resize(size.X, size.Y)) return ERROR_NOT_ENOUGH_MEMORY;
    return ERROR_SUCCESS;
}

// The window is the terminal's (its size and place cannot be changed from here): the window
// it already is succeeds; any other inside the buffer fails (ERROR_INVALID_PARAMETER, as
// Windows answers for a window it cannot take).
DWORD screen_set_window(ScreenBuffer* b, bool absolute, const SMALL_RECT& window)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    follow_terminal(b);
    int left = window.Left, top = window.Top, right = window.Right, bottom = window.Bottom;
    if (!absolute) {  // deltas to the window's edges (its corner is at 0, 0)
        right += b->window_width - 1;
        bottom += b->window_height - 1;
    }
    if (left < 0 || top < 0 || right < left || bottom < top || right >= b->width || bottom >= b->height)
        return ERROR_INVALID_PARAMETER;
    if (left != 0 || top != 0 || right != b->window_width - 1 || bottom != b->window_height - 1)
        return ERROR_INVALID_PARAMETER;
    return ERROR_SUCCESS;
}

void screen_write_cells(ScreenBuffer* b, COORD at, DWORD count, const WCHAR* chars, const WORD* attributes,
                        bool repeat, DWORD* done)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    *done = 0;
    if (!inside(b, at) || count == 0) return;
    size_t start = static_cast<size_t>(at.Y) * b->width + at.X;
    size_t n = std::min<size_t>(count, b->cells.size() - start);
    for (size_t i = 0; i < n; ++i) {
        Cell& cell = b->at_index(start + i);
        if (chars != nullptr) cell.ch = chars[repeat ? 0 : i];
        if (attributes != nullptr) cell.attributes = attributes[repeat ? 0 : i];
    }
    *done = static_cast<DWORD>(n);
    int last_row = static_cast<int>((start + n - 1) / b->width);
    if (last_row == at.Y) show(b, at.X, at.Y, static_cast<int>((start + n - 1) % b->width), at.Y);
    else show(b, 0, at.Y, b->width - 1, last_row);
}

void screen_read_cells(ScreenBuffer* b, COORD at, DWORD count, WCHAR* chars, CHAR* narrow, WORD* attributes,
                       DWORD* done)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    *done = 0;
    if (!inside(b, at) || count == 0) return;
    size_t start = static_cast<size_t>(at.Y) * b->width + at.X;
    size_t n = std::min<size_t>(count, b->cells.size() - start);
    for (size_t i = 0; i < n; ++i) {
        const Cell& cell = b->at_index(start + i);
        if (chars != nullptr) chars[i] = cell.ch;
        if (narrow != nullptr) narrow[i] = to_ascii(cell.ch);
        if (attributes != nullptr) attributes[i] = cell.attributes;
    }
    *done = static_cast<DWORD>(n);
}

void screen_write_rect(ScreenBuffer* b, const CHAR_INFO* cells, COORD size, COORD from, SMALL_RECT* region, bool wide)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    SMALL_RECT requested = *region;
    if (!clip_rect(b, size, from, region)) return;
    for (int row = region->Top; row <= region->Bottom; ++row)
        for (int column = region->Left; column <= region->Right; ++column) {
            const CHAR_INFO& source = cells[static_cast<size_t>(from.Y + row - requested.Top) * size.X +
                                            (from.X + column - requested.Left)];
            WCHAR c = wide ? source.Char.UnicodeChar : screen_char_from_ascii(source.Char.AsciiChar);
            b->at(column, row) = Cell{c, source.Attributes};
        }
    show(b, region->Left, region->Top, region->Right, region->Bottom);
}

bool screen_read_rect(ScreenBuffer* b, CHAR_INFO* cells, COORD size, COORD from, SMALL_RECT* region, bool wide)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    SMALL_RECT requested = *region;
    if (!clip_rect(b, size, from, region)) return false;
    for (int row = region->Top; row <= region->Bottom; ++row)
        for (int column = region->Left; column <= region->Right; ++column) {
            CHAR_INFO& target = cells[static_cast<size_t>(from.Y + row - requested.Top) * size.X +
                                      (from.X + column - requested.Left)];
            const Cell& cell = b->at(column, row);
            if (wide) {
                target.Char.UnicodeChar = cell.ch;
            } else {
                target.Char.UnicodeChar = 0;
                target.Char.AsciiChar = to_ascii(cell.ch);
            }
            target.Attributes = cell.attributes;
        }
    return true;
}

DWORD screen_scroll(ScreenBuffer* b, const SMALL_RECT& scroll, const SMALL_RECT* clip, COORD destination,
                    CHAR_INFO fill, bool wide)
{
    std::lock_guard<std::mutex> guard(screen_mutex());
    int left = std::max<int>(scroll.Left, 0), top = std::max<int>(scroll.Top, 0);
    int right = std::min<int>(scroll.Right, b->width - 1), bottom = std::min<int>(scroll.Bottom, b->height - 1);
    if (left > right || top > bottom) return ERROR_INVALID_PARAMETER;
    int clip_left = 0, clip_top = 0, clip_right = b->width - 1, clip_bottom = b->height - 1;
    if (clip != nullptr) {
        clip_left = std::max<int>(clip->Left, 0);
        clip_top = std::max<int>(clip->Top, 0);
        clip_right = std::min<int>(clip->Right, b->width - 1);
        clip_bottom = std::min<int>(clip->Bottom, b->height - 1);
        if (clip_left > clip_right || clip_top > clip_bottom) return ERROR_SUCCESS;
    }
    // The destination takes the source as it was (clipped source, moved by the same offset).
    int dx = destination.X + (left - scroll.Left), dy = destination.Y + (top - scroll.Top);
    int w = right - left + 1, h = bottom - top + 1;
    std::vector<Cell> saved;
    try {
        saved.reserve(static_cast<size_t>(w) * h);
    } catch (const std::bad_alloc&) {
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    for (int row = top; row <= bottom; ++row)
        for (int column = left; column <= right; ++column) saved.push_back(b->at(column, row));
    auto in_clip = [&](int column, int row) {
        return column >= clip_left && column <= clip_right && row >= clip_top && row <= clip_bottom;
    };
    Cell blank_cell{wide ? fill.Char.UnicodeChar : screen_char_from_ascii(fill.Char.AsciiChar), fill.Attributes};
    for (int row = top; row <= bottom; ++row)
        for (int column = left; column <= right; ++column)
            if (in_clip(column, row)) b->at(column, row) = blank_cell;
    for (int row = 0; row < h; ++row)
        for (int column = 0; column < w; ++column) {
            int tx = dx + column, ty = dy + row;
            if (tx < 0 || ty < 0 || tx >= b->width || ty >= b->height || !in_clip(tx, ty)) continue;
            b->at(tx, ty) = saved[static_cast<size_t>(row) * w + column];
        }
    int show_left = std::max(std::min(left, dx), clip_left), show_top = std::max(std::min(top, dy), clip_top);
    int show_right = std::min(std::max(right, dx + w - 1), clip_right);
    int show_bottom = std::min(std::max(bottom, dy + h - 1), clip_bottom);
    show(b, show_left, show_top, show_right, show_bottom);
    return ERROR_SUCCESS;
}

}  // namespace overlapped::drivers
