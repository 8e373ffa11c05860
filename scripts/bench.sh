#!/usr/bin/env bash
# bench.sh measures charter as users run it: whole-process wall time and peak
# resident memory of `charter check` and `charter build` on the synthetic
# workspaces at scale 1 and 10 (cmd/charter-gen) and on the public corpus
# assembled into one workspace (scripts/corpus-workspace.sh).
#
#   scripts/bench.sh                 # from anywhere inside the repository
#   BEFORE=main scripts/bench.sh     # also time the charter of a git ref, side by side
#   RUNS=9 scripts/bench.sh          # more timed runs per row (default 5)
#   SETTLE=0 scripts/bench.sh        # do not wait for the disk before the build rows
#
# Needs Go, the NIST 800-53 rev5 OpenControl standard ($CHARTER_NIST, or
# ../shared/corpus/standards/nist-800-53-rev5.yaml beside the repository) and,
# for the corpus row, ../shared/corpus (the row is skipped without it).
# Each row is one warm-up run, then RUNS timed runs; with BEFORE the two
# binaries alternate run by run, so both see the same machine. A row reports
# the median, minimum and maximum wall time and the largest peak RSS of the
# timed runs. The BEFORE binary is built from `git archive REF` (no worktree
# is added) and runs with its own defaults; if it has the decode cache of
# earlier versions, the cache lives in the temporary directory and is warm
# after the warm-up run. The build rows keep their sites until the script ends.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
# A fixed judging day: the same inputs give the same report on any day.
export SOURCE_DATE_EPOCH=1767225600

work=$(mktemp -d "${TMPDIR:-/tmp}/charter-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
if avail=$(df -Pk "$work" | awk 'NR == 2 { print $4 }') && [ "${avail:-0}" -lt 5000000 ]; then
	echo "warning: $((avail / 1024)) MB free under $work; the build rows keep about 4 GB of sites" >&2
fi

# measure runs a command and prints "<wall microseconds> <peak RSS KiB>",
# read from the child's rusage; it needs no root and no /usr/bin/time.
mkdir -p "$work/measure"
cat >"$work/measure/main.go" <<'EOF'
package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	var stderr bytes.Buffer // shown only when the run fails
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	// exit 1 is "findings" (the corpus has real problems), not a failure
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
		err = nil
	}
	if err != nil {
		os.Stderr.Write(stderr.Bytes())
		fmt.Fprintf(os.Stderr, "measure: %v: %v\n", os.Args[1:], err)
		os.Exit(1)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	fmt.Printf("%d %d\n", wall.Microseconds(), ru.Maxrss)
}
EOF
(cd "$work/measure" && GOFLAGS= go build -o "$work/bin/measure" main.go)

cd "$repo"
echo "building charter and charter-gen..." >&2
go build -o "$work/bin/charter" ./cmd/charter
go build -o "$work/bin/charter-gen" ./cmd/charter-gen
after=$work/bin/charter
before=
if [ -n "${BEFORE:-}" ]; then
	echo "building charter at $BEFORE..." >&2
	mkdir -p "$work/before-src"
	git -C "$repo" archive "$BEFORE" | tar -x -C "$work/before-src"
	(cd "$work/before-src" && go build -o "$work/bin/charter-before" ./cmd/charter)
	before=$work/bin/charter-before
	before_rev=$(git -C "$repo" rev-parse --short "$BEFORE")
	# an earlier charter's decode cache stays in the temporary directory
	export CHARTER_CACHE_DIR=$work/cache
fi
for scale in 1 10; do
	"$work/bin/charter-gen" -out "$work/ws$scale" -scale "$scale" >&2
done
workspaces=("1×:$work/ws1" "10×:$work/ws10")
corpus=${CHARTER_CORPUS:-$repo/../shared/corpus}
if [ -d "$corpus/standards" ]; then
	"$repo/scripts/corpus-workspace.sh" "$work/corpus" "$corpus"
	workspaces+=("corpus:$work/corpus")
else
	echo "no corpus at $corpus: the real-data rows are skipped" >&2
fi
# Let the kernel write the generated files back before anything is timed:
# 100 MB of dirty pages being flushed would be charged to the first rows.
sync
sleep 3
# Files deleted shortly before the script (a test run, an earlier
# benchmark) slow down creating files on ext4 without a journal, as on the
# VMs these targets are judged on: a new inode first skips every free inode
# of its group freed in the last 60 seconds, or 360 while that part of the
# inode table has unwritten changes (docs/performance.md). Every run here
# starts after a sync, so no inode table block is dirty when a build starts
# and the 60-second window is the one that applies: the build rows start
# SETTLE seconds (default 61) after this sync.
synced=$SECONDS
settle=${SETTLE:-61}

results=$work/results
: >"$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# stats FILE prints "median min max" in ms of the microsecond samples in FILE.
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 / 1000 } END {
		med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.0f %.0f %.0f\n", med, v[1], v[NR] }'
}

# row NAME WS DIR TARGET_MS TARGET_MB -- ARGS...: runs "charter ARGS" with
# each binary; "{out}" in ARGS is replaced by a fresh output directory for
# each run. Prints the after median (for the 10× targets) on stdout.
row() {
	local name=$1 ws=$2 dir=$3 tms=$4 tmb=$5
	shift 6
	local bins=(after) i b
	[ -n "$before" ] && bins+=(before)
	for b in "${bins[@]}"; do : >"$work/samples-$b"; echo 0 >"$work/rss-$b"; done
	for i in $(seq 0 "$runs"); do
		for b in "${bins[@]}"; do
			local bin=$after out=$work/out/${name// /-}-${ws}-$b-$i args=() a line
			[ "$b" = before ] && bin=$before
			for a in "$@"; do args+=("${a//\{out\}/$out}"); done
			# Each run starts with nothing left to write back: a 10× site
			# is 195 MB, and the kernel flushing earlier sites while a run
			# is timed would be charged to it.
			sync
			line=$("$work/bin/measure" "$bin" "${args[@]}")
			if [ "$i" -eq 0 ]; then continue; fi # warm-up
			echo "${line% *}" >>"$work/samples-$b"
			if [ "${line#* }" -gt "$(cat "$work/rss-$b")" ]; then echo "${line#* }" >"$work/rss-$b"; fi
		done
	done
	local s_after rss_after cells
	s_after=$(stats "$work/samples-after")
	rss_after=$(cat "$work/rss-after")
	cells=$(echo "$s_after $rss_after" | awk '{ printf "%7d %6d %6d %7.1f", $1, $2, $3, $4 / 1024 }')
	if [ -n "$before" ]; then
		cells="$cells  $(echo "$(stats "$work/samples-before") $(cat "$work/rss-before")" | awk '{ printf "%7d %6d %6d %7.1f", $1, $2, $3, $4 / 1024 }')"
	fi
	echo "$s_after $rss_after" | awk -v name="$name" -v ws="$ws" -v tms="$tms" -v tmb="$tmb" -v cells="$cells" '{
		mb = $4 / 1024
		ok = (tms == "-" || $1 <= tms) && (tmb == "-" || mb <= tmb) ? "met" : "MISSED"
		target = (tms == "-" ? "" : tms " ms") (tmb == "-" ? "" : ", " tmb " MB")
		if (target == "") ok = ""
		printf "%-6s %-7s %s   %-16s %s\n", name, ws, cells, target, ok
	}' >>"$results"
	echo "${s_after%% *}"
}

# The targets of issue 10: check within 150 ms and 100 MB and build within
# 350 ms and 150 MB at 1× and on the corpus; 10× within ten times the 1×
# median plus 20%.
for cmd in check build; do
	if [ "$cmd" = build ] && [ $((SECONDS - synced)) -lt "$settle" ]; then
		echo "waiting $((settle - (SECONDS - synced))) s for the disk to settle (SETTLE=0 skips)..." >&2
		sleep $((settle - (SECONDS - synced)))
	fi
	one=
	for w in "${workspaces[@]}"; do
		ws=${w%%:*} dir=${w#*:}
		echo "timing charter $cmd on $ws..." >&2
		case $cmd:$ws in
		check:10×|build:10×) t=($((one * 12)) -) ;;
		check:*) t=(150 100) ;;
		build:*) t=(350 150) ;;
		esac
		if [ "$cmd" = check ]; then
			med=$(row check "$ws" "$dir" "${t[@]}" -- check -C "$dir")
		else
			# the corpus has errors (as published): render it anyway
			med=$(row build "$ws" "$dir" "${t[@]}" -- build -C "$dir" --allow-errors --out "{out}")
		fi
		[ "$ws" = "1×" ] && one=$med
	done
	# Outputs are deleted only when the script ends: deleting a site's
	# thousands of files would slow down the next rows, as above.
done

# The disk's part of a build: copying a built site with cp creates the same
# files with the same bytes and renders nothing, so its median is the floor
# under any build row of the same workspace on this machine.
for w in "${workspaces[@]}"; do
	ws=${w%%:*}
	site=$(ls -d "$work"/out/build-"$ws"-after-1 2>/dev/null) || continue
	echo "timing cp -r of the $ws site..." >&2
	: >"$work/samples-cp"
	for i in $(seq 0 "$runs"); do
		sync
		line=$("$work/bin/measure" cp -r "$site" "$work/out/cp-$ws-$i")
		[ "$i" -eq 0 ] || echo "${line% *}" >>"$work/samples-cp"
	done
	files=$(find "$site" -type f | wc -l)
	stats "$work/samples-cp" | awk -v ws="$ws" -v n="$files" '{ printf "%-6s %-7s %7d %6d %6d %7s   (cp -r of the built site: %d files, the disk floor)\n", "copy", ws, $1, $2, $3, "", n }' >>"$results"
done

echo
echo "load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after (a load above 0 means other processes shared the CPUs)"
echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), median of $runs runs after 1 warm-up; times in ms, RSS in MiB"
after_rev=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
if [ -n "$before" ]; then
	printf '%-14s %-29s  %-29s\n' "" "after: $after_rev" "before: $BEFORE ($before_rev)"
	printf '%-6s %-7s %7s %6s %6s %7s  %7s %6s %6s %7s   %-16s %s\n' command ws median min max RSS median min max RSS target ""
else
	printf '%-14s %-29s\n' "" "charter $after_rev"
	printf '%-6s %-7s %7s %6s %6s %7s   %-16s %s\n' command ws median min max RSS target ""
fi
cat "$results"
