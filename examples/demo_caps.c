/* Ambient capabilities across the uid change: a child as nobody with
 * exactly CAP_NET_BIND_SERVICE binds port 80; without it, it cannot. */
#include "demo.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void demo_caps(void) {
    demo_title("capabilities: a child as nobody with exactly CAP_NET_BIND_SERVICE");
    if (geteuid() != 0) {
        demo_line("skipped: changing uid needs root");
        return;
    }
    char out[4096], b1[128], b2[128], b3[128];
    int code;
    spx_error err;
    spx_attr *a = spx_attr_new();
    int bind_cap = spx_cap_from_name("net_bind_service");
    spx_attr_set_uid(a, 65534);
    spx_attr_set_gid(a, 65534);
    spx_attr_set_groups(a, NULL, 0);
    spx_attr_set_ambient(a, &bind_cap, 1);
    const char *argv[] = {demo_self(), "--child", "report", "bind", "80", NULL};
    if (demo_run(a, argv, out, sizeof out, &code, &err) != 0) {
        demo_line("spawn failed: %s", err.message);
    } else {
        demo_line("with the cap:    Uid %s  CapEff %s  CapAmb %s", demo_grep(out, "Uid:", b1, sizeof b1),
                  demo_grep(out, "CapEff:", b2, sizeof b2), demo_grep(out, "CapAmb:", b3, sizeof b3));
        demo_line("                 bind to port 80: %s", demo_grep(out, "bind 80:", b1, sizeof b1));
    }
    spx_attr_set_ambient(a, NULL, 0);
    demo_run(a, argv, out, sizeof out, &code, &err);
    demo_line("without the cap: CapEff %s  -> bind to port 80: %s", demo_grep(out, "CapEff:", b2, sizeof b2),
              demo_grep(out, "bind 80:", b1, sizeof b1));
    spx_attr_free(a);
}
