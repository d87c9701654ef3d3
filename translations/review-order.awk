# review-order.awk - see review-order.sh. Entries are paragraphs; the key
# of an entry is its msgctxt and msgid (continuation lines joined).
function key(entry,    n, i, lines, k, field, line, ctxt, id) {
	n = split(entry, lines, "\n")
	field = ""
	ctxt = ""
	id = ""
	for (i = 1; i <= n; i++) {
		line = lines[i]
		if (line ~ /^msgctxt /) { field = "c"; sub(/^msgctxt /, "", line) }
		else if (line ~ /^msgid /) { field = "i"; sub(/^msgid /, "", line) }
		else if (line ~ /^msgstr/ || line ~ /^#/) { field = ""; continue }
		else if (line !~ /^"/) { field = ""; continue }
		sub(/^"/, "", line)
		sub(/"$/, "", line)
		if (field == "c") ctxt = ctxt line
		else if (field == "i") id = id line
	}
	return ctxt "\034" id
}
BEGIN {
	RS = ""
	while ((getline e < pot) > 0) {
		if (match(e, /#\. review order: [^\n]*/))
			order[key(e)] = substr(e, RSTART, RLENGTH)
	}
	close(pot)
	first = 1
}
{
	n = split($0, lines, "\n")
	k = key($0)
	out = ""
	last = 0
	m = 0
	for (i = 1; i <= n; i++) {
		if (lines[i] ~ /^#\. review order: /)
			continue
		kept[++m] = lines[i]
		if (lines[i] ~ /^#\./)
			last = m
	}
	for (i = 1; i <= m; i++) {
		out = out (i > 1 ? "\n" : "") kept[i]
		if (i == last && (k in order) && $0 !~ /^#~/)
			out = out "\n" order[k]
	}
	if (last == 0 && (k in order))
		out = order[k] "\n" out
	printf "%s%s", (first ? "" : "\n\n"), out
	first = 0
}
END { printf "\n" }
