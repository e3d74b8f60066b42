#!/bin/bash
# leapp's state directory (/var/lib/leapp) is read-only to actors in InterimPreparation and the
# interim phases too: an actor without declarations cannot create an entry there; it writes its
# scratch directory, the target userspace (el*userspace) and the subdirectories its manifest
# declares (made by the broker). An actor of those phases that makes or renames entries of the
# directory itself (the userspace's swap, the live image, the RPM upgrade's mark, the cleanup)
# declares writes: [/var/lib/leapp]; before InterimPreparation that is refused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

for ph in InterimPreparation InitRamStart FirstBoot; do
	root=$(sb_root)
	state=$root/var/lib/leapp
	p=$(tr 'A-Z' 'a-z' <<<"$ph" | cut -c1-6)
	mk_hostile "$root" ${p}_create $ph create "$state/x-$p"
	mk_hostile "$root" ${p}_dir $ph mkdir "$state/d-$p"
	mk_hostile "$root" ${p}_scratch $ph must-write "$state/scratch/${p}_scratch/f"
	mk_hostile "$root" ${p}_userspace $ph must-write "$state/el9userspace/etc/$p"
	mk_hostile "$root" ${p}_sub $ph must-write "$state/sub-$p/f" "sandbox: {writes: [/var/lib/leapp/sub-$p]}"
	mk_hostile "$root" ${p}_whole $ph must-write "$state/whole-$p" "sandbox: {writes: [/var/lib/leapp]}"
	mk_hostile "$root" ${p}_store $ph write "$state/leapp.db" "sandbox: {writes: [/var/lib/leapp]}" file-only
	mk_actor "$root" good FactsCollection chain "" TestValue
	leapp_run "$root" preupgrade
	before=$(tree_hash "$root")
	leapp_run "$root" upgrade
	# the reboots: into the upgrade environment, and after Finalization
	for i in 1 2; do
		[ "$(db "$root" "select status from executions order by id desc limit 1")" = reboot ] && leapp_run "$root" upgrade --resume
	done
	refused() { db "$root" "select count(*) from report_entries e join actor_runs r on r.id = e.run where r.actor = '$1' and e.title like '%Read-only file system%'"; }
	t_eq "$ph: its actors ran" 1 "$(db "$root" "select count(*) from actor_runs where actor = '${p}_create'")"
	t_eq "$ph: creating a file in the state directory is refused" 1 "$(refused ${p}_create)"
	t_eq "$ph: making a directory there is refused" 1 "$(refused ${p}_dir)"
	t_check "$ph: no file was created in the state directory" test ! -e "$state/x-$p"
	t_check "$ph: no directory was created in the state directory" test ! -e "$state/d-$p"
	for a in ${p}_scratch ${p}_userspace ${p}_sub ${p}_whole; do
		t_eq "$ph: $a: the write succeeds" 0 "$(errors_of "$root" $a)"
	done
	t_check "$ph: the declared subdirectory holds the file" test -s "$state/sub-$p/f"
	t_check "$ph: the actor that declares the directory wrote its entry" test -s "$state/whole-$p"
	t_eq "$ph: the store stays out of reach, even so" 1 "$(refused ${p}_store)"
	t_check "$ph: the store passes integrity_check" test "$(db "$root" "pragma integrity_check")" = ok
	if [ $ph = InterimPreparation ]; then
		t_eq "$ph: nothing outside leapp's directories changed" "$before" "$(tree_hash "$root")"
	fi
done

# before InterimPreparation the state directory itself cannot be declared
root=$(sb_root)
mk_hostile "$root" fc_whole FactsCollection must-write "$root/var/lib/leapp/whole" "sandbox: {writes: [/var/lib/leapp]}"
leapp_run "$root" preupgrade
case "$(error_title "$root" fc_whole)" in
	*"declares writes: /var/lib/leapp, the state directory itself"*) t_ok "FactsCollection: declaring the state directory is refused" ;;
	*) t_fail "FactsCollection: declaring the state directory is refused" "$(error_title "$root" fc_whole)" ;;
esac
t_check "FactsCollection: nothing was written" test ! -e "$root/var/lib/leapp/whole"
no_leftovers "test-state-dir"
t_done
