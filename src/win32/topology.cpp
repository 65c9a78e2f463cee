// topology.cpp: the processor topology a server sizes itself by: GetLogicalProcessorInformation(Ex)
// (cores, their hyperthreads, caches, packages, NUMA nodes, processor groups) and the NUMA
// queries, from Linux's /sys/devices/system/cpu and /sys/devices/system/node.
#include <windows.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

#include "win32/entry.h"

using overlapped::win32::fail;

// The layouts of 64-bit Windows (winnt.h): programs step through the records by these sizes.
static_assert(sizeof(GROUP_AFFINITY) == 16, "GROUP_AFFINITY");
static_assert(sizeof(CACHE_DESCRIPTOR) == 12, "CACHE_DESCRIPTOR");
static_assert(sizeof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION) == 32, "SYSTEM_LOGICAL_PROCESSOR_INFORMATION");
static_assert(sizeof(PROCESSOR_RELATIONSHIP) == 40 && offsetof(PROCESSOR_RELATIONSHIP, GroupCount) == 22,
              "PROCESSOR_RELATIONSHIP");
static_assert(sizeof(NUMA_NODE_RELATIONSHIP) == 40 && offsetof(NUMA_NODE_RELATIONSHIP, GroupMask) == 24,
              "NUMA_NODE_RELATIONSHIP");
static_assert(sizeof(CACHE_RELATIONSHIP) == 48 && offsetof(CACHE_RELATIONSHIP, GroupMask) == 32,
              "CACHE_RELATIONSHIP");
static_assert(sizeof(PROCESSOR_GROUP_INFO) == 48, "PROCESSOR_GROUP_INFO");
static_assert(sizeof(GROUP_RELATIONSHIP) == 72 && offsetof(GROUP_RELATIONSHIP, GroupInfo) == 24, "GROUP_RELATIONSHIP");
static_assert(sizeof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX) == 80 &&
                  offsetof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX, Processor) == 8,
              "SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX");

namespace {

constexpr unsigned kGroupSize = 64;  // processors per group, numbered in order (system.cpp)

using CpuSet = std::vector<unsigned>;  // processor numbers, ascending

bool read_text(const std::string& path, std::string* text)
{
    FILE* f = std::fopen(path.c_str(), "re");
    if (f == nullptr) return false;
    char buffer[4096];
    size_t n = std::fread(buffer, 1, sizeof buffer - 1, f);
    std::fclose(f);
    buffer[n] = '\0';
    *text = buffer;
    while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
    return true;
}

long read_number(const std::string& path, long fallback)
{
    std::string text;
    if (!read_text(path, &text) || text.empty()) return fallback;
    char* end = nullptr;
    long value = std::strtol(text.c_str(), &end, 10);
    return end == text.c_str() ? fallback : value;
}

// A kernel CPU list ("0-3,8,10-11").
CpuSet parse_list(const std::string& text)
{
    CpuSet cpus;
    const char* p = text.c_str();
    while (*p != '\0') {
        char* end = nullptr;
        unsigned long first = std::strtoul(p, &end, 10);
        if (end == p) break;
        unsigned long last = first;
        p = end;
        if (*p == '-') {
            last = std::strtoul(p + 1, &end, 10);
            p = end;
        }
        for (unsigned long cpu = first; cpu <= last && cpu < 65536; ++cpu) cpus.push_back(static_cast<unsigned>(cpu));
        while (*p == ',' || *p == '\n' || *p == ' ') ++p;
    }
    std::sort(cpus.begin(), cpus.end());
    cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
    return cpus;
}

// The list in `path` restricted to `online`, or `fallback` when the file cannot be read.
CpuSet read_set(const std::string& path, const CpuSet& online, const CpuSet& fallback)
{
    std::string text;
    if (!read_text(path, &text)) return fallback;
    CpuSet listed = parse_list(text), result;
    std::set_intersection(listed.begin(), listed.end(), online.begin(), online.end(), std::back_inserter(result));
    return result.empty() ? fallback : result;
}

struct Cache {
    BYTE level = 0, associativity = 0;
    WORD line = 0;
    DWORD size = 0;
    PROCESSOR_CACHE_TYPE type = CacheUnified;
    CpuSet cpus;
};

struct Node {
    DWORD number = 0;
    CpuSet cpus;
};

struct Core {
    CpuSet cpus;
    BYTE efficiency = 0;
};

struct Topology {
    CpuSet online;
    std::vector<Core> cores;
    std::vector<CpuSet> packages;
    std::vector<Cache> caches;
    std::vector<Node> nodes;
    DWORD highest_node = 0;
};

const std::string kCpuRoot = "/sys/devices/system/cpu/";

// Each processor's efficiency class as Windows numbers them (0 the most efficient, higher
// for faster cores; 0 for all on a machine whose cores are alike): on hybrid x86 the
// "atom" cores 0 and the "core" ones 1; elsewhere the rank of the kernel's cpu_capacity.
std::map<unsigned, BYTE> efficiency_classes(const CpuSet& online)
{
    std::map<unsigned, BYTE> classes;
    std::string atom, core;
    if (read_text("/sys/devices/cpu_atom/cpus", &atom) && read_text("/sys/devices/cpu_core/cpus", &core)) {
        for (unsigned cpu : parse_list(core)) classes[cpu] = 1;
        return classes;
    }
    std::map<unsigned, long> capacity;
    std::vector<long> distinct;
    for (unsigned cpu : online) {
        long value = read_number(kCpuRoot + "cpu" + std::to_string(cpu) + "/cpu_capacity", -1);
        if (value < 0) return classes;
        capacity[cpu] = value;
        distinct.push_back(value);
    }
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (const auto& [cpu, value] : capacity)
        classes[cpu] = static_cast<BYTE>(std::lower_bound(distinct.begin(), distinct.end(), value) - distinct.begin());
    return classes;
}

void read_caches(Topology& t, unsigned cpu)
{
    const std::string base = kCpuRoot + "cpu" + std::to_string(cpu) + "/cache/index";
    for (int index = 0;; ++index) {
        const std::string dir = base + std::to_string(index) + "/";
        std::string type, size_text;
        if (!read_text(dir + "type", &type)) break;
        Cache cache;
        if (type == "Data") cache.type = CacheData;
        else if (type == "Instruction") cache.type = CacheInstruction;
        else if (type == "Unified") cache.type = CacheUnified;
        else continue;
        cache.level = static_cast<BYTE>(read_number(dir + "level", 0));
        long ways = read_number(dir + "ways_of_associativity", 0);
        cache.associativity = static_cast<BYTE>(ways > 0xFF ? CACHE_FULLY_ASSOCIATIVE : ways);
        cache.line = static_cast<WORD>(read_number(dir + "coherency_line_size", 0));
        if (read_text(dir + "size", &size_text)) {
            unsigned long long size = std::strtoull(size_text.c_str(), nullptr, 10);
            char unit = size_text.empty() ? '\0' : size_text.back();
            if (unit == 'K') size <<= 10;
            else if (unit == 'M') size <<= 20;
            else if (unit == 'G') size <<= 30;
            cache.size = static_cast<DWORD>(std::min<unsigned long long>(size, 0xFFFFFFFFu));
        }
        cache.cpus = read_set(dir + "shared_cpu_list", t.online, CpuSet{cpu});
        bool known = std::any_of(t.caches.begin(), t.caches.end(), [&](const Cache& c) {
            return c.level == cache.level && c.type == cache.type && c.cpus == cache.cpus;
        });
        if (!known) t.caches.push_back(cache);
    }
}

void read_nodes(Topology& t)
{
    DIR* dir = opendir("/sys/devices/system/node");
    if (dir != nullptr) {
        while (dirent* entry = readdir(dir)) {
            unsigned number;
            char tail;
            if (std::sscanf(entry->d_name, "node%u%c", &number, &tail) != 1) continue;
            t.highest_node = std::max<DWORD>(t.highest_node, number);
            CpuSet cpus = read_set("/sys/devices/system/node/" + std::string(entry->d_name) + "/cpulist", t.online, {});
            if (!cpus.empty()) t.nodes.push_back(Node{number, cpus});
        }
        closedir(dir);
    }
    std::sort(t.nodes.begin(), t.nodes.end(), [](const Node& a, const Node& b) { return a.number < b.number; });
    if (t.nodes.empty()) t.nodes.push_back(Node{0, t.online});  // no NUMA: one node holds all
}

Topology read_topology()
{
    Topology t;
    std::string online;
    if (read_text(kCpuRoot + "online", &online)) t.online = parse_list(online);
    if (t.online.empty()) {
        long count = sysconf(_SC_NPROCESSORS_ONLN);
        for (long cpu = 0; cpu < std::max(1L, count); ++cpu) t.online.push_back(static_cast<unsigned>(cpu));
    }
    std::map<unsigned, BYTE> efficiency = efficiency_classes(t.online);
    for (unsigned cpu : t.online) {
        const std::string topology = kCpuRoot + "cpu" + std::to_string(cpu) + "/topology/";
        CpuSet core = read_set(topology + "thread_siblings_list", t.online, CpuSet{cpu});
        if (std::none_of(t.cores.begin(), t.cores.end(), [&](const Core& c) { return c.cpus == core; }))
            t.cores.push_back(Core{core, efficiency.count(cpu) ? efficiency[cpu] : BYTE(0)});
        CpuSet package = read_set(topology + "core_siblings_list", t.online, t.online);
        if (std::find(t.packages.begin(), t.packages.end(), package) == t.packages.end()) t.packages.push_back(package);
        read_caches(t, cpu);
    }
    read_nodes(t);
    return t;
}

// Read once: Windows' topology is the one found at boot.
const Topology& topology()
{
    static const Topology t = read_topology();
    return t;
}

// The processors of `cpus` as one mask per group they are in, by group.
std::vector<GROUP_AFFINITY> group_masks(const CpuSet& cpus)
{
    std::vector<GROUP_AFFINITY> masks;
    for (unsigned cpu : cpus) {
        WORD group = static_cast<WORD>(cpu / kGroupSize);
        if (masks.empty() || masks.back().Group != group) {
            masks.push_back(GROUP_AFFINITY{});
            masks.back().Group = group;
        }
        masks.back().Mask |= KAFFINITY(1) << (cpu % kGroupSize);
    }
    return masks;
}

// Appends a record of `size` bytes (zeroed, Relationship and Size set) and returns it.
SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX* append_record(std::vector<unsigned char>& out,
                                                       LOGICAL_PROCESSOR_RELATIONSHIP relationship, size_t size)
{
    size_t at = out.size();
    out.resize(at + size, 0);
    auto* record = reinterpret_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(out.data() + at);
    record->Relationship = relationship;
    record->Size = static_cast<DWORD>(size);
    return record;
}

// Appends a record of `relationship` whose group masks (one per group `cpus` are in) end
// it from `offset` on; *count is set to their number (the record's GroupCount).
SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX* append_masked(std::vector<unsigned char>& out,
                                                       LOGICAL_PROCESSOR_RELATIONSHIP relationship, size_t offset,
                                                       const CpuSet& cpus, WORD* count)
{
    std::vector<GROUP_AFFINITY> masks = group_masks(cpus);
    auto* record = append_record(out, relationship, offset + masks.size() * sizeof(GROUP_AFFINITY));
    std::memcpy(reinterpret_cast<unsigned char*>(record) + offset, masks.data(), masks.size() * sizeof(GROUP_AFFINITY));
    *count = static_cast<WORD>(masks.size());
    return record;
}

void append_processor(std::vector<unsigned char>& out, LOGICAL_PROCESSOR_RELATIONSHIP relationship, const CpuSet& cpus,
                      BYTE flags, BYTE efficiency)
{
    WORD count;
    auto* record = append_masked(out, relationship, offsetof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX, Processor.GroupMask),
                                 cpus, &count);
    record->Processor.Flags = flags;
    record->Processor.EfficiencyClass = efficiency;
    record->Processor.GroupCount = count;
}

void append_node(std::vector<unsigned char>& out, const Node& node)
{
    WORD count;
    auto* record = append_masked(out, RelationNumaNode, offsetof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX, NumaNode.GroupMask),
                                 node.cpus, &count);
    record->NumaNode.NodeNumber = node.number;
    record->NumaNode.GroupCount = count;
}

void append_cache(std::vector<unsigned char>& out, const Cache& cache)
{
    WORD count;
    auto* record = append_masked(out, RelationCache, offsetof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX, Cache.GroupMask),
                                 cache.cpus, &count);
    record->Cache.Level = cache.level;
    record->Cache.Associativity = cache.associativity;
    record->Cache.LineSize = cache.line;
    record->Cache.CacheSize = cache.size;
    record->Cache.Type = cache.type;
    record->Cache.GroupCount = count;
}

// The groups: as many as the highest online processor's number needs, each with the
// processors online in it and the number it can hold (those configured, at most 64).
void append_groups(std::vector<unsigned char>& out, const CpuSet& online)
{
    constexpr size_t offset = offsetof(SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX, Group.GroupInfo);
    WORD active = static_cast<WORD>(online.back() / kGroupSize + 1);
    long configured = std::max(sysconf(_SC_NPROCESSORS_CONF), static_cast<long>(online.back()) + 1);
    auto* record = append_record(out, RelationGroup, offset + active * sizeof(PROCESSOR_GROUP_INFO));
    record->Group.ActiveGroupCount = active;
    record->Group.MaximumGroupCount = std::max<WORD>(active, static_cast<WORD>((configured + kGroupSize - 1) / kGroupSize));
    auto* info = reinterpret_cast<PROCESSOR_GROUP_INFO*>(reinterpret_cast<unsigned char*>(record) + offset);
    for (unsigned cpu : online) {
        PROCESSOR_GROUP_INFO& group = info[cpu / kGroupSize];
        group.ActiveProcessorCount++;
        group.ActiveProcessorMask |= KAFFINITY(1) << (cpu % kGroupSize);
    }
    for (WORD g = 0; g < active; ++g) {
        long in_group = std::min<long>(kGroupSize, configured - static_cast<long>(g) * kGroupSize);
        info[g].MaximumProcessorCount = static_cast<BYTE>(std::max<long>(in_group, info[g].ActiveProcessorCount));
    }
}

// The records of `relationship` (RelationAll: all, in the order of the relationships).
std::vector<unsigned char> records_of(LOGICAL_PROCESSOR_RELATIONSHIP relationship)
{
    const Topology& t = topology();
    std::vector<unsigned char> out;
    bool all = relationship == RelationAll;
    if (all || relationship == RelationProcessorCore)
        for (const Core& core : t.cores)
            append_processor(out, RelationProcessorCore, core.cpus, core.cpus.size() > 1 ? LTP_PC_SMT : 0,
                             core.efficiency);
    if (all || relationship == RelationNumaNode || relationship == RelationNumaNodeEx)
        for (const Node& node : t.nodes) append_node(out, node);
    if (all || relationship == RelationCache)
        for (const Cache& cache : t.caches) append_cache(out, cache);
    if (all || relationship == RelationProcessorPackage)
        for (const CpuSet& package : t.packages) append_processor(out, RelationProcessorPackage, package, 0, 0);
    if (all || relationship == RelationGroup) append_groups(out, t.online);
    return out;
}

// The caller's buffer rules: no length pointer is ERROR_INVALID_PARAMETER; a length short of
// what the records need is ERROR_INSUFFICIENT_BUFFER with the length needed; a NULL buffer
// said to be long enough is ERROR_NOACCESS (the system's probe of the buffer).
BOOL copy_records(const std::vector<unsigned char>& records, void* buffer, PDWORD length)
{
    DWORD needed = static_cast<DWORD>(records.size());
    if (*length < needed) {
        *length = needed;
        return fail(ERROR_INSUFFICIENT_BUFFER, FALSE);
    }
    if (buffer == nullptr) return fail(ERROR_NOACCESS, FALSE);
    std::memcpy(buffer, records.data(), needed);
    *length = needed;
    return TRUE;
}

// The group the calling thread runs in (the legacy calls answer for it alone).
WORD current_group()
{
    PROCESSOR_NUMBER number;
    GetCurrentProcessorNumberEx(&number);
    return number.Group;
}

// The mask of `cpus` in `group` (0 when none is in it).
KAFFINITY mask_in_group(const CpuSet& cpus, WORD group)
{
    for (const GROUP_AFFINITY& mask : group_masks(cpus))
        if (mask.Group == group) return mask.Mask;
    return 0;
}

const Node* node_of(unsigned cpu)
{
    for (const Node& node : topology().nodes)
        if (std::binary_search(node.cpus.begin(), node.cpus.end(), cpu)) return &node;
    return nullptr;
}

const Node* node_numbered(DWORD number)
{
    for (const Node& node : topology().nodes)
        if (node.number == number) return &node;
    return nullptr;
}

}  // namespace

// The processors, caches, packages and NUMA nodes of the calling thread's processor group,
// one SYSTEM_LOGICAL_PROCESSOR_INFORMATION each (a record of no processor of the group is
// left out).
BOOL WINAPI GetLogicalProcessorInformation(PSYSTEM_LOGICAL_PROCESSOR_INFORMATION Buffer, PDWORD ReturnedLength)
{
    if (ReturnedLength == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    const Topology& t = topology();
    const WORD group = current_group();
    std::vector<SYSTEM_LOGICAL_PROCESSOR_INFORMATION> entries;
    auto add = [&](const CpuSet& cpus, LOGICAL_PROCESSOR_RELATIONSHIP relationship) {
        SYSTEM_LOGICAL_PROCESSOR_INFORMATION entry{};
        entry.ProcessorMask = mask_in_group(cpus, group);
        entry.Relationship = relationship;
        if (entry.ProcessorMask == 0) return static_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION*>(nullptr);
        entries.push_back(entry);
        return &entries.back();
    };
    for (const Core& core : t.cores)
        if (auto* entry = add(core.cpus, RelationProcessorCore)) entry->ProcessorCore.Flags = core.cpus.size() > 1 ? LTP_PC_SMT : 0;
    for (const Node& node : t.nodes)
        if (auto* entry = add(node.cpus, RelationNumaNode)) entry->NumaNode.NodeNumber = node.number;
    for (const Cache& cache : t.caches)
        if (auto* entry = add(cache.cpus, RelationCache))
            entry->Cache = CACHE_DESCRIPTOR{cache.level, cache.associativity, cache.line, cache.size, cache.type};
    for (const CpuSet& package : t.packages) add(package, RelationProcessorPackage);
    const auto* bytes = reinterpret_cast<const unsigned char*>(entries.data());
    return copy_records(std::vector<unsigned char>(bytes, bytes + entries.size() * sizeof entries[0]), Buffer,
                        ReturnedLength);
}

// The records of one relationship or of all (RelationAll), each Size bytes long, covering
// every processor group. RelationNumaNodeEx is RelationNumaNode (its records already hold
// every group). The relationships Windows 11 added for dies and modules are not known
// (ERROR_INVALID_PARAMETER).
BOOL WINAPI GetLogicalProcessorInformationEx(LOGICAL_PROCESSOR_RELATIONSHIP RelationshipType,
                                             PSYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX Buffer, PDWORD ReturnedLength)
{
    if (ReturnedLength == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    switch (RelationshipType) {
    case RelationProcessorCore:
    case RelationNumaNode:
    case RelationCache:
    case RelationProcessorPackage:
    case RelationGroup:
    case RelationNumaNodeEx:
    case RelationAll: break;
    default: return fail(ERROR_INVALID_PARAMETER, FALSE);
    }
    return copy_records(records_of(RelationshipType), Buffer, ReturnedLength);
}

// The highest NUMA node number (0 on a machine without NUMA).
BOOL WINAPI GetNumaHighestNodeNumber(PULONG HighestNodeNumber)
{
    if (HighestNodeNumber == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    *HighestNodeNumber = std::max(topology().highest_node, topology().nodes.back().number);
    return TRUE;
}

// The node's processors in its group. A node up to the highest without processors has
// mask 0; a higher number is ERROR_INVALID_PARAMETER.
BOOL WINAPI GetNumaNodeProcessorMaskEx(USHORT Node, PGROUP_AFFINITY ProcessorMask)
{
    ULONG highest;
    GetNumaHighestNodeNumber(&highest);
    if (ProcessorMask == nullptr || Node > highest) return fail(ERROR_INVALID_PARAMETER, FALSE);
    *ProcessorMask = GROUP_AFFINITY{};
    if (const ::Node* node = node_numbered(Node)) *ProcessorMask = group_masks(node->cpus).front();
    return TRUE;
}

// The same as a mask of the calling thread's group (0 for a node in another group).
BOOL WINAPI GetNumaNodeProcessorMask(UCHAR Node, PULONGLONG ProcessorMask)
{
    GROUP_AFFINITY affinity;
    if (ProcessorMask == nullptr || !GetNumaNodeProcessorMaskEx(Node, &affinity))
        return fail(ERROR_INVALID_PARAMETER, FALSE);
    *ProcessorMask = affinity.Group == current_group() ? affinity.Mask : 0;
    return TRUE;
}

// The node of a processor (group and number); one that is not there gives node 0xFFFF
// and ERROR_INVALID_PARAMETER.
BOOL WINAPI GetNumaProcessorNodeEx(PPROCESSOR_NUMBER Processor, PUSHORT NodeNumber)
{
    if (Processor == nullptr || NodeNumber == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    const Node* node = Processor->Number < kGroupSize ? node_of(Processor->Group * kGroupSize + Processor->Number) : nullptr;
    *NodeNumber = node != nullptr ? static_cast<USHORT>(node->number) : 0xFFFF;
    return node != nullptr ? TRUE : fail(ERROR_INVALID_PARAMETER, FALSE);
}

// The node of a processor of the calling thread's group; 0xFF and ERROR_INVALID_PARAMETER
// for one that is not there.
BOOL WINAPI GetNumaProcessorNode(UCHAR Processor, PUCHAR NodeNumber)
{
    if (NodeNumber == nullptr) return fail(ERROR_INVALID_PARAMETER, FALSE);
    PROCESSOR_NUMBER number{current_group(), Processor, 0};
    USHORT node;
    BOOL ok = GetNumaProcessorNodeEx(&number, &node);
    *NodeNumber = ok ? static_cast<UCHAR>(node) : 0xFF;
    return ok;
}
