#!/bin/bash
# Module streams: nodejs:16 is mapped to nodejs:18 by PES and its modular packages are planned;
# postgresql:10 has no target stream and is reported; modular filtering hides the non-modular
# nodejs of the target while the stream is active, and the modular one when it is not.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-plan.sh"

p_init
p_sysroot modules m || { t_fail "mksysroot modules"; t_done; exit 1; }
p_copy m nomap
p_preupgrade m
t_eq "preupgrade succeeds" 0 "$P_RC" || p_show m
T=$(p_plan m)
t_eq "nodejs goes to the nodejs:18 stream" "upgrade 18.20.2-1.module_el9.4.0+102+9fd8ce0a almalinux9-appstream PES event 201 (replaced)" \
	"$(jq -r '.transaction[] | select(.name == "nodejs") | "\(.action) \(.version)-\(.release) \(.repo) \(.reason)"' "$T")"
t_eq "npm too" "upgrade 10.5.0 PES event 201 (replaced)" \
	"$(jq -r '.transaction[] | select(.name == "npm") | "\(.action) \(.version) \(.reason)"' "$T")"
t_eq "the stream map is reported" "- nodejs:16 -> nodejs:18 (PES event 201)" \
	"$(p_entry m ${K_MODULE_STREAMS_MAPPED} .summary | grep nodejs)"
t_check "postgresql:10 has no target and is reported with its packages" grep -q \
	"postgresql:10: no target stream (installed from it: postgresql, postgresql-server)" <<<"$(p_entry m ${K_MODULE_STREAMS_WITHOUT_TARGET} .summary)"
t_eq "postgresql stays as installed" "keep keep" "$(jq -r '[.kept[] | select(.name | startswith("postgresql")) | .action] | join(" ")' "$T")"

# without the PES map (and the stream reset), no nodejs stream is active on the target: the
# modular nodejs 18 is filtered out and the non-modular nodejs of AppStream is the upgrade,
# as dnf would do it (a module-unaware distro-sync would take 18)
jq '.packageinfo |= map(select(.id != 201))' "$P_DIR/nomap/root/etc/leapp/files/pes-events.json" >"$P_DIR/pes.json"
cp "$P_DIR/pes.json" "$P_DIR/nomap/root/etc/leapp/files/pes-events.json"
p_preupgrade nomap
t_eq "preupgrade without the map succeeds" 0 "$P_RC" || p_show nomap
t_eq "the non-modular nodejs is planned" "16.20.2-8.el9_4" \
	"$(jq -r '.transaction[] | select(.name == "nodejs") | "\(.version)-\(.release)"' "$(p_plan nomap)")"
t_check "nodejs:16 is reported without a target" grep -q "nodejs:16: no target stream" <<<"$(p_entry nomap ${K_MODULE_STREAMS_WITHOUT_TARGET} .summary)"
t_done
