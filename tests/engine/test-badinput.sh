#!/bin/bash
# Bad input stops leapp before any actor runs, with an error naming the file, line or thing,
# and loses nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

expect_error() { # NAME EXPECTED-SUBSTRING ROOT
	local name=$1 want=$2 root=$3
	leapp_run "$root" preupgrade
	if [ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"$want"* ]]; then t_ok "$name"; else t_fail "$name" "rc=$E_RC" "$E_OUT"; fi
	if [ -f "$root/var/lib/leapp/leapp.db" ] && [ "$(db "$root" "select count(*) from actor_runs" 2>/dev/null)" != 0 ]; then
		t_fail "$name: no actor ran"
	else
		t_ok "$name: no actor ran"
	fi
}

# a manifest that does not parse
root=$(mk_root)
mk_actor "$root" a FactsCollection chain "" TestValue
printf 'name: b\nphase: [Checks\nexec: x\n' >"$root/etc/leapp/repos.d/test/actors/a/actor.yaml"
expect_error "a broken manifest names file and line" "actors/a/actor.yaml:3:5: did not find expected ',' or ']' while parsing a flow sequence started at line 2" "$root"

# a model schema that does not parse
root=$(mk_root)
mk_actor "$root" a FactsCollection chain "" TestValue
printf -- '- model: Broken\n  fields:\n    x: {type: lst, of: string}\n' >"$root/etc/leapp/repos.d/test/models/broken.yaml"
expect_error "a broken model schema names file and line" "models/broken.yaml:3: unknown type 'lst'" "$root"

# the model that carries the workflow configuration is named by its schema, once
root=$(mk_root)
mk_actor "$root" a FactsCollection chain "" TestValue
printf -- '- model: TestWorkflow\n  topic: TestTopic\n  workflow_config: true\n  fields:\n    x: string\n' \
	>"$root/etc/leapp/repos.d/test/models/wf.yaml"
expect_error "a second workflow_config model is refused, both named" \
	"models/wf.yaml:3: model 'TestWorkflow' declares workflow_config, but 'IPUConfig' at" "$root"
root=$(mk_root)
mk_actor "$root" a FactsCollection chain "" TestValue
printf -- '- model: TestWorkflow\n  topic: TestTopic\n  workflow_config: yes please\n  fields:\n    x: string\n' \
	>"$root/etc/leapp/repos.d/test/models/wf.yaml"
expect_error "workflow_config takes true or false" "models/wf.yaml:3: key 'workflow_config' must be true or false" "$root"

# a consumes/produces cycle
root=$(mk_root)
mk_actor "$root" a FactsCollection chain TestTypes TestValue
mk_actor "$root" b FactsCollection chain TestValue TestTypes
expect_error "a cycle is named" "consumes/produces cycle in phase FactsCollection, stage main: a -> b -> a" "$root"

# an unknown model
root=$(mk_root)
mk_actor "$root" a FactsCollection chain "" NoSuchModel
expect_error "an unknown model is named" "actor 'a' produces unknown model 'NoSuchModel'" "$root"

# a duplicate actor name
root=$(mk_root)
mk_actor "$root" a FactsCollection chain "" TestValue
mkdir -p "$root/etc/leapp/repos.d/other/actors"
cp -r "$root/etc/leapp/repos.d/test/actors/a" "$root/etc/leapp/repos.d/other/actors/a2"
expect_error "a duplicate actor name names both manifests" "duplicate actor name 'a': " "$root"

# an unknown phase
root=$(mk_root)
mk_actor "$root" a NoSuchPhase chain "" TestValue
expect_error "an unknown phase is named" "actor 'a' names unknown phase 'NoSuchPhase'" "$root"

# an unwritable database directory
root=$(mk_root)
mk_actor "$root" a FactsCollection chain "" TestValue
mkdir -p "$root/var/lib"
touch "$root/var/lib/leapp" # a file where the directory should be
leapp_run "$root" preupgrade
[ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"cannot create $root/var/lib/leapp"* ]] && t_ok "an unusable state directory is a clear error" ||
	t_fail "an unusable state directory is a clear error" "$E_OUT"
rm -f "$root/var/lib/leapp"
mkdir -p "$root/var/lib/leapp"
mount -t tmpfs -o ro,size=1m tmpfs "$root/var/lib/leapp"
leapp_run "$root" preupgrade
umount "$root/var/lib/leapp"
[ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"$root/var/lib/leapp"* ]] && t_ok "a read-only state directory is a clear error" ||
	t_fail "a read-only state directory is a clear error" "$E_OUT"

# a corrupted database: said, and never overwritten
root=$(mk_root)
mk_actor "$root" a FactsCollection chain "" TestValue
leapp_run "$root" preupgrade
t_eq "a first run works" 0 "$E_RC"
db="$root/var/lib/leapp/leapp.db"
# damage the schema page in the middle of the file
size=$(stat -c %s "$db")
dd if=/dev/urandom of="$db" bs=1 seek=100 count=3000 conv=notrunc status=none
before=$(sha256sum "$db")
leapp_run "$root" preupgrade
[ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"$db"* ]] && t_ok "a corrupted store is reported ($(echo "$E_OUT" | head -1))" ||
	t_fail "a corrupted store is reported" "rc=$E_RC" "$E_OUT"
t_eq "a corrupted store is left untouched" "$before" "$(sha256sum "$db")"
echo "not a database at all, not even close......." >"$db"
before=$(sha256sum "$db")
leapp_run "$root" preupgrade
[ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"is not a leapp database"* ]] && t_ok "a non-database file is reported" || t_fail "non-database" "$E_OUT"
t_eq "a non-database file is left untouched" "$before" "$(sha256sum "$db")"

# a second leapp on the same root is refused while the first runs
root=$(mk_root)
mk_actor "$root" a FactsCollection sleep "" TestValue
sed -i 's/ms: {type: integer, default: 100}/ms: {type: integer, default: 1500}/' "$root/etc/leapp/repos.d/test/actors/a/actor.yaml"
"$T_LEAPP" preupgrade --root "$root" >/dev/null 2>&1 &
first=$!
sleep 0.5
leapp_run "$root" preupgrade
wait $first
[ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"another leapp is already running on $root (pid $first)"* ]] &&
	t_ok "a concurrent run is refused, naming the pid" || t_fail "a concurrent run is refused" "$E_OUT"
t_eq "the refused run recorded nothing" 1 "$(db "$root" "select count(*) from executions")"

# --root that is not a directory
leapp_run /nonexistent preupgrade
[ "$E_RC" -eq 2 ] && [[ "$E_OUT" == *"--root /nonexistent: not a directory"* ]] && t_ok "--root must be a directory (exit 2)" ||
	t_fail "--root must be a directory" "rc=$E_RC $E_OUT"
t_done
