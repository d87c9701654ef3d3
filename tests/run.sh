#!/bin/sh
# run.sh - runs each cmocka test binary given, then prints one closing line
# "N passed, N failed" counted from cmocka's own summaries (a binary that
# exits non-zero before cmocka counts a failure is one failure).
#
# Binaries in an e2e/ folder run KAWAN_JOBS at a time (default 4; they mostly
# wait on libgammu, so they overlap well on 2 cores); each one's output goes
# to a file and is printed whole when it ends, in the order they end. The
# others (unit tests) run first, one after another, as given.
#
# KAWAN_SAN_DIR=<folder> (set by the sanitizer targets): every process a
# binary starts writes its sanitizer reports (log_path, appended to
# ASAN_/UBSAN_/LSAN_/TSAN_OPTIONS) under <folder>/<dir>-<name>/; they are
# printed after the binary's output and a report fails the binary, even one
# from a gateway the test killed afterwards without looking at its log.

jobs=${KAWAN_JOBS:-4}
case $jobs in
'' | *[!0-9]* | 0)
	echo "run.sh: KAWAN_JOBS must be a positive number, not '$jobs'" >&2
	exit 2
	;;
esac

tmp=$(mktemp -d /tmp/kawan-run-XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
# Stops the end-to-end binaries still running (they kill their own children).
trap 'for f in "$tmp"/*.pid; do [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null; done; exit 130' INT
trap 'for f in "$tmp"/*.pid; do [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null; done; exit 143' TERM

pass=0
fail=0
broken=""

# The sanitizer report folder of binary $1: <dir>-<name> (unit/ and e2e/
# both have a test_reports).
san_dir() {
	printf '%s/%s-%s' "$KAWAN_SAN_DIR" "$(basename "$(dirname "$1")")" "$(basename "$1")"
}

# Runs binary $2 as job $1: output in $tmp/$1.out, "status seconds" in $tmp/$1.rc.
run_one() {
	start=$(date +%s)
	if [ -n "$KAWAN_SAN_DIR" ]; then
		d=$(san_dir "$2")
		if ! { rm -rf "$d" && mkdir -p "$d"; }; then
			echo "run.sh: cannot make $d" >"$tmp/$1.out"
			echo "2 0" >"$tmp/$1.rc"
			return
		fi
		lp="log_path=$d/report"
		ASAN_OPTIONS="$ASAN_OPTIONS:$lp" UBSAN_OPTIONS="$UBSAN_OPTIONS:$lp" \
		LSAN_OPTIONS="$LSAN_OPTIONS:$lp" TSAN_OPTIONS="$TSAN_OPTIONS:$lp" \
		"$2" >"$tmp/$1.out" 2>&1 3>&- &
	else
		"$2" >"$tmp/$1.out" 2>&1 3>&- &
	fi
	echo $! >"$tmp/$1.pid"
	# (the shell's own "Segmentation fault" note goes with the output)
	wait $! 2>>"$tmp/$1.out"
	rc=$?
	# (quiet: after an interrupt $tmp may be gone)
	{ rm -f "$tmp/$1.pid" && echo "$rc $(($(date +%s) - start))" >"$tmp/$1.rc"; } 2>/dev/null
}

# Prints job $1 (binary $2) whole and adds its counts.
report() {
	read -r rc secs <"$tmp/$2.rc"
	case $1 in
	e2e/* | */e2e/*) echo "=== $(basename "$1") (${secs} s)" ;;
	*) echo "=== $(basename "$1")" ;;
	esac
	cat "$tmp/$2.out"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$tmp/$2.out" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$tmp/$2.out" | awk '{s+=$1} END {print s+0}')
	san=0
	if [ -n "$KAWAN_SAN_DIR" ]; then
		for r in "$(san_dir "$1")"/report.*; do
			# (a file with suppression statistics only is no report)
			grep -q 'Sanitizer\|runtime error' "$r" 2>/dev/null || continue
			echo "--- sanitizer report ($r):"
			cat "$r"
			san=1
		done
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if { [ "$rc" -ne 0 ] || [ "$san" -ne 0 ]; } && [ "$f" -eq 0 ]; then
		# Crashed, exited before cmocka could count, or a sanitizer
		# report from a process it started: one failure.
		fail=$((fail + 1))
		if [ "$san" -ne 0 ]; then
			broken="$broken $(basename "$1")(sanitizer)"
		else
			broken="$broken $(basename "$1")"
		fi
	fi
}

n=0
for t in "$@"; do
	case $t in
	e2e/* | */e2e/*) continue ;;
	esac
	n=$((n + 1))
	run_one "$n" "$t"
	report "$t" "$n"
done

# End-to-end binaries: each finished job writes its number to the fifo.
mkfifo "$tmp/done" || exit 2
exec 3<>"$tmp/done"
running=0
for t in "$@"; do
	case $t in
	e2e/* | */e2e/*) ;;
	*) continue ;;
	esac
	if [ "$running" -ge "$jobs" ]; then
		read -r k <&3 || exit 2
		report "$(cat "$tmp/$k.path")" "$k"
		running=$((running - 1))
	fi
	n=$((n + 1))
	printf '%s\n' "$t" >"$tmp/$n.path"
	(
		run_one "$n" "$t"
		echo "$n" >&3
	) &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	read -r k <&3 || exit 2
	report "$(cat "$tmp/$k.path")" "$k"
	running=$((running - 1))
done
exec 3>&-

[ -n "$broken" ] && echo "exited abnormally:$broken"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
