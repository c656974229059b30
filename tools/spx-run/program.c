/*
 * spx-run: the program to run and its environment. --sealed opens the
 * program here, in spx-run, and copies it into a sealed memfd: what is
 * executed is then the file as it was read, whatever happens to the path
 * afterwards.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "spx-run.h"

/* Older headers lack these; the code below falls back when the kernel
 * refuses them. */
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#ifndef RESOLVE_IN_ROOT
#define RESOLVE_IN_ROOT 0x10
#endif

struct open_how_compat {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};

/* Open a candidate program for reading; -errno on failure. Inside the chroot
 * directory when there is one. Something execve would refuse is -EACCES. */
static int open_program(const char *path, int rootfd)
{
    int fd = -1;
    if (rootfd >= 0) {
#ifdef SYS_openat2
        struct open_how_compat how = { O_RDONLY | O_CLOEXEC, 0, RESOLVE_IN_ROOT };
        fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
        if (fd < 0 && errno != ENOSYS)
            return -errno;
#endif
        if (fd < 0) {
            /* No openat2: a plain prefix (symbolic links may escape). */
            while (*path == '/')
                path++;
            fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                return -errno;
        }
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return -errno;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    if (!S_ISREG(st.st_mode) || !(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
        close(fd);
        return -EACCES;
    }
    return fd;
}

/* execvp-like lookup for --sealed --search-path; the found path is stored. */
static int find_program(const char *prog, bool search_path, int rootfd, char **found)
{
    *found = xstrdup(prog);
    if (!search_path || strchr(prog, '/'))
        return open_program(prog, rootfd);
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    bool saw_eacces = false;
    const char *p = path;
    for (;;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        strbuf cand = { 0 };
        if (len == 0)
            sb_printf(&cand, "%s", prog);
        else
            sb_printf(&cand, "%.*s/%s", (int)len, p, prog);
        int fd = open_program(sb_str(&cand), rootfd);
        if (fd >= 0) {
            free(*found);
            *found = cand.s;
            return fd;
        }
        free(cand.s);
        if (fd == -EACCES)
            saw_eacces = true;
        if (!colon)
            break;
        p = colon + 1;
    }
    return saw_eacces ? -EACCES : -ENOENT;
}

int make_sealed(const struct options *o, char **resolved, size_t *size, bool *exec_sealed)
{
    int rootfd = -1;
    if (o->chroot_dir) {
        rootfd = open(o->chroot_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
            die("--chroot %s: %s", o->chroot_dir, strerror(errno));
    }
    int src = find_program(o->program, o->search_path, rootfd, resolved);
    if (rootfd >= 0)
        close(rootfd);
    if (src < 0) {
        die_status(src == -ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE,
                   "sealed: %s: %s", *resolved, strerror(-src));
    }

    const char *base = strrchr(o->program, '/');
    base = base ? base + 1 : o->program;
    char name[64];
    snprintf(name, sizeof name, "spx-run:%s", base);

    /* MFD_EXEC keeps the memfd executable where vm.memfd_noexec=1. */
    int mfd = (int)memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (mfd < 0 && errno == EINVAL)
        mfd = (int)memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mfd < 0)
        die("sealed: memfd_create: %s", strerror(errno));

    char buf[65536];
    size_t total = 0;
    for (;;) {
        ssize_t r = read(src, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            die_status(EXIT_CANNOT_INVOKE, "sealed: read %s: %s", *resolved, strerror(errno));
        if (r == 0)
            break;
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(mfd, buf + off, (size_t)(r - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                die("sealed: writing the memfd: %s", strerror(errno));
            off += w;
        }
        total += (size_t)r;
    }
    close(src);
    if (total == 0)
        die_status(EXIT_CANNOT_INVOKE, "sealed: %s: empty file", *resolved);

    int seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
    *exec_sealed = true;
    if (fcntl(mfd, F_ADD_SEALS, seals | F_SEAL_EXEC) != 0) {
        *exec_sealed = false;
        if (fcntl(mfd, F_ADD_SEALS, seals) != 0)
            die("sealed: F_ADD_SEALS: %s", strerror(errno));
    }
    *size = total;
    return mfd;
}

char **build_env(const struct options *o)
{
    if (!o->clear_env && o->env.n == 0)
        return NULL; /* inherit */
    strvec out = { 0 };
    if (!o->clear_env) {
        for (char **e = environ; e && *e; e++) {
            const char *eq = strchr(*e, '=');
            size_t klen = eq ? (size_t)(eq - *e) + 1 : strlen(*e);
            bool overridden = false;
            for (size_t i = 0; i < o->env.n; i++)
                if (strncmp(o->env.v[i], *e, klen) == 0 && eq)
                    overridden = true;
            if (!overridden)
                VPUSH(out, *e);
        }
    }
    for (size_t i = 0; i < o->env.n; i++)
        VPUSH(out, o->env.v[i]);
    VPUSH(out, NULL);
    return out.v;
}
