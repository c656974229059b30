/*
 * spx-run: messages, allocation that cannot fail, growable arrays and strings,
 * and the number and list syntax the options share.
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spx-run.h"

void put_escaped(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
}

static void vmessage(const char *fmt, va_list ap)
{
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    fputs("spx-run: ", stderr);
    put_escaped(stderr, line); /* one line, whatever the arguments hold */
    fputc('\n', stderr);
}

/* NULL in spx-run. The fuzz targets (tests/fuzz) set it to a function that
 * longjmps back to them, so a refused command line ends the input instead
 * of the process. */
void (*spx_run_exit_hook)(int status);

void tool_exit(int status)
{
    if (spx_run_exit_hook)
        spx_run_exit_hook(status);
    exit(status);
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    tool_exit(EXIT_CANCELED);
}

void die_status(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    tool_exit(status);
}

void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

void check(int rc, const char *what)
{
    if (rc == 0)
        return;
    if (rc == ENOTSUP)
        die("%s: not supported on this system (%s)", what, strerror(rc));
    die("%s: %s", what, strerror(rc));
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory");
    return q;
}

char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        die("out of memory");
    return d;
}

void push_unique_int(intvec *v, int x)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i] == x)
            return;
    VPUSH(*v, x);
}

void push_unique_u32(u32vec *v, uint32_t x)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i] == x)
            return;
    VPUSH(*v, x);
}

void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    if (b->n + (size_t)len + 1 > b->cap) {
        b->cap = (b->n + (size_t)len + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
}

const char *sb_str(strbuf *b)
{
    return b->s ? b->s : "";
}

void sb_reset(strbuf *b)
{
    b->n = 0;
    if (b->s)
        b->s[0] = '\0';
}

/* Decimal, no sign, no blank, no overflow, at most max. */
bool parse_ull(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !isdigit((unsigned char)s[0]))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* Split a comma-separated list; an empty item is an error. */
strvec split_list(const char *opt, const char *s)
{
    strvec out = { 0 };
    if (!*s)
        die("%s: empty list", opt);
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0)
            die("%s '%s': empty item in the list", opt, s);
        char *item = xrealloc(NULL, len + 1);
        memcpy(item, p, len);
        item[len] = '\0';
        VPUSH(out, item);
        if (!comma)
            break;
        p = comma + 1;
    }
    return out;
}

void free_strvec(strvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i]);
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}
