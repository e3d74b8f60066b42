#!/bin/bash
# Issue 23, item 4: leapp rollback after leapp upgrade and before the reboot gives back the system
# as it was before leapp upgrade. The demo system, every actor of the build (dracut included):
# the tree hash (paths, types, modes, owners, sizes, contents, symlink targets; not times) of the
# whole root before leapp upgrade equals the one after leapp rollback, leapp's own logs, audit
# store, lock and actor scratch directories aside.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-upgrade.sh"

# tree_hash ROOT: one sha256 over every entry of ROOT but leapp's logs, store and scratch
tree_hash() {
	"$PY" - "$1" <<'PY'
import hashlib, os, stat, sys
root = sys.argv[1]
skip = ("var/log/leapp", "var/lib/leapp/scratch")
h = hashlib.sha256()
for d, dirs, files in os.walk(root):
    rel = os.path.relpath(d, root)
    dirs[:] = sorted(x for x in dirs if os.path.normpath(os.path.join(rel, x)) not in skip)
    for n in sorted(dirs + files):
        p = os.path.join(d, n)
        r = os.path.normpath(os.path.join(rel, n))
        if r.startswith("var/lib/leapp/leapp.db") or r == "var/lib/leapp/leapp.lock":
            continue
        st = os.lstat(p)
        line = "%s %o %d %d" % (r, st.st_mode, st.st_uid, st.st_gid)
        if stat.S_ISLNK(st.st_mode):
            line += " -> " + os.readlink(p)
        elif stat.S_ISREG(st.st_mode):
            with open(p, "rb") as f:
                line += " %d %s" % (st.st_size, hashlib.sha256(f.read()).hexdigest())
        h.update(line.encode("utf-8", "surrogateescape") + b"\n")
print(h.hexdigest())
PY
}

u_init
u_sysroot demo demo || { t_fail "mksysroot demo"; t_done; exit 1; }
R=$(u_root demo)
MID=$(cat "$R/etc/machine-id")
ARCH=$(uname -m)

u_leapp demo preupgrade
t_eq "leapp preupgrade exits 0" 0 "$U_RC" || u_show demo
before=$(tree_hash "$R")
u_leapp demo upgrade
t_eq "leapp upgrade exits 0" 0 "$U_RC" || u_show demo
t_check "the upgrade boot entry is there" test -s "$R/boot/loader/entries/$MID-upgrade.$ARCH.conf"
t_check "grubenv boots it next" grep -aq "^next_entry=$MID-upgrade.$ARCH" "$R/boot/grub2/grubenv"
t_check "the upgrade initramfs is there" test -s "$R/boot/initramfs-upgrade.$ARCH.img"
t_check "the target userspace is there" test -d "$R/var/lib/leapp/el9userspace"
t_check "the rollback record is there" test -s "$R/var/lib/leapp/rollback/record.json"
t_check "the tree changed" test "$before" != "$(tree_hash "$R")"

t0=$SECONDS
u_leapp demo rollback
t_eq "leapp rollback exits 0" 0 "$U_RC" || u_show demo
echo "# leapp rollback took $((SECONDS - t0)) s"
t_check "it says the system is as before" grep -q "The system is as it was before leapp upgrade" "$U_DIR/demo.out"
t_check "it names what it removed" grep -q "/boot/initramfs-upgrade.$ARCH.img" "$U_DIR/demo.out"
after=$(tree_hash "$R")
t_eq "the tree hash after leapp rollback equals the one before leapp upgrade" "$before" "$after"
t_check "grubenv boots nothing once" bash -c "! grep -aq '^next_entry=.\+' '$R/boot/grub2/grubenv'"
t_check "nothing waits for a reboot" test ! -e "$R/var/lib/leapp/reboot-required"
t_eq "the store marks the upgrade rolled back" "rolled-back" \
	"$(sqlite3 "$R/var/lib/leapp/leapp.db" "select status from executions where kind='upgrade' order by id desc limit 1")"
u_leapp demo upgrade --resume
t_eq "--resume after the rollback refuses: exit 1" 1 "$U_RC"
t_check "it says the upgrade was rolled back" grep -q "was rolled back (leapp rollback): run leapp upgrade again" "$U_DIR/demo.out"
t_done
