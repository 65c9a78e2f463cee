// security.cpp: security descriptors as programs build them for a SECURITY_ATTRIBUTES
// (InitializeSecurityDescriptor, then SetSecurityDescriptorDacl, often with a NULL DACL
// that lets everyone in) and read them back. The structure is Windows' own; the objects
// the library creates accept such a descriptor and do not enforce it
// (docs/deviations.md).
#include <windows.h>

#include <cstring>

#include "win32/entry.h"

namespace {

using overlapped::win32::fail;

// The descriptor's revision, or the failure Windows reports for a wrong one.
bool known_revision(const SECURITY_DESCRIPTOR* descriptor)
{
    if (descriptor->Revision == SECURITY_DESCRIPTOR_REVISION) return true;
    return fail(ERROR_UNKNOWN_REVISION, false);
}

}  // namespace

BOOL WINAPI InitializeSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor, DWORD dwRevision)
{
    if (dwRevision != SECURITY_DESCRIPTOR_REVISION) return fail(ERROR_UNKNOWN_REVISION, FALSE);
    std::memset(pSecurityDescriptor, 0, sizeof(SECURITY_DESCRIPTOR));
    static_cast<SECURITY_DESCRIPTOR*>(pSecurityDescriptor)->Revision = SECURITY_DESCRIPTOR_REVISION;
    return TRUE;
}

BOOL WINAPI SetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor, BOOL bDaclPresent, PACL pDacl,
                                      BOOL bDaclDefaulted)
{
    auto* descriptor = static_cast<SECURITY_DESCRIPTOR*>(pSecurityDescriptor);
    if (!known_revision(descriptor)) return FALSE;
    // Only the absolute form has room for a pointer.
    if (descriptor->Control & SE_SELF_RELATIVE) return fail(ERROR_INVALID_SECURITY_DESCR, FALSE);
    if (!bDaclPresent) {
        descriptor->Control &= ~SE_DACL_PRESENT;
        return TRUE;
    }
    descriptor->Control |= SE_DACL_PRESENT;
    descriptor->Dacl = pDacl;
    if (bDaclDefaulted)
        descriptor->Control |= SE_DACL_DEFAULTED;
    else
        descriptor->Control &= ~SE_DACL_DEFAULTED;
    return TRUE;
}

BOOL WINAPI GetSecurityDescriptorDacl(PSECURITY_DESCRIPTOR pSecurityDescriptor, LPBOOL lpbDaclPresent, PACL* pDacl,
                                      LPBOOL lpbDaclDefaulted)
{
    auto* descriptor = static_cast<SECURITY_DESCRIPTOR*>(pSecurityDescriptor);
    if (!known_revision(descriptor)) return FALSE;
    *lpbDaclPresent = (descriptor->Control & SE_DACL_PRESENT) != 0;
    if (*lpbDaclPresent) {
        if (descriptor->Control & SE_SELF_RELATIVE) {
            DWORD offset = static_cast<SECURITY_DESCRIPTOR_RELATIVE*>(pSecurityDescriptor)->Dacl;
            *pDacl = offset != 0 ? reinterpret_cast<PACL>(static_cast<BYTE*>(pSecurityDescriptor) + offset) : nullptr;
        } else {
            *pDacl = descriptor->Dacl;
        }
        *lpbDaclDefaulted = (descriptor->Control & SE_DACL_DEFAULTED) != 0;
    }
    return TRUE;
}

BOOL WINAPI GetSecurityDescriptorControl(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSECURITY_DESCRIPTOR_CONTROL pControl,
                                         LPDWORD lpdwRevision)
{
    auto* descriptor = static_cast<SECURITY_DESCRIPTOR*>(pSecurityDescriptor);
    *lpdwRevision = descriptor->Revision;
    if (!known_revision(descriptor)) return FALSE;
    *pControl = descriptor->Control;
    return TRUE;
}

BOOL WINAPI IsValidSecurityDescriptor(PSECURITY_DESCRIPTOR pSecurityDescriptor)
{
    if (pSecurityDescriptor == nullptr) return fail(ERROR_INVALID_SECURITY_DESCR, FALSE);
    if (static_cast<SECURITY_DESCRIPTOR*>(pSecurityDescriptor)->Revision != SECURITY_DESCRIPTOR_REVISION)
        return fail(ERROR_INVALID_SECURITY_DESCR, FALSE);
    return TRUE;
}
