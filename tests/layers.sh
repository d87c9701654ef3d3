#!/bin/sh
# layers.sh - fails (exit 1) when a file under gateway/ includes a header of
# a higher layer; `make check` runs it (target check-layers).
#
# Usage: sh tests/layers.sh [GATEWAY_DIR]     (default: gateway/ beside tests/)
#
# Layers, lowest first (../shared/DESIGN.md): core < config, store, content,
# render < session (engine) < reports < router < channel < daemon. A file may
# include headers of its own folder and of the folders its row below names,
# nothing else. The table is a DAG and stricter than the linear order where
# the design asks for it:
#   - the four folders of the second layer do not include one another;
#   - session/ (the pure engine, no I/O) does not include store/;
#   - modem/ is hardware behind a vtable: only core/ and config/;
#   - check/ (the content checker) renders through the engine, so it sits
#     just above session/;
#   - inbound/ and outbound/ are the SMS channel's stages (SIM -> store,
#     store -> modem): they know the store, the modem and the channel kinds
#     (session/engine.h), and channel/ drives them.
# "x.h" without a folder is the including file's own folder. A folder missing
# from the table is an error: place a new folder here before using it.
#
#   folder     may include (besides itself)
LAYERS='
core       -
config     core
store      core
content    core
render     core
modem      core config
session    core config content render
check      core config content render session
reports    core config store content render session
router     core config store content render session reports
inbound    core config store session modem
outbound   core config store session modem
channel    core config store content render session reports router modem inbound outbound
daemon     *
.          *
'
# "." is gateway/ itself (main.c). "*" allows every folder.
#
# Known upward includes, tolerated (printed, not failed) until the change
# that removes them lands. Remove a line once its include is gone.
#   file                include
KNOWN='
'

dir=${1:-$(dirname "$0")/../gateway}
if [ ! -d "$dir" ]; then
	echo "layers.sh: $dir: no such folder" >&2
	exit 2
fi
cd "$dir" || exit 2

# Every quoted include, as "file<TAB>line<TAB>header", files in a stable order.
find . -name '*.[ch]' | sed 's|^\./||' | LC_ALL=C sort |
while IFS= read -r f; do
	awk -v f="$f" '
	/^[ \t]*#[ \t]*include[ \t]*"/ {
		h = $0
		sub(/^[^"]*"/, "", h)
		sub(/".*$/, "", h)
		printf "%s\t%d\t%s\n", f, FNR, h
	}' "$f"
done |
awk -F '\t' -v layers="$LAYERS" -v known="$KNOWN" '
function folder(path,   i) {
	i = index(path, "/")
	return i == 0 ? "." : substr(path, 1, i - 1)
}
BEGIN {
	n = split(layers, rows, "\n")
	for (i = 1; i <= n; i++) {
		if (split(rows[i], w, " ") < 2)
			continue
		intable[w[1]] = 1
		for (j = 2; j in w; j++)
			allow[w[1], w[j]] = 1
		delete w
	}
	n = split(known, rows, "\n")
	for (i = 1; i <= n; i++)
		if (split(rows[i], w, " ") == 2)
			tolerated[w[1], w[2]] = 1
	bad = 0
	nseen = 0
}
{
	file = $1; line = $2; hdr = $3
	from = folder(file)
	# "x.h" is the including file'"'"'s own folder.
	to = index(hdr, "/") == 0 ? from : folder(hdr)
	if (!(from in intable)) {
		printf "%s:%d: folder %s/ is not in the layer table of tests/layers.sh\n", file, line, from
		bad++
		next
	}
	if (to == from || allow[from, "*"] || allow[from, to])
		next
	if (!(to in intable))
		why = "folder " to "/ is not in the layer table"
	else
		why = from "/ may not include " to "/ (a higher layer or a sibling)"
	if ((file, hdr) in tolerated) {
		printf "%s:%d: #include \"%s\": known upward include, tolerated until it is fixed (%s)\n", file, line, hdr, why
		seen[file, hdr] = 1
		nseen++
		next
	}
	printf "%s:%d: #include \"%s\": %s\n", file, line, hdr, why
	bad++
}
END {
	for (k in tolerated)
		if (!(k in seen)) {
			split(k, p, SUBSEP)
			printf "note: %s no longer includes %s: remove it from KNOWN in tests/layers.sh\n", p[1], p[2]
		}
	if (bad > 0) {
		printf "layers: %d upward include(s); the table is at the top of tests/layers.sh\n", bad
		exit 1
	}
	if (nseen > 0)
		printf "layers: no upward includes but %d known one(s), listed above (KNOWN in tests/layers.sh)\n", nseen
	else
		print "layers: no upward includes"
}'
