#!/bin/bash
# Python across the upgrade:
# - python_modules_scanner + check_third_party_python_modules, on a synthetic system whose rpmdb
#   owns one module: unowned modules of python3.6 (pip's in /usr/local, a copied one in /usr/lib)
#   are reported as not read by the new python3, the packaged one is not; an unowned python3.9
#   module gets upstream's warning; none: no report;
# - python3_alternatives_workaround: /usr/bin/python3 gone, python3.9 there: the alternative is
#   re-created (links through /etc/alternatives, the state file alternatives reads), slaves only
#   where the target exists and the link does not; twice is once; python3 present: untouched.
. "$(dirname "$0")/../../../tests/lib.sh"
. "$T_TOP/tests/facts/lib-facts.sh"
f_tmpdir
SPEC=$F_DIR/py.yaml
cat >"$SPEC" <<'YAML'
include: minimal
name: py-modules
description: minimal with a packaged python3.6 module
packages:
  - name: python3-distromod
    version: "1.0"
    release: "1.el8"
    repo: appstream
    files:
      - path: /usr/lib/python3.6/site-packages/distromod.py
        content: "x = 1\n"
expected:
  inhibitors: []
YAML
SR=$F_DIR/sr
"$T_TOP/scripts/mksysroot" "$SPEC" "$SR" >"$F_DIR/mk.log" 2>&1 || { tail -5 "$F_DIR/mk.log"; t_fail "mksysroot py-modules"; t_done; exit 1; }
R=$SR/root
mkdir -p "$R/usr/local/lib/python3.6/site-packages/requests" "$R/usr/lib/python3.6/site-packages/__pycache__"
touch "$R/usr/local/lib/python3.6/site-packages/requests-2.25.1.dist-info" "$R/usr/lib/python3.6/site-packages/copied.py"
mk_input "$F_DIR/ipu.json" "$(ipu 8.10 9.6)"
run_actor python_modules_scanner "$R" "$F_DIR/ipu.json"
t_eq "scanner: runs" 0 "$A_RC" "$A_ERR"
t_eq "scanner: the unowned 3.6 modules, not the packaged one nor __pycache__" \
	'["/usr/lib/python3.6/site-packages/copied.py","/usr/local/lib/python3.6/site-packages/requests","/usr/local/lib/python3.6/site-packages/requests-2.25.1.dist-info"]' \
	"$(msg ThirdPartyPythonModules '.source_modules')"
t_eq "scanner: the pythons" '"python3.6 python3.9"' "$(msg ThirdPartyPythonModules '"\(.source_python) \(.target_python)"')"
chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
run_actor check_third_party_python_modules / "$F_DIR/in.json"
t_eq "check: the old python3's modules, medium" "Python modules installed for the old python3 will not be used after the upgrade|medium" \
	"$(printf '%s' "$A_OUT" | jq -r '[.reports[] | "\(.title)|\(.severity)"] | join(";")')"
t_check "check: they are named" grep -q "/usr/local/lib/python3.6/site-packages/requests" <<<"$(printf '%s' "$A_OUT" | jq -r '.reports[0].summary')"
mkdir -p "$R/usr/lib64/python3.9/site-packages"
touch "$R/usr/lib64/python3.9/site-packages/shadow.py"
run_actor python_modules_scanner "$R" "$F_DIR/ipu.json"
chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
run_actor check_third_party_python_modules / "$F_DIR/in.json"
t_eq "check: a python3.9 module: upstream's warning too" "Detected third-party Python modules for the target Python version|high" \
	"$(printf '%s' "$A_OUT" | jq -r '[.reports[] | select(.title | startswith("Detected")) | "\(.title)|\(.severity)"] | join(";")')"
rm -r "$R/usr/local/lib/python3.6" "$R/usr/lib/python3.6/site-packages/copied.py" "$R/usr/lib64/python3.9"
run_actor python_modules_scanner "$R" "$F_DIR/ipu.json"
chain_input "$F_DIR/in.json" "$(ipu 8.10 9.6)"
run_actor check_third_party_python_modules / "$F_DIR/in.json"
t_eq "check: only packaged modules: nothing" 0 "$(printf '%s' "$A_OUT" | jq '.reports | length')"

# the alternatives
A=$F_DIR/alt
mkdir -p "$A/usr/bin" "$A/usr/share/man/man1"
for f in python3.9 pip3.9 pip-3.9 pydoc3.9; do printf '#!/bin/sh\n' >"$A/usr/bin/$f"; done
echo man >"$A/usr/share/man/man1/python3.9.1.gz"
ln -s pip3.9 "$A/usr/bin/pip-3"   # a newer package handled this one itself
run_actor python3_alternatives_workaround "$A" "$F_DIR/ipu.json"
t_eq "alternatives: runs" 0 "$A_RC" "$A_ERR"
t_eq "alternatives: python3" "/etc/alternatives/python3 /usr/bin/python3.9" "$(readlink "$A/usr/bin/python3") $(readlink "$A/etc/alternatives/python3")"
t_eq "alternatives: pip3, pydoc3, the man page" "/usr/bin/pip3.9 /usr/bin/pydoc3.9 /usr/share/man/man1/python3.9.1.gz" \
	"$(readlink "$A/etc/alternatives/pip3") $(readlink "$A/etc/alternatives/pydoc3") $(readlink "$A/etc/alternatives/python3-man")"
t_check "alternatives: an existing link is left alone" test "$(readlink "$A/usr/bin/pip-3")" = pip3.9
t_check "alternatives: no slave without its target (pyvenv-3)" test ! -e "$A/usr/bin/pyvenv-3" -a ! -L "$A/usr/bin/pyvenv-3"
t_eq "alternatives: the state file, as alternatives writes it" \
	"$(printf 'auto\n/usr/bin/python3\npython3-man\n/usr/share/man/man1/python3.1.gz\npip3\n/usr/bin/pip3\npydoc3\n/usr/bin/pydoc3\npydoc-3\n/usr/bin/pydoc-3\n\n/usr/bin/python3.9\n1000000\n/usr/share/man/man1/python3.9.1.gz\n/usr/bin/pip3.9\n/usr/bin/pydoc3.9\n/usr/bin/pydoc3.9')" \
	"$(cat "$A/var/lib/alternatives/python3")"
t_eq "alternatives: reported" "info" "$(printf '%s' "$A_OUT" | jq -r '.reports[0].severity')"
h=$(tree_hash "$A")
run_actor python3_alternatives_workaround "$A" "$F_DIR/ipu.json"
t_eq "alternatives: twice is once" "$h 0" "$(tree_hash "$A") $(printf '%s' "$A_OUT" | jq '.reports | length')"
t_done
