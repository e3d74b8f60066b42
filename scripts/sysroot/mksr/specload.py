"""Loads a spec file: YAML with file:line marks, include/base merging, and schema validation.

Every mapping and sequence keeps where it came from, so that errors found long after
parsing (an unknown repo in a PES event, a missing package) still name file:line.
"""

import os
import re

import yaml

from .errors import SpecError

SPEC_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "specs")


class MDict(dict):
    """A dict that remembers the file:line of itself, of each key, and each value's raw text."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.mark = None
        self.kmarks = {}
        self.raw = {}

    def where(self, key=None):
        if key is not None and key in self.kmarks:
            return self.kmarks[key]
        return self.mark


class MList(list):
    """A list that remembers the file:line of itself and of each item."""

    def __init__(self, *a):
        super().__init__(*a)
        self.mark = None
        self.imarks = []
        self.raw = []

    def where(self, i=None):
        if i is not None and 0 <= i < len(self.imarks):
            return self.imarks[i]
        return self.mark


def where(obj, key=None):
    """file:line of obj (an MDict/MList) or of one of its keys/items; None if unknown."""
    if isinstance(obj, (MDict, MList)):
        return obj.where(key)
    return None


def _loc(fname, node):
    return f"{fname}:{node.start_mark.line + 1}"


class _Loader(yaml.SafeLoader):
    pass


def _convert(node, fname, loader):
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        d = MDict()
        d.mark = _loc(fname, node)
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise SpecError("mapping keys must be plain strings", _loc(fname, knode))
            key = knode.value
            if key in d:
                raise SpecError(f"duplicate key '{key}'", _loc(fname, knode))
            d[key] = _convert(vnode, fname, loader)
            d.kmarks[key] = _loc(fname, knode)
            d.raw[key] = vnode.value if isinstance(vnode, yaml.ScalarNode) else None
        return d
    if isinstance(node, yaml.SequenceNode):
        lst = MList()
        lst.mark = _loc(fname, node)
        for item in node.value:
            lst.append(_convert(item, fname, loader))
            lst.imarks.append(_loc(fname, item))
            lst.raw.append(item.value if isinstance(item, yaml.ScalarNode) else None)
        return lst
    return loader.construct_object(node, deep=True)


def load_yaml(path, display=None):
    """Parses one YAML file into MDict/MList trees; syntax errors become file:line errors."""
    fname = display or path
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise SpecError(f"cannot read spec: {e.strerror}", fname) from None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return MDict()
            return _convert(node, fname, loader)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = " ".join(x for x in (e.context, e.problem) if x)
        if mark is not None:
            raise SpecError(f"YAML syntax error: {msg} (column {mark.column + 1})",
                            f"{fname}:{mark.line + 1}") from None
        raise SpecError(f"YAML syntax error: {msg}", fname) from None
    except yaml.YAMLError as e:
        raise SpecError(f"YAML error: {e}", fname) from None


# ---------------------------------------------------------------------------------------
# Schema: a small set of type descriptors, checked against the loaded tree.


class T:
    """Base type descriptor: check(value, where, ctx) returns the normalised value."""

    desc = "a value"

    def check(self, v, w, raw=None):
        return v


class Str(T):
    desc = "a string"

    def __init__(self, pattern=None, what=None):
        self.pattern = re.compile(pattern) if pattern else None
        self.what = what

    def check(self, v, w, raw=None):
        if isinstance(v, (MDict, MList)) or v is None:
            raise SpecError(f"expected {self.what or self.desc}", w)
        if not isinstance(v, str):
            # "version: 8.10" parses as a float; the raw text is what the author meant
            v = raw if raw is not None else str(v)
        if self.pattern and not self.pattern.fullmatch(v):
            raise SpecError(f"'{v}' is not {self.what or 'valid here'}", w)
        return v


class Int(T):
    desc = "an integer"

    def __init__(self, lo=None, hi=None):
        self.lo, self.hi = lo, hi

    def check(self, v, w, raw=None):
        if isinstance(v, bool) or not isinstance(v, int):
            raise SpecError("expected an integer", w)
        if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
            raise SpecError(f"{v} is out of range [{self.lo}, {self.hi}]", w)
        return v


class Bool(T):
    desc = "true or false"

    def check(self, v, w, raw=None):
        if not isinstance(v, bool):
            raise SpecError("expected true or false", w)
        return v


class Enum(T):
    def __init__(self, *choices):
        self.choices = choices
        self.desc = "one of " + ", ".join(str(c) for c in choices)

    def check(self, v, w, raw=None):
        if isinstance(v, (MDict, MList)):
            raise SpecError(f"expected {self.desc}", w)
        if v not in self.choices and raw not in self.choices:
            raise SpecError(f"'{raw if raw is not None else v}' is not {self.desc}", w)
        return v if v in self.choices else raw


class ListOf(T):
    def __init__(self, item, scalar_ok=False):
        self.item = item
        self.scalar_ok = scalar_ok
        self.desc = "a list"

    def check(self, v, w, raw=None):
        if self.scalar_ok and not isinstance(v, (MList, MDict)) and v is not None:
            one = MList([v])
            one.mark = w
            one.imarks = [w]
            one.raw = [raw]
            v = one
        if not isinstance(v, MList):
            raise SpecError("expected a list", w)
        out = MList()
        out.mark, out.imarks = v.mark, list(v.imarks)
        for i, item in enumerate(v):
            out.append(self.item.check(item, v.where(i), v.raw[i] if i < len(v.raw) else None))
        out.raw = list(v.raw)
        return out


class MapOf(T):
    def __init__(self, val, key_pattern=None, what="key"):
        self.val = val
        self.key_pattern = re.compile(key_pattern) if key_pattern else None
        self.what = what
        self.desc = "a mapping"

    def check(self, v, w, raw=None):
        if not isinstance(v, MDict):
            raise SpecError("expected a mapping", w)
        out = MDict()
        out.mark, out.kmarks, out.raw = v.mark, dict(v.kmarks), dict(v.raw)
        for k, item in v.items():
            if self.key_pattern and not self.key_pattern.fullmatch(k):
                raise SpecError(f"'{k}' is not a valid {self.what}", v.where(k))
            if self.what == "absolute path":
                PATH.check(k, v.where(k))
            out[k] = self.val.check(item, v.where(k), v.raw.get(k))
        return out


_STRICT = [True]   # False while checking one file of an include chain: required keys may come
                   # from the file that includes it, so they are checked on the merged spec


class Record(T):
    """A mapping with known keys: anything else is 'unknown key'."""

    def __init__(self, fields, required=(), context=None):
        self.fields = fields
        self.required = required
        self.context = context
        self.desc = "a mapping"

    def check(self, v, w, raw=None):
        if not isinstance(v, MDict):
            raise SpecError(f"expected a mapping{' for ' + self.context if self.context else ''}", w)
        out = MDict()
        out.mark, out.kmarks, out.raw = v.mark, dict(v.kmarks), dict(v.raw)
        for k, item in v.items():
            if k not in self.fields:
                raise SpecError(f"unknown key '{k}'", v.where(k))
            out[k] = self.fields[k].check(item, v.where(k), v.raw.get(k))
        for k in self.required if _STRICT[0] else ():
            if k not in v:
                raise SpecError(f"missing key '{k}'", v.mark)
        return out


class OneOf(T):
    """Chooses by YAML kind: a scalar form and/or a mapping form and/or a list form."""

    def __init__(self, scalar=None, mapping=None, seq=None):
        self.scalar, self.mapping, self.seq = scalar, mapping, seq

    def check(self, v, w, raw=None):
        if isinstance(v, MDict) and self.mapping:
            return self.mapping.check(v, w, raw)
        if isinstance(v, MList) and self.seq:
            return self.seq.check(v, w, raw)
        if not isinstance(v, (MDict, MList)) and self.scalar:
            return self.scalar.check(v, w, raw)
        kinds = [n for n, t in (("a scalar", self.scalar), ("a mapping", self.mapping),
                                ("a list", self.seq)) if t]
        raise SpecError("expected " + " or ".join(kinds), w)


class Any(T):
    def check(self, v, w, raw=None):
        return v


class Null(T):
    def check(self, v, w, raw=None):
        if v is not None:
            raise SpecError("expected null", w)
        return v


class FalseOnly(T):
    def check(self, v, w, raw=None):
        if v is not False:
            raise SpecError("expected false or a mapping", w)
        return v


# ---------------------------------------------------------------------------------------
# The spec schema. README.md documents every key.

class PathStr(Str):
    """An absolute path with no '.', '..' or empty components: it is joined to build and
    tree directories, and must stay inside them."""

    def check(self, v, w, raw=None):
        v = super().check(v, w, raw)
        if v != "/" and any(c in ("", ".", "..") for c in v[1:].rstrip("/").split("/")):
            raise SpecError(f"'{v}' is not a clean absolute path (no '.', '..' or '//')", w)
        return v


NAME = Str(r"[A-Za-z0-9_.+-][A-Za-z0-9_.+~^-]*", "a package name")
VERPART = Str(r"[A-Za-z0-9._+~^]+", "a version (letters, digits, . _ + ~ ^; no '-')")
DEP = Str(r"[^\n]+", "a dependency")
PATH = PathStr(r"/[^\n]*", "an absolute path")
MODE = Str(r"0?[0-7]{3,4}", "an octal mode such as \"0644\"")
KEY = Enum("vendor", "other", "none")
DIGEST = Enum("sha256", "sha1", "sha512")

FILE = OneOf(
    scalar=PATH,
    mapping=Record({
        "path": PATH,
        "content": Str(),
        "mode": MODE,
        "dir": Bool(),
        "symlink": Str(),
        "ghost": Bool(),
        "config": Enum("noreplace", "replace"),
        "doc": Bool(),
        "size": Int(0, 1 << 30),
        "host": Str(r"/.*|@busybox", "an absolute host path or @busybox"),
    }, required=("path",), context="a file"))

UNIT = OneOf(
    scalar=Str(r"[A-Za-z0-9@_.:-]+\.(service|timer|socket|target|path|mount)", "a unit name"),
    mapping=Record({
        "name": Str(r"[A-Za-z0-9@_.:-]+\.(service|timer|socket|target|path|mount)", "a unit name"),
        "description": Str(),
        "exec": Str(),
        "type": Str(),
        "wantedby": Str(),
        "content": Str(),
    }, required=("name",), context="a unit"))

SCRIPTS = Record({k: Str() for k in ("pre", "post", "preun", "postun", "pretrans", "posttrans")},
                 context="scripts")

_PKG_FIELDS = {
    "name": NAME,
    "epoch": Int(0, 1 << 31),
    "version": VERPART,
    "release": VERPART,
    "dist": Str(r"[A-Za-z0-9._+~^]*", "a dist tag such as el8"),
    "arch": Enum("x86_64", "noarch", "i686"),
    "repo": Str(),
    "summary": Str(),
    "description": Str(),
    "license": Str(),
    "url": Str(),
    "group": Str(),
    "vendor": Str(),
    "packager": Str(),
    "sign": KEY,
    "digest": DIGEST,
    "requires": ListOf(DEP), "provides": ListOf(DEP), "obsoletes": ListOf(DEP),
    "conflicts": ListOf(DEP), "recommends": ListOf(DEP), "suggests": ListOf(DEP),
    "supplements": ListOf(DEP), "enhances": ListOf(DEP),
    "files": ListOf(FILE),
    "scripts": SCRIPTS,
    "units": ListOf(UNIT),
    "modularitylabel": Str(r"([^:\s]+:[^:\s]+:[^:\s]+:[^:\s]+)?",
                           "a modularity label N:S:V:C (or \"\" for none)"),
    "delete": Bool(),
}

TARGET_PKG = Record(dict(_PKG_FIELDS), context="a target package")
TARGET_PKG_NAMED = Record(dict(_PKG_FIELDS), required=("name", "version"),
                          context="a target package")
SOURCE_PKG = Record(dict(_PKG_FIELDS, **{
    "edited": MapOf(Str(), key_pattern=r"/.*", what="absolute path"),
    "reason": Enum("user", "dependency"),
    "target": OneOf(scalar=FalseOnly(), mapping=TARGET_PKG),
}), required=("name",), context="a package")

REPO = Record({
    "id": Str(r"[A-Za-z0-9_.:-]+", "a repo id"),
    "name": Str(),
    "pesid": Str(r"[A-Za-z0-9_.:-]+", "a pesid"),
    "enabled": Bool(),
    "distro": Bool(),
    "from": ListOf(Str(), scalar_ok=True),
    "native_id": Str(r"[A-Za-z0-9_.:-]+", "a repo id"),
    "baseurl": Str(),
    "mirrorlist": Str(),
    "gpgcheck": Bool(),
    "key": KEY,
    "file": Str(r"[A-Za-z0-9_.-]+\.repo", "a .repo file name"),
    "channel": Str(),
    "delete": Bool(),
}, required=("id",), context="a repository")

PES_ACTIONS = ("present", "removed", "deprecated", "replaced", "split", "merged", "moved",
               "renamed")
PKGREF = Str(r"[A-Za-z0-9_.+-]+@[A-Za-z0-9_.:-]+", "a 'name@repo' reference")
STREAM = Str(r"[^:\s]+:[^:\s]+", "a module stream 'name:stream'")

PES = Record({
    "id": Int(1, 1 << 31),
    "action": OneOf(scalar=Enum(*PES_ACTIONS, 0, 1, 2, 3, 4, 5, 6, 7)),
    "in": ListOf(PKGREF, scalar_ok=True),
    "out": ListOf(PKGREF, scalar_ok=True),
    "release": Str(r"\d+\.\d+", "a release 'major.minor'"),
    "initial_release": Str(r"\d+\.\d+", "a release 'major.minor'"),
    "architectures": ListOf(Str()),
    "in_modulestream": STREAM,
    "out_modulestream": STREAM,
    "modulestream_maps": ListOf(Record({
        "in": OneOf(scalar=STREAM, mapping=None), "out": OneOf(scalar=STREAM)},
        context="a modulestream map")),
    "description": Str(),
    "delete": Bool(),
}, required=("id",), context="a PES event")

FS = Record({
    "separate": Bool(),       # boot only: false puts /boot on the root filesystem
    "fstype": Enum("xfs", "ext4", "ext3", "vfat", "btrfs"),
    "size_mib": Int(1, 1 << 30),
    "free_mib": Int(0, 1 << 30),
    "uuid": Str(r"[0-9a-fA-F-]{8,36}", "a filesystem UUID"),
    "device": Str(r"/dev/\S+", "a /dev path"),
}, context="a filesystem")

MOUNT = Record({
    "source": Str(), "target": PATH, "fstype": Str(), "options": Str(),
    "mounted": Bool(), "dump": Int(0, 1), "pass": Int(0, 2),
}, required=("source", "target", "fstype"), context="a mount")

TREEFILE = OneOf(scalar=Str(), mapping=Record({
    "content": Str(), "mode": MODE, "symlink": Str(), "dir": Bool(), "host": PATH,
}, context="a tree file"))

MODULE_STREAM = Record({
    "name": Str(r"[A-Za-z0-9_.+-]+", "a module name"),
    "stream": Str(r"[A-Za-z0-9_.+-]+", "a stream"),
    "version": Int(0),
    "context": Str(r"[A-Za-z0-9_]+", "a context"),
    "repo": Str(),
    "packages": ListOf(NAME),
    "profiles": MapOf(ListOf(NAME)),
    "default": Bool(),
    "summary": Str(),
}, required=("name", "stream", "repo", "packages"), context="a module stream")

DNF_MODULE = Record({
    "name": Str(r"[A-Za-z0-9_.+-]+", "a module name"),
    "stream": Str(r"[A-Za-z0-9_.+-]+", "a stream"),
    "profiles": ListOf(Str()),
    "state": Enum("enabled", "disabled", "installed"),
}, required=("name", "stream"), context="a dnf module state")

EXPECTED = Record({
    "inhibitors": ListOf(Str()),
    "warnings": ListOf(Str()),
    "after_upgrade": ListOf(NAME),
    "removed": ListOf(NAME),
    "kept": ListOf(NAME),
    "new": ListOf(NAME),
    "rpmnew": ListOf(PATH),
    "scriptlet_files": ListOf(PATH),
    "scriptlet_files_after_upgrade": ListOf(PATH),
    "pes": MapOf(Int(1)),
    "module_streams": MapOf(OneOf(scalar=Str())),
    "file_conflict": Record({"file": PATH, "packages": ListOf(NAME)}),
    "unsatisfied": Record({"package": NAME, "requires": Str()}),
    "removed_driver": Str(),
    "notes": Str(),
    "extra": Any(),
}, context="expected")

SPEC = Record({
    "include": ListOf(Str(), scalar_ok=True),
    "base": ListOf(Str(), scalar_ok=True),      # a synonym of include
    "name": Str(r"[A-Za-z0-9_.-]+", "a spec name"),
    "description": Str(),
    "epoch": Int(0),
    "distro": Record({
        "id": Str(r"[a-z0-9_-]+", "a distro id"),
        "name": Str(),
        "source": Str(r"\d+(\.\d+)?", "a version such as \"8.10\""),
        "target": Str(r"\d+(\.\d+)?", "a version such as \"9.6\""),
        "flavour": Str(),
        "codename": Str(),
        "target_codename": Str(),
        "data_stream": Str(),
    }, context="distro"),
    "machine_id": Str(r"[0-9a-f]{32}", "a machine id (32 lowercase hex digits)"),
    "hostname": Str(),
    "rpmdb": Enum("bdb", "sqlite"),
    "hardware": Record({
        "memory_mib": Int(64, 1 << 24),
        "cpus": Int(1, 512),
        "cpu_level": Enum("x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4"),
        "cpu_model": Str(),
    }, context="hardware"),
    "storage": Record({
        "disk": Str(r"[a-z]+", "a disk name such as vda"),
        "root": FS,
        "boot": FS,
        "swap_mib": Int(0),
        "mounts": ListOf(MOUNT),
    }, context="storage"),
    "kernel": Record({
        "installed": ListOf(Str(r"[0-9][A-Za-z0-9._+~^]*-[A-Za-z0-9._+~^]+",
                                "a kernel version-release such as 4.18.0-553.el8_10")),
        "running": Str(r"[0-9][A-Za-z0-9._+~^]*-[A-Za-z0-9._+~^]+", "a kernel version-release"),
        "cmdline": Str(),
        "modules": ListOf(Str(r"[A-Za-z0-9_-]+", "a module name")),
        "extra_modules": ListOf(Str(r"[A-Za-z0-9_-]+", "a module name")),
        "target": Record({
            "kver": Str(r"\S+", "a kernel version string"),
            "release": VERPART,
            "repo": Str(),
        }, context="kernel.target"),
    }, context="kernel"),
    "selinux": Record({"mode": Enum("enforcing", "permissive", "disabled"), "type": Str()},
                      context="selinux"),
    "services": Record({"enabled": ListOf(Str()), "disabled": ListOf(Str()),
                        "default_target": Str()}, context="services"),
    "repos": Record({"source": ListOf(REPO), "target": ListOf(REPO)}, context="repos"),
    "packages": ListOf(SOURCE_PKG),
    "target_packages": ListOf(TARGET_PKG_NAMED),
    "pes": ListOf(PES),
    "files": MapOf(TREEFILE, key_pattern=r"/.*", what="absolute path"),
    "dnf_modules": ListOf(DNF_MODULE),
    "module_streams": ListOf(MODULE_STREAM),
    "generate": Record({
        "kind": Enum("large"),
        "seed": Int(0),
        "installed": Int(1),
        "target": Int(1),
        "third_party": Int(0),
        "sign_target": Bool(),
    }, context="generate"),
    "expected": EXPECTED,
}, context="the spec")

# lists merged by key when a spec includes another; everything else: child replaces parent
KEYED_LISTS = {
    ("packages",): "name",
    ("target_packages",): "name",
    ("repos", "source"): "id",
    ("repos", "target"): "id",
    ("pes",): "id",
    ("dnf_modules",): "name",
    ("module_streams",): None,   # replaced whole
}


def resolve_include(name, from_file):
    """An include is a spec name (specs/NAME.yaml) or a path relative to the including file."""
    if "/" in name or name.endswith((".yaml", ".yml")):
        base = os.path.dirname(os.path.abspath(from_file))
        return os.path.normpath(os.path.join(base, name))
    return os.path.join(SPEC_DIR, name + ".yaml")


def _list_key(item, keyname, path):
    """The merge key of a keyed list's item; a 32-bit (i686) package is its own entry beside
    its x86_64 twin of the same name."""
    if not isinstance(item, MDict):
        return None
    k = item.get(keyname)
    if path in (("packages",), ("target_packages",)) and item.get("arch") == "i686":
        return (k, "i686")
    return k


def _merge(parent, child, path=()):
    if isinstance(parent, MDict) and isinstance(child, MDict):
        out = MDict(parent)
        out.mark = child.mark
        out.kmarks = dict(parent.kmarks)
        out.raw = dict(parent.raw)
        for k, v in child.items():
            if k in parent:
                out[k] = _merge(parent[k], v, path + (k,))
            else:
                out[k] = v
            out.kmarks[k] = child.kmarks.get(k)
            out.raw[k] = child.raw.get(k)
        return out
    keyname = KEYED_LISTS.get(path)
    if keyname and isinstance(parent, MList) and isinstance(child, MList):
        out = MList()
        out.mark = child.mark
        index = {}
        for i, item in enumerate(parent):
            k = _list_key(item, keyname, path)
            index[k] = len(out)
            out.append(item)
            out.imarks.append(parent.where(i))
            out.raw.append(None)
        for i, item in enumerate(child):
            k = _list_key(item, keyname, path)
            if k is not None and k in index:
                j = index[k]
                out[j] = _merge(out[j], item, path + ("*",))
                out.imarks[j] = child.where(i)
            else:
                index[k] = len(out)
                out.append(item)
                out.imarks.append(child.where(i))
                out.raw.append(None)
        return out
    return child


def _drop_deleted(spec):
    """Removes entries marked 'delete: true' (used to drop something an included spec has)."""
    def clean(lst):
        if not isinstance(lst, MList):
            return lst
        out = MList()
        out.mark = lst.mark
        for i, item in enumerate(lst):
            if isinstance(item, MDict) and item.get("delete") is True:
                continue
            out.append(item)
            out.imarks.append(lst.where(i))
            out.raw.append(None)
        return out
    for path in KEYED_LISTS:
        node = spec
        for p in path[:-1]:
            node = node.get(p) if isinstance(node, MDict) else None
        if isinstance(node, MDict) and path[-1] in node:
            node[path[-1]] = clean(node[path[-1]])
    return spec


def display_path(path):
    """Paths in messages: relative to the current directory when that is shorter."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("../../") else path


NOT_INHERITED = ("name", "description", "expected")


def _load_raw(path, stack, files):
    apath = os.path.abspath(path)
    if apath in stack:
        chain = " -> ".join(display_path(p) for p in stack + [apath])
        raise SpecError(f"include loop: {chain}")
    if apath not in files:
        files.append(apath)
    data = load_yaml(path, display_path(path))
    if not isinstance(data, MDict):
        raise SpecError("a spec must be a YAML mapping", where(data) or display_path(path))
    # validate each file on its own first, so an unknown key is reported in the file it is in
    _STRICT[0] = False
    try:
        SPEC.check(data, data.mark)
    finally:
        _STRICT[0] = True
    merged = MDict()
    merged.mark = data.mark
    if "include" in data and "base" in data:
        raise SpecError("give include or base (a synonym), not both", data.where("base"))
    ikey = "base" if "base" in data else "include"
    inc = data.get(ikey)
    if inc is not None:
        incs = inc if isinstance(inc, list) else [inc]
        for i, name in enumerate(incs):
            ipath = resolve_include(str(name), path)
            if not os.path.exists(ipath):
                w = inc.where(i) if isinstance(inc, MList) else data.where(ikey)
                raise SpecError(f"included spec '{name}' not found ({display_path(ipath)})", w)
            parent = _load_raw(ipath, stack + [apath], files)
            for k in NOT_INHERITED:
                parent.pop(k, None)
            merged = _merge(merged, parent)
    own = MDict({k: v for k, v in data.items() if k not in ("include", "base")})
    own.mark, own.kmarks, own.raw = data.mark, data.kmarks, data.raw
    return _merge(merged, own)


def load_spec(path):
    """Loads, merges and validates a spec. Returns (spec MDict, [files it was built from]).

    name, description and expected are not inherited from included specs: an inhibitor
    spec that includes minimal does not expect minimal's outcome.
    """
    files = []
    spec = _load_raw(path, [], files)
    spec = SPEC.check(_drop_deleted(spec), spec.mark)
    if "name" not in spec:
        spec["name"] = os.path.splitext(os.path.basename(path))[0]
    return spec, files
