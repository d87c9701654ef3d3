#!/bin/sh
# run.sh - runs each libFuzzer target of `make fuzz` / `make fuzz-long`,
# one after another (one core), and prints one line of figures per target
# and the closing line "N passed, N failed" (one per target).
#
# usage: fuzz/run.sh BUILD time SECONDS NAME...   (each for SECONDS)
#        fuzz/run.sh BUILD runs COUNT NAME...     (each for COUNT executions)
#
# Target NAME is BUILD/fuzz/fuzz-NAME; it starts from fuzz/corpus/NAME/
# (the seeds in the tree) and BUILD/corpus/NAME/ (what earlier runs
# found; new inputs go there, never into the tree). A crash, a leak, a
# timeout or a failed invariant fails the target; the input is saved as
# BUILD/crash/NAME/crash-* (or leak-*, timeout-*), its log as
# BUILD/crash/NAME/log. Reproduce with BUILD/fuzz/fuzz-NAME FILE; keep it
# as fuzz/regress/NAME/<what>.bin once fixed.
# FUZZ_FLAGS adds libFuzzer flags (e.g. -jobs=1 -workers=1 -dict=...).
# FUZZ_CORPUS names the folder of the found corpora instead of BUILD/corpus
# (`make fuzz-long` shares build-fuzz/corpus with `make fuzz`).

build=$1
mode=$2
amount=$3
shift 3
case $mode in
time) limit="-max_total_time=$amount" ;;
runs) limit="-runs=$amount" ;;
*)
	echo "usage: fuzz/run.sh BUILD time|runs N NAME..." >&2
	exit 2
	;;
esac
KAWAN_SRCDIR=${KAWAN_SRCDIR:-$(pwd)}
export KAWAN_SRCDIR
# libgettextpo and libconfig keep a little memory (tests/lsan.supp).
LSAN_OPTIONS="suppressions=$KAWAN_SRCDIR/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS

pass=0
fail=0
for name in "$@"; do
	bin=$build/fuzz/fuzz-$name
	work=${FUZZ_CORPUS:-$build/corpus}/$name
	crash=$build/crash/$name
	mkdir -p "$work" "$crash" || exit 2
	# (what an earlier run left there was reported then)
	rm -f "$crash"/crash-* "$crash"/leak-* "$crash"/timeout-* "$crash"/oom-* "$crash"/slow-unit-*
	log=$crash/log
	# libconfig's scanner and libgettextpo lose memory on many broken
	# inputs (tests/lsan.supp): a leak check after each input would be
	# all theirs and 40 times slower. Their leaks in Kawan's code are
	# still caught by the replay under `make check-sanitize`.
	case $name in
	config | content) leaks=-detect_leaks=0 ;;
	*) leaks= ;;
	esac
	# The target's files (a store, a content tree) in a folder of their
	# own: libFuzzer ends with _Exit, so the target cannot clean up.
	tmp=$(mktemp -d /dev/shm/kawan-fuzz-run-XXXXXX 2>/dev/null || mktemp -d) || exit 2
	start=$(date +%s)
	# -timeout: one input taking 10 s is a hang; -rss_limit_mb: 2 GiB.
	# shellcheck disable=SC2086 # ($leaks and $FUZZ_FLAGS split on purpose)
	TMPDIR=$tmp "$bin" "$limit" $leaks -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crash/" $FUZZ_FLAGS "$work" "fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	rm -rf "$tmp"
	secs=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	files=$(find "$work" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "fuzz $name: ok, ${execs:-?} executions in $secs s (${rate:-?}/s), corpus $files files"
	else
		fail=$((fail + 1))
		echo "fuzz $name: FAILED (exit $rc) after ${execs:-?} executions in $secs s; log $log:"
		grep -A40 'ERROR: \|invariant failed\|==[0-9]*==\|runtime error' "$log" | head -n 60
		for f in "$crash"/*; do
			[ "$f" = "$log" ] || echo "  input: $f"
		done
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
