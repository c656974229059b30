// The dumpable flag during spawns: process-wide, because the kernel's is.
//
// PR_SET_DUMPABLE belongs to the memory map, which the parent shares with
// every CLONE_VM child until that child execs. A child whose uid or gid
// changes, or that loads a seccomp filter that may kill it, must never run
// on a dumpable map: a process with the child's new uid could open
// /proc/<child>/mem and keep read/write access to the parent's memory after
// the exec, and a killed child would write a core of it. So while any such
// child has not exec'd, the map stays undumpable; the last spawn out puts
// back the value the first one in saw. A per-call save and restore would let
// one thread's spawn make the map dumpable under another thread's child.
#pragma once

namespace spx::os {

class UndumpableScope {
public:
    // needed: this spawn's child changes credentials or loads seccomp.
    explicit UndumpableScope(bool needed);
    ~UndumpableScope();
    UndumpableScope(const UndumpableScope &) = delete;
    UndumpableScope &operator=(const UndumpableScope &) = delete;

private:
    bool needed_;
};

}  // namespace spx::os
