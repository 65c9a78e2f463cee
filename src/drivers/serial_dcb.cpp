// serial_dcb.cpp: the pure parts of the serial driver (serial.h): Windows' read
// time-out rules, SetCommTimeouts' check, and BuildCommDCB's two syntaxes.
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "drivers/serial.h"

namespace overlapped::drivers {

// ---- COMMTIMEOUTS (docs/research/windows-serial.md).
SerialReadClock serial_read_start(const COMMTIMEOUTS& t, DWORD length, uint64_t now)
{
    SerialReadClock clock;
    clock.last_data = now;
    if (t.ReadIntervalTimeout == MAXDWORD && t.ReadTotalTimeoutMultiplier == 0 && t.ReadTotalTimeoutConstant == 0) {
        clock.mode = SerialReadClock::Immediate;  // what is there, at once
        return clock;
    }
    if (t.ReadIntervalTimeout == MAXDWORD && t.ReadTotalTimeoutMultiplier == MAXDWORD &&
        t.ReadTotalTimeoutConstant > 0 && t.ReadTotalTimeoutConstant < MAXDWORD) {
        clock.mode = SerialReadClock::FirstByte;  // what is there, or the first bytes to come
        clock.total_deadline = now + t.ReadTotalTimeoutConstant;
        return clock;
    }
    uint64_t total = static_cast<uint64_t>(t.ReadTotalTimeoutMultiplier) * length + t.ReadTotalTimeoutConstant;
    if (total != 0) clock.total_deadline = now + total;
    clock.interval = t.ReadIntervalTimeout;
    return clock;
}

bool serial_read_decide(const SerialReadClock& clock, DWORD done, DWORD length, uint64_t now, uint64_t* wake)
{
    *wake = 0;
    if (done >= length) return true;
    switch (clock.mode) {
    case SerialReadClock::Immediate: return true;
    case SerialReadClock::FirstByte:
        if (done > 0 || now >= clock.total_deadline) return true;
        *wake = clock.total_deadline;
        return false;
    case SerialReadClock::Normal: break;
    }
    if (clock.total_deadline != 0 && now >= clock.total_deadline) return true;
    uint64_t next = clock.total_deadline;
    if (clock.interval != 0 && done > 0) {
        uint64_t gap_end = clock.last_data + clock.interval;
        if (now >= gap_end) return true;
        if (next == 0 || gap_end < next) next = gap_end;
    }
    *wake = next;
    return false;
}

bool serial_timeouts_valid(const COMMTIMEOUTS& t)
{
    return !(t.ReadIntervalTimeout == MAXDWORD && t.ReadTotalTimeoutMultiplier == MAXDWORD &&
             t.ReadTotalTimeoutConstant == MAXDWORD);
}

// ---- BuildCommDCB.
namespace {

bool equals_nocase(const std::string& a, const char* b)
{
    if (a.size() != strlen(b)) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (tolower(static_cast<unsigned char>(a[i])) != tolower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

bool parse_number(const std::string& text, DWORD* value)
{
    if (text.empty() || text.size() > 10) return false;
    uint64_t number = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        number = number * 10 + static_cast<unsigned>(c - '0');
    }
    if (number > 0xffffffffull) return false;
    *value = static_cast<DWORD>(number);
    return true;
}

bool parse_parity(const std::string& text, BYTE* parity)
{
    if (text.size() != 1) return false;
    switch (toupper(static_cast<unsigned char>(text[0]))) {
    case 'N': *parity = NOPARITY; return true;
    case 'O': *parity = ODDPARITY; return true;
    case 'E': *parity = EVENPARITY; return true;
    case 'M': *parity = MARKPARITY; return true;
    case 'S': *parity = SPACEPARITY; return true;
    default: return false;
    }
}

bool parse_data(const std::string& text, BYTE* size)
{
    if (text.size() != 1 || text[0] < '5' || text[0] > '8') return false;
    *size = static_cast<BYTE>(text[0] - '0');
    return true;
}

bool parse_stop(const std::string& text, BYTE* stop)
{
    if (text == "1") *stop = ONESTOPBIT;
    else if (text == "1.5") *stop = ONE5STOPBITS;
    else if (text == "2") *stop = TWOSTOPBITS;
    else return false;
    return true;
}

bool parse_on_off(const std::string& text, bool* on)
{
    if (equals_nocase(text, "on")) *on = true;
    else if (equals_nocase(text, "off")) *on = false;
    else return false;
    return true;
}

std::string trim(const std::string& text)
{
    size_t start = text.find_first_not_of(' ');
    if (start == std::string::npos) return std::string();
    size_t end = text.find_last_not_of(' ');
    return text.substr(start, end - start + 1);
}

// "96,N,8,1[,x|p]": the MODE command's old form; spaces around the commas.
bool build_old(const std::string& text, DCB* dcb)
{
    std::string fields[6];
    int count = 0;
    size_t start = 0;
    for (;;) {
        size_t comma = text.find(',', start);
        if (count == 5) return false;
        fields[count++] = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    DWORD baud;
    if (!parse_number(fields[0], &baud)) return false;
    switch (baud) {  // the two-digit abbreviations
    case 11: baud = 110; break;
    case 15: baud = 150; break;
    case 30: baud = 300; break;
    case 60: baud = 600; break;
    case 12: baud = 1200; break;
    case 24: baud = 2400; break;
    case 48: baud = 4800; break;
    case 96: baud = 9600; break;
    case 19: baud = 19200; break;
    default: break;
    }
    dcb->BaudRate = baud;
    if (count > 1 && !parse_parity(fields[1], &dcb->Parity)) return false;
    if (count > 2 && !parse_data(fields[2], &dcb->ByteSize)) return false;
    if (count > 3 && !parse_stop(fields[3], &dcb->StopBits)) return false;
    // The flow control: none, x (XON/XOFF) or p (hardware); NT sets these five always.
    char flow = 0;
    if (count > 4) {
        if (fields[4].size() != 1) return false;
        flow = static_cast<char>(toupper(static_cast<unsigned char>(fields[4][0])));
        if (flow != 'X' && flow != 'P') return false;
    }
    bool hardware = flow == 'P';
    dcb->fOutX = dcb->fInX = flow == 'X';
    dcb->fOutxCtsFlow = dcb->fOutxDsrFlow = hardware;
    dcb->fDtrControl = hardware ? DTR_CONTROL_HANDSHAKE : DTR_CONTROL_ENABLE;
    dcb->fRtsControl = hardware ? RTS_CONTROL_HANDSHAKE : RTS_CONTROL_ENABLE;
    return true;
}

// "baud=9600 parity=n data=8 stop=1 to=on xon=off odsr=off octs=off dtr=on rts=on
// idsr=off": key=value pairs separated by spaces, keys in any case.
bool build_new(const std::string& text, DCB* dcb, COMMTIMEOUTS* timeouts)
{
    bool stop_given = false;
    size_t at = 0;
    while (at < text.size()) {
        if (text[at] == ' ') {
            ++at;
            continue;
        }
        size_t end = text.find(' ', at);
        std::string pair = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        at = end == std::string::npos ? text.size() : end;
        size_t equals = pair.find('=');
        if (equals == std::string::npos) return false;
        std::string key = pair.substr(0, equals), value = pair.substr(equals + 1);
        bool on = false;
        if (equals_nocase(key, "baud")) {
            if (!parse_number(value, &dcb->BaudRate)) return false;
        } else if (equals_nocase(key, "parity")) {
            if (!parse_parity(value, &dcb->Parity)) return false;
        } else if (equals_nocase(key, "data")) {
            if (!parse_data(value, &dcb->ByteSize)) return false;
        } else if (equals_nocase(key, "stop")) {
            if (!parse_stop(value, &dcb->StopBits)) return false;
            stop_given = true;
        } else if (equals_nocase(key, "to")) {
            if (!parse_on_off(value, &on)) return false;
            if (timeouts != nullptr) {
                *timeouts = COMMTIMEOUTS{};
                if (on) timeouts->WriteTotalTimeoutConstant = 60000;
            }
        } else if (equals_nocase(key, "xon")) {
            if (!parse_on_off(value, &on)) return false;
            dcb->fOutX = dcb->fInX = on;
        } else if (equals_nocase(key, "odsr")) {
            if (!parse_on_off(value, &on)) return false;
            dcb->fOutxDsrFlow = on;
        } else if (equals_nocase(key, "octs")) {
            if (!parse_on_off(value, &on)) return false;
            dcb->fOutxCtsFlow = on;
        } else if (equals_nocase(key, "idsr")) {
            if (!parse_on_off(value, &on)) return false;
            dcb->fDsrSensitivity = on;
        } else if (equals_nocase(key, "dtr")) {
            if (equals_nocase(value, "hs")) dcb->fDtrControl = DTR_CONTROL_HANDSHAKE;
            else if (parse_on_off(value, &on)) dcb->fDtrControl = on ? DTR_CONTROL_ENABLE : DTR_CONTROL_DISABLE;
            else return false;
        } else if (equals_nocase(key, "rts")) {
            if (equals_nocase(value, "hs")) dcb->fRtsControl = RTS_CONTROL_HANDSHAKE;
            else if (equals_nocase(value, "tg")) dcb->fRtsControl = RTS_CONTROL_TOGGLE;
            else if (parse_on_off(value, &on)) dcb->fRtsControl = on ? RTS_CONTROL_ENABLE : RTS_CONTROL_DISABLE;
            else return false;
        } else {
            return false;
        }
    }
    // No stop= : one stop bit, two at 110 baud (the MODE command's default).
    if (!stop_given) dcb->StopBits = dcb->BaudRate == 110 ? TWOSTOPBITS : ONESTOPBIT;
    return true;
}

}  // namespace

bool serial_build_dcb(const std::string& text, DCB* dcb, COMMTIMEOUTS* timeouts)
{
    DCB parsed = *dcb;
    COMMTIMEOUTS parsed_timeouts{};
    if (timeouts != nullptr) parsed_timeouts = *timeouts;
    std::string rest = text;
    // An optional "COMn:" prefix (n from 1), spaces before and after the colon.
    if (rest.size() >= 3 && equals_nocase(rest.substr(0, 3), "com")) {
        size_t digits = 3;
        while (digits < rest.size() && isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
        DWORD port = 0;
        if (digits == 3 || !parse_number(rest.substr(3, digits - 3), &port) || port == 0) return false;
        size_t colon = rest.find_first_not_of(' ', digits);
        if (colon == std::string::npos || rest[colon] != ':') return false;
        rest = rest.substr(colon + 1);
        size_t first = rest.find_first_not_of(' ');
        rest = first == std::string::npos ? std::string() : rest.substr(first);
    }
    if (rest.empty() || rest[0] == ' ') return false;
    bool ok = rest.find('=') != std::string::npos ? build_new(rest, &parsed, timeouts ? &parsed_timeouts : nullptr)
                                                   : build_old(rest, &parsed);
    if (!ok) return false;
    *dcb = parsed;
    if (timeouts != nullptr) *timeouts = parsed_timeouts;
    return true;
}

}  // namespace overlapped::drivers
