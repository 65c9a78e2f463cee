// console_screen.h: console screen buffers as the Windows console host keeps them: each
// buffer is a grid of cells (a character and its attributes) with a size, a cursor, a window
// and the current attributes. The process's first buffer (the "main" one) is the terminal's
// screen; CreateConsoleScreenBuffer makes others. The active buffer mirrors its changes to
// the terminal as VT sequences (cursor moves, SGR, the cells written); a buffer that is not
// active changes only its model. Text written with WriteConsole/WriteFile goes to the
// terminal as it is and through a small VT interpreter into the model (printable text with
// wrapping, CR, LF, BS, TAB, the common CSI sequences), so the model's cursor follows the
// program's output. docs/console.md ("Screen buffers") describes it.
//
// Every function takes the screen lock (one per process); the terminal writes are made
// under it, so the model and the terminal see changes in the same order.
#pragma once

#include <string>

#include <windows.h>

namespace overlapped::drivers {

class ScreenBuffer;

// The buffer a terminal handle opened now refers to: the main buffer (`active` false: the
// standard handles, inherited handles) or the active one (CONOUT$). The first call adopts a
// duplicate of `descriptor` as the console's terminal. One reference for the caller.
ScreenBuffer* screen_for_terminal(int descriptor, bool active);
// CreateConsoleScreenBuffer: a blank buffer the size of the active buffer's window (80x24
// when there is no terminal), with the active buffer's current attributes (Windows' default
// when there is none), its blanks in them too. One reference; null when
// there is no memory for its cells.
ScreenBuffer* screen_create();
// Drops a reference; the last one of a buffer other than the main one deletes it (if it was
// active, the main buffer becomes active again, as Windows switches back).
void screen_release(ScreenBuffer* buffer);
// The console's terminal descriptor (-1: none).
int screen_terminal();

// SetConsoleActiveScreenBuffer: shows `buffer` (the terminal's alternate screen for a
// buffer other than the main one, redrawn from the model; leaving it for the main one).
void screen_activate(ScreenBuffer* buffer);

// GetConsoleMode / SetConsoleMode on a screen buffer: each buffer has its output mode, used
// to interpret its text (ENABLE_WRAP_AT_EOL_OUTPUT, and the line feed's return:
// ENABLE_PROCESSED_OUTPUT without DISABLE_NEWLINE_AUTO_RETURN). The active buffer's is
// applied to the terminal (`descriptor`, or the console's terminal when -1); another's
// when it is shown.
DWORD screen_output_mode(ScreenBuffer* buffer);
void screen_set_output_mode(ScreenBuffer* buffer, int descriptor, DWORD mode);

// Text for the buffer (WriteConsole, WriteFile): applied to the model; written to the
// terminal (`descriptor`, or the console's terminal when -1) if the buffer is active.
// `write` writes the bytes to a descriptor (the device's cancellable loop).
DWORD screen_write_text(ScreenBuffer* buffer, int descriptor, const char* data, DWORD length,
                        DWORD (*write)(int descriptor, const char* data, DWORD length));

void screen_info(ScreenBuffer* buffer, CONSOLE_SCREEN_BUFFER_INFO* info);
// The popup attributes and the colour table of GetConsoleScreenBufferInfoEx: recorded per
// buffer (a new buffer: the popup attributes are the active buffer's current attributes,
// the colours Windows' default palette); the terminal keeps its own palette.
void screen_extra_info(ScreenBuffer* buffer, WORD* popup_attributes, COLORREF colors[16]);
void screen_set_extra_info(ScreenBuffer* buffer, WORD popup_attributes, const COLORREF colors[16]);
DWORD screen_set_cursor(ScreenBuffer* buffer, COORD position);
void screen_set_attributes(ScreenBuffer* buffer, WORD attributes);
// Each buffer has its cursor (Windows' default: 25% of the cell, shown); its visibility
// is DECTCEM on the terminal while the buffer is active, its size only recorded.
void screen_cursor_info(ScreenBuffer* buffer, CONSOLE_CURSOR_INFO* info);
void screen_set_cursor_info(ScreenBuffer* buffer, DWORD size, bool visible);
COORD screen_largest_window(ScreenBuffer* buffer);
// SetConsoleScreenBufferSize: ERROR_INVALID_PARAMETER for a size smaller than the window,
// ERROR_NOT_ENOUGH_MEMORY when the cells of the new size cannot be had (the buffer stays).
DWORD screen_set_size(ScreenBuffer* buffer, COORD size);
DWORD screen_set_window(ScreenBuffer* buffer, bool absolute, const SMALL_RECT& window);

// From (x, y) on in reading order, wrapping at each row's end and stopping at the buffer's
// end: sets the characters (`chars`), the attributes (`attributes`) or both; `repeat`: the
// first element each time (Fill). A start outside the buffer writes nothing. *done: cells.
void screen_write_cells(ScreenBuffer* buffer, COORD at, DWORD count, const WCHAR* chars, const WORD* attributes,
                        bool repeat, DWORD* done);
// Reads as many cells the same way: their characters (`chars`; or `narrow`: ASCII as it
// is, any other character as '?'), their attributes, or both.
void screen_read_cells(ScreenBuffer* buffer, COORD at, DWORD count, WCHAR* chars, CHAR* narrow, WORD* attributes,
                       DWORD* done);

// WriteConsoleOutput / ReadConsoleOutput: the rectangle `region` of the screen buffer from or
// to the cells of `cells` (`size` of them, the corner at `from`); `region` becomes the part
// done (clipped to both); a region wholly outside the buffer is left as it was, nothing
// done (the read returns false). `wide`: CHAR_INFO's UnicodeChar, else AsciiChar.
void screen_write_rect(ScreenBuffer* buffer, const CHAR_INFO* cells, COORD size, COORD from, SMALL_RECT* region,
                       bool wide);
bool screen_read_rect(ScreenBuffer* buffer, CHAR_INFO* cells, COORD size, COORD from, SMALL_RECT* region, bool wide);

// A character of an A function as a cell's: ASCII as it is, another byte (not a whole
// UTF-8 character) as U+FFFD.
WCHAR screen_char_from_ascii(CHAR c);

// ScrollConsoleScreenBuffer: moves `scroll` (clipped to the buffer) to `destination`,
// changing only cells inside `clip` (the buffer when null); the source's cells left behind
// get `fill`. ERROR_INVALID_PARAMETER when the clipped source is empty, ERROR_NOT_ENOUGH_MEMORY
// when there is no memory for a copy of it.
DWORD screen_scroll(ScreenBuffer* buffer, const SMALL_RECT& scroll, const SMALL_RECT* clip, COORD destination,
                    CHAR_INFO fill, bool wide);

}  // namespace overlapped::drivers
