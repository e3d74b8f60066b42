/* A hostile test actor for the sandbox tests: each mode tries one harmful thing. When the harm is
 * refused it reports an error naming why (so the run shows exactly one error entry); when it is not
 * refused it produces a TestValue "escaped: ..." and finishes, which the tests catch. */
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <linux/kcmp.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <sys/personality.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <utime.h>

#include "leapp/actor.h"
#include "leapp/proto.h"

static const char *cfg_str(const char *k, const char *def)
{
	const char *s = json_string_value(json_object_get(actor_config(), k));
	return s && *s ? s : def;
}

static long long cfg_int(const char *k, long long def)
{
	json_t *v = json_object_get(actor_config(), k);
	return json_is_integer(v) ? json_integer_value(v) : def;
}

/* printf into one of a few static buffers: messages that live until the actor exits, without
 * leaks for LeakSanitizer to report */
static const char *sfmt(const char *fmt, ...) _printf_(1, 2);
static const char *sfmt(const char *fmt, ...)
{
	static char bufs[8][1024];
	static unsigned k;
	char *b = bufs[k++ % 8];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return b;
}

static _noreturn_ void escaped(const char *fmt, ...) _printf_(1, 2);
static _noreturn_ void escaped(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *what = xvasprintf(fmt, ap);
	va_end(ap);
	actor_warning("ESCAPED: %s", what);
	actor_produce("TestValue", json_pack("{s:s, s:i, s:s+}", "producer", actor_name(), "n", 1, "text", "escaped: ", what));
	free(what);
	exit(actor_finish());
}

static void produce(const char *text, long long n)
{
	actor_info("produced: %s", text); /* the store keeps messages as msgpack: the tests read this */
	actor_produce("TestValue", json_pack("{s:s, s:I, s:s}", "producer", actor_name(), "n", (json_int_t)n, "text", text));
}

/* ---- the filesystem ---- */

/* Every way of changing path: each must fail. The first refusal names the cause. */
static void try_write(const char *path)
{
	struct buf why = {0};
	int first = 0;
#define REFUSED(op)                                                              \
	do {                                                                     \
		if (!first)                                                      \
			first = errno;                                           \
		buf_printf(&why, "%s%s: %s", why.len ? "; " : "", op, strerror(errno)); \
	} while (0)
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "hostile\n", 8) == 8)
			escaped("appended to %s", path);
		REFUSED("write");
		close(fd);
	} else
		REFUSED("open for writing");
	fd = open(path, O_RDWR | O_TRUNC | O_CLOEXEC);
	if (fd >= 0)
		escaped("truncated %s", path);
	REFUSED("truncate");
	/* a new file beside it, unless it lies in a directory the actor may write (the audit store) */
	const char *sib = sfmt("%s.hostile", path);
	if (strcmp(cfg_str("expect", ""), "file-only")) {
		fd = open(sib, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0)
			escaped("created %s", sib);
		REFUSED("create beside it");
	}
	if (chmod(path, 0777) == 0)
		escaped("chmod %s", path);
	REFUSED("chmod");
	if (utime(path, NULL) == 0)
		escaped("touched %s", path);
	REFUSED("utime");
	if (rename(path, sib) == 0)
		escaped("renamed %s", path);
	REFUSED("rename");
	if (unlink(path) == 0)
		escaped("removed %s", path);
	REFUSED("unlink");
#undef REFUSED
	actor_error(sfmt("writing %s was refused: %s", path, strerror(first)), "%s", why.data);
}

/* Plants a new file at path (a journal beside the store, an answer file): must be refused. */
static void try_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0) {
		ssize_t n = write(fd, "hostile: answered by an actor\n", 30);
		close(fd);
		if (n == 30) {
			if (!strcmp(cfg_str("expect", ""), "ok")) {
				produce(path, 1);
				return;
			}
			escaped("created %s", path);
		}
	}
	actor_error(sfmt("creating %s was refused: %s", path, strerror(errno)), "a file the broker owns");
}

/* "LINK|TARGET": replaces LINK (the broker's log, say) with a symlink to TARGET: must be refused. */
static void try_symlink(const char *spec)
{
	char link[4096], target[4096];
	if (sscanf(spec, "%4095[^|]|%4095s", link, target) != 2)
		actor_error("bad symlink spec", "%s", spec);
	int e = 0;
	if (unlink(link) < 0 && errno != ENOENT)
		e = errno;
	if (e == 0 && symlink(target, link) == 0) {
		if (!strcmp(cfg_str("expect", ""), "ok")) {
			produce(link, 1);
			return;
		}
		escaped("replaced %s with a symlink to %s", link, target);
	}
	if (e == 0)
		e = errno;
	actor_error(sfmt("replacing %s with a symlink was refused: %s", link, strerror(e)), "the broker's file");
}

/* An actor that declares mounts, against what it was given: "OP|PATH[|PATH2]". umount (the mask
 * of the store, a read-only mount), remount-rw (the root, the store's mask), reveal (a
 * non-recursive bind of a directory whose submounts hide something), and the positive control
 * rbind-ok (/proc into a chroot below its scratch directory). */
static void try_mount_op(const char *spec)
{
	char op[32], a[2048], b[2048] = "";
	if (sscanf(spec, "%31[^|]|%2047[^|]|%2047s", op, a, b) < 2)
		actor_error("bad mount-op spec", "%s", spec);
	long r;
	errno = 0;
	if (!strcmp(op, "umount"))
		r = umount2(a, MNT_DETACH);
	else if (!strcmp(op, "remount-rw"))
		r = mount(NULL, a, NULL, MS_REMOUNT | MS_BIND, NULL);
	else if (!strcmp(op, "remount-rw-fs"))
		r = mount(NULL, a, NULL, MS_REMOUNT, NULL);
	else if (!strcmp(op, "reveal")) {
		mkdir(b, 0755);
		r = mount(a, b, NULL, MS_BIND, NULL);
	} else if (!strcmp(op, "rbind-ok")) {
		mkdir(b, 0755);
		r = mount(a, b, NULL, MS_BIND | MS_REC, NULL);
		if (r == 0) {
			produce(sfmt("bound %s on %s", a, b), 1);
			return;
		}
		actor_error(sfmt("rbind %s failed: %s", a, strerror(errno)), "a chroot's /proc must work");
	} else
		actor_error("unknown mount op", "%s", op);
	if (r == 0) {
		/* the proof: write the store through what was uncovered or made writable */
		escaped("%s %s succeeded", op, a);
	}
	actor_error(sfmt("%s %s failed: %s", op, a, strerror(errno)), "errno %d", errno);
}

/* The positive control: this write must work. */
static void must_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, "written by the sandboxed actor\n", 31) != 31)
		actor_error(sfmt("writing %s failed: %s", path, strerror(errno)), "the profile should allow it");
	close(fd);
	produce(path, 1);
}

/* ---- the network ---- */

static void try_connect(const char *addr)
{
	char host[64];
	int port = 0;
	if (sscanf(addr, "%63[^:]:%d", host, &port) != 2)
		actor_error("bad address", "%s", addr);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, host, &sa.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		actor_error(sfmt("socket() failed: %s", strerror(errno)), "no TCP socket at all");
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		if (!strcmp(cfg_str("expect", ""), "ok")) {
			produce("connected", 1);
			close(s);
			return;
		}
		escaped("connected to %s", addr);
	}
	actor_error(sfmt("connecting to %s failed: %s", addr, strerror(errno)), "the actor has no network");
}

/* ---- syscalls (harmless arguments: unsandboxed root gets another error than EPERM) ---- */

static long call(const char *name)
{
	if (!strcmp(name, "reboot")) /* bad magic: EINVAL for root without the sandbox */
		return syscall(SYS_reboot, 0, 0, LINUX_REBOOT_CMD_CAD_OFF, NULL);
	if (!strcmp(name, "kexec_load")) /* invalid flags: EINVAL */
		return syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0xdead0000UL);
	if (!strcmp(name, "kexec_file_load"))
		return syscall(SYS_kexec_file_load, -1, -1, 0UL, "", 0xdead0000UL);
	if (!strcmp(name, "init_module")) /* not an ELF module: ENOEXEC */
		return syscall(SYS_init_module, "hostile", 7UL, "");
	if (!strcmp(name, "finit_module"))
		return syscall(SYS_finit_module, -1, "", 0);
	if (!strcmp(name, "delete_module"))
		return syscall(SYS_delete_module, "leapp_no_such_module", O_NONBLOCK);
	if (!strcmp(name, "mount")) /* make / writable again: the escape it would be */
		return mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL);
	if (!strcmp(name, "mount_tmpfs"))
		return mount("tmpfs", actor_scratch_dir(), "tmpfs", 0, "size=1m");
	if (!strcmp(name, "umount2"))
		return umount2("/leapp-no-such-mount", 0);
	if (!strcmp(name, "mount_setattr")) {
		struct {
			uint64_t set, clr, prop, userns;
		} attr = {0, 1 /* MOUNT_ATTR_RDONLY */, 0, 0};
		return syscall(442 /* mount_setattr, x86_64 */, AT_FDCWD, "/", 0, &attr, sizeof(attr));
	}
	if (!strcmp(name, "fsopen"))
		return syscall(430 /* fsopen, x86_64 */, "tmpfs", 0);
	if (!strcmp(name, "open_tree"))
		return syscall(428 /* open_tree, x86_64 */, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */);
	if (!strcmp(name, "pivot_root"))
		return syscall(SYS_pivot_root, "/leapp-no-such-dir", "/leapp-no-such-dir");
	if (!strcmp(name, "open_by_handle_at")) {
		struct {
			struct file_handle fh;
			unsigned char data[128];
		} h;
		h.fh.handle_bytes = 128;
		int mnt;
		if (name_to_handle_at(AT_FDCWD, "/etc", &h.fh, &mnt, 0) < 0)
			actor_error(sfmt("name_to_handle_at failed: %s", strerror(errno)), "cannot set up the test");
		int mfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		return syscall(SYS_open_by_handle_at, mfd, &h.fh, O_RDONLY);
	}
	if (!strcmp(name, "bpf"))
		return syscall(SYS_bpf, 5 /* BPF_PROG_LOAD */, NULL, 0);
	if (!strcmp(name, "swapon"))
		return syscall(SYS_swapon, "/leapp-no-such-swap", 0);
	if (!strcmp(name, "swapoff"))
		return syscall(SYS_swapoff, "/leapp-no-such-swap");
	if (!strcmp(name, "ptrace")) {
		pid_t c = fork();
		if (c == 0) {
			pause();
			_exit(0);
		}
		long r = ptrace(PTRACE_ATTACH, c, NULL, NULL);
		int e = errno;
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
		errno = e;
		return r;
	}
	if (!strcmp(name, "unshare_user"))
		return unshare(CLONE_NEWUSER);
	if (!strcmp(name, "unshare_net")) /* the actor's network namespace is the broker's to give */
		return unshare(CLONE_NEWNET);
	if (!strcmp(name, "sysrq")) {
		int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		close(fd); /* never write a command: opening for writing is the escape */
		return 0;
	}
	if (!strcmp(name, "sysctl")) {
		int fd = open("/proc/sys/kernel/hostname", O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		close(fd);
		return 0;
	}
	if (!strcmp(name, "mknod")) {
		const char *p = sfmt("%s/sda", actor_scratch_dir());
		return mknod(p, S_IFBLK | 0600, makedev(8, 0));
	}
	/* the calls Docker's default profile denies too: harmless arguments, which succeed (or fail
	 * otherwise than with EPERM) for root without the filter */
	if (!strcmp(name, "keyctl"))
		return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0);
	if (!strcmp(name, "add_key")) /* no such key type: ENODEV */
		return syscall(SYS_add_key, "leapp-no-such-type", "k", "v", 1UL, KEY_SPEC_PROCESS_KEYRING);
	if (!strcmp(name, "request_key")) /* ENOKEY */
		return syscall(SYS_request_key, "user", "leapp-no-such-key", NULL, 0);
	if (!strcmp(name, "userfaultfd"))
		return syscall(SYS_userfaultfd, O_CLOEXEC);
	if (!strcmp(name, "perf_event_open")) { /* a size the kernel refuses: E2BIG/EINVAL */
		struct perf_event_attr a = {.size = 1};
		return syscall(SYS_perf_event_open, &a, 0, -1, -1, 0UL);
	}
	if (!strcmp(name, "io_uring_setup")) /* no parameters: EFAULT */
		return syscall(425, 1, NULL);
	if (!strcmp(name, "io_uring_enter")) /* EBADF */
		return syscall(426, -1, 0, 0, 0, NULL, 0);
	if (!strcmp(name, "io_uring_register"))
		return syscall(427, -1, 0, NULL, 0);
	if (!strcmp(name, "settimeofday")) /* sets nothing */
		return syscall(SYS_settimeofday, NULL, NULL);
	if (!strcmp(name, "clock_settime")) /* the monotonic clock cannot be set: EINVAL */
		return syscall(SYS_clock_settime, CLOCK_MONOTONIC, &(struct timespec){0, 0});
	if (!strcmp(name, "clock_adjtime")) { /* modes 0: only reads */
		struct timex tx = {.modes = 0};
		return syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
	}
	if (!strcmp(name, "personality")) /* ADDR_NO_RANDOMIZE: what an exploit wants */
		return syscall(SYS_personality, 0x0040000UL);
	if (!strcmp(name, "personality_query")) /* allowed: the query */
		return syscall(SYS_personality, 0xffffffffUL);
	if (!strcmp(name, "kcmp"))
		return syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, 0, 0);
	if (!strcmp(name, "process_vm_readv")) {
		char a = 1, b = 0;
		struct iovec l = {&b, 1}, rm = {&a, 1};
		return syscall(SYS_process_vm_readv, getpid(), &l, 1UL, &rm, 1UL, 0UL);
	}
	if (!strcmp(name, "process_vm_writev")) {
		char a = 1, b = 0;
		struct iovec l = {&a, 1}, rm = {&b, 1};
		return syscall(SYS_process_vm_writev, getpid(), &l, 1UL, &rm, 1UL, 0UL);
	}
	if (!strcmp(name, "pidfd_getfd")) /* EBADF */
		return syscall(438, -1, 0, 0);
	if (!strcmp(name, "set_mempolicy")) /* MPOL_DEFAULT: changes nothing */
		return syscall(SYS_set_mempolicy, 0, NULL, 0UL);
	if (!strcmp(name, "get_mempolicy"))
		return syscall(SYS_get_mempolicy, NULL, NULL, 0UL, NULL, 0UL);
	if (!strcmp(name, "mbind")) /* nothing to bind: 0 or EINVAL */
		return syscall(SYS_mbind, NULL, 0UL, 0, NULL, 0UL, 0U);
	if (!strcmp(name, "move_pages")) /* no pages */
		return syscall(SYS_move_pages, 0, 0UL, NULL, NULL, NULL, 0);
	if (!strcmp(name, "setns")) /* EBADF */
		return syscall(SYS_setns, -1, 0);
	if (!strcmp(name, "unshare_uts")) /* a namespace of its own */
		return unshare(CLONE_NEWUTS);
	if (!strcmp(name, "sysfs")) /* the number of filesystem types */
		return syscall(SYS_sysfs, 3);
	if (!strcmp(name, "ustat")) /* no such device: EINVAL */
		return syscall(SYS_ustat, 0xfffffUL, &(char[64]){0});
	if (!strcmp(name, "quotactl")) /* no such device: ENOENT */
		return syscall(SYS_quotactl, 0x800001 /* QCMD(Q_SYNC, USRQUOTA) */, "/leapp-no-such-dev", 0, NULL);
	if (!strcmp(name, "acct")) /* no such file: ENOENT */
		return syscall(SYS_acct, "/leapp-no-such-file");
	if (!strcmp(name, "iopl")) /* level 0: asks for nothing */
		return syscall(SYS_iopl, 0);
	if (!strcmp(name, "ioperm")) /* turning nothing off */
		return syscall(SYS_ioperm, 0UL, 0UL, 0);
	if (!strcmp(name, "uselib")) /* ENOENT (or ENOSYS without CONFIG_USELIB) */
		return syscall(SYS_uselib, "/leapp-no-such-lib");
	actor_error("unknown syscall test", "%s", name);
}

static void try_syscall(const char *name)
{
	errno = 0;
	long r = call(name);
	if (r >= 0) {
		if (!strcmp(cfg_str("expect", ""), "ok")) {
			produce(name, r);
			return;
		}
		escaped("%s succeeded", name);
	}
	int e = errno;
	actor_error(sfmt("%s failed: %s", name, strerror(e)), "errno %d", e);
}

/* ---- processes and limits ---- */

static void orphan(const char *heartbeat)
{
	pid_t c = fork();
	if (c < 0)
		actor_error("fork failed", "%s", strerror(errno));
	if (c == 0) {
		/* the daemon that would outlive the actor: its own session, deaf to SIGTERM and SIGHUP */
		setsid();
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		close(3);
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s.new", heartbeat);
		for (unsigned long i = 0;; i++) {
			/* a whole beat or none: the tests read the file while it beats */
			int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			if (fd >= 0) {
				char b[32];
				int n = snprintf(b, sizeof(b), "%lu\n", i);
				if (write(fd, b, (size_t)n) < 0)
					break;
				close(fd);
				rename(tmp, heartbeat);
			}
			usleep(20000);
		}
		_exit(0);
	}
	usleep(100000); /* let it beat a few times */
	produce("orphan left behind", (long long)c);
}

/* The next actor: the orphan's heartbeat must not move any more. */
static void watch(const char *heartbeat)
{
	_cleanup_free_ char *a = NULL, *b = NULL;
	read_file(heartbeat, 64, &a, NULL);
	usleep(300000);
	read_file(heartbeat, 64, &b, NULL);
	if (!a)
		actor_error("the heartbeat file is missing", "%s", heartbeat);
	if (!b || strcmp(a, b))
		actor_error("the orphan of the previous actor is still running", "heartbeat %s then %s", a, b ? b : "?");
	produce("the orphan is dead", 1);
}

static _noreturn_ void fork_bomb(void)
{
	actor_info("fork bomb");
	for (;;)
		fork();
}

static _noreturn_ void memory_hog(void)
{
	size_t mb = 0;
	for (;;) {
		char *p = malloc(1 << 20);
		if (!p)
			actor_error(sfmt("out of memory after %zu MB", mb), "malloc failed");
		memset(p, 0x5a, 1 << 20);
		mb++;
	}
}

static _noreturn_ void spin(void)
{
	/* its own children spin too, and ignore SIGTERM: only the sandbox can end them */
	for (int i = 0; i < (int)cfg_int("n", 0); i++)
		if (fork() == 0) {
			signal(SIGTERM, SIG_IGN);
			break;
		}
	for (volatile unsigned long i = 0;; i++)
		;
}

static void fd_hog(void)
{
	int n = 0;
	for (;;) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0)
			actor_error(sfmt("open failed after %d files: %s", n, strerror(errno)), "the open-files limit");
		if (++n > 1000000)
			escaped("opened a million files");
	}
}

/* ---- the protocol, with a child that would linger ---- */

static void linger_child(void)
{
	if (fork() == 0) {
		close(3); /* holding the channel would hide the violation: the broker would wait for EOF */
		setsid();
		signal(SIGTERM, SIG_IGN);
		for (;;)
			pause();
	}
}

/* ---- what the actor sees ---- */

/* Floods of what the broker limits per run (DESIGN.md section 6): it must stop the actor, not
 * hold or store it all. */
static void log_frame_loop(size_t msg_len, long long times)
{
	char *body = xmalloc(msg_len);
	memset(body, 'L', msg_len);
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	frame_begin(&sb, &pk, 3, "log");
	mp_pack_kv_str(&pk, "level", "info");
	mp_pack_str(&pk, "message");
	msgpack_pack_str_with_body(&pk, body, msg_len);
	frame_end(&sb);
	free(body);
	for (long long i = 0; times < 0 || i < times; i++)
		if (write_all(3, sb.data, sb.size) < 0)
			break;
	msgpack_sbuffer_destroy(&sb);
}

static void report_flood(long long n)
{
	for (long long i = 0; i < n; i++)
		actor_report(report_new(sfmt("Flood entry %lld", i), "one of a million", "info"));
}

static void dialog_flood(long long n)
{
	for (long long i = 0; i < n; i++) {
		json_t *d = json_pack("{s:s, s:s, s:[{s:s, s:s, s:s, s:s}]}", "scope", sfmt("flood_%lld", i), "reason", "flood",
				      "components", "key", "confirm", "label", "Confirm?", "type", "bool", "description",
				      "a flood of questions");
		json_decref(actor_dialog(d));
	}
}

static void inspect(void)
{
	_cleanup_free_ char *st = NULL;
	read_file("/proc/self/status", 1 << 16, &st, NULL);
	const char *cap = st ? strstr(st, "CapEff:\t") : NULL;
	char capeff[32] = "?";
	if (cap)
		sscanf(cap + 8, "%31s", capeff);
	int nfd = 0;
	for (int fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			nfd++;
	extern char **environ;
	struct buf env = {0};
	for (char **v = environ; *v; v++)
		buf_printf(&env, "%s%.*s", env.len ? "," : "", (int)strcspn(*v, "="), *v);
	struct buf dev = {0};
	static const char *const nodes[] = {"null", "zero", "full", "random", "urandom", "tty", "sda", "vda", "kmsg", "mem"};
	for (size_t i = 0; i < ELEMENTSOF(nodes); i++) {
		const char *p = sfmt("/dev/%s", nodes[i]);
		if (access(p, F_OK) == 0)
			buf_printf(&dev, "%s%s", dev.len ? "," : "", nodes[i]);
	}
	char host[256] = "";
	gethostname(host, sizeof(host));
	char cwd[4096] = "";
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "?");
	struct buf ns = {0};
	static const char *const kinds[] = {"mnt", "pid", "ipc", "uts", "net"};
	for (size_t i = 0; i < ELEMENTSOF(kinds); i++) {
		char link[64], target[64] = "?";
		snprintf(link, sizeof(link), "/proc/self/ns/%s", kinds[i]);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		if (n > 0)
			target[n] = 0;
		buf_printf(&ns, "%s%s", ns.len ? " " : "", target);
	}
	produce(sfmt("ns=%s", ns.data), 0);
	buf_free(&ns);
	produce(sfmt("capeff=%s", capeff), 0);
	produce(sfmt("pid=%d", (int)getpid()), getpid());
	produce(sfmt("fds=%d", nfd), nfd);
	produce(sfmt("env=%s", env.data ? env.data : ""), 0);
	produce(sfmt("dev=%s", dev.data ? dev.data : ""), 0);
	produce(sfmt("hostname=%s", host), 0);
	produce(sfmt("cwd=%s", cwd), 0);
	/* a private /tmp: what the previous actor left there is gone */
	produce(sfmt("tmp-marker=%s", access("/tmp/leapp-hostile-marker", F_OK) == 0 ? "seen" : "absent"), 0);
	int fd = open("/tmp/leapp-hostile-marker", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	produce(sfmt("tmp-writable=%s", fd >= 0 ? "yes" : "no"), 0);
	if (fd >= 0)
		close(fd);
	buf_free(&env);
	buf_free(&dev);
}


/* The host's mountinfo, as the broker captured it before sandboxing, against the actor's own. */
static void host_info(void)
{
	const char *hmi = json_string_value(json_object_get(json_object_get(actor_hello(), "host"), "mountinfo"));
	_cleanup_free_ char *own = NULL;
	read_file("/proc/self/mountinfo", 1 << 22, &own, NULL);
	produce(sfmt("host-mountinfo=%s", hmi ? "yes" : "no"), 0);
	/* the root mount: read-write on the host, read-only in the sandbox of a source phase */
	const char *mis[] = {hmi, own};
	const char *names[] = {"host-root", "own-root"};
	for (int i = 0; i < 2; i++) {
		const char *opts = "absent";
		char o[64] = "";
		for (const char *l = mis[i]; l && *l;) {
			char mp[256];
			if (sscanf(l, "%*s %*s %*s %*s %255s %63s", mp, o) == 2 && !strcmp(mp, "/"))
				opts = strncmp(o, "ro", 2) == 0 && (o[2] == ',' || !o[2]) ? "ro" : "rw";
			l = strchr(l, '\n');
			if (l)
				l++;
		}
		produce(sfmt("%s=%s", names[i], opts), 0);
	}
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	const char *mode = cfg_str("mode", "inspect");
	const char *text = cfg_str("text", "");
	actor_info("hostile mode %s %s", mode, text);
	if (!strcmp(mode, "write"))
		try_write(text);
	else if (!strcmp(mode, "create"))
		try_create(text);
	else if (!strcmp(mode, "symlink"))
		try_symlink(text);
	else if (!strcmp(mode, "mount-op"))
		try_mount_op(text);
	else if (!strcmp(mode, "must-write"))
		must_write(text);
	else if (!strcmp(mode, "connect"))
		try_connect(text);
	else if (!strcmp(mode, "syscall"))
		try_syscall(text);
	else if (!strcmp(mode, "orphan"))
		orphan(text);
	else if (!strcmp(mode, "watch"))
		watch(text);
	else if (!strcmp(mode, "forkbomb"))
		fork_bomb();
	else if (!strcmp(mode, "memhog"))
		memory_hog();
	else if (!strcmp(mode, "spin"))
		spin();
	else if (!strcmp(mode, "fdhog"))
		fd_hog();
	else if (!strcmp(mode, "closefd")) {
		linger_child();
		close(3);
		sleep(60);
	} else if (!strcmp(mode, "bigframe")) {
		linger_child();
		unsigned char h[4] = {0x7f, 0xff, 0xff, 0xff}; /* announces a frame over the 16 MiB limit */
		write_all(3, h, 4);
		sleep(60);
	} else if (!strcmp(mode, "garbage")) {
		linger_child();
		write_all(3, "\0\0\0\x10GARBAGEGARBAGE!", 20);
		sleep(60);
	} else if (!strcmp(mode, "hang"))
		sleep(600);
	else if (!strcmp(mode, "mkdir")) {
		/* make a directory while the next actor's sandbox is set up ahead */
		const char *dir = cfg_str("text", "");
		/* a declared writes: directory may exist already: the broker makes it for the sandbox */
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			actor_error(sfmt("mkdir %s failed: %s", dir, strerror(errno)), "the profile should allow it");
		int fd = open(sfmt("%s/target", dir), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
		usleep(200000);
		produce(cfg_str("text", ""), 1);
	}
	else if (!strcmp(mode, "logbillion"))
		log_frame_loop(1u << 20, 1000); /* a billion log bytes, 1 MiB a frame */
	else if (!strcmp(mode, "biglogframe"))
		log_frame_loop(FRAME_DEFAULT_MAX - 64, -1); /* a log frame at the 16 MiB limit, again and again */
	else if (!strcmp(mode, "reportflood"))
		report_flood(1000000);
	else if (!strcmp(mode, "dialogflood"))
		dialog_flood(100000);
	else if (!strcmp(mode, "inspect"))
		inspect();
	else if (!strcmp(mode, "hostinfo"))
		host_info();
	else
		actor_error("unknown hostile mode", "%s", mode);
	return actor_finish();
}
