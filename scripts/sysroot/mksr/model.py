"""Turns a validated spec into the system model: packages (source and target), repos,
kernels, PES events, tree files and expectations. Nothing here touches the disk except
reading the host kernel's version and the vendored leapp data.
"""

import hashlib
import json
import os
import re

from . import profiles
from .errors import MksrError, SpecError, ToolError
from .rpmver import ProvideIndex, unsatisfied, vercmp
from .specload import MDict, where

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.path.join(HERE, "data")
DEFAULT_EPOCH = 1704067200          # 2024-01-01T00:00:00Z: SOURCE_DATE_EPOCH of every build
ALL_ARCHES = ["aarch64", "ppc64le", "s390x", "x86_64"]
PES_ACTIONS = {"present": 0, "removed": 1, "deprecated": 2, "replaced": 3, "split": 4,
               "merged": 5, "moved": 6, "renamed": 7}


def stable_hex(*parts, n=32):
    """Deterministic hex digits derived from the spec: machine ids, UUIDs, sizes."""
    return hashlib.sha256("\0".join(str(p) for p in parts).encode()).hexdigest()[:n]


def stable_uuid(*parts):
    h = stable_hex(*parts)
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


class FileEnt:
    """One path a package owns. kind: file, dir, symlink or hosttree (a host directory)."""

    __slots__ = ("path", "kind", "data", "host", "target", "mode", "config", "ghost", "doc")

    def __init__(self, path, kind="file", data=None, host=None, target=None, mode=None,
                 config=None, ghost=False, doc=False):
        self.path = path
        self.kind = kind
        self.data = data
        self.host = host
        self.target = target
        self.mode = mode
        self.config = config
        self.ghost = ghost
        self.doc = doc

    def digest_key(self):
        """What about this entry goes into the package's cache key."""
        if self.kind == "file" and self.host and not self.ghost:
            st = os.stat(self.host)
            content = f"host:{self.host}:{st.st_size}:{int(st.st_mtime)}"
        elif self.kind == "hosttree":
            content = f"hosttree:{self.host}:{tree_signature(self.host)}"
        else:
            content = hashlib.sha256(self.data or b"").hexdigest()
        return (self.path, self.kind, content, self.target, self.mode, self.config,
                self.ghost, self.doc)


def tree_signature(top):
    """A cheap fingerprint of a host directory: names, sizes and mtimes of every file."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for f in sorted(filenames):
            p = os.path.join(dirpath, f)
            st = os.lstat(p)
            h.update(f"{os.path.relpath(p, top)}:{st.st_size}:{int(st.st_mtime)}\n".encode())
    return h.hexdigest()


class Pkg:
    """One binary RPM to build: its header fields, deps, files and scriptlets."""

    def __init__(self, side, name):
        self.side = side                # "source" (installed, built for el8) or "target"
        self.name = name
        self.epoch = None
        self.version = "1.0"
        self.release = "1"
        self.arch = "x86_64"
        self.summary = None
        self.description = None
        self.license = "MIT"
        self.url = None
        self.group = None
        self.vendor = None
        self.packager = None
        self.distribution = None
        self.deps = {}
        self.files = []
        self.scripts = {}
        self.sign = "vendor"
        self.digest = "sha256"
        self.modularitylabel = None
        self.repo = None
        self.edited = {}
        self.reason = "user"
        self.where = None
        self.kver = None                # kernel packages: the uname -r they install
        self.distro = True              # from a distribution repo (vendor-signed by default)
        self.origin = None              # "spec", "kernel", "release", "generated"

    @property
    def evr(self):
        e = f"{self.epoch}:" if self.epoch is not None else ""
        return f"{e}{self.version}-{self.release}"

    @property
    def nevra(self):
        return f"{self.name}-{self.evr}.{self.arch}"

    @property
    def filename(self):
        return f"{self.name}-{self.version}-{self.release}.{self.arch}.rpm"

    def all_paths(self):
        return [f.path for f in self.files if f.kind != "hosttree"]

    def manifest_entry(self, keys):
        k = keys.get(self.sign) if self.sign else None
        return {
            "name": self.name, "epoch": self.epoch or 0, "version": self.version,
            "release": self.release, "arch": self.arch, "nevra": self.nevra,
            "repo": self.repo,
            "key": self.sign, "keyid": k["keyid"] if k else None,
            "digest": self.digest if self.sign else None,
            "distro_signed": self.sign == "vendor",
            "modularitylabel": self.modularitylabel,
        }


# ---------------------------------------------------------------------------------------


def default_mode(path, kind):
    if kind == "dir":
        return 0o755
    if kind == "symlink":
        return 0o777
    if re.match(r"^/(usr/)?(s?bin|libexec)/", path) or re.search(r"\.so(\.\d+)*$", path):
        return 0o755
    return 0o644


def _text(s):
    if s is None:
        return None
    return s.encode() if isinstance(s, str) else s


def filler(n, seed):
    """n deterministic bytes (for 'size:' files): text lines, so they compress like text."""
    line = (f"{seed} " * 8)[:79] + "\n"
    reps = n // len(line) + 1
    return (line * reps).encode()[:n]


def make_file(entry, pkgname, evr, w):
    """A FileEnt from a spec file entry (a path string or a mapping)."""
    if isinstance(entry, str):
        entry = {"path": entry}
    path = entry["path"].rstrip("/") or "/"
    if "//" in path or "/../" in path or path.endswith("/.."):
        raise SpecError(f"bad path '{path}'", w)
    if entry.get("dir"):
        kind = "dir"
    elif "symlink" in entry:
        kind = "symlink"
    else:
        kind = "file"
    data = None
    host = None
    if kind == "file":
        if "host" in entry:
            host = entry["host"]
            if host == "@busybox":
                from .build import busybox_path
                host = busybox_path()
            if not os.path.isfile(host):
                raise SpecError(f"host file '{host}' does not exist", w)
        elif "content" in entry:
            data = _text(entry["content"])
        elif "size" in entry:
            data = filler(entry["size"], f"{pkgname}-{evr}:{path}")
        else:
            data = f"{pkgname}-{evr}: {path}\n".encode()
    mode = int(entry["mode"], 8) if "mode" in entry else default_mode(path, kind)
    return FileEnt(path, kind, data=data, host=host, target=entry.get("symlink"), mode=mode,
                   config=entry.get("config"), ghost=bool(entry.get("ghost")),
                   doc=bool(entry.get("doc")))


UNIT_TARGETS = {"service": "multi-user.target", "timer": "timers.target",
                "socket": "sockets.target", "path": "paths.target",
                "target": "multi-user.target", "mount": "local-fs.target"}


def make_unit(entry, pkgname):
    if isinstance(entry, str):
        entry = {"name": entry}
    name = entry["name"]
    kind = name.rsplit(".", 1)[1]
    if "content" in entry:
        content = entry["content"]
    else:
        wanted = entry.get("wantedby", UNIT_TARGETS[kind])
        base = name.rsplit(".", 1)[0].rstrip("@")
        lines = ["[Unit]", f"Description={entry.get('description', base + ' (' + pkgname + ')')}",
                 ""]
        if kind == "service":
            lines += ["[Service]", f"Type={entry.get('type', 'simple')}",
                      f"ExecStart={entry.get('exec', '/usr/sbin/' + base)}", ""]
        elif kind == "timer":
            lines += ["[Timer]", "OnCalendar=daily", "Persistent=true", ""]
        elif kind == "socket":
            lines += ["[Socket]", f"ListenStream=/run/{base}.sock", ""]
        if kind != "target" or "wantedby" in entry:
            lines += ["[Install]", f"WantedBy={wanted}", ""]
        content = "\n".join(lines)
    return FileEnt(f"/usr/lib/systemd/system/{name}", "file", data=_text(content), mode=0o644)


def unit_wantedby(data):
    """The WantedBy= targets of a unit file's [Install] section."""
    out = []
    section = None
    for line in data.decode(errors="replace").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Install]" and line.startswith("WantedBy="):
            out += line.split("=", 1)[1].split()
    return out


# ---------------------------------------------------------------------------------------


class System:
    """Everything mksysroot will build for one spec."""

    def __init__(self, spec, spec_files):
        self.spec = spec
        self.spec_files = spec_files
        self.name = spec["name"]
        self.epoch = spec.get("epoch", DEFAULT_EPOCH)
        self.source_pkgs = []
        self.target_pkgs = []
        self.warnings = []
        self._distro()
        self._hardware()
        self._storage()
        self._repos()
        self._kernel_settings()
        if "generate" in spec:
            from . import large
            large.generate(self, spec["generate"])
        self._packages()
        self._release_packages()
        self._kernel_packages()
        self._pes()
        self._tree_files()
        self._services()
        self._modules()
        self._expected()
        self._check()

    # -- distro ---------------------------------------------------------------------------

    def _distro(self):
        d = self.spec.get("distro", MDict())
        did = d.get("id", "almalinux")
        prof = profiles.profile(did)
        if prof is None:
            raise SpecError(f"unknown distro id '{did}' (known: {', '.join(profiles.PROFILES)})",
                            where(d, "id"))
        src = d.get("source", "8.10")
        smajor = src.split(".")[0]
        if smajor not in prof["repos"]:
            raise SpecError(f"no profile data for {did} {smajor}", where(d, "source"))
        flavour = d.get("flavour", "default")
        paths = load_upgrade_paths()
        dpaths = paths.get(did, {})
        targets = dpaths.get(flavour, {}).get(src)
        virtual = dpaths.get("_virtual_versions", {})
        if targets is None and smajor in virtual and virtual[smajor] == src:
            targets = dpaths.get(flavour, {}).get(smajor)
        self.has_upgrade_path = targets is not None
        if "target" in d:
            tgt = d["target"]
        elif targets:
            tgt = targets[-1]
        else:
            # no path: use what the bare major would give, or major+1 (the nopath spec)
            fallback = dpaths.get(flavour, {}).get(smajor)
            tgt = fallback[-1] if fallback else f"{int(smajor) + 1}.0"
        tmajor = tgt.split(".")[0]
        if tmajor not in prof["repos"]:
            raise SpecError(f"no profile data for {did} {tmajor}", where(d, "target"))
        self.distro = {
            "id": did, "name": d.get("name", prof["name"]), "profile": prof,
            "source": src, "target": tgt, "source_major": int(smajor), "target_major": int(tmajor),
            "flavour": flavour, "upgrade_path": targets,
            "codename": d.get("codename", prof["codenames"].get(src)),
            "target_codename": d.get("target_codename", prof["codenames"].get(tgt)),
            "data_stream": d.get("data_stream", prof["data_stream"]),
            "source_dist": f"el{smajor}", "target_dist": f"el{tmajor}",
        }
        self.machine_id = self.spec.get("machine_id", stable_hex("machine-id", self.name))
        self.hostname = self.spec.get("hostname", f"{self.name}.mksysroot.test")
        # el8 keeps its rpmdb in BerkeleyDB, el9 and later in sqlite (DESIGN.md §10)
        self.rpmdb = self.spec.get("rpmdb", "bdb" if self.distro["source_major"] <= 8 else "sqlite")

    # -- hardware and storage ------------------------------------------------------------

    def _hardware(self):
        hw = self.spec.get("hardware", MDict())
        mib = hw.get("memory_mib", 8192)
        self.hardware = {
            "memory_mib": mib,
            # a kernel reports a little less than the RAM it was given (reserved memory)
            "memtotal_kib": mib * 1024 - (mib * 1024) // 64,
            "cpus": hw.get("cpus", 2),
            "cpu_level": hw.get("cpu_level", "x86-64-v3"),
            "cpu_model": hw.get("cpu_model"),
        }

    def _storage(self):
        st = self.spec.get("storage", MDict())
        disk = st.get("disk", "vda")
        root = dict(st.get("root", {}))
        boot = dict(st.get("boot", {}))
        root.setdefault("fstype", "xfs")
        root.setdefault("size_mib", 20480)
        root.setdefault("uuid", stable_uuid(self.name, "root"))
        root.setdefault("device", f"/dev/{disk}2" if boot.get("separate", True) else
                        f"/dev/{disk}1")
        boot.setdefault("separate", True)
        if not boot["separate"]:
            # /boot is a directory of the root filesystem: its size and free space are /'s
            boot["fstype"] = root["fstype"]
            boot["uuid"] = root["uuid"]
            boot["device"] = root["device"]
        boot.setdefault("fstype", "xfs")
        boot.setdefault("size_mib", 1024)
        boot.setdefault("uuid", stable_uuid(self.name, "boot"))
        boot.setdefault("device", f"/dev/{disk}1")
        if boot.get("free_mib", 0) > boot["size_mib"]:
            raise SpecError("storage.boot.free_mib is larger than size_mib",
                            where(st.get("boot"), "free_mib"))
        swap = st.get("swap_mib", 2048)
        mounts = []
        for i, m in enumerate(st.get("mounts", [])):
            mm = dict(m)
            mm.setdefault("options", "defaults")
            mm.setdefault("mounted", True)
            mm.setdefault("dump", 0)
            mm.setdefault("pass", 0)
            mounts.append(mm)
        self.storage = {"disk": disk, "root": root, "boot": boot, "swap_mib": swap,
                        "swap_uuid": stable_uuid(self.name, "swap"),
                        "swap_device": f"/dev/{disk}3", "mounts": mounts}

    # -- repositories ---------------------------------------------------------------------

    def _repos(self):
        prof = self.distro["profile"]
        rs = self.spec.get("repos", MDict())
        src_defaults = prof["repos"][str(self.distro["source_major"])]
        tgt_defaults = prof["repos"][str(self.distro["target_major"])]

        def merged(defaults, given):
            out = [dict(r) for r in defaults]
            index = {r["id"]: r for r in out}
            for r in given or []:
                if r["id"] in index:
                    index[r["id"]].update(r)
                    index[r["id"]]["_where"] = r.mark
                else:
                    nr = dict(r)
                    nr["_where"] = r.mark
                    nr.setdefault("distro", False)
                    out.append(nr)
                    index[r["id"]] = nr
            return out

        self.source_repos = merged(src_defaults, rs.get("source"))
        self.target_repos = merged(tgt_defaults, rs.get("target"))
        for r in self.source_repos:
            r.setdefault("pesid", r["id"])
            r.setdefault("name", r["id"])
            r.setdefault("enabled", True)
            r.setdefault("distro", True)
            r.setdefault("gpgcheck", True)
            r.setdefault("key", "vendor" if r["distro"] else "other")
            r.setdefault("file", f"{r['id']}.repo")
            r.setdefault("channel", "ga")
            if not r.get("baseurl") and not r.get("mirrorlist"):
                r["baseurl"] = f"https://repo.example.com/{r['id']}/el$releasever/$basearch/"
        for r in self.target_repos:
            r.setdefault("pesid", r["id"])
            r.setdefault("name", r["id"])
            r.setdefault("enabled", True)
            r.setdefault("distro", True)
            r.setdefault("gpgcheck", True)
            r.setdefault("key", "vendor")
            r.setdefault("native_id", r["id"])
            r.setdefault("from", [])
            r.setdefault("channel", "ga")
        self.src_repo_by_id = {r["id"]: r for r in self.source_repos}
        self.src_repo_by_pesid = {r["pesid"]: r for r in self.source_repos}
        self.tgt_repo_by_id = {r["id"]: r for r in self.target_repos}
        self.tgt_repo_by_pesid = {r["pesid"]: r for r in self.target_repos}
        for r in self.target_repos:
            for f in r["from"]:
                if f not in self.src_repo_by_pesid and f not in self.src_repo_by_id:
                    raise SpecError(f"target repo '{r['id']}' maps from unknown source repo '{f}'",
                                    r.get("_where"))

    def default_target_repo(self, src_repo_id):
        """The target repo a rebuilt package goes to: the first one mapped from its source repo."""
        sr = self.src_repo_by_id.get(src_repo_id)
        if sr is None:
            return None
        for r in self.target_repos:
            if sr["pesid"] in r["from"] or sr["id"] in r["from"]:
                return r["id"]
        return None

    # -- kernel settings ------------------------------------------------------------------

    def _kernel_settings(self):
        k = self.spec.get("kernel", MDict())
        installed = list(k.get("installed", ["4.18.0-553.el8_10"]))
        if not installed:
            raise SpecError("kernel.installed must name at least one kernel", where(k, "installed"))
        installed.sort(key=_VRKey)
        kernels = []
        for vr in installed:
            v, r = vr.split("-", 1)
            kernels.append({"version": v, "release": r, "kver": f"{vr}.x86_64"})
        running = k.get("running", installed[-1])
        if running not in installed:
            raise SpecError(f"kernel.running '{running}' is not in kernel.installed",
                            where(k, "running"))
        mods = list(k.get("modules", DEFAULT_MODULES)) + list(k.get("extra_modules", []))
        # pull in what the listed modules depend on, as the kernel would have
        seen = []
        todo = list(mods)
        while todo:
            m = todo.pop(0)
            if m in seen:
                continue
            seen.append(m)
            todo += MODULE_DEPS.get(m, [])
        self.kernel = {
            "installed": kernels,
            "running": f"{running}.x86_64",
            "newest": kernels[-1]["kver"],
            "cmdline_extra": k.get("cmdline", "crashkernel=auto rhgb quiet"),
            "modules": seen,
        }
        t = k.get("target", MDict())
        kver = t.get("kver") or os.environ.get("MKSYSROOT_KVER") or host_kernel()
        vmlinuz = f"/boot/vmlinuz-{kver}"
        moddir = f"/lib/modules/{kver}"
        if not os.path.isfile(vmlinuz) or not os.path.isdir(moddir):
            raise ToolError(f"host kernel {kver}: {vmlinuz} or {moddir} missing "
                            "(install linux-image-cloud-amd64: scripts/install-deps.sh)")
        m = re.match(r"^(\d+\.\d+(?:\.\d+)?)-(\d+)", kver)
        version = m.group(1) if m else re.sub(r"[^A-Za-z0-9._+~^]", ".", kver.split("-")[0])
        rel = t.get("release") or f"{m.group(2) if m else '1'}.{self.distro['target_dist']}"
        self.target_kernel = {"kver": kver, "version": version, "release": rel,
                              "repo": t.get("repo"), "vmlinuz": vmlinuz, "moddir": moddir,
                              "where": where(k, "target")}

    # -- packages -------------------------------------------------------------------------

    def _fill_pkg(self, p, e, side, w):
        dist = self.distro["source_dist" if side == "source" else "target_dist"]
        if "epoch" in e:
            p.epoch = e["epoch"]
        if "version" in e:
            p.version = e["version"]
        if "release" in e:
            p.release = e["release"]
        if "dist" in e:
            dist = e["dist"]
        p._dist = dist
        for f in ("arch", "summary", "description", "license", "url", "group", "vendor",
                  "packager", "sign", "digest", "modularitylabel", "repo"):
            if f in e:
                setattr(p, f, e[f])
        for kind in ("requires", "provides", "obsoletes", "conflicts", "recommends",
                     "suggests", "supplements", "enhances"):
            if kind in e:
                p.deps[kind] = list(e[kind])
        if "scripts" in e:
            p.scripts = dict(e["scripts"])
        p.modularitylabel = p.modularitylabel or None
        p.where = w

    def _finish_pkg(self, p, e, side, w):
        if p._dist and not re.search(r"\.(el\d|module_)", p.release):
            p.release = f"{p.release}.{p._dist}"
        evr = p.evr
        files = []
        for i, fe in enumerate(e.get("files", [])):
            fw = where(e.get("files"), i) or w
            files.append(make_file(fe, p.name, evr, fw))
        for u in e.get("units", []):
            files.append(make_unit(u, p.name))
        seen = {}
        for f in files:
            if f.path in seen:
                raise SpecError(f"package '{p.name}' lists '{f.path}' twice", w)
            seen[f.path] = f
        p.files = files
        prof = self.distro["profile"]
        if p.sign == "vendor" or p.distro:
            p.vendor = p.vendor or prof["vendor"]
            p.packager = p.packager or prof["packager"]
            p.distribution = f"{self.distro['name']}"
        p.summary = p.summary or f"Synthetic package {p.name}"
        p.description = p.description or f"{p.name}: a synthetic package built by mksysroot."

    def _packages(self):
        names = {}
        for i, e in enumerate(self.spec.get("packages", [])):
            w = where(self.spec["packages"], i)
            p = Pkg("source", e["name"])
            p.origin = "spec"
            if "version" not in e:
                raise SpecError(f"package '{e['name']}' has no version", w)
            self._fill_pkg(p, e, "source", w)
            p.repo = e.get("repo", self.source_repos[0]["id"])
            if p.repo != "@commandline" and p.repo not in self.src_repo_by_id:
                raise SpecError(f"package '{p.name}': unknown source repo '{p.repo}' "
                                f"(known: {', '.join(self.src_repo_by_id)})", where(e, "repo") or w)
            srepo = self.src_repo_by_id.get(p.repo)
            p.distro = bool(srepo and srepo["distro"])
            if "sign" not in e:
                p.sign = "vendor" if p.distro else "other"
            if p.sign == "none":
                p.sign = None
            p.reason = e.get("reason", "user")
            for path, content in e.get("edited", {}).items():
                p.edited[path] = _text(content)
            self._finish_pkg(p, e, "source", w)
            for path in p.edited:
                f = next((f for f in p.files if f.path == path), None)
                if f is None or f.kind != "file":
                    raise SpecError(f"package '{p.name}': edited file '{path}' is not one of its "
                                    "files", where(e.get("edited"), path) or w)
            key = (p.name, p.arch == "i686")     # a 32-bit twin is its own package
            if key in names:
                raise SpecError(f"package '{p.name}' is defined twice", w)
            names[key] = p
            self.source_pkgs.append(p)
            # the target build: a rebuild for the next release unless the spec says otherwise
            t = e.get("target")
            if t is False:
                continue
            if t is None and not p.distro:
                continue           # third-party: no build in the distribution's target repos
            t = t or MDict()
            tw = where(e, "target") or w
            tp = Pkg("target", t.get("name", p.name))
            tp.origin = "spec"
            base = {k: v for k, v in e.items()
                    if k not in ("edited", "reason", "target", "repo", "dist", "release",
                                 "version", "epoch", "files")}
            merged_e = MDict(base)
            merged_e.update(t)
            merged_e.setdefault("version", e["version"])
            merged_e.setdefault("release", e.get("release", "1"))
            if "epoch" in e:
                merged_e.setdefault("epoch", e["epoch"])
            if "files" not in t and "files" in e:
                merged_e["files"] = e["files"]
            self._fill_pkg(tp, merged_e, "target", tw)
            tp.repo = t.get("repo") or self.default_target_repo(p.repo)
            if tp.repo is None:
                raise SpecError(f"package '{p.name}': no target repo is mapped from '{p.repo}'; "
                                "give target.repo or target: false", tw)
            if tp.repo not in self.tgt_repo_by_id:
                raise SpecError(f"package '{p.name}': unknown target repo '{tp.repo}'",
                                where(t, "repo") or tw)
            tp.distro = self.tgt_repo_by_id[tp.repo]["distro"]
            if "sign" not in merged_e:
                tp.sign = "vendor" if tp.distro else "other"
            if tp.sign == "none":
                tp.sign = None
            self._finish_pkg(tp, merged_e, "target", tw)
            self.target_pkgs.append(tp)
        for i, e in enumerate(self.spec.get("target_packages", [])):
            w = where(self.spec["target_packages"], i)
            tp = Pkg("target", e["name"])
            tp.origin = "spec"
            self._fill_pkg(tp, e, "target", w)
            tp.repo = e.get("repo", self.target_repos[0]["id"])
            if tp.repo not in self.tgt_repo_by_id:
                raise SpecError(f"target package '{tp.name}': unknown target repo '{tp.repo}'",
                                where(e, "repo") or w)
            tp.distro = self.tgt_repo_by_id[tp.repo]["distro"]
            if "sign" not in e:
                tp.sign = "vendor" if tp.distro else "other"
            if tp.sign == "none":
                tp.sign = None
            self._finish_pkg(tp, e, "target", w)
            self.target_pkgs.append(tp)
        seen = {}
        for tp in self.target_pkgs:
            if tp.nevra in seen:
                raise SpecError(f"target package {tp.nevra} is defined twice (also at "
                                f"{seen[tp.nevra].where})", tp.where)
            seen[tp.nevra] = tp

    # -- generated packages: release and kernels -------------------------------------------

    def _mkpkg(self, side, name, version, release, repo, origin):
        p = Pkg(side, name)
        p.version, p.release, p.repo, p.origin = version, release, repo, origin
        prof = self.distro["profile"]
        p.vendor, p.packager, p.distribution = prof["vendor"], prof["packager"], self.distro["name"]
        p.license = "GPLv2"
        p.sign = "vendor"
        return p

    def os_release_text(self, side):
        d = self.distro
        prof = d["profile"]
        ver = d["source"] if side == "source" else d["target"]
        major = ver.split(".")[0]
        code = d["codename"] if side == "source" else d["target_codename"]
        version = f"{ver} ({code})" if code else ver
        pretty = f"{d['name']} {version}"
        lines = [
            f'NAME="{d["name"]}"', f'VERSION="{version}"', f'ID="{d["id"]}"',
            f'ID_LIKE="{prof["id_like"]}"', f'VERSION_ID="{ver}"',
            f'PLATFORM_ID="platform:el{major}"', f'PRETTY_NAME="{pretty}"',
            'ANSI_COLOR="0;34"',
            f'CPE_NAME="cpe:/o:{prof["cpe_vendor"]}:{d["id"]}:{major}::baseos"',
            f'HOME_URL="{prof["home_url"]}"', "",
        ]
        release_line = f"{d['name']} release {version}\n"
        return "\n".join(lines), release_line

    def _release_packages(self):
        prof = self.distro["profile"]
        vendor_asc = read_key("vendor")
        for side in ("source", "target"):
            ver = self.distro["source"] if side == "source" else self.distro["target"]
            dist = self.distro["source_dist" if side == "source" else "target_dist"]
            major = ver.split(".")[0]
            repo = self.source_repos[0]["id"] if side == "source" else self.target_repos[0]["id"]
            p = self._mkpkg(side, prof["release_pkg"], ver, f"1.{dist}", repo, "release")
            p.summary = f"{self.distro['name']} release file"
            osrel, relline = self.os_release_text(side)
            rf = prof["release_file"]
            files = [
                FileEnt("/usr/lib/os-release", data=osrel.encode(), mode=0o644),
                FileEnt("/etc/os-release", "symlink", target="../usr/lib/os-release", mode=0o777),
                FileEnt(f"/etc/{rf}", data=relline.encode(), mode=0o644),
                FileEnt("/etc/system-release", "symlink", target=rf, mode=0o777),
                FileEnt("/etc/system-release-cpe",
                        data=f"cpe:/o:{prof['cpe_vendor']}:{self.distro['id']}:{major}\n".encode(),
                        mode=0o644),
                FileEnt(f"/etc/pki/rpm-gpg/{prof['key_file']}", data=vendor_asc, mode=0o644),
            ]
            if rf != "redhat-release":
                files.append(FileEnt("/etc/redhat-release", "symlink", target=rf, mode=0o777))
            # the distribution's own .repo files belong to the release package, as on RHEL
            byfile = {}
            if side == "source":
                for r in self.source_repos:
                    if r["distro"]:
                        byfile.setdefault(r["file"], []).append(repo_stanza(r, prof))
            else:
                for r in self.target_repos:
                    if r["distro"]:
                        byfile.setdefault(f"{self.distro['id']}-{r['native_id']}.repo", []).append(
                            target_native_stanza(r, prof))
            for fname, stanzas in sorted(byfile.items()):
                files.append(FileEnt(f"/etc/yum.repos.d/{fname}", data="\n".join(stanzas).encode(),
                                     mode=0o644, config="noreplace"))
            p.files = files
            p.deps["provides"] = [f"redhat-release = {ver}", f"system-release = {ver}",
                                  f"system-release(releasever) = {major}",
                                  f"base-module(platform:el{major})"]
            (self.source_pkgs if side == "source" else self.target_pkgs).insert(0, p)

    def _kernel_packages(self):
        first_src = next((r["id"] for r in self.source_repos if r["distro"]),
                         self.source_repos[0]["id"])
        for k in self.kernel["installed"]:
            kver = k["kver"]
            core = self._mkpkg("source", "kernel-core", k["version"], k["release"], first_src,
                               "kernel")
            core.kver = kver
            core.summary = "The Linux kernel (synthetic: the vmlinuz is a placeholder)"
            md = f"/lib/modules/{kver}"
            modfiles = [(m, module_path(m)) for m in sorted(set(self.kernel["modules"]))]
            depmod = "".join(f"{path}:{' '.join(module_path(d) for d in MODULE_DEPS.get(m, []))}\n"
                             for m, path in modfiles)
            files = [
                FileEnt(md, "dir", mode=0o755),
                FileEnt(f"{md}/kernel", "dir", mode=0o755),
                FileEnt(f"{md}/vmlinuz", data=fake_blob("vmlinuz", kver, 16384), mode=0o755),
                FileEnt(f"{md}/.vmlinuz.hmac",
                        data=f"{stable_hex('hmac', kver, n=64)}  vmlinuz-{kver}\n".encode(),
                        mode=0o644),
                FileEnt(f"{md}/System.map", data=f"ffffffff81000000 T _text ({kver})\n".encode(),
                        mode=0o644),
                FileEnt(f"{md}/config", data=f"# Linux/x86_64 {kver} Kernel Configuration\n"
                        "CONFIG_64BIT=y\nCONFIG_X86_64=y\nCONFIG_XFS_FS=m\n".encode(), mode=0o644),
                FileEnt(f"{md}/modules.dep", data=depmod.encode(), mode=0o644),
                FileEnt(f"{md}/modules.order",
                        data="".join(p + "\n" for _, p in modfiles).encode(), mode=0o644),
                FileEnt(f"{md}/modules.builtin", data=b"kernel/fs/ext4/ext4.ko\n", mode=0o644),
            ]
            for m, path in modfiles:
                files.append(FileEnt(f"{md}/{path}", data=fake_blob("ko", f"{kver}/{m}", 512),
                                     mode=0o644))
            dirs = set()
            for f in list(files):
                d = os.path.dirname(f.path)
                while d.startswith(md + "/kernel/") and d not in dirs:
                    dirs.add(d)
                    d = os.path.dirname(d)
            files += [FileEnt(d, "dir", mode=0o755) for d in sorted(dirs)]
            files += boot_ghosts(kver, hmac=True)
            core.files = files
            core.deps["provides"] = [f"kernel = {k['version']}-{k['release']}",
                                     f"kernel-x86_64 = {k['version']}-{k['release']}",
                                     f"kernel-uname-r = {kver}",
                                     f"kernel-core-uname-r = {kver}", "installonlypkg(kernel)"]
            core.deps["requires"] = ["dracut"]
            mods = self._mkpkg("source", "kernel-modules", k["version"], k["release"], first_src,
                               "kernel")
            mods.kver = kver
            mods.summary = "Kernel modules (synthetic: all of them are in kernel-core)"
            mods.deps["provides"] = [f"kernel-modules-uname-r = {kver}",
                                     "installonlypkg(kernel-module)"]
            mods.deps["requires"] = [f"kernel-core-uname-r = {kver}"]
            meta = self._mkpkg("source", "kernel", k["version"], k["release"], first_src, "kernel")
            meta.kver = kver
            meta.summary = "The Linux kernel (metapackage)"
            meta.deps["provides"] = ["installonlypkg(kernel)"]
            meta.deps["requires"] = [f"kernel-core-uname-r = {kver}",
                                     f"kernel-modules-uname-r = {kver}"]
            self.source_pkgs += [core, mods, meta]
        # the target kernel: the host's real Debian kernel, repackaged
        tk = self.target_kernel
        trepo = tk["repo"] or next((r["id"] for r in self.target_repos if r["distro"]),
                                   self.target_repos[0]["id"])
        if trepo not in self.tgt_repo_by_id:
            raise SpecError(f"kernel.target.repo: unknown target repo '{trepo}'", tk["where"])
        tk["repo"] = trepo
        kver = tk["kver"]
        md = f"/lib/modules/{kver}"
        core = self._mkpkg("target", "kernel-core", tk["version"], tk["release"], trepo, "kernel")
        core.kver = kver
        core.summary = f"The Linux kernel (the build host's {kver}, repackaged)"
        core.files = [FileEnt(md, "hosttree", host=tk["moddir"]),
                      FileEnt(f"{md}/vmlinuz", "file", host=tk["vmlinuz"], mode=0o755)]
        core.files += boot_ghosts(kver, hmac=False)
        evr = f"{tk['version']}-{tk['release']}"
        # the uname string has more than one '-', which no rpm version may have: the
        # uname-r provides use the RHEL form, version-release.arch; the real one is the path
        uname = f"{evr}.x86_64"
        tk["rpm_uname"] = uname
        core.deps["provides"] = [f"kernel = {evr}", f"kernel-x86_64 = {evr}",
                                 f"kernel-uname-r = {uname}", f"kernel-core-uname-r = {uname}",
                                 "installonlypkg(kernel)"]
        core.deps["requires"] = ["dracut"]
        # as RHEL's kernel-core does, but tolerant of a system without kernel-install
        core.scripts["posttrans"] = (
            f"if [ -x /usr/bin/kernel-install ]; then\n"
            f"    /usr/bin/kernel-install add {kver} {md}/vmlinuz || exit $?\nfi\n")
        mods = self._mkpkg("target", "kernel-modules", tk["version"], tk["release"], trepo,
                           "kernel")
        mods.kver = kver
        mods.summary = "Kernel modules (metapackage: the modules are in kernel-core)"
        mods.deps["provides"] = [f"kernel-modules-uname-r = {uname}",
                                 "installonlypkg(kernel-module)"]
        mods.deps["requires"] = [f"kernel-core-uname-r = {uname}"]
        meta = self._mkpkg("target", "kernel", tk["version"], tk["release"], trepo, "kernel")
        meta.kver = kver
        meta.summary = "The Linux kernel (metapackage)"
        meta.deps["provides"] = ["installonlypkg(kernel)"]
        meta.deps["requires"] = [f"kernel-core-uname-r = {uname}",
                                 f"kernel-modules-uname-r = {uname}"]
        self.target_pkgs += [core, mods, meta]
        tk["nevra"] = core.nevra
        tk["packages"] = [core.nevra, mods.nevra, meta.nevra]

    # -- PES ------------------------------------------------------------------------------

    def _pes(self):
        self.pes = []
        ids = set()
        d = self.distro
        os_name = d["profile"]["os_name"]
        tnames = {}
        for p in self.target_pkgs:
            tnames.setdefault(p.name, []).append(p)
        snames = {p.name for p in self.source_pkgs}
        events = list(self.spec.get("pes", []))
        nspec = len(events)
        events += self.generated_pes()
        for i, e in enumerate(events):
            w = where(self.spec.get("pes"), i) if i < nspec else "(generated)"
            if e["id"] in ids:
                raise SpecError(f"PES event id {e['id']} is used twice", w)
            ids.add(e["id"])
            action = e.get("action")
            if action is None:
                raise SpecError(f"PES event {e['id']} has no action", w)
            act = PES_ACTIONS[action] if isinstance(action, str) else action

            def pkgset(refs, side, set_id, stream):
                out = []
                for ref in refs:
                    name, repo = ref.split("@", 1)
                    if side == "in":
                        r = self.src_repo_by_id.get(repo) or self.src_repo_by_pesid.get(repo)
                    else:
                        r = self.tgt_repo_by_id.get(repo) or self.tgt_repo_by_pesid.get(repo)
                    if r is None:
                        raise SpecError(f"PES event {e['id']}: '{ref}': unknown "
                                        f"{'source' if side == 'in' else 'target'} repo '{repo}'",
                                        w)
                    if side == "out" and name not in tnames:
                        raise SpecError(f"PES event {e['id']}: '{name}' is in no target repo", w)
                    if side == "out" and not any(p.repo == r["id"] for p in tnames[name]):
                        raise SpecError(f"PES event {e['id']}: '{name}' is not in target repo "
                                        f"'{r['id']}'", w)
                    out.append({"modulestreams": [stream_obj(stream)], "name": name,
                                "repository": r["pesid"]})
                return {"package": out, "set_id": set_id} if refs else None

            ins = list(e.get("in", []))
            outs = list(e.get("out", []))
            if not ins:
                raise SpecError(f"PES event {e['id']} has an empty 'in'", w)
            if act in (1, 2) and outs:
                raise SpecError(f"PES event {e['id']}: a {action} event has no 'out'", w)
            if act in (3, 4, 5, 6, 7) and not outs:
                raise SpecError(f"PES event {e['id']}: a {action} event needs 'out'", w)
            irel = e.get("initial_release", d["source"] if "." in d["source"]
                         else f"{d['source']}.0")
            rel = e.get("release", f"{d['target_major']}.0")
            maps = []
            for mm in e.get("modulestream_maps", []):
                maps.append({"in_modulestream": stream_obj(mm.get("in")),
                             "out_modulestream": stream_obj(mm.get("out"))})
            if not maps and outs:
                maps = [{"in_modulestream": stream_obj(e.get("in_modulestream")),
                         "out_modulestream": stream_obj(e.get("out_modulestream"))}]
            ev = {
                "action": act,
                "architectures": list(e.get("architectures", ALL_ARCHES)),
                "id": e["id"],
                "in_packageset": pkgset(ins, "in", 100000 + 2 * e["id"], e.get("in_modulestream")),
                "initial_release": release_obj(irel, os_name),
                "modulestream_maps": maps,
                "out_packageset": pkgset(outs, "out", 100001 + 2 * e["id"],
                                         e.get("out_modulestream")),
                "release": release_obj(rel, os_name),
            }
            if e.get("description"):
                ev["description"] = e["description"]
            for ref in ins:
                if ref.split("@")[0] not in snames:
                    self.warnings.append(f"PES event {e['id']}: '{ref}' is not installed")
            self.pes.append(ev)
        self.pes.sort(key=lambda ev: ev["id"])

    def generated_pes(self):
        return getattr(self, "_generated_pes", [])

    # -- tree files, services, modules ----------------------------------------------------

    def _tree_files(self):
        self.tree_files = {}
        for path, v in self.spec.get("files", {}).items():
            w = where(self.spec["files"], path)
            if isinstance(v, str):
                v = {"content": v}
            if v.get("dir"):
                fe = FileEnt(path, "dir", mode=int(v.get("mode", "0755"), 8))
            elif "symlink" in v:
                fe = FileEnt(path, "symlink", target=v["symlink"])
            elif "host" in v:
                if not os.path.isfile(v["host"]):
                    raise SpecError(f"host file '{v['host']}' does not exist", w)
                fe = FileEnt(path, "file", host=v["host"], mode=int(v.get("mode", "0644"), 8))
            else:
                fe = FileEnt(path, "file", data=_text(v.get("content", "")),
                             mode=int(v.get("mode", "0644"), 8))
            self.tree_files[path] = fe

    def _services(self):
        s = self.spec.get("services", MDict())
        units = {}
        for p in self.source_pkgs:
            for f in p.files:
                if f.path.startswith("/usr/lib/systemd/system/") and f.kind == "file":
                    units[os.path.basename(f.path)] = f
        for path, f in self.tree_files.items():
            if path.startswith("/usr/lib/systemd/system/") and f.kind == "file":
                units[os.path.basename(path)] = f
        enabled = []
        for i, u in enumerate(s.get("enabled", [])):
            if u not in units:
                raise SpecError(f"service '{u}' is enabled but no installed package has "
                                f"/usr/lib/systemd/system/{u}", where(s.get("enabled"), i))
            wanted = unit_wantedby(units[u].data or b"") or ["multi-user.target"]
            enabled.append({"unit": u, "wantedby": wanted})
        disabled = list(s.get("disabled", []))
        self.services = {"enabled": enabled, "disabled": disabled,
                         "default_target": s.get("default_target", "multi-user.target")}

    def _modules(self):
        self.dnf_modules = [dict(m) for m in self.spec.get("dnf_modules", [])]
        self.module_streams = []
        for i, m in enumerate(self.spec.get("module_streams", [])):
            w = where(self.spec["module_streams"], i)
            if m["repo"] not in self.tgt_repo_by_id:
                raise SpecError(f"module stream {m['name']}:{m['stream']}: unknown target repo "
                                f"'{m['repo']}'", w)
            pkgs = []
            prefix = f"{m['name']}:{m['stream']}:"
            for n in m["packages"]:
                cands = [p for p in self.target_pkgs if p.name == n and p.repo == m["repo"]
                         and (p.modularitylabel or "").startswith(prefix)]
                if not cands:
                    raise SpecError(f"module stream {m['name']}:{m['stream']}: no package '{n}' "
                                    f"with modularitylabel {prefix}... in target repo "
                                    f"'{m['repo']}'", w)
                pkgs += cands
            mm = dict(m)
            mm.setdefault("version", int(f"{self.distro['target_major']}0000"
                                         f"{self.epoch // 86400}"))
            mm.setdefault("context", stable_hex(m["name"], m["stream"], n=8))
            mm["_pkgs"] = pkgs
            self.module_streams.append(mm)

    def _expected(self):
        self.expected = dict(getattr(self, "_generated_expected", {}))
        self.expected.update(self.spec.get("expected", {}))

    # -- consistency ----------------------------------------------------------------------

    def _check(self):
        # names of the installed set must be unique except install-only kernels
        seen = {}
        for p in self.source_pkgs:
            key = (p.name, p.arch == "i686")     # multilib twins: x86_64 (or noarch) and i686
            if key in seen and p.origin != "kernel":
                raise SpecError(f"package '{p.name}' is installed twice", p.where)
            seen[key] = p
        # the installed set must be closed under Requires (rpm -i checks this too, later)
        bad = unsatisfied(self.source_pkgs)
        if bad:
            p, d = bad[0]
            raise SpecError(f"installed package '{p.name}' requires '{d}', which no installed "
                            f"package provides ({len(bad)} such problems)", p.where)
        # the target repos must be closed under Requires, except what the spec expects
        allowed = set()
        exp = self.expected.get("unsatisfied")
        if exp:
            allowed.add((exp["package"], exp["requires"]))
        bad = [(p, d) for p, d in unsatisfied(self.target_pkgs) if (p.name, d) not in allowed]
        if bad:
            p, d = bad[0]
            raise SpecError(f"target package '{p.name}' requires '{d}', which no target repo "
                            f"provides ({len(bad)} such problems; declare expected.unsatisfied "
                            "if that is the point)", p.where)
        if exp:
            idx = ProvideIndex(self.target_pkgs)
            if idx.what_provides(exp["requires"]):
                raise SpecError(f"expected.unsatisfied: '{exp['requires']}' is provided in the "
                                "target repos", where(self.spec.get("expected"), "unsatisfied"))
        # every target repo's file paths: the same path in two packages is only allowed
        # with identical content, unless the spec expects a file conflict
        fc = self.expected.get("file_conflict")
        owners = {}
        for p in self.target_pkgs:
            for f in p.files:
                if f.kind == "file" and not f.ghost:
                    owners.setdefault(f.path, []).append((p, f))
        for path, lst in owners.items():
            names = {p.name for p, _ in lst}
            if len(names) > 1:
                datas = {f.data if f.data is not None else f.host for _, f in lst}
                if len(datas) > 1 and not (fc and fc["file"] == path):
                    raise SpecError(f"target packages {', '.join(sorted(names))} own '{path}' "
                                    "with different content (declare expected.file_conflict "
                                    "if that is the point)", lst[0][0].where)
        if fc and len({p.name for p, _ in owners.get(fc["file"], [])}) < 2:
            raise SpecError(f"expected.file_conflict: fewer than two target packages own "
                            f"'{fc['file']}'", where(self.spec.get("expected"), "file_conflict"))
        drv = self.expected.get("removed_driver")
        if drv:
            if drv not in self.kernel["modules"]:
                raise SpecError(f"expected.removed_driver '{drv}' is not in kernel.modules",
                                where(self.spec.get("expected"), "removed_driver"))
            if not driver_removed_in(drv, self.distro["target_major"]):
                raise SpecError(f"expected.removed_driver '{drv}': "
                                "device_driver_deprecation_data.json does not remove it in "
                                f"{self.distro['target_major']}",
                                where(self.spec.get("expected"), "removed_driver"))
        for n in self.expected.get("kept", []):
            if (n, False) not in seen and (n, True) not in seen:
                raise SpecError(f"expected.kept: '{n}' is not installed",
                                where(self.spec.get("expected"), "kept"))


class _VRKey:
    """Sort key for kernel version-release strings with rpm's ordering."""

    def __init__(self, vr):
        self.v, _, self.r = vr.partition("-")

    def __lt__(self, o):
        c = vercmp(self.v, o.v)
        return c < 0 if c else vercmp(self.r, o.r) < 0


def stream_obj(s):
    if not s:
        return None
    n, st = s.split(":", 1)
    return {"name": n, "stream": st}


def release_obj(rel, os_name):
    major, minor = rel.split(".")
    return {"major_version": int(major), "minor_version": int(minor), "os_name": os_name,
            "tag": None, "z_stream": None}


def repo_stanza(r, prof, gpgkey_path=None):
    """A source .repo stanza as dnf reads it."""
    lines = [f"[{r['id']}]", f"name={r['name']}"]
    if r.get("mirrorlist"):
        lines.append(f"mirrorlist={r['mirrorlist']}")
    if r.get("baseurl"):
        lines.append(f"baseurl={r['baseurl']}")
    lines.append(f"enabled={1 if r['enabled'] else 0}")
    lines.append(f"gpgcheck={1 if r['gpgcheck'] else 0}")
    if r["distro"]:
        lines.append("countme=1")
        lines.append(f"gpgkey=file:///etc/pki/rpm-gpg/{prof['key_file']}")
    elif gpgkey_path:
        lines.append(f"gpgkey=file://{gpgkey_path}")
    return "\n".join(lines) + "\n"


def target_native_stanza(r, prof):
    """How the target release package names its repos (installed by the upgrade)."""
    lines = [f"[{r['native_id']}]", f"name={r['name']}"]
    if prof.get("target_mirror"):
        lines.append("mirrorlist=" + prof["target_mirror"].format(native=r["native_id"]))
    else:
        lines.append(f"baseurl=https://repo.example.com/{r['native_id']}/el$releasever/$basearch/")
    lines += ["enabled=1", "gpgcheck=1", "countme=1",
              f"gpgkey=file:///etc/pki/rpm-gpg/{prof['key_file']}"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# kernel modules of the fake source kernel

DEFAULT_MODULES = ["xfs", "virtio_net", "virtio_blk", "virtio_console", "virtio_balloon",
                   "dm_mod", "crc32c_intel", "serio_raw", "ata_piix", "sg", "fuse",
                   "ip_tables", "i2c_piix4", "pcspkr", "joydev"]
MODULE_DEPS = {
    "xfs": ["libcrc32c"], "virtio_net": ["net_failover"], "net_failover": ["failover"],
    "ata_piix": ["libata"], "ata_generic": ["libata"], "dm_mirror": ["dm_region_hash", "dm_log",
                                                                      "dm_mod"],
    "dm_region_hash": ["dm_log"], "dm_log": ["dm_mod"],
    "nfsv4": ["nfs", "dns_resolver"], "nfs": ["lockd", "grace", "fscache", "sunrpc"],
    "lockd": ["grace", "sunrpc"], "sd_mod": ["t10_pi"], "liquidio": ["ptp"], "ptp": ["pps_core"],
}
MODULE_PATHS = {
    "xfs": "kernel/fs/xfs/xfs.ko.xz", "libcrc32c": "kernel/lib/libcrc32c.ko.xz",
    "virtio_net": "kernel/drivers/net/virtio_net.ko.xz",
    "net_failover": "kernel/drivers/net/net_failover.ko.xz",
    "failover": "kernel/net/core/failover.ko.xz",
    "virtio_blk": "kernel/drivers/block/virtio_blk.ko.xz",
    "virtio_console": "kernel/drivers/char/virtio_console.ko.xz",
    "virtio_balloon": "kernel/drivers/virtio/virtio_balloon.ko.xz",
    "dm_mod": "kernel/drivers/md/dm-mod.ko.xz", "dm_log": "kernel/drivers/md/dm-log.ko.xz",
    "crc32c_intel": "kernel/arch/x86/crypto/crc32c-intel.ko.xz",
    "serio_raw": "kernel/drivers/input/serio/serio_raw.ko.xz",
    "ata_piix": "kernel/drivers/ata/ata_piix.ko.xz", "libata": "kernel/drivers/ata/libata.ko.xz",
    "sg": "kernel/drivers/scsi/sg.ko.xz", "fuse": "kernel/fs/fuse/fuse.ko.xz",
    "ip_tables": "kernel/net/ipv4/netfilter/ip_tables.ko.xz",
    "i2c_piix4": "kernel/drivers/i2c/busses/i2c-piix4.ko.xz",
    "pcspkr": "kernel/drivers/input/misc/pcspkr.ko.xz",
    "joydev": "kernel/drivers/input/joydev.ko.xz",
    "nfs": "kernel/fs/nfs/nfs.ko.xz", "nfsv4": "kernel/fs/nfs/nfsv4.ko.xz",
    "lockd": "kernel/fs/lockd/lockd.ko.xz", "grace": "kernel/fs/nfs_common/grace.ko.xz",
    "fscache": "kernel/fs/fscache/fscache.ko.xz", "sunrpc": "kernel/net/sunrpc/sunrpc.ko.xz",
    "dns_resolver": "kernel/net/dns_resolver/dns_resolver.ko.xz",
    "liquidio": "kernel/drivers/net/ethernet/cavium/liquidio/liquidio.ko.xz",
    "ptp": "kernel/drivers/ptp/ptp.ko.xz", "pps_core": "kernel/drivers/pps/pps_core.ko.xz",
}


def boot_ghosts(kver, hmac):
    """The /boot files kernel-install makes, which kernel-core owns as %ghost (RHEL's modes)."""
    out = [FileEnt(f"/boot/vmlinuz-{kver}", data=b"", mode=0o755, ghost=True),
           FileEnt(f"/boot/initramfs-{kver}.img", data=b"", mode=0o600, ghost=True),
           FileEnt(f"/boot/System.map-{kver}", data=b"", mode=0o600, ghost=True),
           FileEnt(f"/boot/config-{kver}", data=b"", mode=0o644, ghost=True)]
    if hmac:
        out.append(FileEnt(f"/boot/.vmlinuz-{kver}.hmac", data=b"", mode=0o644, ghost=True))
    return out


def module_path(m):
    return MODULE_PATHS.get(m, f"kernel/drivers/misc/{m.replace('_', '-')}.ko.xz")


def fake_blob(kind, key, n):
    head = f"MKSYSROOT-FAKE-{kind.upper()} {key}\n".encode()
    return head + filler(max(0, n - len(head)), key)


# ---------------------------------------------------------------------------------------


def host_kernel():
    """The newest host kernel that has both /boot/vmlinuz-KVER and /lib/modules/KVER."""
    try:
        cands = [d for d in os.listdir("/lib/modules")
                 if os.path.isfile(f"/boot/vmlinuz-{d}") and
                 os.path.isfile(f"/lib/modules/{d}/modules.dep")]
    except OSError:
        cands = []
    if not cands:
        raise ToolError("no host kernel with /boot/vmlinuz-KVER and /lib/modules/KVER: install "
                        "the Debian package linux-image-cloud-amd64 (scripts/install-deps.sh)")
    cands.sort(key=_VRKey)
    return cands[-1]


_UPGRADE_PATHS = None


def load_upgrade_paths():
    global _UPGRADE_PATHS
    if _UPGRADE_PATHS is None:
        with open(os.path.join(DATA_DIR, "upgrade_paths.json")) as f:
            _UPGRADE_PATHS = json.load(f)
    return _UPGRADE_PATHS


def driver_removed_in(driver, major):
    with open(os.path.join(DATA_DIR, "device_driver_deprecation_data.json")) as f:
        data = json.load(f)["data"]
    ents = [e for e in data if e.get("driver_name") == driver]
    return bool(ents) and all(major not in e.get("available_in_rhel", []) for e in ents)


def read_key(which, secret=False):
    path = os.path.join(HERE, "keys", f"{which}{'.sec' if secret else ''}.asc")
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise MksrError(f"cannot read key {path}: {e.strerror}") from None
