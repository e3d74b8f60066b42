"""The target rpm-md repositories: packages copied in, createrepo_c, optional modules.yaml.

The repodata of a repo is cached by the hash of its packages, so a warm build only copies.
Packages are copied, never hard-linked, from the cache: a test that corrupts a package in
place on purpose must not corrupt the cache.
"""

import hashlib
import os
import re
import shutil
import subprocess

import yaml

from .build import need_tool, run


def modules_yaml(system, repo_id):
    """modulemd v2 documents (and defaults) for the streams a spec puts in this repo."""
    docs = []
    for m in system.module_streams:
        if m["repo"] != repo_id:
            continue
        arts = sorted(f"{p.name}-{p.epoch or 0}:{p.version}-{p.release}.{p.arch}"
                      for p in m["_pkgs"])
        profiles = m.get("profiles") or {"common": [p.name for p in m["_pkgs"]]}
        tmajor = system.distro["target_major"]
        docs.append({"document": "modulemd", "version": 2, "data": {
            "name": m["name"], "stream": str(m["stream"]), "version": m["version"],
            "context": m["context"], "arch": "x86_64",
            "summary": m.get("summary", f"{m['name']} module (synthetic)"),
            "description": f"The {m['name']}:{m['stream']} module stream, made by mksysroot.",
            "license": {"module": ["MIT"]},
            "dependencies": [{"buildrequires": {"platform": [f"el{tmajor}"]},
                              "requires": {"platform": [f"el{tmajor}"]}}],
            "profiles": {k: {"rpms": list(v)} for k, v in sorted(profiles.items())},
            "artifacts": {"rpms": arts},
        }})
        if m.get("default"):
            docs.append({"document": "modulemd-defaults", "version": 1, "data": {
                "module": m["name"], "stream": str(m["stream"]),
                "profiles": {str(m["stream"]): [sorted(profiles)[0]]}}})
    if not docs:
        return None
    return "".join("---\n" + yaml.safe_dump(d, sort_keys=False, default_flow_style=False) + "...\n"
                   for d in docs)


def _recipe():
    h = hashlib.sha256()
    with open(__file__, "rb") as f:
        h.update(f.read())
    h.update(subprocess.run([need_tool("createrepo_c"), "--version"],
                            stdout=subprocess.PIPE).stdout)
    return h.hexdigest()


def build_repos(system, outdir_repos, cache, epoch, log, jobs=2):
    """Creates OUTDIR/repos/<repoid>/ for every target repo. Returns {repoid: [pkgs]}."""
    by_repo = {r["id"]: [] for r in system.target_repos}
    for p in system.target_pkgs:
        by_repo[p.repo].append(p)
    recipe = _recipe()
    for r in system.target_repos:
        rid = r["id"]
        d = os.path.join(outdir_repos, rid)
        pkgdir = os.path.join(d, "Packages")
        os.makedirs(pkgdir)
        pkgs = sorted(by_repo[rid], key=lambda p: p.filename)
        seen = set()
        for p in pkgs:
            if p.filename in seen:
                raise RuntimeError(f"two packages named {p.filename} in {rid}")
            seen.add(p.filename)
            dest = os.path.join(pkgdir, p.filename)
            shutil.copyfile(p.rpm, dest)
            os.utime(dest, (epoch, epoch))
        mods = modules_yaml(system, rid)
        h = hashlib.sha256(recipe.encode())
        h.update(f"{epoch}\n{rid}\n".encode())
        for p in pkgs:
            h.update(f"{p.filename} {p.hash}\n".encode())
        h.update((mods or "").encode())
        key = h.hexdigest()
        cached = os.path.join(cache, "repodata", key[:2], key, "repodata")
        if os.path.isdir(cached):
            shutil.copytree(cached, os.path.join(d, "repodata"), symlinks=True)
            continue
        log(f"createrepo_c {rid} ({len(pkgs)} packages)")
        run([need_tool("createrepo_c"), "--quiet", "--no-database", "--revision", str(epoch),
             "--set-timestamp-to-revision", "--workers", str(jobs), "--changelog-limit", "0", d],
            what=f"createrepo_c {rid}")
        if mods:
            mpath = os.path.join(d, "modules.yaml")
            with open(mpath, "w") as f:
                f.write(mods)
            os.utime(mpath, (epoch, epoch))
            run([need_tool("modifyrepo_c"), "--mdtype=modules", mpath,
                 os.path.join(d, "repodata")], what=f"modifyrepo_c {rid}")
            os.unlink(mpath)
            pin_repomd_timestamps(os.path.join(d, "repodata", "repomd.xml"), epoch)
        for n in os.listdir(os.path.join(d, "repodata")):
            os.utime(os.path.join(d, "repodata", n), (epoch, epoch))
        tmp = cached + f".tmp{os.getpid()}"
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        shutil.copytree(os.path.join(d, "repodata"), tmp, symlinks=True)
        try:
            os.rename(tmp, cached)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)   # another run cached it first
    return by_repo


def pin_repomd_timestamps(path, epoch):
    """modifyrepo_c stamps the time it ran; make repomd.xml reproducible."""
    with open(path) as f:
        text = f.read()
    text = re.sub(r"<timestamp>\d+</timestamp>", f"<timestamp>{epoch}</timestamp>", text)
    with open(path, "w") as f:
        f.write(text)
