#!/bin/sh
# The last section of `make demo`: the same powers from the command line,
# through spx-run (examples/demo-cli.sh PATH-TO-SPX-RUN).
#
# Every "  $ " line is the exact command that runs next (spx-run found in
# PATH), so it can be copied and run as shown; "  (exit status N)" follows
# its output. tests/cli/test-spx-run.sh runs the printed lines again and
# compares. SPX_DEMO_TMP=DIR: work in DIR and keep it (for that test).
run=${1:?usage: demo-cli.sh PATH-TO-SPX-RUN}
case $run in /*) ;; *) run=$PWD/$run ;; esac
if [ -n "${SPX_DEMO_TMP:-}" ]; then
    tmp=$SPX_DEMO_TMP
else
    tmp=$(mktemp -d /tmp/spx-demo-cli-XXXXXX)
fi
chmod 755 "$tmp"
mkdir -p "$tmp/bin"
ln -sf "$run" "$tmp/bin/spx-run"

# show COMMAND: prints it, runs it with sh (spx-run in PATH), then its status.
show() {
    echo "  \$ $1"
    PATH="$tmp/bin:$PATH" sh -c "$1" > "$tmp/.out" 2>&1
    status=$?
    sed 's/^/  /' "$tmp/.out"
    echo "  (exit status $status)"
}

echo
echo "== spx-run: the same from the command line =="
echo "  (each command runs as shown with spx-run in PATH: export PATH=$(dirname "$run"):\$PATH)"
if [ "$(id -u)" = 0 ]; then
    show 'spx-run --uid nobody --ambient sys_time -- grep -E "^(Uid|CapAmb)" /proc/self/status'
fi
mkdir -p "$tmp/out"
show "spx-run --system-ro --rw $tmp/out -- sh -c 'echo ok > $tmp/out/a && echo wrote $tmp/out/a; echo no > $tmp/refused'"
show "spx-run --deny-syscalls mkdir,mkdirat -- mkdir $tmp/d"
show "spx-run --cwd /no/such/dir -- true"
show "spx-run --rlimit nofile=64 --umask 077 -- sh -c 'ulimit -n; umask'"
# The whole tree goes at the timeout: the program runs in its own process
# group (its own cgroup too, with --cgroup), which is killed whole.
ln -sf "$(command -v sleep)" "$tmp/sleep"
start=$(date +%s%N)
show "spx-run --timeout 1 -- sh -c '$tmp/sleep 3 & $tmp/sleep 10'"
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 0.1
left=$(pgrep -f "$tmp/sleep" | wc -l)
echo "  after $elapsed ms; sleeps still running: $left"
[ -n "${SPX_DEMO_TMP:-}" ] || rm -rf "$tmp"
