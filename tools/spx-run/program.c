/*
 * spx-run: the program to run and its environment. --sealed opens the
 * program here, in spx-run, and copies it into a sealed memfd: what is
 * executed is then the file as it was read, whatever happens to the path
 * afterwards.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <pwd.h>
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


int make_sealed(const struct options *o, const char *path, char **resolved, size_t *size, bool *exec_sealed)
{
    /* The file the plain exec would run: inside --chroot, a relative path
     * against --cwd. */
    *resolved = host_path(o, path);
    int src = open_child_view(o, path, O_RDONLY);
    struct stat st;
    if (src >= 0 && fstat(src, &st) == 0 && (!S_ISREG(st.st_mode) || !(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))) {
        close(src);
        src = -EACCES;
    }
    if (src < 0) {
        die_status(src == -ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE,
                   "--sealed: %s: %s (tried %s)", o->program, strerror(-src), *resolved);
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

/* With --uid: HOME, USER, LOGNAME and SHELL from the passwd entry, as su
 * without '-' sets them (util-linux su also sets USER and LOGNAME), unless
 * --env sets them or --clear-env asks for exactly the --env ones. */
static void identity_env(struct options *o)
{
    if (!o->have_uid || o->clear_env)
        return;
    struct passwd *pw = getpwuid((uid_t)o->uid);
    if (!pw)
        return;
    const char *shell = pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh";
    const char *vals[][2] = {
        { "HOME", pw->pw_dir }, { "USER", pw->pw_name }, { "LOGNAME", pw->pw_name }, { "SHELL", shell },
    };
    for (size_t i = 0; i < 4; i++) {
        size_t klen = strlen(vals[i][0]);
        bool set = false;
        for (size_t j = 0; j < o->env.n; j++)
            if (strncmp(o->env.v[j], vals[i][0], klen) == 0 && o->env.v[j][klen] == '=')
                set = true;
        if (set)
            continue;
        strbuf b = { 0 };
        sb_printf(&b, "%s=%s", vals[i][0], vals[i][1]);
        VPUSH(o->id_env, b.s);
    }
}

char **build_env(struct options *o)
{
    identity_env(o);
    if (!o->clear_env && o->env.n == 0 && o->id_env.n == 0)
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
            for (size_t i = 0; i < o->id_env.n; i++)
                if (strncmp(o->id_env.v[i], *e, klen) == 0 && eq)
                    overridden = true;
            if (!overridden)
                VPUSH(out, *e);
        }
    }
    for (size_t i = 0; i < o->id_env.n; i++)
        VPUSH(out, o->id_env.v[i]);
    for (size_t i = 0; i < o->env.n; i++)
        VPUSH(out, o->env.v[i]);
    VPUSH(out, NULL);
    return out.v;
}
