#!/usr/bin/env python3
"""Build a fuzz corpus: the seed files given, then deterministic mutations of them (line
deletions, duplications and swaps, truncations, byte flips, inserted syntax characters and
odd numbers) until the corpus has COUNT inputs. Files are capped at 16 KiB. The random
generator is seeded with the target's name, so a rerun writes the same files.

usage: make-corpus.py TARGET OUTDIR COUNT SEED-FILE...
"""
import os
import random
import sys

TOKENS = [b'"', b"{", b"}", b"[", b"]", b",", b":", b"=", b"<", b">", b"</", b"\x00", b"\xff", b"\n",
          b"-1", b"99999999999999999999", b"null", b"true", b"1e400", b"\\u0000", b"#", b"\t", b" ",
          b"$releasever", b"$basearch", b"${x}", b"%", b"&amp;", b"<![CDATA[", b"UUID=", b"\\"]


def mutate(rng, data):
    lines = data.split(b"\n")
    op = rng.randrange(8)
    if op == 0 and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
    elif op == 1 and lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif op == 2 and len(lines) > 1:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 3 and data:
        return data[:rng.randrange(len(data))]
    elif op == 4 and data:
        b = bytearray(data)
        for _ in range(rng.randrange(1, 4)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        return bytes(b)
    elif op == 5:
        p = rng.randrange(len(data) + 1)
        return data[:p] + rng.choice(TOKENS) + data[p:]
    elif op == 6 and data:
        digits = [i for i, c in enumerate(data) if 48 <= c <= 57]
        if digits:
            p = rng.choice(digits)
            return data[:p] + rng.choice([b"0", b"-1", b"4294967296", b"18446744073709551616", b"1.5"]) + data[p + 1:]
    elif op == 7 and lines:
        i = rng.randrange(len(lines))
        lines[i] = lines[i] * rng.randrange(2, 5)
    return b"\n".join(lines)


def main():
    target, out, count, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(target)
    datas = []
    for s in seeds:
        with open(s, "rb") as f:
            d = f.read()[:16384]
        datas.append(d)
        name = "seed-" + os.path.basename(s)
        with open(os.path.join(out, name), "wb") as f:
            f.write(d)
    have = len(os.listdir(out))
    n = 0
    while have < count:
        d = rng.choice(datas)
        for _ in range(rng.randrange(1, 4)):
            d = mutate(rng, d)[:16384]
        with open(os.path.join(out, "mut-%03d" % n), "wb") as f:
            f.write(d)
        n += 1
        have += 1


main()
