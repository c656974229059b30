/* `make demo`: one section per feature, each telling in plain words what a
 * child got and what was refused. Sections share these helpers. */
#ifndef SPX_DEMO_H
#define SPX_DEMO_H

#include <stddef.h>
#include <spx.h>

/* Runs argv with attr (may be NULL), capturing the child's stdout and stderr
 * into out. Returns spx_spawn's result; *code is the exit status (or 128+sig). */
int demo_run(spx_attr *attr, const char *const argv[], char *out, size_t len, int *code, spx_error *err);
/* Prints a section title. */
void demo_title(const char *title);
/* Prints "  ok: ..." or "  REFUSED: ..." style lines, indented. */
void demo_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The first line of text starting with key (e.g. "CapAmb:"), or "" */
const char *demo_grep(const char *text, const char *key, char *buf, size_t len);
/* A fresh temporary directory. */
void demo_tmpdir(char *buf, size_t len);

/* This program's own path: sections run it as "spx-demo --child CMD...",
 * with commands report | controls | bind PORT | write PATH | read PATH | mkdir PATH |
 * socket | say TEXT (see demo_child.c). */
const char *demo_self(void);
int demo_child_main(int argc, char **argv);

void demo_basics(void);
void demo_caps(void);
void demo_landlock(void);
void demo_execfd(void);
void demo_seccomp(void);
void demo_controls(void);

#endif
