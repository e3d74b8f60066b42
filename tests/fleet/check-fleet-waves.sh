#!/bin/bash
# leapp-fleet upgrade --reboot --wave 1 over real sshd: the host upgrades, "reboots" (the two
# resumes the demo runs: the upgrade initramfs, then the first boot), and leapp-fleet waits for
# it to come back on the target release with its FirstBoot phase done. make check-fleet runs it;
# a whole upgrade takes minutes, so make check does not (test-leapp-fleet.sh has the rest).
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
. "$T_TOP/tests/fleet/lib-fleet.sh"
FLEET=$T_TOP/scripts/leapp-fleet

sysroot demo || t_fail "mksysroot demo"
READY=$SR/root
fleet_setup
# sshd gives a session a clean environment: the host's own settings go with it
fleet_host ready "$READY" LEAPP_UNSUPPORTED=1 LEAPP_DEVEL_USE_HOST_DRACUT=1 || t_fail "sshd for ready"
printf 'ready\n' >"$FL/inv-up"
res=$(LEAPP_FLEET_POLL=2 "$FLEET" -o "$FL/up" --ssh-config "$FL/ssh_config" --timeout 900 upgrade --reboot --wave 1 "$FL/inv-up" 2>"$FL/err"); rc=$?
echo "$res" | sed 's/^/# /'
t_eq "upgrade --reboot --wave 1: exit 0" 0 "$rc"
[ "$rc" = 0 ] || tail -20 "$FL/err" "$FL/up/ready/log" "$FL/up/ready/progress.jsonl" "$FL/ready/reboots.log" | sed 's/^/# /'
t_eq "the host is upgraded" upgraded "$(jq -r '.hosts[0].state' "$FL/up/summary.json")"
t_check "it runs the target release" grep -q '^VERSION_ID="\?9' "$READY/etc/os-release"
t_check "leapp-fleet waited for its FirstBoot phase" bash -c "'$T_LEAPP' list-runs --json --root '$READY' | jq -e '.[-1] | .status == \"finished\" and .next_phase == null' >/dev/null"
t_check "the report collected is the last one (FirstBoot's)" cmp "$FL/up/ready/leapp-report.json" "$READY/var/log/leapp/leapp-report.json"
t_done
