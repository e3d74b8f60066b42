"""Signs RPM headers in-process, byte for byte as rpmsign + gpg 2.2 do with the test keys.

rpmsign runs gpg once per package, and gpg waits about 20 ms for gpg-agent each time:
12,000 packages (the 'large' spec) spent minutes there. The keys are throwaway test keys
without a passphrase, so this module reads the RSA secret key from the committed key
file, makes the OpenPGP v4 signature packet itself (RFC 4880: EMSA-PKCS1-v1_5, python's
pow for the RSA operation), and puts it into the package's signature header the way
rpmsign does: as RPMSIGTAG_RSA, taking the room from RPMSIGTAG_RESERVEDSPACE so that the
header, the payload and the file size stay as they are. The result is checked against
rpmsign by tests/sysroot/test-mksysroot-signing.sh (identical files), and rpm -K verifies
every package the tests look at. Anything unexpected in a package raises NotImplemented-
Error, and the caller falls back to rpmsign.
"""

import base64
import hashlib
import os
import struct

from .model import read_key

DIGESTS = {  # name: (OpenPGP hash algo id, hashlib name, DER DigestInfo prefix)
    "sha1": (2, "sha1", bytes.fromhex("3021300906052b0e03021a05000414")),
    "sha256": (8, "sha256", bytes.fromhex("3031300d060960864801650304020105000420")),
    "sha512": (10, "sha512", bytes.fromhex("3051300d060960864801650304020305000440")),
}
TAG_REGION = 62
TAG_RSA = 268
TAG_RESERVED = 1008
ALIGN = {3: 2, 4: 4, 5: 8}
HEADER_MAGIC = bytes.fromhex("8eade80100000000")


def _dearmor(text):
    lines = text.decode().splitlines()
    body = []
    inside = False
    for ln in lines:
        if ln.startswith("-----BEGIN"):
            inside = True
            continue
        if ln.startswith("-----END"):
            break
        if not inside:
            continue
        if not ln.strip():
            body = []          # the blank line ends the armor headers
            continue
        if ln.startswith("="):
            continue           # CRC24
        if ":" in ln and not body:
            continue           # an armor header line (Version: ...)
        body.append(ln.strip())
    return base64.b64decode("".join(body))


def _packets(data):
    i = 0
    while i < len(data):
        ctb = data[i]
        if ctb & 0x40:                          # new format
            tag = ctb & 0x3f
            l0 = data[i + 1]
            if l0 < 192:
                ln, hl = l0, 2
            elif l0 < 224:
                ln, hl = ((l0 - 192) << 8) + data[i + 2] + 192, 3
            elif l0 == 255:
                ln, hl = struct.unpack(">I", data[i + 2:i + 6])[0], 6
            else:
                raise NotImplementedError("partial packet lengths")
        else:
            tag = (ctb >> 2) & 0x0f
            lt = ctb & 3
            if lt == 0:
                ln, hl = data[i + 1], 2
            elif lt == 1:
                ln, hl = struct.unpack(">H", data[i + 1:i + 3])[0], 3
            elif lt == 2:
                ln, hl = struct.unpack(">I", data[i + 1:i + 5])[0], 5
            else:
                raise NotImplementedError("indeterminate packet length")
        yield tag, data[i + hl:i + hl + ln]
        i += hl + ln


def _mpi(buf, i):
    bits = struct.unpack(">H", buf[i:i + 2])[0]
    n = (bits + 7) // 8
    return int.from_bytes(buf[i + 2:i + 2 + n], "big"), i + 2 + n


def _mpi_bytes(x):
    b = x.to_bytes((x.bit_length() + 7) // 8, "big")
    return struct.pack(">H", x.bit_length()) + b


class Signer:
    """The RSA secret key of one committed test key ('vendor' or 'other')."""

    def __init__(self, which):
        self.which = which
        self.uid = f"{which}@mksysroot.invalid"
        for tag, body in _packets(_dearmor(read_key(which, secret=True))):
            if tag == 5:
                self._parse_secret(body)
                break
        else:
            raise NotImplementedError("no secret key packet")

    def _parse_secret(self, body):
        if body[0] != 4 or body[5] != 1:
            raise NotImplementedError("only v4 RSA keys")
        self.created = struct.unpack(">I", body[1:5])[0]
        n, i = _mpi(body, 6)
        e, i = _mpi(body, i)
        pub = body[:i]
        if body[i] != 0:
            raise NotImplementedError("protected secret key")
        d, j = _mpi(body, i + 1)
        p, j = _mpi(body, j)
        q, j = _mpi(body, j)
        self.n, self.e, self.d, self.p, self.q = n, e, d, p, q
        self.dp, self.dq, self.qinv = d % (p - 1), d % (q - 1), pow(q, -1, p)
        self.fpr = hashlib.sha1(b"\x99" + struct.pack(">H", len(pub)) + pub).digest()
        self.keyid = self.fpr[-8:]
        self.klen = (n.bit_length() + 7) // 8

    def _rsa(self, m):
        # CRT: about four times faster than pow(m, d, n)
        s1 = pow(m, self.dp, self.p)
        s2 = pow(m, self.dq, self.q)
        h = (self.qinv * (s1 - s2)) % self.p
        s = s2 + h * self.q
        assert pow(s, self.e, self.n) == m
        return s

    def signature(self, data, digest, created):
        """An OpenPGP v4 binary-document signature packet over data, as gpg 2.2 makes it
        when the signing key is named by its mail address (-u vendor@...)."""
        algo, hname, prefix = DIGESTS[digest]
        uid = self.uid.encode()
        sub = (bytes([22, 33, 4]) + self.fpr +
               bytes([5, 2]) + struct.pack(">I", created) +
               bytes([len(uid) + 1, 28]) + uid)
        hashed = bytes([4, 0, 1, algo]) + struct.pack(">H", len(sub)) + sub
        h = hashlib.new(hname, data + hashed + b"\x04\xff" + struct.pack(">I", len(hashed)))
        dg = h.digest()
        t = prefix + dg
        em = b"\x00\x01" + b"\xff" * (self.klen - len(t) - 3) + b"\x00" + t
        s = self._rsa(int.from_bytes(em, "big"))
        unhashed = bytes([9, 16]) + self.keyid
        body = hashed + struct.pack(">H", len(unhashed)) + unhashed + dg[:2] + _mpi_bytes(s)
        if len(body) < 256:
            return bytes([0x88, len(body)]) + body
        return bytes([0x89]) + struct.pack(">H", len(body)) + body


def _entry_len(data, typ, off, cnt):
    if typ == 6 or typ == 9 and cnt == 1:
        return data.index(b"\0", off) - off + 1
    if typ in (8, 9):
        end = off
        for _ in range(cnt):
            end = data.index(b"\0", end) + 1
        return end - off
    return {0: 0, 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1}[typ] * cnt


def _layout(entries, il):
    """Data store for entries [(tag, type, count, bytes)] sorted by tag, and the index."""
    data = bytearray()
    index = []
    for tag, typ, cnt, blob in entries:
        a = ALIGN.get(typ, 1)
        data += b"\0" * ((a - len(data) % a) % a)
        index.append(struct.pack(">iIiI", tag, typ, len(data), cnt))
        data += blob
    trailer_off = len(data)
    data += struct.pack(">iIiI", TAG_REGION, 7, -il * 16, 16)
    index.insert(0, struct.pack(">iIiI", TAG_REGION, 7, trailer_off, 16))
    return b"".join(index), bytes(data)


def sign_rpm(path, signer, digest, created):
    """Adds RPMSIGTAG_RSA to the package at path, in place (written to a temporary file
    and renamed)."""
    with open(path, "rb") as f:
        pkg = f.read()
    off = 96
    if pkg[off:off + 8] != HEADER_MAGIC:
        raise NotImplementedError("no signature header")
    il, dl = struct.unpack(">II", pkg[off + 8:off + 16])
    idx = pkg[off + 16:off + 16 + il * 16]
    data = pkg[off + 16 + il * 16:off + 16 + il * 16 + dl]
    old_size = 16 + il * 16 + dl
    old_end = off + old_size + (8 - old_size % 8) % 8
    entries = []
    for i in range(il):
        tag, typ, o, cnt = struct.unpack(">iIiI", idx[i * 16:i * 16 + 16])
        if tag == TAG_REGION:
            if i != 0:
                raise NotImplementedError("region tag not first")
            continue
        if tag == TAG_RSA:
            raise NotImplementedError("already signed")
        entries.append([tag, typ, cnt, data[o:o + _entry_len(data, typ, o, cnt)]])
    reserved = next((e for e in entries if e[0] == TAG_RESERVED), None)
    if reserved is None:
        raise NotImplementedError("no reserved space")
    hil, hdl = struct.unpack(">II", pkg[old_end + 8:old_end + 16])
    header = pkg[old_end:old_end + 16 + hil * 16 + hdl]
    if header[:8] != HEADER_MAGIC:
        raise NotImplementedError("no main header")
    sig = signer.signature(header, digest, created)
    entries.append([TAG_RSA, 7, len(sig), sig])
    entries.sort(key=lambda e: e[0])
    new_il = len(entries) + 1
    # give up as much reserved space as the new entry takes, so nothing else moves
    want = reserved[2] - 16 - len(sig)
    for r in sorted(range(want - 8, want + 9), key=lambda x: abs(x - want)):
        if r < 0:
            continue
        reserved[2], reserved[3] = r, b"\0" * r
        index, store = _layout(entries, new_il)
        size = 16 + new_il * 16 + len(store)
        if size == old_size:
            break
    else:
        raise NotImplementedError("cannot keep the signature header's size")
    sighdr = HEADER_MAGIC + struct.pack(">II", new_il, len(store)) + index + store
    sighdr += b"\0" * ((8 - len(sighdr) % 8) % 8)
    assert off + len(sighdr) == old_end
    tmp = path + ".sign-tmp"
    with open(tmp, "wb") as f:
        f.write(pkg[:off])
        f.write(sighdr)
        f.write(pkg[old_end:])
    os.replace(tmp, path)
