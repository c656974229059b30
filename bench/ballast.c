/* Resident memory ballast.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ballast.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t g_size;

size_t ballast_rss(void)
{
    FILE *f = fopen("/proc/self/statm", "re");
    unsigned long total = 0, resident = 0;
    if (!f)
        return 0;
    int n = fscanf(f, "%lu %lu", &total, &resident);
    fclose(f);
    if (n != 2)
        return 0;
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

size_t ballast_size(void)
{
    return g_size;
}

size_t ballast_mem_available(void)
{
    FILE *f = fopen("/proc/meminfo", "re");
    char line[256];
    size_t kib = 0;
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long v;
        if (sscanf(line, "MemAvailable: %lu kB", &v) == 1) {
            kib = v;
            break;
        }
    }
    fclose(f);
    return kib * 1024;
}

int ballast_grow_to(size_t target_rss)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t rss = ballast_rss();
    if (rss >= target_rss)
        return 0;
    size_t len = (target_rss - rss + page - 1) / page * page;
    /* The mapping is deliberately never unmapped: it is the ballast. */
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return errno;
#ifdef MADV_NOHUGEPAGE
    (void)madvise(p, len, MADV_NOHUGEPAGE);
#endif
    /* Write (not read: that would map the shared zero page) every page. */
    for (size_t off = 0; off < len; off += page)
        p[off] = (unsigned char)(off / page) | 1u;
    g_size += len;
    return 0;
}
