/* The engine: a child with a chosen cwd and descriptor set, and failures
 * reported with their stage. */
#include "demo.h"

#include <stdio.h>
#include <string.h>

void demo_basics(void) {
    demo_title("basics: a vfork-style child, and errors that name their stage");
    char out[4096], buf[256];
    int code;
    spx_error err;
    spx_attr *a = spx_attr_new();
    spx_attr_set_cwd(a, "/usr");
    const char *argv[] = {demo_self(), "--child", "report", NULL};
    demo_run(a, argv, out, sizeof out, &code, &err);
    demo_line("the child ran in %s and holds descriptors %s (exit %d)", demo_grep(out, "cwd:", buf, 128),
              demo_grep(out, "fds:", buf + 128, 128), code);
    demo_line("  nothing else of ours leaked into it, even descriptors opened without O_CLOEXEC");

    spx_attr_set_cwd(a, "/no/such/dir");
    demo_run(a, argv, out, sizeof out, &code, &err);
    demo_line("cwd /no/such/dir was refused before exec, in stage '%s': %s", spx_stage_name(err.stage), err.message);
    spx_attr_set_cwd(a, NULL);
    const char *missing[] = {"/usr/bin/no-such-program", NULL};
    demo_run(a, missing, out, sizeof out, &code, &err);
    demo_line("a missing program, in stage '%s': %s", spx_stage_name(err.stage), err.message);
    spx_attr_free(a);
}
