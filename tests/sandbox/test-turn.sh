#!/bin/bash
# The writable set of an actor is that of its turn (issue 16 item 7): the next actor's sandbox is
# set up while the one before it runs, and a target userspace that one makes meanwhile must not
# stay writable to the next.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../engine/lib-engine.sh"
. "$(dirname "$0")/lib-sandbox.sh"

root=$(sb_root)
state=$root/var/lib/leapp
# a makes el8userspace (declared); b, which needs a's message, runs right after it and must not
# be able to write there (before InterimPreparation the target userspace is read-only)
mk_hostile "$root" a_mkdir FactsCollection mkdir "$state/el8userspace" "sandbox: {writes: [/var/lib/leapp/el8userspace]}"
mk_hostile "$root" b_write FactsCollection write "$state/el8userspace/target"
sed -i 's/^consumes: \[\]/consumes: [TestValue]/' "$root/etc/leapp/repos.d/test/actors/b_write/actor.yaml"
leapp_run "$root" preupgrade --jobs 1
t_eq "a made the directory" 1 "$(test -d "$state/el8userspace" && echo 1)"
t_eq "a committed" "ok|1" "$(db "$root" "select status || '|' || committed from actor_runs where actor = 'a_mkdir'")"
check_hostile "$root" b_write "writing $state/el8userspace/target was refused: Read-only file system"
t_eq "nothing was written into it" "target|0" "$(ls "$state/el8userspace")|$(stat -c %s "$state/el8userspace/target")"

# with nothing changed in between, the prepared sandbox is used as it is (no second set-up)
root=$(sb_root)
mk_actor "$root" c1 FactsCollection chain "" TestValue
mk_actor "$root" c2 FactsCollection chain TestValue TestValue
leapp_run "$root" preupgrade --jobs 1 --debug
t_eq "a chain of two actors runs" 0 "$E_RC"
no_leftovers "test-turn"
t_done
