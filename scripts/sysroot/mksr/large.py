"""The 'large' generator: thousands of payload-light packages with a layered, realistic
dependency graph, for benchmarks against dnf.

The universe is a set of components in layers. A library component makes lib<c>
(providing lib<c>.so.N()(64bit)), lib<c>-devel (in CRB, pkgconfig(<c>)) and sometimes a
noarch -doc; an application component makes <c> (requiring sonames of lower layers and
other applications by versioned name), sometimes <c>-doc and python3-<c>. Every package
gets an el9 rebuild, with version bumps, soname bumps (their dependents are rebuilt
against the new soname), and PES events for renames, removals, splits and moves. The
installed set is the dependency closure of randomly chosen applications. Everything is
derived from the seed, so one spec always gives the same graph.
"""

import random

from .specload import MDict

WORDS = ("acl attr audit avahi bind blk brotli bz cairo cap cjson cmocka cups curl cyrus "
         "dbus db dw edit elf event expat fdisk ffi fido fontconfig freetype fuse gcrypt "
         "gdbm gmp gnutls gpgme graphite gsasl gssapi harfbuzz hunspell icu idn inih iscsi "
         "jansson jpeg json kcapi keyutils krb ldap ldns lmdb lz lzo magic maxminddb mnl "
         "mpfr msgpack ncurses net newt nftnl nghttp nl nspr nss numa oath ogg onig opus "
         "pam pcap pcre pipeline png popt proxy psl pwquality qrencode raptor readline "
         "rsvg sasl seccomp selinux semanage sepol smartcols snappy sodium solv sqlite ssh "
         "tasn tdb tevent tiff tirpc uring usb user uuid uv verto vorbis webp x11 xcb xkb "
         "xml xslt yaml zip zmq zstd").split()
SUFFIXES = ["", "x", "ng", "kit", "lite", "core", "util", "plus", "io", "fs", "net", "ctl"]
ARCHES_NOTE = "payload-light: one small file per package"


def _names(rng, n):
    out, seen = [], set()
    i = 0
    while len(out) < n:
        w = rng.choice(WORDS) + rng.choice(SUFFIXES)
        if w in seen:
            w = f"{w}{i}"
        i += 1
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def _ver(rng):
    return f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 12)}"


def _bump(rng, v, major=False):
    a, b, c = (int(x) for x in v.split("."))
    return f"{a + 1}.0.0" if major else f"{a}.{b + rng.randint(1, 3)}.{rng.randint(0, 5)}"


def generate(system, g):
    """Adds the generated packages, target packages and PES events to the system's spec."""
    rng = random.Random(g.get("seed", 1))
    want_installed = g.get("installed", 2000)
    want_target = g.get("target", 10000)
    n_third = g.get("third_party", 20)
    sign_target = g.get("sign_target", True)
    tgt = {"baseos": system.default_target_repo("baseos") or system.target_repos[0]["id"],
           "appstream": system.default_target_repo("appstream") or system.target_repos[0]["id"],
           "powertools": system.default_target_repo("powertools") or system.target_repos[0]["id"]}
    # about 2.3 target packages per library component and 1.7 per application
    n_libs = int(want_target * 0.235) + 1
    n_apps = int(want_target * 0.285) + 1
    names = _names(rng, n_libs + n_apps)
    layers = 6
    libs, apps = [], []
    for i, n in enumerate(names[:n_libs]):
        layer = min(layers - 1, int(rng.random() ** 1.6 * layers))
        libs.append({"c": n, "layer": layer, "ver": _ver(rng), "so": rng.randint(0, 6),
                     "repo": "baseos" if layer < 2 else "appstream",
                     "doc": rng.random() < 0.3, "epoch": 1 if rng.random() < 0.03 else None})
    libs.sort(key=lambda x: x["layer"])
    for n in names[n_libs:]:
        layer = rng.randint(1, layers)
        apps.append({"c": n, "layer": layer, "ver": _ver(rng),
                     "repo": "baseos" if rng.random() < 0.25 else "appstream",
                     "doc": rng.random() < 0.5, "py": rng.random() < 0.2,
                     "epoch": 2 if rng.random() < 0.02 else None})
    by_layer = {}
    for lib in libs:
        by_layer.setdefault(lib["layer"], []).append(lib)
    for lib in libs:
        lower = [x for L in range(lib["layer"]) for x in by_layer.get(L, [])]
        lib["deps"] = rng.sample(lower, min(len(lower), rng.randint(1, 3))) if lower else []
    apps.sort(key=lambda x: x["layer"])
    for k, app in enumerate(apps):
        cands = [x for x in libs if x["layer"] < app["layer"]] or libs
        app["deps"] = rng.sample(cands, min(len(cands), rng.randint(1, 5)))
        earlier = [a for a in apps[:k] if a["layer"] < app["layer"]]
        app["appdeps"] = rng.sample(earlier, min(len(earlier), rng.randint(0, 2)))
    # the el9 changes
    for lib in libs:
        r = rng.random()
        lib["tver"] = (_bump(rng, lib["ver"], major=True) if r < 0.05 else
                       _bump(rng, lib["ver"]) if r < 0.4 else lib["ver"])
        lib["tso"] = lib["so"] + 1 if r < 0.05 else lib["so"]
    dependents = {a["c"]: 0 for a in apps}
    for a in apps:
        for d in a["appdeps"]:
            dependents[d["c"]] += 1
    for app in apps:
        r = rng.random()
        app["tver"] = (_bump(rng, app["ver"], major=True) if r < 0.1 else
                       _bump(rng, app["ver"]) if r < 0.4 else app["ver"])
        app["fate"] = "keep"
        if dependents[app["c"]] == 0:
            f = rng.random()
            app["fate"] = ("removed" if f < 0.015 else "renamed" if f < 0.03 else
                           "split" if f < 0.04 else "moved" if f < 0.06 else "keep")
        elif rng.random() < 0.02:
            app["fate"] = "moved"
    # releases: an el9 rebuild of an unchanged version has a release at least the el8 one
    # (else distro-sync would downgrade it); a new version starts again low
    for comp in libs + apps:
        comp["rel"] = rng.randint(1, 20)
        comp["trel"] = (comp["rel"] + rng.randint(0, 3) if comp["tver"] == comp["ver"]
                        else rng.randint(1, 5))

    def _rel(comp, side):
        return str(comp["rel"] if side == "s" else comp["trel"])

    # the installed set: closure of randomly picked applications
    chosen_libs, chosen_apps = set(), set()

    def add_lib(lib):
        if lib["c"] in chosen_libs:
            return
        chosen_libs.add(lib["c"])
        for d in lib["deps"]:
            add_lib(d)

    def add_app(app):
        if app["c"] in chosen_apps:
            return
        chosen_apps.add(app["c"])
        for d in app["deps"]:
            add_lib(d)
        for d in app["appdeps"]:
            add_app(d)

    order = apps[:]
    rng.shuffle(order)

    def count():
        return (sum(1 + x["doc"] + 1 for x in libs if x["c"] in chosen_libs) // 2 +
                sum(1 + x["doc"] + x["py"] for x in apps if x["c"] in chosen_apps))
    # prefer apps with a fate, so the PES events apply to installed packages
    order.sort(key=lambda a: a["fate"] == "keep")
    for app in order:
        if count() + n_third >= want_installed:
            break
        add_app(app)
    pkgs, tpkgs, pes = [], [], []
    eid = 5000

    def entry(name, ver, rel, repo, requires=(), provides=(), files=(), arch="x86_64",
              epoch=None, sign=None, obsoletes=()):
        e = MDict({"name": name, "version": ver, "release": rel, "repo": repo, "arch": arch,
                   "files": list(files), "requires": list(requires),
                   "provides": list(provides), "obsoletes": list(obsoletes),
                   "summary": f"{name} (generated)"})
        if epoch is not None:
            e["epoch"] = epoch
        if sign is not None:
            e["sign"] = sign
        return e
    base_req = ["libc.so.6()(64bit)"]

    def lib_pkgs(lib, side):
        so = lib["so"] if side == "s" else lib["tso"]
        ver = lib["ver"] if side == "s" else lib["tver"]
        rel = _rel(lib, side)
        repo = lib["repo"] if side == "s" else tgt[lib["repo"]]
        devrepo = "powertools" if side == "s" else tgt["powertools"]
        c = lib["c"]
        deps = [f"lib{d['c']}.so.{d['so'] if side == 's' else d['tso']}()(64bit)"
                for d in lib["deps"]]
        epoch = lib["epoch"]
        evr = f"{epoch}:{ver}-{rel}" if epoch else f"{ver}-{rel}"
        dist = "el8" if side == "s" else "el9"
        out = [entry(f"lib{c}", ver, rel, repo, base_req + deps, [f"lib{c}.so.{so}()(64bit)"],
                     [f"/usr/lib64/lib{c}.so.{so}"], epoch=epoch),
               entry(f"lib{c}-devel", ver, rel, devrepo, [f"lib{c} = {evr}.{dist}"],
                     [f"pkgconfig({c}) = {ver}"], [f"/usr/include/{c}.h"], epoch=epoch)]
        if lib["doc"]:
            out.append(entry(f"lib{c}-doc", ver, rel, repo, [], [],
                             [f"/usr/share/doc/lib{c}/README"], arch="noarch", epoch=epoch))
        return out

    def app_pkgs(app, side, name=None):
        ver = app["ver"] if side == "s" else app["tver"]
        rel = _rel(app, side)
        c = app["c"]
        name = name or c
        srepo = app["repo"]
        if side == "t" and app["fate"] == "moved":
            srepo = "appstream" if srepo == "baseos" else "baseos"
        repo = srepo if side == "s" else tgt[srepo]
        deps = [f"lib{d['c']}.so.{d['so'] if side == 's' else d['tso']}()(64bit)"
                for d in app["deps"]]
        deps += [f"{d['c']} >= {d['ver']}" for d in app["appdeps"]]
        epoch = app["epoch"]
        evr = f"{epoch}:{ver}-{rel}" if epoch else f"{ver}-{rel}"
        dist = "el8" if side == "s" else "el9"
        out = [entry(name, ver, rel, repo, base_req + deps, [], [f"/usr/bin/{name}"],
                     epoch=epoch)]
        if app["doc"]:
            out.append(entry(f"{name}-doc", ver, rel, repo, [], [],
                             [f"/usr/share/doc/{name}/README"], arch="noarch", epoch=epoch))
        if app["py"]:
            out.append(entry(f"python3-{name}", ver, rel, repo,
                             [f"{name} = {evr}.{dist}", "python(abi) = 3.6" if side == "s"
                              else "python(abi) = 3.9"],
                             [f"python3dist({name}) = {ver}"],
                             [f"/usr/lib/python3.{6 if side == 's' else 9}/site-packages/{name}.py"],
                             arch="noarch", epoch=epoch))
        return out

    # source packages (installed) and their fates
    for lib in libs:
        if lib["c"] in chosen_libs:
            sp = lib_pkgs(lib, "s")
            # most systems have the runtime library, some the -devel and -doc
            pkgs.append(sp[0])
            if rng.random() < 0.3:
                pkgs.append(sp[1])
            if len(sp) > 2 and rng.random() < 0.5:
                pkgs.append(sp[2])
    for app in apps:
        if app["c"] in chosen_apps:
            pkgs += app_pkgs(app, "s")
    # everything is target-only here: the generator decides every el9 build itself
    for e in pkgs:
        e["target"] = False
    for lib in libs:
        tpkgs += lib_pkgs(lib, "t")
    inst_names = {e["name"] for e in pkgs}
    renamed, removed, split, moved = [], [], [], []
    def subpkgs(app, name):
        return [name] + ([f"{name}-doc"] if app["doc"] else []) + \
            ([f"python3-{name}"] if app["py"] else [])
    for app in apps:
        c = app["c"]
        if app["fate"] == "removed":
            # the application and its -doc and python3- subpackages go, in one event
            gone = subpkgs(app, c)
            removed += [n for n in gone if n in inst_names]
            eid += 1
            pes.append({"id": eid, "action": "removed",
                        "in": [f"{n}@{app['repo']}" for n in gone]})
            continue
        if app["fate"] == "renamed":
            tpkgs += app_pkgs(app, "t", name=f"{c}-ng")
            # one rename event per subpackage: c -> c-ng, c-doc -> c-ng-doc, ...
            for old, new in zip(subpkgs(app, c), subpkgs(app, f"{c}-ng")):
                if old in inst_names:
                    renamed.append((old, new))
                eid += 1
                pes.append({"id": eid, "action": "renamed", "in": [f"{old}@{app['repo']}"],
                            "out": [f"{new}@{tgt[app['repo']]}"]})
            continue
        tp = app_pkgs(app, "t")
        tpkgs += tp
        if app["fate"] == "split":
            tools = entry(f"{c}-tools", app["tver"], "1", tgt[app["repo"]], base_req, [],
                          [f"/usr/bin/{c}-tool"])
            tpkgs.append(tools)
            if c in inst_names:
                split.append(c)
            eid += 1
            pes.append({"id": eid, "action": "split", "in": [f"{c}@{app['repo']}"],
                        "out": [f"{c}@{tgt[app['repo']]}", f"{c}-tools@{tgt[app['repo']]}"]})
        if app["fate"] == "moved":
            to = tp[0]["repo"]
            if c in inst_names:
                moved.append(c)
            eid += 1
            pes.append({"id": eid, "action": "moved", "in": [f"{c}@{app['repo']}"],
                        "out": [f"{c}@{to}"]})
    # the interpreter the python3-* packages need
    py = entry("python3-libs", "3.6.8", "62", "baseos", base_req, ["python(abi) = 3.6"],
               ["/usr/lib64/libpython3.6m.so.1.0"])
    py["target"] = False
    pkgs.append(py)
    tpkgs.append(entry("python3-libs", "3.9.18", "3", tgt["baseos"], base_req,
                       ["python(abi) = 3.9"], ["/usr/lib64/libpython3.9.so.1.0"]))
    # third-party packages: signed with the other key, no target build, kept
    system.source_repos.append({
        "id": "bigvendor", "pesid": "bigvendor", "name": "Big Vendor Tools for EL8",
        "enabled": True, "distro": False, "gpgcheck": True, "key": "other",
        "file": "bigvendor.repo", "channel": "ga",
        "baseurl": "https://repo.bigvendor.example/el8/$basearch/"})
    system.src_repo_by_id["bigvendor"] = system.source_repos[-1]
    system.src_repo_by_pesid["bigvendor"] = system.source_repos[-1]
    third = []
    for i in range(n_third):
        n = f"bigvendor-tool{i:02d}"
        e = entry(n, f"{rng.randint(1, 5)}.{rng.randint(0, 9)}", "1", "bigvendor", base_req, [],
                  [f"/opt/bigvendor/bin/tool{i:02d}"], sign="other")
        e["dist"] = ""
        e["target"] = False
        pkgs.append(e)
        third.append(n)
    if not sign_target:
        for e in tpkgs:
            e["sign"] = "none"
    spec = system.spec
    pl = spec.get("packages") or []
    tl = spec.get("target_packages") or []
    spec["packages"] = list(pl) + pkgs
    spec["target_packages"] = list(tl) + tpkgs
    system._generated_pes = [MDict(p) for p in pes]
    # what the upgrade should end with, by construction
    after = set()
    for e in pkgs:
        n = e["name"]
        if n in removed or n in third:
            continue
        after.add(n)
    for old, new in renamed:
        after.discard(old)
        after.add(new)
    for c in split:
        after.add(f"{c}-tools")
    # the included spec's packages (minimal's) are all rebuilt, and so are the kernel and
    # the release package
    after |= {e["name"] for e in pl if e.get("target") is not False}
    after |= {"kernel", "kernel-core", "kernel-modules",
              system.distro["profile"]["release_pkg"]}
    # net_naming_scheme installs the naming scheme's attribute list (minimal's target repos)
    after.add("rhel-net-naming-sysattrs")
    system._generated_expected = {
        "inhibitors": [],
        "removed": sorted(removed),
        "kept": sorted(third),
        "new": sorted([n for _, n in renamed] + [f"{c}-tools" for c in split]),
        "after_upgrade": sorted(after | set(third)),
        "generated_counts": {"installed": len(pkgs), "target": len(tpkgs), "pes": len(pes),
                             "renamed": len(renamed), "removed": len(removed),
                             "split": len(split), "moved": len(moved)},
    }
