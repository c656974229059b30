// Fuzz target: spx-run's command line. The input is argv (NUL-separated
// arguments after "spx-run"); it is parsed, applied to an spx_attr, a
// Landlock ruleset and a seccomp filter as spx-run's main() does, and the
// spawn plan is built, without spawning anything.
#include <sanitizer/lsan_interface.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "spx_run_glue.h"

namespace {

void build(void *, const spx_attr *attr, const char *path, const char *const *argv, const char *const *envp) {
    fuzz::build_plan(*attr, path, argv, envp);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // The descriptors open before the first input (libFuzzer's own among
    // them, after -close_fd_mask has moved them).
    static const std::set<int> baseline = fuzz::open_fds();
    if (size > 4096) return -1;
    std::vector<std::string> args{"spx-run"};
    std::string cur;
    for (size_t i = 0; i < size; i++) {
        if (data[i] == '\0') {
            args.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(static_cast<char>(data[i]));
        }
    }
    args.push_back(cur);
    if (args.size() > 64) return -1;
    std::vector<char *> argv;
    for (auto &a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // A refused command line unwinds past the frees spx-run leaves to exit():
    // no leak is reported for what spx-run allocates (the library's own
    // leaks are the builder target's).
    __lsan_disable();
    int status = fuzz_spx_run(static_cast<int>(args.size()), argv.data(), 1, build, nullptr);
    __lsan_enable();
    if (status != 0) fuzz::close_new_fds(baseline);  // what the unwound code left open
    return 0;
}
