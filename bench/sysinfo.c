/* The machine description printed at the top of the benchmark report.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "sysinfo.h"

#include "ballast.h"
#include "caplaunch.h"

#include <gnu/libc-version.h>
#include <spx.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* First value of "key<spaces>: value" in /proc/cpuinfo, or "" */
static void cpuinfo_field(const char *key, char *out, size_t outlen)
{
    FILE *f = fopen("/proc/cpuinfo", "re");
    char line[512];
    size_t klen = strlen(key);
    out[0] = '\0';
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) != 0)
            continue;
        char *v = line + klen + strspn(line + klen, " \t");
        if (*v != ':')
            continue;
        v += 1 + strspn(v + 1, " \t");
        v[strcspn(v, "\n")] = '\0';
        snprintf(out, outlen, "%s", v);
        break;
    }
    fclose(f);
}

static void read_first_line(const char *path, char *out, size_t outlen)
{
    FILE *f = fopen(path, "re");
    out[0] = '\0';
    if (!f)
        return;
    if (fgets(out, (int)outlen, f))
        out[strcspn(out, "\n")] = '\0';
    fclose(f);
}

void sysinfo_print(void)
{
    struct utsname u;
    char cpu[256], thp[128];

    if (uname(&u) == 0)
        printf("kernel      : %s %s %s (%s)\n", u.sysname, u.release, u.machine, u.version);
    cpuinfo_field("model name", cpu, sizeof cpu);
    if (!cpu[0]) { /* aarch64 has no model name */
        char impl[64], part[64];
        cpuinfo_field("CPU implementer", impl, sizeof impl);
        cpuinfo_field("CPU part", part, sizeof part);
        snprintf(cpu, sizeof cpu, "implementer %s part %s", impl[0] ? impl : "?", part[0] ? part : "?");
    }
    printf("cpu         : %s, %ld online\n", cpu, sysconf(_SC_NPROCESSORS_ONLN));
    printf("memory      : %.1f GiB available\n", (double)ballast_mem_available() / (1024.0 * 1024 * 1024));
    read_first_line("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof thp);
    printf("THP         : %s (ballast uses MADV_NOHUGEPAGE: 4 KiB pages)\n", thp[0] ? thp : "n/a");
    printf("glibc       : %s\n", gnu_get_libc_version());
    printf("spx         : %s (header %d.%d.%d), landlock ABI %d\n", spx_version(), SPX_VERSION_MAJOR,
           SPX_VERSION_MINOR, SPX_VERSION_PATCH, spx_landlock_abi());
    printf("libcap      : %s\n", caplaunch_available() ? caplaunch_libcap_version() : "not linked (cap_launch row skipped)");
    printf("euid        : %d\n", (int)geteuid());
}
