/* The spx attribute objects of the extra rows: uid change with ambient
 * capabilities, Landlock, seccomp, execveat, per-child controls, all at once. Each builder returns a ready
 * attribute object, or NULL with the reason in @p msg.
 * SPDX-License-Identifier: MIT */
#ifndef SPX_BENCH_SECATTR_H
#define SPX_BENCH_SECATTR_H

#include <spx.h>
#include <stddef.h>

/** The uid/gid the identity row switches to. */
#define FEAT_NOBODY 65534u

/** Plain spx: spx_attr_new() and nothing else. */
spx_attr *feat_plain(char *msg, size_t msglen);

/** uid/gid 65534, no supplementary group, ambient {CAP_NET_BIND_SERVICE}. */
spx_attr *feat_uid_ambient(char *msg, size_t msglen);

/**
 * A prebuilt best-effort Landlock ruleset allowing read+execute beneath "/".
 * @p note receives "ABI n, <status>".
 */
spx_attr *feat_landlock(char *note, size_t notelen, char *msg, size_t msglen);

/**
 * A 50-rule deny list (each call -> EPERM), default allow.
 * @p note receives the BPF length and the ignored count.
 */
spx_attr *feat_seccomp(char *note, size_t notelen, char *msg, size_t msglen);

/**
 * The OCI-sized allow-list (350 names, default ERRNO) read by
 * spx_seccomp_from_oci. @p note receives the BPF length and the one-time
 * parse and compile costs.
 */
spx_attr *feat_oci(char *note, size_t notelen, char *msg, size_t msglen);

/** execveat of @p path opened O_PATH (spx_spawn's path is then NULL). */
spx_attr *feat_execfd(const char *path, char *msg, size_t msglen);

/** The resource limit of the rlimit rows: RLIMIT_NOFILE soft = hard = this. */
#define FEAT_NOFILE 256

/** spx_attr_set_rlimit(RLIMIT_NOFILE, FEAT_NOFILE, FEAT_NOFILE). */
spx_attr *feat_rlimit(char *msg, size_t msglen);

/**
 * A fresh cgroup v2 directory for the cgroup rows (under the cgroup2 mount of
 * /proc/self/mountinfo): its path in @p path and an O_DIRECTORY fd, or -1 with
 * the reason in @p msg. feat_cgroup_remove() removes it once no child is left.
 */
int feat_cgroup_create(char *path, size_t pathlen, char *msg, size_t msglen);
void feat_cgroup_remove(const char *path);

/**
 * The per-child controls: RLIMIT_NOFILE, setsid, and placement in @p cgroup_fd
 * (skipped when -1). @p note says what was set.
 */
spx_attr *feat_controls(int cgroup_fd, char *note, size_t notelen, char *msg, size_t msglen);

/**
 * Every attribute at once: uid/gid/groups + ambient caps, the Landlock
 * ruleset, the 50-rule seccomp filter, RLIMIT_NOFILE, setsid, the cgroup.
 */
spx_attr *feat_all(int cgroup_fd, char *note, size_t notelen, char *msg, size_t msglen);

/**
 * Whether uid/gid FEAT_NOBODY without groups may execute @p path (checked in
 * a forked child). 1 yes, 0 no, -1 could not check; @p msg says why not.
 */
int feat_nobody_can_exec(const char *path, char *msg, size_t msglen);

#endif
