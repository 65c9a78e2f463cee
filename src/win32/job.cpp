// job.cpp: job objects (kernel/job.h): CreateJobObject, OpenJobObject,
// AssignProcessToJobObject, TerminateJobObject, IsProcessInJob, SetInformationJobObject
// and QueryInformationJobObject for the limits this library enforces (kill on close,
// breakaway, active processes, process memory), the completion port's messages, and the
// accounting of counts and ids.
#include <cstring>

#include "kernel/handle_table.h"
#include "kernel/job.h"
#include "kernel/port.h"
#include "kernel/process.h"
#include "win32/entry.h"
#include "win32/named.h"

using namespace overlapped;
using overlapped::win32::fail;

namespace {

// The limits that are enforced; any other fails with ERROR_CALL_NOT_IMPLEMENTED.
constexpr DWORD kKnownLimits = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_BREAKAWAY_OK |
                               JOB_OBJECT_LIMIT_ACTIVE_PROCESS | JOB_OBJECT_LIMIT_PROCESS_MEMORY |
                               JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK |
                               JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;  // a crash ends a process anyway
// The limits JOBOBJECT_BASIC_LIMIT_INFORMATION may set (winnt.h's
// JOB_OBJECT_BASIC_LIMIT_VALID_FLAGS); the others (kill on close, breakaway, memory...)
// only in the extended class: ERROR_INVALID_PARAMETER in the basic one.
constexpr DWORD kBasicLimits = 0x000000FF;

// The job behind `handle`, referenced, if the handle has `access` (ERROR_ACCESS_DENIED
// otherwise; Microsoft Learn names the right each job function needs).
kernel::JobObject* job_of(HANDLE handle, ACCESS_MASK access, DWORD* error)
{
    return static_cast<kernel::JobObject*>(kernel::handle_reference(handle, kernel::ObjectType::Job, access, error));
}

// OpenJobObject's generic rights as a job's specific ones (the job type's generic mapping).
ACCESS_MASK job_access(DWORD desired)
{
    ACCESS_MASK access = desired & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
    if (desired & GENERIC_READ) access |= STANDARD_RIGHTS_READ | JOB_OBJECT_QUERY;
    if (desired & GENERIC_WRITE)
        access |= STANDARD_RIGHTS_WRITE | JOB_OBJECT_ASSIGN_PROCESS | JOB_OBJECT_SET_ATTRIBUTES | JOB_OBJECT_TERMINATE;
    if (desired & GENERIC_EXECUTE) access |= STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE;
    if (desired & GENERIC_ALL) access |= JOB_OBJECT_ALL_ACCESS;
    return access;
}

template <class Char>
HANDLE create_job(LPSECURITY_ATTRIBUTES attributes, const Char* name)
{
    return win32::create_object(win32::name_from(name, attributes), kernel::ObjectType::Job, JOB_OBJECT_ALL_ACCESS,
                                [] { return kernel::JobObject::create(); });
}

// SetInformationJobObject(JobObjectAssociateCompletionPortInformation). A null port
// removes the association (Windows 8 and later); one port at a time, as on Windows.
BOOL associate_port(HANDLE job_handle, LPVOID information, DWORD length)
{
    if (length != sizeof(JOBOBJECT_ASSOCIATE_COMPLETION_PORT) || information == nullptr)
        return fail(ERROR_BAD_LENGTH, FALSE);
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT association;
    memcpy(&association, information, sizeof association);
    DWORD error;
    kernel::JobObject* job = job_of(job_handle, JOB_OBJECT_SET_ATTRIBUTES, &error);
    if (job == nullptr) return fail(error, FALSE);
    kernel::CompletionPort* port = nullptr;
    if (association.CompletionPort != nullptr) {
        kernel::Object* object =
            kernel::handle_reference(association.CompletionPort, kernel::ObjectType::CompletionPort, 0, &error);
        if (object == nullptr) {
            job->release_reference();
            return fail(error, FALSE);
        }
        port = static_cast<kernel::CompletionPort*>(object);
    }
    error = job->associate_port(port, reinterpret_cast<ULONG_PTR>(association.CompletionKey));
    if (error != ERROR_SUCCESS && port != nullptr) port->release_reference();  // else the job's now
    job->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // namespace

extern "C" {

HANDLE WINAPI CreateJobObjectA(LPSECURITY_ATTRIBUTES lpJobAttributes, LPCSTR lpName)
{
    return create_job(lpJobAttributes, lpName);
}

HANDLE WINAPI CreateJobObjectW(LPSECURITY_ATTRIBUTES lpJobAttributes, LPCWSTR lpName)
{
    return create_job(lpJobAttributes, lpName);
}

HANDLE WINAPI OpenJobObjectA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    return win32::open_object(win32::name_from(lpName), kernel::ObjectType::Job, job_access(dwDesiredAccess),
                              bInheritHandle);
}

HANDLE WINAPI OpenJobObjectW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    return win32::open_object(win32::name_from(lpName), kernel::ObjectType::Job, job_access(dwDesiredAccess),
                              bInheritHandle);
}

// The process handle needs PROCESS_SET_QUOTA and PROCESS_TERMINATE (Microsoft Learn).
BOOL WINAPI AssignProcessToJobObject(HANDLE hJob, HANDLE hProcess)
{
    DWORD error;
    kernel::JobObject* job = job_of(hJob, JOB_OBJECT_ASSIGN_PROCESS, &error);
    if (job == nullptr) return fail(error, FALSE);
    kernel::Object* object =
        kernel::handle_reference(hProcess, kernel::ObjectType::Process, PROCESS_SET_QUOTA | PROCESS_TERMINATE, &error);
    if (object == nullptr) {
        job->release_reference();
        return fail(error, FALSE);
    }
    error = job->assign(static_cast<kernel::ProcessObject*>(object));
    object->release_reference();
    job->release_reference();
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

// Ends every process of the job; this process too when it is one, as on Windows.
BOOL WINAPI TerminateJobObject(HANDLE hJob, UINT uExitCode)
{
    DWORD error;
    kernel::JobObject* job = job_of(hJob, JOB_OBJECT_TERMINATE, &error);
    if (job == nullptr) return fail(error, FALSE);
    bool self = job->terminate(uExitCode);
    job->release_reference();
    if (self) TerminateProcess(GetCurrentProcess(), uExitCode);
    return TRUE;
}

// NULL for the job: whether the process is in any job, as on Windows (Wine's conformance
// test, test_IsProcessInJob: a child assigned to a job is "in a job" for NULL).
BOOL WINAPI IsProcessInJob(HANDLE ProcessHandle, HANDLE JobHandle, PBOOL Result)
{
    DWORD error;
    kernel::Object* object = kernel::handle_reference_any(
        ProcessHandle, kernel::ObjectType::Process, PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION, &error);
    if (object == nullptr) return fail(error, FALSE);
    auto* process = static_cast<kernel::ProcessObject*>(object);
    bool inside;
    if (JobHandle != nullptr) {
        kernel::JobObject* job = job_of(JobHandle, JOB_OBJECT_QUERY, &error);
        if (job == nullptr) {
            object->release_reference();
            return fail(error, FALSE);
        }
        inside = job->contains(process);
        job->release_reference();
    } else {
        inside = kernel::in_any_job(process);
    }
    object->release_reference();
    if (Result == nullptr) return fail(ERROR_NOACCESS, FALSE);
    *Result = inside ? TRUE : FALSE;
    return TRUE;
}

BOOL WINAPI SetInformationJobObject(HANDLE hJob, JOBOBJECTINFOCLASS JobObjectInformationClass,
                                    LPVOID lpJobObjectInformation, DWORD cbJobObjectInformationLength)
{
    const JOBOBJECT_BASIC_LIMIT_INFORMATION* basic;
    uint64_t memory_limit = 0;
    if (JobObjectInformationClass == JobObjectAssociateCompletionPortInformation)
        return associate_port(hJob, lpJobObjectInformation, cbJobObjectInformationLength);
    if (JobObjectInformationClass == JobObjectBasicLimitInformation) {
        if (cbJobObjectInformationLength != sizeof(JOBOBJECT_BASIC_LIMIT_INFORMATION) || lpJobObjectInformation == nullptr)
            return fail(ERROR_BAD_LENGTH, FALSE);
        basic = static_cast<const JOBOBJECT_BASIC_LIMIT_INFORMATION*>(lpJobObjectInformation);
    } else if (JobObjectInformationClass == JobObjectExtendedLimitInformation) {
        if (cbJobObjectInformationLength != sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION) ||
            lpJobObjectInformation == nullptr)
            return fail(ERROR_BAD_LENGTH, FALSE);
        const auto* extended = static_cast<const JOBOBJECT_EXTENDED_LIMIT_INFORMATION*>(lpJobObjectInformation);
        basic = &extended->BasicLimitInformation;
        memory_limit = extended->ProcessMemoryLimit;
    } else {
        return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);  // docs/win32-status.md
    }
    DWORD flags = basic->LimitFlags;
    if (JobObjectInformationClass == JobObjectBasicLimitInformation && (flags & ~kBasicLimits))
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    if (flags & ~kKnownLimits) return fail(ERROR_CALL_NOT_IMPLEMENTED, FALSE);
    DWORD error;
    kernel::JobObject* job = job_of(hJob, JOB_OBJECT_SET_ATTRIBUTES, &error);
    if (job == nullptr) return fail(error, FALSE);
    job->set_limit_flags(flags, basic->ActiveProcessLimit, memory_limit);
    job->release_reference();
    return TRUE;
}

BOOL WINAPI QueryInformationJobObject(HANDLE hJob, JOBOBJECTINFOCLASS JobObjectInformationClass,
                                      LPVOID lpJobObjectInformation, DWORD cbJobObjectInformationLength,
                                      LPDWORD lpReturnLength)
{
    DWORD error;
    kernel::JobObject* job = hJob != nullptr ? job_of(hJob, JOB_OBJECT_QUERY, &error) : kernel::current_job();
    if (job == nullptr) return fail(hJob != nullptr ? error : ERROR_INVALID_HANDLE, FALSE);
    DWORD length = 0;
    error = ERROR_SUCCESS;
    switch (JobObjectInformationClass) {
    case JobObjectBasicAccountingInformation:
    case JobObjectBasicAndIoAccountingInformation: {
        // No I/O counts (IoInfo stays zero) and no page-fault count: Linux keeps neither
        // for a process once it has been reaped.
        length = JobObjectInformationClass == JobObjectBasicAccountingInformation
                     ? sizeof(JOBOBJECT_BASIC_ACCOUNTING_INFORMATION)
                     : sizeof(JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION);
        if (cbJobObjectInformationLength < length || lpJobObjectInformation == nullptr) {
            error = ERROR_BAD_LENGTH;
            break;
        }
        JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION info{};
        kernel::JobObject::Accounting counted = job->accounting();
        info.BasicInfo.TotalUserTime.QuadPart = static_cast<LONGLONG>(counted.user_time);
        info.BasicInfo.TotalKernelTime.QuadPart = static_cast<LONGLONG>(counted.kernel_time);
        info.BasicInfo.ThisPeriodTotalUserTime = info.BasicInfo.TotalUserTime;  // no period was set
        info.BasicInfo.ThisPeriodTotalKernelTime = info.BasicInfo.TotalKernelTime;
        info.BasicInfo.TotalProcesses = counted.total;
        info.BasicInfo.ActiveProcesses = counted.active;
        info.BasicInfo.TotalTerminatedProcesses = counted.terminated;
        memcpy(lpJobObjectInformation, &info, length);
        break;
    }
    case JobObjectBasicLimitInformation:
    case JobObjectExtendedLimitInformation: {
        length = JobObjectInformationClass == JobObjectBasicLimitInformation
                     ? sizeof(JOBOBJECT_BASIC_LIMIT_INFORMATION)
                     : sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION);
        if (cbJobObjectInformationLength < length || lpJobObjectInformation == nullptr) {
            error = ERROR_BAD_LENGTH;
            break;
        }
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION info{};
        info.BasicLimitInformation.LimitFlags = job->limit_flags();
        info.BasicLimitInformation.ActiveProcessLimit = job->active_process_limit();
        info.ProcessMemoryLimit = static_cast<SIZE_T>(job->process_memory_limit());
        memcpy(lpJobObjectInformation, &info, length);
        break;
    }
    case JobObjectBasicProcessIdList: {
        std::vector<DWORD> ids = job->process_ids();
        auto* list = static_cast<JOBOBJECT_BASIC_PROCESS_ID_LIST*>(lpJobObjectInformation);
        DWORD header = offsetof(JOBOBJECT_BASIC_PROCESS_ID_LIST, ProcessIdList);
        // Room for one id at least, or ERROR_BAD_LENGTH (Wine's conformance test,
        // test_QueryInformationJobObject: the header alone is too short).
        if (cbJobObjectInformationLength < sizeof(JOBOBJECT_BASIC_PROCESS_ID_LIST) || list == nullptr) {
            error = ERROR_BAD_LENGTH;
            break;
        }
        DWORD room = static_cast<DWORD>((cbJobObjectInformationLength - header) / sizeof(ULONG_PTR));
        DWORD listed = std::min<DWORD>(room, static_cast<DWORD>(ids.size()));
        list->NumberOfAssignedProcesses = static_cast<DWORD>(ids.size());
        list->NumberOfProcessIdsInList = listed;
        for (DWORD i = 0; i < listed; ++i) list->ProcessIdList[i] = ids[i];
        length = header + listed * static_cast<DWORD>(sizeof(ULONG_PTR));
        if (listed < ids.size()) error = ERROR_MORE_DATA;
        break;
    }
    default:
        error = ERROR_CALL_NOT_IMPLEMENTED;
        break;
    }
    job->release_reference();
    if (lpReturnLength != nullptr) *lpReturnLength = length;
    if (error != ERROR_SUCCESS) return fail(error, FALSE);
    return TRUE;
}

}  // extern "C"
