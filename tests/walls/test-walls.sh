#!/bin/bash
# The walls of DESIGN.md section 8 are in the build: in a scratch copy of the tree, one forbidden
# include at a time (the broker including an actor library, by name and by relative path; an actor
# including another actor's folder or a domain it does not name; libmsg including anything outside
# itself) must make `make` fail with a message naming the file and the header; an allowed include
# builds. Only the one object is built each time.
. "$(dirname "$0")/../lib.sh"

src=$(t_tmpdir)/tree
mkdir -p "$src"
(cd "$T_TOP" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$src"
[ -f "$src/Makefile" ] || { t_fail "copy the tree"; t_done; exit; }

# try NAME FILE LINE OBJECT EXPECT: add LINE after FILE's first #include, build OBJECT; EXPECT is
# "ok" (builds) or a pattern the failed build's output must match
try() {
	local name=$1 file=$2 line=$3 obj=$4 expect=$5 out rc
	cp "$src/$file" "$src/$file.orig"
	L="$line" awk '{print} !done && /^#include/ {print ENVIRON["L"]; done=1}' "$src/$file.orig" >"$src/$file"
	out=$(cd "$src" && timeout 300 make --no-print-directory BUILD=build "build/$obj" 2>&1); rc=$?
	mv "$src/$file.orig" "$src/$file"
	rm -f "$src/build/$obj"
	if [ "$expect" = ok ]; then
		if [ $rc -eq 0 ]; then t_ok "$name: builds"; else t_fail "$name: builds" "$(tail -n 5 <<<"$out")"; fi
	elif [ $rc -eq 0 ]; then
		t_fail "$name: make fails" "make succeeded"
	elif grep -qE -- "$expect" <<<"$out"; then
		t_ok "$name: make fails ($(grep -m1 -oE -- "$expect" <<<"$out"))"
	else
		t_fail "$name: make fails with a clear message" "expected /$expect/" "$(tail -n 5 <<<"$out")"
	fi
}

# the broker: an actor library by name is not on its include path
try "broker includes rpm.h" broker/report.c '#include "rpm.h"' broker/report.o 'rpm\.h: No such file'
# ... and by a relative path it fails the wall check, naming the file and the header
try "broker includes ../actors/lib/rpm/rpm.h" broker/report.c '#include "../actors/lib/rpm/rpm.h"' broker/report.o \
	'broker/report\.c: forbidden include of actors/lib/rpm/rpm\.h'
# libmsg includes nothing outside itself
try "libmsg includes ../../actors/lib/fs/fs.h" libmsg/src/util.c '#include "../../actors/lib/fs/fs.h"' libmsg/src/util.o \
	'libmsg/src/util\.c: forbidden include of actors/lib/fs/fs\.h'
try "libmsg includes ../../broker/report.h" libmsg/src/ini.c '#include "../../broker/report.h"' libmsg/src/ini.o \
	'libmsg/src/ini\.c: forbidden include of broker/report\.h'
# an actor includes another actor's folder
printf '/* a header in an actor folder */\nint check_memory_helper(void);\n' >"$src/actors/check_memory/helper.h"
try "an actor includes another actor's folder" actors/check_cpu/check_cpu.c '#include "../check_memory/helper.h"' \
	actors/check_cpu/check_cpu.o 'actors/check_cpu/check_cpu\.c: forbidden include of actors/check_memory/helper\.h'
# an actor includes a domain it does not name in its actor.mk (check_cpu names sys only)
try "an actor includes a domain it does not name" actors/check_cpu/check_cpu.c '#include "rpm.h"' \
	actors/check_cpu/check_cpu.o 'rpm\.h: No such file'
try "an actor includes an unnamed domain by path" actors/check_cpu/check_cpu.c '#include "../lib/fs/fs.h"' \
	actors/check_cpu/check_cpu.o 'actors/check_cpu/check_cpu\.c: forbidden include of actors/lib/fs/fs\.h'
# a domain includes a domain it does not depend on (sys depends on none)
try "a domain includes a domain it does not depend on" actors/lib/sys/osrelease.c '#include "../boot/boot.h"' \
	actors/lib/sys/osrelease.o 'actors/lib/sys/osrelease\.c: forbidden include of actors/lib/boot/boot\.h'
# allowed: its own domain and libmsg, and its own folder
printf '/* a header of the actor itself */\nint check_cpu_helper(void);\n' >"$src/actors/check_cpu/helper.h"
try "an actor includes its domain, libmsg and its own folder" actors/check_cpu/check_cpu.c \
	'#include "sys.h"
#include "leapp/util.h"
#include "helper.h"' actors/check_cpu/check_cpu.o ok
try "the broker includes its own header and libmsg" broker/report.c '#include "store.h"
#include "leapp/model.h"' broker/report.o ok

t_done
