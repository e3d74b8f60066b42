# Helpers for the fleet tests: synthetic hosts behind real sshd processes on 127.0.0.1.
# Source after tests/lib.sh and tests/facts/lib-facts.sh.

# fleet_setup: a scratch directory $FL with a client key, a host key and an ssh_config
fleet_setup() {
	FL=$(mktemp -d "${TMPDIR:-/tmp}/leapp-fleet.XXXXXX")
	T_TMPDIRS="${T_TMPDIRS:-} $FL"
	FL_PIDS=""
	T_CLEANUP_HOOK="fleet_stop"
	trap 'fleet_stop; t_cleanup' EXIT
	ssh-keygen -q -t ed25519 -N '' -f "$FL/client" >/dev/null
	ssh-keygen -q -t ed25519 -N '' -f "$FL/hostkey" >/dev/null
	cp "$FL/client.pub" "$FL/authorized_keys"
	chmod 600 "$FL/authorized_keys"
	# sshd's privilege separation directory (Debian's package makes it only under systemd)
	[ -d /run/sshd ] || { mkdir -p /run/sshd && FL_MADE_RUN_SSHD=1; }
	: >"$FL/ssh_config"
}

# free_port: a TCP port nothing listens on
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# fleet_host NAME ROOT [ENV...]: an sshd on a free port whose every session runs the command with
# a `leapp` on PATH that adds --root ROOT (the "host" NAME); ssh_config gets Host NAME.
fleet_host() {
	local name=$1 root=$2 port
	shift 2
	port=$(free_port)
	mkdir -p "$FL/$name/bin"
	{
		echo '#!/bin/bash'
		printf 'exec %q "$@" --root %q\n' "$T_LEAPP" "$root"
	} >"$FL/$name/bin/leapp"
	# the simulated reboot: the two resumes the demo runs (upgrade initramfs, first boot)
	{
		echo '#!/bin/bash'
		printf '( sleep 1; %q upgrade --resume --root %q; %q upgrade --resume --root %q ) </dev/null >>%q 2>&1 &\n' \
			"$T_LEAPP" "$root" "$T_LEAPP" "$root" "$FL/$name/reboots.log"
	} >"$FL/$name/bin/reboot"
	{
		echo '#!/bin/bash'
		printf 'export PATH=%q:$PATH LEAPP_DEVEL_REBOOT_COMMAND=%q\n' "$FL/$name/bin" "$FL/$name/bin/reboot"
		for kv in "$@"; do printf 'export %q\n' "$kv"; done
		echo 'exec /bin/bash -c "$SSH_ORIGINAL_COMMAND"'
	} >"$FL/$name/session"
	chmod +x "$FL/$name/bin/leapp" "$FL/$name/bin/reboot" "$FL/$name/session"
	cat >"$FL/$name/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $FL/hostkey
PidFile $FL/$name/sshd.pid
AuthorizedKeysFile $FL/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
ForceCommand $FL/$name/session
CFG
	/usr/sbin/sshd -D -e -f "$FL/$name/sshd_config" 2>>"$FL/$name/sshd.log" &
	FL_PIDS="$FL_PIDS $!"
	fleet_alias "$name" "$port"
	# wait until it listens
	local i
	for i in $(seq 50); do
		ssh -F "$FL/ssh_config" -o BatchMode=yes "$name" true 2>/dev/null && return 0
		sleep 0.1
	done
	echo "sshd for $name did not come up: $(cat "$FL/$name/sshd.log")" >&2
	return 1
}

# fleet_alias NAME PORT: Host NAME in the test's ssh_config
fleet_alias() {
	cat >>"$FL/ssh_config" <<CFG
Host $1
	HostName 127.0.0.1
	Port $2
	User root
	IdentityFile $FL/client
	IdentitiesOnly yes
	StrictHostKeyChecking no
	UserKnownHostsFile /dev/null
	LogLevel ERROR
CFG
}

# fleet_stop: stop the test's sshd processes (and only those)
fleet_stop() {
	local p
	for p in ${FL_PIDS:-}; do kill "$p" 2>/dev/null; done
	for p in ${FL_PIDS:-}; do wait "$p" 2>/dev/null; done
	FL_PIDS=""
	[ -n "${FL_MADE_RUN_SSHD:-}" ] && rmdir /run/sshd 2>/dev/null
	FL_MADE_RUN_SSHD=""
}
