#!/bin/sh
# run.sh - runs each cmocka test binary given, then prints one closing line
# "N passed, N failed" counted from cmocka's own summaries.
pass=0
fail=0
broken=""
for t in "$@"; do
	echo "=== $(basename "$t")"
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' | awk '{s+=$1} END {print s+0}')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' | awk '{s+=$1} END {print s+0}')
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# Crashed or exited before cmocka could count: one failure.
		fail=$((fail + 1))
		broken="$broken $(basename "$t")"
	fi
done
[ -n "$broken" ] && echo "exited abnormally:$broken"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
