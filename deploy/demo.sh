#!/bin/sh
# demo.sh - the built-in demo: the simulated modem, the gateway on it (SMS
# through the modem, USSD over HTTP on 127.0.0.1:8123), and a phone in this
# terminal that does both. Usage: deploy/demo.sh BUILD_DIR (make demo does it).
set -eu
bin=${1:?usage: demo.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
dir=/tmp/kawan-demo
rm -rf "$dir"
mkdir -p "$dir"

cleanup() {
	[ -n "${gw:-}" ] && kill "$gw" 2>/dev/null || true
	[ -n "${sim:-}" ] && kill "$sim" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$bin/kawan-modemsim" --link "$dir/modem" --control "$dir/ctl" --pin 1234 \
	--log "$dir/modemsim.log" >"$dir/modemsim.out" 2>&1 &
sim=$!
i=0
until grep -q '^READY' "$dir/modemsim.out" 2>/dev/null; do
	i=$((i + 1))
	if [ "$i" -gt 100 ]; then
		echo "demo: the simulated modem did not start; see $dir/modemsim.out" >&2
		exit 1
	fi
	sleep 0.1
done

# No PIN ships in demo.cfg: a random 6-digit one for this run, hashed by
# kawanctl (which refuses guessable ones: then another is drawn).
pin=
i=0
while [ -z "$pin" ]; do
	i=$((i + 1))
	if [ "$i" -gt 20 ]; then
		echo "demo: cannot make an officer PIN with $bin/kawanctl pin-hash" >&2
		exit 1
	fi
	try=$(od -An -N4 -tu4 /dev/urandom | tr -dc 0-9 | cut -c1-6)
	[ "${#try}" -eq 6 ] || continue
	if hash=$(printf '%s\n' "$try" | "$bin/kawanctl" pin-hash 2>/dev/null); then
		pin=$try
	fi
done
sed -e "s|@DEMO_PIN_HASH@|$hash|" \
	-e "s|\"\.\./menus\"|\"$here/../menus\"|" \
	-e "s|\"\.\./translations\"|\"$here/../translations\"|" \
	"$here/demo.cfg" >"$dir/kawan.cfg"
# The gateway refuses a configuration with PIN hashes others can read, and
# refuses root without a user to drop to: the copy is private, and user
# "nobody" is added when the demo runs as root.
cfg="$dir/kawan.cfg"
chmod 600 "$cfg"
if [ "$(id -u)" -eq 0 ]; then
	echo 'user = "nobody";' >>"$cfg"
	chown nobody "$dir"
	chgrp "$(id -gn nobody)" "$cfg" && chmod 640 "$cfg"
fi
"$bin/kawan-gateway" -c "$cfg" 2>"$dir/gateway.log" &
gw=$!

cat <<MSG
Kawan demo
  simulated modem: $dir/modem (control socket $dir/ctl)
  USSD link:       http://127.0.0.1:8123/ussd (the operator's side is this phone)
  gateway log:     $dir/gateway.log  (tail -f it in another terminal)
Type a message and press Enter to send it as a worker's SMS.
Type /ussd *123# to dial the USSD menu instead: answer each screen with a
number, an empty line closes it. /help for more.

Try a report and answer it as the helpline would:
  1. Send SOS (or HELP). The NGO desk is alerted at once; the flow asks
     whom to tell: 1 NGO helpline only, 2 embassy only, 3 both. Choose
     Myanmar as your home country to see the embassy's roster alerted too.
  2. /from +60100000099 to be the NGO desk (+60100000001: Myanmar's duty
     officer, +60100000009: its supervisor). The alert "KAWAN SOS <ref>"
     shows up; LIST $pin lists the open reports.
  3. Send ACK <ref> $pin, then CLOSE <ref> $pin <outcome>, e.g.
     CLOSE K7Q2 $pin called back, safe now. Every officer's PIN in this
     run is $pin (drawn at random; the SMS store keeps it masked).
  4. /from +60123456789 to be the worker again: STATUS <ref>.
  $bin/kawanctl reports show <ref> --db $dir/kawan.db shows it whole.
MSG
"$bin/kawan-phone" --control "$dir/ctl" --from +60123456789 \
	--ussd http://127.0.0.1:8123/ussd --code '*123#'
