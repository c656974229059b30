/* Fuzz glue over spx-run's parser (spx_run_glue.c). */
#ifndef SPX_RUN_GLUE_H
#define SPX_RUN_GLUE_H

#include <spx.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*fuzz_build_fn)(void *ctx, const spx_attr *attr, const char *path, const char *const *argv,
                              const char *const *envp);

/* parse_options(argc, argv), then (apply != 0) the apply_*() calls of
 * spx-run's main() and build(ctx, ...) on the result; everything is freed.
 * Returns 0, or the status spx-run would have exited with. */
int fuzz_spx_run(int argc, char **argv, int apply, fuzz_build_fn build, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
