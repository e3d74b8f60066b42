/* Actor sandbox: namespaces, a read-only view of the system, private /dev /proc /tmp /run, cgroup
 * and rlimit limits, capabilities and seccomp, planned in the broker and applied between fork and exec.
 *
 * What an actor sees (DESIGN.md section 6):
 *  - its own mount, pid, ipc and uts namespaces; the network namespace of its phase (no interface
 *    up), or the broker's when it declares network. Its pid 1 is the sandbox's init (spawn.c).
 *  - the host's filesystem tree at the same paths (no chroot: --root, /proc/self/exe, the actor's
 *    executable and libraries keep their paths). In the source phases every mount is remounted
 *    read-only one by one, except bind mounts of the writable parts of leapp's state directory
 *    (the actor's scratch directory, declared subdirectories; nosuid, nodev); the el*userspace
 *    directories stay read-only unless declared in writes. InterimPreparation adds the target
 *    userspace and, with boot, <root>/boot. The interim phases leave the root writable; with a
 *    --root below the host, the host around it stays read-only. The state directory itself is
 *    read-only in every phase (its writable parts aside), except to an actor of InterimPreparation
 *    or later that declares it whole. Kernel interfaces (sysfs, cgroupfs, ...) are read-only always.
 *  - the audit store (leapp.db, -wal, -shm, leapp.lock) hidden behind an empty read-only file:
 *    not writable, and no lock can be taken on it.
 *  - a fresh /proc (/proc/sys and /proc/sysrq-trigger read-only), a /dev tmpfs with null, zero,
 *    full, random, urandom and tty (read-only), fresh tmpfs on /tmp and /run. An actor that
 *    declares devices gets the host's /dev instead (read-only, and a devices cgroup that lets it
 *    only read disks, for ro; as it is for rw, allowed from InterimPreparation on). What must stay
 *    visible below /tmp or /run (--root, the executable, the data directory) is bound back: the
 *    whole top-level entry that holds it. The file:// repository paths of the repo files (host
 *    paths, often in /tmp) are bound back read-only, one by one; nothing else of the host's /tmp
 *    or /run is visible.
 *  - its scratch directory as the working directory.
 *  - the log directory read-only (its declared subdirectories aside) and every name of the audit
 *    store masked, in every phase.
 * An actor that declares mounts runs in a user namespace of its own, where what it inherited is
 * locked; its mounts live and die in its own namespace. */
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "leapp/util.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

#define CAPBIT(c) (UINT64_C(1) << (c))
#define MOUNTINFO_MAX (4u << 20)
#define CG_MAX 2
#define STATUS_SLOTS 4096

/* ---- the broker's side: state kept for the whole run ---- */

struct cg_hier {
	char *base;     /* .../leapp-<broker pid>: the actors' cgroups are made below it */
	bool v2, pids, memory;
};

/* An actor cgroup (one directory per hierarchy) and the limits last written to it. */
struct cg_slot {
	char *dir[CG_MAX];
	int procs_fd[CG_MAX];   /* cgroup.procs, kept open: the child writes "0" to it */
	int pev_fd[CG_MAX];     /* pids.events, or -1 */
	int oom_fd[CG_MAX];     /* the OOM-kill counter: memory.oom_control (v1) or memory.events (v2), or -1 */
	bool busy;
	long long pids, memory_mb;
};

static struct {
	bool ready;
	int last_cap;
	struct cg_hier cg[CG_MAX];
	size_t n_cg;
	struct cg_slot *slots;         /* the actors' cgroups, reused: see cg_take() */
	size_t n_slots;
	struct sock_fprog filter[2];   /* [declares mounts] */
	char *mi_buf;                  /* the child reads its mountinfo here: it may not allocate */
	int *status;                   /* MAP_SHARED: two ints per slot, written by the inits */
	int reaper_fd;                 /* write end: fds the reaper thread closes, or -1 */
	int netns_fd;
	char *netns_phase;
	char *dev_parent;              /* our own cgroup in the v1 devices hierarchy, or NULL */
	char *dev_base, *dev_dir;      /* <dev_parent>/leapp-<pid>/devro, made for the first devices: ro actor */
	int dev_procs_fd;              /* its cgroup.procs, or -1 */
	char *v2_parent;               /* our own cgroup in the v2 hierarchy, or NULL */
	int dev_prog_fd;               /* the devices: ro rule as a v2 device program, or -1 */
} H = {.netns_fd = -1, .reaper_fd = -1, .dev_procs_fd = -1, .dev_prog_fd = -1};

static char *errf(const char *fmt, ...) _printf_(1, 2);
static char *errf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, s, strlen(s));
	int r = n < 0 ? -errno : 0;
	close(fd);
	return r;
}

static bool path_under(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return true;
	return strncmp(p, dir, n) == 0 && (p[n] == 0 || p[n] == '/');
}

/* ---- cgroups: v1 (RHEL 8, this machine) or v2 (RHEL 9) ---- */

/* The mount point of the v1 hierarchy holding controller `ctl`, or of cgroup2 when ctl is NULL. */
static char *cg_mount_of(const char *mountinfo, const char *ctl)
{
	_cleanup_free_ char *copy = xstrdup(mountinfo);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sep = strstr(line, " - ");
		if (!sep)
			continue;
		char fstype[32], source[64], opts[512];
		if (sscanf(sep + 3, "%31s %63s %511s", fstype, source, opts) != 3)
			continue;
		char mp[PATH_MAX];
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
			continue;
		if (!ctl && !strcmp(fstype, "cgroup2"))
			return xstrdup(mp);
		if (ctl && !strcmp(fstype, "cgroup")) {
			char *osave = NULL;
			for (char *o = strtok_r(opts, ",", &osave); o; o = strtok_r(NULL, ",", &osave))
				if (!strcmp(o, ctl))
					return xstrdup(mp);
		}
	}
	return NULL;
}

/* Our own cgroup in the v1 hierarchy of `ctl`, or in v2 when ctl is NULL ("/..."). */
static char *cg_own_path(const char *proc_cgroup, const char *ctl)
{
	_cleanup_free_ char *copy = xstrdup(proc_cgroup);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = 0;
		const char *ctls = c1 + 1;
		if (!ctl) {
			if (!strcmp(line, "0") && !*ctls)
				return xstrdup(c2 + 1);
			continue;
		}
		_cleanup_free_ char *list = xstrdup(ctls);
		char *lsave = NULL;
		for (char *t = strtok_r(list, ",", &lsave); t; t = strtok_r(NULL, ",", &lsave))
			if (!strcmp(t, ctl))
				return xstrdup(c2 + 1);
	}
	return NULL;
}

static bool file_has_word(const char *path, const char *word)
{
	_cleanup_free_ char *d = NULL;
	if (read_file(path, 1 << 16, &d, NULL) < 0)
		return false;
	char *save = NULL;
	for (char *t = strtok_r(d, " \n", &save); t; t = strtok_r(NULL, " \n", &save))
		if (!strcmp(t, word))
			return true;
	return false;
}

/* Remove the cgroups of brokers that died without cleaning up (leapp-<pid>, or leapp-<pid>-devices:
 * see devro_take; pid gone). */
static void cg_clean_stale(const char *parent)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "leapp-", 6))
			continue;
		char *end;
		long pid = strtol(de->d_name + 6, &end, 10);
		if ((*end && strcmp(end, "-devices")) || pid <= 0 || pid == getpid() || !(kill((pid_t)pid, 0) < 0 && errno == ESRCH))
			continue;
		_cleanup_free_ char *dir = path_join(parent, de->d_name);
		DIR *sd = opendir(dir);
		if (sd) {
			struct dirent *se;
			while ((se = readdir(sd)))
				if (se->d_type == DT_DIR && se->d_name[0] != '.') {
					_cleanup_free_ char *sub = path_join(dir, se->d_name);
					rmdir(sub);
				}
			closedir(sd);
		}
		rmdir(dir);
	}
	closedir(d);
}

/* Makes <parent>/leapp-<pid>; on v2 also lets the actors' cgroups below it use the controllers. */
static int cg_hier_add(const char *parent, bool v2, bool pids, bool memory, char **ret_err)
{
	cg_clean_stale(parent);
	_cleanup_free_ char *name = xasprintf("leapp-%d", (int)getpid());
	_cleanup_free_ char *base = path_join(parent, name);
	if (v2) {
		/* the root of a v2 hierarchy may hold processes and enable controllers for its children */
		_cleanup_free_ char *sc = path_join(parent, "cgroup.subtree_control");
		const char *want = pids && memory ? "+pids +memory" : pids ? "+pids" : "+memory";
		int r = write_str(sc, want);
		if (r < 0) {
			*ret_err = errf("cannot enable the %s cgroup controller(s) in %s: %s", pids ? "pids" : "memory", sc,
					strerror(-r));
			return r;
		}
	}
	if (mkdir(base, 0755) < 0 && errno != EEXIST) {
		int r = -errno;
		*ret_err = errf("cannot create the cgroup %s: %s", base, strerror(errno));
		return r;
	}
	if (v2) {
		_cleanup_free_ char *sc = path_join(base, "cgroup.subtree_control");
		int r = write_str(sc, pids && memory ? "+pids +memory" : pids ? "+pids" : "+memory");
		if (r < 0) {
			*ret_err = errf("cannot enable the cgroup controllers in %s: %s", sc, strerror(-r));
			rmdir(base);
			return r;
		}
	}
	H.cg[H.n_cg++] = (struct cg_hier){.base = TAKE_PTR(base), .v2 = v2, .pids = pids, .memory = memory};
	return 0;
}

/* Finds the pids and memory controllers, v1 first (a hybrid system binds them there). The pids
 * controller is required: RLIMIT_NPROC does not bind root. Without a memory controller the memory
 * limit is RLIMIT_AS alone. */
static int cg_setup(char **ret_err)
{
	_cleanup_free_ char *mi = NULL, *pc = NULL;
	if (read_file("/proc/self/mountinfo", 8u << 20, &mi, NULL) < 0 || read_file("/proc/self/cgroup", 1 << 20, &pc, NULL) < 0) {
		*ret_err = errf("cannot read /proc/self/mountinfo and /proc/self/cgroup: %s", strerror(errno));
		return -EIO;
	}
	_cleanup_free_ char *v1p = cg_mount_of(mi, "pids"), *v1m = cg_mount_of(mi, "memory"), *v2 = cg_mount_of(mi, NULL);
	_cleanup_free_ char *v1d = cg_mount_of(mi, "devices");
	/* LEAPP_DEVEL_DEVICES_BPF=1 (tests/sandbox/test-devices.sh): the v2 device program even
	 * where a v1 devices hierarchy exists */
	const char *bpf = getenv("LEAPP_DEVEL_DEVICES_BPF");
	if (v1d && !(bpf && !strcmp(bpf, "1"))) {
		_cleanup_free_ char *own = cg_own_path(pc, "devices");
		H.dev_parent = path_join(v1d, own ? own : "/");
	}
	if (v2) {
		_cleanup_free_ char *own = cg_own_path(pc, NULL);
		H.v2_parent = path_join(v2, own ? own : "/");
	}
	bool v2p = false, v2m = false;
	if (v2) {
		_cleanup_free_ char *ctl = path_join(v2, "cgroup.controllers");
		v2p = !v1p && file_has_word(ctl, "pids");
		v2m = !v1m && file_has_word(ctl, "memory");
	}
	if (!v1p && !v2p) {
		*ret_err = xstrdup("the actor sandbox needs the pids cgroup controller (a cgroup v1 'pids' hierarchy, or "
				   "cgroup v2 with 'pids' in cgroup.controllers): none is mounted");
		return -ENOTSUP;
	}
	int r;
	if (v1p) {
		_cleanup_free_ char *own = cg_own_path(pc, "pids");
		_cleanup_free_ char *parent = path_join(v1p, own ? own : "/");
		if ((r = cg_hier_add(parent, false, true, false, ret_err)) < 0)
			return r;
	}
	if (v1m) {
		/* below our own memory cgroup: whatever limits the broker, limits its actors too */
		_cleanup_free_ char *own = cg_own_path(pc, "memory");
		_cleanup_free_ char *parent = path_join(v1m, own ? own : "/");
		char *err = NULL;
		if (cg_hier_add(parent, false, false, true, &err) < 0)
			free(err); /* the memory limit falls back to RLIMIT_AS */
	}
	if (v2p || v2m) {
		/* v2 forbids processes in a cgroup whose children use controllers, so the actors' cgroups
		 * hang off the hierarchy's root rather than off the broker's own cgroup */
		char *err = NULL;
		r = cg_hier_add(v2, true, v2p, v2m, &err);
		if (r < 0 && v2p) {
			*ret_err = err;
			return r;
		}
		free(err);
	}
	return 0;
}

/* BPF_PROG_ATTACH or BPF_PROG_DETACH of the loaded device program on the cgroup v2 directory dir. */
static int devro_prog_op(const char *dir, int cmd)
{
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)dfd;
	a.attach_bpf_fd = (uint32_t)H.dev_prog_fd;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = cmd == BPF_PROG_ATTACH ? BPF_F_ALLOW_MULTI : 0;
	return syscall(SYS_bpf, cmd, &a, sizeof(a)) < 0 ? -errno : 0;
}

/* The devices: ro rule of devro_take() as a cgroup v2 device program (v2 has no devices
 * controller): block devices read only, the private /dev's character devices read and write,
 * nothing else, no mknod. ctx is struct bpf_cgroup_dev_ctx: access_type (access << 16 | type),
 * major, minor. Loaded once; attached to dir (a cgroup v2 directory). 0 or -errno. */
static int devro_prog_attach(const char *dir)
{
#define LDX_W(d, s, o) {.code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = d, .src_reg = s, .off = o}
#define ALU_K(op, d, k) {.code = BPF_ALU64 | BPF_K | (op), .dst_reg = d, .imm = k}
#define MOV_X(d, s) {.code = BPF_ALU64 | BPF_X | BPF_MOV, .dst_reg = d, .src_reg = s}
#define JMP_K(op, d, k, o) {.code = BPF_JMP | BPF_K | (op), .dst_reg = d, .off = o, .imm = k}
#define JA(o) {.code = BPF_JMP | BPF_JA, .off = o}
#define EXIT_WITH(k) {.code = BPF_ALU64 | BPF_K | BPF_MOV, .dst_reg = 0, .imm = k}, {.code = BPF_JMP | BPF_EXIT}
	/* jump offsets count from the next instruction: ALLOW is insn 23, DENY insn 25 */
	static const struct bpf_insn prog[] = {
		LDX_W(2, 1, 0), LDX_W(3, 1, 4), LDX_W(4, 1, 8), /* 0-2: access_type, major, minor */
		MOV_X(5, 2), ALU_K(BPF_AND, 5, 0xffff), ALU_K(BPF_RSH, 2, 16), /* 3-5: r5 type, r2 access */
		JMP_K(BPF_JNE, 5, BPF_DEVCG_DEV_BLOCK, 3),                   /* 6: not a block device: 10 */
		ALU_K(BPF_AND, 2, BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_WRITE), /* 7 */
		JMP_K(BPF_JNE, 2, 0, 16), JA(13),                             /* 8-9: write or mknod: deny */
		JMP_K(BPF_JNE, 5, BPF_DEVCG_DEV_CHAR, 14),                    /* 10: neither: deny */
		ALU_K(BPF_AND, 2, BPF_DEVCG_ACC_MKNOD), JMP_K(BPF_JNE, 2, 0, 12), /* 11-12: mknod: deny */
		JMP_K(BPF_JEQ, 3, 1, 3),                                      /* 13: major 1: 17 */
		JMP_K(BPF_JNE, 3, 5, 10), JMP_K(BPF_JEQ, 4, 0, 7), JA(8),     /* 14-16: 5:0 (tty) only */
		JMP_K(BPF_JEQ, 4, 3, 5), JMP_K(BPF_JEQ, 4, 5, 4), JMP_K(BPF_JEQ, 4, 7, 3), /* 17-21: 1:3 */
		JMP_K(BPF_JEQ, 4, 8, 2), JMP_K(BPF_JEQ, 4, 9, 1), JA(2),      /* 5 7 8 9; 22: deny */
		EXIT_WITH(1), EXIT_WITH(0),                                   /* 23-24 ALLOW, 25-26 DENY */
	};
#undef LDX_W
#undef ALU_K
#undef MOV_X
#undef JMP_K
#undef JA
#undef EXIT_WITH
	if (H.dev_prog_fd < 0) {
		union bpf_attr a;
		memset(&a, 0, sizeof(a));
		a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
		a.insns = (uint64_t)(uintptr_t)prog;
		a.insn_cnt = ELEMENTSOF(prog);
		a.license = (uint64_t)(uintptr_t)"GPL";
		H.dev_prog_fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
		if (H.dev_prog_fd < 0)
			return -errno;
		(void)fcntl(H.dev_prog_fd, F_SETFD, FD_CLOEXEC);
	}
	return devro_prog_op(dir, BPF_PROG_ATTACH);
}

/* The devices cgroup of the actors that declare devices: ro (v1; made at the first one, shared by
 * all of them, since the rule is the same): block devices may be read, not written, and of the
 * character devices only the private /dev's null, zero, full, random, urandom and tty may be
 * opened. A read-only bind of /dev alone would not do: a read-only mount does not stop writes to
 * a device node (the kernel exempts special files), and an actor with CAP_DAC_OVERRIDE ignores
 * the nodes' modes. 0, or -errno with *ret_err (no devices hierarchy: the disks stay unreadable
 * rather than writable). */
static int devro_take(char **ret_err)
{
	static const char *const allow[] = {"b *:* r",	"c 1:3 rw", "c 1:5 rw", "c 1:7 rw",
					    "c 1:8 rw", "c 1:9 rw", "c 5:0 rw"};
	if (H.dev_procs_fd >= 0)
		return 0;
	bool v2 = !H.dev_parent;
	if (v2 && !H.v2_parent) {
		*ret_err = xstrdup("sandbox devices: ro needs a devices cgroup (a cgroup v1 'devices' hierarchy, or "
				   "cgroup v2 for a device program), and neither is mounted on this host");
		return -ENOTSUP;
	}
	int e = 0;
	const char *step = "creating";
	if (!H.dev_base) {
		const char *parent = v2 ? H.v2_parent : H.dev_parent;
		cg_clean_stale(parent);
		_cleanup_free_ char *name = xasprintf("leapp-%d%s", (int)getpid(), v2 ? "-devices" : "");
		H.dev_base = path_join(parent, name);
		H.dev_dir = path_join(H.dev_base, "devro");
	}
	if ((mkdir(H.dev_base, 0755) < 0 && errno != EEXIST) || (mkdir(H.dev_dir, 0755) < 0 && errno != EEXIST))
		e = -errno;
	_cleanup_free_ char *deny = path_join(H.dev_dir, "devices.deny"), *al = path_join(H.dev_dir, "devices.allow");
	if (e == 0 && v2) {
		step = "attaching the device program to";
		e = devro_prog_attach(H.dev_dir);
	} else if (e == 0) {
		step = "writing the rules of";
		e = write_str(deny, "a");
	}
	for (size_t i = 0; i < ELEMENTSOF(allow) && e == 0 && !v2; i++)
		e = write_str(al, allow[i]);
	if (e == 0) {
		_cleanup_free_ char *procs = path_join(H.dev_dir, "cgroup.procs");
		step = "opening";
		H.dev_procs_fd = open(procs, O_WRONLY | O_CLOEXEC);
		if (H.dev_procs_fd < 0)
			e = -errno;
	}
	if (e < 0)
		*ret_err = errf("%s the devices cgroup %s: %s", step, H.dev_dir, strerror(-e));
	return e;
}

static void host_cleanup(void)
{
	for (size_t i = 0; i < H.n_slots; i++)
		for (size_t k = 0; k < H.n_cg; k++) {
			if (H.slots[i].procs_fd[k] >= 0)
				close(H.slots[i].procs_fd[k]);
			if (H.slots[i].pev_fd[k] >= 0)
				close(H.slots[i].pev_fd[k]);
			if (H.slots[i].oom_fd[k] >= 0)
				close(H.slots[i].oom_fd[k]);
			if (H.slots[i].dir[k])
				rmdir(H.slots[i].dir[k]);
		}
	for (size_t i = 0; i < H.n_cg; i++)
		rmdir(H.cg[i].base);
	if (H.dev_procs_fd >= 0)
		close(H.dev_procs_fd);
	H.dev_procs_fd = -1;
	if (H.dev_prog_fd >= 0)
		close(H.dev_prog_fd);
	H.dev_prog_fd = -1;
	if (H.dev_dir)
		rmdir(H.dev_dir);
	if (H.dev_base)
		rmdir(H.dev_base);
	if (H.netns_fd >= 0)
		close(H.netns_fd);
	H.netns_fd = -1;
	if (H.reaper_fd >= 0)
		close(H.reaper_fd); /* the thread ends at EOF, or with the process */
	H.reaper_fd = -1;
}

/* ---- deferred namespace teardown ---- */

static void reaper_main(void *arg)
{
	int rfd = (int)(intptr_t)arg;
	int fd;
	while (read(rfd, &fd, sizeof(fd)) == (ssize_t)sizeof(fd))
		close(fd); /* the last reference: the kernel tears the namespace down here */
	close(rfd);
}

/* Without the thread everything still works, only with the teardown in the actor's exit. */
static void reaper_start(void)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	static uv_thread_t t;
	if (uv_thread_create(&t, reaper_main, (void *)(intptr_t)p[0]) != 0) {
		close(p[0]);
		close(p[1]);
		return;
	}
	H.reaper_fd = p[1];
}

static void reaper_close(int fd)
{
	if (fd < 0)
		return;
	if (H.reaper_fd < 0 || write(H.reaper_fd, &fd, sizeof(fd)) != (ssize_t)sizeof(fd))
		close(fd);
}

/* ---- seccomp ---- */

/* At least what the default seccomp profile of Docker and Podman denies (their allow list, read
 * as a deny list for an actor that keeps no CAP_SYS_ADMIN, CAP_SYS_TIME, CAP_SYS_NICE, ...):
 * the kernel's keyrings, userfaultfd, perf, io_uring, kexec, reboot, modules, bpf, swap, handles,
 * time setting, accounting, quotas, NUMA policy, other processes' memory, and the obsolete calls.
 * Exceptions, allowed on purpose:
 *  - name_to_handle_at: harmless alone (open_by_handle_at is the escape, and it is denied);
 *    systemd's tools in dracut use it to find mount points;
 *  - adjtimex: glibc's ntp_gettime() reads the clock with it; setting the time needs
 *    CAP_SYS_TIME, which no profile keeps (clock_adjtime, clock_settime, settimeofday are denied);
 *  - personality: only the values Docker allows too (below);
 *  - unshare and clone with namespace flags, for an actor that declares mounts (never a user
 *    namespace: that is the sandbox's to make, see the mounts profile);
 *  - ptrace in a sanitizer build (LeakSanitizer stops the threads with it), recorded on the run. */
static const char *const denied_always[] = {
	"reboot", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"create_module", "query_module", "get_kernel_syms", "bpf", "swapon", "swapoff", "open_by_handle_at",
	"keyctl", "add_key", "request_key", "userfaultfd", "perf_event_open",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"settimeofday", "stime", "clock_settime", "clock_settime64", "clock_adjtime", "clock_adjtime64",
	"acct", "quotactl", "quotactl_fd", "nfsservctl", "lookup_dcookie", "uselib", "ustat", "sysfs",
	"_sysctl", "vm86", "vm86old", "iopl", "ioperm", "syslog", "vhangup",
	"kcmp", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "process_madvise",
	"mbind", "set_mempolicy", "get_mempolicy", "migrate_pages", "move_pages", "set_mempolicy_home_node",
	"fanotify_init", "setns",
};
static const char *const denied_mount[] = {
	"mount", "umount", "umount2", "mount_setattr", "fsopen", "fsconfig", "fsmount", "fspick",
	"move_mount", "open_tree", "open_tree_attr", "pivot_root",
};

/* The namespace flags of clone and unshare (Docker's mask, CLONE_NEWTIME included). */
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif
#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)

/* personality(): only the values Docker's profile allows (PER_LINUX, PER_LINUX32, either with
 * UNAME26, and the query 0xffffffff). libseccomp takes one comparison per argument and rule, which
 * cannot say "none of these five", so this check is a few instructions of our own in front of its
 * program. The kernel reads the argument as an unsigned int: so does this (the low word). */
static const uint32_t persona_ok[] = {0, 8, 0x20000, 0x20008, 0xffffffff};
#define PERSONA_PREFIX_LEN (6 + ELEMENTSOF(persona_ok))

static void persona_prefix(struct sock_filter *f, uint32_t arch)
{
	const uint32_t n = ELEMENTSOF(persona_ok);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint32_t arg0_low = offsetof(struct seccomp_data, args[0]);
#else
	const uint32_t arg0_low = offsetof(struct seccomp_data, args[0]) + 4;
#endif
	size_t k = 0;
	/* anything else goes on to libseccomp's program, the instruction after this prefix */
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 0, (uint8_t)(n + 4));
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SCMP_SYS(personality), 0, (uint8_t)(n + 2));
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg0_low);
	for (uint32_t i = 0; i < n; i++)
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, persona_ok[i], (uint8_t)(n - i), 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
}

/* Compiled once per variant in the broker: libseccomp allocates, the child may not. */
static int filter_build(bool mounts, bool sanitizer, struct sock_fprog *ret, char **ret_err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		*ret_err = xstrdup("seccomp_init failed");
		return -ENOMEM;
	}
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0); /* the child sets no_new_privs itself */
	for (size_t i = 0; i < ELEMENTSOF(denied_always) && r == 0; i++) {
		int nr = seccomp_syscall_resolve_name(denied_always[i]);
		if (nr != __NR_SCMP_ERROR)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	}
	for (size_t i = 0; i < ELEMENTSOF(denied_mount) && r == 0 && !mounts; i++) {
		int nr = seccomp_syscall_resolve_name(denied_mount[i]);
		if (nr != __NR_SCMP_ERROR)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	}
	/* LeakSanitizer stops the threads with ptrace before it scans for leaks */
	if (r == 0 && !sanitizer)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 0);
	/* no namespaces of its own, except mount namespaces for an actor that declares mounts; never
	 * a user namespace, which would give it a fresh set of capabilities to attack the kernel with.
	 * clone3 takes its flags in memory a filter cannot read: ENOSYS makes libc fall back to clone. */
	uint64_t nsmask = mounts ? CLONE_NEWUSER : NS_FLAGS;
#if defined(__s390__) || defined(__s390x__)
#define CLONE_FLAGS_ARG 1
#else
#define CLONE_FLAGS_ARG 0
#endif
	/* one rule per flag: each matches when that flag is set */
	for (unsigned b = 0; b < 64 && r == 0; b++) {
		uint64_t f = UINT64_C(1) << b;
		if (!(nsmask & f))
			continue;
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, f, f));
		if (r == 0 && f != CLONE_NEWTIME) /* for clone, that bit is part of the exit signal */
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
					     SCMP_CMP(CLONE_FLAGS_ARG, SCMP_CMP_MASKED_EQ, f, f));
	}
	if (r == 0) {
		int nr = seccomp_syscall_resolve_name("clone3");
		if (nr != __NR_SCMP_ERROR)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
	}
	int p[2] = {-1, -1};
	if (r == 0 && pipe2(p, O_CLOEXEC) < 0)
		r = -errno;
	if (r == 0)
		r = seccomp_export_bpf(ctx, p[1]);
	seccomp_release(ctx);
	if (p[1] >= 0)
		close(p[1]);
	if (r < 0) {
		if (p[0] >= 0)
			close(p[0]);
		*ret_err = errf("cannot build the seccomp filter: %s", strerror(-r));
		return r;
	}
	struct buf b = {0};
	struct sock_filter prefix[PERSONA_PREFIX_LEN];
	persona_prefix(prefix, seccomp_arch_native());
	buf_append(&b, prefix, sizeof(prefix));
	char chunk[4096];
	ssize_t n;
	while ((n = read(p[0], chunk, sizeof(chunk))) > 0)
		buf_append(&b, chunk, (size_t)n);
	close(p[0]);
	if (b.len <= sizeof(prefix) || b.len % sizeof(struct sock_filter)) {
		buf_free(&b);
		*ret_err = xstrdup("cannot build the seccomp filter: libseccomp exported no program");
		return -EINVAL;
	}
	ret->len = (unsigned short)(b.len / sizeof(struct sock_filter));
	ret->filter = (struct sock_filter *)buf_steal(&b);
	return 0;
}

/* ---- set-up once per run ---- */

static int host_init(char **ret_err)
{
	if (H.ready)
		return 0;
	if (geteuid() != 0) {
		*ret_err = xstrdup("the actor sandbox needs root (leapp runs as root); use --no-sandbox only to debug "
				   "without isolation");
		return -EPERM;
	}
	static const char *const ns[] = {"mnt", "pid", "ipc", "uts", "net"};
	static const char *const cfg[] = {"CONFIG_NAMESPACES", "CONFIG_PID_NS", "CONFIG_IPC_NS", "CONFIG_UTS_NS",
					  "CONFIG_NET_NS"};
	for (size_t i = 0; i < ELEMENTSOF(ns); i++) {
		char p[64];
		snprintf(p, sizeof(p), "/proc/self/ns/%s", ns[i]);
		if (access(p, F_OK) < 0) {
			*ret_err = errf("the kernel has no %s namespaces (%s), which the actor sandbox needs", ns[i], cfg[i]);
			return -ENOTSUP;
		}
	}
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		*ret_err = xstrdup("the kernel has no seccomp (CONFIG_SECCOMP), which the actor sandbox needs");
		return -ENOTSUP;
	}
	_cleanup_free_ char *lc = NULL;
	H.last_cap = CAP_LAST_CAP;
	if (read_file("/proc/sys/kernel/cap_last_cap", 64, &lc, NULL) == 0)
		H.last_cap = atoi(lc);
	if (H.last_cap > 63)
		H.last_cap = 63;
	int r;
#ifdef LEAPP_SANITIZER_BUILD
	bool san = true;
#else
	bool san = false;
#endif
	for (int m = 0; m < 2; m++)
		if ((r = filter_build(m, san, &H.filter[m], ret_err)) < 0)
			return r;
	if ((r = cg_setup(ret_err)) < 0)
		return r;
	H.mi_buf = xmalloc(MOUNTINFO_MAX); /* untouched pages cost nothing */
	H.status = mmap(NULL, STATUS_SLOTS * 2 * sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (H.status == MAP_FAILED) {
		H.status = NULL;
		*ret_err = errf("cannot map the status page of the actor inits: %s", strerror(errno));
		return -ENOMEM;
	}
	reaper_start();
	atexit(host_cleanup);
	H.ready = true;
	return 0;
}

/* A network namespace with no interface but a loopback that is down, made by the broker
 * switching into it and back (one syscall each, no process). */
static int netns_new(int *ret_fd, char **ret_err)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		*ret_err = errf("cannot open /proc/self/ns/net: %s", strerror(errno));
		return -errno;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		int r = -errno;
		*ret_err = errf("cannot create a network namespace: %s", strerror(errno));
		close(self);
		return r;
	}
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int r = fd < 0 ? -errno : 0;
	if (setns(self, CLONE_NEWNET) < 0)
		abort(); /* the broker would be left without its network: cannot happen as root */
	close(self);
	if (r < 0) {
		*ret_err = errf("cannot open the new network namespace: %s", strerror(-r));
		return r;
	}
	*ret_fd = fd;
	return 0;
}

/* What each step of the sandbox needs from the kernel, tried once in a throw-away child. */
static int trial_child(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return 10;
	if (mount("tmpfs", "/tmp", "tmpfs", 0, "size=4k") < 0)
		return 11;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return 12;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &H.filter[0]) < 0)
		return 13;
	return 0;
}

int sandbox_check_host(char **ret_err)
{
	int r = host_init(ret_err);
	if (r < 0)
		return r;
	pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD | sandbox_clone_flags(&(struct sandbox_spec){.enabled = true}), NULL,
				   NULL, NULL, NULL);
	if (pid < 0) {
		r = -errno;
		*ret_err = errf("cannot create the mount, pid, ipc and uts namespaces of the actor sandbox: %s%s",
				strerror(errno), errno == EPERM ? " (running in a container without CAP_SYS_ADMIN?)" : "");
		return r;
	}
	if (pid == 0)
		_exit(trial_child());
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 255;
	if (code) {
		static const char *const what[] = {"making mounts private (mount)", "mounting a tmpfs",
						   "setting no_new_privs", "loading a seccomp filter (CONFIG_SECCOMP_FILTER)"};
		*ret_err = errf("the actor sandbox cannot work on this kernel: %s failed",
				code >= 10 && code <= 13 ? what[code - 10] : "a namespace test");
		return -ENOTSUP;
	}
	int fd;
	if ((r = netns_new(&fd, ret_err)) < 0)
		return r;
	close(fd);
	return 0;
}

/* ---- planning one actor's sandbox (parent) ---- */

static char *dupcat(const char *a, const char *b)
{
	if (!strcmp(a, "/"))
		return xstrdup(b);
	return xasprintf("%s%s", a, b);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int add_path(char **v, size_t *n, char *p, char **ret_err)
{
	if (*n >= SANDBOX_MAX_PATHS) {
		*ret_err = errf("too many sandbox paths (at most %d): %s", SANDBOX_MAX_PATHS, p);
		free(p);
		return -E2BIG;
	}
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(v[i], p)) {
			free(p);
			return 0;
		}
	v[(*n)++] = p;
	return 0;
}

/* The entry of /tmp (or /run) that holds `p`, which must stay visible over the fresh tmpfs:
 * its whole top-level directory, so that a test's sibling directories stay visible too. */
static int keep_below(struct sandbox_run *r, const char *p, char **ret_err)
{
	static const char *const dirs[] = {"/tmp", "/run"};
	if (!p || !*p)
		return 0;
	for (int i = 0; i < 2; i++) {
		size_t n = strlen(dirs[i]);
		if (strncmp(p, dirs[i], n))
			continue;
		if (p[n] == 0) {
			/* the path is /tmp itself: leave the host's */
			if (i == 0)
				r->fresh_tmp = false;
			else
				r->fresh_run = false;
			continue;
		}
		if (p[n] != '/')
			continue;
		const char *e = p + n + 1;
		size_t len = strcspn(e, "/");
		if (len == 0)
			continue;
		char *top = xstrndup(p, (size_t)(e - p) + len);
		int rr = i == 0 ? add_path(r->keep_tmp, &r->n_keep_tmp, top, ret_err)
				: add_path(r->keep_run, &r->n_keep_run, top, ret_err);
		if (rr < 0)
			return rr;
	}
	return 0;
}

static uint64_t caps_of(const struct sandbox_spec *s)
{
	/* reading every fact, as root can, is what the source phases do */
	uint64_t c = CAPBIT(CAP_DAC_READ_SEARCH);
	/* building a tree with rpm or dracut (the target userspace, the initramfs): owners, modes,
	 * file capabilities, device nodes (harmless on the nodev writable binds), chroot */
	uint64_t build = CAPBIT(CAP_CHOWN) | CAPBIT(CAP_DAC_OVERRIDE) | CAPBIT(CAP_FOWNER) | CAPBIT(CAP_FSETID) |
			 CAPBIT(CAP_SETFCAP) | CAPBIT(CAP_MKNOD) | CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID) |
			 CAPBIT(CAP_SYS_CHROOT) | CAPBIT(CAP_AUDIT_WRITE);
	if (s->profile == SANDBOX_INTERIM_PREP || s->profile == SANDBOX_READWRITE || s->n_writes)
		c |= build;
	/* the upgrade itself: rpm scriptlets signal their daemons, chattr, bind low ports */
	if (s->profile == SANDBOX_READWRITE)
		c |= CAPBIT(CAP_KILL) | CAPBIT(CAP_LINUX_IMMUTABLE) | CAPBIT(CAP_NET_BIND_SERVICE) |
		     CAPBIT(CAP_SYS_RESOURCE);
	if (s->mounts)
		c |= CAPBIT(CAP_SYS_ADMIN);
	/* writing disks: device-mapper's ioctls (lvcreate) need CAP_SYS_ADMIN, and lvm locks its
	 * memory while a device is suspended (CAP_IPC_LOCK); the mount family stays denied by seccomp */
	if (s->devices == SANDBOX_DEVICES_RW)
		c |= CAPBIT(CAP_SYS_ADMIN) | CAPBIT(CAP_IPC_LOCK);
	return c;
}

/* The path with symlinks resolved, as mountinfo names mount points; the path itself when it does
 * not exist. */
static char *canon(const char *p)
{
	/* realpath() reads every component's link (a readlink each): the same few paths (root,
	 * state, logs, data, the executables) are asked for every actor, so resolved ones are kept
	 * for the run. A path that does not exist (yet) is not cached. */
	static struct {
		char *path, *real;
	} cache[32];
	static size_t n;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cache[i].path, p))
			return xstrdup(cache[i].real);
	char *c = realpath(p, NULL);
	if (!c)
		return xstrdup(p);
	if (n < ELEMENTSOF(cache)) {
		cache[n].path = xstrdup(p);
		cache[n].real = xstrdup(c);
		n++;
	}
	return c;
}

static bool has_dotdot(const char *p)
{
	for (const char *c = p; (c = strstr(c, "..")); c += 2)
		if ((c == p || c[-1] == '/') && (c[2] == 0 || c[2] == '/'))
			return true;
	return false;
}

/* Makes the directory rel below base (both leapp's) if it is missing, one component at a time and
 * never through a symlink: a declared subdirectory of the log directory is bound there, so it must
 * exist, and it must be the directory it names. 0 or -errno. */
static int mkdir_below(const char *base, const char *rel)
{
	int fd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	_cleanup_free_ char *copy = xstrdup(rel);
	char *save = NULL;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, ".") || !strcmp(c, "..")) {
			close(fd);
			return -EINVAL;
		}
		if (mkdirat(fd, c, 0755) < 0 && errno != EEXIST) {
			int e = -errno;
			close(fd);
			return e;
		}
		int next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = -errno;
		close(fd);
		if (next < 0)
			return e;
		fd = next;
	}
	close(fd);
	return 0;
}

/* ---- file:// repositories ----
 * A file:// URL in a repo file is a path on the machine that runs leapp (DESIGN.md section 4), often
 * in /tmp, which every actor gets fresh: such paths are bound back read-only, one by one. They
 * come from the repo files of the root and of leapp's data (baseurl, mirrorlist, metalink,
 * gpgkey), read once per run. */
static struct {
	bool done;
	char *paths[SANDBOX_MAX_REPO_PATHS];
	size_t n;
} R;

static void repo_url_add(const char *url, size_t len)
{
	if (len <= 7 || strncmp(url, "file://", 7))
		return;
	_cleanup_free_ char *p = xstrndup(url + 7, len - 7);
	size_t l = strlen(p);
	while (l > 1 && p[l - 1] == '/')
		p[--l] = 0;
	if (p[0] != '/' || strchr(p, '$') || has_dotdot(p) || !(path_under(p, "/tmp") || path_under(p, "/run")) ||
	    !strcmp(p, "/tmp") || !strcmp(p, "/run"))
		return;
	for (size_t i = 0; i < R.n; i++)
		if (!strcmp(R.paths[i], p))
			return;
	struct stat st;
	if (R.n < SANDBOX_MAX_REPO_PATHS && lstat(p, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
		R.paths[R.n++] = TAKE_PTR(p);
}

static void repo_file_scan(const char *path)
{
	_cleanup_free_ char *d = NULL;
	if (read_file(path, 4u << 20, &d, NULL) < 0)
		return;
	char *save = NULL;
	for (char *line = strtok_r(d, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		_cleanup_free_ char *key = xstrndup(line, (size_t)(eq - line));
		char *k = str_strip(key);
		if (strcmp(k, "baseurl") && strcmp(k, "mirrorlist") && strcmp(k, "metalink") && strcmp(k, "gpgkey"))
			continue;
		for (char *u = eq + 1; *u;) {
			u += strspn(u, " \t,");
			size_t n = strcspn(u, " \t,");
			repo_url_add(u, n);
			u += n;
		}
	}
}

static void repo_dir_scan(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)))
		if (str_endswith(de->d_name, ".repo")) {
			_cleanup_free_ char *p = path_join(dir, de->d_name);
			repo_file_scan(p);
		}
	closedir(d);
}

static void repo_paths_collect(const struct sandbox_spec *s)
{
	if (R.done)
		return;
	R.done = true;
	static const char *const in_root[] = {"/etc/yum.repos.d", "/etc/leapp/files", "/etc/leapp/files/vendors.d"};
	for (size_t i = 0; i < ELEMENTSOF(in_root); i++) {
		_cleanup_free_ char *p = dupcat(s->root, in_root[i]);
		repo_dir_scan(p);
	}
	if (s->datadir) {
		_cleanup_free_ char *f = path_join(s->datadir, "files");
		repo_dir_scan(f);
	}
}

/* Whether the manifest declares the state directory itself in writes: an actor of InterimPreparation
 * or later that makes, renames or removes entries of it (the target userspace's swap, the live
 * image, the RPM upgrade's mark, the cleanup). Refused before InterimPreparation. */
static bool declares_state(const struct sandbox_spec *s)
{
	for (size_t i = 0; i < s->n_writes; i++) {
		_cleanup_free_ char *p = dupcat(s->root, s->writes[i]);
		size_t n = strlen(p);
		while (n > 1 && p[n - 1] == '/')
			p[--n] = 0;
		if (!strcmp(p, s->statedir))
			return true;
	}
	return false;
}

/* The writable parts of a read-only state directory: the actor's scratch directory, the
 * subdirectories its manifest declares (made here if missing), and from InterimPreparation on the
 * target userspace (every el*userspace directory). */
static int plan_state_parts(struct sandbox_spec *s, char **ret_err)
{
	struct sandbox_run *r = &s->run;
	int e;
	if (s->scratch && is_dir(s->scratch) && (e = add_path(r->rw, &r->n_rw, canon(s->scratch), ret_err)) < 0)
		return e;
	for (size_t i = 0; i < s->n_writes; i++) {
		_cleanup_free_ char *p = dupcat(s->root, s->writes[i]);
		if (!path_under(p, s->statedir) || has_dotdot(s->writes[i]))
			continue;
		if (!strcmp(p, s->statedir)) {
			*ret_err = errf("its manifest declares writes: %s, the state directory itself, which holds the "
					"audit store and is read-only in phase %s (declare a subdirectory of it)",
					s->writes[i], s->phase ? s->phase : "?");
			return -EPERM;
		}
		if ((e = mkdir_below(s->statedir, p + strlen(s->statedir) + 1)) < 0) {
			*ret_err = errf("cannot create %s, declared in its manifest's writes: %s", p, strerror(-e));
			return e;
		}
		if ((e = add_path(r->rw, &r->n_rw, canon(p), ret_err)) < 0)
			return e;
	}
	DIR *d = s->profile != SANDBOX_SOURCE ? opendir(s->statedir) : NULL;
	struct dirent *de;
	e = 0;
	while (d && e == 0 && (de = readdir(d))) {
		if (strncmp(de->d_name, "el", 2) || !str_endswith(de->d_name, "userspace"))
			continue;
		char *u = path_join(s->statedir, de->d_name);
		struct stat st;
		if (lstat(u, &st) == 0 && S_ISDIR(st.st_mode))
			e = add_path(r->rw, &r->n_rw, u, ret_err);
		else
			free(u);
	}
	if (d)
		closedir(d);
	return e;
}

/* The read-only profiles (before the reboot, and InterimPreparation): the state directory's
 * writable parts (plan_state_parts; whole for an actor of InterimPreparation that declares it),
 * /boot for a boot actor there, and the target userspace read-only before it unless declared. */
static int plan_readonly(struct sandbox_spec *s, const char *state, const char *logd, const char *boot, char **ret_err)
{
	struct sandbox_run *r = &s->run;
	int e;
	r->ro_all = true;
	r->rw_nodev = true;
	/* the state directory (the store's) is read-only, every name of the store masked */
	bool source = s->profile == SANDBOX_SOURCE;
	bool state_rw = !source && declares_state(s);
	const char *w[] = {state_rw ? state : NULL, s->profile == SANDBOX_INTERIM_PREP && s->boot ? boot : NULL};
	for (size_t i = 0; i < ELEMENTSOF(w); i++)
		if (w[i] && is_dir(w[i]) && (e = add_path(r->rw, &r->n_rw, xstrdup(w[i]), ret_err)) < 0)
			return e;
	if (!state_rw && (e = plan_state_parts(s, ret_err)) < 0)
		return e;
	/* declared writes: only below leapp's directories before the reboot; there they lift the
	 * read-only target userspace (the whole el*userspace that holds one) */
	char **declared = xcalloc(s->n_writes + 1, sizeof(char *));
	e = 0;
	for (size_t i = 0; i < s->n_writes && e == 0; i++) {
		_cleanup_free_ char *p = dupcat(s->root, s->writes[i]);
		declared[i] = canon(p);
		if (has_dotdot(s->writes[i]) ||
		    (!path_under(declared[i], state) && !path_under(declared[i], logd) &&
		     !(s->profile == SANDBOX_INTERIM_PREP && s->boot && path_under(declared[i], boot)))) {
			*ret_err = errf("its manifest declares writes: %s, outside leapp's directories, which the "
					"read-only profile of phase %s does not allow",
					s->writes[i], s->phase ? s->phase : "?");
			e = -EPERM;
		}
	}
	/* the target userspace is read-only before InterimPreparation, unless declared */
	DIR *d = e == 0 && s->profile == SANDBOX_SOURCE ? opendir(state) : NULL;
	struct dirent *de;
	while (d && e == 0 && (de = readdir(d))) {
		if (strncmp(de->d_name, "el", 2) || !str_endswith(de->d_name, "userspace"))
			continue;
		char *u = path_join(state, de->d_name);
		struct stat st;
		bool keep_rw = lstat(u, &st) < 0 || !S_ISDIR(st.st_mode);
		for (size_t i = 0; i < s->n_writes && !keep_rw; i++)
			keep_rw = path_under(declared[i], u) || path_under(u, declared[i]);
		if (keep_rw)
			free(u);
		else
			e = add_path(r->ro, &r->n_ro, u, ret_err);
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < s->n_writes; i++)
		free(declared[i]);
	free(declared);
	if (e < 0)
		return e;
	return 0;
}

/* What no actor may see or write (every name of the audit store, the lock), and fresh /tmp and
 * /run keeping what the actor needs below them (its paths, file:// repositories, read-only). */
static int plan_masks_tmp(struct sandbox_spec *s, const char *root, const char *state, const char *logd, char **ret_err)
{
	struct sandbox_run *r = &s->run;
	int e;
	/* the audit store is never writable: hidden, so that no lock can be taken on it either */
	const char *sfx[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < ELEMENTSOF(sfx) && s->store_path; i++) {
		_cleanup_free_ char *p = xasprintf("%s%s", s->store_path, sfx[i]);
		struct stat st;
		if (stat(p, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if ((e = add_path(r->mask, &r->n_mask, canon(p), ret_err)) < 0)
			return e;
	}
	_cleanup_free_ char *lock = path_join(state, "leapp.lock");
	struct stat st;
	if (stat(lock, &st) == 0 && S_ISREG(st.st_mode) && (e = add_path(r->mask, &r->n_mask, canon(lock), ret_err)) < 0)
		return e;
	/* fresh /tmp and /run, keeping what the actor needs that lies below them */
	r->fresh_tmp = is_dir("/tmp");
	r->fresh_run = is_dir("/run");
	const char *keep[] = {root, s->exec, s->datadir, s->bindir, state, logd};
	for (size_t i = 0; i < ELEMENTSOF(keep); i++) {
		_cleanup_free_ char *k = keep[i] ? canon(keep[i]) : NULL;
		if ((e = keep_below(r, k, ret_err)) < 0)
			return e;
	}
	repo_paths_collect(s);
	for (size_t i = 0; i < R.n; i++) {
		bool kept = false;
		for (size_t k = 0; k < r->n_keep_tmp && !kept; k++)
			kept = path_under(R.paths[i], r->keep_tmp[k]);
		for (size_t k = 0; k < r->n_keep_run && !kept; k++)
			kept = path_under(R.paths[i], r->keep_run[k]);
		if (!kept)
			r->repo_ro[r->n_repo_ro++] = R.paths[i];
	}
	snprintf(r->tmp_opts, sizeof(r->tmp_opts), "mode=1777,size=%lldm", s->memory_mb > 0 ? s->memory_mb : 64);
	snprintf(r->run_opts, sizeof(r->run_opts), "mode=0755,size=%lldm", s->memory_mb > 0 ? s->memory_mb : 64);
	return 0;
}

/* What LVM needs beside the host's /dev for an actor that declares devices: rw (snapshot_take): its
 * run-time directories (locks, the lvmpolld and dmeventd sockets) kept over the fresh /run, and
 * where it records metadata backups, writable in a read-only profile. Host paths: lvm acts on the
 * host's disks whatever --root says. */
static int plan_lvm(struct sandbox_spec *s, char **ret_err)
{
	struct sandbox_run *r = &s->run;
	static const char *const run[] = {"/run/lvm", "/run/lock/lvm"};
	static const char *const etc[] = {"/etc/lvm/archive", "/etc/lvm/backup"};
	int e;
	for (size_t i = 0; i < ELEMENTSOF(run); i++)
		if (is_dir(run[i]) && (e = keep_below(r, run[i], ret_err)) < 0)
			return e;
	for (size_t i = 0; i < ELEMENTSOF(etc) && r->ro_all; i++)
		if (is_dir(etc[i]) && (e = add_path(r->rw, &r->n_rw, canon(etc[i]), ret_err)) < 0)
			return e;
	return 0;
}

static int plan_fs(struct sandbox_spec *s, char **ret_err)
{
	struct sandbox_run *r = &s->run;
	int e;
	const char *fixed[] = {s->root, s->statedir, s->logdir, s->scratch, s->exec, s->datadir, s->bindir};
	for (size_t i = 0; i < ELEMENTSOF(fixed); i++)
		if (fixed[i] && (path_under(fixed[i], "/proc") || path_under(fixed[i], "/dev"))) {
			*ret_err = errf("%s is below /proc or /dev, which the sandbox replaces", fixed[i]);
			return -EINVAL;
		}
	bool is_host = !strcmp(s->root, "/");
	_cleanup_free_ char *root = canon(s->root), *state = canon(s->statedir), *logd = canon(s->logdir);
	_cleanup_free_ char *boot0 = dupcat(s->root, "/boot");
	_cleanup_free_ char *boot = canon(boot0);
	if (!path_under(boot, root)) { /* a /boot that points out of the root is not the root's */
		free(boot);
		boot = xstrdup(boot0);
	}
	/* the log directory is the broker's in every phase: only the subdirectories an actor declares
	 * (its own logs) are writable, made here by the broker if they are missing */
	for (size_t i = 0; i < s->n_writes; i++) {
		_cleanup_free_ char *p = dupcat(s->root, s->writes[i]);
		if (!path_under(p, s->logdir) || has_dotdot(s->writes[i]))
			continue;
		if (!strcmp(p, s->logdir)) {
			*ret_err = errf("its manifest declares writes: %s, the log directory itself, which only the broker "
					"writes (declare a subdirectory of it)", s->writes[i]);
			return -EPERM;
		}
		if ((e = mkdir_below(s->logdir, p + strlen(s->logdir) + 1)) < 0) {
			*ret_err = errf("cannot create %s, declared in its manifest's writes: %s", p, strerror(-e));
			return e;
		}
		if ((e = add_path(r->rw, &r->n_rw, canon(p), ret_err)) < 0)
			return e;
	}
	/* the writable places of the profile */
	if (s->profile == SANDBOX_READWRITE) {
		r->ro_all = !is_host; /* a --root below the host: the host around it stays read-only */
		if (!is_host && (e = add_path(r->rw, &r->n_rw, xstrdup(root), ret_err)) < 0)
			return e;
		if (is_dir(logd) && (e = add_path(r->ro_dirs, &r->n_ro_dirs, xstrdup(logd), ret_err)) < 0)
			return e;
		/* the state directory too, but for its writable parts, unless declared whole */
		if (!declares_state(s) && is_dir(state) &&
		    ((e = add_path(r->ro_dirs, &r->n_ro_dirs, xstrdup(state), ret_err)) < 0 || (e = plan_state_parts(s, ret_err)) < 0))
			return e;
	} else if ((e = plan_readonly(s, state, logd, boot, ret_err)) < 0)
		return e;
	r->efivars_rw = s->boot && s->profile != SANDBOX_SOURCE;
	if ((e = plan_masks_tmp(s, root, state, logd, ret_err)) < 0)
		return e;
	if (s->devices == SANDBOX_DEVICES_RW && (e = plan_lvm(s, ret_err)) < 0)
		return e;
	r->chdir_to = xstrdup(s->scratch && is_dir(s->scratch) ? s->scratch : "/");
	return 0;
}

/* The value of `key` in a flat-keyed cgroup file ("max 3\n"), read again from its start. */
static long long read_counter(int fd, const char *key)
{
	char d[4096];
	ssize_t n = fd < 0 ? -1 : pread(fd, d, sizeof(d) - 1, 0);
	if (n <= 0)
		return 0;
	d[n] = 0;
	size_t kl = strlen(key);
	for (char *line = d; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (!strncmp(line, key, kl) && line[kl] == ' ')
			return atoll(line + kl + 1);
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

static const char *oom_file(bool v2)
{
	return v2 ? "memory.events" : "memory.oom_control";
}

/* Writes the limits into slot k unless they are there already. */
static int cg_limit(struct cg_slot *sl, const struct sandbox_spec *s, char **ret_err)
{
	char v[64];
	for (size_t i = 0; i < H.n_cg; i++) {
		const struct cg_hier *h = &H.cg[i];
		int e = 0;
		if (h->pids && sl->pids != s->pids) {
			_cleanup_free_ char *f = path_join(sl->dir[i], "pids.max");
			snprintf(v, sizeof(v), "%lld", s->pids);
			e = write_str(f, v);
		}
		if (e == 0 && h->memory && sl->memory_mb != s->memory_mb) {
			snprintf(v, sizeof(v), "%lld", s->memory_mb * 1024 * 1024);
			_cleanup_free_ char *f = path_join(sl->dir[i], h->v2 ? "memory.max" : "memory.limit_in_bytes");
			_cleanup_free_ char *sw = path_join(sl->dir[i], h->v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes");
			if (!h->v2 && sl->memory_mb >= 0 && s->memory_mb > sl->memory_mb)
				write_str(sw, v); /* v1 keeps memsw >= mem: raise memsw first */
			e = write_str(f, v);
			/* and no escape into swap */
			if (e == 0)
				write_str(sw, h->v2 ? "0" : v);
		}
		if (e < 0) {
			*ret_err = errf("cannot set the limits of the cgroup %s: %s", sl->dir[i], strerror(-e));
			sl->pids = sl->memory_mb = -1;
			return e;
		}
	}
	sl->pids = s->pids;
	sl->memory_mb = s->memory_mb;
	return 0;
}

/* The actor's cgroups. Making and removing a memory cgroup costs more than half a millisecond, so
 * the broker keeps a pool: a slot is free again once its actor is reaped, and then it is empty,
 * because the kernel reaps the whole pid namespace before its pid 1's exit is reported. Event
 * counters are cumulative, so the ones the slot had before the actor are remembered. */
static int cg_take(struct sandbox_spec *s, char **ret_err)
{
	struct sandbox_run *r = &s->run;
	size_t k = 0;
	while (k < H.n_slots && H.slots[k].busy)
		k++;
	if (k >= STATUS_SLOTS) {
		*ret_err = errf("more than %d actors at once", STATUS_SLOTS);
		return -EMFILE;
	}
	if (k == H.n_slots) {
		H.slots = xrealloc(H.slots, (H.n_slots + 1) * sizeof(*H.slots));
		struct cg_slot *sl = &H.slots[H.n_slots++];
		memset(sl, 0, sizeof(*sl));
		sl->pids = sl->memory_mb = -1;
		for (size_t i = 0; i < CG_MAX; i++)
			sl->procs_fd[i] = sl->pev_fd[i] = sl->oom_fd[i] = -1;
		for (size_t i = 0; i < H.n_cg; i++) {
			const struct cg_hier *h = &H.cg[i];
			_cleanup_free_ char *name = xasprintf("actor%zu", k);
			sl->dir[i] = path_join(h->base, name);
			_cleanup_free_ char *procs = path_join(sl->dir[i], "cgroup.procs");
			_cleanup_free_ char *pev = path_join(sl->dir[i], "pids.events");
			_cleanup_free_ char *oom = path_join(sl->dir[i], oom_file(h->v2));
			if ((mkdir(sl->dir[i], 0755) < 0 && errno != EEXIST) ||
			    (sl->procs_fd[i] = open(procs, O_WRONLY | O_CLOEXEC)) < 0) {
				int e = -errno;
				*ret_err = errf("cannot create the actor cgroup %s: %s", sl->dir[i], strerror(errno));
				for (size_t j = 0; j <= i; j++) {
					if (sl->procs_fd[j] >= 0)
						close(sl->procs_fd[j]);
					if (sl->pev_fd[j] >= 0)
						close(sl->pev_fd[j]);
					if (sl->oom_fd[j] >= 0)
						close(sl->oom_fd[j]);
					rmdir(sl->dir[j]);
					free(sl->dir[j]);
				}
				H.n_slots--;
				return e;
			}
			/* -1: no counter, no explanation */
			if (h->pids)
				sl->pev_fd[i] = open(pev, O_RDONLY | O_CLOEXEC);
			if (h->memory)
				sl->oom_fd[i] = open(oom, O_RDONLY | O_CLOEXEC);
		}
	}
	struct cg_slot *sl = &H.slots[k];
	int e = cg_limit(sl, s, ret_err);
	if (e < 0)
		return e;
	sl->busy = true;
	r->cg_slot = (int)k;
	r->status = H.status + 2 * k;
	r->status[0] = r->status[1] = 0;
	for (size_t i = 0; i < H.n_cg; i++) {
		const struct cg_hier *h = &H.cg[i];
		r->cg_dir[i] = sl->dir[i];
		r->cg_pids[i] = h->pids;
		r->cg_memory[i] = h->memory;
		r->cg_v2[i] = h->v2;
		r->cg_max0[i] = read_counter(sl->pev_fd[i], "max");
		r->cg_oom0[i] = read_counter(sl->oom_fd[i], "oom_kill");
		r->cg_fd[i] = sl->procs_fd[i];
	}
	return 0;
}

/* devices: ro for one actor: the shared devices cgroup it joins (v1, or v2 beside the pids and
 * memory controllers of v1), or, where its own cgroup is a v2 one (a process is in one v2 cgroup
 * only), the device program attached to that cgroup until sandbox_release(). 0 or -errno. */
static int devro_enter(struct sandbox_spec *s, char **ret_err)
{
	struct sandbox_run *r = &s->run;
	for (size_t i = 0; i < CG_MAX && !H.dev_parent; i++)
		if (r->cg_dir[i] && r->cg_v2[i]) {
			int e = devro_prog_attach(r->cg_dir[i]);
			if (e < 0) {
				*ret_err = errf("attaching the device program of sandbox devices: ro to %s: %s", r->cg_dir[i],
						strerror(-e));
				return e;
			}
			r->dev_bpf_dir = r->cg_dir[i];
			return 0;
		}
	int e = devro_take(ret_err);
	if (e == 0)
		r->dev_cg_fd = H.dev_procs_fd;
	return e;
}

int sandbox_prepare(struct sandbox_spec *s, char **ret_err)
{
	struct sandbox_run *r = &s->run;
	memset(r, 0, sizeof(*r));
	r->cg_fd[0] = r->cg_fd[1] = -1;
	r->cg_slot = -1;
	r->hold_fd[0] = r->hold_fd[1] = -1;
	r->dev_cg_fd = -1;
	if (!s->enabled)
		return 0;
	int e = host_init(ret_err);
	if (e < 0)
		return e;
	r->prepared = true;
	if (s->devices == SANDBOX_DEVICES_RW && s->profile == SANDBOX_SOURCE) {
		/* discovery refuses such a manifest; this is the sandbox's own word on it */
		*ret_err = errf("sandbox devices: rw is not allowed in the read-only phase %s", s->phase ? s->phase : "?");
		e = -EPERM;
		goto fail;
	}
	r->host_dev = s->devices != SANDBOX_DEVICES_NONE;
	r->dev_ro = s->devices == SANDBOX_DEVICES_RO;
	if (!s->network && s->netns_fd < 0) {
		const char *ph = s->phase ? s->phase : "";
		if (H.netns_fd < 0 || !H.netns_phase || strcmp(H.netns_phase, ph)) {
			int fd;
			if ((e = netns_new(&fd, ret_err)) < 0)
				goto fail;
			if (H.netns_fd >= 0)
				close(H.netns_fd);
			H.netns_fd = fd;
			free(H.netns_phase);
			H.netns_phase = xstrdup(ph);
		}
		s->netns_fd = H.netns_fd;
	}
	r->caps = caps_of(s);
	r->filter = &H.filter[s->mounts ? 1 : 0];
	if ((e = plan_fs(s, ret_err)) < 0)
		goto fail;
	if ((e = cg_take(s, ret_err)) < 0)
		goto fail;
	if (r->dev_ro && (e = devro_enter(s, ret_err)) < 0)
		goto fail;
	bool memcg = false;
	for (size_t i = 0; i < CG_MAX; i++)
		memcg |= r->cg_dir[i] && r->cg_memory[i];
	/* with a memory cgroup the limit is on what the actor really uses; the address-space limit is
	 * then only a backstop (glibc arenas and runtimes reserve far more than they touch) */
	r->as_limit_mb = s->sanitizer ? 0 : memcg ? 2 * s->memory_mb + 1024 : s->memory_mb;
	return 0;
fail:
	sandbox_release(s);
	return e;
}

int sandbox_attach(struct sandbox_spec *s, pid_t pid)
{
	const struct sandbox_run *r = &s->run;
	if (!s->enabled || !r->prepared)
		return 0;
	char num[24];
	int n = snprintf(num, sizeof(num), "%d", (int)pid);
	for (size_t i = 0; i < CG_MAX; i++)
		if (r->cg_fd[i] >= 0 && write(r->cg_fd[i], num, (size_t)n) < 0)
			return -errno;
	if (r->dev_cg_fd >= 0 && write(r->dev_cg_fd, num, (size_t)n) < 0)
		return -errno;
	return 0;
}

void sandbox_started(struct sandbox_spec *s, pid_t pid)
{
	if (!s->enabled || !s->run.prepared || H.reaper_fd < 0)
		return;
	static const char *const kinds[] = {"mnt", "ipc"};
	for (size_t i = 0; i < ELEMENTSOF(kinds); i++) {
		char p[64];
		snprintf(p, sizeof(p), "/proc/%d/ns/%s", (int)pid, kinds[i]);
		s->run.hold_fd[i] = open(p, O_RDONLY | O_CLOEXEC);
	}
}

unsigned long sandbox_clone_flags(const struct sandbox_spec *s)
{
	/* devices: rw keeps the host's IPC namespace: device-mapper tools (lvm) wait on a SysV
	 * semaphore that udev's rules release, in the host's namespace, once the nodes exist */
	if (s && s->enabled && s->devices == SANDBOX_DEVICES_RW)
		return CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS;
	return s && s->enabled ? CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS : 0;
}

int sandbox_exit_status(const struct sandbox_spec *s, int raw)
{
	const struct sandbox_run *r = &s->run;
	if (!s->enabled || !r->prepared || !r->status || !r->status[0])
		return raw;
	return r->status[1];
}

char *sandbox_explain_exit(const struct sandbox_spec *s, int wstatus)
{
	const struct sandbox_run *r = &s->run;
	if (!s->enabled || !r->prepared)
		return NULL;
	struct buf b = {0};
	for (size_t i = 0; i < CG_MAX && r->cg_slot >= 0; i++) {
		if (!r->cg_dir[i])
			continue;
		long long n;
		const struct cg_slot *sl = &H.slots[r->cg_slot];
		if (r->cg_pids[i] && (n = read_counter(sl->pev_fd[i], "max") - r->cg_max0[i]) > 0)
			buf_printf(&b, "%sthe sandbox's process limit of %lld was reached (%lld forks refused)", b.len ? "; " : "",
				   s->pids, n);
		if (r->cg_memory[i] && (n = read_counter(sl->oom_fd[i], "oom_kill") - r->cg_oom0[i]) > 0)
			buf_printf(&b, "%sthe sandbox's memory limit of %lld MB was reached (%lld process%s killed by the OOM killer)",
				   b.len ? "; " : "", s->memory_mb, n, n == 1 ? "" : "es");
	}
	if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGXCPU)
		buf_printf(&b, "%sthe sandbox's CPU-time limit of %lld s was reached", b.len ? "; " : "", s->cpu_seconds);
	return b.len ? buf_steal(&b) : (buf_free(&b), NULL);
}

void sandbox_release(struct sandbox_spec *s)
{
	struct sandbox_run *r = &s->run;
	if (!r->prepared)
		return;
	/* the slot's next actor may not declare devices: ro */
	if (r->dev_bpf_dir && devro_prog_op(r->dev_bpf_dir, BPF_PROG_DETACH) < 0 && r->cg_slot >= 0)
		H.slots[r->cg_slot].busy = true; /* never used again: the rule is stuck on it */
	else if (r->cg_slot >= 0 && (size_t)r->cg_slot < H.n_slots)
		H.slots[r->cg_slot].busy = false;
	reaper_close(r->hold_fd[0]);
	reaper_close(r->hold_fd[1]);
	char **lists[] = {r->ro_dirs, r->rw, r->ro, r->mask, r->keep_tmp, r->keep_run};
	size_t ns[] = {r->n_ro_dirs, r->n_rw, r->n_ro, r->n_mask, r->n_keep_tmp, r->n_keep_run};
	for (size_t l = 0; l < ELEMENTSOF(lists); l++)
		for (size_t i = 0; i < ns[l]; i++)
			free(lists[l][i]);
	free(r->chdir_to);
	memset(r, 0, sizeof(*r));
	r->cg_fd[0] = r->cg_fd[1] = -1;
	r->cg_slot = -1;
	r->hold_fd[0] = r->hold_fd[1] = -1;
	r->dev_cg_fd = -1;
}

/* ---- the child: from here on only async-signal-safe calls, no allocation ---- */

#define TRY(expr, step)                       \
	do {                                  \
		if ((expr) < 0) {             \
			*ret_what = (step);   \
			return -errno;        \
		}                             \
	} while (0)

int sandbox_enter_early(const struct sandbox_spec *s, const char **ret_what)
{
	const struct sandbox_run *r = &s->run;
	if (!s->enabled)
		return 0;
	/* the cgroups: the broker moves this process (sandbox_attach); init_main() waits for that
	 * before it starts the actor, so everything the actor starts is counted */
	(void)r;
	if (!s->network && s->netns_fd >= 0)
		TRY(setns(s->netns_fd, CLONE_NEWNET), "joining the phase's network namespace (setns)");
	return 0;
}

static size_t scat(char *dst, size_t cap, size_t at, const char *src)
{
	while (*src && at + 1 < cap)
		dst[at++] = *src++;
	dst[at] = 0;
	return at;
}

/* Remounts one mount (by path) read-only, keeping its other per-mount flags. */
static int remount_ro(const char *path, unsigned long keep)
{
	return mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | keep, NULL);
}

static int bind_self(const char *path, bool ro, unsigned long extra)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -1;
	struct statvfs sv;
	unsigned long f = extra;
	bool was_ro = false;
	if (statvfs(path, &sv) == 0) {
		/* a bind takes the flags of the mount it comes from: a writable one inside a read-only
		 * one (a declared log subdirectory) must be remounted writable */
		was_ro = sv.f_flag & ST_RDONLY;
		if (sv.f_flag & ST_NOSUID)
			f |= MS_NOSUID;
		if (sv.f_flag & ST_NODEV)
			f |= MS_NODEV;
		if (sv.f_flag & ST_NOEXEC)
			f |= MS_NOEXEC;
	}
	if (!ro && f == 0 && !was_ro)
		return 0;
	return mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | (ro ? MS_RDONLY : 0) | f, NULL);
}

static bool has_opt(const char *opts, const char *o)
{
	size_t n = strlen(o);
	for (const char *p = opts; p && *p;) {
		if (!strncmp(p, o, n) && (p[n] == ',' || p[n] == 0))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static unsigned long opt_flags(const char *opts)
{
	unsigned long f = 0;
	if (has_opt(opts, "nosuid"))
		f |= MS_NOSUID;
	if (has_opt(opts, "nodev"))
		f |= MS_NODEV;
	if (has_opt(opts, "noexec"))
		f |= MS_NOEXEC;
	if (has_opt(opts, "nosymfollow"))
		f |= MS_NOSYMFOLLOW;
	if (has_opt(opts, "noatime"))
		f |= MS_NOATIME;
	else if (has_opt(opts, "relatime"))
		f |= MS_RELATIME;
	else
		f |= MS_STRICTATIME;
	if (has_opt(opts, "nodiratime"))
		f |= MS_NODIRATIME;
	return f;
}

static bool is_kernel_fs(const char *t)
{
	static const char *const kfs[] = {"sysfs", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs", "bpf",
					  "configfs", "pstore", "efivarfs", "fusectl", "binfmt_misc"};
	for (size_t i = 0; i < ELEMENTSOF(kfs); i++)
		if (!strcmp(t, kfs[i]))
			return true;
	return false;
}

/* Whether mount point mp stays visible over a fresh tmpfs on dir (else it will be covered). */
static bool survives(const char *mp, const char *dir, bool fresh, char *const *keep, size_t n)
{
	if (!fresh || !path_under(mp, dir))
		return true;
	for (size_t i = 0; i < n; i++)
		if (path_under(mp, keep[i]) || path_under(keep[i], mp))
			return true;
	return false;
}

static bool should_ro(const struct sandbox_run *r, const char *mp, const char *opts, const char *fstype)
{
	if (has_opt(opts, "ro") || !strcmp(fstype, "autofs"))
		return false;
	if (path_under(mp, "/proc") || path_under(mp, "/dev"))
		return false; /* replaced by the sandbox's own */
	if (!survives(mp, "/tmp", r->fresh_tmp, r->keep_tmp, r->n_keep_tmp) ||
	    !survives(mp, "/run", r->fresh_run, r->keep_run, r->n_keep_run))
		return false;
	/* kernel interfaces (sysfs, cgroups: the actor's limits) are read-only in every profile */
	if (is_kernel_fs(fstype))
		return !(r->efivars_rw && !strcmp(fstype, "efivarfs"));
	if (!r->ro_all)
		return false;
	char *const *lists[] = {r->rw, r->ro};
	size_t ns[] = {r->n_rw, r->n_ro};
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < ns[l]; i++)
			if (path_under(mp, lists[l][i]))
				return false;
	return true;
}

static void unescape_octal(char *s)
{
	char *w = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			*w++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else
			*w++ = *p;
	}
	*w = 0;
}

/* Every mount of the namespace, one by one (4.18 has no mount_setattr(AT_RECURSIVE)), read from our
 * own mountinfo after the namespace became private, so that no mount can slip in later. */
static int ro_pass(const struct sandbox_run *r, const char **ret_what)
{
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	TRY(fd, "reading /proc/self/mountinfo");
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, H.mi_buf + len, MOUNTINFO_MAX - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			*ret_what = "reading /proc/self/mountinfo";
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len >= MOUNTINFO_MAX - 1) {
			close(fd);
			*ret_what = "reading /proc/self/mountinfo (over 4 MiB of mounts)";
			return -E2BIG;
		}
	}
	close(fd);
	H.mi_buf[len] = 0;
	for (char *line = H.mi_buf; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char *f[8] = {0};
		int nf = 0;
		char *p = line;
		while (nf < 6 && p) {
			f[nf++] = p;
			p = strchr(p, ' ');
			if (p)
				*p++ = 0;
		}
		char *sep = p ? strstr(p, "- ") : NULL;
		if (sep && (sep == p || sep[-1] == ' ') && nf == 6) {
			char *fstype = sep + 2;
			char *sp = strchr(fstype, ' ');
			if (sp)
				*sp = 0;
			char *mp = f[4], *opts = f[5];
			unescape_octal(mp);
			if (should_ro(r, mp, opts, fstype) && remount_ro(mp, opt_flags(opts)) < 0 && errno != EINVAL &&
			    errno != ENOENT) {
				/* EINVAL/ENOENT: over-mounted, not reachable by its path, nothing to protect */
				*ret_what = "remounting a mount read-only";
				return -errno;
			}
		}
		line = nl ? nl + 1 : line + strlen(line);
	}
	return 0;
}

static void fd_path(int fd, char out[64])
{
	char num[16];
	int k = 15, v = fd;
	num[k] = 0;
	do
		num[--k] = (char)('0' + v % 10);
	while ((v /= 10) && k > 0);
	out[0] = 0;
	scat(out, 64, 0, "/proc/self/fd/");
	scat(out, 64, strlen(out), num + k);
}

/* mkdir -p of the parents of path (below a fresh tmpfs), without allocating */
static void mkdir_parents(const char *path)
{
	char p[PATH_MAX];
	size_t n = scat(p, sizeof(p), 0, path);
	for (size_t i = 1; i < n; i++)
		if (p[i] == '/') {
			p[i] = 0;
			mkdir(p, 0755);
			p[i] = '/';
		}
}

/* A fresh tmpfs on dir, with the entries in keep bound back in from the host's, and the file://
 * repository paths below dir in repo bound back read-only, one by one: nothing else of the host's
 * dir is visible. */
static int fresh_tmpfs(const char *dir, const char *opts, char *const *keep, size_t n, const char *const *repo,
		       size_t n_repo, const char **ret_what)
{
	int fds[SANDBOX_MAX_PATHS + SANDBOX_MAX_REPO_PATHS];
	const char *paths[SANDBOX_MAX_PATHS + SANDBOX_MAX_REPO_PATHS];
	bool ro[SANDBOX_MAX_PATHS + SANDBOX_MAX_REPO_PATHS];
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		paths[m] = keep[i];
		ro[m++] = false;
	}
	for (size_t i = 0; i < n_repo; i++)
		if (path_under(repo[i], dir)) {
			paths[m] = repo[i];
			ro[m++] = true;
		}
	for (size_t i = 0; i < m; i++) {
		fds[i] = open(paths[i], O_PATH | O_CLOEXEC | (ro[i] ? O_NOFOLLOW : 0));
		if (fds[i] < 0) {
			int e = -errno;
			for (size_t k = 0; k < i; k++)
				close(fds[k]);
			*ret_what = ro[i] ? "opening a file:// repository path to keep below /tmp or /run"
					  : "opening a path to keep below /tmp or /run";
			return e;
		}
	}
	int e = 0;
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
		e = -errno;
		*ret_what = "mounting a tmpfs on /tmp or /run";
	}
	for (size_t i = 0; i < m; i++) {
		if (e == 0) {
			struct stat st;
			mkdir_parents(paths[i]);
			if (fstat(fds[i], &st) == 0 && S_ISDIR(st.st_mode))
				mkdir(paths[i], 0755);
			else
				close(open(paths[i], O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
			char src[64];
			fd_path(fds[i], src);
			if (mount(src, paths[i], NULL, MS_BIND | MS_REC, NULL) < 0 ||
			    (ro[i] && remount_ro(paths[i], MS_NOSUID | MS_NODEV) < 0)) {
				e = -errno;
				*ret_what = "binding a kept path back over the fresh /tmp or /run";
			}
		}
		close(fds[i]);
	}
	return e;
}

/* Hides the audit store's files behind an empty read-only file made in dir (a fresh tmpfs). */
static int mask_store(const struct sandbox_run *r, const char *empty, const char **ret_what)
{
	if (!r->n_mask)
		return 0;
	int fd = open(empty, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	TRY(fd, "creating the mask of the audit store");
	close(fd);
	for (size_t i = 0; i < r->n_mask; i++) {
		TRY(mount(empty, r->mask[i], NULL, MS_BIND, NULL), "hiding the audit store");
		TRY(remount_ro(r->mask[i], MS_NOSUID | MS_NODEV | MS_NOEXEC), "hiding the audit store");
	}
	unlink(empty);
	return 0;
}

/* sandbox devices: the host's /dev as inherited (the disks, /dev/mapper, /dev/disk/by-*), read-only
 * for ro (the devices cgroup keeps the disks unwritable: see devro_take). What would let it reach
 * past its namespaces is covered: the terminals (/dev/pts), the host's POSIX message queues and
 * huge pages, each by an empty read-only tmpfs; /dev/shm is a fresh one of its own. */
static int host_dev(const struct sandbox_run *r, const char **ret_what)
{
	static const char *const hide[] = {"/dev/pts", "/dev/mqueue", "/dev/hugepages"};
	for (size_t i = 0; i < ELEMENTSOF(hide); i++)
		if (mount("tmpfs", hide[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0755") < 0 &&
		    errno != ENOENT && errno != ENOTDIR) {
			*ret_what = "covering the host's /dev/pts, /dev/mqueue or /dev/hugepages";
			return -errno;
		}
	TRY(mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=64m"),
	    "mounting a fresh /dev/shm over the host's");
	int e = mask_store(r, "/dev/shm/.leapp-masked", ret_what);
	if (e < 0)
		return e;
	if (r->dev_ro)
		TRY(remount_ro("/dev", MS_NOSUID | MS_NOEXEC), "making the host's /dev read-only");
	return 0;
}

static int make_dev(const struct sandbox_run *r, const char **ret_what)
{
	if (r->host_dev)
		return host_dev(r, ret_what);
	static const struct {
		const char *name;
		unsigned maj, min;
	} nodes[] = {{"/dev/null", 1, 3}, {"/dev/zero", 1, 5}, {"/dev/full", 1, 7},
		     {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0}};
	TRY(mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k,nr_inodes=64"), "mounting /dev");
	for (size_t i = 0; i < ELEMENTSOF(nodes); i++)
		TRY(mknod(nodes[i].name, S_IFCHR | 0666, makedev(nodes[i].maj, nodes[i].min)), "creating a /dev node");
	TRY(symlink("/proc/self/fd", "/dev/fd"), "creating /dev/fd");
	TRY(symlink("/proc/self/fd/0", "/dev/stdin"), "creating /dev/stdin");
	TRY(symlink("/proc/self/fd/1", "/dev/stdout"), "creating /dev/stdout");
	TRY(symlink("/proc/self/fd/2", "/dev/stderr"), "creating /dev/stderr");
	if (r->fresh_run)
		TRY(symlink("/run/shm", "/dev/shm"), "creating /dev/shm");
	int e = mask_store(r, "/dev/.leapp-masked", ret_what);
	if (e < 0)
		return e;
	TRY(remount_ro("/dev", MS_NOSUID | MS_NOEXEC), "making /dev read-only");
	return 0;
}

static int setup_mounts(const struct sandbox_spec *s, const char **ret_what)
{
	const struct sandbox_run *r = &s->run;
	int e;
	/* nothing done here may propagate to the host, and nothing from the host may come in */
	TRY(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "making the mounts private");
	for (size_t i = 0; i < r->n_ro_dirs; i++)
		TRY(bind_self(r->ro_dirs[i], true, MS_NOSUID | MS_NODEV), "binding the log directory read-only");
	for (size_t i = 0; i < r->n_rw; i++)
		if (strcmp(r->rw[i], "/"))
			TRY(bind_self(r->rw[i], false, r->rw_nodev ? MS_NOSUID | MS_NODEV : 0), "binding a writable directory");
	for (size_t i = 0; i < r->n_ro; i++)
		TRY(bind_self(r->ro[i], true, MS_NOSUID | MS_NODEV), "binding the target userspace read-only");
	if ((e = ro_pass(r, ret_what)) < 0)
		return e;
	if (r->fresh_tmp &&
	    (e = fresh_tmpfs("/tmp", r->tmp_opts, r->keep_tmp, r->n_keep_tmp, r->repo_ro, r->n_repo_ro, ret_what)) < 0)
		return e;
	if (r->fresh_run) {
		if ((e = fresh_tmpfs("/run", r->run_opts, r->keep_run, r->n_keep_run, r->repo_ro, r->n_repo_ro, ret_what)) < 0)
			return e;
		TRY(mkdir("/run/shm", 01777), "creating /run/shm");
	}
	if ((e = make_dev(r, ret_what)) < 0)
		return e;
	/* last: the keeping above went through the host's /proc/self/fd */
	TRY(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL), "mounting /proc");
	TRY(bind_self("/proc/sys", true, MS_NOSUID | MS_NODEV | MS_NOEXEC), "making /proc/sys read-only");
	/* absent when the kernel has no CONFIG_MAGIC_SYSRQ */
	if (bind_self("/proc/sysrq-trigger", true, MS_NOSUID | MS_NODEV | MS_NOEXEC) < 0 && errno != ENOENT) {
		*ret_what = "masking /proc/sysrq-trigger";
		return -errno;
	}
	if (chdir(r->chdir_to) < 0 && chdir("/") < 0) {
		*ret_what = "chdir";
		return -errno;
	}
	return 0;
}

static int set_limit(int resource, long long cur, long long max)
{
	struct rlimit rl = {.rlim_cur = (rlim_t)cur, .rlim_max = (rlim_t)max};
	return setrlimit(resource, &rl);
}

static int drop_caps(uint64_t keep, const char **ret_what)
{
	for (int c = 0; c <= H.last_cap; c++)
		if (!(keep & CAPBIT(c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) {
			*ret_what = "dropping capabilities (PR_CAPBSET_DROP)";
			return -errno;
		}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); /* EINVAL before 4.3: nothing to clear */
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct cur[2];
	/* what leapp itself was started without (a container's bounding set) cannot be kept */
	TRY(syscall(SYS_capget, &hdr, cur), "reading capabilities (capget)");
	keep &= (uint64_t)cur[0].permitted | (uint64_t)cur[1].permitted << 32;
	struct __user_cap_data_struct d[2] = {
		{.effective = (uint32_t)keep, .permitted = (uint32_t)keep, .inheritable = 0},
		{.effective = (uint32_t)(keep >> 32), .permitted = (uint32_t)(keep >> 32), .inheritable = 0},
	};
	TRY(syscall(SYS_capset, &hdr, d), "dropping capabilities (capset)");
	return 0;
}

/* no_new_privs, the capabilities of the profile, the seccomp filter: the last steps before exec */
static int lock_down(const struct sandbox_run *r, uint64_t caps, const char **ret_what)
{
	TRY(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "PR_SET_NO_NEW_PRIVS");
	int e = drop_caps(caps, ret_what);
	if (e < 0)
		return e;
	TRY(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, r->filter), "loading the seccomp filter");
	return 0;
}

int sandbox_enter_actor(const struct sandbox_spec *s, const char **ret_what)
{
	if (!s->enabled || !s->mounts)
		return 0;
	return lock_down(&s->run, s->run.caps, ret_what);
}

int sandbox_init_lock_down(const struct sandbox_spec *s, const char **ret_what)
{
	if (!s->enabled || !s->mounts)
		return 0;
	/* the init only waits and forwards signals: it keeps no capability at all */
	return lock_down(&s->run, 0, ret_what);
}

/* "/proc/<pid>/<file>" without allocating */
static void proc_pid_path(pid_t pid, const char *file, char out[64])
{
	char num[16];
	int k = 15;
	unsigned v = (unsigned)pid;
	num[k] = 0;
	do
		num[--k] = (char)('0' + v % 10);
	while ((v /= 10) && k > 0);
	out[0] = 0;
	scat(out, 64, 0, "/proc/");
	scat(out, 64, strlen(out), num + k);
	scat(out, 64, strlen(out), "/");
	scat(out, 64, strlen(out), file);
}

int sandbox_userns_map(pid_t pid, const char **ret_what)
{
	/* identity: uids and gids mean what they mean on the host (files keep their owners), only the
	 * capabilities are the namespace's own */
	static const char map[] = "0 0 4294967295\n";
	static const char *const files[] = {"uid_map", "gid_map"};
	for (size_t i = 0; i < ELEMENTSOF(files); i++) {
		char p[64];
		proc_pid_path(pid, files[i], p);
		int fd = open(p, O_WRONLY | O_CLOEXEC);
		TRY(fd, "opening the actor's uid_map/gid_map");
		ssize_t n = write(fd, map, sizeof(map) - 1);
		int e = errno;
		close(fd);
		if (n != (ssize_t)sizeof(map) - 1) {
			*ret_what = "writing the actor's uid_map/gid_map";
			return n < 0 ? -e : -EIO;
		}
	}
	return 0;
}

int sandbox_enter(const struct sandbox_spec *s, const char **ret_what)
{
	const struct sandbox_run *r = &s->run;
	if (!s->enabled)
		return 0;
	mode_t old = umask(0);
	int e = setup_mounts(s, ret_what);
	umask(old);
	if (e < 0)
		return e;
	TRY(set_limit(RLIMIT_NOFILE, s->open_files, s->open_files), "setrlimit(RLIMIT_NOFILE)");
	/* SIGXCPU at the limit names the cause; SIGKILL a little later if it is ignored */
	TRY(set_limit(RLIMIT_CPU, s->cpu_seconds, s->cpu_seconds + 5), "setrlimit(RLIMIT_CPU)");
	if (r->as_limit_mb > 0)
		TRY(set_limit(RLIMIT_AS, r->as_limit_mb * 1024 * 1024, r->as_limit_mb * 1024 * 1024), "setrlimit(RLIMIT_AS)");
	/* an actor that declares mounts gets its user namespace from the init first (spawn.c): the
	 * init and the actor lock down separately (sandbox_init_lock_down, sandbox_enter_actor) */
	if (s->mounts)
		return 0;
	return lock_down(r, r->caps, ret_what);
}
