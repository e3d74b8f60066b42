"""RPM version comparison (rpmvercmp) and a small dependency checker for generated package sets.

The checker is what keeps the target repositories honest: every Requires of a target
package must be satisfiable inside the target repos, or the spec must say it expects
otherwise (the unsatisfied-dependency inhibitor spec).
"""

import re

_SEG = re.compile(r"(\d+|[A-Za-z]+|~|\^)")


def vercmp(a, b):
    """rpmvercmp(a, b): -1, 0 or 1, with rpm's rules for digits, letters, ~ and ^."""
    if a == b:
        return 0
    ai, bi = 0, 0
    while True:
        # skip separators (anything that is not alnum, ~ or ^)
        while ai < len(a) and not (a[ai].isalnum() or a[ai] in "~^"):
            ai += 1
        while bi < len(b) and not (b[bi].isalnum() or b[bi] in "~^"):
            bi += 1
        a_t = a[ai] if ai < len(a) else ""
        b_t = b[bi] if bi < len(b) else ""
        if a_t == "~" or b_t == "~":
            if a_t != "~":
                return 1
            if b_t != "~":
                return -1
            ai += 1
            bi += 1
            continue
        if a_t == "^" or b_t == "^":
            if ai >= len(a):
                return -1
            if bi >= len(b):
                return 1
            if a_t != "^":
                return 1
            if b_t != "^":
                return -1
            ai += 1
            bi += 1
            continue
        if ai >= len(a) or bi >= len(b):
            break
        if a[ai].isdigit():
            m1 = re.match(r"\d+", a[ai:]).group()
            m2 = re.match(r"\d+", b[bi:])
            if not m2:
                return 1
            m2 = m2.group()
            ai += len(m1)
            bi += len(m2)
            n1, n2 = m1.lstrip("0"), m2.lstrip("0")
            if len(n1) != len(n2):
                return 1 if len(n1) > len(n2) else -1
            if n1 != n2:
                return 1 if n1 > n2 else -1
        else:
            m1 = re.match(r"[A-Za-z]+", a[ai:]).group()
            m2 = re.match(r"[A-Za-z]+", b[bi:])
            if not m2:
                return -1
            m2 = m2.group()
            ai += len(m1)
            bi += len(m2)
            if m1 != m2:
                return 1 if m1 > m2 else -1
    if ai >= len(a) and bi >= len(b):
        return 0
    return -1 if ai >= len(a) else 1


def parse_evr(evr):
    """'1:2.0-3.el9' -> (1, '2.0', '3.el9'); missing parts are None (epoch 0)."""
    e, _, vr = evr.rpartition(":") if ":" in evr else ("", "", evr)
    v, _, r = vr.partition("-")
    return (int(e) if e else 0, v, r or None)


def evrcmp(a, b):
    """Compares two (epoch, version, release) tuples; a release of None matches any."""
    if a[0] != b[0]:
        return 1 if a[0] > b[0] else -1
    c = vercmp(a[1], b[1])
    if c or a[2] is None or b[2] is None:
        return c
    return vercmp(a[2], b[2])


_DEP = re.compile(r"^(\S+)\s*(<=|>=|=|==|<|>)?\s*(\S+)?$")


def parse_dep(dep):
    """'foo >= 1.0' -> ('foo', '>=', '1.0'); rich deps ('(a or b)') -> (dep, None, None)."""
    dep = dep.strip()
    if dep.startswith("("):
        return dep, None, None
    m = _DEP.match(dep)
    if not m:
        return dep, None, None
    return m.group(1), m.group(2), m.group(3)


def _satisfies(prov_evr, op, want):
    if op is None:
        return True
    if prov_evr is None:          # an unversioned provide satisfies any versioned require
        return True
    c = evrcmp(parse_evr(prov_evr), parse_evr(want))
    return {"=": c == 0, "==": c == 0, "<": c < 0, ">": c > 0,
            "<=": c <= 0, ">=": c >= 0}[op]


class ProvideIndex:
    """Name -> [(evr or None, package)] over a set of packages: names, provides and files."""

    def __init__(self, pkgs):
        self.idx = {}
        for p in pkgs:
            self.add(p.name, p.evr, p)
            for d in p.deps.get("provides", ()):
                n, op, v = parse_dep(d)
                self.add(n, v if op in ("=", "==") else None, p)
            for f in p.all_paths():
                self.add(f, None, p)

    def add(self, name, evr, pkg):
        self.idx.setdefault(name, []).append((evr, pkg))

    def what_provides(self, dep):
        n, op, v = parse_dep(dep)
        if n.startswith("("):
            return self._rich(n)
        return [p for evr, p in self.idx.get(n, ()) if _satisfies(evr, op, v)]

    def _rich(self, dep):
        # only the forms the specs use: (a or b), (a if b) -> a, (a and b)
        inner = dep.strip()[1:-1]
        for word in (" or ", " and ", " if ", " unless "):
            if word in inner:
                left, right = inner.split(word, 1)
                l = self.what_provides(left.strip())
                if word == " or ":
                    return l or self.what_provides(right.strip())
                if word == " and ":
                    return l if l and self.what_provides(right.strip()) else []
                return l if l or not self.what_provides(right.strip()) else l
        return self.what_provides(inner)


def unsatisfied(pkgs, available=None):
    """[(package, requirement)] of pkgs whose Requires nothing in `available` provides."""
    idx = ProvideIndex(available if available is not None else pkgs)
    out = []
    for p in pkgs:
        for d in p.deps.get("requires", ()):
            if d.startswith("rpmlib("):
                continue
            if not idx.what_provides(d):
                out.append((p, d))
    return out
