/* A tiny test harness for programs that must run where cmocka cannot (the
 * mingw build under wine) as well as natively. One test program is one
 * translation unit including this header: the counters live here.
 *
 *   static void test_x(void) { CHECK(1 + 1 == 2); REQUIRE(p != NULL); SKIP("why"); }
 *   int main(void) { RUN(test_x); return harness_finish(); }
 *
 * Each test prints one line: "PASS name", "FAIL name" (after a line per
 * failed check) or "SKIP name: reason". The last line is always
 * "N passed, N failed, N skipped"; the exit status is 1 when a test failed
 * (or none ran), 77 when every test skipped (meson's SKIP), 0 otherwise. */
#ifndef SPX_TESTS_HARNESS_H
#define SPX_TESTS_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct harness_state {
    int passed, failed, skipped;  /* tests */
    int checks_failed;            /* in the running test */
    int skipping;                 /* the running test called SKIP */
    char skip_reason[256];
};

static struct harness_state harness_;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline void harness_fail_(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    printf("  %s:%d: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    harness_.checks_failed++;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static inline void harness_skip_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(harness_.skip_reason, sizeof harness_.skip_reason, fmt, ap);
    va_end(ap);
    harness_.skipping = 1;
}

/* A function, not a macro body: in C++ the arguments may point into
 * temporaries, which live until the call returns. */
static inline void harness_str_eq_(const char *file, int line, const char *ea, const char *eb,
                                   const char *a, const char *b)
{
    if (strcmp(a, b) != 0)
        harness_fail_(file, line, "%s == %s: \"%s\" != \"%s\"", ea, eb, a, b);
}

static inline void harness_run_(const char *name, void (*fn)(void))
{
    harness_.checks_failed = 0;
    harness_.skipping = 0;
    harness_.skip_reason[0] = '\0';
    fn();
    /* A check that failed before SKIP still fails the test: a skip must
     * never hide a wrong outcome. */
    if (harness_.checks_failed) {
        printf("FAIL %s\n", name);
        harness_.failed++;
    } else if (harness_.skipping) {
        printf("SKIP %s: %s\n", name, harness_.skip_reason);
        harness_.skipped++;
    } else {
        printf("PASS %s\n", name);
        harness_.passed++;
    }
    fflush(stdout);
}

static inline int harness_finish(void)
{
    int ran = harness_.passed + harness_.failed + harness_.skipped;
    printf("%d passed, %d failed, %d skipped\n", harness_.passed, harness_.failed, harness_.skipped);
    fflush(stdout);
    if (harness_.failed || ran == 0)
        return 1;
    return harness_.skipped == ran ? 77 : 0;
}

/* A failed CHECK reports and lets the test go on; a failed REQUIRE ends it. */
#define CHECK(cond) \
    do { if (!(cond)) harness_fail_(__FILE__, __LINE__, "CHECK(%s)", #cond); } while (0)
#define CHECKF(cond, ...) \
    do { if (!(cond)) harness_fail_(__FILE__, __LINE__, __VA_ARGS__); } while (0)
#define REQUIRE(cond) \
    do { if (!(cond)) { harness_fail_(__FILE__, __LINE__, "REQUIRE(%s)", #cond); return; } } while (0)
#define CHECK_INT_EQ(a, b) \
    do { long long a_ = (long long)(a), b_ = (long long)(b); \
         if (a_ != b_) harness_fail_(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, a_, b_); } while (0)
#define CHECK_STR_EQ(a, b) harness_str_eq_(__FILE__, __LINE__, #a, #b, (a), (b))
#define SKIP(...) do { harness_skip_(__VA_ARGS__); return; } while (0)
#define RUN(fn) harness_run_(#fn, fn)

#endif
