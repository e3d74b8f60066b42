"""Builds the packages of a System: generated spec files, rpmbuild, rpmsign, and a cache.

Each package has its own cache key (its spec fragment, file contents, signing key and the
build recipe in this file), so systems that share packages share the cache. Packages not
in the cache are built together as subpackages of one generated spec file per batch,
which is what makes building hundreds of packages take about a second.
"""

import concurrent.futures
import hashlib
import os
import shutil
import subprocess
import tempfile
import time

from .errors import MksrError, ToolError
from .model import read_key

TOOLS = {
    # tool -> Debian package that provides it
    "rpmbuild": "rpm",
    "rpm": "rpm",
    "rpmsign": "rpm",
    "createrepo_c": "createrepo-c",
    "modifyrepo_c": "createrepo-c",
    "gpg": "gnupg",
    "gpgconf": "gnupg",
    "busybox": "busybox-static",
    "cpio": "cpio",
    "db5.3_load": "db5.3-util",
}

BATCH_MAX = 400          # subpackages per generated spec; keeps rpmbuild's lists short
PAYLOAD = "w3.zstdio"    # fast, and readable by el8's and el9's rpm
SIGN_CHUNK = 100


TOOL_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def tool_path():
    """Where tools are looked for: a fixed PATH (not the caller's, which may put another
    python or rpm first), or MKSYSROOT_TOOL_PATH (tests use it to hide a tool)."""
    return os.environ.get("MKSYSROOT_TOOL_PATH") or TOOL_PATH


def need_tool(name):
    """The path of a tool, or a ToolError naming the Debian package to install."""
    path = shutil.which(name, path=tool_path())
    if not path:
        raise ToolError(f"'{name}' not found: install the Debian package "
                        f"'{TOOLS.get(name, name)}' (scripts/install-deps.sh)")
    return path


def busybox_path():
    """The static busybox that becomes the tree's /bin/sh (a dynamic one would not run)."""
    for d in tool_path().split(":"):
        p = os.path.join(d, "busybox")
        if os.path.isfile(p):
            try:
                if _is_static(p):
                    return os.path.realpath(p)
            except OSError:
                continue
    raise ToolError("'busybox' not found: install the Debian package 'busybox-static' (a static "
                    "busybox is the tree's /bin/sh; scripts/install-deps.sh)")


def _is_static(path):
    # an ELF with no PT_INTERP program header is static; read the program headers
    import struct
    with open(path, "rb") as f:
        hdr = f.read(64)
        if hdr[:4] != b"\x7fELF" or hdr[4] != 2:
            return False
        phoff, = struct.unpack_from("<Q", hdr, 32)
        phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
        f.seek(phoff)
        ph = f.read(phentsize * phnum)
    for i in range(phnum):
        ptype, = struct.unpack_from("<I", ph, i * phentsize)
        if ptype == 3:      # PT_INTERP
            return False
    return True


def run(argv, env=None, cwd=None, what=None, input=None):
    """Runs argv; on failure raises MksrError with the tail of its output."""
    try:
        r = subprocess.run(argv, env=env, cwd=cwd, input=input, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
    except FileNotFoundError:
        need_tool(argv[0])
        raise
    if r.returncode != 0:
        tail = "\n".join(r.stdout.decode(errors="replace").splitlines()[-25:])
        raise MksrError(f"{what or os.path.basename(argv[0])} failed (exit {r.returncode}):\n{tail}")
    return r.stdout.decode(errors="replace")


def clean_env(epoch, home):
    """A fixed environment for the tools: no ~/.rpmmacros, UTC, C locale, fixed epoch."""
    return {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": home, "LC_ALL": "C", "TZ": "UTC",
            "SOURCE_DATE_EPOCH": str(epoch)}


_RECIPE = None


def recipe_hash():
    """Hash of what turns a package description into bytes: the functions below that write
    spec text, fill the build root, run rpmbuild and sign, plus rpm's version and the keys.
    (Not the whole file: editing a log line should not rebuild the 35 MB kernel.)"""
    global _RECIPE
    if _RECIPE is None:
        import inspect
        h = hashlib.sha256()
        for fn in (fragment, populate, Builder._build_batch, Builder._rpmsign, Builder._gnupg,
                   clean_env, _esc, _one_line, _qpath):
            h.update(inspect.getsource(fn).encode())
        # sign.py makes the same bytes as rpmsign (a test checks it), so it is not part of
        # the recipe: MKSYSROOT_RPMSIGN=1 builds hit the same cache entries
        h.update(f"{PAYLOAD}".encode())
        h.update(subprocess.run([need_tool("rpmbuild"), "--version"], stdout=subprocess.PIPE)
                 .stdout)
        for k in ("vendor", "other"):
            h.update(read_key(k))
        _RECIPE = h.hexdigest()
    return _RECIPE


# ---------------------------------------------------------------------------------------
# spec text


def _esc(s):
    return str(s).replace("%", "%%")


def _one_line(s):
    return _esc(" ".join(str(s).split()))


def _qpath(p):
    # rpm globs %files entries; quote, and escape glob characters
    for ch in "*?[]{}":
        p = p.replace(ch, "\\" + ch)
    return f'"{p}"'


def fragment(p):
    """The spec text of one subpackage: preamble, description, %files and scriptlets."""
    pre = [f"%package -n {p.name}", f"Summary: {_one_line(p.summary)}"]
    if p.epoch is not None:
        pre.append(f"Epoch: {p.epoch}")
    pre += [f"Version: {p.version}", f"Release: {p.release}",
            f"License: {_one_line(p.license)}", "AutoReqProv: no"]
    for tag, val in (("URL", p.url), ("Group", p.group), ("Vendor", p.vendor),
                     ("Packager", p.packager), ("Distribution", p.distribution)):
        if val:
            pre.append(f"{tag}: {_one_line(val)}")
    if p.arch == "noarch":
        pre.append("BuildArch: noarch")
    for kind, tag in (("requires", "Requires"), ("provides", "Provides"),
                      ("obsoletes", "Obsoletes"), ("conflicts", "Conflicts"),
                      ("recommends", "Recommends"), ("suggests", "Suggests"),
                      ("supplements", "Supplements"), ("enhances", "Enhances")):
        for d in p.deps.get(kind, ()):
            pre.append(f"{tag}: {_esc(d)}")
    desc = [f"%description -n {p.name}", _esc(p.description).replace("\n%", "\n%%"), ""]
    files = [f"%files -n {p.name}", "%defattr(-,root,root,-)"]
    trees = [f.path + "/" for f in p.files if f.kind == "hosttree"]
    for f in p.files:
        if f.kind == "hosttree":
            files.append(_qpath(f.path))
            continue
        if any(f.path.startswith(t) for t in trees):
            continue            # packaged with its tree
        attrs = []
        if f.ghost:
            attrs.append("%ghost")
        if f.config == "noreplace":
            attrs.append("%config(noreplace)")
        elif f.config == "replace":
            attrs.append("%config")
        if f.doc:
            attrs.append("%doc")
        if f.kind == "dir":
            attrs.append("%dir")
        if f.kind != "symlink":
            attrs.append(f"%attr({f.mode:04o},root,root)")
        files.append(" ".join(attrs + [_qpath(f.path)]))
    scripts = []
    for kind in ("pretrans", "pre", "post", "preun", "postun", "posttrans"):
        if kind in p.scripts:
            body = _esc(p.scripts[kind]).rstrip("\n")
            scripts += [f"%{kind} -n {p.name} -p /bin/sh", body, ""]
    return "\n".join(pre + [""] + desc + files + [""] + scripts) + "\n"


def pkg_hash(p, epoch):
    """The cache key of one package."""
    h = hashlib.sha256()
    h.update(recipe_hash().encode())
    h.update(f"epoch={epoch}\nlabel={p.modularitylabel}\nsign={p.sign}:{p.digest}\n".encode())
    h.update(fragment(p).encode())
    for f in p.files:
        h.update(repr(f.digest_key()).encode())
    return h.hexdigest()


# ---------------------------------------------------------------------------------------
# building


class Builder:
    """Builds (or finds in the cache) the RPM file of every package of a System."""

    def __init__(self, cache_dir, epoch, jobs=None, log=None):
        self.cache = cache_dir
        self.epoch = epoch
        self.jobs = jobs or min(4, os.cpu_count() or 1)
        self.log = log or (lambda *a: None)
        self.gnupg = None
        self.stats = {"built": 0, "cached": 0, "signed": 0}

    def close(self):
        if self.gnupg:
            subprocess.run([need_tool("gpgconf"), "--kill", "all"], env={**os.environ,
                           "GNUPGHOME": self.gnupg}, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            shutil.rmtree(self.gnupg, ignore_errors=True)
            self.gnupg = None

    def path_for(self, h, p):
        return os.path.join(self.cache, "rpms", h[:2], h, p.filename)

    def build_all(self, pkgs):
        """Sets p.rpm (a path in the cache) and p.hash for every package."""
        todo = []
        for p in pkgs:
            p.hash = pkg_hash(p, self.epoch)
            p.rpm = self.path_for(p.hash, p)
            if os.path.exists(p.rpm):
                self.stats["cached"] += 1
            else:
                todo.append(p)
        if not todo:
            return
        for tool in ("rpmbuild", "rpmsign", "gpg"):
            need_tool(tool)
        batches = make_batches(todo)
        self.log(f"building {len(todo)} packages in {len(batches)} batch(es)")
        work = tempfile.mkdtemp(prefix="build-", dir=self._tmp())
        try:
            t0 = time.monotonic()
            with concurrent.futures.ThreadPoolExecutor(self.jobs) as ex:
                futs = [ex.submit(self._build_batch, i, b, work) for i, b in enumerate(batches)]
                built = []
                for fu in futs:
                    built += fu.result()
            t1 = time.monotonic()
            self._sign(built)
            self.log(f"rpmbuild {t1 - t0:.1f}s, signing {time.monotonic() - t1:.1f}s")
            for p, path in built:
                dest = p.rpm
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                os.utime(path, (self.epoch, self.epoch))
                tmp = dest + f".tmp{os.getpid()}"
                shutil.move(path, tmp)
                os.replace(tmp, dest)
                self.stats["built"] += 1
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _tmp(self):
        d = os.path.join(self.cache, "tmp")
        os.makedirs(d, exist_ok=True)
        return d

    def _build_batch(self, idx, batch, work):
        top = os.path.join(work, f"b{idx}")
        broot = os.path.join(top, "BUILDROOT")
        os.makedirs(os.path.join(top, "RPMS"))
        os.makedirs(broot)
        label = batch[0].modularitylabel
        heavy = any(f.kind == "hosttree" for p in batch for f in p.files)
        install = []
        for p in batch:
            for f in p.files:
                populate(broot, f, install)
        spec = ["Name: mksysroot-synthetic", "Version: 1", "Release: 1",
                "Summary: Synthetic packages built by mksysroot", "License: MIT",
                "AutoReqProv: no", "", "%description",
                "Synthetic packages built by scripts/mksysroot.", ""]
        for p in batch:
            spec.append(fragment(p))
        spec += ["%prep", "%build", "%install"] + install + [""]
        specfile = os.path.join(top, "synthetic.spec")
        with open(specfile, "w") as f:
            f.write("\n".join(spec))
        # no file classification: packages declare their own deps (AutoReqProv: no), and
        # rpm's fileattrs regexes and OpenMP threads cost 15 ms a package; one empty attr
        # keeps rpmfc happy
        attrs = os.path.join(top, "fileattrs")
        os.makedirs(attrs)
        open(os.path.join(attrs, "mksysroot.attr"), "w").close()
        argv = [need_tool("rpmbuild"), "-bb", "--nodeps", "--quiet", "--buildroot", broot,
                "--define", f"_fileattrsdir {attrs}",
                "--define", "__mksysroot_path ^/$",
                "--define", f"_smp_build_nthreads {os.cpu_count() if heavy else 1}",
                "--define", f"_topdir {top}",
                "--define", f"_dbpath {top}/rpmdb",
                "--define", f"_rpmdir {top}/RPMS",
                "--define", "_rpmfilename %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm",
                "--define", "_buildhost build.mksysroot.test",
                "--define", "use_source_date_epoch_as_buildtime 1",
                "--define", "clamp_mtime_to_source_date_epoch 1",
                "--define", "source_date_epoch_from_changelog 0",
                "--define", "__spec_install_pre %{___build_pre}",
                "--define", "__os_install_post %{nil}",
                "--define", "__arch_install_post %{nil}",
                "--define", "debug_package %{nil}",
                "--define", "_build_id_links none",
                "--define", f"_binary_payload {PAYLOAD}",
                "--define", "_binary_filedigest_algorithm 8",
                "--define", "_target_platform %{_target_cpu}-redhat-linux-gnu",
                "--define", "_missing_doc_files_terminate_build 0",
                "--define", "_docdir_fmt %%{NAME}"]
        if label:
            argv += ["--define", f"modularitylabel {label}"]
        if batch[0].arch == "i686":
            argv += ["--target", "i686"]     # a batch of 32-bit packages (make_batches)
        argv.append(specfile)
        run(argv, env=clean_env(self.epoch, top), cwd=top, what="rpmbuild")
        out = []
        for p in batch:
            path = os.path.join(top, "RPMS", p.filename)
            if not os.path.exists(path):
                raise MksrError(f"rpmbuild did not produce {p.filename}")
            out.append((p, path))
        return out

    def _gnupg(self):
        if self.gnupg is None:
            self.gnupg = tempfile.mkdtemp(prefix="mksr-gpg-", dir="/tmp")
            os.chmod(self.gnupg, 0o700)
            env = {**clean_env(self.epoch, self.gnupg), "GNUPGHOME": self.gnupg}
            for k in ("vendor", "other"):
                run([need_tool("gpg"), "--batch", "--quiet", "--import"], env=env,
                    input=read_key(k, secret=True), what="gpg --import")
        return self.gnupg

    def _sign(self, built):
        """Signs the freshly built packages: in-process (sign.py, byte-identical to rpmsign
        and much faster), or with rpmsign when MKSYSROOT_RPMSIGN=1 or a package is not
        what sign.py expects."""
        todo = [(p.sign, p.digest, path) for p, path in built if p.sign]
        if not todo:
            return
        rest = todo
        if os.environ.get("MKSYSROOT_RPMSIGN") != "1":
            with concurrent.futures.ProcessPoolExecutor(os.cpu_count() or 1) as ex:
                results = list(ex.map(_fast_sign, todo, [self.epoch] * len(todo),
                                      chunksize=64))
            rest = [t for t, ok in zip(todo, results) if not ok]
            self.stats["signed"] += len(todo) - len(rest)
        if rest:
            self._rpmsign(rest)

    def _rpmsign(self, todo):
        groups = {}
        for key, digest, path in todo:
            groups.setdefault((key, digest), []).append(path)
        home = self._gnupg()
        env = {**clean_env(self.epoch, home), "GNUPGHOME": home}
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(self.epoch))
        jobs = []
        for (key, digest), paths in sorted(groups.items()):
            for i in range(0, len(paths), SIGN_CHUNK):
                jobs.append((key, digest, paths[i:i + SIGN_CHUNK]))

        def sign(job):
            key, digest, paths = job
            run([need_tool("rpmsign"), "--define", f"__gpg {need_tool('gpg')}",
                 "--define", f"_gpg_name {key}@mksysroot.invalid",
                 "--define", f"_gpg_digest_algo {digest}",
                 "--define", "_gpg_sign_cmd_extra_args --batch --no-tty --pinentry-mode loopback "
                 f"--faked-system-time {stamp}!",
                 "--addsign"] + paths, env=env, what="rpmsign")
            return len(paths)
        # gpg is latency-bound (about 20 ms a signature, little of it CPU): run more at once
        with concurrent.futures.ThreadPoolExecutor(max(4, 2 * self.jobs)) as ex:
            for n in ex.map(sign, jobs):
                self.stats["signed"] += n


_SIGNERS = {}


def _fast_sign(job, epoch):
    """In a worker process: sign one package with sign.py; False means 'use rpmsign'."""
    from . import sign
    key, digest, path = job
    try:
        if key not in _SIGNERS:
            _SIGNERS[key] = sign.Signer(key)
        sign.sign_rpm(path, _SIGNERS[key], digest, epoch)
        return True
    except NotImplementedError:
        return False


def populate(broot, f, install):
    """Puts one file entry into the build root (a host tree is copied by %install)."""
    dest = broot + f.path
    if f.kind == "hosttree":
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        install.append(f"cp -a --reflink=auto '{f.host}' '%{{buildroot}}{f.path}'")
        return
    if f.ghost:
        return
    if f.kind != "file" or not f.host:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
    if f.kind == "dir":
        os.makedirs(dest, exist_ok=True)
        os.chmod(dest, f.mode)
    elif f.kind == "symlink":
        if os.path.lexists(dest):
            os.unlink(dest)
        os.symlink(f.target, dest)
    elif f.host:
        # copied by %install, after any host tree it lies in (vmlinuz in /lib/modules/KVER)
        install.append(f"install -D -m {f.mode:04o} '{f.host}' '%{{buildroot}}{f.path}'")
    else:
        with open(dest, "wb") as fh:
            fh.write(f.data or b"")
        os.chmod(dest, f.mode)


def make_batches(pkgs):
    """Groups packages into rpmbuild runs: same modularity label, 32-bit (i686) ones apart
    (rpmbuild --target i686), no name twice, no path
    owned twice (unless both are directories), no path below another package's symlink
    (/lib -> usr/lib would swallow /lib/modules), at most BATCH_MAX each. Host trees (the
    kernel) get a batch alone."""
    batches = []
    for p in sorted(pkgs, key=lambda p: (p.modularitylabel or "", p.side, p.name, p.evr)):
        heavy = any(f.kind == "hosttree" for f in p.files)
        placed = None
        if not heavy:
            for b in batches:
                if b["heavy"] or b["label"] != p.modularitylabel or len(b["pkgs"]) >= BATCH_MAX \
                        or b["i686"] != (p.arch == "i686"):
                    continue
                if p.name in b["names"] or not _fits(b, p):
                    continue
                placed = b
                break
        if placed is None:
            placed = {"label": p.modularitylabel, "heavy": heavy, "i686": p.arch == "i686",
                      "pkgs": [], "names": set(),
                      "paths": {}, "links": set(), "parents": set()}
            batches.append(placed)
        placed["pkgs"].append(p)
        placed["names"].add(p.name)
        for f in p.files:
            placed["paths"].setdefault(f.path, f)
            if f.kind == "symlink":
                placed["links"].add(f.path)
            placed["parents"].update(_ancestors(f.path))
    return [b["pkgs"] for b in batches]


def _ancestors(path):
    out = []
    d = os.path.dirname(path)
    while d not in ("/", ""):
        out.append(d)
        d = os.path.dirname(d)
    return out


def _fits(b, p):
    for f in p.files:
        other = b["paths"].get(f.path)
        if other is not None and not (other.kind == "dir" and f.kind == "dir"):
            return False
        if any(a in b["links"] for a in _ancestors(f.path)):
            return False
        if f.kind == "symlink" and f.path in b["parents"]:
            return False
    return True
