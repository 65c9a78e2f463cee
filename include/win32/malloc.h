/* malloc.h: glibc's malloc.h and the Microsoft C runtime's aligned allocations
 * (_aligned_malloc, _aligned_realloc, _aligned_free) and _alloca, which Windows programs
 * take from malloc.h, e.g. for the 16-byte aligned SLIST_ENTRY and SLIST_HEADER. */
#ifndef OVERLAPPED_MALLOC_H
#define OVERLAPPED_MALLOC_H

#include_next <malloc.h>
#include <alloca.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef _alloca
#define _alloca alloca
#endif

/* alignment: a power of two (else NULL and errno EINVAL); the block goes to _aligned_free. */
static inline void *_aligned_malloc(size_t size, size_t alignment)
{
    void *p;
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    if (alignment < sizeof(void *)) alignment = sizeof(void *);
    int e = posix_memalign(&p, alignment, size);
    if (e != 0) {
        errno = e;
        return NULL;
    }
    return p;
}

static inline void _aligned_free(void *memblock) { free(memblock); }

/* A NULL memblock allocates; a zero size frees memblock and gives NULL. */
static inline void *_aligned_realloc(void *memblock, size_t size, size_t alignment)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    if (memblock == NULL) return _aligned_malloc(size, alignment);
    if (size == 0) {
        free(memblock);
        return NULL;
    }
    void *p = _aligned_malloc(size, alignment);
    if (p == NULL) return NULL;
    size_t old = malloc_usable_size(memblock);
    memcpy(p, memblock, old < size ? old : size);
    free(memblock);
    return p;
}

#endif
