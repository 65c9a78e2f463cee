// test_namespace.cpp: the pipe and mailslot namespace (src/drivers/namespace.h), linked
// against the static library: name parsing and folding, the directory's ownership and
// mode, stale entries, hostile names.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "drivers/namespace.h"
#include "testlib.h"

using overlapped::drivers::DeviceName;
using overlapped::drivers::NameKind;
namespace ns = overlapped::drivers;

static DWORD parse(const char* path, NameKind kind, DeviceName* out, bool broadcast = false)
{
    return ns::parse_device_name(path, kind, broadcast, 256, out);
}

static void test_parsing()
{
    DeviceName name;
    CHECK_EQ(parse("\\\\.\\pipe\\Hello", NameKind::Pipe, &name), ERROR_SUCCESS);
    CHECK(name.name == "hello");
    CHECK_EQ(parse("//./PIPE/a/b", NameKind::Pipe, &name), ERROR_SUCCESS);  // '/' is '\'
    CHECK(name.name == "a\\b");
    CHECK_EQ(parse("\\\\.\\pipe\\a\\..\\b", NameKind::Pipe, &name), ERROR_SUCCESS);
    CHECK(name.name == "b");
    CHECK_EQ(parse("\\\\.\\pipe\\.\\c\\\\d", NameKind::Pipe, &name), ERROR_SUCCESS);
    CHECK(name.name == "c\\d");
    // ".." cannot climb out of the pipe directory into a pipe name, nor above the server.
    CHECK_EQ(parse("\\\\.\\pipe\\..\\x", NameKind::Pipe, &name), ERROR_INVALID_NAME);
    CHECK_EQ(parse("\\\\.\\pipe\\..\\..\\..\\etc", NameKind::Pipe, &name), ERROR_INVALID_NAME);
    CHECK_EQ(parse("\\\\.\\pipe\\", NameKind::Pipe, &name), ERROR_INVALID_NAME);
    CHECK_EQ(parse("\\\\.\\mailslot\\x", NameKind::Pipe, &name), ERROR_INVALID_NAME);
    CHECK_EQ(parse("C:\\pipe\\x", NameKind::Pipe, &name), ERROR_INVALID_NAME);
    CHECK_EQ(parse("\\\\server\\pipe\\x", NameKind::Pipe, &name), ERROR_BAD_NETPATH);
    CHECK_EQ(parse("\\\\?\\pipe\\Raw", NameKind::Pipe, &name), ERROR_SUCCESS);
    CHECK(name.name == "raw");
    // Mailslots: "\\*\" is this machine for a client that accepts it.
    CHECK_EQ(parse("\\\\*\\mailslot\\m", NameKind::Mailslot, &name, true), ERROR_SUCCESS);
    CHECK(name.broadcast && name.name == "m");
    CHECK_EQ(parse("\\\\*\\mailslot\\m", NameKind::Mailslot, &name, false), ERROR_INVALID_NAME);
    CHECK_EQ(parse("\\\\*\\pipe\\m", NameKind::Pipe, &name, true), ERROR_BAD_NETPATH);
    // Case folding beyond ASCII (U+00C9 -> U+00E9, U+0416 -> U+0436).
    CHECK_EQ(parse("\\\\.\\pipe\\\xc3\x89\xd0\x96", NameKind::Pipe, &name), ERROR_SUCCESS);
    CHECK(name.name == "\xc3\xa9\xd0\xb6");
    // Length: the whole path in UTF-16 units.
    std::string path = "\\\\.\\pipe\\" + std::string(256 - 9, 'x');
    CHECK_EQ(parse(path.c_str(), NameKind::Pipe, &name), ERROR_SUCCESS);
    path.push_back('x');
    CHECK_EQ(parse(path.c_str(), NameKind::Pipe, &name), ERROR_INVALID_NAME);

    NameKind kind = NameKind::Mailslot;
    CHECK(ns::is_device_name("\\\\.\\PiPe\\x", &kind) && kind == NameKind::Pipe);
    CHECK(ns::is_device_name("\\\\*\\mailslot\\x", &kind) && kind == NameKind::Mailslot);
    CHECK(!ns::is_device_name("\\\\.\\pipe", &kind));
    CHECK(!ns::is_device_name("C:\\pipe\\x", &kind));
    CHECK(!ns::is_device_name("/tmp/x", &kind));
}

// The path's leaf (after the directory's descriptor).
static std::string leaf(const std::string& path) { return path.substr(path.rfind('/') + 1); }

static void test_paths(const std::string& directory)
{
    DeviceName a, b;
    std::string pa, pb;
    CHECK_EQ(parse("\\\\.\\pipe\\Same", NameKind::Pipe, &a), ERROR_SUCCESS);
    CHECK_EQ(parse("\\\\.\\pipe\\sAME", NameKind::Pipe, &b), ERROR_SUCCESS);
    CHECK_EQ(ns::namespace_path(a, "", &pa), ERROR_SUCCESS);
    CHECK_EQ(ns::namespace_path(b, "", &pb), ERROR_SUCCESS);
    CHECK(pa == pb);  // names are compared without case
    CHECK_EQ(parse("\\\\.\\mailslot\\same", NameKind::Mailslot, &b), ERROR_SUCCESS);
    CHECK_EQ(ns::namespace_path(b, "", &pb), ERROR_SUCCESS);
    CHECK(pa != pb);  // pipes and mailslots do not share names
    // Hostile names stay one entry inside the directory.
    const char* hostile[] = {"\\\\.\\pipe\\a\\..\\..\\etc\\passwd", "\\\\.\\pipe\\x/../../y",
                             "\\\\.\\pipe\\%2e%2e%2f", "\\\\.\\pipe\\.hidden"};
    for (const char* h : hostile) {
        DeviceName n;
        if (parse(h, NameKind::Pipe, &n) != ERROR_SUCCESS) continue;
        std::string p;
        CHECK_EQ(ns::namespace_path(n, "", &p), ERROR_SUCCESS);
        std::string l = leaf(p);
        CHECK(l.find('/') == std::string::npos && l.find("..") == std::string::npos && l[0] != '.');
    }
    // A long name is hashed; two long names differing in their last letter differ.
    std::string base = "\\\\.\\pipe\\" + std::string(200, 'q');
    CHECK_EQ(parse((base + "1").c_str(), NameKind::Pipe, &a), ERROR_SUCCESS);
    CHECK_EQ(parse((base + "2").c_str(), NameKind::Pipe, &b), ERROR_SUCCESS);
    CHECK_EQ(ns::namespace_path(a, "", &pa), ERROR_SUCCESS);
    CHECK_EQ(ns::namespace_path(b, "", &pb), ERROR_SUCCESS);
    CHECK(pa != pb && pa.size() < 100 && pb.size() < 100);

    struct stat st;
    CHECK(stat(directory.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700 &&
          st.st_uid == geteuid());
}

static void test_bind(void)
{
    DeviceName n;
    std::string path;
    CHECK_EQ(parse("\\\\.\\pipe\\bind-test", NameKind::Pipe, &n), ERROR_SUCCESS);
    CHECK_EQ(ns::namespace_path(n, "", &path), ERROR_SUCCESS);

    int first = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    ns::EntryId inode, inode2;
    CHECK_EQ(ns::namespace_bind(first, path, &inode), 0);
    CHECK(inode.inode != 0);
    CHECK_EQ(listen(first, 4), 0);
    int second = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(ns::namespace_bind(second, path, &inode2), -EADDRINUSE);  // alive
    // The owner dies without cleaning up: the next bind takes the entry over.
    close(first);
    CHECK(access(path.c_str(), F_OK) == 0);
    CHECK_EQ(ns::namespace_bind(second, path, &inode2), 0);
    CHECK(inode2.inode != 0);
    CHECK(access(path.c_str(), F_OK) == 0);
    // The owner's clean-up (before it closes its socket) removes its entry.
    ns::namespace_unbind(path, inode2);
    CHECK(access(path.c_str(), F_OK) != 0);
    // An identity that is not the entry's removes nothing.
    int third = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(ns::namespace_bind(third, path, &inode), 0);
    ns::EntryId other = inode;
    other.inode += 1;
    ns::namespace_unbind(path, other);
    CHECK(access(path.c_str(), F_OK) == 0);
    ns::namespace_unbind(path, inode);
    close(third);
    close(second);

    // A datagram entry (a mailslot's) left behind is cleaned up too.
    CHECK_EQ(parse("\\\\.\\mailslot\\dgram", NameKind::Mailslot, &n), ERROR_SUCCESS);
    CHECK_EQ(ns::namespace_path(n, "", &path), ERROR_SUCCESS);
    int d1 = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int d2 = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(ns::namespace_bind(d1, path, &inode), 0);
    CHECK_EQ(ns::namespace_bind(d2, path, &inode2), -EADDRINUSE);
    close(d1);
    CHECK_EQ(ns::namespace_bind(d2, path, &inode2), 0);
    ns::namespace_unbind(path, inode2);
    close(d2);
}

// A directory that belongs to another user is refused; one of ours with a loose mode is
// tightened. (The ownership half needs root, to give a directory away.)
static void test_ownership(const std::string& root)
{
    std::string loose = root + "/loose";
    mkdir(loose.c_str(), 0755);
    chmod(loose.c_str(), 0755);
    setenv("OVERLAPPED_NAMESPACE", loose.c_str(), 1);
    std::string got;
    CHECK_EQ(ns::namespace_directory(&got), ERROR_SUCCESS);
    struct stat st;
    CHECK(stat(loose.c_str(), &st) == 0 && (st.st_mode & 07777) == 0700);

    std::string link = root + "/link";
    symlink(loose.c_str(), link.c_str());
    setenv("OVERLAPPED_NAMESPACE", link.c_str(), 1);
    CHECK_EQ(ns::namespace_directory(&got), ERROR_ACCESS_DENIED);

    if (geteuid() == 0) {
        std::string foreign = root + "/foreign";
        mkdir(foreign.c_str(), 0700);
        CHECK_EQ(chown(foreign.c_str(), 65534, 65534), 0);
        setenv("OVERLAPPED_NAMESPACE", foreign.c_str(), 1);
        CHECK_EQ(ns::namespace_directory(&got), ERROR_ACCESS_DENIED);
        DeviceName n;
        std::string path;
        CHECK_EQ(parse("\\\\.\\pipe\\x", NameKind::Pipe, &n), ERROR_SUCCESS);
        CHECK_EQ(ns::namespace_path(n, "", &path), ERROR_ACCESS_DENIED);
        rmdir(foreign.c_str());
    } else {
        printf("skipped: another user's directory (needs root to make one)\n");
        tl_skipped++;
    }
    unlink(link.c_str());
    rmdir(loose.c_str());
}

int main()
{
    char root[] = "/tmp/overlapped-ns-test-XXXXXX";
    if (mkdtemp(root) == nullptr) return 2;
    std::string directory = std::string(root) + "/ns";
    setenv("OVERLAPPED_NAMESPACE", directory.c_str(), 1);

    test_parsing();
    test_paths(directory);
    test_bind();
    test_ownership(root);

    rmdir(directory.c_str());
    rmdir(root);
    return tl_finish();
}
