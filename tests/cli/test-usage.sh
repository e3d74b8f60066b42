#!/bin/bash
# The command line: --help of every command lists every option it accepts (and the man page
# documents them), and bad input gets exit code 2 with a message naming what is wrong.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-cli.sh"

MAN=$T_TOP/docs/leapp.1.md

# ---- leapp itself ----
cli_noroot
t_rc "leapp without a command: usage" 2
t_has "leapp without a command prints the usage on stderr" "$C_ERR" "usage: leapp COMMAND"

cli_noroot --help
t_rc "leapp --help" 0
for c in preupgrade upgrade answer rerun list-runs report actor rollback snapshot; do
	t_has "leapp --help lists $c" "$C_OUT" "  $c "
done
t_has "leapp --help gives the exit codes" "$C_OUT" "0 success (also \"reboot to continue\"), 1 error, 2 usage or bad input, 3 inhibited"

cli_noroot --version
t_rc "leapp --version" 0
t_has "leapp --version names leapp" "$C_OUT" "leapp "

cli_noroot frobnicate
t_rc "unknown command: exit 2" 2
t_has "unknown command is named" "$C_ERR" "leapp: unknown command 'frobnicate'"
cli_noroot --frobnicate
t_rc "unknown option before the command: exit 2" 2
t_has "unknown option before the command is named" "$C_ERR" "leapp: unknown option '--frobnicate'"

cli_noroot help upgrade
help_upgrade=$C_OUT
cli_noroot upgrade --help
t_eq "leapp help upgrade = leapp upgrade --help" "$C_OUT" "$help_upgrade"
cli_noroot help nosuch
t_rc "leapp help of an unknown command: exit 2" 2

# ---- every command's --help: exactly its options, each accepted, each in the man page ----
workflow="--root --jobs --json-progress --verbose --debug --target --target-version --enablerepo --whitelist-experimental --enable-experimental-feature --report-schema --nogpgcheck --no-sandbox --target-os --channel --iso --no-rhsm --no-rhsm-facts --no-insights-register --help"
declare -A want=(
	[preupgrade]="$workflow --snapshot"
	[upgrade]="$workflow --snapshot --resume --force --reboot"
	[rollback]="--root --keep-cache --verbose --debug --help"
	[snapshot]="--root --json --help"
	[answer]="--section --add --root --help"
	[rerun]="--from-phase --root --jobs --json-progress --verbose --debug --report-schema --no-sandbox --reboot --help"
	[list-runs]="--root --json --json-progress --help"
	[report]="--root --report-schema --help"
	[actor list]="--root --json --whitelist-experimental --enable-experimental-feature --help"
	[actor describe]="--root --help"
	[actor run]="--root --input --from-last-run --save-output --verbose --debug --no-sandbox --nogpgcheck --target --target-version --enablerepo --help"
)
# a valid value for each option that takes one
declare -A val=([--root]=/ [--jobs]=2 [--target]=9.6 [--target-version]=9.6 [--enablerepo]=r1 [--whitelist-experimental]=x
	[--enable-experimental-feature]=livemode [--report-schema]=1.1.0 [--section]=a.b=c [--from-phase]=FirstBoot
	[--input]=in.json [--target-os]=centos [--channel]=ga [--iso]=/tmp/x.iso)
mandoc=$(cat "$MAN" 2>/dev/null)
for cmd in "${!want[@]}"; do
	# shellcheck disable=SC2086
	cli_noroot $cmd --help
	t_rc "leapp $cmd --help: exit 0" 0
	listed=$(printf '%s\n' "$C_OUT" | grep -oE '^  --[a-z-]+' | sed 's/^  //' | sort | tr '\n' ' ')
	expected=$(printf '%s\n' ${want[$cmd]} | sort | tr '\n' ' ')
	t_eq "leapp $cmd --help lists exactly its options" "$expected" "$listed"
	t_has "leapp $cmd --help has a usage line" "$C_OUT" "usage: leapp $cmd"
	bad=()
	for o in ${want[$cmd]}; do
		[ "$o" = --help ] && continue
		# every listed option is accepted (parsing stops at the --help after it)
		# shellcheck disable=SC2086
		cli_noroot $cmd $o ${val[$o]:-} --help
		[ "$C_RC" = 0 ] || bad+=("$o is refused: rc=$C_RC: $C_ERR")
		grep -q -- "$o" <<<"$mandoc" || bad+=("$o is not in docs/leapp.1.md")
	done
	if [ ${#bad[@]} -eq 0 ]; then
		t_ok "leapp $cmd: every listed option is accepted and documented"
	else
		t_fail "leapp $cmd: every listed option is accepted and documented" "${bad[@]}"
	fi
	grep -q "leapp $cmd" <<<"$mandoc" && t_ok "docs/leapp.1.md documents leapp $cmd" || t_fail "docs/leapp.1.md documents leapp $cmd"
done
cli_noroot actor --help
t_rc "leapp actor --help: exit 0" 0
for s in list describe run; do t_has "leapp actor --help names $s" "$C_OUT" "leapp actor $s"; done
for code in "| 0 |" "| 1 |" "| 2 |" "| 3 |"; do
	grep -qF -- "$code" "$MAN" && t_ok "the man page documents exit code $code" || t_fail "the man page documents exit code $code"
done

# ---- bad input: exit 2, a message naming what is wrong, nothing written ----
new_root; root=$ROOT
mk_actor "$root" a FactsCollection report "" TestValue
mk_actor "$root" xp FactsCollection chain "" TestValue "experimental: true"

bad() { # NAME EXPECTED-STDERR ARGS...
	local name=$1 msg=$2; shift 2
	cli "$root" "$@"
	t_rc "$name: exit 2" 2
	t_has "$name: the message says what is wrong" "$C_ERR" "$msg"
}
bad "unknown option" "leapp preupgrade: unknown option '--bogus'" preupgrade --bogus
bad "unknown short option" "leapp preupgrade: unknown option '-x'" preupgrade -x
bad "an option of another command" "leapp preupgrade: unknown option '--resume'" preupgrade --resume
bad "an upgrade option for answer" "leapp answer: unknown option '--reboot'" answer --section a.b=c --reboot
bad "a flag with a value" "leapp upgrade: option '--resume' takes no value" upgrade --resume=yes
bad "an unexpected argument" "leapp preupgrade: unexpected argument 'now'" preupgrade now
bad "--jobs 0" "--jobs needs a number from 1 to 256, not '0'" preupgrade --jobs 0
bad "--jobs abc" "--jobs needs a number from 1 to 256, not 'abc'" preupgrade --jobs abc
bad "--report-schema 2.0" "--report-schema must be 1.0.0, 1.1.0 or 1.2.0, not '2.0'" preupgrade --report-schema 2.0
bad "--target nine" "--target needs a release as MAJOR.MINOR, e.g. 9.6, not 'nine'" upgrade --target nine
bad "--force without --resume" "--force only makes sense with --resume" upgrade --force
bad "--whitelist-experimental of an unknown actor" "--whitelist-experimental: no such actor 'nosuch'" preupgrade --whitelist-experimental xp,nosuch
bad "--enable-experimental-feature of an unknown feature" "--enable-experimental-feature: unknown feature 'warp' (known: livemode)" preupgrade --enable-experimental-feature warp
bad "rerun without a phase" "leapp rerun: which phase?" rerun
bad "actor without a subcommand name" "leapp actor: unknown subcommand 'jump'" actor jump
bad "actor describe without a name" "leapp actor describe: which actor?" actor describe
t_eq "bad options write nothing (no state, no log)" "" "$(ls "$root/var" 2>/dev/null)"

# a value missing at the end of the line
cli_noroot preupgrade --root
t_rc "an option without its value: exit 2" 2
t_has "an option without its value is named" "$C_ERR" "leapp preupgrade: option '--root' needs a value"

# --root that is not a directory
for r in /nonexistent/dir /etc/hostname; do
	cli_noroot preupgrade --root "$r"
	t_rc "--root $r: exit 2" 2
	t_has "--root $r: named" "$C_ERR" "--root $r: not a directory"
	for c in "upgrade" "answer --add --section a.b=c" "list-runs" "report" "actor list" "rerun FirstBoot"; do
		# shellcheck disable=SC2086
		cli_noroot $c --root "$r"
		[ "$C_RC" = 2 ] || t_fail "leapp $c --root $r: exit 2" "rc=$C_RC $C_ERR"
	done
	t_ok "--root $r: every command exits 2"
done

# the valid forms of the same options are accepted (and the whitelisted actor runs)
cli "$root" preupgrade --jobs 2 --whitelist-experimental xp --report-schema 1.1.0 --target 9.6 --enablerepo r1,r2 --nogpgcheck
t_rc "valid options: preupgrade runs (exit 0)" 0
t_has "--whitelist-experimental runs the experimental actor" "$C_OUT" "====> * xp:"
cli "$root" preupgrade
t_hasnt "without --whitelist-experimental the experimental actor does not run" "$C_OUT" "====> * xp:"

t_done
