#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_dma_suite.sh: the DMA suite's one command on a machine under test.
#
# From the directory `make install-tests` laid out (or its tarball):
# loads the suite's modules, runs its kselftest programs through the
# kernel's run_kselftest.sh, loads each KUnit module where the kernel has
# KUnit and collects its results from debugfs, unloads everything, and
# prints one KTAP document: one test per stage, the stages' own results
# nested, a "# Totals:" line of the cases (the kselftest programs' own
# totals, and the KUnit results' leaves), and why anything was skipped.  Exits 0
# only if every stage passed or was skipped.  POSIX sh: runs under busybox.
#
# A module already in the kernel (built in, or loaded before) is used as
# it is and left there.  One run at a time: a second one refuses to start.
#
# Environment:
#   DMA_SUITE_SWCHAN=auto|yes|no  load the software memcpy channel (auto:
#                                 only if no DMA controller offers memcpy)
#   DMA_SUITE_KSFT_TIMEOUT=N      seconds per kselftest program (the
#                                 settings file's, if unset)

here=$(cd "$(dirname "$0")" && pwd)
mods="$here/modules"
# where the stress test finds sgdma_test.ko to unload and load again
export SGDMA_MODULE_DIR="$mods"

usage() {
	echo "$0: $*" >&2
	exit 2
}
case "${DMA_SUITE_SWCHAN:-auto}" in
auto|yes|no)	;;
*)	usage "DMA_SUITE_SWCHAN=$DMA_SUITE_SWCHAN: auto, yes or no" ;;
esac
case "${DMA_SUITE_KSFT_TIMEOUT:-1}" in
''|*[!0-9]*|0)	usage "DMA_SUITE_KSFT_TIMEOUT=$DMA_SUITE_KSFT_TIMEOUT: seconds, 1 or more" ;;
esac
# the modules are the machine's: two runs would unload them under each other
lock=/tmp/dma_suite.lock
mkdir "$lock" 2> /dev/null ||
	usage "another run holds $lock (remove it if no run is going on)"
log=/tmp/dma_suite.$$
mkdir -p "$log"
trap 'rm -rf "$log" "$lock"' EXIT
pass=0
fail=0
skip=0
bad=0
loaded=""

say() { echo "# $*"; }
indent() { sed 's/^/    /'; }

# one result inside a stage: "ok N name [# SKIP why]"
result() {	# status name [skip reason]
	case "$1" in
	ok)	echo "    ok $n $2" ;;
	skip)	echo "    ok $n $2 # SKIP $3" ;;
	*)	echo "    not ok $n $2" ;;
	esac
	n=$((n + 1))
}

# a stage's own line: 0 ok, 1 not ok, else skipped with that reason
stage() {	# number name status
	case "$3" in
	0)	echo "ok $1 $2" ;;
	1)	echo "not ok $1 $2"; bad=1 ;;
	*)	echo "ok $1 $2 # SKIP $3" ;;
	esac
}

# the cases of a kselftest TAP text: its programs' "# Totals" lines
add_totals() {	# file
	eval "$(awk '
		/# Totals: pass:[0-9]+ fail:[0-9]+/ {
			for (i = 1; i <= NF; i++) {
				split($i, kv, ":")
				if (kv[1] == "pass") p += kv[2]
				if (kv[1] == "fail" || kv[1] == "error") f += kv[2]
				if (kv[1] == "skip") s += kv[2]
			}
		}
		END { printf "pass=$((pass + %d)); fail=$((fail + %d)); skip=$((skip + %d))\n", p, f, s }
	' "$1")"
}

# the cases of a KTAP text (KUnit's results): its leaves, as kunit.py
# counts them.  A result line closes a subtest (a suite, a parameterized
# case) when the result before it is deeper; any other is a case.
add_leaves() {	# file
	eval "$(awk '
		/^ *(not )?ok [0-9]+/ {
			match($0, /^ */)
			d = RLENGTH
			if (seen && prev > d) { prev = d; next }
			if ($0 ~ /# SKIP/) s++
			else if ($0 ~ /^ *not ok/) f++
			else p++
			prev = d
			seen = 1
		}
		END { printf "pass=$((pass + %d)); fail=$((fail + %d)); skip=$((skip + %d))\n", p, f, s }
	' "$1")"
}

# insmod, unless the kernel has the module already (built in, or loaded
# by someone else: used, not unloaded); 1 and the reason in $log/<m>.err
load() {	# module
	m=$1
	if [ -d "/sys/module/$m" ]; then
		echo "already in the kernel: used as it is, not unloaded" > "$log/$m.note"
		return 0
	fi
	if ! out=$(insmod "$mods/$m.ko" 2>&1); then
		echo "$out" > "$log/$m.err"
		return 1
	fi
	loaded="$m $loaded"
}

# a one-copy run of sgdma_test on every memcpy channel: 0 when a channel
# copied it, 1 when there is none (the run is "not started ... (-19)"), 2
# when a channel failed it (the run's line in $log/probe)
probe_memcpy_channels() {
	p=/sys/module/sgdma_test/parameters
	old_it=$(cat $p/iterations)
	echo 1 > $p/iterations
	echo 1 > $p/run 2> /dev/null
	echo "$old_it" > $p/iterations
	dmesg | grep "sgdma: run .*: [0-9]* channels" | tail -n 1 > "$log/probe"
	grep -q "not started: 0 channels.*(-19)" "$log/probe" && return 1
	grep -q "done: [1-9][0-9]* channels, [0-9]* tests, 0 failures (0)" "$log/probe" && return 0
	return 2
}

# --- the document -------------------------------------------------------
echo "KTAP version 1"
echo "1..4"
say "dma_suite on $(uname -r) ($(uname -m)); modules from $mods"
grep -qs debugfs /proc/mounts || mount -t debugfs none /sys/kernel/debug 2> /dev/null

# 1: the modules
echo "    KTAP version 1"
echo "    1..2"
n=1
modfail=0
if load sgdma_test; then
	result ok "load sgdma_test"
	[ -f "$log/sgdma_test.note" ] && say "sgdma_test: $(cat "$log/sgdma_test.note")"
else
	result fail "load sgdma_test"
	modfail=1
	sed 's/^/    # /' "$log/sgdma_test.err"
fi
swchan=${DMA_SUITE_SWCHAN:-auto}
if [ $modfail = 0 ] && [ "$swchan" = auto ]; then
	probe_memcpy_channels
	case $? in
	0)	swchan=no
		why="a DMA controller offers memcpy: no software channel" ;;
	1)	swchan=yes
		say "no DMA controller offers memcpy here: loading the software channel" ;;
	*)	swchan=no
		why="the probe copy failed"
		modfail=1
		say "a memcpy channel failed a one-copy run: $(cat "$log/probe")" ;;
	esac
fi
if [ "$swchan" = yes ]; then
	if load sgdma_swchan; then
		result ok "load sgdma_swchan (software memcpy channels, NOT hardware)"
	else
		result fail "load sgdma_swchan"
		modfail=1
		sed 's/^/    # /' "$log/sgdma_swchan.err"
	fi
else
	result skip "load sgdma_swchan" "${why:-DMA_SUITE_SWCHAN=no}"
fi
stage 1 modules $modfail

# 2: the kselftest programs, through the kernel's run_kselftest.sh where
# its timeout(1) can run them (coreutils'); under busybox, whose timeout
# has no --foreground, each program in the same TAP under busybox's
run_programs() {
	t=$(sed -n 's/^timeout=//p' "$here/dma_suite/settings")
	t=${DMA_SUITE_KSFT_TIMEOUT:-${t:-45}}
	echo "TAP version 13"
	echo "1..$(wc -l < "$here/kselftest-list.txt")"
	i=1
	cut -d: -f2 "$here/kselftest-list.txt" | while read -r p; do
		echo "# selftests: dma_suite: $p"
		{ (cd "$here/dma_suite" && timeout "$t" "./$p" < /dev/null 2>&1)
		  echo $? > "$log/rc"; } | sed 's/^/# /'
		rc=$(cat "$log/rc")
		case $rc in
		0)	echo "ok $i selftests: dma_suite: $p" ;;
		4)	echo "ok $i selftests: dma_suite: $p # SKIP" ;;
		124|143) echo "not ok $i selftests: dma_suite: $p # TIMEOUT $t seconds" ;;
		*)	echo "not ok $i selftests: dma_suite: $p # exit=$rc" ;;
		esac
		i=$((i + 1))
	done
}
if /usr/bin/timeout --foreground 1 true 2> /dev/null; then
	tmo=""
	[ -n "$DMA_SUITE_KSFT_TIMEOUT" ] && tmo="-o $DMA_SUITE_KSFT_TIMEOUT"
	# shellcheck disable=SC2086
	"$here/run_kselftest.sh" -c dma_suite $tmo > "$log/kselftest" 2>&1
else
	say "timeout(1) here has no --foreground (busybox): the programs run one by one"
	run_programs > "$log/kselftest" 2>&1
fi
indent < "$log/kselftest"
add_totals "$log/kselftest"
kstatus=0
grep -q "^not ok" "$log/kselftest" && kstatus=1
grep -q "^ok" "$log/kselftest" || kstatus=1
stage 2 kselftest $kstatus

# 3: the KUnit modules, one at a time: a module runs its suites as it loads
kunit_dir=/sys/kernel/debug/kunit
kunit_why=""
if [ ! -d $kunit_dir ]; then
	modprobe kunit 2> /dev/null
	[ -d $kunit_dir ] || kunit_why="this kernel has no KUnit (no kunit module, no $kunit_dir)"
fi
kmods=$(cat "$mods/kunit-modules.txt" 2> /dev/null)
[ -z "$kunit_why" ] && [ -z "$kmods" ] &&
	kunit_why="no KUnit modules were built (the kernel they were built against has no KUnit)"
if [ -n "$kunit_why" ]; then
	stage 3 kunit "$kunit_why"
else
	echo "    KTAP version 1"
	echo "    1..$(echo "$kmods" | wc -w)"
	n=1
	kfail=0
	# what the suites link against, no suites of its own
	[ -f "$mods/dma_suite_helpers.ko" ] && ! load dma_suite_helpers &&
		sed 's/^/    # /' "$log/dma_suite_helpers.err"
	for m in $kmods; do
		before=$(ls $kunit_dir)
		if ! load "$m"; then
			sed 's/^/    # /' "$log/$m.err"
			kfail=1
			echo "    not ok $n $m # the kernel refused it"
			n=$((n + 1))
			continue
		fi
		if [ -f "$log/$m.note" ]; then
			echo "    ok $n $m # SKIP already in the kernel (built in or loaded before): its suites ran then"
			n=$((n + 1))
			continue
		fi
		: > "$log/kunit.$m"
		for d in "$kunit_dir"/*; do
			echo "$before" | grep -qx "${d##*/}" && continue
			cat "$d/results" >> "$log/kunit.$m"
		done
		sed 's/^/        /' "$log/kunit.$m"
		add_leaves "$log/kunit.$m"
		if grep -q "^ *not ok" "$log/kunit.$m" || ! grep -q "^ *ok" "$log/kunit.$m"; then
			echo "    not ok $n $m"
			kfail=1
		else
			echo "    ok $n $m"
		fi
		n=$((n + 1))
	done
	stage 3 kunit $kfail
fi

# 4: everything unloaded, the last loaded first
ufail=0
for m in $loaded; do
	if ! rmmod "$m" 2> "$log/rmmod.$m"; then
		say "could not unload $m: $(cat "$log/rmmod.$m")"
		ufail=1
	fi
done
stage 4 unload $ufail
echo "# Totals: pass:$pass fail:$fail skip:$skip"
[ $bad = 0 ] && [ $fail = 0 ]
