"""Rewrites a tree's sqlite rpmdb as el8's BerkeleyDB rpmdb (rpm 4.14's `db3` backend).

Debian's rpm 4.18 writes sqlite only, but every real el8 system keeps `/var/lib/rpm/Packages`
and the index databases, and el9's rpm reads them only through `bdb_ro`. The layout, from
rpm 4.14's lib/backend/db3.c and lib/rpmdb.c:

* `Packages`: a hash database. Key: the header number (uint32, native byte order); value:
  the header blob as headerExport() writes it. Key 0 holds the largest header number
  allocated so far (pkgInstance()).
* one btree database per index tag (rpmdb.c's dbiTags): key the tag value (a string without
  its NUL; Installtid the int32 in native order; Sigmd5 the 16 digest bytes), value the
  concatenated (header number, tag index) pairs, each two native uint32, sorted
  (dbiIndexSetAppend with sorting, set2dbt).

The index contents are taken from the sqlite database rpm just wrote (its index tables hold
the same (key, hnum, idx) rows, computed by rpm's own tag2index), so what the indexes say
is exactly what rpm would say; only the container changes. db5.3_load (Debian's
db5.3-util) writes the BerkeleyDB files from a dump we generate.
"""

import os
import sqlite3
import struct

from .build import need_tool, run

# rpm 4.14's index databases, in rpmdb.c's order (dbiTags after Packages)
INDEXES = ["Name", "Basenames", "Group", "Requirename", "Providename", "Conflictname",
           "Obsoletename", "Triggername", "Dirnames", "Installtid", "Sigmd5", "Sha1header",
           "Filetriggername", "Transfiletriggername", "Recommendname", "Suggestname",
           "Supplementname", "Enhancename"]

U32 = struct.Struct("=I")


def _dump(path, dbtype, items):
    """Writes a db_load input file (format=bytevalue) with the (key, value) byte pairs."""
    with open(path, "w") as f:
        f.write(f"VERSION=3\nformat=bytevalue\ntype={dbtype}\nHEADER=END\n")
        for k, v in items:
            f.write(" " + k.hex() + "\n " + v.hex() + "\n")
        f.write("DATA=END\n")


def _key_bytes(key):
    if isinstance(key, str):
        return key.encode()
    if isinstance(key, int):    # not written by rpm 4.18, but harmless
        return U32.pack(key)
    return bytes(key)


def _load(dbdir, name, dbtype, items, tmpdir):
    dump = os.path.join(tmpdir, name + ".dump")
    _dump(dump, dbtype, items)
    out = os.path.join(dbdir, name)
    if os.path.exists(out):
        os.unlink(out)
    run([need_tool("db5.3_load"), "-f", dump, out], what=f"db5.3_load {name}")
    os.unlink(dump)


def convert(dbdir, tmpdir):
    """Replaces dbdir/rpmdb.sqlite (and its side files) with the BerkeleyDB databases."""
    src = os.path.join(dbdir, "rpmdb.sqlite")
    db = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT hnum, blob FROM Packages ORDER BY hnum").fetchall()
        top = max((h for h, _ in rows), default=0)
        _load(dbdir, "Packages", "hash",
              [(U32.pack(0), U32.pack(top))] + [(U32.pack(h), bytes(b)) for h, b in rows], tmpdir)
        for name in INDEXES:
            sets = {}
            for key, hnum, idx in db.execute(f"SELECT key, hnum, idx FROM '{name}'"):
                sets.setdefault(_key_bytes(key), []).append((hnum, idx))
            items = [(k, b"".join(U32.pack(h) + U32.pack(i) for h, i in sorted(v)))
                     for k, v in sorted(sets.items())]
            _load(dbdir, name, "btree", items, tmpdir)
    finally:
        db.close()
    for suffix in ("", "-shm", "-wal", "-journal"):
        if os.path.exists(src + suffix):
            os.unlink(src + suffix)
    # what rpm 4.14 leaves beside them (the environment's __db.00N are recreated on open)
    for lock in (".dbenv.lock", ".rpm.lock"):
        open(os.path.join(dbdir, lock), "w").close()
