/* A realistic OCI seccomp profile for the "oci-350" bench row: an
 * allow-list of 350 system call names, about the size of the container
 * runtimes' default profiles. Written for this benchmark: the x86_64 table
 * minus the calls such profiles keep for privileged containers (modules,
 * kexec, mount, bpf, ptrace, clock setting, namespaces...), plus 32-bit x86
 * names that a multi-architecture profile lists and an x86_64 filter
 * ignores. Everything the tiny child and spx's exec need is allowed.
 * SPDX-License-Identifier: MIT */
#include "oci_profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const allowed[] = {
    "read", "write", "open", "close", "stat", "fstat", "lstat", "poll", "lseek", "mmap", "mprotect",
    "munmap", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "ioctl", "pread64",
    "pwrite64", "readv", "writev", "access", "pipe", "select", "sched_yield", "mremap", "msync",
    "mincore", "madvise", "shmget", "shmat", "shmctl", "dup", "dup2", "pause", "nanosleep",
    "getitimer", "alarm", "setitimer", "getpid", "sendfile", "socket", "connect", "accept",
    "sendto", "recvfrom", "sendmsg", "recvmsg", "shutdown", "bind", "listen", "getsockname",
    "getpeername", "socketpair", "setsockopt", "getsockopt", "clone", "fork", "vfork", "execve",
    "exit", "wait4", "kill", "uname", "semget", "semop", "semctl", "shmdt", "msgget", "msgsnd",
    "msgrcv", "msgctl", "fcntl", "flock", "fsync", "fdatasync", "truncate", "ftruncate", "getdents",
    "getcwd", "chdir", "fchdir", "rename", "mkdir", "rmdir", "creat", "link", "unlink", "symlink",
    "readlink", "chmod", "fchmod", "chown", "fchown", "lchown", "umask", "gettimeofday",
    "getrlimit", "getrusage", "sysinfo", "times", "getuid", "getgid", "setuid", "setgid", "geteuid",
    "getegid", "setpgid", "getppid", "getpgrp", "setsid", "setreuid", "setregid", "getgroups",
    "setgroups", "setresuid", "getresuid", "setresgid", "getresgid", "getpgid", "setfsuid",
    "setfsgid", "getsid", "capget", "capset", "rt_sigpending", "rt_sigtimedwait", "rt_sigqueueinfo",
    "rt_sigsuspend", "sigaltstack", "utime", "mknod", "personality", "ustat", "statfs", "fstatfs",
    "sysfs", "getpriority", "setpriority", "sched_setparam", "sched_getparam", "sched_setscheduler",
    "sched_getscheduler", "sched_get_priority_max", "sched_get_priority_min",
    "sched_rr_get_interval", "mlock", "munlock", "mlockall", "munlockall", "prctl", "arch_prctl",
    "setrlimit", "chroot", "sync", "gettid", "readahead", "setxattr", "lsetxattr", "fsetxattr",
    "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr", "removexattr",
    "lremovexattr", "fremovexattr", "tkill", "time", "futex", "sched_setaffinity",
    "sched_getaffinity", "set_thread_area", "io_setup", "io_destroy", "io_getevents", "io_submit",
    "io_cancel", "get_thread_area", "epoll_create", "remap_file_pages", "getdents64",
    "set_tid_address", "restart_syscall", "semtimedop", "fadvise64", "timer_create",
    "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete", "clock_gettime",
    "clock_getres", "clock_nanosleep", "exit_group", "epoll_wait", "epoll_ctl", "tgkill", "utimes",
    "mbind", "set_mempolicy", "get_mempolicy", "mq_open", "mq_unlink", "mq_timedsend",
    "mq_timedreceive", "mq_notify", "mq_getsetattr", "waitid", "ioprio_set", "ioprio_get",
    "inotify_init", "inotify_add_watch", "inotify_rm_watch", "migrate_pages", "openat", "mkdirat",
    "mknodat", "fchownat", "futimesat", "newfstatat", "unlinkat", "renameat", "linkat", "symlinkat",
    "readlinkat", "fchmodat", "faccessat", "pselect6", "ppoll", "set_robust_list",
    "get_robust_list", "splice", "tee", "sync_file_range", "vmsplice", "move_pages", "utimensat",
    "epoll_pwait", "signalfd", "timerfd_create", "eventfd", "fallocate", "timerfd_settime",
    "timerfd_gettime", "accept4", "signalfd4", "eventfd2", "epoll_create1", "dup3", "pipe2",
    "inotify_init1", "preadv", "pwritev", "rt_tgsigqueueinfo", "recvmmsg", "fanotify_init",
    "fanotify_mark", "prlimit64", "syncfs", "sendmmsg", "getcpu", "sched_setattr", "sched_getattr",
    "renameat2", "seccomp", "getrandom", "memfd_create", "execveat", "membarrier", "mlock2",
    "copy_file_range", "preadv2", "pwritev2", "pkey_mprotect", "pkey_alloc", "pkey_free", "statx",
    "io_pgetevents", "rseq", "pidfd_send_signal", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "fspick", "pidfd_open", "close_range", "openat2", "pidfd_getfd",
    "faccessat2", "process_madvise", "epoll_pwait2", "landlock_create_ruleset", "landlock_add_rule",
    "landlock_restrict_self", "memfd_secret", "process_mrelease", "futex_waitv", "cachestat",
    "fchmodat2", "map_shadow_stack", "futex_wake", "futex_wait", "futex_requeue", "waitpid", "nice",
    "readdir", "_llseek", "_newselect", "ugetrlimit", "mmap2", "truncate64", "ftruncate64",
    "stat64", "lstat64", "fstat64", "lchown32", "getuid32", "getgid32", "geteuid32", "getegid32",
    "setreuid32", "setregid32", "getgroups32", "setgroups32", "fchown32", "setresuid32",
    "getresuid32", "setresgid32", "getresgid32", "chown32", "setuid32", "setgid32", "setfsuid32",
    "setfsgid32", "fcntl64", "sendfile64", "statfs64", "fstatfs64", "fadvise64_64", "fstatat64",
    "clock_gettime64", "clock_getres_time64", "clock_nanosleep_time64", "timer_gettime64",
    "timer_settime64", "timerfd_gettime64", "timerfd_settime64",
};
_Static_assert(sizeof allowed / sizeof allowed[0] == OCI_PROFILE_NAMES, "the oci row lists 350 names");

char *oci_profile_json(size_t *len)
{
    static const char head[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,\n"
                               " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\","
                               " \"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\"],\n"
                               " \"syscalls\": [{\"action\": \"SCMP_ACT_ALLOW\", \"names\": [";
    static const char tail[] = "]}]}\n";
    size_t n = sizeof head + sizeof tail;
    for (size_t i = 0; i < OCI_PROFILE_NAMES; i++)
        n += strlen(allowed[i]) + 4;
    char *json = malloc(n);
    if (!json)
        return NULL;
    size_t at = (size_t)snprintf(json, n, "%s", head);
    for (size_t i = 0; i < OCI_PROFILE_NAMES; i++)
        at += (size_t)snprintf(json + at, n - at, "%s\"%s\"", i ? ", " : "", allowed[i]);
    at += (size_t)snprintf(json + at, n - at, "%s", tail);
    *len = at;
    return json;
}
