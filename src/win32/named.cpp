// named.cpp: named kernel objects' creation and opening (named.h).
#include "win32/named.h"

#include "kernel/handle_table.h"
#include "kernel/names.h"
#include "win32/entry.h"

namespace overlapped::win32 {

Name name_from(LPCSTR name)
{
    Name result;
    if (name != nullptr && name[0] != 0) {
        result.present = true;
        result.text = name;
        if (MultiByteToWideChar(CP_ACP, 0, name, -1, nullptr, 0) > MAX_PATH + 1)
            result.error = ERROR_FILENAME_EXCED_RANGE;
    }
    result.empty = name != nullptr && name[0] == 0;
    return result;
}

Name name_from(LPCWSTR name)
{
    Name result;
    if (name != nullptr && name[0] != 0) {
        result.present = true;
        result.text = utf8_from_utf16(name);
    }
    result.empty = name != nullptr && name[0] == 0;
    return result;
}

Name name_from(LPCSTR name, const SECURITY_ATTRIBUTES* attributes)
{
    Name result = name_from(name);
    result.handle_flags = inherit_flags(attributes);
    return result;
}

Name name_from(LPCWSTR name, const SECURITY_ATTRIBUTES* attributes)
{
    Name result = name_from(name);
    result.handle_flags = inherit_flags(attributes);
    return result;
}

// Creates an object, or opens the existing one of the same name and type (last error
// ERROR_ALREADY_EXISTS). Another type under the name gives ERROR_INVALID_HANDLE.
HANDLE create_object(const Name& name, kernel::ObjectType type, ACCESS_MASK access,
                     const std::function<kernel::Object*()>& make)
{
    DWORD error;
    if (name.error != ERROR_SUCCESS) return fail(name.error, HANDLE(nullptr));
    if (!name.present) {
        HANDLE handle = kernel::handle_create(make(), access, name.handle_flags, &error);
        if (handle == nullptr) return fail(error, HANDLE(nullptr));
        set_last_error(ERROR_SUCCESS);
        return handle;
    }
    std::string text = name.text;
    if (DWORD refused = kernel::names_normalise(&text)) return fail(refused, HANDLE(nullptr));
    kernel::Object* existing = kernel::names_find(text);
    if (existing == nullptr) {
        kernel::Object* object = make();
        object->name = text;
        // The handle comes first: a name without a handle is removed by the close of the
        // last handle (names_remove_unused), which another thread's open and close of the
        // name could otherwise do between the insertion and this handle.
        HANDLE handle = kernel::handle_create(object, access, name.handle_flags, &error);
        if (handle == nullptr) return fail(error, HANDLE(nullptr));
        existing = kernel::names_insert_or_find(object);
        if (existing == nullptr) {
            set_last_error(ERROR_SUCCESS);
            return handle;
        }
        object->name.clear();  // lost a race to another creator: use theirs
        kernel::handle_close(handle);
    }
    if (existing->type() != type) {
        existing->release_reference();
        return fail(ERROR_INVALID_HANDLE, HANDLE(nullptr));
    }
    HANDLE handle = kernel::handle_create(existing, access, name.handle_flags, &error);
    if (handle == nullptr) return fail(error, HANDLE(nullptr));
    set_last_error(ERROR_ALREADY_EXISTS);
    return handle;
}

HANDLE open_object(const Name& name, kernel::ObjectType type, ACCESS_MASK access, BOOL inherit)
{
    // NULL: ERROR_INVALID_PARAMETER. "": Windows opens the name relative to the namespace's
    // directory, which is the directory itself, not an object of the type (Wine's ntdll om.c
    // test_name_limits: STATUS_OBJECT_TYPE_MISMATCH, ERROR_INVALID_HANDLE).
    if (name.error != ERROR_SUCCESS) return fail(name.error, HANDLE(nullptr));
    if (!name.present) return fail(name.empty ? ERROR_INVALID_HANDLE : ERROR_INVALID_PARAMETER, HANDLE(nullptr));
    std::string text = name.text;
    if (DWORD refused = kernel::names_normalise(&text)) return fail(refused, HANDLE(nullptr));
    kernel::Object* object = kernel::names_find(text);
    if (object == nullptr) return fail(ERROR_FILE_NOT_FOUND, HANDLE(nullptr));
    if (object->type() != type) {
        object->release_reference();
        return fail(ERROR_INVALID_HANDLE, HANDLE(nullptr));
    }
    // Windows' access check of an open grants no handle that asks for nothing, nor (for a
    // synchronization object, whose default security grants its type's rights) one that
    // asks for a right the type does not have; ACCESS_SYSTEM_SECURITY needs a privilege.
    // Wine's kernel32 sync test_mutex opens a mutex with access 0 and with each single bit.
    ACCESS_MASK all = kernel::type_all_access(type);
    DWORD refused = ERROR_SUCCESS;
    if (access == 0) refused = ERROR_ACCESS_DENIED;
    else if (all != 0 && (access & ACCESS_SYSTEM_SECURITY)) refused = ERROR_PRIVILEGE_NOT_HELD;
    else if (all != 0 && (kernel::map_generic_access(type, access) & ~all)) refused = ERROR_ACCESS_DENIED;
    if (refused != ERROR_SUCCESS) {
        object->release_reference();
        return fail(refused, HANDLE(nullptr));
    }
    DWORD error;
    HANDLE handle = kernel::handle_create(object, access, inherit ? HANDLE_FLAG_INHERIT : 0, &error);
    if (handle == nullptr) return fail(error, HANDLE(nullptr));
    return handle;
}

}  // namespace overlapped::win32
