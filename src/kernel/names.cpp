// names.cpp: name -> object map, guarded by one mutex (names are not a hot path).
#include "kernel/names.h"

#include <mutex>
#include <unordered_map>

namespace overlapped::kernel {
namespace {

struct Namespace {
    std::mutex mutex;
    std::unordered_map<std::string, Object*> objects;
};

Namespace& space()
{
    static Namespace* instance = new Namespace();
    return *instance;
}

}  // namespace

Object* names_find(const std::string& name)
{
    Namespace& s = space();
    std::lock_guard<std::mutex> guard(s.mutex);
    auto found = s.objects.find(name);
    if (found == s.objects.end()) return nullptr;
    // A count of zero means the object is on its way out: the name is as good as gone.
    return found->second->try_add_reference() ? found->second : nullptr;
}

Object* names_insert_or_find(Object* object)
{
    Namespace& s = space();
    std::lock_guard<std::mutex> guard(s.mutex);
    auto [position, inserted] = s.objects.emplace(object->name, object);
    if (inserted) return nullptr;
    if (position->second->try_add_reference()) return position->second;
    position->second = object;  // the old holder is being destroyed
    return nullptr;
}

void names_remove(Object* object)
{
    Namespace& s = space();
    std::lock_guard<std::mutex> guard(s.mutex);
    auto found = s.objects.find(object->name);
    if (found != s.objects.end() && found->second == object) s.objects.erase(found);
}

void names_remove_unused(Object* object)
{
    Namespace& s = space();
    std::lock_guard<std::mutex> guard(s.mutex);
    auto found = s.objects.find(object->name);
    if (found == s.objects.end() || found->second != object) return;
    // A names_find that ran before this may have opened a handle since: the name stays.
    object->lock.lock();
    bool unused = object->handle_count == 0;
    object->lock.unlock();
    if (unused) s.objects.erase(found);
}

DWORD names_normalise(std::string* name)
{
    // Windows looks the name up relative to the session's directory, where a leading
    // separator is a syntax error (STATUS_OBJECT_PATH_SYNTAX_BAD; Wine agrees).
    if (!name->empty() && (*name)[0] == '\\') return ERROR_BAD_PATHNAME;
    for (const char* prefix : {"Global\\", "Local\\", "Session\\"}) {
        std::string p(prefix);
        if (name->compare(0, p.size(), p) == 0) {
            name->erase(0, p.size());
            break;
        }
    }
    if (name->find('\\') != std::string::npos) return ERROR_PATH_NOT_FOUND;
    if (name->empty()) return ERROR_INVALID_NAME;
    return ERROR_SUCCESS;
}

}  // namespace overlapped::kernel
