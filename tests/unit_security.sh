#!/bin/sh
# unit_security.sh - fails (exit 1) when the systemd unit loses its
# hardening: `systemd-analyze security --offline=true` must score it at
# most MAX (default 2.0, "OK" or better; deploy/README.md has the figure).
# A copy with the sandbox lines stripped must score worse than MAX, so the
# check itself is shown to bite. `make check` runs it (check-unitfile).
#
# Usage: sh tests/unit_security.sh [UNIT] [MAX]
# Skips (exit 0, says why) only when systemd-analyze is absent or too old
# for --offline (systemd < 250); `make deps` installs it (package systemd).

unit=${1:-$(dirname "$0")/../deploy/kawan-gateway.service}
max=${2:-2.0}

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "unit_security: SKIPPED: systemd-analyze is not installed (make deps installs systemd)"
	exit 0
fi
if ! systemd-analyze security --help 2>&1 | grep -q -- '--offline'; then
	echo "unit_security: SKIPPED: systemd-analyze $(systemd-analyze --version | head -1) has no --offline"
	exit 0
fi
if [ ! -f "$unit" ]; then
	echo "unit_security: $unit: no such file"
	exit 1
fi

# The score of unit file $1 ("1.3"), from the "Overall exposure level" line.
score() {
	tmp=$(mktemp -d /tmp/kawan-unit-XXXXXX) || return 1
	cp "$1" "$tmp/kawan-gateway.service"
	out=$(cd "$tmp" && systemd-analyze security --offline=true --no-pager \
		kawan-gateway.service 2>&1)
	rm -rf "$tmp"
	printf '%s\n' "$out" | sed -n 's/^.*Overall exposure level for [^:]*: \([0-9.]*\) \([A-Z]*\).*$/\1 \2/p'
}

# 1 when $1 > $2 (decimal numbers).
above() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'
}

got=$(score "$unit")
set -- $got
if [ -z "${1:-}" ]; then
	echo "unit_security: no exposure score for $unit (systemd-analyze failed?)"
	exit 1
fi
echo "unit_security: $unit: exposure $1 $2 (at most $max)"
case $2 in
PERFECT | SAFE | OK) ;;
*)
	echo "unit_security: FAILED: $unit is rated $2, not OK or better"
	exit 1
	;;
esac
if above "$1" "$max"; then
	echo "unit_security: FAILED: exposure $1 is above $max: the unit lost hardening"
	exit 1
fi
# The same unit without its sandbox (only [Unit], Exec*, Restart*, User,
# Group kept) must fail the threshold, or the check proves nothing.
bare=$(mktemp /tmp/kawan-unit-bare-XXXXXX) || exit 1
grep -E '^(\[|Description|After|Type|Exec|Restart|User|Group|WantedBy)' "$unit" >"$bare"
got=$(score "$bare")
rm -f "$bare"
set -- $got
if [ -z "${1:-}" ] || ! above "$1" "$max"; then
	echo "unit_security: FAILED: the unsandboxed copy scores ${1:-nothing} <= $max: the check cannot fail"
	exit 1
fi
echo "unit_security: unsandboxed copy: exposure $1 $2 (fails the check, as it must)"
