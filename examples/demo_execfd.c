/* execfd: this very program copied into a sealed memfd, the copy's file
 * deleted, and the memfd executed: no path is needed to run a program. */
#include "demo.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

/* Copies all of `from` into `to`; 0 or -1. */
static int copy_fd(int from, int to) {
    struct stat st;
    if (fstat(from, &st) != 0) return -1;
    off_t off = 0;
    while (off < st.st_size)
        if (sendfile(to, from, &off, (size_t)(st.st_size - off)) <= 0) return -1;
    return 0;
}

static int sealed_memfd(const char *name, int from) {
    unsigned flags = MFD_ALLOW_SEALING | MFD_CLOEXEC;
#ifdef MFD_EXEC
    int fd = memfd_create(name, flags | MFD_EXEC); /* vm.memfd_noexec may ask for it */
    if (fd < 0 && errno == EINVAL) fd = memfd_create(name, flags);
#else
    int fd = memfd_create(name, flags);
#endif
    if (fd < 0) return -1;
    if (copy_fd(from, fd) != 0 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

void demo_execfd(void) {
    demo_title("execfd: running a program whose file is gone");
    char dir[64], copy[128];
    demo_tmpdir(dir, sizeof dir);
    snprintf(copy, sizeof copy, "%s/spx-demo-copy", dir);

    /* a copy of this program on disk, opened, then deleted */
    int self = open(demo_self(), O_RDONLY | O_CLOEXEC);
    int file = open(copy, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (self < 0 || file < 0 || copy_fd(self, file) != 0) {
        demo_line("skipped: could not copy %s", demo_self());
        return;
    }
    close(self);
    unlink(copy);
    rmdir(dir);
    int mfd = sealed_memfd("spx-demo-copy", file);
    close(file);
    if (mfd < 0) {
        demo_line("skipped: no sealed memfd here");
        return;
    }
    demo_line("copied this program into a sealed memfd (no write, grow, shrink or new seal)");
    demo_line("its file %s: %s", copy, access(copy, F_OK) == 0 ? "still there" : "deleted");

    spx_attr *a = spx_attr_new();
    int rc = spx_attr_set_execfd(a, mfd);
    close(mfd); /* the attr holds its own copy */
    if (rc != 0) {
        demo_line("spx_attr_set_execfd: error %d", rc);
        spx_attr_free(a);
        return;
    }
    /* A memfd has no directory, so the copy's $ORIGIN run path cannot find
     * libspx: name the library's directory for it. */
    Dl_info info;
    char lib_dir[4096] = "", *old = getenv("LD_LIBRARY_PATH");
    old = old ? strdup(old) : NULL;
    if (dladdr((void *)spx_version, &info) && info.dli_fname) {
        snprintf(lib_dir, sizeof lib_dir, "%s", info.dli_fname);
        setenv("LD_LIBRARY_PATH", dirname(lib_dir), 1);
    }
    /* argv[0] only names the program: the descriptor is what runs */
    const char *argv[] = {"spx-demo-copy", "--child", "say", "hello from the memfd copy, though its file is gone",
                          NULL};
    char out[4096], buf[256];
    int code;
    spx_error err;
    if (demo_run(a, argv, out, sizeof out, &code, &err) != 0)
        demo_line("spawn failed: %s", err.message);
    else
        demo_line("the child said: \"%s\" (exit %d)", demo_grep(out, "", buf, sizeof buf), code);
    if (old) {
        setenv("LD_LIBRARY_PATH", old, 1);
        free(old);
    } else {
        unsetenv("LD_LIBRARY_PATH");
    }
    spx_attr_free(a);
}
