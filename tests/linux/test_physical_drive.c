/* test_physical_drive.c: a disk image mapped as \\.\PHYSICALDRIVE5 (and another as the
 * volume \\.\V:) through OVERLAPPED_PHYSICALDRIVES / OVERLAPPED_VOLUMES, set before the
 * first use: Windows' sector rules, reads past the end, the disk and storage controls,
 * unbuffered overlapped reads on all four notification methods, cancellation, overlapped
 * controls, the fault "an image shorter than the geometry claims", a real disk when one
 * is there and readable, and FSCTL_GET_REPARSE_POINT on symbolic links. */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uchar.h>
#include <unistd.h>
#include <winioctl.h>

#define SECTOR 512
#define IMAGE_SIZE (64LL * 1024 * 1024)
#define CHUNK 65536

static char dir[256], image[300], volume_image[300];

static unsigned char expected_byte(LONGLONG offset) { return (unsigned char)((offset / SECTOR) * 7 + 1); }

/* The image: 64 MiB, sparse, with a pattern in its first 4 MiB (a byte per sector). */
static void make_image(void)
{
    int fd = open(image, O_CREAT | O_TRUNC | O_RDWR, 0600);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, IMAGE_SIZE) == 0);
    static unsigned char block[CHUNK];
    for (LONGLONG at = 0; at < 4 * 1024 * 1024; at += CHUNK) {
        for (int s = 0; s < CHUNK / SECTOR; ++s) memset(block + s * SECTOR, expected_byte(at + s * SECTOR), SECTOR);
        CHECK(pwrite(fd, block, CHUNK, at) == CHUNK);
    }
    close(fd);
    fd = open(volume_image, O_CREAT | O_TRUNC | O_RDWR, 0600);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, 1024 * 1024) == 0);
    close(fd);
}

static HANDLE open_drive(const char *name, DWORD access, DWORD flags)
{
    return CreateFileA(name, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, flags, NULL);
}

static BOOL read_at(HANDLE drive, void *buffer, DWORD length, LONGLONG offset, DWORD *done)
{
    LARGE_INTEGER at;
    at.QuadPart = offset;
    if (!SetFilePointerEx(drive, at, NULL, FILE_BEGIN)) return FALSE;
    return ReadFile(drive, buffer, length, done, NULL);
}

static void test_sector_rules(void)
{
    TEST("\\\\.\\PHYSICALDRIVE5: whole sectors read, the pattern is there; a drive handle is FILE_TYPE_DISK");
    HANDLE drive = open_drive("\\\\.\\PhysicalDrive5", GENERIC_READ | GENERIC_WRITE, 0);
    CHECK(drive != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetFileType(drive), (DWORD)FILE_TYPE_DISK);
    static unsigned char buffer[4096] __attribute__((aligned(4096)));
    DWORD done = 0;
    CHECK(read_at(drive, buffer, 1024, 3 * SECTOR, &done));
    CHECK_EQ(done, 1024u);
    CHECK_EQ(buffer[0], expected_byte(3 * SECTOR));
    CHECK_EQ(buffer[1023], expected_byte(4 * SECTOR));

    TEST("lengths and offsets that are not whole sectors: ERROR_INVALID_PARAMETER");
    SetLastError(0);
    CHECK(!read_at(drive, buffer, 100, 0, &done));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(!read_at(drive, buffer, SECTOR, 100, &done));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(!WriteFile(drive, buffer, 10, &done, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("reads past the end of the disk: ERROR_INVALID_PARAMETER; the last sector reads");
    SetLastError(0);
    CHECK(!read_at(drive, buffer, SECTOR, IMAGE_SIZE, &done));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(!read_at(drive, buffer, 2 * SECTOR, IMAGE_SIZE - SECTOR, &done));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(read_at(drive, buffer, SECTOR, IMAGE_SIZE - SECTOR, &done));
    CHECK_EQ(done, (DWORD)SECTOR);

    TEST("a sector written reads back, the image keeps its size");
    memset(buffer, 0xAB, SECTOR);
    LARGE_INTEGER at;
    at.QuadPart = 10 * 1024 * 1024;
    CHECK(SetFilePointerEx(drive, at, NULL, FILE_BEGIN));
    CHECK(WriteFile(drive, buffer, SECTOR, &done, NULL));
    memset(buffer, 0, SECTOR);
    CHECK(read_at(drive, buffer, SECTOR, at.QuadPart, &done));
    CHECK_EQ(buffer[SECTOR - 1], 0xAB);
    CHECK(FlushFileBuffers(drive));
    struct stat status;
    CHECK(stat(image, &status) == 0 && status.st_size == IMAGE_SIZE);
    CloseHandle(drive);
}

static void test_controls(void)
{
    HANDLE drive = open_drive("\\\\.\\PHYSICALDRIVE5", GENERIC_READ, 0);
    CHECK(drive != INVALID_HANDLE_VALUE);
    DWORD returned = 0;

    TEST("IOCTL_DISK_GET_DRIVE_GEOMETRY: 512-byte sectors, 255 heads, 63 sectors a track, fixed");
    DISK_GEOMETRY geometry;
    CHECK(DeviceIoControl(drive, IOCTL_DISK_GET_DRIVE_GEOMETRY, NULL, 0, &geometry, sizeof(geometry), &returned, NULL));
    CHECK_EQ(returned, (DWORD)sizeof(geometry));
    CHECK_EQ(geometry.BytesPerSector, (DWORD)SECTOR);
    CHECK_EQ(geometry.TracksPerCylinder, 255u);
    CHECK_EQ(geometry.SectorsPerTrack, 63u);
    CHECK_EQ(geometry.MediaType, FixedMedia);
    CHECK_EQ(geometry.Cylinders.QuadPart, IMAGE_SIZE / (255LL * 63 * SECTOR));
    SetLastError(0);
    CHECK(!DeviceIoControl(drive, IOCTL_DISK_GET_DRIVE_GEOMETRY, NULL, 0, &geometry, sizeof(geometry) - 1, &returned,
                           NULL));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK_EQ(returned, 0u);

    TEST("IOCTL_DISK_GET_DRIVE_GEOMETRY_EX: the size; at least the geometry and size are needed");
    unsigned char ex_buffer[256];
    CHECK(DeviceIoControl(drive, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, NULL, 0, ex_buffer, sizeof(ex_buffer), &returned,
                          NULL));
    DISK_GEOMETRY_EX *ex = (DISK_GEOMETRY_EX *)ex_buffer;
    CHECK_EQ(ex->DiskSize.QuadPart, IMAGE_SIZE);
    CHECK_EQ(ex->Geometry.BytesPerSector, (DWORD)SECTOR);
    CHECK(returned > offsetof(DISK_GEOMETRY_EX, Data));
    CHECK(DeviceIoControl(drive, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, NULL, 0, ex_buffer, offsetof(DISK_GEOMETRY_EX, Data),
                          &returned, NULL));
    CHECK_EQ(returned, (DWORD)offsetof(DISK_GEOMETRY_EX, Data));
    SetLastError(0);
    CHECK(!DeviceIoControl(drive, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, NULL, 0, ex_buffer, sizeof(DISK_GEOMETRY), &returned,
                           NULL));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);

    TEST("IOCTL_DISK_GET_LENGTH_INFO and IOCTL_STORAGE_GET_DEVICE_NUMBER");
    GET_LENGTH_INFORMATION length;
    CHECK(DeviceIoControl(drive, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &length, sizeof(length), &returned, NULL));
    CHECK_EQ(length.Length.QuadPart, IMAGE_SIZE);
    CHECK_EQ(returned, (DWORD)sizeof(length));
    STORAGE_DEVICE_NUMBER number;
    CHECK(DeviceIoControl(drive, IOCTL_STORAGE_GET_DEVICE_NUMBER, NULL, 0, &number, sizeof(number), &returned, NULL));
    CHECK_EQ(number.DeviceType, (DWORD)FILE_DEVICE_DISK);
    CHECK_EQ(number.DeviceNumber, 5u);
    CHECK_EQ(number.PartitionNumber, 0u);
    TEST("IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS: a disk is no volume");
    VOLUME_DISK_EXTENTS extents;
    SetLastError(0);
    CHECK(!DeviceIoControl(drive, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0, &extents, sizeof(extents), &returned,
                           NULL));
    CHECK_ERROR(ERROR_INVALID_FUNCTION);

    TEST("IOCTL_DISK_GET_PARTITION_INFO_EX: a disk with no partition table is raw, partition 0 the whole disk");
    PARTITION_INFORMATION_EX partition;
    CHECK(DeviceIoControl(drive, IOCTL_DISK_GET_PARTITION_INFO_EX, NULL, 0, &partition, sizeof(partition), &returned,
                          NULL));
    CHECK_EQ(returned, (DWORD)sizeof(partition));
    CHECK_EQ(partition.PartitionStyle, PARTITION_STYLE_RAW);
    CHECK_EQ(partition.PartitionLength.QuadPart, IMAGE_SIZE);
    CHECK_EQ(partition.PartitionNumber, 0u);

    TEST("IOCTL_STORAGE_QUERY_PROPERTY: the header tells the size; the descriptor, cut or whole");
    STORAGE_PROPERTY_QUERY query;
    memset(&query, 0, sizeof(query));
    query.PropertyId = StorageDeviceProperty;
    query.QueryType = PropertyStandardQuery;
    STORAGE_DESCRIPTOR_HEADER header;
    CHECK(DeviceIoControl(drive, IOCTL_STORAGE_QUERY_PROPERTY, &query, sizeof(query), &header, sizeof(header), &returned,
                          NULL));
    CHECK_EQ(returned, (DWORD)sizeof(header));
    CHECK(header.Size > offsetof(STORAGE_DEVICE_DESCRIPTOR, RawDeviceProperties));
    unsigned char descriptor_buffer[512];
    CHECK(DeviceIoControl(drive, IOCTL_STORAGE_QUERY_PROPERTY, &query, sizeof(query), descriptor_buffer,
                          sizeof(descriptor_buffer), &returned, NULL));
    CHECK_EQ(returned, header.Size);
    STORAGE_DEVICE_DESCRIPTOR *descriptor = (STORAGE_DEVICE_DESCRIPTOR *)descriptor_buffer;
    CHECK_EQ(descriptor->BusType, BusTypeFileBackedVirtual);
    CHECK(descriptor->ProductIdOffset != 0 && descriptor->ProductIdOffset < returned);
    CHECK(strlen((char *)descriptor_buffer + descriptor->ProductIdOffset) > 0);
    query.QueryType = PropertyExistsQuery;
    CHECK(DeviceIoControl(drive, IOCTL_STORAGE_QUERY_PROPERTY, &query, sizeof(query), NULL, 0, &returned, NULL));
    CHECK_EQ(returned, 0u);
    query.QueryType = PropertyStandardQuery;
    SetLastError(0);
    CHECK(!DeviceIoControl(drive, IOCTL_STORAGE_QUERY_PROPERTY, &query, 4, &header, sizeof(header), &returned, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("FSCTL_LOCK_VOLUME locks out another handle's lock; FSCTL_UNLOCK_VOLUME; FSCTL_DISMOUNT_VOLUME");
    HANDLE other = open_drive("\\\\.\\PHYSICALDRIVE5", GENERIC_READ, 0);
    CHECK(DeviceIoControl(drive, FSCTL_LOCK_VOLUME, NULL, 0, NULL, 0, &returned, NULL));
    SetLastError(0);
    CHECK(!DeviceIoControl(other, FSCTL_LOCK_VOLUME, NULL, 0, NULL, 0, &returned, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK(DeviceIoControl(drive, FSCTL_DISMOUNT_VOLUME, NULL, 0, NULL, 0, &returned, NULL));
    CHECK(DeviceIoControl(drive, FSCTL_UNLOCK_VOLUME, NULL, 0, NULL, 0, &returned, NULL));
    SetLastError(0);
    CHECK(!DeviceIoControl(drive, FSCTL_UNLOCK_VOLUME, NULL, 0, NULL, 0, &returned, NULL));
    CHECK_ERROR(ERROR_NOT_LOCKED);
    CHECK(DeviceIoControl(other, FSCTL_LOCK_VOLUME, NULL, 0, NULL, 0, &returned, NULL));
    CloseHandle(other);

    TEST("FlushFileBuffers needs write access on a drive too");
    SetLastError(0);
    CHECK(!FlushFileBuffers(drive));
    CHECK_ERROR(ERROR_ACCESS_DENIED);

    TEST("unknown codes on a drive: ERROR_INVALID_FUNCTION; a file control too");
    SetLastError(0);
    CHECK(!DeviceIoControl(drive, CTL_CODE(FILE_DEVICE_DISK, 0x7ff, METHOD_BUFFERED, FILE_ANY_ACCESS), NULL, 0,
                           &geometry, sizeof(geometry), &returned, NULL));
    CHECK_ERROR(ERROR_INVALID_FUNCTION);
    SetLastError(0);
    CHECK(!DeviceIoControl(drive, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &returned, NULL));
    CHECK_ERROR(ERROR_INVALID_FUNCTION);
    CloseHandle(drive);

    TEST("a drive opened with no access answers the controls that need none");
    drive = open_drive("\\\\.\\PHYSICALDRIVE5", 0, 0);
    CHECK(drive != INVALID_HANDLE_VALUE);
    CHECK(DeviceIoControl(drive, IOCTL_DISK_GET_DRIVE_GEOMETRY, NULL, 0, &geometry, sizeof(geometry), &returned, NULL));
    SetLastError(0);
    CHECK(!DeviceIoControl(drive, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &length, sizeof(length), &returned, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);  /* FILE_READ_ACCESS in the code */
    CloseHandle(drive);
}

static volatile LONG apc_calls;
static DWORD apc_bytes, apc_error;
static void CALLBACK on_read(DWORD error, DWORD bytes, LPOVERLAPPED overlapped)
{
    (void)overlapped;
    apc_error = error;
    apc_bytes = bytes;
    tl_store(&apc_calls, tl_load(&apc_calls) + 1);
}

static int pattern_ok(const unsigned char *buffer, LONGLONG offset, DWORD length)
{
    for (DWORD at = 0; at < length; at += SECTOR)
        if (buffer[at] != expected_byte(offset + at) || buffer[at + SECTOR - 1] != expected_byte(offset + at)) return 0;
    return 1;
}

static void test_overlapped_unbuffered(void)
{
    HANDLE drive = open_drive("\\\\.\\PHYSICALDRIVE5", GENERIC_READ, FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING);
    CHECK(drive != INVALID_HANDLE_VALUE);
    unsigned char *buffer = VirtualAlloc(NULL, 4 * CHUNK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    CHECK(buffer != NULL);
    DWORD bytes = 0;

    TEST("unbuffered overlapped: an unaligned buffer fails at once with ERROR_INVALID_PARAMETER");
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0);
    CHECK(!ReadFile(drive, buffer + 1, SECTOR, NULL, &ov));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), (DWORD)WAIT_TIMEOUT);
    ov.Offset = 100;
    SetLastError(0);
    CHECK(!ReadFile(drive, buffer, SECTOR, NULL, &ov));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("unbuffered overlapped read, the event");
    ov.Offset = CHUNK;
    BOOL done = ReadFile(drive, buffer, CHUNK, NULL, &ov);
    CHECK(done || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(drive, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, (DWORD)CHUNK);
    CHECK(pattern_ok(buffer, CHUNK, CHUNK));

    TEST("unbuffered overlapped read, the handle signalled");
    OVERLAPPED plain;
    memset(&plain, 0, sizeof(plain));
    plain.Offset = 2 * CHUNK;
    done = ReadFile(drive, buffer, CHUNK, NULL, &plain);
    CHECK(done || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(drive, 5000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(drive, &plain, &bytes, TRUE));
    CHECK_EQ(bytes, (DWORD)CHUNK);
    CHECK(pattern_ok(buffer, 2 * CHUNK, CHUNK));

    TEST("unbuffered overlapped read, a completion routine (ReadFileEx)");
    OVERLAPPED routine;
    memset(&routine, 0, sizeof(routine));
    routine.Offset = 3 * CHUNK;
    CHECK(ReadFileEx(drive, buffer, CHUNK, &routine, on_read));
    for (int i = 0; i < 100 && tl_load(&apc_calls) == 0; ++i) SleepEx(50, TRUE);
    CHECK_EQ(tl_load(&apc_calls), 1);
    CHECK_EQ(apc_error, 0u);
    CHECK_EQ(apc_bytes, (DWORD)CHUNK);
    CHECK(pattern_ok(buffer, 3 * CHUNK, CHUNK));

    TEST("unbuffered overlapped reads through a completion port, and an overlapped control there");
    HANDLE port = CreateIoCompletionPort(drive, NULL, 9, 1);
    CHECK(port != NULL);
    OVERLAPPED reads[4];
    for (int i = 0; i < 4; ++i) {
        memset(&reads[i], 0, sizeof(reads[i]));
        reads[i].Offset = (DWORD)((4 + i) * CHUNK);
        done = ReadFile(drive, buffer + i * CHUNK, CHUNK, NULL, &reads[i]);
        CHECK(done || GetLastError() == ERROR_IO_PENDING);
    }
    int seen = 0;
    for (int i = 0; i < 4; ++i) {
        ULONG_PTR key = 0;
        OVERLAPPED *got = NULL;
        CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
        CHECK_EQ(key, (ULONG_PTR)9);
        CHECK_EQ(bytes, (DWORD)CHUNK);
        if (got >= reads && got < reads + 4) seen |= 1 << (got - reads);
    }
    CHECK_EQ(seen, 15);
    for (int i = 0; i < 4; ++i) CHECK(pattern_ok(buffer + i * CHUNK, (4 + i) * CHUNK, CHUNK));
    GET_LENGTH_INFORMATION length;
    OVERLAPPED control;
    memset(&control, 0, sizeof(control));
    DWORD returned = 0;
    done = DeviceIoControl(drive, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &length, sizeof(length), &returned, &control);
    CHECK(done || GetLastError() == ERROR_IO_PENDING);
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK(got == &control);
    CHECK_EQ(bytes, (DWORD)sizeof(length));
    CHECK_EQ(length.Length.QuadPart, IMAGE_SIZE);

    TEST("overlapped read past the end fails at once, nothing queued");
    OVERLAPPED past;
    memset(&past, 0, sizeof(past));
    past.Offset = (DWORD)IMAGE_SIZE;
    SetLastError(0);
    CHECK(!ReadFile(drive, buffer, SECTOR, NULL, &past));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));

    TEST("CancelIoEx on many reads: each delivered once, read or cancelled");
    OVERLAPPED many[16];
    for (int i = 0; i < 16; ++i) {
        memset(&many[i], 0, sizeof(many[i]));
        many[i].Offset = (DWORD)((i % 4) * CHUNK);
        done = ReadFile(drive, buffer + (i % 4) * CHUNK, CHUNK, NULL, &many[i]);
        CHECK(done || GetLastError() == ERROR_IO_PENDING);
    }
    CancelIoEx(drive, NULL);
    int delivered = 0;
    for (int i = 0; i < 16; ++i) {
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000);
        CHECK(got != NULL);
        CHECK(ok ? bytes == CHUNK : GetLastError() == ERROR_OPERATION_ABORTED);
        ++delivered;
    }
    CHECK_EQ(delivered, 16);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 100));
    CloseHandle(port);
    CloseHandle(ov.hEvent);
    VirtualFree(buffer, 0, MEM_RELEASE);
    CloseHandle(drive);
}

static void test_short_image(void)
{
    TEST("fault: an image shorter than the geometry claims: the missing sectors are not found");
    HANDLE drive = open_drive("\\\\.\\PHYSICALDRIVE5", GENERIC_READ, 0);
    HANDLE async = open_drive("\\\\.\\PHYSICALDRIVE5", GENERIC_READ, FILE_FLAG_OVERLAPPED);
    CHECK(drive != INVALID_HANDLE_VALUE && async != INVALID_HANDLE_VALUE);
    CHECK(truncate(image, IMAGE_SIZE / 2) == 0);  /* under the open handles */
    GET_LENGTH_INFORMATION length;
    DWORD returned = 0;
    CHECK(DeviceIoControl(drive, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &length, sizeof(length), &returned, NULL));
    CHECK_EQ(length.Length.QuadPart, IMAGE_SIZE);  /* a disk's size is fixed while it is open */
    static unsigned char buffer[SECTOR * 2];
    DWORD done = 7;
    SetLastError(0);
    CHECK(!read_at(drive, buffer, SECTOR, IMAGE_SIZE * 3 / 4, &done));
    CHECK_ERROR(ERROR_SECTOR_NOT_FOUND);
    CHECK_EQ(done, 0u);
    CHECK(read_at(drive, buffer, SECTOR, 0, &done));  /* what is there still reads */
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ov.Offset = (DWORD)(IMAGE_SIZE * 3 / 4);
    BOOL started = ReadFile(async, buffer, SECTOR, NULL, &ov);
    CHECK(!started);
    if (GetLastError() == ERROR_IO_PENDING) {
        CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
        SetLastError(0);
        CHECK(!GetOverlappedResult(async, &ov, &done, FALSE));
    }
    CHECK_ERROR(ERROR_SECTOR_NOT_FOUND);
    CloseHandle(ov.hEvent);
    CloseHandle(async);
    CloseHandle(drive);
    CHECK(truncate(image, IMAGE_SIZE) == 0);
}

static void test_volume_image(void)
{
    TEST("\\\\.\\V: mapped to an image: a volume's reads stop at its end (ERROR_HANDLE_EOF past it)");
    HANDLE volume = open_drive("\\\\.\\V:", GENERIC_READ, 0);
    CHECK(volume != INVALID_HANDLE_VALUE);
    static unsigned char buffer[SECTOR * 2];
    DWORD done = 0;
    CHECK(read_at(volume, buffer, 2 * SECTOR, 1024 * 1024 - SECTOR, &done));
    CHECK_EQ(done, (DWORD)SECTOR);
    SetLastError(0);
    CHECK(!read_at(volume, buffer, SECTOR, 1024 * 1024, &done));
    CHECK_ERROR(ERROR_HANDLE_EOF);
    STORAGE_DEVICE_NUMBER number;
    DWORD returned;
    CHECK(DeviceIoControl(volume, IOCTL_STORAGE_GET_DEVICE_NUMBER, NULL, 0, &number, sizeof(number), &returned, NULL));
    CHECK_EQ(number.DeviceType, (DWORD)FILE_DEVICE_DISK);
    TEST("IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS: a volume on an image lies on no disk of the map");
    VOLUME_DISK_EXTENTS extents;
    SetLastError(0);
    CHECK(!DeviceIoControl(volume, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0, &extents, sizeof(extents), &returned,
                           NULL));
    CHECK_ERROR(ERROR_INVALID_FUNCTION);
    CloseHandle(volume);
}

static void test_real_disk(void)
{
    TEST("a real disk, when there is one: \\\\.\\PHYSICALDRIVE0 by default, queried with no access");
    char *saved = getenv("OVERLAPPED_PHYSICALDRIVES") ? strdup(getenv("OVERLAPPED_PHYSICALDRIVES")) : NULL;
    unsetenv("OVERLAPPED_PHYSICALDRIVES");
    HANDLE drive = open_drive("\\\\.\\PHYSICALDRIVE0", 0, 0);
    if (drive == INVALID_HANDLE_VALUE) {
        printf("   no whole disk in /sys/block (error %lu): skipped\n", (unsigned long)GetLastError());
    } else {
        GET_LENGTH_INFORMATION length;
        DISK_GEOMETRY geometry;
        DWORD returned;
        CHECK(DeviceIoControl(drive, IOCTL_DISK_GET_DRIVE_GEOMETRY, NULL, 0, &geometry, sizeof(geometry), &returned,
                              NULL));
        CHECK(geometry.BytesPerSector >= 512);
        CloseHandle(drive);
        drive = open_drive("\\\\.\\PHYSICALDRIVE0", GENERIC_READ, 0);
        if (drive == INVALID_HANDLE_VALUE) {
            printf("   the disk is not readable here (error %lu): reads skipped\n", (unsigned long)GetLastError());
            CHECK_ERROR(ERROR_ACCESS_DENIED);
        } else {
            CHECK(DeviceIoControl(drive, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &length, sizeof(length), &returned, NULL));
            CHECK(length.Length.QuadPart > 0);
            static unsigned char sector[4096] __attribute__((aligned(4096)));
            DWORD done = 0;
            CHECK(ReadFile(drive, sector, geometry.BytesPerSector, &done, NULL));
            CHECK_EQ(done, geometry.BytesPerSector);
            CloseHandle(drive);
        }
    }
    if (saved != NULL) {
        setenv("OVERLAPPED_PHYSICALDRIVES", saved, 1);
        free(saved);
    }
}

static void test_mounted_volume(void)
{
    TEST("\\\\.\\C: (the device under /), when it has one: queries with no access; no lock, no dismount");
    HANDLE volume = open_drive("\\\\.\\C:", 0, 0);
    if (volume == INVALID_HANDLE_VALUE) {
        printf("   / is on no block device here: skipped\n");
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        return;
    }
    GET_LENGTH_INFORMATION length;
    DISK_GEOMETRY geometry;
    STORAGE_DEVICE_NUMBER number;
    DWORD returned = 0;
    CHECK(DeviceIoControl(volume, IOCTL_DISK_GET_DRIVE_GEOMETRY, NULL, 0, &geometry, sizeof(geometry), &returned, NULL));
    CHECK(geometry.BytesPerSector >= 512);
    CHECK(geometry.Cylinders.QuadPart > 0);
    CHECK(DeviceIoControl(volume, IOCTL_STORAGE_GET_DEVICE_NUMBER, NULL, 0, &number, sizeof(number), &returned, NULL));
    CHECK_EQ(number.DeviceType, (DWORD)FILE_DEVICE_DISK);
    if (number.DeviceNumber != 0xFFFFFFFFu) {
        TEST("IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS: the volume's extent on its disk, with no access");
        VOLUME_DISK_EXTENTS extents;
        DISK_GEOMETRY_EX whole;
        CHECK(DeviceIoControl(volume, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, NULL, 0, &whole, sizeof(whole), &returned, NULL));
        memset(&extents, 0x55, sizeof(extents));
        CHECK(DeviceIoControl(volume, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0, &extents, sizeof(extents),
                              &returned, NULL));
        CHECK_EQ(returned, (DWORD)sizeof(extents));
        CHECK_EQ(extents.NumberOfDiskExtents, 1u);
        CHECK_EQ(extents.Extents[0].DiskNumber, number.DeviceNumber);
        CHECK_EQ(extents.Extents[0].ExtentLength.QuadPart, whole.DiskSize.QuadPart);
        SetLastError(0);
        CHECK(!DeviceIoControl(volume, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS, NULL, 0, &extents, sizeof(extents) - 1,
                               &returned, NULL));
        CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    }
    SetLastError(0);
    CHECK(!DeviceIoControl(volume, FSCTL_LOCK_VOLUME, NULL, 0, NULL, 0, &returned, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0);
    CHECK(!DeviceIoControl(volume, FSCTL_DISMOUNT_VOLUME, NULL, 0, NULL, 0, &returned, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    (void)length;
    CloseHandle(volume);
}

static void test_symbolic_link(void)
{
    TEST("FSCTL_GET_REPARSE_POINT on a symbolic link opened with FILE_FLAG_OPEN_REPARSE_POINT");
    char link_path[400], target_path[400];
    snprintf(target_path, sizeof(target_path), "%s/target.txt", dir);
    snprintf(link_path, sizeof(link_path), "%s/relative-link", dir);
    CHECK(symlink("target.txt", link_path) == 0);
    HANDLE link = CreateFileA(link_path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                              FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, NULL);
    CHECK(link != INVALID_HANDLE_VALUE);
    union {
        REPARSE_DATA_BUFFER data;
        unsigned char bytes[MAXIMUM_REPARSE_DATA_BUFFER_SIZE];
    } reparse;
    DWORD returned = 0;
    CHECK(DeviceIoControl(link, FSCTL_GET_REPARSE_POINT, NULL, 0, &reparse, sizeof(reparse), &returned, NULL));
    CHECK_EQ(reparse.data.ReparseTag, (DWORD)IO_REPARSE_TAG_SYMLINK);
    CHECK_EQ(returned, (DWORD)reparse.data.ReparseDataLength + REPARSE_DATA_BUFFER_HEADER_SIZE);
    CHECK_EQ(reparse.data.SymbolicLinkReparseBuffer.Flags, (DWORD)SYMLINK_FLAG_RELATIVE);
    WCHAR *names = reparse.data.SymbolicLinkReparseBuffer.PathBuffer;
    CHECK_EQ(reparse.data.SymbolicLinkReparseBuffer.PrintNameLength, 10 * sizeof(WCHAR));
    CHECK(memcmp(names + reparse.data.SymbolicLinkReparseBuffer.PrintNameOffset / 2, u"target.txt", 20) == 0);

    TEST("a buffer for the header only: ERROR_MORE_DATA with the header; smaller: ERROR_INSUFFICIENT_BUFFER");
    SetLastError(0);
    CHECK(!DeviceIoControl(link, FSCTL_GET_REPARSE_POINT, NULL, 0, &reparse, REPARSE_DATA_BUFFER_HEADER_SIZE, &returned,
                           NULL));
    CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(returned, (DWORD)REPARSE_DATA_BUFFER_HEADER_SIZE);
    SetLastError(0);
    CHECK(!DeviceIoControl(link, FSCTL_GET_REPARSE_POINT, NULL, 0, &reparse, 4, &returned, NULL));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CloseHandle(link);

    TEST("an absolute target is put under the drive that holds it (C: is /)");
    snprintf(link_path, sizeof(link_path), "%s/absolute-link", dir);
    CHECK(symlink("/usr/lib", link_path) == 0);
    link = CreateFileA(link_path, 0, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                       FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, NULL);
    CHECK(DeviceIoControl(link, FSCTL_GET_REPARSE_POINT, NULL, 0, &reparse, sizeof(reparse), &returned, NULL));
    CHECK_EQ(reparse.data.SymbolicLinkReparseBuffer.Flags, 0u);
    names = reparse.data.SymbolicLinkReparseBuffer.PathBuffer;
    CHECK(memcmp(names + reparse.data.SymbolicLinkReparseBuffer.PrintNameOffset / 2, u"C:\\usr\\lib", 20) == 0);
    CHECK(memcmp(names + reparse.data.SymbolicLinkReparseBuffer.SubstituteNameOffset / 2, u"\\??\\C:\\usr\\lib", 28) ==
          0);
    CloseHandle(link);

    TEST("without FILE_FLAG_OPEN_REPARSE_POINT the link is followed: not a reparse point");
    HANDLE target = CreateFileA(target_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CloseHandle(target);
    snprintf(link_path, sizeof(link_path), "%s/relative-link", dir);
    link = CreateFileA(link_path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(link != INVALID_HANDLE_VALUE);
    SetLastError(0);
    CHECK(!DeviceIoControl(link, FSCTL_GET_REPARSE_POINT, NULL, 0, &reparse, sizeof(reparse), &returned, NULL));
    CHECK_ERROR(ERROR_NOT_A_REPARSE_POINT);
    CloseHandle(link);
    unlink(target_path);
    unlink(link_path);
    snprintf(link_path, sizeof(link_path), "%s/absolute-link", dir);
    unlink(link_path);
}

int main(void)
{
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(dir, sizeof(dir), "%s/ovl_drive_XXXXXX", base);
    if (mkdtemp(dir) == NULL) return 1;
    snprintf(image, sizeof(image), "%s/disk.img", dir);
    snprintf(volume_image, sizeof(volume_image), "%s/volume.img", dir);
    make_image();
    char value[700];
    snprintf(value, sizeof(value), "5=%s", image);
    setenv("OVERLAPPED_PHYSICALDRIVES", value, 1);
    snprintf(value, sizeof(value), "V=%s", volume_image);
    setenv("OVERLAPPED_VOLUMES", value, 1);
    test_sector_rules();
    test_controls();
    test_overlapped_unbuffered();
    test_short_image();
    test_volume_image();
    test_real_disk();
    test_mounted_volume();
    test_symbolic_link();
    unlink(image);
    unlink(volume_image);
    rmdir(dir);
    return tl_finish();
}
