/* guiddef.h: GUID, the 16-byte identifier Winsock's extension functions are named by. */
#ifndef OVERLAPPED_GUIDDEF_H
#define OVERLAPPED_GUIDDEF_H

#include <windef.h>
#include <string.h>

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    DWORD Data1; /* 32 bits, as on Windows (its `unsigned long`) */
    WORD Data2;
    WORD Data3;
    BYTE Data4[8];
} GUID;
#endif
typedef GUID *LPGUID, *PGUID;
typedef const GUID *LPCGUID, *PCGUID;
typedef GUID IID, CLSID;
#ifdef __cplusplus
#define REFGUID const GUID &
#else
#define REFGUID const GUID *
#endif

static inline int overlapped_guid_equal(const GUID *a, const GUID *b)
{
    return memcmp(a, b, sizeof(GUID)) == 0;
}
#ifdef __cplusplus
#define IsEqualGUID(a, b) overlapped_guid_equal(&(a), &(b))
#else
#define IsEqualGUID(a, b) overlapped_guid_equal((a), (b))
#endif

#endif
