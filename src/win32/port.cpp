// port.cpp: CreateIoCompletionPort, PostQueuedCompletionStatus,
// GetQueuedCompletionStatus(Ex), and the library's port statistics.
#include "common/errors.h"
#include "io/device.h"
#include "kernel/handle_table.h"
#include "kernel/port.h"
#include "overlapped/overlapped.h"
#include "win32/entry.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

// Posting, removing and binding a handle all need IO_COMPLETION_MODIFY_STATE (NT's
// NtSetIoCompletion, NtRemoveIoCompletion and FileCompletionInformation ask for it):
// ERROR_ACCESS_DENIED through a duplicate made without it.
kernel::CompletionPort* lock_port(HANDLE handle, DWORD* error)
{
    return static_cast<kernel::CompletionPort*>(
        kernel::handle_lock(handle, kernel::ObjectType::CompletionPort, IO_COMPLETION_MODIFY_STATE, error));
}

// Runs remove_and_unlock until it does not ask for a retry (the thread first had to
// leave another port). Returns the NTSTATUS, or sets *error for a bad handle.
DWORD remove_packets(HANDLE port_handle, kernel::Packet* packets, ULONG count, ULONG* removed,
                     DWORD milliseconds, bool alertable, DWORD* error)
{
    kernel::Deadline deadline = kernel::Deadline::from_milliseconds(milliseconds);
    for (;;) {
        kernel::CompletionPort* port = lock_port(port_handle, error);
        if (port == nullptr) return kernel::CompletionPort::kRetry;
        DWORD status = port->remove_and_unlock(packets, count, removed, deadline, alertable);
        if (status != kernel::CompletionPort::kRetry) return status;
    }
}

}  // namespace

extern "C" HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads)
{
    DWORD error;
    if (FileHandle == INVALID_HANDLE_VALUE) {
        if (ExistingCompletionPort != nullptr) return fail(ERROR_INVALID_PARAMETER, HANDLE(nullptr));
        kernel::CompletionPort* port = kernel::CompletionPort::create(NumberOfConcurrentThreads);
        HANDLE handle = kernel::handle_create(port, IO_COMPLETION_ALL_ACCESS, 0, &error);
        if (handle == nullptr) return fail(error, HANDLE(nullptr));
        return handle;
    }
    // Binding a device: to the existing port, or to a new one made for it.
    HANDLE port_handle = ExistingCompletionPort;
    kernel::Object* port;
    if (port_handle != nullptr) {
        port = kernel::handle_reference(port_handle, kernel::ObjectType::CompletionPort, IO_COMPLETION_MODIFY_STATE,
                                        &error);
        if (port == nullptr) return fail(error, HANDLE(nullptr));
    } else {
        port = kernel::CompletionPort::create(NumberOfConcurrentThreads);
        port->add_reference();  // one for the handle made below, one held here
        port_handle = kernel::handle_create(port, IO_COMPLETION_ALL_ACCESS, 0, &error);
        if (port_handle == nullptr) {
            port->release_reference();
            return fail(error, HANDLE(nullptr));
        }
    }
    io::Device* device = io::device_lock(FileHandle, 0, &error);
    if (device != nullptr) {
        error = device->bind(static_cast<kernel::CompletionPort*>(port), CompletionKey);
        device->lock.unlock();
    }
    port->release_reference();
    if (device == nullptr || error != ERROR_SUCCESS) {
        if (ExistingCompletionPort == nullptr) kernel::handle_close(port_handle);
        return fail(error, HANDLE(nullptr));
    }
    return port_handle;
}

extern "C" BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                                  ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped)
{
    DWORD error;
    kernel::CompletionPort* port = lock_port(CompletionPort, &error);
    if (port == nullptr) return fail(error, FALSE);
    port->post_and_unlock(kernel::Packet{dwCompletionKey, lpOverlapped, STATUS_SUCCESS,
                                         dwNumberOfBytesTransferred});
    return TRUE;
}

extern "C" BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytesTransferred,
                                                 PULONG_PTR lpCompletionKey, LPOVERLAPPED* lpOverlapped,
                                                 DWORD dwMilliseconds)
{
    if (lpOverlapped != nullptr) *lpOverlapped = nullptr;
    kernel::Packet packet;
    ULONG removed = 0;
    DWORD error = ERROR_SUCCESS;
    DWORD status = remove_packets(CompletionPort, &packet, 1, &removed, dwMilliseconds, false, &error);
    if (status == kernel::CompletionPort::kRetry) return fail(error, FALSE);
    if (status != STATUS_SUCCESS) return fail(win32_error_from_ntstatus(status), FALSE);
    if (lpNumberOfBytesTransferred != nullptr) *lpNumberOfBytesTransferred = packet.bytes;
    if (lpCompletionKey != nullptr) *lpCompletionKey = packet.key;
    if (lpOverlapped != nullptr) *lpOverlapped = packet.overlapped;
    if (packet.status != STATUS_SUCCESS && static_cast<LONG>(packet.status) < 0)
        return fail(win32_error_from_ntstatus(packet.status), FALSE);
    return TRUE;
}

extern "C" BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                                   LPOVERLAPPED_ENTRY lpCompletionPortEntries, ULONG ulCount,
                                                   PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
                                                   BOOL fAlertable)
{
    // NT's NtRemoveIoCompletionEx refuses a count of 0 (STATUS_INVALID_PARAMETER), then
    // probes the array and the count's address: a NULL one is STATUS_ACCESS_VIOLATION
    // (ERROR_NOACCESS, as Wine answers too), with no packet taken.
    if (ulCount == 0) return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (lpCompletionPortEntries == nullptr || ulNumEntriesRemoved == nullptr) return fail(ERROR_NOACCESS, FALSE);
    // Packets land in a stack buffer in chunks, then are copied into the caller's entries
    // (the layouts differ: OVERLAPPED_ENTRY is 32 bytes, a Packet 24).
    constexpr ULONG kChunk = 64;
    kernel::Packet packets[kChunk];
    ULONG want = ulCount < kChunk ? ulCount : kChunk;
    ULONG removed = 0;
    DWORD error = ERROR_SUCCESS;
    DWORD status = remove_packets(CompletionPort, packets, want, &removed, dwMilliseconds, fAlertable, &error);
    if (status == kernel::CompletionPort::kRetry) return fail(error, FALSE);
    if (status != STATUS_SUCCESS) {
        *ulNumEntriesRemoved = 0;
        return fail(win32_error_from_ntstatus(status), FALSE);
    }
    ULONG total = 0;
    for (;;) {
        for (ULONG i = 0; i < removed; ++i, ++total) {
            OVERLAPPED_ENTRY& entry = lpCompletionPortEntries[total];
            entry.lpCompletionKey = packets[i].key;
            entry.lpOverlapped = packets[i].overlapped;
            entry.Internal = packets[i].status;
            entry.dwNumberOfBytesTransferred = packets[i].bytes;
        }
        if (removed < want || total == ulCount) break;
        // A full chunk: take more that are already queued, without waiting.
        want = ulCount - total < kChunk ? ulCount - total : kChunk;
        status = remove_packets(CompletionPort, packets, want, &removed, 0, false, &error);
        if (status != STATUS_SUCCESS) break;
    }
    *ulNumEntriesRemoved = total;
    return TRUE;
}

extern "C" BOOL overlapped_get_port_statistics(HANDLE port_handle, overlapped_port_statistics* statistics)
{
    if (statistics == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    DWORD error;
    kernel::CompletionPort* port = lock_port(port_handle, &error);
    if (port == nullptr) return fail(error, FALSE);
    uint64_t values[7];
    port->statistics(values);
    port->lock.unlock();
    statistics->queued = values[0];
    statistics->running = values[1];
    statistics->waiting = values[2];
    statistics->paused = values[3];
    statistics->concurrency = values[4];
    statistics->total_posted = values[5];
    statistics->total_dequeued = values[6];
    return TRUE;
}

extern "C" const char* overlapped_version(void) { return "0.1.0"; }
