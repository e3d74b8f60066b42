#!/usr/bin/python3
"""Write an MBR partition table into a disk image (what sfdisk would, without needing it).
Usage: mbr.py DISK DISKID_HEX START_MIB:SIZE_MIB:TYPE_HEX[:boot] ...   (at most four)"""
import struct
import sys


def main():
    disk, diskid, parts = sys.argv[1], int(sys.argv[2], 16), sys.argv[3:]
    if not 1 <= len(parts) <= 4:
        sys.exit("mbr.py: one to four partitions")
    table = b""
    for p in parts:
        f = p.split(":")
        start, size, ptype = int(f[0]) * 2048, int(f[1]) * 2048, int(f[2], 16)
        boot = 0x80 if len(f) > 3 and f[3] == "boot" else 0
        # CHS fields are unused by Linux: the "beyond CHS" marker
        table += struct.pack("<B3sB3sII", boot, b"\xfe\xff\xff", ptype, b"\xfe\xff\xff", start, size)
    table = table.ljust(64, b"\0")
    with open(disk, "r+b") as f:
        f.seek(440)
        f.write(struct.pack("<IH", diskid, 0) + table + b"\x55\xaa")


if __name__ == "__main__":
    main()
