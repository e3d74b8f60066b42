#!/bin/bash
# Actor configuration constraints in manifests (pattern, requires, path_exists, aliases): a
# violation stops the run before any actor starts, naming the file, line and key.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-engine.sh"

fields='    net: {type: string, default: "", pattern: "^ip="}
    url: {type: string, default: "", aliases: [url_old_name], requires: [net]}
    keys: {type: string, default: "", path_exists: true}
    flag: {type: boolean, default: false}'
conf() { # ROOT TEXT
	mkdir -p "$1/etc/leapp/actor_conf.d"
	printf '%s\n' "$2" >"$1/etc/leapp/actor_conf.d/test.yaml"
}
expect_stop() { # NAME ROOT NEEDLE
	leapp_run "$2" preupgrade
	if [ "$E_RC" -eq 1 ] && [[ "$E_OUT" == *"$3"* ]] && [ "$(db "$2" "select count(*) from actor_runs" 2>/dev/null || echo 0)" = 0 ]; then
		t_ok "$1"
	else
		t_fail "$1" "rc=$E_RC" "$E_OUT"
	fi
}
new() {
	R=$(mk_root)
	mk_actor "$R" a FactsCollection chain "" TestValue "" "$fields"
	sed -i 's/section: t_a/section: live/' "$R/etc/leapp/repos.d/test/actors/a/actor.yaml"
}

new; conf "$R" $'live:\n  net: dhcp'
expect_stop "a pattern mismatch stops the run" "$R" "/etc/leapp/actor_conf.d/test.yaml:2: key 'live.net': 'dhcp' does not match '^ip='"
new; conf "$R" $'live:\n  url: http://10.0.0.1/img'
expect_stop "a key without the key it requires stops the run" "$R" "/etc/leapp/actor_conf.d/test.yaml:2: key 'live.url': needs 'live.net' to be set too"
new; conf "$R" $'live:\n  url_old_name: http://10.0.0.1/img'
expect_stop "an alias is the same key (its constraints apply)" "$R" "key 'live.url': needs 'live.net' to be set too"
new; conf "$R" $'live:\n  keys: /root/.ssh/authorized_keys'
expect_stop "a path that does not exist stops the run" "$R" "/etc/leapp/actor_conf.d/test.yaml:2: key 'live.keys': /root/.ssh/authorized_keys does not exist"
new; conf "$R" $'live:\n  url: a\n  url_old_name: b\n  net: ip=dhcp'
expect_stop "a key set under its name and an alias is a conflict" "$R" "key 'live.url' is also set at /etc/leapp/actor_conf.d/test.yaml:2"
new; conf "$R" $'live:\n  flag: maybe'
expect_stop "a wrong type stops the run" "$R" "/etc/leapp/actor_conf.d/test.yaml:2: key 'live.flag': expected true or false, got 'maybe'"

# all satisfied: the actor gets the values, the alias under the key's own name
new
mkdir -p "$R/root/.ssh" && touch "$R/root/.ssh/authorized_keys"
conf "$R" $'live:\n  net: ip=dhcp\n  url_old_name: http://10.0.0.1/img\n  keys: /root/.ssh/authorized_keys'
leapp_run "$R" preupgrade
t_eq "a valid configuration runs" 0 "$E_RC"
t_done
