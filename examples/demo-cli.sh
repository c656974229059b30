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
rm -rf "$tmp"
