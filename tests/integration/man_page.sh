#!/bin/bash
# The man page kvmtop-subagent(8): groff renders it without a warning, every
# option that --help lists is in it, and every option its OPTIONS section
# describes is one that --help lists (no stale documentation).
. "$(dirname "$0")/../lib/agent.sh" || exit 1
MAN=$KT_SRCDIR/man/kvmtop-subagent.8
command -v groff >/dev/null || kt_bail "groff not found (Debian package groff-base)"
[ -x "$KT_SUBAGENT" ] || kt_bail "$KT_SUBAGENT not built"
KT_TMP=$(mktemp -d /tmp/kvmtop-test.XXXXXX) || kt_bail "mktemp"
trap 'rm -rf "$KT_TMP"' EXIT

out=$(groff -man -ww -z "$MAN" 2>&1)
kt_is "$out" "" "groff -man -ww -z renders the page without a warning"

# The page as a reader sees it, one long line a paragraph (no hyphenation
# splitting an option's name), ASCII hyphens.
groff -man -Tascii -rLL=2000n -P-c -P-b -P-u "$MAN" 2>/dev/null > "$KT_TMP/page.txt"
kt_ok $(grep -q 'kvmtop-subagent' "$KT_TMP/page.txt"; echo $?) "the page renders as text"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS FILES SIGNALS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	kt_ok $(grep -q "^$s\$" "$KT_TMP/page.txt"; echo $?) "the page has a $s section"
done

# Options: "-x" and "--long-name" tokens at the start of a word.
options() { grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | sed 's/^[ ,]//' | sort -u; }
"$KT_SUBAGENT" --help | options > "$KT_TMP/help.opts"
kt_ok $(($(wc -l < "$KT_TMP/help.opts") < 20)) "--help lists $(wc -l < "$KT_TMP/help.opts") options"
options < "$KT_TMP/page.txt" > "$KT_TMP/page.opts"
while read -r o; do
	grep -qxF -- "$o" "$KT_TMP/page.opts"
	kt_ok $? "--help's $o is in the man page"
done < "$KT_TMP/help.opts"
sed -n '/^OPTIONS$/,/^FILES$/p' "$KT_TMP/page.txt" | options > "$KT_TMP/section.opts"
while read -r o; do
	grep -qxF -- "$o" "$KT_TMP/help.opts"
	kt_ok $? "the man page's OPTIONS entry $o is in --help"
done < "$KT_TMP/section.opts"
kt_done
