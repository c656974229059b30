/* The spx attribute objects of the extra rows: uid change with ambient
 * capabilities, Landlock, seccomp, execveat. Each builder returns a ready
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

/** execveat of @p path opened O_PATH (spx_spawn's path is then NULL). */
spx_attr *feat_execfd(const char *path, char *msg, size_t msglen);

/**
 * Whether uid/gid FEAT_NOBODY without groups may execute @p path (checked in
 * a forked child). 1 yes, 0 no, -1 could not check; @p msg says why not.
 */
int feat_nobody_can_exec(const char *path, char *msg, size_t msglen);

#endif
