/* libcap's cap_launch() as a spawn method: the reference for spx's uid
 * change with ambient capabilities. Built only when libcap is found.
 * SPDX-License-Identifier: MIT */
#ifndef SPX_BENCH_CAPLAUNCH_H
#define SPX_BENCH_CAPLAUNCH_H

#include "methods.h"

#include <stddef.h>

/** 1 when this binary was linked with libcap. */
int caplaunch_available(void);

/** libcap's version string ("2.66"), or "none". */
const char *caplaunch_libcap_version(void);

/**
 * A launcher running @p tgt as @p uid / @p gid, no supplementary group, with
 * @p cap_text (e.g. "^cap_net_bind_service") as its IAB. Returns an opaque
 * context for method_cap_launch, or NULL with a reason in @p msg.
 */
void *caplaunch_new(const target *tgt, unsigned uid, unsigned gid, const char *iab_text,
                    char *msg, size_t msglen);

/** Release a caplaunch_new() context (and the IAB it holds); NULL is fine. */
void caplaunch_free(void *ctx);

/** cap_launch() + waitpid(); ctx from caplaunch_new(). */
int method_cap_launch(void *ctx, run_times *t, char *msg, size_t msglen);

#endif
