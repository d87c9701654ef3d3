#!/bin/sh
# review-order.sh - writes the review order of `kawanctl content review`
# ("#. review order: N (tier)") into every catalog's entries, in place,
# without msgmerge (which would rewrap the catalogs and drop the hand-written
# comments). Run from the repository root after `make`, whenever menus/
# changes the order: sh translations/review-order.sh
set -eu
pot=$(mktemp)
trap 'rm -f "$pot"' EXIT
./build/kawanctl content pot --menus menus --translations translations >"$pot"
for po in translations/*.po; do
	awk -v pot="$pot" -f translations/review-order.awk "$po" >"$po.tmp"
	mv "$po.tmp" "$po"
done
