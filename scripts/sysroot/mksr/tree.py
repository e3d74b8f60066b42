"""Assembles the source system tree: rpm installs the packages, then the files rpm does not
own on a real system are written (fstab, boot entries, grubenv, kernel fact files...).

Everything written here is independent of where OUTDIR is, so the finished tree can be
cached and copied; the one path-dependent file is written by main.py.
"""

import gzip
import io
import os
import shutil
import sqlite3

from . import bdb, leappdata
from .build import clean_env, need_tool, run
from .errors import MksrError
from .model import HERE, MODULE_DEPS, read_key, repo_stanza, stable_hex

SKELETON_DIRS = ["usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "usr/share", "etc", "var/lib/rpm",
                 "var/tmp", "var/log", "boot", "proc", "sys", "dev", "run", "tmp", "root", "home",
                 "opt", "srv", "mnt", "media"]
USRMERGE = {"bin": "usr/bin", "sbin": "usr/sbin", "lib": "usr/lib", "lib64": "usr/lib64"}


def rpm_argv(root, *args):
    return [need_tool("rpm"), "--root", root, "--dbpath", "/var/lib/rpm",
            "--define", "_dbpath /var/lib/rpm", "--noplugins"] + list(args)


def write(root, path, data, mode=0o644):
    dest = root + path
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if os.path.lexists(dest):
        os.unlink(dest)
    with open(dest, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.chmod(dest, mode)


def symlink(root, path, target):
    dest = root + path
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if os.path.lexists(dest):
        os.unlink(dest)
    os.symlink(target, dest)


def assemble(system, root, tmpdir, log):
    """Builds the tree at `root` (which must not exist yet) from a built System."""
    epoch = system.epoch
    os.makedirs(root)
    for d in SKELETON_DIRS:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.chmod(os.path.join(root, "tmp"), 0o1777)
    os.chmod(os.path.join(root, "var/tmp"), 0o1777)
    os.chmod(os.path.join(root, "root"), 0o550)
    for link, target in USRMERGE.items():
        os.symlink(target, os.path.join(root, link))
    env = clean_env(epoch, tmpdir)
    # keys first, as an admin (or anaconda) would have imported them
    keydir = os.path.join(HERE, "keys")
    keys = ["vendor"]
    if any(p.sign == "other" for p in system.source_pkgs):
        keys.append("other")
    run(rpm_argv(root, "--import") + [os.path.join(keydir, f"{k}.asc") for k in keys],
        env=env, what="rpm --import")
    # one transaction, as anaconda does: rpm orders it and runs every scriptlet in the tree
    files = [p.rpm for p in system.source_pkgs]
    out = run(rpm_argv(root, "-i") + files,
              env=env, what="rpm -i (installing the source packages into the tree)")
    bad = [l for l in out.splitlines() if "scriptlet failed" in l or l.startswith("error:")]
    if bad:
        noise = ("use Alien instead", "assuming you know what you are doing")
        tail = [l for l in out.splitlines() if not any(n in l for n in noise)][-10:]
        raise MksrError("installing into the tree: " + "; ".join(bad[:5]) +
                        "\nrpm said:\n  " + "\n  ".join(tail))
    if system.rpmdb == "bdb":
        bdb.convert(os.path.join(root, "var/lib/rpm"), tmpdir)
    # the admin's edits after installation
    for p in system.source_pkgs:
        for path, data in p.edited.items():
            write(root, path, data, mode=next(f.mode for f in p.files if f.path == path))
    write_system_files(system, root)
    write_boot(system, root, tmpdir)
    write_proc(system, root)
    write_dnf_history(system, root)
    leappdata.write_static(system, root)
    for path, fe in sorted(system.tree_files.items()):
        if fe.kind == "dir":
            os.makedirs(root + path, exist_ok=True)
            os.chmod(root + path, fe.mode)
        elif fe.kind == "symlink":
            symlink(root, path, fe.target)
        elif fe.host:
            with open(fe.host, "rb") as f:
                write(root, path, f.read(), fe.mode)
        else:
            write(root, path, fe.data, fe.mode)
    normalize_mtimes(system, root)


def normalize_mtimes(system, root):
    """Every mtime is the build epoch (as rpm's clamped files are), except the rpmdb, and the
    admin-edited files, which are a day newer: that is what makes them look edited."""
    epoch = system.epoch
    edited = {p for pkg in system.source_pkgs for p in pkg.edited}
    rpmdb = os.path.join(root, "var/lib/rpm")
    for dirpath, dirnames, filenames in os.walk(root):
        if dirpath == rpmdb:
            dirnames[:] = []
            continue
        for n in filenames + dirnames:
            p = os.path.join(dirpath, n)
            rel = "/" + os.path.relpath(p, root)
            t = epoch + 86400 if rel in edited else epoch
            os.utime(p, (t, t), follow_symlinks=False)
    os.utime(root, (epoch, epoch))


# ---------------------------------------------------------------------------------------


def kernelopts(system):
    st = system.storage
    opts = [f"root=UUID={st['root']['uuid']}", "ro"]
    extra = system.kernel["cmdline_extra"].split()
    if st["swap_mib"]:
        # anaconda puts resume= before rhgb quiet
        tail = [o for o in extra if o in ("rhgb", "quiet")]
        head = [o for o in extra if o not in ("rhgb", "quiet")]
        extra = head + [f"resume=UUID={st['swap_uuid']}"] + tail
    return " ".join(opts + extra)


def write_system_files(system, root):
    st = system.storage
    mid = system.machine_id
    write(root, "/etc/machine-id", mid + "\n", 0o444)
    write(root, "/etc/hostname", system.hostname + "\n")
    lines = ["", "#", "# /etc/fstab", "# Created by anaconda on Mon Jan  1 00:00:00 2024", "#",
             "# Accessible filesystems, by reference, are maintained under '/dev/disk/'.",
             "# See man pages fstab(5), findfs(8), mount(8) and/or blkid(8) for more info.", "#",
             "# After editing this file, run 'systemctl daemon-reload' to update systemd",
             "# units generated from this file.", "#"]
    lines.append(f"UUID={st['root']['uuid']} /                       {st['root']['fstype']:<7} "
                 "defaults        0 0")
    if st["boot"]["separate"]:
        lines.append(f"UUID={st['boot']['uuid']} /boot                   "
                     f"{st['boot']['fstype']:<7} defaults        0 0")
    if st["swap_mib"]:
        lines.append(f"UUID={st['swap_uuid']} none                    swap    defaults        0 0")
    for m in st["mounts"]:
        lines.append(f"{m['source']} {m['target']} {m['fstype']} {m['options']} {m['dump']} "
                     f"{m['pass']}")
        os.makedirs(root + m["target"], exist_ok=True)
    write(root, "/etc/fstab", "\n".join(lines) + "\n")
    se = system.spec.get("selinux", {})
    write(root, "/etc/selinux/config",
          "\n# This file controls the state of SELinux on the system.\n"
          "# SELINUX= can take one of these three values:\n"
          "#     enforcing - SELinux security policy is enforced.\n"
          "#     permissive - SELinux prints warnings instead of enforcing.\n"
          "#     disabled - No SELinux policy is loaded.\n"
          f"SELINUX={se.get('mode', 'enforcing')}\n"
          "# SELINUXTYPE= can take one of these three values:\n"
          "#     targeted - Targeted processes are protected,\n"
          "#     minimum - Modification of targeted policy. Only selected processes are protected.\n"
          "#     mls - Multi Level Security protection.\n"
          f"SELINUXTYPE={se.get('type', 'targeted')}\n\n")
    cmdline_linux = " ".join(kernelopts(system).split()[2:])
    write(root, "/etc/default/grub",
          "GRUB_TIMEOUT=5\n"
          "GRUB_DISTRIBUTOR=\"$(sed 's, release .*$,,g' /etc/system-release)\"\n"
          "GRUB_DEFAULT=saved\nGRUB_DISABLE_SUBMENU=true\nGRUB_TERMINAL_OUTPUT=\"console\"\n"
          f"GRUB_CMDLINE_LINUX=\"{cmdline_linux}\"\n"
          "GRUB_DISABLE_RECOVERY=\"true\"\nGRUB_ENABLE_BLSCFG=true\n")
    write(root, "/etc/sysconfig/kernel",
          "# UPDATEDEFAULT specifies if kernel-install should make\n"
          "# new kernels the default\nUPDATEDEFAULT=yes\n\n"
          "# DEFAULTKERNEL specifies the default kernel package type\nDEFAULTKERNEL=kernel-core\n")
    if not os.path.exists(root + "/etc/dnf/dnf.conf"):
        write(root, "/etc/dnf/dnf.conf",
              "[main]\ngpgcheck=1\ninstallonly_limit=3\nclean_requirements_on_remove=True\n"
              "best=True\nskip_if_unavailable=False\n")
    # third-party repos: files an admin dropped in (the distro's belong to the release package)
    for r in system.source_repos:
        if not r["distro"] and r["id"] != "@commandline":
            write(root, f"/etc/yum.repos.d/{r['file']}",
                  repo_stanza(r, system.distro["profile"],
                              gpgkey_path=f"/etc/pki/rpm-gpg/RPM-GPG-KEY-{r['id']}"))
            if r["gpgcheck"]:
                write(root, f"/etc/pki/rpm-gpg/RPM-GPG-KEY-{r['id']}", read_key(r["key"]
                      if r["key"] != "none" else "other"))
    for m in system.dnf_modules:
        state = m.get("state", "enabled")
        write(root, f"/etc/dnf/modules.d/{m['name']}.module",
              f"[{m['name']}]\nname={m['name']}\nstream={m['stream']}\n"
              f"profiles={','.join(m.get('profiles', []))}\nstate={state}\n")
    # systemd enablement, as systemctl enable leaves it
    sysd = "/etc/systemd/system"
    os.makedirs(root + sysd, exist_ok=True)
    symlink(root, f"{sysd}/default.target",
            f"/usr/lib/systemd/system/{system.services['default_target']}")
    for e in system.services["enabled"]:
        for t in e["wantedby"]:
            symlink(root, f"{sysd}/{t}.wants/{e['unit']}", f"/usr/lib/systemd/system/{e['unit']}")
    # a disabled unit simply has no symlink; the manifest lists them


def newc_cpio(entries):
    """A gzip'd newc cpio archive (an initramfs) of [(name, mode, data)], deterministic."""
    buf = io.BytesIO()
    ino = 1

    def add(name, mode, data):
        nonlocal ino
        nb = name.encode() + b"\0"
        hdr = "070701" + "".join(f"{v:08x}" for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0))
        buf.write(hdr.encode() + nb)
        buf.write(b"\0" * ((4 - (110 + len(nb)) % 4) % 4))
        buf.write(data)
        buf.write(b"\0" * ((4 - len(data) % 4) % 4))
        ino += 1
    for name, mode, data in entries:
        add(name, mode, data)
    add("TRAILER!!!", 0, b"")
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(buf.getvalue())
    return out.getvalue()


def write_boot(system, root, tmpdir):
    """Kernel files, BLS entries, grubenv and grub.cfg of the source system's /boot."""
    mid = system.machine_id
    d = system.distro
    version_str = d["source"] + (f" ({d['codename']})" if d["codename"] else "")
    opts = kernelopts(system)
    # BLS paths are relative to the filesystem that holds /boot
    bp = "" if system.storage["boot"]["separate"] else "/boot"
    os.makedirs(root + "/boot/loader/entries", exist_ok=True)
    os.makedirs(root + "/boot/grub2", exist_ok=True)
    for k in system.kernel["installed"]:
        kver = k["kver"]
        md = f"/usr/lib/modules/{kver}"
        with open(root + md + "/vmlinuz", "rb") as f:
            write(root, f"/boot/vmlinuz-{kver}", f.read(), 0o755)
        shutil.copyfile(root + md + "/.vmlinuz.hmac", root + f"/boot/.vmlinuz-{kver}.hmac")
        shutil.copyfile(root + md + "/System.map", root + f"/boot/System.map-{kver}")
        os.chmod(root + f"/boot/System.map-{kver}", 0o600)
        shutil.copyfile(root + md + "/config", root + f"/boot/config-{kver}")
        init = newc_cpio([
            ("etc", 0o40755, b""),
            ("etc/initrd-release", 0o100644,
             f"NAME=\"{d['name']}\"\nVERSION_ID=\"{d['source']}\"\n"
             f"MKSYSROOT_FAKE_INITRAMFS=\"{kver}\"\n".encode()),
            ("usr", 0o40755, b""), ("usr/lib", 0o40755, b""), ("usr/lib/modules", 0o40755, b""),
            (f"usr/lib/modules/{kver}", 0o40755, b""),
        ])
        write(root, f"/boot/initramfs-{kver}.img", init, 0o600)
        entry = (f"title {d['name']} ({kver}) {version_str}\n"
                 f"version {kver}\n"
                 f"linux {bp}/vmlinuz-{kver}\n"
                 f"initrd {bp}/initramfs-{kver}.img $tuned_initrd\n"
                 f"options $kernelopts $tuned_params\n"
                 f"id {d['id']}-20240101000000-{kver}\n"
                 f"grub_users $grub_users\n"
                 f"grub_arg --unrestricted\n"
                 f"grub_class kernel\n")
        write(root, f"/boot/loader/entries/{mid}-{kver}.conf", entry)
    default = system.kernel["newest"]
    write(root, "/boot/grub2/grubenv", grubenv({
        "saved_entry": f"{mid}-{default}",
        "kernelopts": opts,
        "boot_success": "0",
        "boot_indeterminate": "0",
    }), 0o600)
    write(root, "/boot/grub2/grub.cfg",
          "#\n# DO NOT EDIT THIS FILE\n#\n# It is generated by grub2-mkconfig using templates\n"
          "# from /etc/grub.d and settings from /etc/default/grub (here: by mksysroot)\n#\n"
          "set pager=1\n"
          "if [ -f ${config_directory}/grubenv ]; then\n"
          "  load_env -f ${config_directory}/grubenv\n"
          "elif [ -s $prefix/grubenv ]; then\n  load_env\nfi\n"
          "if [ \"${next_entry}\" ] ; then\n   set default=\"${next_entry}\"\n"
          "   set next_entry=\n   save_env next_entry\n   set boot_once=true\n"
          "else\n   set default=\"${saved_entry}\"\nfi\n"
          "insmod part_msdos\ninsmod xfs\n"
          f"set root='hd0,msdos1'\nsearch --no-floppy --fs-uuid --set=root "
          f"{system.storage['boot']['uuid']}\n"
          "insmod blscfg\nblscfg\n", 0o600)


def grubenv(values):
    """A GRUB environment block: exactly 1024 bytes, padded with '#'."""
    text = "# GRUB Environment Block\n" + "".join(f"{k}={v}\n" for k, v in values.items())
    if len(text) > 1024:
        raise MksrError("grubenv is longer than 1024 bytes")
    return text + "#" * (1024 - len(text))


# ---------------------------------------------------------------------------------------
# kernel fact files


CPU_FLAGS = {
    # qemu64: famously below x86-64-v2 (no ssse3, sse4_1, sse4_2, popcnt)
    "x86-64": ("QEMU Virtual CPU version 2.5+", 6, 6, 3,
               "fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx "
               "fxsr sse sse2 syscall nx lm rep_good nopl xtopology cpuid tsc_known_freq pni cx16 "
               "x2apic hypervisor lahf_lm cpuid_fault pti"),
    "x86-64-v2": ("Intel Core i7 9xx (Nehalem Class Core i7)", 6, 26, 3,
                  "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
                  "clflush mmx fxsr sse sse2 ss syscall nx rdtscp lm constant_tsc rep_good nopl "
                  "xtopology cpuid tsc_known_freq pni ssse3 cx16 sse4_1 sse4_2 x2apic popcnt "
                  "tsc_deadline_timer hypervisor lahf_lm cpuid_fault pti"),
    "x86-64-v3": ("Intel Xeon Processor (Skylake, IBRS)", 6, 85, 4,
                  "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
                  "clflush mmx fxsr sse sse2 ss syscall nx pdpe1gb rdtscp lm constant_tsc "
                  "rep_good nopl xtopology cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid "
                  "sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand "
                  "hypervisor lahf_lm abm 3dnowprefetch cpuid_fault invpcid_single pti ssbd ibrs "
                  "ibpb stibp fsgsbase tsc_adjust bmi1 hle avx2 smep bmi2 erms invpcid rtm mpx "
                  "rdseed adx smap clflushopt xsaveopt xsavec xgetbv1 xsaves arat umip md_clear "
                  "arch_capabilities"),
    "x86-64-v4": ("Intel Xeon Processor (Cascadelake)", 6, 85, 5,
                  "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
                  "clflush mmx fxsr sse sse2 ss syscall nx pdpe1gb rdtscp lm constant_tsc "
                  "rep_good nopl xtopology cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid "
                  "sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand "
                  "hypervisor lahf_lm abm 3dnowprefetch cpuid_fault invpcid_single ssbd ibrs ibpb "
                  "stibp ibrs_enhanced fsgsbase tsc_adjust bmi1 hle avx2 smep bmi2 erms invpcid "
                  "rtm mpx avx512f avx512dq rdseed adx smap clflushopt clwb avx512cd avx512bw "
                  "avx512vl xsaveopt xsavec xgetbv1 xsaves arat umip pku ospke avx512_vnni "
                  "md_clear arch_capabilities"),
}


def cpuinfo(system):
    hw = system.hardware
    model, family, model_no, stepping, flags = CPU_FLAGS[hw["cpu_level"]]
    model = hw["cpu_model"] or model
    n = hw["cpus"]
    blocks = []
    for i in range(n):
        blocks.append(
            f"processor\t: {i}\nvendor_id\t: GenuineIntel\ncpu family\t: {family}\n"
            f"model\t\t: {model_no}\nmodel name\t: {model}\nstepping\t: {stepping}\n"
            f"microcode\t: 0x1\ncpu MHz\t\t: 2194.842\ncache size\t: 16384 KB\n"
            f"physical id\t: {i}\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n"
            f"apicid\t\t: {i}\ninitial apicid\t: {i}\nfpu\t\t: yes\nfpu_exception\t: yes\n"
            f"cpuid level\t: 13\nwp\t\t: yes\nflags\t\t: {flags}\n"
            f"bugs\t\t: cpu_meltdown spectre_v1 spectre_v2 spec_store_bypass l1tf mds swapgs "
            f"taa itlb_multihit srbds mmio_stale_data retbleed\n"
            f"bogomips\t: 4389.68\nclflush size\t: 64\ncache_alignment\t: 64\n"
            f"address sizes\t: 46 bits physical, 48 bits virtual\npower management:\n\n")
    return "".join(blocks)


def meminfo(system):
    total = system.hardware["memtotal_kib"]
    swap = system.storage["swap_mib"] * 1024
    free = total * 70 // 100
    cached = total * 15 // 100
    vals = [
        ("MemTotal", total), ("MemFree", free), ("MemAvailable", free + cached),
        ("Buffers", total // 200), ("Cached", cached), ("SwapCached", 0),
        ("Active", total * 10 // 100), ("Inactive", total * 8 // 100),
        ("Active(anon)", total * 3 // 100), ("Inactive(anon)", total // 100),
        ("Active(file)", total * 7 // 100), ("Inactive(file)", total * 7 // 100),
        ("Unevictable", 0), ("Mlocked", 0), ("SwapTotal", swap), ("SwapFree", swap),
        ("Dirty", 8), ("Writeback", 0), ("AnonPages", total * 3 // 100),
        ("Mapped", total * 2 // 100), ("Shmem", 17000), ("KReclaimable", total // 50),
        ("Slab", total * 3 // 100), ("SReclaimable", total // 50), ("SUnreclaim", total // 100),
        ("KernelStack", 2800), ("PageTables", 6000), ("NFS_Unstable", 0), ("Bounce", 0),
        ("WritebackTmp", 0), ("CommitLimit", total // 2 + swap),
        ("Committed_AS", total * 6 // 100), ("VmallocTotal", 34359738367),
        ("VmallocUsed", 0), ("VmallocChunk", 0), ("Percpu", 1400),
        ("HardwareCorrupted", 0), ("AnonHugePages", 4096), ("ShmemHugePages", 0),
        ("ShmemPmdMapped", 0), ("FileHugePages", 0), ("FilePmdMapped", 0),
    ]
    lines = [f"{(k + ':'):<16}{v:>8} kB" for k, v in vals]
    lines += ["HugePages_Total:       0", "HugePages_Free:        0", "HugePages_Rsvd:        0",
              "HugePages_Surp:        0", "Hugepagesize:       2048 kB",
              f"{'Hugetlb:':<16}{0:>8} kB", f"{'DirectMap4k:':<16}{131072:>8} kB",
              f"{'DirectMap2M:':<16}{max(0, total - 131072):>8} kB"]
    return "\n".join(lines) + "\n"


def modules(system):
    loaded = system.kernel["modules"]
    users = {m: [] for m in loaded}
    for m in loaded:
        for dep in MODULE_DEPS.get(m, []):
            if dep in users:
                users[dep].append(m)
    lines = []
    addr = 0xffffffffc0200000
    for m in reversed(loaded):
        size = 16384 + int(stable_hex("modsize", m, n=4), 16) % 64 * 4096
        u = users[m]
        ustr = "".join(x + "," for x in u) or "-"
        lines.append(f"{m} {size} {len(u)} {ustr} Live 0x{addr:016x}")
        addr += (size + 0xfff) & ~0xfff
    return "\n".join(reversed(lines)) + "\n"


def mountinfo(system):
    st = system.storage
    root_dev = st["root"]["device"]
    boot_dev = st["boot"]["device"]
    opts = "rw,seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota"

    def fsopts(fstype):
        return opts if fstype == "xfs" else "rw,seclabel"
    lines = [
        "22 95 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw,seclabel",
        "23 95 0:5 / /proc rw,nosuid,nodev,noexec,relatime shared:25 - proc proc rw",
        f"24 95 0:6 / /dev rw,nosuid shared:21 - devtmpfs devtmpfs "
        f"rw,seclabel,size={system.hardware['memtotal_kib'] // 2}k,"
        f"nr_inodes={system.hardware['memtotal_kib'] // 8},mode=755",
        "25 22 0:7 / /sys/kernel/security rw,nosuid,nodev,noexec,relatime shared:3 - "
        "securityfs securityfs rw",
        "26 24 0:22 / /dev/shm rw,nosuid,nodev shared:22 - tmpfs tmpfs rw,seclabel",
        "27 24 0:23 / /dev/pts rw,nosuid,noexec,relatime shared:23 - devpts devpts "
        "rw,seclabel,gid=5,mode=620,ptmxmode=000",
        "28 95 0:24 / /run rw,nosuid,nodev shared:24 - tmpfs tmpfs rw,seclabel,mode=755",
        "29 22 0:25 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs "
        "ro,seclabel,mode=755",
        "30 29 0:26 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:5 - cgroup "
        "cgroup rw,seclabel,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,"
        "name=systemd",
        "31 22 0:27 / /sys/fs/pstore rw,nosuid,nodev,noexec,relatime shared:17 - pstore pstore "
        "rw,seclabel",
        "32 22 0:28 / /sys/fs/bpf rw,nosuid,nodev,noexec,relatime shared:18 - bpf bpf "
        "rw,mode=700",
        "33 22 0:12 / /sys/kernel/tracing rw,relatime shared:19 - tracefs tracefs rw,seclabel",
        "92 22 0:20 / /sys/kernel/config rw,relatime shared:20 - configfs configfs rw",
        f"95 1 252:{int(root_dev[-1]) if root_dev[-1].isdigit() else 2} / / rw,relatime shared:1 "
        f"- {st['root']['fstype']} {root_dev} {fsopts(st['root']['fstype'])}",
        "34 22 0:19 / /sys/fs/selinux rw,relatime shared:6 - selinuxfs selinuxfs rw",
        "35 23 0:29 / /proc/sys/fs/binfmt_misc rw,relatime shared:26 - autofs systemd-1 "
        "rw,fd=32,pgrp=1,timeout=0,minproto=5,maxproto=5,direct,pipe_ino=14877",
        "36 24 0:18 / /dev/mqueue rw,relatime shared:27 - mqueue mqueue rw,seclabel",
        "37 24 0:31 / /dev/hugepages rw,relatime shared:28 - hugetlbfs hugetlbfs "
        "rw,seclabel,pagesize=2M",
    ]
    if st["boot"]["separate"]:
        lines.append(f"40 95 252:{int(boot_dev[-1]) if boot_dev[-1].isdigit() else 1} / /boot "
                     f"rw,relatime shared:60 - {st['boot']['fstype']} {boot_dev} "
                     f"{fsopts(st['boot']['fstype'])}")
    mid = 100
    for i, m in enumerate(st["mounts"]):
        if not m["mounted"]:
            continue
        fstype = m["fstype"]
        if fstype in ("nfs", "nfs4"):
            server = m["source"].split(":")[0]
            lines.append(f"{mid + i} 95 0:{52 + i} / {m['target']} rw,relatime shared:{70 + i} - "
                         f"nfs4 {m['source']} rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,"
                         f"hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=10.0.2.15,"
                         f"local_lock=none,addr={server}")
        elif fstype == "cifs":
            lines.append(f"{mid + i} 95 0:{52 + i} / {m['target']} rw,relatime shared:{70 + i} - "
                         f"cifs {m['source']} rw,vers=3.1.1,cache=strict,username=guest,"
                         "uid=0,noforceuid,gid=0,noforcegid,file_mode=0755,dir_mode=0755")
        else:
            src = m["source"]
            lines.append(f"{mid + i} 95 252:{16 + i} / {m['target']} rw,relatime "
                         f"shared:{70 + i} - {fstype} {src} {fsopts(fstype)}")
    lines.append(f"{mid + 50} 28 0:45 / /run/user/0 rw,nosuid,nodev,relatime shared:227 - tmpfs "
                 f"tmpfs rw,seclabel,size={system.hardware['memtotal_kib'] // 10}k,mode=700")
    return "\n".join(lines) + "\n"


def write_proc(system, root):
    k = system.kernel
    running = k["running"]
    bp = "" if system.storage["boot"]["separate"] else "/boot"
    write(root, "/proc/cmdline",
          f"BOOT_IMAGE=(hd0,msdos1){bp}/vmlinuz-{running} {kernelopts(system)}\n", 0o444)
    write(root, "/proc/meminfo", meminfo(system), 0o444)
    write(root, "/proc/cpuinfo", cpuinfo(system), 0o444)
    write(root, "/proc/modules", modules(system), 0o444)
    write(root, "/proc/self/mountinfo", mountinfo(system), 0o444)
    write(root, "/proc/sys/kernel/osrelease", running + "\n", 0o444)
    write(root, "/proc/version",
          f"Linux version {running} (mockbuild@build.mksysroot.test) (gcc version 8.5.0 20210514 "
          f"(Red Hat 8.5.0-20) (GCC)) #1 SMP Mon Jan 1 00:00:00 UTC 2024\n", 0o444)
    st = system.storage
    sw = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
    if st["swap_mib"]:
        sw += f"{st['swap_device']:<40}partition\t{st['swap_mib'] * 1024 - 4}\t\t0\t\t-2\n"
    write(root, "/proc/swaps", sw, 0o444)


# ---------------------------------------------------------------------------------------


def write_dnf_history(system, root):
    """dnf's history database (libdnf swdb 1.2), so 'which repo was this installed from'
    has the answer dnf would give (leapp reads it through dnf's from_repo)."""
    path = root + "/var/lib/dnf/history.sqlite"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    db = sqlite3.connect(path)
    try:
        db.executescript(SWDB_SCHEMA)
        t = system.epoch
        db.execute("INSERT INTO trans VALUES (1, ?, ?, ?, ?, ?, 0, ?, 1, '')",
                   (t, t + 60, None, f"{len(system.source_pkgs)}:{stable_hex('rpmdb', system.name, n=40)}",
                    str(system.distro["source_major"]), "anaconda (mksysroot)"))
        repos = {}
        for p in system.source_pkgs:
            if p.repo not in repos:
                repos[p.repo] = len(repos) + 1
                db.execute("INSERT INTO repo VALUES (?, ?)", (repos[p.repo], p.repo))
        for i, p in enumerate(system.source_pkgs, 1):
            db.execute("INSERT INTO item VALUES (?, 1)", (i,))
            db.execute("INSERT INTO rpm VALUES (?, ?, ?, ?, ?, ?)",
                       (i, p.name, p.epoch or 0, p.version, p.release, p.arch))
            reason = 1 if p.reason == "dependency" else 2
            db.execute("INSERT INTO trans_item VALUES (?, 1, ?, ?, 1, ?, 1)",
                       (i, i, repos[p.repo], reason))
        db.commit()
    finally:
        db.close()


SWDB_SCHEMA = """
CREATE TABLE trans (id INTEGER PRIMARY KEY AUTOINCREMENT, dt_begin INTEGER NOT NULL,
  dt_end INTEGER, rpmdb_version_begin TEXT, rpmdb_version_end TEXT, releasever TEXT NOT NULL,
  user_id INTEGER NOT NULL, cmdline TEXT, state INTEGER NOT NULL, comment TEXT DEFAULT "");
CREATE TABLE repo (id INTEGER PRIMARY KEY, repoid TEXT NOT NULL);
CREATE TABLE console_output (id INTEGER PRIMARY KEY, trans_id INTEGER REFERENCES trans(id),
  file_descriptor INTEGER NOT NULL, line TEXT NOT NULL);
CREATE TABLE item (id INTEGER PRIMARY KEY, item_type INTEGER NOT NULL);
CREATE TABLE trans_item (id INTEGER PRIMARY KEY AUTOINCREMENT,
  trans_id INTEGER REFERENCES trans(id), item_id INTEGER REFERENCES item(id),
  repo_id INTEGER REFERENCES repo(id), action INTEGER NOT NULL, reason INTEGER NOT NULL,
  state INTEGER NOT NULL);
CREATE TABLE item_replaced_by (trans_item_id INTEGER REFERENCES trans_item(id),
  by_trans_item_id INTEGER REFERENCES trans_item(id), PRIMARY KEY (trans_item_id, by_trans_item_id));
CREATE TABLE trans_with (id INTEGER PRIMARY KEY AUTOINCREMENT,
  trans_id INTEGER REFERENCES trans(id), item_id INTEGER REFERENCES item(id),
  CONSTRAINT trans_with_unique_trans_item UNIQUE (trans_id, item_id));
CREATE TABLE rpm (item_id INTEGER UNIQUE NOT NULL, name TEXT NOT NULL, epoch INTEGER NOT NULL,
  version TEXT NOT NULL, release TEXT NOT NULL, arch TEXT NOT NULL,
  FOREIGN KEY(item_id) REFERENCES item(id),
  CONSTRAINT rpm_unique_nevra UNIQUE (name, epoch, version, release, arch));
CREATE TABLE comps_group (item_id INTEGER UNIQUE NOT NULL, groupid TEXT NOT NULL,
  name TEXT NOT NULL, translated_name TEXT NOT NULL, pkg_types INTEGER NOT NULL,
  FOREIGN KEY(item_id) REFERENCES item(id));
CREATE TABLE comps_group_package (id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id INTEGER NOT NULL, name TEXT NOT NULL, installed INTEGER NOT NULL,
  pkg_type INTEGER NOT NULL, FOREIGN KEY(group_id) REFERENCES comps_group(item_id),
  CONSTRAINT comps_group_package_unique_name UNIQUE (group_id, name));
CREATE TABLE comps_environment (item_id INTEGER UNIQUE NOT NULL, environmentid TEXT NOT NULL,
  name TEXT NOT NULL, translated_name TEXT NOT NULL, pkg_types INTEGER NOT NULL,
  FOREIGN KEY(item_id) REFERENCES item(id));
CREATE TABLE comps_environment_group (id INTEGER PRIMARY KEY AUTOINCREMENT,
  environment_id INTEGER NOT NULL, groupid TEXT NOT NULL, installed INTEGER NOT NULL,
  group_type INTEGER NOT NULL, FOREIGN KEY(environment_id) REFERENCES comps_environment(item_id),
  CONSTRAINT comps_environment_group_unique_groupid UNIQUE (environment_id, groupid));
CREATE INDEX rpm_name ON rpm(name);
CREATE INDEX trans_item_item_id ON trans_item(item_id);
CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO config VALUES ('version', '1.2');
"""
