/* seccomp: a deny-list filter that refuses network sockets; the same child
 * without it succeeds. */
#include "demo.h"

#include <errno.h>
#include <stdio.h>

void demo_seccomp(void) {
    demo_title("seccomp: a child that may not open network sockets");
    spx_seccomp *f = NULL;
    if (spx_seccomp_new(&f, SPX_SECCOMP_ALLOW) != 0 || spx_seccomp_add(f, "socket", SPX_SECCOMP_ERRNO(EPERM)) != 0) {
        demo_line("skipped: could not build the filter");
        spx_seccomp_free(f);
        return;
    }
    size_t len = 0;
    spx_seccomp_length(f, &len);
    spx_attr *a = spx_attr_new();
    char out[4096], buf[256];
    int code;
    spx_error err;
    const char *argv[] = {demo_self(), "--child", "socket", NULL};
    demo_line("the filter: \"socket\" -> EPERM, everything else allowed (%zu BPF instructions)", len);
    spx_attr_set_seccomp(a, f);
    if (demo_run(a, argv, out, sizeof out, &code, &err) != 0)
        demo_line("spawn failed: %s", err.message);
    else
        demo_line("with it:    socket(): %s", demo_grep(out, "socket:", buf, sizeof buf));
    spx_attr_set_seccomp(a, NULL);
    if (demo_run(a, argv, out, sizeof out, &code, &err) != 0)
        demo_line("spawn failed: %s", err.message);
    else
        demo_line("without it: socket(): %s", demo_grep(out, "socket:", buf, sizeof buf));
    spx_attr_free(a);
    spx_seccomp_free(f);
}
