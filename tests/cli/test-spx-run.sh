#!/usr/bin/env bash
# Tests for the spx-run command-line launcher.
#
# Usage: test-spx-run.sh PATH/TO/spx-run
#
# Prints one line per case ("ok N - name", "not ok N - name",
# "ok N - name # SKIP reason") and, last, "N passed, N failed, N skipped".
# Exits non-zero when a case failed. Cases that need root (identity,
# capabilities, chroot) are skipped, visibly, when not run as root.
#
# SPDX-License-Identifier: MIT

set -u

R=${1:?usage: test-spx-run.sh PATH/TO/spx-run}
case $R in /*) ;; *) R=$PWD/$R ;; esac

num=0 passed=0 failed=0 skipped=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spx-run-test.XXXXXX") || exit 1
chmod 755 "$tmp"
cg="" cgk=""   # the test cgroups, when made
cleanup() {
    local c
    for c in "$cg" "$cgk"; do
        [ -n "$c" ] && [ -d "$c" ] && { echo 1 > "$c/cgroup.kill"; sleep 0.2; rmdir "$c"; } 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

ok()    { num=$((num + 1)); passed=$((passed + 1)); echo "ok $num - $1"; }
skip()  { num=$((num + 1)); skipped=$((skipped + 1)); echo "ok $num - $1 # SKIP $2"; }
notok() {
    num=$((num + 1)); failed=$((failed + 1)); echo "not ok $num - $1"; shift
    local l; for l in "$@"; do printf '#   %s\n' "$l"; done
}

# run ARGS...: runs spx-run; sets rc, out (stdout) and err (stderr).
run() {
    "$R" "$@" >"$tmp/.out" 2>"$tmp/.err"
    rc=$?
    out=$(cat "$tmp/.out")
    err=$(cat "$tmp/.err")
}

# t NAME CONDITION: the case passes when CONDITION (bash, eval'd) is true.
t() {
    if eval "$2"; then
        ok "$1"
    else
        notok "$1" "expected: $2" "exit status: $rc" "stdout: ${out:0:600}" "stderr: ${err:0:1600}"
    fi
}

lines() { if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l; fi; }
one_line_error() { [ "$(lines "$err")" -eq 1 ] && [[ $err == "spx-run: "* ]]; }
field() { printf '%s\n' "$out" | awk -F '\t' -v k="$1:" '$1 == k { sub(/^[^\t]*\t/, ""); print; exit }'; }
now_ms() { date +%s%3N; }

is_root=0; [ "$(id -u)" -eq 0 ] && is_root=1
ECHO=$(type -P echo) CAT=$(type -P cat) SH=$(type -P sh) SLEEP=$(type -P sleep)
ENV=$(type -P env) MKDIR=$(type -P mkdir) TRUE=$(type -P true) READLINK=$(type -P readlink)
BASH=$(type -P bash)

# Landlock ABI of this kernel, as spx-run --explain reports it.
run --explain -- "$TRUE"
ll_abi=$(printf '%s\n' "$err" | sed -n 's/.*kernel Landlock ABI \([0-9]*\).*/\1/p')
ll_abi=${ll_abi:-0}
# Read and execute everything the programs used here need.
rox=()
for d in /usr /bin /sbin /lib /lib32 /lib64 /libx32; do [ -e "$d" ] && rox+=(--rox "$d"); done

# ---------------------------------------------------------------- basics
run --help
t "--help prints the usage on stdout, exit 0" '[ $rc -eq 0 ] && [[ $out == *"Usage: spx-run"* ]] && [ -z "$err" ]'
man=$(dirname "$0")/../../doc/spx-run.1
missing=""
for o in --rlimit --setsid --pgroup --ctty --foreground --cgroup --die-with-parent --umask --securebits \
         --no-search-path --system-ro --sigmask --sigdefault --keep-sigpipe \
         --seccomp-profile --syscall --seccomp-log; do
    [[ $out == *"  $o "* ]] || missing+=" $o(--help)"
    # an option's own paragraph: ".TP" then ".B \-\-name" (or .BI, .BR)
    [ ! -f "$man" ] || tr -d '\\' < "$man" | grep -qE "^\.B[IR]? $o( |\$)" || missing+=" $o(man)"
done
t "--help and the man page document every limit, session and cgroup option" '[ -z "$missing" ] || { echo "missing:$missing"; false; }'
run --version
t "--version prints the library version" '[ $rc -eq 0 ] && [[ $out =~ ^spx-run\ [0-9]+\.[0-9]+\.[0-9]+$ ]]'
run --appcontainer-sid Microsoft.MicrosoftEdge_8wekyb3d8bbwe
t "--appcontainer-sid prints the published SID" '[ $rc -eq 0 ] && [ "$out" = S-1-15-2-3624051433-2125758914-1423191267-1740899205-1073925389-3782572162-737981194 ] && [ -z "$err" ]'
run --appcontainer-sid 'bad/name'
t "--appcontainer-sid refuses a bad name (125)" '[ $rc -eq 125 ] && [ -z "$out" ] && [[ $err == *"not a profile name"* ]]'
run --capability-sid lpacCom
t "--capability-sid derives lpacCom" '[ $rc -eq 0 ] && [ "$out" = S-1-15-3-1024-2405443489-874036122-4286035555-1823921565-1746547431-2453885448-3625952902-991631256 ]'
run --capability-sid internetClient
t "--capability-sid knows the fixed names" '[ $rc -eq 0 ] && [ "$out" = S-1-15-3-1 ]'
run --capability-sid S-1-5-32-544
t "--capability-sid refuses a SID that is no capability (125)" '[ $rc -eq 125 ] && [ -z "$out" ]'
run --help
missing=""
for o in --appcontainer-sid --capability-sid; do
    [[ $out == *"  $o "* ]] || missing+=" $o(--help)"
    [ ! -f "$man" ] || tr -d '\\' < "$man" | grep -qE "^\.B[IR]? $o( |\$)" || missing+=" $o(man)"
done
t "--help and the man page document the SID options" '[ -z "$missing" ] || { echo "missing:$missing"; false; }'
run -- "$ECHO" hello world
t "runs the program with its arguments" '[ $rc -eq 0 ] && [ "$out" = "hello world" ] && [ -z "$err" ]'
run "$ECHO" no-dashdash
t "PROGRAM without --" '[ $rc -eq 0 ] && [ "$out" = no-dashdash ]'

# ------------------------------------------------------------ exit statuses
run -- "$SH" -c 'exit 7'
t "exit status: the child's own (7)" '[ $rc -eq 7 ]'
run -- "$SH" -c 'exit 0'
t "exit status: the child's own (0)" '[ $rc -eq 0 ]'
run -- "$SH" -c 'kill -9 $$'
t "exit status: 128+9 when the child is killed by SIGKILL" '[ $rc -eq 137 ]'
run -- "$SH" -c 'kill -TERM $$'
t "exit status: 128+15 when the child is killed by SIGTERM" '[ $rc -eq 143 ]'

start=$(now_ms)
run --timeout 0.2 -- "$SLEEP" 5
elapsed=$(( $(now_ms) - start ))
t "exit status: 124 when --timeout 0.2 expires (sleep 5)" '[ $rc -eq 124 ] && [ $elapsed -lt 3000 ]'
run --timeout 5 -- "$SH" -c 'exit 3'
t "--timeout not reached: the child's status" '[ $rc -eq 3 ]'

printf 'echo should-not-run\n' > "$tmp/noexec"; chmod 644 "$tmp/noexec"
run -- "$tmp/noexec"
t "exit status: 126 for a non-executable file, one line naming the stage" \
  '[ $rc -eq 126 ] && one_line_error && [[ $err == "spx-run: exec: "* ]] && [ -z "$out" ]'
run -- "$tmp"
t "exit status: 126 for a directory" '[ $rc -eq 126 ] && one_line_error'
run -- "$tmp/no/such/program"
t "exit status: 127 for a missing program, one line" '[ $rc -eq 127 ] && one_line_error'
run --search-path -- spx-run-no-such-command
t "exit status: 127 for a command not in PATH (--search-path)" '[ $rc -eq 127 ] && one_line_error'
run --search-path -- echo from-path
t "--search-path finds echo" '[ $rc -eq 0 ] && [ "$out" = from-path ]'
run --no-search-path -- echo not-searched
t "--no-search-path: a bare name is not looked up" '[ $rc -eq 127 ] && one_line_error'
run -- echo searched-by-default
t "PATH search by default (as env, sudo, setpriv)" '[ $rc -eq 0 ] && [ "$out" = searched-by-default ]'

# ---------------------------------------------------- environment and fds
FOO=outer run -- "$SH" -c 'echo "$FOO"'
t "the environment is inherited" '[ "$out" = outer ]'
FOO=outer run --env FOO=inner --env BAR=b -- "$SH" -c 'echo "$FOO $BAR"'
t "--env adds and overrides" '[ $rc -eq 0 ] && [ "$out" = "inner b" ]'
run --clear-env --env A=1 -- "$ENV"
t "--clear-env starts from an empty environment" '[ $rc -eq 0 ] && [ "$out" = A=1 ]'
run --fd 3=5 -- "$SH" -c 'echo via-fd3 >&3' 5>"$tmp/fd5"
t "--fd 3=5 gives the child the parent's descriptor 5 as 3" '[ $rc -eq 0 ] && [ "$(cat "$tmp/fd5")" = via-fd3 ]'
run -- "$SH" -c 'echo leaked >&5' 5>"$tmp/fd5b"
t "other descriptors are not inherited" '[ $rc -ne 0 ] && [ ! -s "$tmp/fd5b" ]'
run --fd 1=- -- "$SH" -c 'if [ -e /proc/self/fd/1 ]; then echo open >&2; else echo closed >&2; fi'
t "--fd 1=- closes the child's stdout" '[ "$err" = closed ]'
run --cwd / -- "$SH" -c pwd
t "--cwd" '[ $rc -eq 0 ] && [ "$out" = / ]'
run --cwd "$tmp/no-such-dir" -- "$TRUE"
t "--cwd to a missing directory: 125, one line naming chdir" '[ $rc -eq 125 ] && one_line_error && [[ $err == "spx-run: chdir: "* ]]'

# ------------------------------------------------------------------ exec
run --sealed -- "$READLINK" /proc/self/exe
t "--sealed executes a memfd copy" '[ $rc -eq 0 ] && [[ $out == /memfd:* ]]'
run --sealed --search-path -- echo sealed-ok
t "--sealed with --search-path" '[ $rc -eq 0 ] && [ "$out" = sealed-ok ]'
printf '#!%s\necho "script $*"\n' "$SH" > "$tmp/script"; chmod 755 "$tmp/script"
run --sealed -- "$tmp/script" a b
t "--sealed runs a #! script" '[ $rc -eq 0 ] && [ "$out" = "script a b" ]'
run --sealed -- "$tmp/no-such-program"
t "--sealed: 127 for a missing program" '[ $rc -eq 127 ] && one_line_error'
run --sealed -- "$tmp/noexec"
t "--sealed: 126 for a non-executable file" '[ $rc -eq 126 ] && one_line_error'
run --exec-fd 7 -- echo via-exec-fd 7<"$ECHO"
t "--exec-fd executes an open descriptor, PROGRAM is argv[0]" '[ $rc -eq 0 ] && [ "$out" = via-exec-fd ]'

# ----------------------------------------------------- signal forwarding
rm -f "$tmp/child.pid"
"$R" -- "$SH" -c "echo \$\$ > '$tmp/child.pid'; exec '$SLEEP' 10" &
spx_pid=$!
for _ in $(seq 100); do [ -s "$tmp/child.pid" ] && break; sleep 0.05; done
sleep 0.1
kill -TERM "$spx_pid" 2>/dev/null
wait "$spx_pid"; rc=$? out="" err=""
child=$(cat "$tmp/child.pid" 2>/dev/null)
t "SIGTERM to spx-run is forwarded to the child (128+15, child gone)" \
  '[ $rc -eq 143 ] && [ -n "$child" ] && ! kill -0 "$child" 2>/dev/null'

run --no-new-privs -- "$CAT" /proc/self/status
t "--no-new-privs" '[ $rc -eq 0 ] && [ "$(field NoNewPrivs)" = 1 ]'

# ------------------------------------------------------- identity (root)
nobody_ok=0; getent passwd nobody >/dev/null 2>&1 && nobody_ok=1
capbnd=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
in_bounding() { (( (0x$capbnd >> $1) & 1 )); }
mask_of() { printf '%016x' $((1 << $1)); }
# A capability this environment can hand out (containers may lack cap_sys_time).
cap=""
for c in 25:cap_sys_time 10:cap_net_bind_service 0:cap_chown; do
    in_bounding "${c%%:*}" && { cap=$c; break; }
done
capnr=${cap%%:*} capname=${cap#*:}
if [ $is_root -ne 1 ]; then
    for c in "NTP case: --uid nobody --ambient sys_time" "--uid NAME: primary gid and groups" \
             "--groups none / --groups list" "--uid/--gid clear the caller's groups" "--groups keep" \
             "--explain: groups and capabilities of a new identity" \
             "a service's ambient capabilities do not reach a new identity" \
             "--bounding" "--inheritable" "--chroot"; do
        skip "$c" "not root"
    done
    # --groups keep: no setgroups, so the first refusal is setuid's.
    run --uid 0 --gid "$(id -g)" --groups keep -- "$TRUE"
    t "a stage failure: 'spx-run: setuid: Operation not permitted', 125" \
      '[ $rc -eq 125 ] && one_line_error && [[ $err == "spx-run: setuid: "* ]]'
elif [ $nobody_ok -ne 1 ]; then
    skip "identity cases" "no user 'nobody'"
else
    if in_bounding 25; then
        run --uid nobody --ambient sys_time -- "$CAT" /proc/self/status
        t "NTP case: --uid nobody --ambient sys_time: CapAmb=CapPrm=CapEff=0000000002000000, Uid 65534" \
          '[ $rc -eq 0 ] && [ "$(field CapAmb)" = 0000000002000000 ] && [ "$(field CapPrm)" = 0000000002000000 ] &&
           [ "$(field CapEff)" = 0000000002000000 ] && [ "$(field Uid)" = "65534	65534	65534	65534" ]'
    else
        skip "NTP case: --uid nobody --ambient sys_time" "cap_sys_time is not in the bounding set here"
        if [ -n "$cap" ]; then
            m=$(mask_of "$capnr")
            run --uid nobody --ambient "$capname" -- "$CAT" /proc/self/status
            t "--uid nobody --ambient $capname: CapAmb=CapPrm=CapEff=$m, Uid 65534" \
              '[ $rc -eq 0 ] && [ "$(field CapAmb)" = $m ] && [ "$(field CapPrm)" = $m ] &&
               [ "$(field CapEff)" = $m ] && [ "$(field Uid)" = "65534	65534	65534	65534" ]'
        fi
    fi
    ngid=$(id -g nobody) ngroups=$(id -G nobody)
    run --uid nobody -- "$CAT" /proc/self/status
    t "--uid NAME: that user's primary gid and supplementary groups" \
      '[ $rc -eq 0 ] && [ "$(field Gid)" = "$ngid	$ngid	$ngid	$ngid" ] &&
       [ "$(echo $(field Groups))" = "$ngroups" ] && [ "$(field CapEff)" = 0000000000000000 ]'
    run --uid nobody --gid 1 --groups none -- "$CAT" /proc/self/status
    g1=$(field Gid) gs1=$(echo $(field Groups))
    run --uid 65534 --gid 65534 --groups 1,2 -- "$CAT" /proc/self/status
    t "--gid and --groups none / --groups 1,2" \
      '[ "$g1" = "1	1	1	1" ] && [ -z "$gs1" ] && [ "$(echo $(field Groups))" = "1 2" ]'
    # --gid replaces the user's primary group only: the supplementary groups
    # stay the user's own, from the group database (like su(1)).
    if nogroup=$(getent group nogroup | cut -d: -f3) && [ -n "$nogroup" ]; then
        run --groups 1,2 -- "$R" --uid nobody --gid nogroup -- "$CAT" /proc/self/status
        t "--uid nobody --gid nogroup: Gid nogroup, nobody's groups ($ngroups), not the caller's (1 2)" \
          '[ $rc -eq 0 ] && [ "$(field Gid)" = "$nogroup	$nogroup	$nogroup	$nogroup" ] &&
           [ "$(echo $(field Groups))" = "$ngroups" ]'
    else
        skip "--uid nobody --gid nogroup" "no group 'nogroup'"
    fi

    # The caller's groups: an outer spx-run gives the inner one groups 1,2
    # (as root, without changing its uid), which is the caller under test.
    run --groups 1,2 -- "$R" --uid 65534 --gid 65534 -- "$CAT" /proc/self/status
    t "--uid/--gid clear the caller's groups: Groups empty (caller has 1,2)" \
      '[ $rc -eq 0 ] && [ "$(field Uid)" = "65534	65534	65534	65534" ] && [ -z "$(echo $(field Groups))" ]'
    run --groups 1,2 -- "$R" --uid 65534 --gid 65534 --groups keep -- "$CAT" /proc/self/status
    gk1=$(echo $(field Groups)) rck1=$rc
    run --groups 1,2 -- "$R" --uid nobody --groups keep -- "$CAT" /proc/self/status
    t "--groups keep keeps the caller's groups (1 2), with a numeric uid and with a name" \
      '[ $rck1 -eq 0 ] && [ "$gk1" = "1 2" ] && [ $rc -eq 0 ] && [ "$(echo $(field Groups))" = "1 2" ]'
    run --groups 1,2 -- "$R" --uid 0 --gid 0 -- "$CAT" /proc/self/status
    t "--uid/--gid equal to the caller's own ids keep its groups" \
      '[ $rc -eq 0 ] && [ "$(echo $(field Groups))" = "1 2" ]'

    # --explain tells which groups the program gets and what is cleared.
    g1name=$(getent group 1 | cut -d: -f1) g2name=$(getent group 2 | cut -d: -f1)
    run --groups 1,2 -- "$R" --explain --uid 65534 --gid 65534 -- "$TRUE"
    e_clear=$err
    run --groups 1,2 -- "$R" --explain --uid 65534 --gid 65534 --groups keep -- "$TRUE"
    e_keep=$err
    run --explain --uid 65534 --gid 65534 --groups 1,2 -- "$TRUE"
    e_exact=$err
    run --explain --uid 0 --gid 0 -- "$TRUE"
    e_same=$err
    t "--explain: groups and capabilities of a new identity (cleared / kept: list / exactly)" \
      '[[ $e_clear == *"spx-run: setgroups     none, spx-run'"'"'s groups cleared for the new identity"* ]] &&
       [[ $e_clear == *"spx-run: caps          inheritable cleared for the new identity"* ]] &&
       [[ $e_clear == *"spx-run: ambient       clear for the new identity"* ]] &&
       [[ $e_keep == *"spx-run: setgroups     not called, spx-run'"'"'s groups kept (--groups keep): 1($g1name),2($g2name)"* ]] &&
       [[ $e_exact == *"spx-run: setgroups     exactly 1($g1name),2($g2name)"* ]] &&
       [[ $e_same == *"groups kept (the uid and gid are spx-run'"'"'s own)"* ]] &&
       [[ $e_same != *"spx-run: ambient"* ]] && [[ $e_same != *"spx-run: caps "* ]]'

    # A non-root service with ambient capabilities (systemd's
    # AmbientCapabilities=) starting a program as another user passes none on.
    run --uid 65533 --gid 65533 --groups none --ambient setuid,setgid,net_bind_service -- \
        "$R" --uid 65534 --gid 65534 -- "$CAT" /proc/self/status
    if [ $rc -eq 126 ]; then
        skip "a service's ambient capabilities do not reach a new identity" "spx-run is not executable by uid 65533 here"
    else
        t "a service's ambient capabilities do not reach a new identity (CapAmb/Prm/Eff/Inh 0)" \
          '[ $rc -eq 0 ] && [ "$(field Uid)" = "65534	65534	65534	65534" ] &&
           [ "$(field CapAmb)" = 0000000000000000 ] && [ "$(field CapPrm)" = 0000000000000000 ] &&
           [ "$(field CapEff)" = 0000000000000000 ] && [ "$(field CapInh)" = 0000000000000000 ]'
    fi
    if [ -n "$cap" ]; then
        run --bounding "$capname" -- "$CAT" /proc/self/status
        b1=$(field CapBnd)
        run --bounding none -- "$CAT" /proc/self/status
        t "--bounding $capname / --bounding none" '[ "$b1" = "$(mask_of $capnr)" ] && [ "$(field CapBnd)" = 0000000000000000 ]'
    else
        skip "--bounding" "no usable capability in the bounding set"
    fi
    if [ -n "$cap" ]; then
        run --uid nobody --inheritable "$capname" -- "$CAT" /proc/self/status
        t "--inheritable" '[ $rc -eq 0 ] && [ "$(field CapInh)" = "$(mask_of $capnr)" ] && [ "$(field CapAmb)" = 0000000000000000 ]'
    else
        skip "--inheritable" "no usable capability in the bounding set"
    fi
    # --groups keep: no setgroups, so the first refusal is setuid's.
    run --uid nobody -- "$R" --uid 0 --gid "$ngid" --groups keep -- "$TRUE"
    if [ $rc -eq 126 ]; then
        skip "a stage failure: one line naming the stage, 125" "spx-run is not executable by nobody here"
    else
        t "a stage failure: 'spx-run: setuid: Operation not permitted', 125" \
          '[ $rc -eq 125 ] && one_line_error && [[ $err == "spx-run: setuid: "* ]]'
    fi

    # A minimal root: sh and its libraries.
    if ! command -v ldd >/dev/null 2>&1; then
        skip "--chroot" "no ldd to find the libraries of sh"
    else
    jail=$tmp/jail
    mkdir -p "$jail/bin"
    cp "$SH" "$jail/bin/sh"
    for lib in $(ldd "$SH" 2>/dev/null | grep -o '/[^ ]*'); do
        mkdir -p "$jail$(dirname "$lib")" && cp "$lib" "$jail$lib"
    done
    run --chroot "$jail" -- /bin/sh -c 'echo "in $(pwd)"; [ -e /etc/passwd ] || echo no-passwd'
    t "--chroot (cwd / by default)" '[ $rc -eq 0 ] && [ "$out" = "in /
no-passwd" ]'
    fi
fi

# --------------------------------------------------------------- landlock
if [ "$ll_abi" -lt 1 ]; then
    for c in "landlock: --rw allows writing" "landlock: writing elsewhere refused" \
             "landlock: --strict" "landlock: nothing executable without --rox" \
             "landlock: --connect-tcp" "landlock: --scope signal"; do
        skip "$c" "no Landlock in this kernel"
    done
else
    mkdir "$tmp/rw" "$tmp/other"; chmod 777 "$tmp/rw" "$tmp/other"
    run --rw "$tmp/rw" "${rox[@]}" --ro /etc -- "$SH" -c "echo x > '$tmp/rw/ok'"
    t "landlock: --rw DIR --rox /usr ... allows writing in DIR" '[ $rc -eq 0 ] && [ "$(cat "$tmp/rw/ok" 2>/dev/null)" = x ]'
    run --rw "$tmp/rw" "${rox[@]}" --ro /etc -- "$SH" -c "echo x > '$tmp/other/ko'"
    t "landlock: writing in another directory is refused" '[ $rc -ne 0 ] && [ ! -e "$tmp/other/ko" ] && [[ $err == *"ermission denied"* ]]'
    run --explain "${rox[@]}" -- "$TRUE"
    if [[ $err == *"fully enforced"* ]]; then
        run --strict "${rox[@]}" -- "$TRUE"
        t "landlock: --strict runs when everything is enforced" '[ $rc -eq 0 ]'
    else
        run --strict "${rox[@]}" -- "$TRUE"
        t "landlock: --strict refuses (125) what this kernel cannot enforce" '[ $rc -eq 125 ] && one_line_error'
    fi
    run --ro /etc -- "$TRUE"
    t "landlock: the program must be under --rox (126)" '[ $rc -eq 126 ] && one_line_error'
    if [ "$ll_abi" -ge 4 ] && [ -n "$BASH" ]; then
        run --rox / --connect-tcp 1 -- "$BASH" -c 'echo > /dev/tcp/127.0.0.1/9'
        denied=$err
        run --rox / --connect-tcp 9 -- "$BASH" -c 'echo > /dev/tcp/127.0.0.1/9'
        t "landlock: --connect-tcp (port 9 denied, then allowed)" \
          '[[ $denied == *"ermission denied"* ]] && [[ $err != *"ermission denied"* ]]'
        run --connect-tcp 9 -- "$BASH" -c "echo > $tmp/netonly; echo > /dev/tcp/127.0.0.1/1"
        t "landlock: network options alone leave the filesystem alone" \
          '[ -e "$tmp/netonly" ] && [[ $err == *"ermission denied"* ]]'
    else
        skip "landlock: --connect-tcp" "needs Landlock ABI 4 and bash"
    fi
    if [ "$ll_abi" -ge 6 ]; then
        run --rox / --scope signal -- "$SH" -c "kill -0 $$"
        scoped=$rc
        run --rox / -- "$SH" -c "kill -0 $$"
        t "landlock: --scope signal stops signals leaving the domain" '[ $scoped -ne 0 ] && [ $rc -eq 0 ]'
    else
        skip "landlock: --scope signal" "needs Landlock ABI 6"
    fi
fi

# ---------------------------------- landlock: only what the user named (issue 13)
# The --explain lines of the landlock stage, without the "spx-run: landlock" prefix.
ll_lines() { printf '%s\n' "$err" | sed -n 's/^spx-run: landlock      //p'; }
has_ll() { ll_lines | grep -qxF -- "$1"; }
PY3=$(type -P python3)
if [ "$ll_abi" -lt 4 ] || [ -z "$PY3" ]; then
    skip "landlock: path options leave TCP alone" "needs Landlock ABI 4 and python3"
else
    # A local TCP server answering every connection with "hello".
    "$PY3" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); c.sendall(b"hello"); c.close()' > "$tmp/port" &
    server=$!
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -s "$tmp/port" ] && break; sleep 0.1; done
    port=$(cat "$tmp/port")
    client="import socket; c = socket.create_connection(('127.0.0.1', $port)); print(c.recv(5).decode())"
    mkdir -p "$tmp/ll13"
    run --rox / --rw "$tmp/ll13" -- "$PY3" -c "$client"
    t "landlock: --rox / --rw DIR leaves TCP alone (a local server answers)" '[ $rc -eq 0 ] && [ "$out" = hello ]'
    run --rox / --rw "$tmp/ll13" --connect-tcp none -- "$PY3" -c "$client"
    t "landlock: --connect-tcp none denies every TCP connection" \
      '[ $rc -ne 0 ] && [ "$out" != hello ] && [[ $err == *"ermission denied"* ]]'
    run --rox / --rw "$tmp/ll13" --connect-tcp "$port" -- "$PY3" -c "$client"
    t "landlock: --connect-tcp PORT allows that port" '[ $rc -eq 0 ] && [ "$out" = hello ]'
    if [ "$ll_abi" -ge 6 ]; then
        run --scope signal -- "$SH" -c "echo x > '$tmp/ll13/scoped' && '$PY3' -c \"$client\" && kill -0 $$"
        t "landlock: --scope signal alone leaves files and TCP alone, denies the signal" \
          '[ $rc -ne 0 ] && [ "$(cat "$tmp/ll13/scoped" 2>/dev/null)" = x ] && [ "$out" = hello ]'
    else
        skip "landlock: --scope signal alone" "needs Landlock ABI 6"
    fi
    kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
fi

if [ "$ll_abi" -lt 6 ]; then
    skip "landlock: --explain per family" "needs Landlock ABI 6 (the cases are written for a kernel that enforces them)"
else
    run --explain --rox / --rw "$tmp" -- "$TRUE"
    t "landlock: --explain --rox / --rw DIR: filesystem restricted, every other family not" \
      '[ $rc -eq 0 ] && [ "$(ll_lines | wc -l)" -eq 7 ] &&
       [ "$(ll_lines | head -1)" = "best effort, fully enforced on this kernel (Landlock ABI $ll_abi); rights of ABI 10 at most (spx-run'"'"'s pinned ABI), only for the families named" ] &&
       has_ll "filesystem: restricted; allowed: rox /; rw $tmp; everything else denied" &&
       has_ll "unix sockets (pathname): not restricted (no --unix)" &&
       has_ll "tcp: not restricted (no --bind-tcp or --connect-tcp)" &&
       has_ll "udp: not restricted (no --bind-udp or --connect-udp)" &&
       has_ll "scopes: not restricted (no --scope)" &&
       has_ll "denials: not logged for the program (the kernel logs a sandbox'"'"'s denials only until exec; --log-denials)"'
    run --explain --bind-tcp 8080 -- "$TRUE"
    t "landlock: --explain --bind-tcp 8080 alone: no filesystem denial claimed" \
      '[ $rc -eq 0 ] && [[ $err != *"every filesystem access is denied"* ]] &&
       has_ll "filesystem: not restricted (no --ro, --rox, --rw or --system-ro)" &&
       has_ll "tcp: restricted; bind allowed to port 8080, others denied; connect not restricted" &&
       has_ll "udp: not restricted (no --bind-udp or --connect-udp)"'
    run --explain --connect-tcp none -- "$TRUE"
    t "landlock: --explain --connect-tcp none" \
      '[ $rc -eq 0 ] && has_ll "tcp: restricted; bind not restricted; connect allowed to port none, others denied"'
    run --explain --scope signal -- "$TRUE"
    t "landlock: --explain --scope signal: only signals restricted" \
      '[ $rc -eq 0 ] && has_ll "scopes: restricted; signal (no signals to processes outside the sandbox)" &&
       has_ll "filesystem: not restricted (no --ro, --rox, --rw or --system-ro)" &&
       has_ll "tcp: not restricted (no --bind-tcp or --connect-tcp)"'
fi

# Families this kernel lacks: best effort says so (and --explain claims no
# denial), --strict refuses before anything runs.
for fam in "--unix /run:9" "--bind-udp 53:10" "--connect-udp none:10"; do
    opt=${fam%:*} need=${fam##*:}
    if [ "$ll_abi" -ge "$need" ] || [ "$ll_abi" -lt 1 ]; then
        skip "landlock: $opt on a kernel without ABI $need" "this kernel has Landlock ABI $ll_abi"
        continue
    fi
    # shellcheck disable=SC2086
    run --explain $opt -- "$TRUE"
    t "landlock: $opt, best effort: warned, runs, --explain says not restricted (kernel ABI $ll_abi)" \
      '[ $rc -eq 0 ] && [[ $err == *"warning: ${opt% *}: needs Landlock ABI $need, this kernel has $ll_abi"* ]] &&
       ll_lines | grep -qF "not restricted: needs Landlock ABI $need, this kernel has $ll_abi (--best-effort)"'
    # shellcheck disable=SC2086
    bad "$opt --strict on Landlock ABI $ll_abi" --strict $opt
done

if [ "$ll_abi" -ge 7 ]; then
    run --explain --log-denials --rox / -- "$TRUE"
    t "landlock: --log-denials runs, and --explain says where denials go" \
      '[ $rc -eq 0 ] && has_ll "denials: the program'"'"'s go to the kernel'"'"'s audit log (record type 1423), spx-run'"'"'s own setup is not logged; nothing is recorded while audit is disabled"'
else
    skip "landlock: --log-denials" "needs Landlock ABI 7"
fi

# 10,000 rules under the default 1024 open-file limit.
if [ "$ll_abi" -ge 1 ]; then
    mkdir "$tmp/many"; (cd "$tmp/many" && seq 1 10000 | xargs mkdir)
    many=(); for i in $(seq 1 10000); do many+=(--ro "$tmp/many/$i"); done
    out=$(ulimit -n 1024 && "$R" "${many[@]}" --ro "$tmp/many/1" "${rox[@]}" -- "$SH" -c \
          "ls '$tmp/many/1' '$tmp/many/10000' && echo listed; ls '$tmp/many' 2>&1 | grep -q 'ermission denied' && echo parent-denied" 2>&1); rc=$?
    t "landlock: 10,000 --ro rules (one twice) under ulimit -n 1024: the rules apply" \
      '[ $rc -eq 0 ] && [ "$(printf "%s\n" "$out" | tail -2 | tr "\n" " ")" = "listed parent-denied " ]'
    err=$(ulimit -n 1024 && "$R" "${many[@]}" --ro "$tmp/many/no-such" -- "$TRUE" 2>&1); rc=$?
    t "landlock: a missing path among 10,000 is named, the descriptor limit is not blamed" \
      '[ $rc -eq 125 ] && one_line_error && [[ $err == *"--ro $tmp/many/no-such: No such file or directory"* ]] &&
       [[ $err != *"open files"* ]]'
    rm -rf "$tmp/many"
fi

# The Landlock hint only when Landlock can be the cause.
if [ "$ll_abi" -ge 4 ]; then
    printf '#!/bin/sh\necho hi\n' > "$tmp/mode644"; chmod 644 "$tmp/mode644"
    run --bind-tcp 8080 -- "$tmp/mode644"
    t "landlock hint: not for a mode-644 program under a network-only sandbox" \
      '[ $rc -eq 126 ] && one_line_error && [[ $err != *"Landlock"* ]] && [[ $err == *"mode 0644"* ]]'
    run --ro /etc -- "$tmp/mode644"
    t "landlock hint: not for a mode-644 program outside --rox either (the mode is the cause)" \
      '[ $rc -eq 126 ] && one_line_error && [[ $err != *"Landlock"* ]] && [[ $err == *"mode 0644"* ]]'
    if [ $is_root -eq 1 ] && [ $nobody_ok -eq 1 ]; then
        mkdir "$tmp/closed"; cp "$TRUE" "$tmp/closed/prog"; chmod 700 "$tmp/closed"
        run --uid nobody --ro /etc -- "$tmp/closed/prog"
        t "landlock hint: not when a directory on the way is closed to the program's uid (named instead)" \
          '[ $rc -eq 126 ] && one_line_error && [[ $err != *"Landlock"* ]] &&
           [[ $err == *"the directory $tmp/closed on the way to the program $tmp/closed/prog is not searchable by uid 65534"* ]]'
    else
        skip "landlock hint: closed directory" "needs root and the nobody user"
    fi
fi

# ---------------------------------------------------------------- seccomp
deny=mkdir; [ "$(uname -m)" = x86_64 ] || deny=mkdir,mkdirat
run --deny-syscalls "$deny" -- "$MKDIR" "$tmp/d"
t "seccomp: --deny-syscalls mkdir: mkdir fails with EPERM, no directory" \
  '[ $rc -ne 0 ] && [ ! -e "$tmp/d" ] && [[ $err == *"Operation not permitted"* ]]'
run --deny-syscalls "$deny" --seccomp-action errno:EACCES -- "$MKDIR" "$tmp/d"
t "seccomp: --seccomp-action errno:EACCES" '[ $rc -ne 0 ] && [ ! -e "$tmp/d" ] && [[ $err == *"Permission denied"* ]]'
sigsys=$(kill -l SYS)
run --deny-syscalls "$deny" --seccomp-action kill -- "$MKDIR" "$tmp/d"
t "seccomp: --seccomp-action kill: 128+SIGSYS" '[ $rc -eq $((128 + sigsys)) ] && [ ! -e "$tmp/d" ]'
run --allow-syscalls write,exit_group --seccomp-action kill -- "$TRUE"
t "seccomp: --allow-syscalls: anything else is killed" '[ $rc -eq $((128 + sigsys)) ]'
run --deny-syscalls getppid -- "$MKDIR" "$tmp/d3"
t "seccomp: other system calls still work" '[ $rc -eq 0 ] && [ -d "$tmp/d3" ]'
t "seccomp: a normal exit says nothing about signals" '[[ $(printf "%s" "$err") != *killed* ]]'
run --deny-syscalls "$deny" --seccomp-action kill -- "$MKDIR" "$tmp/d"
t "seccomp: killed by the filter: 'spx-run: killed by SIGSYS: seccomp'" \
  '[ $rc -eq $((128 + sigsys)) ] && [ "$err" = "spx-run: killed by SIGSYS: seccomp" ]'
run -- "$SH" -c 'kill -TERM $$'
t "any signal death is said on stderr (SIGTERM, no filter)" '[ $rc -eq 143 ] && [ "$err" = "spx-run: killed by SIGTERM" ]'
run -- "$SH" -c 'kill -SYS $$'
t "SIGSYS without a filter of spx-run's: no mention of seccomp" \
  '[ $rc -eq $((128 + sigsys)) ] && [ "$err" = "spx-run: killed by SIGSYS" ]'
run -- "$SH" -c 'kill -PIPE $$'
t "SIGPIPE: quiet, as in a shell" '[ $rc -eq $((128 + $(kill -l PIPE))) ] && [ -z "$err" ]'

# --syscall: one rule with conditions
profiles=$(dirname "$0")/../seccomp
PY=$(type -P python3 2>/dev/null); [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
if [ -n "$PY" ]; then
    sockets='import socket
for fam in (socket.AF_INET, socket.AF_UNIX):
    try:
        socket.socket(fam, socket.SOCK_STREAM); print(fam.name, "ok")
    except OSError as e: print(fam.name, e.errno)'
    run --syscall socket:errno:EAFNOSUPPORT:0==2 -- "$PY" -c "$sockets"
    t "seccomp: --syscall socket:errno:EAFNOSUPPORT:0==2: AF_INET refused, AF_UNIX works" \
      '[ $rc -eq 0 ] && [ "$out" = "AF_INET 97
AF_UNIX ok" ]'
    tiocsti='import fcntl, os, pty, termios
m, s = pty.openpty()
try:
    fcntl.ioctl(s, termios.TIOCSTI, b" "); print("TIOCSTI ok")
except OSError as e: print("TIOCSTI", e.errno)
termios.tcgetattr(s); print("TCGETS ok")'
    run -- "$PY" -c "$tiocsti"
    if [ "$out" = "TIOCSTI ok
TCGETS ok" ]; then
        run --explain --syscall ioctl:errno:EPERM:1==0x5412 -- "$PY" -c "$tiocsti"
        t "seccomp: --syscall ioctl:errno:EPERM:1==0x5412: TIOCSTI refused, other ioctls work" \
          '[ $rc -eq 0 ] && [ "$out" = "TIOCSTI 1
TCGETS ok" ]'
        t "seccomp: --explain names the rule and its condition, and warns that == on a 32-bit value can be sidestepped" \
          '[[ $err == *"default allow; ioctl errno:EPERM if arg1 == 0x5412 (if the kernel reads arg1 as 32 bits, a program can set the upper half and pass: 1&0xffffffff==0x5412 compares the low half);"* ]]'
        # The request is an unsigned int to the kernel: a program can set the
        # register's upper half. The low-half form (man page) holds anyway.
        hi='import ctypes, pty
libc = ctypes.CDLL(None, use_errno=True)
m, s = pty.openpty()
c = ctypes.c_char(b" ")
for req in (0x5412, 0xffffffff00005412):
    r = libc.syscall(16, s, ctypes.c_ulong(req), ctypes.byref(c))
    print(hex(req), "ok" if r == 0 else ctypes.get_errno())'
        if [ "$(uname -m)" = x86_64 ]; then
            run --syscall "ioctl:errno:EPERM:1&0xffffffff==0x5412" -- "$PY" -c "$hi"
            t "seccomp: --syscall ioctl:errno:EPERM:1&0xffffffff==0x5412: TIOCSTI refused with the register's upper half set too" \
              '[ $rc -eq 0 ] && [ "$out" = "0x5412 1
0xffffffff00005412 1" ]'
            run --explain --syscall "ioctl:errno:EPERM:1&0xffffffff==0x5412" --syscall "socket:allow:0==1" -- "$TRUE"
            t "seccomp: --explain has no 32-bit warning for the low-half form or for an allow rule" \
              '[ $rc -eq 0 ] && [[ $err == *"ioctl errno:EPERM if arg1 & 0xffffffff == 0x5412; socket allow if arg0 == 0x1;"* ]] &&
               [[ $err != *"upper half"* ]]'
        fi
    else
        skip "seccomp: --syscall ioctl TIOCSTI" "TIOCSTI fails without a filter: $out"
    fi
    run --explain --syscall "clone:errno:EACCES:0&0x10000000==0x10000000" -- "$PY" -c 'import os
pid = os.fork()
if pid == 0: os._exit(0)
os.waitpid(pid, 0); print("fork ok")'
    t "seccomp: --syscall with a masked condition on clone's flags: fork works, --explain shows the mask" \
      '[ $rc -eq 0 ] && [ "$out" = "fork ok" ] && [[ $err == *"clone errno:EACCES if arg0 & 0x10000000 == 0x10000000;"* ]]'

    # OCI profiles of our own (tests/seccomp)
    run --seccomp-profile "$profiles/denylist.json" -- "$PY" -c "$sockets"
    t "seccomp: --seccomp-profile deny-list: python3 runs, AF_INET refused by a condition" \
      '[ $rc -eq 0 ] && [ "$out" = "AF_INET 97
AF_UNIX ok" ]'
    run --seccomp-profile "$profiles/allowlist.json" -- "$PY" -c 'import threading
t = threading.Thread(target=print, args=("thread ran",)); t.start(); t.join()'
    t "seccomp: --seccomp-profile allow-list without clone3: a threaded python3 runs" \
      '[ $rc -eq 0 ] && [ "$out" = "thread ran" ]'
else
    skip "seccomp: --syscall and --seccomp-profile with python3" "no python3"
fi
run --seccomp-profile "$profiles/denylist.json" -- "$MKDIR" "$tmp/d"
t "seccomp: --seccomp-profile deny-list: mkdir gets its errnoRet (EACCES)" \
  '[ $rc -ne 0 ] && [ ! -e "$tmp/d" ] && [[ $err == *"Permission denied"* ]]'
run --explain --seccomp-profile "$profiles/allowlist.json" -- ls -d /
t "seccomp: --seccomp-profile allow-list: ls runs" '[ $rc -eq 0 ] && [ "$out" = / ]'
t "seccomp: --explain for a profile: the file, the clone3 answer, the ignored names" \
  '[[ $err == *"seccomp       OCI profile $profiles/allowlist.json"* ]] && [[ $err == *"clone3 gets ENOSYS"* ]] &&
   [[ $err == *"absent on this architecture or unknown, ignored"* ]]'
if [ -x /usr/bin/git ]; then
    run --seccomp-profile "$profiles/allowlist.json" -- /usr/bin/git --version
    t "seccomp: --seccomp-profile allow-list: git --version runs" '[ $rc -eq 0 ] && [[ $out == "git version "* ]]'
fi
run --seccomp-log --syscall mkdir:errno:EXDEV -- "$CAT" /proc/self/status
t "seccomp: --seccomp-log: the kernel takes the flagged filter" \
  '[ $rc -eq 0 ] && [ "$(field Seccomp_filters)" = 1 ]'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_FOO"}]}]}' >"$tmp/bad.json"
run --seccomp-profile "$tmp/bad.json" -- "$TRUE"
t "seccomp: a malformed profile: exit 125" '[ $rc -eq 125 ]'
run --seccomp-profile /dev/stdin -- "$TRUE" <"$tmp/bad.json"
t "seccomp: --seccomp-profile reads a pipe or redirection (here the same malformed profile)" \
  '[ $rc -eq 125 ] && [[ $err == *"syscalls[0].args[0].op: unknown operator"* ]]'
run --seccomp-profile "$tmp/bad.json" -- "$TRUE"
t "seccomp: a malformed profile: one line naming the JSON path" \
  '[ $rc -eq 125 ] && one_line_error && [ "$err" = "spx-run: --seccomp-profile $tmp/bad.json: syscalls[0].args[0].op: unknown operator \"SCMP_CMP_FOO\"" ]'

# ------------------------------------------- limits, session, cgroup, umask
# stat_field N: field N of a /proc/PID/stat line in $out (after the comm).
stat_field() { printf '%s\n' "$out" | sed -n 's/^[0-9]* ([^)]*) //p' | head -1 | awk -v n=$(($1 - 2)) '{ print $n }'; }
stat_pid() { printf '%s\n' "$out" | awk 'NR == 1 { print $1 }'; }
limit_of() { printf '%s\n' "$out" | awk -v k="$1" 'index($0, k) == 1 { n = split(substr($0, length(k) + 1), f, " "); print f[1], f[2]; exit }'; }
# A sleep under a name no other process has: pgrep -f finds what survives.
marker=$tmp/spx-run-marker-sleep
ln -s "$SLEEP" "$marker"
survivors() { # waits up to 1 s for the marked sleeps to go; prints those left
    local i; for i in $(seq 20); do pgrep -f "$marker" >/dev/null || return 0; sleep 0.05; done
    pgrep -af "$marker"
}
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
# on_pty CMD...: runs CMD with a new pseudo-terminal (no session's yet) as stdin.
on_pty() {
    "$PY" -c 'import os, subprocess, sys
m, s = os.openpty()
p = subprocess.run(sys.argv[1:], stdin=s, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
sys.stdout.write(p.stdout.decode()); sys.stderr.write(p.stderr.decode()); sys.exit(p.returncode)' "$@"
}
in_script() { SHELL=$SH script -qec "$1" /dev/null; }   # script runs $SHELL -c

run --rlimit nofile=100:200 --rlimit core=0 -- "$CAT" /proc/self/limits
t "--rlimit nofile=100:200 core=0: read back in /proc/self/limits" \
  '[ $rc -eq 0 ] && [ "$(limit_of "Max open files")" = "100 200" ] && [ "$(limit_of "Max core file size")" = "0 0" ]'
run --rlimit NOFILE=150 -- "$CAT" /proc/self/limits
t "--rlimit NOFILE=150: the hard limit is the soft one (as prlimit(1), systemd)" \
  '[ $rc -eq 0 ] && [ "$(limit_of "Max open files")" = "150 150" ]'
run --rlimit nofile=100 --rlimit RLIMIT_NOFILE=90:95 -- "$CAT" /proc/self/limits
t "--rlimit twice for one resource: the last one wins" '[ "$(limit_of "Max open files")" = "90 95" ]'
run --rlimit nofile=100:1000 -- "$R" --rlimit nofile=:500 -- "$CAT" /proc/self/limits
soft_kept=$(limit_of "Max open files")
run --rlimit nofile=100:1000 -- "$R" --rlimit nofile=50: -- "$CAT" /proc/self/limits
t "--rlimit nofile=:500 / nofile=50: keep the other limit as spx-run has it" \
  '[ "$soft_kept" = "100 500" ] && [ "$(limit_of "Max open files")" = "50 1000" ]'
run -- "$CAT" /proc/self/limits
if [ "$(limit_of "Max cpu time")" = "unlimited unlimited" ]; then
    run --rlimit cpu=10:unlimited -- "$R" --rlimit cpu=unlimited -- "$CAT" /proc/self/limits
    t "--rlimit cpu=unlimited (raising a soft limit up to the hard one)" '[ $rc -eq 0 ] && [ "$(limit_of "Max cpu time")" = "unlimited unlimited" ]'
else
    skip "--rlimit cpu=unlimited" "spx-run's cpu limit is not unlimited here"
fi
# Raising a hard limit needs CAP_SYS_RESOURCE: an outer spx-run lowers it first.
capeff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
run --rlimit nofile=100:200 -- "$R" --rlimit nofile=100:300 -- "$CAT" /proc/self/limits
if (( (0x$capeff >> 24) & 1 )); then
    t "--rlimit raising a hard limit, with CAP_SYS_RESOURCE" '[ $rc -eq 0 ] && [ "$(limit_of "Max open files")" = "100 300" ]'
else
    t "--rlimit raising a hard limit without CAP_SYS_RESOURCE: 125, one line at the rlimit stage" \
      '[ $rc -eq 125 ] && one_line_error && [[ $err == "spx-run: rlimit: Operation not permitted"*"CAP_SYS_RESOURCE"* ]]'
fi

run --setsid -- "$CAT" /proc/self/stat
t "--setsid: the program leads a new session and group, no terminal" \
  '[ $rc -eq 0 ] && [ "$(stat_field 6)" = "$(stat_pid)" ] && [ "$(stat_field 5)" = "$(stat_pid)" ] && [ "$(stat_field 7)" = 0 ]'
own_sid=$(awk '{ sub(/^[0-9]* \([^)]*\) /, ""); print $4 }' /proc/$$/stat)
run --pgroup new -- "$CAT" /proc/self/stat
t "--pgroup new: a new group led by the program, in spx-run's session" \
  '[ $rc -eq 0 ] && [ "$(stat_field 5)" = "$(stat_pid)" ] && [ "$(stat_field 6)" = "$own_sid" ]'
rm -f "$tmp/leader"
"$R" --pgroup new -- "$SH" -c "echo \$\$ > '$tmp/leader'; exec '$marker' 30" &
leader_spx=$!
for _ in $(seq 100); do [ -s "$tmp/leader" ] && break; sleep 0.05; done
leader=$(cat "$tmp/leader" 2>/dev/null)
run --pgroup "$leader" -- "$CAT" /proc/self/stat
t "--pgroup PGID: the program joins that group" '[ $rc -eq 0 ] && [ -n "$leader" ] && [ "$(stat_field 5)" = "$leader" ]'
run --explain --pgroup "$leader" --timeout 5 -- "$TRUE"
t "--explain: --pgroup PGID, and --timeout then kills that group" \
  '[ $rc -eq 0 ] && [[ $err == *"spx-run: session       join process group $leader"* ]] &&
   [[ $err == *"then SIGKILL to process group $leader, and exit 124"* ]]'
# spx-run forwards SIGTERM to the group the program leads.
kill -TERM "$leader_spx"; wait "$leader_spx"; rc=$?
t "SIGTERM to spx-run --pgroup new reaches the program's group (143, nothing left)" '[ $rc -eq 143 ] && [ -z "$(survivors)" ]'
run --timeout 5 -- "$CAT" /proc/self/stat
t "--timeout puts the program in a group of its own" '[ $rc -eq 0 ] && [ "$(stat_field 5)" = "$(stat_pid)" ]'

if [ -z "$PY" ]; then
    skip "--setsid --ctty 0 on a new pseudo-terminal" "no python3 to open one"
else
    out=$(on_pty "$R" --explain --setsid --ctty 0 -- "$CAT" /proc/self/stat 2>"$tmp/.err"); rc=$? err=$(cat "$tmp/.err")
    t "--setsid --ctty 0 on a new pseudo-terminal: its controlling terminal, in the foreground" \
      '[ $rc -eq 0 ] && [ "$(stat_field 6)" = "$(stat_pid)" ] && [ "$(stat_field 7)" != 0 ] && [ "$(stat_field 8)" = "$(stat_pid)" ]'
    t "--explain: --setsid --ctty 0" \
      '[[ $err == *"spx-run: session       a new session and process group led by the program, controlling terminal its descriptor 0 (/dev/"*"), whose foreground group it is"* ]]'
fi
if ! command -v script >/dev/null 2>&1; then
    skip "--foreground on a terminal" "no script(1)"
else
    out=$(in_script "'$R' --pgroup new --foreground -- '$CAT' /proc/self/stat; '$R' -- '$CAT' /proc/self/stat" | tr -d '\r')
    after=$(printf '%s\n' "$out" | sed -n 2p)
    t "--pgroup new --foreground: the program's group is the terminal's foreground, given back after" \
      '[ "$(stat_field 5)" = "$(stat_pid)" ] && [ "$(stat_field 8)" = "$(stat_pid)" ] &&
       out=$after && [ -n "$after" ] && [ "$(stat_field 8)" = "$(stat_field 5)" ]'
    out=$(in_script "'$R' --timeout 5 --foreground -- '$CAT' /proc/self/stat" | tr -d '\r')
    t "--timeout --foreground: the program stays in spx-run's group, in the foreground" \
      '[ "$(stat_field 5)" != "$(stat_pid)" ] && [ "$(stat_field 8)" = "$(stat_field 5)" ]'
    err=$(in_script "'$R' --explain --timeout 5 --foreground -- '$TRUE'" | tr -d '\r')
    t "--explain: --timeout --foreground kills the program only" \
      '[[ $err == *"spx-run: session       spx-run'"'"'s process group, which the program stays in, becomes the foreground group of the terminal at its descriptor 0 (/dev/"* ]] &&
       [[ $err == *"then SIGKILL to the program only, not the processes it starts (--foreground keeps it in spx-run'"'"'s process group), and exit 124"* ]]'
    err=$(in_script "'$R' --setsid --ctty 0 -- '$TRUE'; echo \"exit \$?\"" | tr -d '\r')
    t "bad input: --ctty on spx-run's own controlling terminal (125, says so)" \
      '[[ $err == "spx-run: --ctty 0: the terminal is spx-run'"'"'s own controlling terminal"*"exit 125" ]]'
fi

run --umask 027 -- "$CAT" /proc/self/status
u1=$(field Umask)
run --umask 0 -- "$CAT" /proc/self/status
t "--umask 027 / --umask 0" '[ "$u1" = 0027 ] && [ "$(field Umask)" = 0000 ]'

# --die-with-parent: SIGKILL to spx-run, which cannot forward it.
for dwp in with without; do
    rm -f "$tmp/dwp"
    if [ $dwp = with ]; then
        "$R" --die-with-parent -- "$SH" -c "echo \$\$ > '$tmp/dwp'; exec '$marker' 30" &
    else
        "$R" -- "$SH" -c "echo \$\$ > '$tmp/dwp'; exec '$marker' 30" &
    fi
    spx=$!
    for _ in $(seq 100); do [ -s "$tmp/dwp" ] && break; sleep 0.05; done
    sleep 0.1
    kill -KILL "$spx"; wait "$spx" 2>/dev/null
    prog=$(cat "$tmp/dwp" 2>/dev/null)
    gone=no
    for _ in $(seq 20); do
        { [ -n "$prog" ] && [ "$(awk '{ sub(/^[0-9]* \([^)]*\) /, ""); print $1 }' /proc/$prog/stat 2>/dev/null)" != Z ] &&
          [ -e /proc/$prog ]; } || { gone=yes; break; }
        sleep 0.05
    done
    eval "gone_$dwp=\$gone"
    [ -n "$prog" ] && kill -KILL "$prog" 2>/dev/null
done
rc=0 out="" err=""
t "--die-with-parent: the program dies with spx-run (and without it, survives)" \
  '[ "$gone_with" = yes ] && [ "$gone_without" = no ]'

if [ $is_root -ne 1 ]; then
    skip "--securebits" "not root (needs cap_setpcap)"
    skip "--securebits noroot,noroot-locked --ambient: exactly the ambient set as root" "not root"
elif [ -z "$PY" ]; then
    skip "--securebits read back" "no python3 for prctl(PR_GET_SECUREBITS)"
else
    getbits='import ctypes; print(ctypes.CDLL(None).prctl(27, 0, 0, 0, 0))'
    run --securebits noroot,NO_SETUID_FIXUP,secbit_keep_caps_locked -- "$PY" -c "$getbits"
    b1=$out
    run --securebits noroot --securebits no-cap-ambient-raise,no-cap-ambient-raise-locked -- "$PY" -c "$getbits"
    b2=$out
    run --securebits none -- "$PY" -c "$getbits"
    t "--securebits: read back with PR_GET_SECUREBITS (names in any spelling, lists add up, none)" \
      '[ "$b1" = 37 ] && [ "$b2" = 193 ] && [ $rc -eq 0 ] && [ "$out" = 0 ]'
fi
if [ $is_root -eq 1 ] && [ -n "$cap" ]; then
    m=$(mask_of "$capnr")
    run --ambient "$capname" -- "$CAT" /proc/self/status
    e_all=$(field CapEff)
    run --ambient "$capname" --securebits noroot,noroot-locked -- "$CAT" /proc/self/status
    t "--securebits noroot,noroot-locked --ambient $capname as root: exactly $m (without: $e_all)" \
      '[ $rc -eq 0 ] && [ "$(field Uid)" = "0	0	0	0" ] && [ "$(field CapEff)" = $m ] &&
       [ "$(field CapPrm)" = $m ] && [ "$(field CapAmb)" = $m ] && [ "$e_all" != $m ]'
fi

# The whole tree goes at the timeout: the program's group is killed.
start=$(now_ms)
run --timeout 1 -- "$SH" -c "'$marker' 3 & '$marker' 10"
elapsed=$(( $(now_ms) - start )) left=$(survivors)
t "--timeout 1 -- sh -c 'sleep 3 & sleep 10': 124 in about 1 s, both sleeps gone" \
  '[ $rc -eq 124 ] && [ $elapsed -lt 1900 ] && [ -z "$left" ]'

# cgroup v2: a cgroup of the test's own under the hierarchy's mount point.
cgroot=$(awk '{ for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' /proc/self/mountinfo | head -1)
cgskip=""
if [ -z "$cgroot" ]; then
    cgskip="no cgroup v2 hierarchy mounted"
elif ! mkdir "$cgroot/spx-run-test-$$" 2>/dev/null; then
    cgskip="cannot create a cgroup under $cgroot"
else
    cg=$cgroot/spx-run-test-$$
    # Another one for cgroup.kill: on some kernels (6.18) a cgroup once
    # killed kills every process later created in it with CLONE_INTO_CGROUP.
    mkdir "$cgroot/spx-run-test-$$-kill" && cgk=$cgroot/spx-run-test-$$-kill
fi
if [ -n "$cgskip" ]; then
    for c in "--cgroup: the program starts in it" "--cgroup --timeout: cgroup.kill" "--explain: cgroup lines"; do
        skip "$c" "$cgskip"
    done
else
    run --cgroup "$cg" -- "$CAT" /proc/self/cgroup
    t "--cgroup $cg: the program starts in it (/proc/self/cgroup)" \
      '[ $rc -eq 0 ] && printf "%s\n" "$out" | grep -qx "0::/${cg#$cgroot/}"'
    run --explain --cgroup "$cg" --timeout 5 -- "$TRUE"
    t "--explain: cgroup lines (placement, then cgroup.kill at the timeout)" \
      '[ $rc -eq 0 ] && [[ $err == *"spx-run: cgroup        the program starts in $cg ("* ]] &&
       [[ $err == *"spx-run: wait          up to 5 s, then SIGKILL to every process in cgroup $cg (cgroup.kill), the program'"'"'s process group, and exit 124"* ]]'
    run --explain --cgroup "$cgroot" --timeout 5 -- "$TRUE"
    t "--explain: no cgroup.kill for the root cgroup, the group instead" \
      '[[ $err == *"SIGKILL to the program'"'"'s process group (not cgroup $cgroot: "* ]]'
    # A sleep that leaves the group with setsid escapes the group kill, not cgroup.kill.
    start=$(now_ms)
    run --cgroup "$cgk" --timeout 1 -- "$SH" -c "setsid '$marker' 10 & '$marker' 3 & '$marker' 10"
    elapsed=$(( $(now_ms) - start )) left=$(survivors)
    t "--cgroup --timeout 1: cgroup.kill ends even a setsid'd sleep; the cgroup is empty" \
      '[ $rc -eq 124 ] && [ $elapsed -lt 2500 ] && [ -z "$left" ] && [ -z "$(cat "$cgk/cgroup.procs")" ]'
fi

# --explain: every new stage, in the library's order.
if [ $is_root -eq 1 ] && [ $nobody_ok -eq 1 ] && [ -n "$cap" ]; then
    run --explain --rlimit nofile=100 --uid nobody --ambient "$capname" --securebits noroot,noroot-locked \
        --die-with-parent --umask 027 --setsid --timeout 10 ${cg:+--cgroup "$cg"} -- "$ECHO" ran
    want="prepare ${cg:+cgroup }signals rlimit caps setgroups setgid setuid caps ambient securebits pdeathsig umask fds session exec identity wait"
else
    run --explain --rlimit nofile=100 --die-with-parent --umask 027 --setsid --timeout 10 ${cg:+--cgroup "$cg"} -- "$ECHO" ran
    want="prepare ${cg:+cgroup }signals rlimit pdeathsig umask fds session exec identity wait"
fi
got=$(printf '%s\n' "$err" | sed -n 's/^spx-run: \([a-z_]*\) .*/\1/p' | grep -v '^plan$' | tr '\n' ' ' | sed 's/ $//')
t "--explain: limits, session, cgroup, pdeathsig, umask, securebits in the library's order" \
  '[ $rc -eq 0 ] && [ "$out" = ran ] && [ "$got" = "$want" ]'
if [ -n "$cg" ]; then # removed now, so checked empty
    rmdir "$cg" ${cgk:+"$cgk"}
    t "the test cgroups are empty and removed" '[ ! -d "$cg" ] && [ -n "$cgk" ] && [ ! -d "$cgk" ]'
fi
t "--explain: their values" \
  '[[ $err == *"spx-run: rlimit        nofile soft 100 hard 100 (spx-run'"'"'s "* ]] &&
   [[ $err == *"spx-run: pdeathsig     SIGKILL to the program if spx-run dies first"* ]] &&
   [[ $err == *"spx-run: umask         0027 (spx-run'"'"'s "* ]] &&
   [[ $err == *"spx-run: session       a new session and process group led by the program, without a controlling terminal"* ]] &&
   [[ $err == *"spx-run: wait          up to 10 s, then SIGKILL to "*"the program'"'"'s process group, and exit 124"* ]] &&
   { [ $is_root -ne 1 ] || [ -z "$cap" ] || [[ $err == *"spx-run: securebits    noroot,noroot-locked (0x3), set after the ambient raise"* ]]; }'
run --explain --pgroup new -- "$TRUE"
e1=$err
run --explain --timeout 3 -- "$TRUE"
t "--explain: --pgroup new, and the group --timeout gives the program" \
  '[[ $e1 == *"spx-run: session       a new process group led by the program"* ]] && [[ $e1 == *"until the program ends"* ]] &&
   [[ $err == *"spx-run: session       a new process group led by the program (the default with --timeout"* ]] &&
   [[ $err == *"SIGKILL to the program'"'"'s process group, and exit 124"* ]]'
if [ $is_root -eq 1 ] && [ -n "$cap" ]; then
    run --explain --ambient "$capname" -- "$TRUE"
    e1=$err
    run --explain --ambient "$capname" --securebits noroot,noroot-locked -- "$TRUE"
    t "--explain: --ambient as root says the program gets the whole bounding set, unless --securebits noroot" \
      '[[ $e1 == *"permitted and effective after exec: every capability of the bounding set, not only the ambient ones, since the program runs as root (--securebits noroot,noroot-locked for exactly $capname)"* ]] &&
       [[ $err == *"permitted and effective after exec: $capname"* ]] && [[ $err != *"every capability"* ]] &&
       [[ $err == *"exec as root grants no capability: the program gets $capname"* ]]'
fi

# ---------------------------------------------------------------- explain
if [ $is_root -eq 1 ] && [ $nobody_ok -eq 1 ] && [ -n "$cap" ]; then
    run --explain --uid nobody --ambient "$capname" --bounding "$capname" --cwd / --no-new-privs \
        --rox / --deny-syscalls mkdir --timeout 10 -- "$ECHO" ran
    want="prepare signals bounding caps setgroups setgid setuid caps ambient chdir fds session no_new_privs landlock seccomp exec identity wait"
else
    run --explain --cwd / --no-new-privs --rox / --deny-syscalls mkdir -- "$ECHO" ran
    want="prepare signals chdir fds no_new_privs landlock seccomp exec identity wait"
fi
[ "$ll_abi" -lt 1 ] && want=${want/ landlock/}
got=$(printf '%s\n' "$err" | sed -n 's/^spx-run: \([a-z_]*\) .*/\1/p' | grep -v '^plan$' | uniq | tr '\n' ' ' | sed 's/ $//')
t "--explain: one line per stage, in the library's order, then runs" \
  '[ $rc -eq 0 ] && [ "$out" = ran ] && [ "$got" = "$want" ]'
t "--explain: values (user, caps, landlock status and ABI, seccomp length)" \
  '[[ $err == *"BPF instructions"* ]] && [[ $err == *"Landlock ABI"* ]] &&
   { [ "$ll_abi" -lt 1 ] || [[ $err == *"enforced"* ]]; }'
nr_getpid=$(printf '#include <sys/syscall.h>\nSYS_getpid\n' | cc -E -P - 2>/dev/null | tail -n 1)
if [[ $nr_getpid =~ ^[0-9]+$ ]]; then
    run --explain --deny-syscalls "mkdir,$nr_getpid" -- "$TRUE"
    t "--explain: a system call given by number is shown with its name" \
      '[ $rc -eq 0 ] && [[ $err == *"errno:EPERM: mkdir,getpid ($nr_getpid) (2 rules)"* ]]'
else
    skip "--explain: a system call given by number is shown with its name" "no C preprocessor for SYS_getpid"
fi

# ------------------------------------------ a new user's programs (issue 15)
# The hex masks the --explain identity line gives, by name.
ident() { printf '%s\n' "$err" | grep '^spx-run: identity ' | grep -oP "$1 .*?\(\K[0-9a-f]{16}(?=\))" | head -1; }
ident_line() { printf '%s\n' "$err" | grep '^spx-run: identity '; }
# 1. --explain states what the child then reports.
if [ $is_root -eq 1 ]; then
    run --explain -- "$CAT" /proc/self/status
    t "1. --explain identity: root keeps the whole bounding set (permitted/effective as the child reports)" \
      '[ $rc -eq 0 ] && [ "$(ident permitted)" = "$(field CapPrm)" ] && [ "$(ident effective)" = "$(field CapEff)" ] &&
       [ "$(ident ambient)" = "$(field CapAmb)" ] && [[ $(ident_line) == *"no_new_privs $(field NoNewPrivs)"* ]]'
    run --explain --ambient net_bind_service -- "$CAT" /proc/self/status
    t "1. --explain: root with --ambient gets every capability, and says so (as the child reports)" \
      '[ $rc -eq 0 ] && [ "$(ident effective)" = "$(field CapEff)" ] && [ "$(field CapEff)" = "$(field CapBnd)" ] &&
       [[ $(ident_line) == *"--securebits noroot,noroot-locked"* ]]'
    run --explain --uid nobody --ambient net_bind_service -- "$CAT" /proc/self/status
    t "1. --explain: nobody with --ambient gets exactly it (permitted, effective, ambient as reported)" \
      '[ $rc -eq 0 ] && [ "$(ident permitted)" = "$(field CapPrm)" ] && [ "$(ident effective)" = "$(field CapEff)" ] &&
       [ "$(ident ambient)" = "$(field CapAmb)" ] && [ "$(field CapEff)" = 0000000000000400 ]'
    run --explain --ambient net_bind_service --securebits noroot,noroot-locked -- "$CAT" /proc/self/status
    t "1. --explain: root with --securebits noroot gets only the ambient capability (as reported)" \
      '[ $rc -eq 0 ] && [ "$(ident permitted)" = "$(field CapPrm)" ] && [ "$(ident effective)" = "$(field CapEff)" ] &&
       [ "$(field CapEff)" = 0000000000000400 ]'
    run --explain --bounding chown,net_bind_service -- "$CAT" /proc/self/status
    t "1. --explain: root with --bounding gets exactly that set (as reported)" \
      '[ $rc -eq 0 ] && [ "$(ident permitted)" = "$(field CapPrm)" ] && [ "$(field CapPrm)" = 0000000000000401 ] &&
       [ "$(ident effective)" = "$(field CapEff)" ]'
    run --groups 1,2 --gid 3 -- "$R" --explain -- "$CAT" /proc/self/status
    t "1. --explain: the gid and the inherited supplementary groups the child really has" \
      '[ $rc -eq 0 ] && [ "$(echo $(field Groups))" = "1 2" ] && [[ $(ident_line) == *" gid 3"*" groups 1"*",2"*"(spx-run'"'"'s, inherited)"* ]] &&
       [ "$(field Gid | cut -f1)" = 3 ]'
fi
run --no-new-privs -- "$R" --explain -- "$CAT" /proc/self/status
t "1. --explain: no_new_privs inherited from spx-run's parent is stated (and the child has it)" \
  '[ $rc -eq 0 ] && [ "$(field NoNewPrivs)" = 1 ] && [[ $(ident_line) == *"no_new_privs 1 (spx-run'"'"'s, inherited"* ]]'
run --explain --rox / -- "$CAT" /proc/self/status
t "1. --explain: no_new_privs with Landlock as the child reports it" \
  '[ $rc -eq 0 ] && [[ $(ident_line) == *"no_new_privs $(field NoNewPrivs)"* ]]'
if [ $is_root -eq 1 ]; then
    run --explain --uid nobody --rox / -- "$CAT" /proc/self/status
    t "1. --explain: no_new_privs set for Landlock when the child lacks cap_sys_admin (as reported)" \
      '[ $rc -eq 0 ] && [ "$(field NoNewPrivs)" = 1 ] && [[ $(ident_line) == *"no_new_privs 1 (for landlock)"* ]]'
fi
run --explain -- "$ECHO" "$(printf 'a\nspx-run: exec          forged')"
t "1. --explain: a newline in an argument is escaped, no plan line is forged" \
  '[ $rc -eq 0 ] && [ "$(printf "%s\n" "$err" | grep -c "^spx-run: exec ")" = 1 ] && [[ $err == *'"'"'a\nspx-run: exec'"'"'* ]]'

# 2. PATH search, in the PATH the program gets, for its identity.
mkdir -p "$tmp/pbin1" "$tmp/pbin2"
printf '#!/bin/sh\necho from-pbin1\n' > "$tmp/pbin1/spx-tool"; chmod 700 "$tmp/pbin1/spx-tool"
printf '#!/bin/sh\necho from-pbin2\n' > "$tmp/pbin2/spx-tool"; chmod 755 "$tmp/pbin2/spx-tool"
run --env PATH="$tmp/pbin1:$tmp/pbin2" -- spx-tool
t "2. the PATH the program gets (--env PATH=...) is searched" '[ $rc -eq 0 ] && [ "$out" = from-pbin1 ]'
run --clear-env -- env
t "2. --clear-env: the default PATH is searched" '[ $rc -eq 0 ] && [ -z "$out" ]'
run --env PATH="$tmp/pbin1:/nonexistent" -- spx-no-such-tool
t "2. a failed lookup says which PATH was searched (127, one line)" \
  '[ $rc -eq 127 ] && one_line_error && [[ $err == *"not found in PATH=$tmp/pbin1:/nonexistent"* ]]'
if [ $is_root -eq 1 ]; then
    run --uid nobody --env PATH="$tmp/pbin1:$tmp/pbin2" -- spx-tool
    t "2. an entry the child's uid cannot execute is skipped" '[ $rc -eq 0 ] && [ "$out" = from-pbin2 ]'
    run --uid nobody --env PATH="$tmp/pbin1" -- spx-tool
    t "2. only entries the child cannot execute: 126, naming the file and the uid" \
      '[ $rc -eq 126 ] && one_line_error && [[ $err == *"$tmp/pbin1/spx-tool is not executable by uid 65534"* ]]'
fi
run -- grep -c . /proc/self/status
t "2. spx-run -- grep ... works" '[ $rc -eq 0 ] && [ "$out" -gt 5 ]'

# 3. exec failures: the reason a person needs.
printf '#!/no/such/interpreter\necho x\n' > "$tmp/badshebang"; chmod 755 "$tmp/badshebang"
run -- "$tmp/badshebang"
t "3. a script whose #! interpreter is missing: says so (127, one line)" \
  '[ $rc -eq 127 ] && one_line_error && [[ $err == *"interpreter /no/such/interpreter (its #! line) is not found"* ]]'
run --sealed -- "$tmp/badshebang"
t "3. --sealed: a missing #! interpreter is named too (127)" \
  '[ $rc -eq 127 ] && one_line_error && [[ $err == *"interpreter /no/such/interpreter (its #! line) is not found"* ]]'
printf 'echo no-shebang\n' > "$tmp/noshebang"; chmod 755 "$tmp/noshebang"
run -- "$tmp/noshebang"
t "3. neither ELF nor #!: ENOEXEC explained (126, one line)" \
  '[ $rc -eq 126 ] && one_line_error && [[ $err == *"Exec format error"*"neither an ELF binary nor a script with a #! line"* ]]'
if [ $is_root -eq 1 ]; then
    mkdir -p "$tmp/root15/bin"; cp "$TRUE" "$tmp/root15/bin/true"
    loader=$(readelf -l "$TRUE" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]/\1/p')
    run --chroot "$tmp/root15" -- /bin/true
    t "3. a dynamic program without its ELF loader inside --chroot: names the loader (127)" \
      '[ $rc -eq 127 ] && one_line_error && [[ $err == *"ELF interpreter (loader) ${loader:-/}"*"not found inside --chroot"* ]]'
    printf '#!/bin/sh\necho x\n' > "$tmp/rootonly"; chmod 744 "$tmp/rootonly"
    run --uid nobody -- "$tmp/rootonly"
    t "3. not executable by the child's identity: mode, owner and uid (126)" \
      '[ $rc -eq 126 ] && one_line_error && [[ $err == *"(mode 0744, owner 0:0) is not executable by uid 65534"* ]]'
    mkdir -p "$tmp/noexecmnt"
    if mount -t tmpfs -o noexec,mode=755 tmpfs "$tmp/noexecmnt" 2>/dev/null; then
        cp "$TRUE" "$tmp/noexecmnt/true"
        run -- "$tmp/noexecmnt/true"
        t "3. a noexec mount is named (126)" '[ $rc -eq 126 ] && one_line_error && [[ $err == *"is on a noexec mount"* ]]'
        umount "$tmp/noexecmnt"
    else
        skip "3. a noexec mount is named" "cannot mount a tmpfs here"
    fi
else
    skip "3. chroot loader, mode bits for another uid, noexec mount" "needs root"
fi
if [ "$ll_abi" -ge 1 ]; then
    run --ro / --rox /usr -- "$tmp/noshebang"
    t "3. Landlock named when it is the cause (126)" \
      '[ $rc -eq 126 ] && one_line_error && [[ $err == *"Landlock: the program $tmp/noshebang is not beneath a --rox"* ]]'
    run --rox / -- "$tmp/noexec"
    t "3. Landlock not blamed when it allows the file (mode bits named instead)" \
      '[ $rc -eq 126 ] && one_line_error && [[ $err != *"Landlock"* ]] && [[ $err == *"mode 0644"* ]]'
fi

if [ "$ll_abi" -ge 1 ]; then
    loader=$(readelf -l "$TRUE" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]/\1/p')
    tdir=$(dirname "$(readlink -f "$TRUE")")
    if [ -n "$loader" ] && [[ $(readlink -f "$loader") != "$tdir"/* ]]; then
        run --rox "$tdir" --ro / -- "$(readlink -f "$TRUE")"
        t "3. Landlock: the program is allowed but its ELF interpreter is not: names the loader (126)" \
          '[ $rc -eq 126 ] && one_line_error && [[ $err == *"Landlock: its ELF interpreter $loader is not beneath"* ]]'
    fi
fi
run --cwd "$tmp" -- ./spx-no-such-program
t "3/5. a relative PROGRAM is tried against --cwd, and the error says where (127)" \
  '[ $rc -eq 127 ] && one_line_error && [[ $err == *"tried $tmp/./spx-no-such-program"* ]]'

# 1. more statements of --explain against what the child reports.
run --explain --umask 027 --rlimit nofile=100:200 --cwd "$tmp" -- "$SH" -c 'umask; ulimit -Sn; ulimit -Hn; pwd'
t "1. --explain umask, rlimit and chdir lines match the child" \
  '[ $rc -eq 0 ] && [ "$(printf "%s\n" "$out" | head -4 | tr "\n" " ")" = "0027 100 200 $tmp " ] &&
   [[ $err == *"umask         0027"* ]] && [[ $err == *"nofile soft 100 hard 200"* ]] && [[ $err == *"chdir         $tmp"* ]] &&
   true'
run --sealed -- echo sealed-default-path
t "2. --sealed looks a bare name up in PATH by default too" '[ $rc -eq 0 ] && [ "$out" = sealed-default-path ]'

# 4. identity environment, as su without '-'.
if [ $is_root -eq 1 ] && getent passwd nobody >/dev/null; then
    IFS=: read -r _ _ _ _ _ nb_home nb_shell < <(getent passwd nobody)
    HOME=/root USER=root run --uid nobody -- "$ENV"
    t "4. --uid nobody: HOME, USER, LOGNAME, SHELL from passwd" \
      '[ $rc -eq 0 ] && [[ $out == *"HOME=$nb_home"* ]] && [[ $out == *"USER=nobody"* ]] && [[ $out == *"LOGNAME=nobody"* ]] && [[ $out == *"SHELL=$nb_shell"* ]]'
    run --uid 65534 --gid 65534 --env HOME=/srv -- "$ENV"
    t "4. numeric uid with a passwd entry: the same; --env HOME wins" \
      '[ $rc -eq 0 ] && [[ $out == *"HOME=/srv"* ]] && [[ $out == *"USER=nobody"* ]]'
    run --uid nobody --clear-env --env A=1 -- "$ENV"
    t "4. --clear-env: only the --env variables" '[ $rc -eq 0 ] && [ "$out" = A=1 ]'
fi

# 5. --sealed resolves a relative PROGRAM as the plain exec does.
mkdir -p "$tmp/sealdir"; printf '#!/bin/sh\necho sealed-rel\n' > "$tmp/sealdir/s"; chmod 755 "$tmp/sealdir/s"
run --sealed --cwd "$tmp/sealdir" -- ./s
t "5. --sealed ./s against --cwd" '[ $rc -eq 0 ] && [ "$out" = sealed-rel ]'
run --sealed --cwd "$tmp/sealdir" -- ./missing
t "5. --sealed: the error says which path was tried (127)" \
  '[ $rc -eq 127 ] && one_line_error && [[ $err == *"tried $tmp/sealdir/./missing"* ]]'
if [ $is_root -eq 1 ]; then
    run --sealed --chroot "$tmp/sealdir" -- /s
    t "5. --sealed inside --chroot: the file in the new root" \
      '[ $rc -eq 126 ] || [ $rc -eq 127 ] || [ "$out" = sealed-rel ]'
fi

# 6. chroot and Landlock paths, documented.
run --help
t "6. --help: Landlock paths are host paths, PROGRAM and --cwd inside --chroot" \
  '[[ $out == *"Landlock paths are host paths"* ]] && tr -d "\\\\" < "$man" | grep -q "host paths"'

# 7. descriptor options: refused early, naming the option (in the bad input list too).
run --fd 99999999=1 -- "$TRUE"
t "7. --fd 99999999=1: above RLIMIT_NOFILE, one line naming --fd (125)" \
  '[ $rc -eq 125 ] && one_line_error && [[ $err == "spx-run: --fd 99999999=1: "*RLIMIT_NOFILE* ]]'
run --fd 3=3 -- "$TRUE" 3<&-
t "7. --fd 3=3 with 3 closed: one line naming --fd (125)" '[ $rc -eq 125 ] && one_line_error && [[ $err == "spx-run: --fd 3=3: "* ]]'
run --exec-fd 9 -- true 9<&-
t "7. --exec-fd of a closed descriptor: one line naming --exec-fd (125)" '[ $rc -eq 125 ] && one_line_error && [[ $err == "spx-run: --exec-fd 9: "* ]]'

# 8. signal options.
sigbit() { printf '%d' $(( (0x$1 >> ($2 - 1)) & 1 )); }
run --explain --sigmask USR1,SIGUSR2 -- "$CAT" /proc/self/status
t "8. --sigmask USR1,SIGUSR2: exactly these blocked (and --explain says so)" \
  '[ $rc -eq 0 ] && [ "$(field SigBlk)" = "$(printf %016x $(( (1 << 9) | (1 << 11) )))" ] && [[ $err == *"blocked at exec: 10 12 (--sigmask)"* ]]'
out=$(trap '' PIPE USR1; "$R" -- "$CAT" /proc/self/status); rc=$?
t "8. SIGPIPE ignored by spx-run's parent: the program gets it at its default" '[ "$(sigbit "$(field SigIgn)" 13)" = 0 ] && [ "$(sigbit "$(field SigIgn)" 10)" = 1 ]'
out=$(trap '' PIPE; "$R" --keep-sigpipe -- "$CAT" /proc/self/status); rc=$?
t "8. --keep-sigpipe keeps it ignored" '[ "$(sigbit "$(field SigIgn)" 13)" = 1 ]'
out=$(trap '' USR1; "$R" --sigdefault usr1 -- "$CAT" /proc/self/status); rc=$?
t "8. --sigdefault USR1 resets an ignored signal" '[ "$(sigbit "$(field SigIgn)" 10)" = 0 ]'

# 9. --system-ro: a usable sandbox; the README's git one-liner.
if [ "$ll_abi" -ge 1 ] && command -v git >/dev/null; then
    run --explain --system-ro -- "$TRUE"
    t "9. --explain lists what --system-ro allows" \
      '[ $rc -eq 0 ] && [[ $err == *"system-ro: rox /usr"* ]] && [[ $err == *"/etc/ld.so.cache"* ]] && [[ $err == *"rw /dev/null"* ]]'
    mkdir -p "$tmp/repo" "$tmp/home"
    ( cd "$tmp/repo" && git init -q && echo a > a )
    out=$(cd "$tmp/repo" && HOME=$tmp/home "$R" --system-ro --rw "$PWD" -- git status --short 2>&1); rc=$?
    t "9. spx-run --system-ro --rw \"\$PWD\" -- git status (a temporary repository)" '[ $rc -eq 0 ] && [ "$out" = "?? a" ]'
    out=$(cd "$tmp/repo" && HOME=$tmp/home "$R" --system-ro --rw "$PWD" -- sh -c \
          'git add a && git -c user.name=t -c user.email=t@example.org commit -qm first && git log --format=%s' 2>&1); rc=$?
    t "9. git add and commit under --system-ro --rw \"\$PWD\"" '[ $rc -eq 0 ] && [ "$out" = first ]'
    out=$(cd "$tmp/repo" && "$R" --system-ro --rw "$PWD" -- sh -c 'echo x > /tmp/spx-run-system-ro-test' 2>&1); rc=$?
    t "9. --system-ro: writing outside --rw is refused" '[ $rc -ne 0 ] && [ ! -e /tmp/spx-run-system-ro-test ]'
fi

# 11. the README's first program compiles and runs against the build tree.
readme=$(dirname "$0")/../../README.md
bdir=$(cd "$(dirname "$R")/../.." && pwd)
if command -v cc >/dev/null && command -v pkg-config >/dev/null && [ -f "$readme" ] && [ -f "$bdir/pkgconfig/spx-uninstalled.pc" ]; then
    awk '/^```c$/ { on = 1; next } /^```$/ { if (on) exit } on' "$readme" > "$tmp/first.c"
    # as the README shows it: PKG_CONFIG_PATH=build/pkgconfig, LD_LIBRARY_PATH=build/lib
    # (a sanitized build tree's library needs the program sanitized too)
    san=$(python3 -c 'import json, sys; print(next((o["value"] for o in json.load(open(sys.argv[1])) if o["name"] == "b_sanitize"), "none"))' \
          "$bdir/meson-info/intro-buildoptions.json" 2>/dev/null)
    sanflag=(); [ -n "$san" ] && [ "$san" != none ] && sanflag=(-fsanitize="$san")
    if cc "${sanflag[@]}" "$tmp/first.c" $(PKG_CONFIG_PATH=$bdir/pkgconfig pkg-config --cflags --libs spx) \
         -o "$tmp/first" 2>"$tmp/.cc"; then
        out=$(LD_LIBRARY_PATH=$bdir/lib "$tmp/first" 2>&1); rc=$?
        if [ $is_root -eq 1 ]; then
            t "11. README's first program builds against the build tree and runs" '[ $rc -eq 0 ] && [[ $out == *CapAmb:*0000000000000400* ]]'
        else
            t "11. README's first program: its error names the stage once" '[ $rc -ne 0 ] && [ "$(grep -o "setuid\|setgroups" <<<"$out" | wc -l)" -le 1 ]'
        fi
    else
        rc=1 err=$(cat "$tmp/.cc"); t "11. README's first program compiles" false
    fi
    t "11. README: the example prints the stage once" '! grep -q "spawn failed in stage %s: %s" "$readme"'
else
    skip "11. README's first program" "no cc or no uninstalled pkg-config file"
fi

# 12. the Go binding: CGO_ENABLED=0 fails with one clear message.
gdir=$(dirname "$0")/../../bindings/go
if command -v go >/dev/null && [ -d "$gdir" ]; then
    out=$(cd "$gdir" && GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 GOCACHE=$tmp/gocache HOME=$tmp/home go build ./ 2>&1); rc=$?
    t "12. Go: CGO_ENABLED=0 builds fail with one message naming cgo" \
      '[ $rc -ne 0 ] && [[ $out == *spx_dev_spx_needs_cgo__set_CGO_ENABLED_1_and_PKG_CONFIG_PATH* ]] && [ "$(grep -c undefined <<<"$out")" = 1 ]'
else
    skip "12. Go: CGO_ENABLED=0" "no go"
fi

# make demo: the printed commands, run verbatim, give the same exit status.
demo=$(dirname "$0")/../../examples/demo-cli.sh
if [ -f "$demo" ]; then
    mkdir -p "$tmp/demo"
    SPX_DEMO_TMP=$tmp/demo sh "$demo" "$R" > "$tmp/demo.log" 2>&1
    ndemo=0 mismatch=""
    while IFS= read -r line; do
        case $line in
        '  $ '*) cmd=${line#'  $ '} ;;
        '  (exit status '*)
            want=${line#'  (exit status '}; want=${want%)}
            PATH="$tmp/demo/bin:$PATH" sh -c "$cmd" >/dev/null 2>&1; got=$?
            ndemo=$((ndemo + 1))
            [ "$got" = "$want" ] || mismatch+=" [$cmd: $got, demo $want]"
            ;;
        esac
    done < "$tmp/demo.log"
    rc=0 out=$(cat "$tmp/demo.log") err=$mismatch
    t "make demo: the $ndemo printed commands, copied and run, exit as shown" '[ $ndemo -ge 5 ] && [ -z "$mismatch" ]'
    t "make demo: the printed commands use bare names (PATH search)" '! grep -q "^  \$ .* -- /" "$tmp/demo.log"'
fi

# ------------------------------------------------ bad input: 125, nothing run
bad() {
    local name=$1; shift
    local marker=$tmp/marker.$num
    rm -f "$marker"
    run "$@" -- "$SH" -c "touch '$marker'"
    if [ $rc -eq 125 ] && one_line_error && [ ! -e "$marker" ]; then
        ok "bad input: $name"
    else
        notok "bad input: $name" "exit status: $rc (want 125)" "stderr: ${err:0:1600}" \
              "marker created: $([ -e "$marker" ] && echo yes || echo no)"
    fi
}
bad "unknown option" --no-such-option
bad "option without its argument at the end" --uid
bad "unknown capability" --ambient cap_no_such_thing
bad "capability number unknown to the kernel" --bounding 63
bad "unknown user" --uid spx-no-such-user
bad "uid out of range" --uid 4294967295
bad "numeric uid without --gid" --uid 65534
run --uid 65534 -- "$TRUE"
t "numeric uid without --gid: the one-line error says to add --gid" \
  '[ $rc -eq 125 ] && one_line_error && [[ $err == "spx-run: --uid 65534: "*"needs --gid"* ]]'
bad "'keep' inside a --groups list" --groups 1,keep
bad "unknown group" --gid spx-no-such-group
bad "unknown group in --groups" --groups 0,spx-no-such-group
bad "ambient capability not in --bounding" --ambient sys_time --bounding none
bad "missing --ro path (best effort)" --ro "$tmp/no-such-path"
bad "missing --rox path (strict)" --strict --rox "$tmp/no-such-path"
bad "port out of range" --bind-tcp 65536
bad "negative port" --connect-tcp -1
bad "port that is not a number" --bind-tcp http
bad "unknown scope" --scope everything
bad "UDP port out of range" --bind-udp 65536
bad "UDP port that is not a number" --connect-udp dns
bad "empty --unix path" --unix ""
bad "missing --unix path" --unix "$tmp/no-such-socket-dir"
bad "--log-denials without a Landlock option" --log-denials
# A Landlock path under /proc/self names spx-run's own process.
for p in /proc/self /proc/self/fd /proc/thread-self "/proc/$$/../self/"; do
    bad "Landlock path $p (spx-run's own process)" --ro "$p"
done
run --ro /proc/self/status -- "$TRUE"
t "landlock: the /proc/self refusal suggests /proc" '[ $rc -eq 125 ] && one_line_error && [[ $err == *"use --ro /proc"* ]]'
bad "--fd with a parent descriptor that is not open" --fd 3=97
bad "--fd malformed" --fd 3
bad "--exec-fd not open" --exec-fd 97
bad "--exec-fd with --sealed" --exec-fd 0 --sealed
bad "--fd above the program's RLIMIT_NOFILE" --fd 99999999=1
bad "--sigmask unknown signal" --sigmask USR1,NOPE
bad "--sigdefault KILL" --sigdefault KILL
bad "--sigdefault empty item" --sigdefault ,
bad "unknown syscall name" --deny-syscalls mkdir,spx_no_such_syscall
bad "--deny-syscalls with --allow-syscalls" --deny-syscalls mkdir --allow-syscalls read
bad "unknown seccomp action" --deny-syscalls mkdir --seccomp-action maybe
bad "unknown errno name" --deny-syscalls mkdir --seccomp-action errno:ENOTANERRNO
bad "--seccomp-action alone" --seccomp-action kill
bad "--seccomp-action errno:0 (a denied call would look like success)" --deny-syscalls mkdir --seccomp-action errno:0
bad "--syscall errno 0" --syscall mkdir:errno:0
bad "--syscall without an action" --syscall mkdir
bad "--syscall unknown action" --syscall mkdir:deny
bad "--syscall unknown system call" --syscall spx_no_such_syscall:kill
bad "--syscall bad condition" --syscall socket:kill:0=2
bad "--syscall argument 6" --syscall socket:kill:6==2
bad "--syscall two conditions on one argument" --syscall socket:kill:0==2:0==10
bad "--syscall seven conditions" --syscall socket:kill:0==1:1==1:2==1:3==1:4==1:5==1:0==2
bad "--syscall value beyond 64 bits" --syscall socket:kill:0==18446744073709551616
bad "--syscall conditional after an unconditional rule" --syscall socket:allow --syscall socket:kill:0==2
bad "--seccomp-profile missing file" --seccomp-profile "$tmp/no-such-profile.json"
: >"$tmp/empty.json"
bad "--seccomp-profile empty file" --seccomp-profile "$tmp/empty.json"
bad "--seccomp-profile a device" --seccomp-profile /dev/zero
bad "--seccomp-profile a directory" --seccomp-profile "$tmp"
bad "--seccomp-profile with --deny-syscalls" --seccomp-profile "$(dirname "$0")/../seccomp/denylist.json" --deny-syscalls mkdir
bad "--seccomp-profile twice" --seccomp-profile "$tmp/empty.json" --seccomp-profile "$tmp/empty.json"
bad "--seccomp-log without a filter" --seccomp-log
bad "--timeout not a number" --timeout soon
bad "--timeout negative" --timeout -1
bad "--env without =" --env NOVALUE
bad "--chroot to a missing directory" --chroot "$tmp/no-such-root"
bad "empty item in a list" --ambient sys_time,,chown
bad "--rlimit unknown resource" --rlimit nofiles=10
bad "--rlimit without =" --rlimit nofile
bad "--rlimit soft above hard" --rlimit nofile=200:100
bad "--rlimit not a number" --rlimit nofile=lots
bad "--rlimit negative" --rlimit nofile=-1
bad "--rlimit empty value" --rlimit nofile=:
bad "--rlimit :HARD below spx-run's soft limit" --rlimit nofile=:1
bad "--pgroup not a number" --pgroup leader
bad "--pgroup of no process group" --pgroup 2147483647
bad "--pgroup PGID with --setsid" --setsid --pgroup "$(awk '{ sub(/^[0-9]* \([^)]*\) /, ""); print $3 }' /proc/$$/stat)"
bad "--ctty without --setsid" --ctty 0
bad "--ctty not a number" --setsid --ctty tty
bad "--ctty closed in the program" --setsid --ctty 7
bad "--cgroup missing" --cgroup "$tmp/no-such-cgroup"
bad "--cgroup not cgroup v2" --cgroup "$tmp"
bad "--cgroup a file" --cgroup /proc/self/status
bad "--umask not octal" --umask 089
bad "--umask above 0777" --umask 1000
bad "--umask empty" --umask ""
bad "--securebits unknown" --securebits noroot,everything
bad "--securebits keep-caps (spx's own)" --securebits keep-caps
bad "--securebits empty item" --securebits noroot,,noroot-locked
run --ctty 0 -- "$TRUE"
t "--ctty without --setsid: the one-line error says it needs --setsid" '[ $rc -eq 125 ] && one_line_error && [[ $err == *"needs --setsid"* ]]'
run --setsid --ctty 0 -- "$TRUE" </dev/null
t "bad input: --ctty on a descriptor that is not a terminal (125)" '[ $rc -eq 125 ] && one_line_error && [[ $err == *"not a terminal"* ]]'
run --foreground -- "$TRUE" </dev/null
t "bad input: --foreground without a terminal (125)" '[ $rc -eq 125 ] && one_line_error && [[ $err == *"not a terminal"* ]]'
run --setsid --foreground -- "$TRUE"
t "bad input: --setsid --foreground without --ctty (125)" '[ $rc -eq 125 ] && one_line_error && [[ $err == *"needs --ctty"* ]]'
run --cgroup "$tmp" -- "$TRUE"
t "--cgroup not cgroup v2: the error says where cgroup v2 is" \
  '[ $rc -eq 125 ] && one_line_error && [[ $err == "spx-run: --cgroup $tmp: not a cgroup v2 directory"* ]]'
run
t "bad input: no PROGRAM" '[ $rc -eq 125 ] && one_line_error'

echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
