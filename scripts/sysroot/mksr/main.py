"""mksysroot's command line: build OUTDIR from a spec, and the --mount/--umount/--relocate
helpers for an existing OUTDIR. See scripts/sysroot/README.md."""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from . import leappdata, repos, tree
from .build import Builder, busybox_path, need_tool
from .errors import MksrError
from .model import HERE, System
from .specload import SPEC_DIR, display_path, load_spec

TOP = os.path.dirname(os.path.dirname(HERE))          # the repository's top directory
MANIFEST_SCHEMA = 1
USAGE = """mksysroot SPEC OUTDIR          build a synthetic system (SPEC: a name in
                                   scripts/sysroot/specs/ or a path to a .yaml file)
       mksysroot --check SPEC          validate a spec and print what it would build
       mksysroot --list                list the shipped specs
       mksysroot --mount OUTDIR        mount a size-limited tmpfs over OUTDIR/root/boot
       mksysroot --umount OUTDIR       undo --mount
       mksysroot --relocate OUTDIR     rewrite the absolute paths after moving OUTDIR"""


def log_to_stderr(quiet):
    t0 = time.monotonic()

    def log(msg):
        if not quiet:
            print(f"mksysroot: [{time.monotonic() - t0:6.2f}s] {msg}", file=sys.stderr, flush=True)
    return log


def cache_dir():
    return os.path.abspath(os.environ.get("MKSYSROOT_CACHE") or
                           os.path.join(TOP, "build", "sysroot-cache"))


def spec_path(arg):
    if os.path.exists(arg) or "/" in arg or arg.endswith((".yaml", ".yml")):
        return arg
    return os.path.join(SPEC_DIR, arg + ".yaml")


def generator_hash():
    h = hashlib.sha256()
    for d in (os.path.join(HERE, "mksr"), os.path.join(HERE, "keys"), os.path.join(HERE, "data")):
        for n in sorted(os.listdir(d)):
            p = os.path.join(d, n)
            if os.path.isfile(p) and not n.endswith(".pyc"):
                h.update(n.encode())
                with open(p, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()


def check_tools(system):
    for t in ("rpm", "rpmbuild", "rpmsign", "gpg", "gpgconf", "createrepo_c"):
        need_tool(t)
    if system.module_streams:
        need_tool("modifyrepo_c")
    busybox_path()


# ---------------------------------------------------------------------------------------


def build(spec_arg, outdir, use_cache=True, jobs=None, quiet=False):
    log = log_to_stderr(quiet)
    path = spec_path(spec_arg)
    if not os.path.exists(path):
        raise MksrError(f"spec '{spec_arg}' not found ({display_path(path)}); "
                        "see mksysroot --list")
    spec, files = load_spec(path)
    system = System(spec, files)
    for w in system.warnings:
        log(f"warning: {w}")
    check_tools(system)
    outdir = os.path.abspath(outdir)
    check_outdir(outdir)
    cache = cache_dir() if use_cache else tempfile.mkdtemp(prefix="mksysroot-nocache-")
    os.makedirs(cache, exist_ok=True)
    parent = os.path.dirname(outdir)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{os.path.basename(outdir)}.tmp-", dir=parent)
    os.chmod(staging, 0o755)
    builder = Builder(cache, system.epoch, jobs=jobs, log=log)
    try:
        log(f"spec {system.name}: {len(system.source_pkgs)} installed packages, "
            f"{len(system.target_pkgs)} target packages")
        builder.build_all(system.source_pkgs + system.target_pkgs)
        log(f"packages: {builder.stats['built']} built, {builder.stats['cached']} from cache")
        tree_key = tree_hash(system, spec)
        root = os.path.join(staging, "root")
        cached_tree = os.path.join(cache, "trees", tree_key[:2], tree_key)
        if os.path.isdir(os.path.join(cached_tree, "root")):
            copy_tree(os.path.join(cached_tree, "root"), root)
            log("tree: from cache")
        else:
            tmpdir = tempfile.mkdtemp(prefix="tree-", dir=staging)
            tree.assemble(system, root, tmpdir, log)
            shutil.rmtree(tmpdir)
            save_tree(root, cached_tree)
            log("tree: assembled")
        by_repo = repos.build_repos(system, os.path.join(staging, "repos"), cache,
                                    system.epoch, log, jobs=builder.jobs)
        os.makedirs(os.path.join(staging, "keys"))
        for k in ("vendor", "other"):
            shutil.copyfile(os.path.join(HERE, "keys", f"{k}.asc"),
                            os.path.join(staging, "keys", f"{k}.asc"))
        write_path_dependent(system, staging, outdir, by_repo)
        pin_mtimes(staging, system.epoch)
        replace_outdir(staging, outdir)
        staging = None
        log(f"done: {outdir}")
    finally:
        builder.close()
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
        if not use_cache:
            shutil.rmtree(cache, ignore_errors=True)
    return outdir


def tree_hash(system, spec):
    h = hashlib.sha256(generator_hash().encode())
    h.update(json.dumps(spec, sort_keys=True, default=str).encode())
    for p in system.source_pkgs:
        h.update(p.hash.encode())
    h.update(f"{system.target_kernel['kver']}\n".encode())
    return h.hexdigest()


def pin_mtimes(staging, epoch):
    """The tree is already normalized (tree.normalize_mtimes); the rest of OUTDIR too."""
    for top in ("repos", "keys"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(staging, top)):
            for n in filenames:
                os.utime(os.path.join(dirpath, n), (epoch, epoch), follow_symlinks=False)
            os.utime(dirpath, (epoch, epoch))
    for n in ("manifest.json", "repos", "keys", "root", "."):
        os.utime(os.path.join(staging, n), (epoch, epoch), follow_symlinks=False)


def copy_tree(src, dst):
    # cp -a keeps hard links, modes, symlinks and mtimes; it is much faster than shutil here
    subprocess.run(["cp", "-a", "--reflink=auto", src, dst], check=True)


def save_tree(root, cached):
    tmp = cached + f".tmp{os.getpid()}"
    os.makedirs(os.path.dirname(cached), exist_ok=True)
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    copy_tree(root, os.path.join(tmp, "root"))
    try:
        os.rename(tmp, cached)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)


def check_outdir(outdir):
    if os.path.ismount(os.path.join(outdir, "root", "boot")):
        raise MksrError(f"{outdir}/root/boot is mounted: run mksysroot --umount {outdir} first")
    if not os.path.exists(outdir):
        return
    if not os.path.isdir(outdir):
        raise MksrError(f"{outdir} exists and is not a directory")
    if os.listdir(outdir) and not os.path.exists(os.path.join(outdir, "manifest.json")):
        raise MksrError(f"{outdir} is not empty and is not a mksysroot output: not replacing it")


def replace_outdir(staging, outdir):
    """Puts the finished staging dir in place of OUTDIR with renames: a reader sees the
    old tree or the new one, never half of one."""
    old = None
    if os.path.exists(outdir):
        old = tempfile.mkdtemp(prefix=f".{os.path.basename(outdir)}.old-",
                               dir=os.path.dirname(outdir))
        os.rmdir(old)
        os.rename(outdir, old)
    os.rename(staging, outdir)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def write_path_dependent(system, staging, outdir, by_repo):
    root = os.path.join(staging, "root")
    repo_file = f"{root}{leappdata.FILES}/leapp_upgrade_repositories.repo"
    os.makedirs(os.path.dirname(repo_file), exist_ok=True)
    with open(repo_file, "w") as f:
        f.write(leappdata.upgrade_repo_file(system, outdir))
    os.utime(repo_file, (system.epoch, system.epoch))
    os.utime(os.path.dirname(repo_file), (system.epoch, system.epoch))
    with open(os.path.join(staging, "manifest.json"), "w") as f:
        json.dump(manifest(system, outdir, by_repo), f, indent=2)
        f.write("\n")


def manifest(system, outdir, by_repo):
    keys = {k: leappdata.key_info(k) for k in ("vendor", "other")}
    d = system.distro
    k = system.kernel
    src_kernels = []
    for kk in k["installed"]:
        core = next(p for p in system.source_pkgs if p.name == "kernel-core" and p.kver == kk["kver"])
        src_kernels.append({"nevra": core.nevra, "kver": kk["kver"],
                            "vmlinuz": f"/boot/vmlinuz-{kk['kver']}",
                            "initramfs": f"/boot/initramfs-{kk['kver']}.img",
                            "bls_entry": f"/boot/loader/entries/{system.machine_id}-{kk['kver']}.conf"})
    tk = system.target_kernel
    st = system.storage
    m = {
        "generator": "mksysroot",
        "schema": MANIFEST_SCHEMA,
        "spec": system.name,
        "spec_files": [display_path(f) for f in system.spec_files],
        "description": system.spec.get("description") or spec_summary(system.spec_files[0]),
        "outdir": outdir,
        "root": os.path.join(outdir, "root"),
        "repos_dir": os.path.join(outdir, "repos"),
        "source_date_epoch": system.epoch,
        "source": {"distro": d["id"], "name": d["name"], "version": d["source"],
                   "major": d["source_major"], "codename": d["codename"],
                   "flavour": d["flavour"]},
        "target": {"distro": d["id"], "name": d["name"], "version": d["target"],
                   "major": d["target_major"], "codename": d["target_codename"]},
        "upgrade_path": {"exists": system.has_upgrade_path, "targets": d["upgrade_path"]},
        "machine_id": system.machine_id,
        "hostname": system.hostname,
        "rpmdb": system.rpmdb,
        "hardware": dict(system.hardware),
        "storage": {
            "root": st["root"], "boot": st["boot"],
            "swap": {"size_mib": st["swap_mib"], "uuid": st["swap_uuid"],
                     "device": st["swap_device"]} if st["swap_mib"] else None,
            "mounts": st["mounts"],
        },
        "kernel": {
            "source": src_kernels,
            "running": k["running"],
            "newest": k["newest"],
            "default_entry": f"{system.machine_id}-{k['newest']}",
            "kernelopts": tree.kernelopts(system),
            "modules": k["modules"],
            "target": {"nevra": tk["nevra"], "kver": tk["kver"], "repo": tk["repo"],
                       "version": tk["version"], "release": tk["release"],
                       "rpm_uname": tk["rpm_uname"],
                       "packages": tk["packages"],
                       "vmlinuz": f"/lib/modules/{tk['kver']}/vmlinuz",
                       "modules_dir": f"/lib/modules/{tk['kver']}"},
        },
        "selinux": dict(system.spec.get("selinux", {"mode": "enforcing", "type": "targeted"})),
        "services": system.services,
        "dnf_modules": system.dnf_modules,
        "keys": {n: {kk: v for kk, v in ki.items()} for n, ki in keys.items()},
        "source_repos": [{kk: r.get(kk) for kk in ("id", "pesid", "name", "enabled", "distro",
                                                   "file")} for r in system.source_repos],
        "installed": [p.manifest_entry(keys) for p in system.source_pkgs],
        "repos": {},
        "pes_events": [{"id": e["id"], "action": e["action"],
                        "in": [p["name"] for p in (e["in_packageset"] or {}).get("package", [])],
                        "out": [p["name"] for p in (e["out_packageset"] or {}).get("package", [])]}
                       for e in system.pes],
        "module_streams": [{"name": ms["name"], "stream": str(ms["stream"]), "repo": ms["repo"],
                            "packages": [p.nevra for p in ms["_pkgs"]]}
                           for ms in system.module_streams],
        "expected": expected(system),
        "edited_files": sorted(p for pkg in system.source_pkgs for p in pkg.edited),
    }
    for r in system.target_repos:
        m["repos"][r["id"]] = {
            "pesid": r["pesid"], "name": r["name"], "from": r["from"], "distro": r["distro"],
            "path": os.path.join(outdir, "repos", r["id"]),
            "baseurl": f"file://{outdir}/repos/{r['id']}",
            "key": r["key"],
            "packages": [p.manifest_entry(keys) for p in sorted(by_repo[r["id"]],
                                                                key=lambda p: p.nevra)],
        }
    return m


def expected(system):
    e = dict(system.expected)
    e.setdefault("inhibitors", [])
    for kk in ("after_upgrade", "removed", "kept", "new", "rpmnew", "scriptlet_files",
               "scriptlet_files_after_upgrade", "warnings"):
        if kk in e:
            e[kk] = list(e[kk])
    if "pes" in e:
        e["pes"] = dict(e["pes"])
    for kk in ("file_conflict", "unsatisfied", "module_streams"):
        if kk in e:
            e[kk] = json.loads(json.dumps(e[kk]))
    return e


# ---------------------------------------------------------------------------------------
# --mount / --umount / --relocate


def read_manifest(outdir):
    try:
        with open(os.path.join(outdir, "manifest.json")) as f:
            return json.load(f)
    except OSError as e:
        raise MksrError(f"{outdir}: no manifest.json ({e.strerror}): not a mksysroot output") \
            from None


def mount_boot(outdir):
    """Mounts a tmpfs of the spec's /boot size over OUTDIR/root/boot, with the tree's /boot
    copied in and a filler file so that exactly storage.boot.free_mib MiB stay free."""
    outdir = os.path.abspath(outdir)
    m = read_manifest(outdir)
    boot = os.path.join(outdir, "root", "boot")
    if os.path.ismount(boot):
        raise MksrError(f"{boot} is already mounted")
    size = m["storage"]["boot"]["size_mib"]
    free = m["storage"]["boot"].get("free_mib")
    fd = os.open(boot, os.O_RDONLY | os.O_DIRECTORY)
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}m,mode=0755,nosuid,nodev",
                        "mksysroot-boot", boot], check=True)
        try:
            # the original /boot is still reachable through the fd opened before mounting
            src = f"/proc/self/fd/{fd}"
            for n in os.listdir(src):
                s = os.path.join(src, n)
                if os.path.isdir(s) and not os.path.islink(s):
                    shutil.copytree(s, os.path.join(boot, n), symlinks=True)
                else:
                    shutil.copy2(s, os.path.join(boot, n), follow_symlinks=False)
            if free is not None:
                sv = os.statvfs(boot)
                avail = sv.f_bavail * sv.f_frsize
                fill = avail - free * 1024 * 1024
                if fill < 0:
                    raise MksrError(f"/boot content leaves less than {free} MiB free in "
                                    f"{size} MiB")
                with open(os.path.join(boot, ".mksysroot-fill"), "wb") as f:
                    os.posix_fallocate(f.fileno(), 0, fill) if fill else None
        except BaseException:
            subprocess.run(["umount", boot])
            raise
    finally:
        os.close(fd)
    sv = os.statvfs(boot)
    return boot, sv.f_bavail * sv.f_frsize


def umount_boot(outdir):
    boot = os.path.join(os.path.abspath(outdir), "root", "boot")
    if not os.path.ismount(boot):
        raise MksrError(f"{boot} is not mounted")
    subprocess.run(["umount", boot], check=True)


def relocate(outdir):
    """After OUTDIR was moved or copied: rewrite the absolute paths in the repo file and the
    manifest (the only two places they are written)."""
    outdir = os.path.abspath(outdir)
    m = read_manifest(outdir)
    old = m["outdir"]
    if old == outdir:
        return False
    repo_file = os.path.join(outdir, "root", leappdata.FILES.lstrip("/"),
                             "leapp_upgrade_repositories.repo")
    with open(repo_file) as f:
        text = f.read()
    text = text.replace(f"file://{old}/", f"file://{outdir}/")
    with open(repo_file, "w") as f:
        f.write(text)
    os.utime(repo_file, (m["source_date_epoch"], m["source_date_epoch"]))

    def fix(o):
        if isinstance(o, dict):
            return {k: fix(v) for k, v in o.items()}
        if isinstance(o, list):
            return [fix(v) for v in o]
        if isinstance(o, str):
            if o == old or o.startswith(old + "/"):
                return outdir + o[len(old):]
            if o.startswith(f"file://{old}/"):
                return f"file://{outdir}/" + o[len(f"file://{old}/"):]
        return o
    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        json.dump(fix(m), f, indent=2)
        f.write("\n")
    return True


def spec_summary(path):
    """The text after 'NAME:' in a spec's first comment line."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("#") and line.strip("# \n"):
                    text = line.strip("# \n")
                    return text.split(": ", 1)[1] if ": " in text else text
                if line.strip() and not line.startswith("#"):
                    break
    except OSError:
        pass
    return None


def list_specs():
    for n in sorted(os.listdir(SPEC_DIR)):
        if not n.endswith(".yaml"):
            continue
        first = ""
        with open(os.path.join(SPEC_DIR, n)) as f:
            for line in f:
                if line.startswith("#") and line.strip("# \n"):
                    first = line.strip("# \n")
                    break
        if first.startswith(n[:-5] + ": "):
            first = first[len(n[:-5]) + 2:]
        print(f"{n[:-5]:<20} {first}")


def check_only(spec_arg):
    path = spec_path(spec_arg)
    if not os.path.exists(path):
        raise MksrError(f"spec '{spec_arg}' not found ({display_path(path)})")
    spec, files = load_spec(path)
    s = System(spec, files)
    for w in s.warnings:
        print(f"warning: {w}")
    d = s.distro
    print(f"{s.name}: {d['id']} {d['source']} -> {d['target']}, "
          f"{len(s.source_pkgs)} installed, {len(s.target_pkgs)} in "
          f"{len(s.target_repos)} target repos, {len(s.pes)} PES events")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="mksysroot", usage=USAGE, add_help=True)
    ap.add_argument("args", nargs="*")
    ap.add_argument("--mount", metavar="OUTDIR")
    ap.add_argument("--umount", metavar="OUTDIR")
    ap.add_argument("--relocate", metavar="OUTDIR")
    ap.add_argument("--check", metavar="SPEC")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--no-cache", action="store_true", help="build everything in a fresh cache")
    ap.add_argument("--jobs", "-j", type=int)
    ap.add_argument("--quiet", "-q", action="store_true")
    a = ap.parse_args(argv)
    try:
        if a.list:
            list_specs()
        elif a.check:
            check_only(a.check)
        elif a.mount:
            boot, avail = mount_boot(a.mount)
            print(f"{boot}: tmpfs mounted, {avail // (1024 * 1024)} MiB free")
        elif a.umount:
            umount_boot(a.umount)
        elif a.relocate:
            if relocate(a.relocate):
                print(f"relocated to {os.path.abspath(a.relocate)}")
        elif len(a.args) == 2:
            build(a.args[0], a.args[1], use_cache=not a.no_cache, jobs=a.jobs, quiet=a.quiet)
        else:
            ap.print_usage(sys.stderr)
            return 2
    except MksrError as e:
        print(f"mksysroot: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("mksysroot: interrupted", file=sys.stderr)
        return 130
    return 0
