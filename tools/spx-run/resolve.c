/*
 * spx-run: the program as the child will see it. PATH search in the PATH the
 * program gets, for the identity it will have, inside --chroot and against
 * --cwd; and, when the exec fails, the reason a person needs (a missing "#!"
 * or ELF interpreter, a file that is neither, mode bits, a noexec mount,
 * Landlock). Everything is read here, in spx-run, before or after the
 * spawn: never in the child.
 *
 * SPDX-License-Identifier: MIT
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "spx-run.h"

#ifndef RESOLVE_IN_ROOT
#define RESOLVE_IN_ROOT 0x10
#endif

const char *const default_path = "/usr/local/bin:/usr/bin:/bin";

/* libspx's rule: a uid or gid other than spx-run's own (real, effective and
 * saved alike) is a new identity, which inherits no supplementary group,
 * ambient or inheritable capability unless asked. */
bool new_identity(const struct options *o)
{
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rgid, &egid, &sgid) != 0)
        return o->have_uid || o->have_gid;
    bool uid_differs = o->uid != ruid || o->uid != euid || o->uid != suid;
    bool gid_differs = o->gid != rgid || o->gid != egid || o->gid != sgid;
    return (o->have_uid && uid_differs) || (o->have_gid && gid_differs);
}

void child_identity(const struct options *o, struct child_id *id)
{
    memset(id, 0, sizeof *id);
    id->uid = o->have_uid ? o->uid : geteuid();
    id->gid = o->have_gid ? o->gid : getegid();
    if (o->have_groups) {
        for (size_t i = 0; i < o->groups.n; i++)
            VPUSH(id->groups, o->groups.v[i]);
    } else if (o->keep_groups || !new_identity(o)) {
        int n = getgroups(0, NULL);
        gid_t *list = n > 0 ? xrealloc(NULL, (size_t)n * sizeof *list) : NULL;
        if (n > 0)
            n = getgroups(n, list);
        for (int i = 0; i < n; i++)
            push_unique_u32(&id->groups, (uint32_t)list[i]);
        free(list);
    }
}

bool id_can_exec(const struct child_id *id, const struct stat *st)
{
    if (!S_ISREG(st->st_mode))
        return false;
    if (id->uid == 0)
        return (st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
    if (st->st_uid == id->uid)
        return (st->st_mode & S_IXUSR) != 0;
    bool in_group = st->st_gid == id->gid;
    for (size_t i = 0; i < id->groups.n; i++)
        in_group |= id->groups.v[i] == st->st_gid;
    return (st->st_mode & (in_group ? S_IXGRP : S_IXOTH)) != 0;
}

char *child_path(const struct options *o, const char *path)
{
    strbuf b = { 0 };
    if (path[0] != '/' && o->cwd && strcmp(o->cwd, ".") != 0)
        sb_printf(&b, "%s%s%s", o->cwd, o->cwd[strlen(o->cwd) - 1] == '/' ? "" : "/", path);
    else
        sb_printf(&b, "%s", path);
    return b.s;
}

char *host_path(const struct options *o, const char *path)
{
    char *in = child_path(o, path);
    if (!o->chroot_dir && in[0] != '/') {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            return in;
        strbuf b = { 0 };
        sb_printf(&b, "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", in);
        free(in);
        return b.s;
    }
    if (!o->chroot_dir)
        return in;
    size_t l = strlen(o->chroot_dir);
    while (l > 1 && o->chroot_dir[l - 1] == '/')
        l--;
    const char *rest = in;
    while (*rest == '/')
        rest++;
    strbuf b = { 0 };
    sb_printf(&b, "%.*s/%s", (int)l, o->chroot_dir, rest);
    free(in);
    return b.s;
}

int open_child_view(const struct options *o, const char *path, int flags)
{
    char *p = child_path(o, path);
    int fd = -1;
    if (o->chroot_dir) {
        int rootfd = open(o->chroot_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0) {
            int e = errno;
            free(p);
            return -e;
        }
#ifdef SYS_openat2
        struct { uint64_t flags, mode, resolve; } how = { (uint64_t)(flags | O_CLOEXEC), 0, RESOLVE_IN_ROOT };
        fd = (int)syscall(SYS_openat2, rootfd, p, &how, sizeof how);
        if (fd < 0 && errno != ENOSYS) {
            int e = errno;
            close(rootfd);
            free(p);
            return -e;
        }
#endif
        if (fd < 0) {
            const char *q = p;
            while (*q == '/')
                q++;
            fd = openat(rootfd, *q ? q : ".", flags | O_CLOEXEC);
        }
        int e = errno;
        close(rootfd);
        errno = e;
    } else {
        fd = open(p, flags | O_CLOEXEC);
    }
    int e = errno;
    free(p);
    return fd < 0 ? -e : fd;
}

/* 0 if the child would find an executable file there; else -errno. */
static int probe(const struct options *o, const struct child_id *id, const char *path)
{
    int fd = open_child_view(o, path, O_PATH);
    if (fd < 0)
        return -ENOENT; /* whatever stops spx-run (a directory it cannot search) is no file found */
    struct stat st;
    int rc = fstat(fd, &st) == 0 ? (id_can_exec(id, &st) ? 0 : -EACCES) : -errno;
    close(fd);
    return rc;
}

const char *child_env_path(const struct options *o, char **envp)
{
    if (!envp)
        return getenv("PATH");
    (void)o;
    for (char **e = envp; *e; e++)
        if (strncmp(*e, "PATH=", 5) == 0)
            return *e + 5;
    return NULL;
}

char *resolve_program(const struct options *o, char **envp)
{
    if (strchr(o->program, '/') || o->no_search_path)
        return xstrdup(o->program);
    const char *path = child_env_path(o, envp);
    const char *searched = path ? path : default_path;
    struct child_id id;
    child_identity(o, &id);
    bool denied = false;
    strbuf denied_at = { 0 };
    for (const char *p = searched;;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        strbuf cand = { 0 };
        if (len == 0)
            sb_printf(&cand, "%s", o->program); /* an empty entry is the working directory */
        else
            sb_printf(&cand, "%.*s%s%s", (int)len, p, p[len - 1] == '/' ? "" : "/", o->program);
        int rc = probe(o, &id, sb_str(&cand));
        if (rc == 0) {
            free(id.groups.v);
            free(denied_at.s);
            return cand.s;
        }
        if (rc == -EACCES && !denied) {
            denied = true;
            sb_printf(&denied_at, "%s", sb_str(&cand));
        }
        free(cand.s);
        if (!colon)
            break;
        p = colon + 1;
    }
    char where[64] = "";
    if (o->chroot_dir)
        snprintf(where, sizeof where, " inside --chroot");
    if (denied)
        die_status(EXIT_CANNOT_INVOKE, "%s: %s is not executable by uid %u gid %u (searched PATH=%s%s%s)",
                   o->program, sb_str(&denied_at), (unsigned)id.uid, (unsigned)id.gid, searched,
                   path ? "" : ", the default: the program gets no PATH", where);
    die_status(EXIT_ENOENT, "%s: not found in PATH=%s%s%s (--no-search-path runs it from the working directory)",
               o->program, searched, path ? "" : " (the default: the program gets no PATH)", where);
}

/* The first line of a script: its interpreter, or NULL. */
static char *shebang(const char *buf, size_t n)
{
    if (n < 2 || buf[0] != '#' || buf[1] != '!')
        return NULL;
    size_t i = 2;
    while (i < n && (buf[i] == ' ' || buf[i] == '\t'))
        i++;
    size_t start = i;
    while (i < n && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\0')
        i++;
    if (i == start)
        return NULL;
    char *s = xrealloc(NULL, i - start + 1);
    memcpy(s, buf + start, i - start);
    s[i - start] = '\0';
    return s;
}

/* Program header i of either ELF class: its type, file offset and size.
 * False when it cannot be read. */
static bool read_phdr(int fd, bool is64, uint64_t phoff, uint64_t phentsize, unsigned i, uint32_t *type,
                      uint64_t *offset, uint64_t *filesz)
{
    off_t at = (off_t)(phoff + (uint64_t)i * phentsize);
    if (is64) {
        Elf64_Phdr ph;
        if (pread(fd, &ph, sizeof ph, at) != (ssize_t)sizeof ph)
            return false;
        *type = ph.p_type, *offset = ph.p_offset, *filesz = ph.p_filesz;
    } else {
        Elf32_Phdr ph;
        if (pread(fd, &ph, sizeof ph, at) != (ssize_t)sizeof ph)
            return false;
        *type = ph.p_type, *offset = ph.p_offset, *filesz = ph.p_filesz;
    }
    return true;
}

/* The PT_INTERP of an ELF file, or NULL (static, or not ELF). */
static char *elf_interp(int fd)
{
    unsigned char ident[EI_NIDENT];
    if (pread(fd, ident, sizeof ident, 0) != (ssize_t)sizeof ident || memcmp(ident, ELFMAG, SELFMAG) != 0)
        return NULL;
    bool is64 = ident[EI_CLASS] == ELFCLASS64;
    uint64_t phoff, phentsize;
    unsigned phnum;
    if (is64) {
        Elf64_Ehdr eh;
        if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh)
            return NULL;
        phoff = eh.e_phoff, phentsize = eh.e_phentsize, phnum = eh.e_phnum;
    } else if (ident[EI_CLASS] == ELFCLASS32) {
        Elf32_Ehdr eh;
        if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh)
            return NULL;
        phoff = eh.e_phoff, phentsize = eh.e_phentsize, phnum = eh.e_phnum;
    } else {
        return NULL;
    }
    for (unsigned i = 0; i < phnum && i < 256; i++) {
        uint32_t type;
        uint64_t offset, filesz;
        if (!read_phdr(fd, is64, phoff, phentsize, i, &type, &offset, &filesz))
            break;
        if (type != PT_INTERP || filesz == 0 || filesz >= PATH_MAX)
            continue;
        char *res = xrealloc(NULL, filesz + 1);
        if (pread(fd, res, filesz, (off_t)offset) != (ssize_t)filesz) {
            free(res);
            return NULL;
        }
        res[filesz] = '\0';
        return res;
    }
    return NULL;
}

/* Whether Landlock could be what refused executing a file at host path
 * hpath: it restricts the filesystem (not only ports or scopes), is
 * enforced, and no --rox/--rw (or --system-ro) rule covers the file. */
static bool landlock_may_refuse(const struct options *o, const struct plan *pl, const char *hpath)
{
    if (!pl->landlock || pl->landlock_status == SPX_LANDLOCK_NOT_ENFORCED || !(pl->ll_fs & SPX_LANDLOCK_FS_EXECUTE))
        return false;
    char real[PATH_MAX];
    if (!realpath(hpath, real))
        return true;
    for (size_t i = 0; i < o->paths.n; i++) {
        if (!(o->paths.v[i].access & SPX_LANDLOCK_FS_EXECUTE))
            continue;
        char rule[PATH_MAX];
        if (!realpath(o->paths.v[i].path, rule))
            continue;
        size_t l = strlen(rule);
        if (strcmp(rule, "/") == 0 || (strncmp(real, rule, l) == 0 && (real[l] == '/' || real[l] == '\0')))
            return false;
    }
    return true;
}

/* The first directory on the way to host path hpath that the child's
 * identity may not search (mode bits; root searches anything), or NULL.
 * Then the exec fails with or without Landlock. */
static char *unsearchable_dir(const struct child_id *id, const char *hpath)
{
    if (id->uid == 0 || hpath[0] != '/')
        return NULL;
    char *dir = xrealloc(NULL, strlen(hpath) + 1);
    for (const char *slash = strchr(hpath + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        size_t n = (size_t)(slash - hpath);
        memcpy(dir, hpath, n);
        dir[n] = '\0';
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            break;
        bool in_group = st.st_gid == id->gid;
        for (size_t i = 0; i < id->groups.n; i++)
            in_group |= id->groups.v[i] == st.st_gid;
        mode_t need = st.st_uid == id->uid ? S_IXUSR : in_group ? S_IXGRP : S_IXOTH;
        if (!(st.st_mode & need))
            return dir;
    }
    free(dir);
    return NULL;
}

/* Why the child could not execute the file at path (child's view), in b. */
static bool why_not_exec(const struct options *o, const struct plan *pl, const struct child_id *id,
                         const char *what, const char *path, int fd, strbuf *b)
{
    struct stat st;
    struct statvfs vfs;
    char *hp = host_path(o, path);
    char *closed_dir = unsearchable_dir(id, hp);
    if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
        sb_printf(b, "%s %s is not a regular file", what, path);
    } else if (!id_can_exec(id, &st)) {
        sb_printf(b, "%s %s (mode %04o, owner %u:%u) is not executable by uid %u gid %u", what, path,
                  (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned)id->uid,
                  (unsigned)id->gid);
    } else if (fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC)) {
        sb_printf(b, "%s %s is on a noexec mount", what, path);
    } else if (closed_dir) {
        sb_printf(b, "the directory %s on the way to %s %s is not searchable by uid %u gid %u", closed_dir, what,
                  hp, (unsigned)id->uid, (unsigned)id->gid);
    } else if (landlock_may_refuse(o, pl, hp)) {
        sb_printf(b, "Landlock: %s %s is not beneath a --rox or --rw path; the program, its interpreters and "
                     "libraries need --rox or --system-ro%s", what, hp,
                  o->chroot_dir ? "; Landlock paths are host paths, outside --chroot" : "");
    } else {
        free(closed_dir);
        free(hp);
        return false;
    }
    free(closed_dir);
    free(hp);
    return true;
}

/* EACCES with nothing wrong with the file itself: the ELF interpreter
 * (loader) it names, else what spx-run cannot see. */
static void why_not_loader(const struct options *o, const struct plan *pl, const struct child_id *id, int fd,
                           strbuf *b)
{
    char *li = elf_interp(fd);
    int lfd = li ? open_child_view(o, li, O_RDONLY) : -1;
    if (lfd < 0 || !why_not_exec(o, pl, id, "its ELF interpreter", li, lfd, b))
        sb_printf(b, "a directory on the way may not be searchable by uid %u, or an ACL or a security module "
                     "refuses it", (unsigned)id->uid);
    if (lfd >= 0)
        close(lfd);
    free(li);
}

void diagnose_exec(const struct options *o, const struct plan *pl, const char *path, int err, strbuf *b)
{
    struct child_id id;
    child_identity(o, &id);
    int fd = open_child_view(o, path, O_RDONLY);
    if (fd < 0 && (err == EACCES || err == ENOEXEC))
        fd = open_child_view(o, path, O_PATH);
    if (fd < 0) {
        if (err == ENOENT) {
            char *hp = host_path(o, path);
            if (o->chroot_dir)
                sb_printf(b, "%s does not exist inside --chroot %s (tried %s)", path, o->chroot_dir, hp);
            else if (path[0] != '/')
                sb_printf(b, "tried %s%s", hp, strchr(path, '/') ? "" : "; without --no-search-path it is looked up in PATH");
            free(hp);
        }
        free(id.groups.v);
        return;
    }
    char buf[256];
    ssize_t n = pread(fd, buf, sizeof buf, 0);
    if (n < 0)
        n = 0;
    char *interp = shebang(buf, (size_t)n);
    bool is_elf = n >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0;
    const char *in_root = o->chroot_dir ? " inside --chroot" : "";
    struct stat st;
    if (err == EACCES && fstat(fd, &st) == 0 && !id_can_exec(&id, &st)) {
        why_not_exec(o, pl, &id, "the program", path, fd, b);
    } else if (interp) {
        int ifd = open_child_view(o, interp, O_RDONLY);
        if (ifd < 0 && ifd != -ENOENT && ifd != -ENOTDIR)
            ifd = open_child_view(o, interp, O_PATH);
        if (ifd < 0)
            sb_printf(b, "the script's interpreter %s (its #! line) is not found%s", interp, in_root);
        else if (err == EACCES && !why_not_exec(o, pl, &id, "the script's interpreter", interp, ifd, b))
            why_not_loader(o, pl, &id, ifd, b);
        if (ifd >= 0 && err == ENOEXEC)
            sb_printf(b, "the script's interpreter %s cannot be executed", interp);
        if (ifd >= 0 && err == ENOENT) {
            char *li = elf_interp(ifd);
            int lfd = li ? open_child_view(o, li, O_PATH) : -1;
            if (li && lfd < 0)
                sb_printf(b, "the ELF interpreter %s of the script's interpreter %s is not found%s", li, interp,
                          in_root);
            if (lfd >= 0)
                close(lfd);
            free(li);
        }
        if (ifd >= 0)
            close(ifd);
    } else if (err == ENOENT && is_elf) {
        char *li = elf_interp(fd);
        int lfd = li ? open_child_view(o, li, O_PATH) : -1;
        if (li && lfd < 0)
            sb_printf(b, "its ELF interpreter (loader) %s is not found%s: a dynamically linked program needs "
                         "its loader and libraries%s", li, in_root, o->chroot_dir ? " in the new root" : "");
        if (lfd >= 0)
            close(lfd);
        free(li);
    } else if (err == ENOEXEC) {
        sb_printf(b, is_elf ? "an ELF file this machine cannot run"
                            : "neither an ELF binary nor a script with a #! line (add e.g. #!/bin/sh)");
    } else if (err == EACCES && !why_not_exec(o, pl, &id, "the program", path, fd, b)) {
        why_not_loader(o, pl, &id, fd, b);
    }
    free(interp);
    close(fd);
    free(id.groups.v);
}

bool has_file_privileges(const struct options *o, const char *path)
{
    int fd = open_child_view(o, path, O_RDONLY);
    if (fd < 0)
        return false;
    struct stat st;
    bool priv = fstat(fd, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID));
    if (!priv && fgetxattr(fd, "security.capability", NULL, 0) > 0)
        priv = true;
    close(fd);
    return priv;
}
