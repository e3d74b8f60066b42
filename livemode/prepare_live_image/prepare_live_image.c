/* InterimPreparation (live mode): make the target userspace the live system the upgrade runs in,
 * and build its initramfs. In the userspace: an fstab mounting the system's xfs, ext4, ext3 and
 * vfat filesystems below /run/upgrade (/sysroot links there) with swap as it is; upgrade.service
 * running /usr/bin/upgrade (and upgrade-strace.service when capture_strace_info_into is set);
 * console.service with leapp's log on tty1 and gettys on tty2-4; sshd with the given
 * authorized_keys; root's password empty only when asked (a high-severity report entry then); a
 * banner in /etc/issue; the system's kernel command line for the scriptlets; leapp and its interim actors (the payload the upgrade initramfs carries,
 * payload.c). The initramfs: dracut's dmsquash-live (and livenet with a URL), none of leapp's
 * upgrade modules, with the drivers and files UpgradeInitramfsTasks ask for; the target
 * userspace's dracut chrooted, or the host's in the host-tools mode (the boot domain's dracut_build_run).
 * It stays in the build area: live_image_generator squashes the userspace and installs it. */
#include <dirent.h>
#include <sys/stat.h>

#include "fs.h"
#include "sys.h"
#include "boot.h"
#include "leapp/actor.h"
#include "livelib.h"

static char *us;     /* host path of the target userspace */
static json_t *units; /* what the live system starts, for the message */

static char *usp(const char *rel)
{
	return path_join(us, rel);
}

static void mkparent(const char *path)
{
	_cleanup_free_ char *d = xstrdup(path);
	char *s = strrchr(d, '/');
	if (s && s != d) {
		*s = 0;
		int r = mkdir_p(d, 0755);
		if (r < 0)
			actor_error("cannot make a directory in the target userspace", "%s: %s", d, strerror(-r));
	}
}

/* a symlink in the userspace (rel) to target, replacing what is there */
static void us_link(const char *rel, const char *target)
{
	_cleanup_free_ char *l = usp(rel);
	mkparent(l);
	struct stat st;
	if (lstat(l, &st) == 0 && S_ISDIR(st.st_mode))
		rmdir(l);
	else
		unlink(l);
	if (symlink(target, l) < 0)
		actor_error("cannot make a link in the target userspace", "%s -> %s: %s", rel, target, strerror(errno));
}

static void us_unlink(const char *rel)
{
	_cleanup_free_ char *l = usp(rel);
	unlink(l);
}

static void us_write(const char *rel, const char *text, mode_t mode)
{
	_cleanup_free_ char *p = usp(rel);
	mkparent(p);
	int r = write_file_atomic(p, text, strlen(text), mode);
	if (r < 0)
		actor_error("cannot write a file of the live system", "%s: %s", rel, strerror(-r));
}

static void us_install(const char *src, const char *rel, mode_t mode)
{
	_cleanup_free_ char *p = usp(rel);
	mkparent(p);
	int r = fs_copy_file(src, p, mode, NULL);
	if (r < 0)
		actor_error("cannot install a file into the live system", "%s as %s: %s", src, rel, strerror(-r));
}

/* a unit of ours, installed and enabled for multi-user.target */
static void unit_enable_ours(const char *files, const char *name)
{
	_cleanup_free_ char *src = path_join(files, name);
	_cleanup_free_ char *rel = xasprintf("/usr/lib/systemd/system/%s", name);
	_cleanup_free_ char *wants = xasprintf("/etc/systemd/system/multi-user.target.wants/%s", name);
	us_install(src, rel, 0644);
	us_link(wants, rel);
	json_array_append_new(units, json_string(name));
}

/* a unit of the target release's packages, enabled through wanted_by */
static void unit_enable(const char *wanted_by, const char *name, const char *template)
{
	_cleanup_free_ char *link = xasprintf("/etc/systemd/system/%s.wants/%s", wanted_by, name);
	_cleanup_free_ char *target = xasprintf("/usr/lib/systemd/system/%s", template ? template : name);
	us_link(link, target);
	json_array_append_new(units, json_string(name));
}

/* A field of an fstab line: spaces, tabs and backslashes escaped as fstab(5) wants them
 * (libmount gave them unescaped). */
static char *fstab_field(const char *s)
{
	struct buf b = {0};
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\\')
			buf_printf(&b, "\\%03o", (unsigned char)*p);
		else
			buf_append(&b, p, 1);
	}
	buf_append(&b, "", 0);
	return buf_steal(&b);
}

/* The live system's /etc/fstab: the system below LIVE_SYSROOT. */
static json_t *write_fstab(json_t *storage)
{
	if (!storage || json_is_false(json_object_get(storage, "fstab_known")))
		actor_error("the system's /etc/fstab is unknown", "the live system mounts the system's filesystems as its fstab "
			    "lists them (StorageInfo)");
	json_t *lines = json_array();
	struct buf b = {0};
	buf_printf(&b, "# The live upgrade system, leapp live mode: the system being upgraded is mounted below %s\n"
		       "# (/sysroot links there), its swap as it is. Made from its /etc/fstab by prepare_live_image;\n"
		       "# no fsck (pass 0): the filesystems are the system's, checked when it boots.\n",
		   LIVE_SYSROOT);
	bool root = false;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(storage, "fstab"), i, e) {
		const char *src = json_string_value(json_object_get(e, "source"));
		const char *target = json_string_value(json_object_get(e, "target"));
		const char *type = json_string_value(json_object_get(e, "fstype"));
		const char *opts = json_string_value(json_object_get(e, "options"));
		if (!src || !target || !type)
			continue;
		if (!opts || !*opts)
			opts = "defaults";
		_cleanup_free_ char *line = NULL, *esrc = fstab_field(src), *etarget = fstab_field(target);
		if (!strcmp(type, "swap"))
			line = xasprintf("%s %s swap %s 0 0", esrc, etarget, opts);
		else if (live_fstype(type) && target[0] == '/') {
			root |= !strcmp(target, "/");
			line = xasprintf("%s %s%s %s %s 0 0", esrc, LIVE_SYSROOT, strcmp(target, "/") ? etarget : "", type, opts);
		} else {
			actor_info("fstab: %s (%s on %s) is not mounted in the live system", target, type, src);
			continue;
		}
		buf_printf(&b, "%s\n", line);
		json_array_append_new(lines, json_string(line));
	}
	if (!root)
		actor_error("the system's root filesystem is not an xfs, ext4, ext3 or vfat entry of /etc/fstab",
			    "the live system mounts the system from its fstab");
	buf_append(&b, "", 0);
	us_write("/etc/fstab", b.data, 0644);
	buf_free(&b);
	us_link("/sysroot", LIVE_SYSROOT);
	return lines;
}

/* the console: leapp's log on tty1, logins on tty2-4; tty1 is never a login prompt */
static void setup_console(const char *files)
{
	unit_enable_ours(files, "console.service");
	us_unlink("/etc/systemd/system/getty.target.wants/getty@tty1.service");
	for (int t = 2; t <= 4; t++) {
		_cleanup_free_ char *name = xasprintf("getty@tty%d.service", t);
		unit_enable("getty.target", name, "getty@.service");
	}
	/* the consoles above, no automatic ones (systemd-getty-generator still adds serial ones) */
	us_write("/etc/systemd/logind.conf.d/50-leapp-live.conf",
		 "# leapp live mode: tty1 shows the upgrade log (console.service), tty2-4 have gettys\n"
		 "[Login]\nNAutoVTs=0\nReserveVT=0\n",
		 0644);
	us_link("/etc/systemd/system/default.target", "/usr/lib/systemd/system/multi-user.target");
}

/* the files of a directory of the system whose names start with prefix, copied with mode */
static size_t copy_matching(const char *dir_rel, const char *prefix, mode_t mode)
{
	_cleanup_free_ char *dir = actor_path(dir_rel);
	DIR *d = opendir(dir);
	size_t n = 0;
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !str_startswith(de->d_name, prefix))
			continue;
		_cleanup_free_ char *src = path_join(dir, de->d_name);
		struct stat st;
		if (stat(src, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		_cleanup_free_ char *rel = xasprintf("%s/%s", dir_rel, de->d_name);
		us_install(src, rel, mode);
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

static void setup_sshd(const char *keys)
{
	_cleanup_free_ char *src = actor_path(keys);
	_cleanup_free_ char *dir = usp("/root/.ssh");
	int r = mkdir_p(dir, 0700);
	if (r < 0 || chmod(dir, 0700) < 0)
		actor_error("cannot make /root/.ssh in the live system", "%s: %s", dir, strerror(r < 0 ? -r : errno));
	us_install(src, "/root/.ssh/authorized_keys", 0600);
	/* the system's host keys: the live system answers ssh as the machine does */
	size_t n = copy_matching("/etc/ssh", "ssh_host_", 0600);
	_cleanup_free_ char *ssh = usp("/etc/ssh");
	DIR *d = opendir(ssh);
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (str_startswith(de->d_name, "ssh_host_") && str_endswith(de->d_name, ".pub")) {
			_cleanup_free_ char *p = path_join(ssh, de->d_name);
			chmod(p, 0644);
		}
	if (d)
		closedir(d);
	unit_enable("multi-user.target", "sshd.service", NULL);
	actor_info("sshd: root's authorized_keys from %s, %zu host key file(s) of the system", keys, n);
}

static void setup_network_manager(void)
{
	unit_enable("multi-user.target", "NetworkManager.service", NULL);
	unit_enable("network-online.target", "NetworkManager-wait-online.service", NULL);
	size_t n = copy_matching("/etc/NetworkManager/system-connections", "", 0600);
	n += copy_matching("/etc/sysconfig/network-scripts", "ifcfg-", 0644);
	actor_info("NetworkManager enabled with %zu connection file(s) of the system", n);
}

/* Root's password field in passwd (and shadow): empty (no password) or not. Returns whether
 * an entry for root was found in passwd. */
static bool edit_root_password(const char *rel, bool empty, bool has_shadow)
{
	_cleanup_free_ char *p = usp(rel);
	_cleanup_free_ char *data = NULL;
	size_t len;
	if (read_file(p, 4u << 20, &data, &len) < 0)
		return false;
	bool shadow = !strcmp(rel, "/etc/shadow");
	struct buf b = {0};
	bool found = false, changed = false;
	for (char *line = data, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		char *c1 = strchr(line, ':');
		if (str_startswith(line, "root:") && c1) {
			found = true;
			char *c2 = strchr(c1 + 1, ':');
			_cleanup_free_ char *field = c2 ? xstrndup(c1 + 1, (size_t)(c2 - c1 - 1)) : xstrdup(c1 + 1);
			const char *want = field;
			if (empty)
				want = "";
			else if (!*field)
				want = shadow ? "!" : has_shadow ? "x" : "!"; /* never an empty password unless asked */
			if (strcmp(want, field)) {
				changed = true;
				buf_printf(&b, "root:%s%s\n", want, c2 ? c2 : "");
				continue;
			}
		}
		buf_printf(&b, "%s\n", line);
	}
	if (changed) {
		struct stat st;
		mode_t mode = stat(p, &st) == 0 ? st.st_mode & 07777 : 0644;
		int r = write_file_atomic(p, b.data, b.len, mode);
		if (r < 0)
			actor_error("cannot change root's password in the live system", "%s: %s", rel, strerror(-r));
	}
	buf_free(&b);
	return found;
}

static void setup_root(bool passwordless)
{
	_cleanup_free_ char *sh = usp("/etc/shadow");
	bool has_shadow = access(sh, F_OK) == 0;
	bool found = edit_root_password("/etc/passwd", passwordless, has_shadow);
	if (has_shadow)
		edit_root_password("/etc/shadow", passwordless, has_shadow);
	if (!found && passwordless)
		actor_error("cannot set up a passwordless root in the live system", "its /etc/passwd has no entry for root");
	if (!found)
		actor_warning("the live system's /etc/passwd has no entry for root");
	if (!passwordless)
		return;
	json_t *e = report_new("The live upgrade system lets root in without a password",
			       "livemode.setup_passwordless_root is true: anyone at the console of the live system, on tty2-4 ("
			       "a serial console) logs in as root without a password while the upgrade runs, and with "
			       "sshd enabled the live system is reachable over the network.",
			       "high");
	report_add_group(e, "security");
	report_add_group(e, "boot");
	report_add_hint(e, "Set livemode.setup_passwordless_root to false unless the console is physically secure, and "
			   "use setup_opensshd_using_auth_keys for remote access.");
	actor_report(e);
}

/* The system's own kernel command line, which the upgrade script binds over /sysroot/proc/cmdline:
 * the RPM scriptlets (kernel-install making the new kernel's entry from /proc/cmdline) must not
 * see the live boot's root=live:... */
static void write_system_cmdline(void)
{
	json_t *k = actor_consume_last("KernelInfo");
	const char *c = json_string_value(json_object_get(k, "cmdline"));
	if (c && *c) {
		_cleanup_free_ char *line = xasprintf("%s\n", c);
		us_write(LIVE_SYSTEM_CMDLINE, line, 0644);
	} else {
		us_unlink(LIVE_SYSTEM_CMDLINE);
		actor_warning("the system's kernel command line is unknown: the RPM scriptlets in the live system see the "
			      "live boot's");
	}
	json_decref(k);
}

/* The live system is the machine: its /etc/machine-id (the journal of the live boot is then the
 * machine's, and journalctl -b reads it), and never systemd-firstboot's questions on the console
 * of an unattended upgrade (an image without a machine-id is a "first boot" to systemd). */
static void write_identity(void)
{
	_cleanup_free_ char *root = actor_path("/");
	_cleanup_free_ char *mid = sys_machine_id_read(root);
	if (mid) {
		_cleanup_free_ char *line = xasprintf("%s\n", mid);
		us_write("/etc/machine-id", line, 0444);
	} else {
		/* empty: systemd makes a transient one at boot, without first-boot units */
		us_write("/etc/machine-id", "", 0444);
		actor_warning("the system has no valid /etc/machine-id: the live system gets a transient one");
	}
	us_link("/etc/systemd/system/systemd-firstboot.service", "/dev/null");
}

static void write_banner(json_t *cfg)
{
	struct buf b = {0};
	buf_printf(&b, "\n"
		       "==============================================================\n"
		       "        LEAPP LIVE UPGRADE MODE (experimental, unsupported)\n"
		       "==============================================================\n"
		       " The system is being upgraded: do not reboot until it is done.\n"
		       " The upgrade log is on tty1 (Ctrl+Alt+F1); logins on tty2-4.\n"
		       " The system being upgraded is mounted at /sysroot.\n"
		       " It reboots when the upgrade finishes, unless /sysroot/.noreboot exists.\n");
	if (!live_bool(cfg, "autostart_upgrade_after_reboot"))
		buf_printf(&b, " upgrade.autostart=0: the upgrade does not start by itself; run\n"
			       "   upgrade\n"
			       " as root (its log: /sysroot/var/log/leapp/leapp-upgrade.log).\n");
	if (*live_str(cfg, "setup_opensshd_using_auth_keys"))
		buf_printf(&b, " sshd runs: log in as root with a key of %s.\n", live_str(cfg, "setup_opensshd_using_auth_keys"));
	if (live_bool(cfg, "setup_passwordless_root"))
		buf_printf(&b, " root has no password.\n");
	buf_printf(&b, "==============================================================\n\n");
	buf_append(&b, "", 0);
	us_write("/etc/issue", b.data, 0644);
	us_write("/etc/motd", b.data, 0644);
	buf_free(&b);
}

/* Host tools: this machine's systemd, udev, util-linux, coreutils and the libraries of leapp's
 * build into the userspace (files/host-runtime.sh), so that the image boots and its leapp runs;
 * in production the userspace is a whole target system already. */
static void host_runtime(const char *files, const char *area)
{
	_cleanup_free_ char *script = path_join(files, "host-runtime.sh");
	_cleanup_free_ char *staging = path_join(area, "/host-runtime");
	_cleanup_free_ char *log = path_join(area, "/host-runtime.log");
	const char *argv[] = {script, us, staging, NULL};
	int status = 0, r = sys_command_run(&(struct sys_run_opts){.argv = argv, .log_path = log}, &status);
	if (r < 0 || status != 0) {
		_cleanup_free_ char *tail = sys_log_tail(log, 5);
		actor_error("cannot put this machine's runtime into the live image (host-tools mode)", "%s: %s\n%s",
			    script, r < 0 ? strerror(-r) : "failed", tail);
	}
	_cleanup_free_ char *tail = sys_log_tail(log, 1);
	actor_info("%s", tail);
}

static bool leapp_module(const char *name)
{
	return !strcmp(name, "sys-upgrade") || !strcmp(name, "sys-upgrade-redhat");
}

/* leapp and its interim actors, at the paths the live system runs them from */
static json_t *stage_leapp(const char *area, bool host)
{
	_cleanup_free_ char *payload = path_join(area, "/payload");
	_cleanup_free_ char *bindir = NULL;
	json_t *interim = image_payload_stage_leapp(payload, us, host, "live image", &bindir);
	if (host) {
		/* the build that runs here; in production the userspace already has the target's */
		_cleanup_free_ char *from = path_join(payload, "/.");
		if (fs_copy_tree(from, us) < 0)
			actor_error("cannot copy leapp into the live system", "%s into %s", payload, us);
	}
	rm_rf(payload);
	actor_info("leapp from %s with %zu interim actor(s)", bindir, json_array_size(interim));
	return interim;
}

/* the live system: the upgrade script and its units, fstab, console, sshd, network, root, banner,
 * the system's kernel command line and identity. Returns the fstab written. */
static json_t *setup_live_system(json_t *cfg, const char *files, json_t *storage)
{
	_cleanup_free_ char *script = path_join(files, "upgrade.sh");
	if (!fs_is_exec(script))
		actor_error("leapp's live-mode files are missing", "%s is not there or not executable", script);
	json_t *fstab = write_fstab(storage);
	us_install(script, "/usr/bin/upgrade", 0755);
	/* the mounting it shares with the upgrade initramfs (actors/lib/boot/upgrade-mount-lib.sh) */
	_cleanup_free_ char *mountlib = path_join(files, "upgrade-mount-lib.sh");
	us_install(mountlib, "/usr/lib/leapp-upgrade/upgrade-mount-lib.sh", 0644);
	/* and the rollback on a failure (initramfs/85sys-upgrade-redhat/upgrade-rollback.sh) */
	_cleanup_free_ char *rollback = path_join(files, "upgrade-rollback.sh");
	us_install(rollback, "/usr/lib/leapp-upgrade/upgrade-rollback.sh", 0644);
	unit_enable_ours(files, "upgrade.service");
	if (*live_str(cfg, "capture_strace_info_into"))
		unit_enable_ours(files, "upgrade-strace.service");
	else {
		us_unlink("/etc/systemd/system/multi-user.target.wants/upgrade-strace.service");
		us_unlink("/usr/lib/systemd/system/upgrade-strace.service");
	}
	setup_console(files);
	const char *keys = live_str(cfg, "setup_opensshd_using_auth_keys");
	if (*keys)
		setup_sshd(keys);
	if (live_bool(cfg, "setup_network_manager"))
		setup_network_manager();
	setup_root(live_bool(cfg, "setup_passwordless_root"));
	write_banner(cfg);
	write_system_cmdline();
	write_identity();
	return fstab;
}

/* the live initramfs's dracut modules: dmsquash-live (+ livenet), what the tasks ask for but leapp's modules */
static json_t *live_dracut_modules(json_t *cfg, json_t *mods)
{
	json_t *dmods = json_array();
	json_array_append_new(dmods, json_pack("{s:s, s:n}", "name", "dmsquash-live", "module_path"));
	if (*live_str(cfg, "url_to_load_squashfs_image_from"))
		json_array_append_new(dmods, json_pack("{s:s, s:n}", "name", "livenet", "module_path"));
	size_t i;
	json_t *x;
	json_array_foreach(mods, i, x) {
		const char *n = json_string_value(json_object_get(x, "name"));
		if (n && !leapp_module(n) && strcmp(n, "dmsquash-live") && strcmp(n, "livenet"))
			json_array_append(dmods, x);
	}
	return dmods;
}

static void report_host_dracut(const char *kver)
{
	_cleanup_free_ char *summary = xasprintf(
		"LEAPP_UNSUPPORTED=1 and LEAPP_DEVEL_USE_HOST_DRACUT=1 are set: dracut and its modules in the live "
		"initramfs come from the machine that runs leapp, not from the target release; so do leapp in the live "
		"image (that machine's build) and the runtime the image boots with (systemd, udev, util-linux, "
		"coreutils and the libraries leapp needs), which the image's rpmdb does not describe. The kernel %s "
		"and its modules come from the target kernel package. "
		"This mode is for test machines.",
		kver);
	json_t *e = report_new("The live initramfs was built with the host's dracut (unsupported)", summary, "high");
	report_add_group(e, "boot");
	report_add_group(e, "sanity");
	actor_report(e);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *cfg = live_config_or_finish();
	_cleanup_free_ char *arch = sys_arch_get();
	json_t *info = actor_consume_last("TargetUserSpaceInfo");
	us = image_userspace_locate(info, "the live system is made from it");
	_cleanup_free_ char *kver = image_kver_pick(us, info);
	if (!kver)
		actor_error("the target userspace has no kernel", "no %s/lib/modules/<kver>/vmlinuz: the live system boots the "
			    "target kernel (kernel-core)", us);
	bool ignored = false;
	bool host = dracut_host_mode(&ignored);
	if (ignored)
		actor_warning("LEAPP_DEVEL_USE_HOST_DRACUT is ignored without LEAPP_UNSUPPORTED=1");
	_cleanup_free_ char *area = usp(LIVE_AREA);
	rm_rf(area);
	if (mkdir_p(area, 0700) < 0)
		actor_error("cannot make the live image's build area", "%s: %s", area, strerror(errno));
	units = json_array();

	json_t *interim = stage_leapp(area, host);

	_cleanup_free_ char *own_data = sys_leapp_datadir();
	_cleanup_free_ char *files = path_join(own_data, "livemode");
	if (host)
		host_runtime(files, area);

	json_t *storage = actor_consume_last("StorageInfo");
	json_t *fstab = setup_live_system(cfg, files, storage);
	const char *strace = live_str(cfg, "capture_strace_info_into");
	const char *keys = live_str(cfg, "setup_opensshd_using_auth_keys");

	/* the live initramfs: dmsquash-live (+ livenet), what the tasks ask for but leapp's modules */
	json_t *mods, *kmods, *tfiles;
	boot_initramfs_tasks_collect("UpgradeInitramfsTasks", &mods, &kmods, &tfiles);
	json_t *dmods = live_dracut_modules(cfg, mods);
	size_t i;
	json_t *x;
	_cleanup_free_ char *kmoddir = xasprintf("%s/lib/modules/%s", us, kver);
	json_t *drivers = image_kmods_install(kmods, kmoddir, host ? NULL : us, us, kver, area);
	_cleanup_free_ char *image = xasprintf("%s/initramfs-live.%s.img", area, arch);
	struct dracut_build b = {
		.sysroot = host ? NULL : us,
		.area = area,
		.kver = kver,
		.kmoddir = kmoddir,
		.output = image,
		.dracut_modules = dmods,
		.drivers = drivers,
		.files = tfiles,
		.payload = NULL,
		.hostonly = 0,
		.own_config = true,
		.extra_args = json_object_get(actor_config(), "extra_dracut_args"),
	};
	actor_info("building the live initramfs for %s with %s dracut", kver, host ? "the host's" : "the target userspace's");
	char *err = NULL;
	int r = dracut_build_run(&b, &err);
	actor_info("dracut: %s", b.command);
	if (r < 0)
		actor_error("the live initramfs could not be built", "%s\n(log: %s)", err, b.log_path);
	actor_info("live initramfs: %.1f MiB in %.1f s", fs_file_size(image) / 1048576.0, b.seconds);
	if (host)
		report_host_dracut(kver);

	json_t *modnames = json_array();
	json_array_foreach(dmods, i, x)
		json_array_append(modnames, json_object_get(x, "name"));
	json_t *prep = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:O, s:O, s:f, s:o, s:o, s:O, s:b, s:b, s:b, s:b}",
				 "userspace", us, "area", area, "initramfs", image, "kver", kver, "arch", arch, "dracut",
				 host ? "host" : "userspace", "dracut_modules", modnames, "kernel_modules", drivers, "files", tfiles,
				 "dracut_seconds", b.seconds, "interim_actors", interim, "fstab", fstab, "units", units,
				 "has_sshd", *keys != 0, "has_passwordless_root", live_bool(cfg, "setup_passwordless_root"),
				 "has_network_manager", live_bool(cfg, "setup_network_manager"), "has_strace", *strace != 0);
	actor_produce("LiveImagePreparationInfo", prep);
	dracut_build_clear(&b);
	free(err);
	json_decref(units);
	json_decref(mods);
	json_decref(kmods);
	json_decref(tfiles);
	json_decref(dmods);
	json_decref(drivers);
	json_decref(storage);
	json_decref(info);
	json_decref(cfg);
	free(us);
	return actor_finish();
}
