#include "demo.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int demo_run(spx_attr *attr, const char *const argv[], char *out, size_t len, int *code, spx_error *err) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return 1;
    spx_attr *own = attr ? NULL : spx_attr_new();
    spx_attr *a = attr ? attr : own;
    spx_attr_set_fd(a, 1, p[1]);
    spx_attr_set_fd(a, 2, p[1]);
    spx_process *proc = NULL;
    int rc = spx_spawn(&proc, a, argv[0], argv, NULL, err);
    close(p[1]);
    spx_attr_set_fd(a, 1, 1); /* drop our copies of the pipe */
    spx_attr_set_fd(a, 2, 2);
    size_t used = 0;
    ssize_t n;
    while (used + 1 < len && (n = read(p[0], out + used, len - 1 - used)) > 0) used += (size_t)n;
    out[used] = '\0';
    close(p[0]);
    *code = -1;
    if (rc == 0) {
        int exit_code, sig;
        spx_process_wait(proc, &exit_code, &sig);
        *code = sig ? 128 + sig : exit_code;
        spx_process_free(proc);
    }
    spx_attr_free(own);
    return rc;
}

void demo_title(const char *title) { printf("\n== %s ==\n", title); }

void demo_line(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("  ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
}

const char *demo_grep(const char *text, const char *key, char *buf, size_t len) {
    buf[0] = '\0';
    const char *s = strstr(text, key);
    if (!s) return buf;
    s += strlen(key);
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strcspn(s, "\n");
    if (n >= len) n = len - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

void demo_tmpdir(char *buf, size_t len) {
    snprintf(buf, len, "/tmp/spx-demo-XXXXXX");
    if (!mkdtemp(buf)) {
        perror("mkdtemp");
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "--child")) return demo_child_main(argc, argv);
    printf("spx %s demo: children started with what ordinary spawners cannot give them.\n", spx_version());
    if (geteuid() != 0) printf("(not root: the identity sections will show refusals only)\n");
    demo_basics();
    demo_caps();
    demo_landlock();
    demo_execfd();
    demo_seccomp();
    demo_controls();
    return 0;
}
