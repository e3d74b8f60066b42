#!/bin/bash
# sandbox devices (DESIGN.md section 6): without the key an actor sees only the private /dev (null,
# zero, full, random, urandom, tty); with devices: ro it sees the host's /dev and can read a disk
# (a loop device made here) but not write it, not even with the capabilities of declared writes;
# with devices: rw, allowed from InterimPreparation on, it can write it; devices: rw in a
# read-only phase is a manifest error naming the file and line. The host's terminals stay hidden.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

img=$(t_tmpdir)/disk.img
{ printf 'LEAPPDEV'; head -c $((1024 * 1024 - 8)) /dev/zero; } >"$img"
LOOP=$(losetup -f --show "$img") || { t_fail "losetup"; t_done; }
T_CLEANUP_HOOK="${T_CLEANUP_HOOK:-}${T_CLEANUP_HOOK:+; }losetup -d '$LOOP'"
trap 't_cleanup' EXIT

# mk_dev_actor ROOT NAME PHASE [SANDBOX-YAML]: a shell actor producing one TestValue, "|"-separated:
# the entries of /dev, whether the loop device exists, its first 8 bytes, the error of a write to
# it (or "written"), the entries of /dev/pts, and its effective capabilities
mk_dev_actor() {
	local d="$1/etc/leapp/repos.d/test/actors/$2"
	mkdir -p "$d"
	{
		echo "name: $2"
		echo "description: looks at /dev"
		echo "phase: $3"
		echo "exec: run.sh"
		echo "produces: [TestValue]"
		[ -n "${4:-}" ] && echo "$4"
	} >"$d/actor.yaml"
	cat >"$d/run.sh" <<SH
#!/bin/sh
eval "\$(leapp-msg init "\$@")"
devs=\$(ls /dev | tr '\n' ' ')
[ -e "$LOOP" ] && seen=yes || seen=no
head=\$(dd if="$LOOP" bs=8 count=1 2>/tmp/err) || head=\$(sed -n '1s/.*: //p' /tmp/err)
w=\$(printf 'XXXXXXXX' | dd of="$LOOP" bs=8 count=1 conv=notrunc,fsync 2>&1 >/dev/null | grep -v -e records -e copied | sed 's/.*: //')
[ -z "\$w" ] && w=written
pts=\$(ls -A /dev/pts 2>/dev/null | tr '\n' ' ')
caps=\$(awk '/^CapEff/ {print \$2}' /proc/self/status)
leapp-msg produce TestValue "{\"producer\": \"$2\", \"n\": 1, \"text\": \"\$devs|\$seen|\$head|\$w|\$pts|\$caps\"}"
leapp-msg done
SH
	chmod +x "$d/run.sh"
}

# result NAME: the text the actor produced, run alone in its phase's sandbox
result() {
	"$T_LEAPP" actor run "$1" --root "$root" 2>/dev/null | jq -r '.messages[0].data.text'
}

root=$(sb_root)
mk_dev_actor "$root" dev_none FactsCollection
mk_dev_actor "$root" dev_ro FactsCollection "sandbox: {devices: ro}"
mk_dev_actor "$root" dev_ro_writes FactsCollection "sandbox: {devices: ro, writes: [/var/lib/leapp/el9userspace]}"
mk_dev_actor "$root" dev_ro_ip InterimPreparation "sandbox: {devices: ro}"
mk_dev_actor "$root" dev_rw_ip InterimPreparation "sandbox: {devices: rw}"
mk_dev_actor "$root" dev_rw_fin Finalization "sandbox: {devices: rw}"
before=$(tree_hash "$root")

IFS='|' read -r devs seen head w pts caps <<<"$(result dev_none)"
t_eq "no key: only the private /dev" "fd full null random stderr stdin stdout tty urandom zero " "$(tr ' ' '\n' <<<"$devs" | grep -v '^shm$' | sort | tr '\n' ' ' | sed 's/^ //')"
t_eq "no key: the loop device is not there" no "$seen"

for a in dev_ro dev_ro_writes dev_ro_ip; do
	IFS='|' read -r devs seen head w pts caps <<<"$(result $a)"
	t_eq "$a: the loop device is there" yes "$seen"
	t_eq "$a: it can be read" LEAPPDEV "$head"
	t_eq "$a: it cannot be written" "Operation not permitted" "$w"
	t_eq "$a: the host's terminals are hidden" "" "$pts"
	t_eq "$a: the disk is unchanged" LEAPPDEV "$(head -c 8 "$img")"
done

# the same rule as a cgroup v2 device program (hosts without a v1 devices hierarchy), forced here
IFS='|' read -r devs seen head w pts caps <<<"$(LEAPP_DEVEL_DEVICES_BPF=1 result dev_ro_writes)"
t_eq "v2 device program: the disk can be read" LEAPPDEV "$head"
t_eq "v2 device program: it cannot be written" "Operation not permitted" "$w"
t_eq "v2 device program: the disk is unchanged" LEAPPDEV "$(head -c 8 "$img")"
leftover=$(find /sys/fs/cgroup -maxdepth 3 -name "leapp-*-devices" 2>/dev/null | while read -r d; do
	pid=${d##*/leapp-}; pid=${pid%-devices}; [ -d "/proc/$pid" ] || echo "$d"; done)
t_eq "v2 device program: its cgroup is removed" "" "$leftover"

IFS='|' read -r devs seen head w pts caps <<<"$(result dev_rw_ip)"
t_eq "dev_rw_ip: InterimPreparation, devices: rw reads the disk" LEAPPDEV "$head"
t_eq "dev_rw_ip: and writes it" written "$w"
t_eq "dev_rw_ip: the write reached the disk" XXXXXXXX "$(dd if="$LOOP" bs=8 count=1 2>/dev/null)"
printf LEAPPDEV | dd of="$LOOP" bs=8 count=1 conv=notrunc,fsync 2>/dev/null
IFS='|' read -r devs seen head w pts caps <<<"$(result dev_rw_fin)"
t_eq "dev_rw_fin: Finalization, devices: rw writes the disk" "LEAPPDEV|written" "$head|$w"
# device-mapper's ioctls (lvcreate) need CAP_SYS_ADMIN (21), lvm's mlock CAP_IPC_LOCK (14)
t_eq "dev_rw_fin: with CAP_SYS_ADMIN and CAP_IPC_LOCK" 1 "$(( (0x$caps >> 21) & (0x$caps >> 14) & 1 ))"
IFS='|' read -r devs seen head w pts caps <<<"$(result dev_ro)"
t_eq "dev_ro: without them" 0 "$(( ((0x$caps >> 21) | (0x$caps >> 14)) & 1 ))"
t_eq "dev_rw_fin: the host's terminals are hidden" "" "$pts"
t_eq "nothing outside leapp's directories changed" "$before" "$(tree_hash "$root")"

# a whole run: the devices: ro actor works beside the others, the store is intact
leapp_run "$root" preupgrade
t_eq "preupgrade with devices: ro actors succeeds" 0 "$E_RC"
t_check "the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok

# devices: rw in a read-only phase: a manifest error naming the file and line
root2=$(sb_root)
mk_dev_actor "$root2" dev_rw_fc FactsCollection "sandbox:
  devices: rw"
leapp_run "$root2" preupgrade
t_eq "devices: rw in FactsCollection: leapp refuses to run" 1 "$E_RC"
case "$E_OUT" in
	*"dev_rw_fc/actor.yaml:7: actor 'dev_rw_fc' declares sandbox devices: rw, but phase FactsCollection is read-only"*)
		t_ok "the error names the manifest, its line and the phase" ;;
	*) t_fail "the error names the manifest, its line and the phase" "$E_OUT" ;;
esac
mk_dev_actor "$root2" dev_rw_fc FactsCollection "sandbox: {devices: yes}"
leapp_run "$root2" preupgrade
case "$E_OUT" in
	*"dev_rw_fc/actor.yaml:6: sandbox devices must be ro or rw"*) t_ok "an unknown value is a manifest error" ;;
	*) t_fail "an unknown value is a manifest error" "$E_OUT" ;;
esac
no_leftovers "test-devices"
t_done
