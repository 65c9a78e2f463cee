/* conio.h: the Microsoft C run-time's console I/O (_getch, _kbhit...), as console samples
 * use it ("press a key"). As in the C run-time, these read the console (CONIN$: the
 * process's terminal) and write to it (CONOUT$), whatever the standard handles are; with
 * no terminal, _getch returns EOF and _kbhit 0. docs/console.md says how keys are read. */
#ifndef OVERLAPPED_CONIO_H
#define OVERLAPPED_CONIO_H

#include <windef.h>

OVERLAPPED_BEGIN_C

/* One key, without echo and without waiting for Enter: its character, or for a key with
 * none (arrows, Home, F1...) 0 or 0xE0 and then, at the next call, the key's code. */
OVERLAPPED_API int __cdecl _getch(void) __asm__("overlapped__getch");
/* _getch, and the character echoed to the console. */
OVERLAPPED_API int __cdecl _getche(void) __asm__("overlapped__getche");
/* Non-zero when a key waits to be read by _getch; does not wait. */
OVERLAPPED_API int __cdecl _kbhit(void) __asm__("overlapped__kbhit");
/* Writes one character to the console: the character, or EOF. */
OVERLAPPED_API int __cdecl _putch(int c) __asm__("overlapped__putch");
/* Pushes one character back for the next _getch: the character, or EOF when one is
 * already pushed back or c is EOF. */
OVERLAPPED_API int __cdecl _ungetch(int c) __asm__("overlapped__ungetch");
/* Writes a string to the console: 0, or non-zero on failure. */
OVERLAPPED_API int __cdecl _cputs(const char *str) __asm__("overlapped__cputs");

/* The old names (the C run-time's oldnames.lib). */
#define getch _getch
#define getche _getche
#define kbhit _kbhit
#define putch _putch
#define ungetch _ungetch
#define cputs _cputs

OVERLAPPED_END_C

#endif
