// Stage names and the spx_error message (the error text is the platform's).
#include "error.hpp"

#include <cstdio>

#include "platform.hpp"

namespace spx {

const char *stage_name(int stage) {
    switch (stage) {
    case SPX_STAGE_NONE: return "none";
    case SPX_STAGE_PREPARE: return "prepare";
    case SPX_STAGE_CLONE: return "clone";
    case SPX_STAGE_CHROOT: return "chroot";
    case SPX_STAGE_CHDIR: return "chdir";
    case SPX_STAGE_BOUNDING: return "bounding";
    case SPX_STAGE_SETGROUPS: return "setgroups";
    case SPX_STAGE_SETGID: return "setgid";
    case SPX_STAGE_SETUID: return "setuid";
    case SPX_STAGE_CAPS: return "caps";
    case SPX_STAGE_AMBIENT: return "ambient";
    case SPX_STAGE_FDS: return "fds";
    case SPX_STAGE_NO_NEW_PRIVS: return "no_new_privs";
    case SPX_STAGE_LANDLOCK: return "landlock";
    case SPX_STAGE_SECCOMP: return "seccomp";
    case SPX_STAGE_EXEC: return "exec";
    case SPX_STAGE_SIGNALS: return "signals";
    case SPX_STAGE_RLIMIT: return "rlimit";
    case SPX_STAGE_SESSION: return "session";
    case SPX_STAGE_CGROUP: return "cgroup";
    case SPX_STAGE_PDEATHSIG: return "pdeathsig";
    case SPX_STAGE_SECUREBITS: return "securebits";
    case SPX_STAGE_UMASK: return "umask";
    case SPX_STAGE_APPCONTAINER: return "appcontainer";
    case SPX_STAGE_CREATE_PROCESS: return "create_process";
    case SPX_STAGE_JOB: return "job";
    default: return "unknown";
    }
}


void fill_error(spx_error *err, const Failure &f) noexcept {
    if (!err) return;
    err->code = f.code;
    err->stage = f.code ? f.stage : SPX_STAGE_NONE;
    if (!f.code) {
        err->message[0] = '\0';
        return;
    }
    char why[128];
    platform::describe_error(f.code, why, sizeof why);
    if (f.detail.empty())
        std::snprintf(err->message, sizeof err->message, "%s: %s", stage_name(f.stage), why);
    else
        std::snprintf(err->message, sizeof err->message, "%s: %s: %s", stage_name(f.stage), why,
                      f.detail.c_str());
}

}  // namespace spx
