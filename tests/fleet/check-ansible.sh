#!/bin/bash
# infra.leapp, unchanged, against this leapp: its analysis role and its upgrade role's inhibitor
# gate, run by ansible-core with connection local on synthetic systems. Each run is in a private
# mount namespace where the system's /var/log/leapp is bound over /var/log/leapp (the role reads
# and writes there) and a scratch directory over /etc/ansible (the role's facts.d); the role's
# leapp_os_path puts first a `leapp` that adds --root. The roles are never changed.
# make check-ansible runs it; it takes minutes (ansible-playbook seven times), so make check
# does not.
. "$(dirname "$0")/../lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
COLL=${INFRA_LEAPP:-}
for c in "$COLL" "$T_TOP/../shared/data/infra.leapp" /work/shared/data/infra.leapp; do
	[ -n "$c" ] && [ -f "$c/galaxy.yml" ] && { COLL=$(cd "$c" && pwd); break; }
done
if [ ! -f "$COLL/galaxy.yml" ] || ! command -v ansible-playbook >/dev/null; then
	t_fail "infra.leapp and ansible-core are here (INFRA_LEAPP=DIR; scripts/install-deps.sh)"
	t_done
	exit 1
fi
D=$(mktemp -d "${TMPDIR:-/tmp}/leapp-ansible.XXXXXX")
T_TMPDIRS="${T_TMPDIRS:-} $D"
made=""
cleanup_dirs() { local m; for m in $made; do rmdir "$m" 2>/dev/null; done; }
T_CLEANUP_HOOK=cleanup_dirs
trap 't_cleanup' EXIT
# the mount points must exist on the host; made here only if missing, removed at the end
for m in /var/log/leapp /etc/ansible; do [ -d "$m" ] || { mkdir -p "$m" && made="$made $m"; }; done
mkdir -p "$D/collections/ansible_collections/infra"
ln -s "$COLL" "$D/collections/ansible_collections/infra/leapp"
# The analysis role installs the package leapp-upgrade with ansible.builtin.package, which on this
# Debian machine is apt: the test's library/apt.py stands for the host's package manager and says
# that leapp-upgrade (the leapp under test) is installed. Nothing else may be asked of it.
mkdir -p "$D/library"
cat >"$D/library/apt.py" <<'PY'
#!/usr/bin/python3
from ansible.module_utils.basic import AnsibleModule

m = AnsibleModule(argument_spec=dict(name=dict(type="list", elements="str"), state=dict(type="str"),
                                     enablerepo=dict(type="raw")), supports_check_mode=True)
if (m.params["name"] or []) != ["leapp-upgrade"]:
    m.fail_json(msg="test package manager: only leapp-upgrade is installed, not %s" % m.params["name"])
m.exit_json(changed=False, msg="leapp-upgrade: the leapp under test")
PY
export ANSIBLE_LIBRARY=$D/library
export ANSIBLE_COLLECTIONS_PATH=$D/collections ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
	ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_STDOUT_CALLBACK=default

# play NAME ROOT PLAYBOOK [EXTRA-VARS-JSON]: run PLAYBOOK against the system ROOT as host NAME;
# output in $A_OUT, exit code in $A_RC; the controller's work directory is $D/NAME
play() {
	local name=$1 root=$2 pb=$3 vars=${4:-"{}"} w=$D/$1
	mkdir -p "$w/bin" "$w/etc-ansible" "$root/var/log/leapp"
	printf '#!/bin/bash\nexec %q "$@" --root %q\n' "$T_LEAPP" "$root" >"$w/bin/leapp"
	chmod +x "$w/bin/leapp"
	printf '%s ansible_connection=local ansible_python_interpreter=/usr/bin/python3 ansible_shell_executable=/bin/bash\n' "$name" >"$w/hosts"
	cp "$pb" "$w/playbook.yml"
	vars=$(jq -c --arg p "$w/bin:/usr/sbin:/usr/bin:/sbin:/bin" '. + {leapp_os_path: $p}' <<<"$vars")
	A_OUT=$(cd "$w" && unshare -m --propagation private bash -c '
		mount --bind "$1/var/log/leapp" /var/log/leapp && mount --bind "$2/etc-ansible" /etc/ansible &&
		exec ansible-playbook -i "$2/hosts" "$2/playbook.yml" -e "$3"' _ "$root" "$w" "$vars" 2>&1)
	A_RC=$?
	printf '%s\n' "$A_OUT" >"$w/ansible.log"
}

cat >"$D/analysis.yml" <<'YML'
- hosts: all
  gather_facts: true
  tasks:
    - name: the collection's analysis role
      ansible.builtin.include_role:
        name: infra.leapp.analysis
    - name: what it found, for the test
      ansible.builtin.copy:
        content: "{{ {'inhibited': upgrade_inhibited, 'titles': leapp_inhibitors | map(attribute='title') | list,
                     'keys': leapp_inhibitors | map(attribute='key') | list,
                     'todo': leapp_remediation_todo | default([])} | to_json }}"
        dest: "{{ playbook_dir }}/result.json"
        mode: "0644"
YML
cat >"$D/upgrade.yml" <<'YML'
- hosts: all
  gather_facts: true
  roles:
    - infra.leapp.upgrade
YML
# the gate alone (the task file the upgrade role runs before anything else, then its assert)
cat >"$D/gate.yml" <<'YML'
- hosts: all
  gather_facts: true
  tasks:
    - ansible.builtin.include_role:
        name: infra.leapp.common
        tasks_from: parse_leapp_report.yml
    - ansible.builtin.debug:
        msg: "GATE upgrade_inhibited={{ upgrade_inhibited }}"
YML
# result NAME JQ: from what the analysis found on host NAME
result() { jq -c "$2" "$D/$1/result.json" 2>/dev/null; }

# ---- ready, with the custom upgrade type (the role adds --no-rhsm) ----
sysroot demo || t_fail "mksysroot demo"
READY=$SR/root
play ready "$READY" "$D/analysis.yml" '{"leapp_upgrade_type": "custom"}'
t_eq "ready, custom: the analysis role succeeds" 0 "$A_RC" || grep -A3 "fatal:" "$D/ready/ansible.log" | sed 's/^/# /'
t_check "ready, custom: the role ran leapp with --no-rhsm" grep -q "ignored: --no-rhsm" "$READY/var/log/leapp/leapp-preupgrade.log"
t_has() { if [[ "$2" == *"$3"* ]]; then t_ok "$1"; else t_fail "$1" "missing: $3" "in: ${2:0:600}"; fi; }
t_eq "ready: not inhibited" 'false []' "$(result ready .inhibited) $(result ready .titles)"
t_check "ready: the reports reached the controller" bash -c "find '$D/ready' -path '*ansible_leapp_analysis_logs_*' -name leapp-report.json | grep -q ."
play ready "$READY" "$D/gate.yml"
t_eq "ready: the upgrade role's gate passes" "0 GATE upgrade_inhibited=False" "$A_RC $(grep -o 'GATE upgrade_inhibited=[A-Za-z]*' <<<"$A_OUT" | tail -1)"

# ---- inhibited (NFS): the inhibitor, and the remediation the collection maps ----
sysroot inhibit-nfs || t_fail "mksysroot inhibit-nfs"
INHIB=$SR/root
play inhibited "$INHIB" "$D/analysis.yml"
t_eq "inhibited: the analysis role succeeds" 0 "$A_RC" || tail -30 "$D/inhibited/ansible.log" | sed 's/^/# /'
t_eq "inhibited: the NFS inhibitor, by title" '["Use of NFS detected. Upgrade can'"'"'t proceed"]' "$(result inhibited .titles)"
t_eq "inhibited: its key, the one the collection knows" '["9881b25faceeeaa7a6478bcdac29afd7f6baaaed"]' "$(result inhibited .keys)"
t_eq "inhibited: the remediation leapp_nfs_detected" '["leapp_nfs_detected"]' "$(result inhibited .todo)"
t_check "inhibited: host_vars for the remediate role" grep -q "leapp_nfs_detected" "$D/inhibited/host_vars/inhibited.yml"
# an admin's leapp_known_inhibitors (keys) waives it
play inhibited-known "$INHIB" "$D/gate.yml" '{"leapp_known_inhibitors": ["9881b25faceeeaa7a6478bcdac29afd7f6baaaed"]}'
t_eq "inhibited: waived by leapp_known_inhibitors (its key)" "0 GATE upgrade_inhibited=False" "$A_RC $(grep -o 'GATE upgrade_inhibited=[A-Za-z]*' <<<"$A_OUT" | tail -1)"
# the upgrade role itself stops at its gate
play inhibited-up "$INHIB" "$D/upgrade.yml" '{"leapp_upgrade_type": "custom"}'
t_eq "inhibited: the upgrade role fails" 2 "$A_RC"
t_has "inhibited: at its gate" "$A_OUT" "Inhibitors found in the last pre-upgrade analysis report"
t_check "inhibited: the upgrade role never ran leapp upgrade" test ! -e "$INHIB/var/log/leapp/leapp-upgrade.log"

# ---- a question answered by leapp_answerfile ----
sysroot demo || t_fail "mksysroot demo (answerfile)"
ANS=$SR/root
mkdir -p "$ANS/etc/pam.d"
printf 'auth        required      pam_env.so\nauth        [success=done default=die] pam_pkcs11.so wait_for_card\n' >"$ANS/etc/pam.d/smartcard-auth"
play unanswered "$ANS" "$D/analysis.yml"
t_eq "unanswered: the dialog inhibits" '["Missing required answers in the answer file"]' "$(result unanswered .titles)"
rm -f "$ANS/var/log/leapp/ansible_leapp_analysis.log"
play answered "$ANS" "$D/analysis.yml" '{"leapp_answerfile": "[remove_pam_pkcs11_module_check]\nconfirm = True\n"}'
t_eq "answered: the analysis role succeeds" 0 "$A_RC" || tail -30 "$D/answered/ansible.log" | sed 's/^/# /'
t_eq "answered by leapp_answerfile: not inhibited" 'false []' "$(result answered .inhibited) $(result answered .titles)"
t_check "answered: the role wrote the answerfile leapp read" grep -qx "confirm = True" "$ANS/var/log/leapp/answerfile"
t_done
