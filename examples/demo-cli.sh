#!/bin/sh
# The last section of `make demo`: the same powers from the command line,
# through spx-run (examples/demo-cli.sh PATH-TO-SPX-RUN).
run=${1:?usage: demo-cli.sh PATH-TO-SPX-RUN}
echo
echo "== spx-run: the same from the command line =="
if [ "$(id -u)" = 0 ]; then
    echo '  $ spx-run --uid nobody --ambient sys_time -- grep -E "^(Uid|CapAmb)" /proc/self/status'
    "$run" --uid nobody --ambient sys_time -- /bin/grep -E "^(Uid|CapAmb)" /proc/self/status | sed 's/^/  /'
fi
tmp=$(mktemp -d /tmp/spx-demo-cli-XXXXXX)
chmod 755 "$tmp"
echo "  \$ spx-run --rw $tmp --rox /usr --rox /lib --rox /bin --ro /etc -- sh -c 'echo ok > $tmp/a; echo no > /tmp/spx-demo-cli-refused'"
"$run" --rw "$tmp" --rox /usr --rox /lib --rox /lib64 --rox /bin --ro /etc -- \
    /bin/sh -c "echo ok > $tmp/a && echo '  wrote $tmp/a'; echo no > /tmp/spx-demo-cli-refused" 2>&1 | sed 's/^/  /'
echo "  \$ spx-run --deny-syscalls mkdir,mkdirat -- mkdir $tmp/d"
"$run" --deny-syscalls mkdir,mkdirat -- /bin/mkdir "$tmp/d" 2>&1 | sed 's/^/  /'
echo "  \$ spx-run --cwd /no/such/dir -- true; echo \$?"
"$run" --cwd /no/such/dir -- /bin/true 2>&1 | sed 's/^/  /'
echo "  exit status $("$run" --cwd /no/such/dir -- /bin/true 2>/dev/null; echo $?)"
echo "  \$ spx-run --rlimit nofile=64 --umask 077 -- sh -c 'ulimit -n; umask'"
"$run" --rlimit nofile=64 --umask 077 -- /bin/sh -c 'ulimit -n; umask' 2>&1 | sed 's/^/  /'
# The whole tree goes at the timeout: the program runs in its own process
# group (its own cgroup too, with --cgroup), which is killed whole.
echo "  \$ spx-run --timeout 1 -- sh -c 'sleep 3 & sleep 10'; echo \$?"
ln -s "$(command -v sleep)" "$tmp/sleep"
start=$(date +%s%N)
"$run" --timeout 1 -- /bin/sh -c "'$tmp/sleep' 3 & '$tmp/sleep' 10"
status=$? elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 0.1
left=$(pgrep -f "$tmp/sleep" | wc -l)
echo "  exit status $status after $elapsed ms; sleeps still running: $left"
rm -rf "$tmp"
