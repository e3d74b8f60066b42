/* InterimPreparation: the system's storage in the upgrade initramfs (upstream's
 * mount_units_generator, enable_lvm_autoactivation and the multipath actors).
 *
 * - Every local filesystem of fstab (not /, swap, API or network filesystems, noauto) becomes a
 *   systemd mount unit on /sysroot/<mount point>, after its parent's, before upgrade.target and
 *   upgrade.service: a separate /usr or /var is there before the upgrade starts. nofail ones
 *   are wanted, the others required.
 * - The logical volumes those filesystems live on are activated: rd.lvm.lv=VG/LV for each on
 *   the upgrade entry (dracut activates only the rd.lvm.lv= ones when any is given); when a
 *   source cannot be traced to its volume, rd.lvm.lv= goes, and dracut activates them all.
 *   A filesystem on a volume brings dracut's lvm module and lvm2, lvm.conf or not.
 * - The host's lvm.conf and devices file, mdadm.conf, crypttab, NVMe-oF identity (/etc/nvme)
 *   and multipath configuration (with the changes release 9 needs) go in whenever they exist,
 *   with dracut's lvm, mdraid and multipath modules. dracut copies those files from the tree it
 *   runs in (the target userspace, or the host with host dracut), which is not the system's, so
 *   the files travel in a dracut module of our own with the units: 99leapp-storage, in the
 *   scratch directory. */
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "boot.h"
#include "sys.h"
#include "leapp/actor.h"
#include "multipath.h"
#include "fs.h"

static const char module_setup[] =
	"#!/bin/bash\n"
	"# dracut module leapp-storage, written by leapp's storage_initramfs_setup: the system's\n"
	"# mount units for /sysroot and its storage configuration, for the upgrade initramfs.\n"
	"check() { return 255; }\n"
	"depends() { echo systemd; }\n"
	"install() {\n"
	"    local f u\n"
	"    for u in \"$moddir\"/units/*.mount; do\n"
	"        [ -e \"$u\" ] || continue\n"
	"        inst_simple \"$u\" \"$systemdsystemunitdir/${u##*/}\"\n"
	"    done\n"
	"    for f in requires wants; do\n"
	"        [ -s \"$moddir/units/$f\" ] || continue\n"
	"        mkdir -p \"$initdir$systemdsystemunitdir/upgrade.target.$f\"\n"
	"        while read -r u; do\n"
	"            ln_r \"$systemdsystemunitdir/$u\" \"$systemdsystemunitdir/upgrade.target.$f/$u\"\n"
	"        done < \"$moddir/units/$f\"\n"
	"    done\n"
	"    # what upgrade-finish.sh unmounts after the upgrade, deepest first\n"
	"    inst_simple \"$moddir/units/mounts\" /usr/lib/leapp-storage/mounts\n"
	"    [ -d \"$moddir/files\" ] || return 0\n"
	"    (cd \"$moddir/files\" && find . -type f) | while read -r f; do\n"
	"        inst_simple \"$moddir/files/${f#./}\" \"/${f#./}\"\n"
	"    done\n"
	"}\n";

static int by_path_desc(const void *a, const void *b)
{
	return -strcmp(*(char *const *)a, *(char *const *)b);
}

/* systemd-escape --path */
static char *unit_escape(const char *path)
{
	struct buf b = {0};
	while (*path == '/')
		path++;
	size_t n = strlen(path);
	while (n && path[n - 1] == '/')
		n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c == '/') {
			while (i + 1 < n && path[i + 1] == '/')
				i++;
			buf_append(&b, "-", 1);
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '_' ||
			   (c == '.' && i > 0))
			buf_append(&b, &path[i], 1);
		else
			buf_printf(&b, "\\x%02x", c);
	}
	buf_append(&b, "", 1);
	return b.data;
}

static char *unit_name(const char *mp)
{
	_cleanup_free_ char *full = !strcmp(mp, "/") ? xstrdup("/sysroot") : xasprintf("/sysroot%s", mp);
	_cleanup_free_ char *esc = unit_escape(full);
	return xasprintf("%s.mount", esc);
}

static bool has_opt(const char *opts, const char *o)
{
	_cleanup_free_ char *c = xstrdup(opts ?: "");
	char *save = NULL;
	for (char *t = strtok_r(c, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (!strcmp(t, o))
			return true;
	return false;
}

/* Options for the upgrade: read-write, without what only the boot's fstab handling means. */
static char *unit_options(const char *opts)
{
	struct buf b = {0};
	buf_printf(&b, "rw");
	_cleanup_free_ char *c = xstrdup(opts ?: "");
	char *save = NULL;
	static const char *const drop[] = {"ro", "rw", "defaults", "auto", "noauto", "nofail", "_netdev", "user", "users"};
	for (char *t = strtok_r(c, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		bool skip = !strncmp(t, "x-systemd.", 10) || !strncmp(t, "x-initrd.", 9) || !strncmp(t, "comment=", 8);
		for (size_t i = 0; i < ELEMENTSOF(drop); i++)
			skip |= !strcmp(t, drop[i]);
		if (!skip)
			buf_printf(&b, ",%s", t);
	}
	buf_append(&b, "", 1);
	return b.data;
}

/* fstab's source as a device path systemd waits for. */
static char *unit_what(const char *src)
{
	static const struct {
		const char *tag, *dir;
	} tags[] = {{"UUID=", "by-uuid"}, {"PARTUUID=", "by-partuuid"}, {"LABEL=", "by-label"}, {"PARTLABEL=", "by-partlabel"}};
	for (size_t i = 0; i < ELEMENTSOF(tags); i++)
		if (!strncmp(src, tags[i].tag, strlen(tags[i].tag)))
			return xasprintf("/dev/disk/%s/%s", tags[i].dir, src + strlen(tags[i].tag));
	return xstrdup(src);
}

static bool skipped_fs(json_t *e)
{
	static const char *const types[] = {"swap", "proc", "sysfs", "devpts", "devtmpfs", "tmpfs", "mqueue", "hugetlbfs",
					    "debugfs", "securityfs", "cgroup", "cgroup2", "efivarfs", "binfmt_misc",
					    "autofs", "configfs", "tracefs", "bpf", "selinuxfs", "pstore", "none"};
	const char *t = json_string_value(json_object_get(e, "target"));
	const char *type = json_string_value(json_object_get(e, "fstype")) ?: "";
	const char *opts = json_string_value(json_object_get(e, "options"));
	if (!t || t[0] != '/' || !strcmp(t, "/") || json_is_true(json_object_get(e, "network")) ||
	    has_opt(opts, "noauto") || has_opt(opts, "_netdev"))
		return true;
	for (size_t i = 0; i < ELEMENTSOF(types); i++)
		if (!strcmp(type, types[i]))
			return !has_opt(opts, "bind"); /* "none" is the type of bind mounts */
	return false;
}

/* A device-mapper name VG-LV as "VG/LV" ("--" is an escaped "-"), or NULL. */
static char *dm_name_to_lv(const char *name)
{
	struct buf vg = {0}, lv = {0};
	bool in_lv = false;
	for (const char *p = name; *p; p++) {
		if (*p == '-' && p[1] == '-') {
			buf_append(in_lv ? &lv : &vg, "-", 1);
			p++;
		} else if (*p == '-' && !in_lv)
			in_lv = true;
		else
			buf_append(in_lv ? &lv : &vg, p, 1);
	}
	char *r = in_lv && vg.len && lv.len ? xasprintf("%.*s/%.*s", (int)vg.len, vg.data, (int)lv.len, lv.data) : NULL;
	buf_free(&vg);
	buf_free(&lv);
	return r;
}

/* The logical volume an fstab source lives on. 1: *ret_lv set; 0: not a logical volume;
 * -1: cannot tell (a UUID= whose /dev/disk link is not there to follow). */
static int source_lv(const char *src, char **ret_lv)
{
	if (!strncmp(src, "/dev/mapper/", 12)) {
		*ret_lv = dm_name_to_lv(src + 12);
		return *ret_lv ? 1 : 0;
	}
	if (!strncmp(src, "/dev/", 5) && strchr(src + 5, '/') && !strchr(strchr(src + 5, '/') + 1, '/')) {
		static const char *const not_vg[] = {"disk/", "mapper/", "md/", "block/", "char/", "cdrom/"};
		for (size_t i = 0; i < ELEMENTSOF(not_vg); i++)
			if (!strncmp(src + 5, not_vg[i], strlen(not_vg[i])))
				return 0;
		*ret_lv = xstrdup(src + 5);
		return 1;
	}
	_cleanup_free_ char *what = unit_what(src);
	if (!strncmp(what, "/dev/", 5) && strncmp(src, "/dev/", 5)) {
		/* a tag: follow its udev link (../../dm-3) to sysfs's name of the dm device */
		_cleanup_close_ int fd = fs_root_open(what, O_PATH | O_NOFOLLOW, 0);
		char link[256];
		ssize_t n = fd < 0 ? -1 : readlinkat(fd, "", link, sizeof(link) - 1);
		if (n <= 0)
			return -1;
		link[n] = 0;
		const char *base = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
		if (strncmp(base, "dm-", 3))
			return 0;
		_cleanup_free_ char *f = xasprintf("/sys/block/%s/dm/name", base);
		_cleanup_free_ char *data = NULL;
		size_t len;
		if (fs_root_read(f, 4096, &data, &len) < 0)
			return -1;
		data[strcspn(data, "\n")] = 0;
		*ret_lv = dm_name_to_lv(data);
		return *ret_lv ? 1 : 0;
	}
	return 0;
}

/* The included entry mounted just above mp (its parent directory's filesystem), or NULL. */
static const char *parent_mp(json_t *fstab, const char *mp)
{
	const char *best = NULL;
	size_t i, bl = 0;
	json_t *e;
	json_array_foreach(fstab, i, e) {
		const char *t = json_string_value(json_object_get(e, "target"));
		size_t n = t ? strlen(t) : 0;
		if (skipped_fs(e) || n >= strlen(mp) || strncmp(mp, t, n) || mp[n] != '/' || n <= bl)
			continue;
		best = t;
		bl = n;
	}
	return best;
}

static void write_or_die(const char *path, const char *text)
{
	int r = write_file_atomic(path, text, strlen(text), 0644);
	if (r < 0)
		actor_error("cannot write the upgrade initramfs's storage module", "%s: %s", path, strerror(-r));
}

/* The mount units, and upgrade.target's requires/wants lists of them. Returns how many. */
static size_t write_units(json_t *fstab, const char *moddir)
{
	_cleanup_free_ char *udir = path_join(moddir, "/units");
	mkdir_p(udir, 0755);
	struct buf req = {0}, wants = {0}, mounts = {0};
	char **wheres = xmalloc(sizeof(char *) * (json_array_size(fstab) + 1));
	size_t i, n = 0;
	json_t *e;
	json_array_foreach(fstab, i, e) {
		if (skipped_fs(e))
			continue;
		const char *mp = json_string_value(json_object_get(e, "target"));
		const char *src = json_string_value(json_object_get(e, "source")) ?: "";
		const char *type = json_string_value(json_object_get(e, "fstype")) ?: "auto";
		const char *opts = json_string_value(json_object_get(e, "options"));
		const char *parent = parent_mp(fstab, mp);
		_cleanup_free_ char *name = unit_name(mp);
		bool bind = has_opt(opts, "bind"), nofail = has_opt(opts, "nofail");
		/* after the mount it is below, and a bind mount after the one that holds its source */
		_cleanup_free_ char *deps = unit_name(parent ? parent : "/");
		if (bind) {
			_cleanup_free_ char *srcdir = xasprintf("%s/", src);
			const char *holder = parent_mp(fstab, srcdir);
			_cleanup_free_ char *hname = unit_name(holder ? holder : "/");
			if (!strstr(deps, hname)) {
				char *d = xasprintf("%s %s", deps, hname);
				free(deps);
				deps = d;
			}
		}
		_cleanup_free_ char *what = bind ? xasprintf("/sysroot%s", src) : unit_what(src);
		_cleanup_free_ char *options = unit_options(opts);
		_cleanup_free_ char *text = xasprintf(
			"# %s from the system's /etc/fstab (line %lld), for the upgrade; written by leapp\n"
			"[Unit]\nDefaultDependencies=no\n%s=%s\nAfter=%s\nBefore=upgrade.service upgrade.target\n\n"
			"[Mount]\nWhat=%s\nWhere=/sysroot%s\n%s%s%sOptions=%s\n",
			mp, (long long)json_integer_value(json_object_get(e, "line")), nofail ? "Wants" : "Requires", deps, deps,
			what, mp, strcmp(type, "auto") ? "Type=" : "", strcmp(type, "auto") ? type : "",
			strcmp(type, "auto") ? "\n" : "", options);
		_cleanup_free_ char *file = xasprintf("%s/%s", udir, name);
		write_or_die(file, text);
		buf_printf(nofail ? &wants : &req, "%s\n", name);
		wheres[n++] = xasprintf("/sysroot%s", mp);
	}
	/* reverse order: a mount point comes before the ones it holds (/a/b before /a) */
	qsort(wheres, n, sizeof(char *), by_path_desc);
	for (i = 0; i < n; i++) {
		buf_printf(&mounts, "%s\n", wheres[i]);
		free(wheres[i]);
	}
	free(wheres);
	buf_append(&mounts, "", 1);
	_cleanup_free_ char *mf = path_join(udir, "/mounts");
	write_or_die(mf, mounts.data);
	buf_free(&mounts);
	_cleanup_free_ char *rf = path_join(udir, "/requires"), *wf = path_join(udir, "/wants");
	buf_append(&req, "", 1);
	buf_append(&wants, "", 1);
	write_or_die(rf, req.data);
	write_or_die(wf, wants.data);
	buf_free(&req);
	buf_free(&wants);
	return n;
}

/* Copy a configuration file of the system into the module's files/ tree (as is, or with text
 * replaced). Returns true when the system has it. */
static bool conf_copy(const char *moddir, const char *abs, const char *replaced)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	if (!replaced && fs_root_read(abs, 16 << 20, &data, &len) < 0)
		return false;
	_cleanup_free_ char *dst = xasprintf("%s/files%s", moddir, abs);
	_cleanup_free_ char *dir = xstrdup(dst);
	*strrchr(dir, '/') = 0;
	mkdir_p(dir, 0755);
	int r = write_file_atomic(dst, replaced ? replaced : data, replaced ? strlen(replaced) : len, 0644);
	if (r < 0)
		actor_error("cannot copy the storage configuration", "%s: %s", abs, strerror(-r));
	return true;
}

/* Software RAID: every mdadm configuration mdadm.conf(5) names (the file and the .d directory,
 * in /etc and /etc/mdadm; upstream's checkraid), copied. Arrays active in proc/mdstat without
 * any configuration are assembled by dracut's mdraid module from the disks' superblocks; that
 * is said, since the array names may then differ. Returns whether mdraid is needed. */
static bool md_conf_copy(const char *moddir)
{
	bool conf = conf_copy(moddir, "/etc/mdadm.conf", NULL) | conf_copy(moddir, "/etc/mdadm/mdadm.conf", NULL);
	static const char *const dirs[] = {"/etc/mdadm.conf.d", "/etc/mdadm/mdadm.conf.d"};
	for (size_t d = 0; d < ELEMENTSOF(dirs); d++) {
		char **names = NULL;
		if (fs_root_dir_list(dirs[d], ".conf", &names) < 0)
			continue;
		for (char **n = names; *n; n++) {
			_cleanup_free_ char *abs = xasprintf("%s/%s", dirs[d], *n);
			conf |= conf_copy(moddir, abs, NULL);
		}
		fs_strv_free(names);
	}
	_cleanup_free_ char *mdstat = NULL;
	bool arrays = false;
	char *save = NULL;
	if (fs_root_read("/proc/mdstat", 1 << 20, &mdstat, NULL) == 0)
		for (char *l = strtok_r(mdstat, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			arrays |= str_startswith(l, "md") && strstr(l, " : active") != NULL;
	if (arrays && !conf)
		actor_warning("software RAID arrays are active (/proc/mdstat) but no mdadm configuration was found in "
			      "/etc/mdadm.conf, /etc/mdadm.conf.d, /etc/mdadm/mdadm.conf or /etc/mdadm/mdadm.conf.d: the "
			      "upgrade initramfs assembles them from their superblocks");
	return conf || arrays;
}

/* /etc/multipath.conf and the .conf files of /etc/multipath/conf.d, changed for release 9, and the
 * bindings, wwids and prkeys files. Returns true when the system has multipath configured. */
static bool multipath_copy(const char *moddir)
{
	_cleanup_free_ char *main_text = NULL;
	size_t len;
	if (fs_root_read("/etc/multipath.conf", 1 << 20, &main_text, &len) < 0)
		return false;
	bool foreign = false, usb = false, changed;
	multipath_conf_scan(main_text, &foreign, &usb);
	_cleanup_free_ char *cdir = actor_path("/etc/multipath/conf.d");
	struct dirent **list = NULL;
	int n = scandir(cdir, &list, NULL, alphasort);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++) {
			const char *f = list[i]->d_name;
			size_t fl = strlen(f);
			if (fl < 6 || strcmp(f + fl - 5, ".conf"))
				continue;
			_cleanup_free_ char *abs = xasprintf("/etc/multipath/conf.d/%s", f);
			_cleanup_free_ char *text = NULL;
			if (fs_root_read(abs, 1 << 20, &text, &len) < 0)
				continue;
			if (pass == 0)
				multipath_conf_scan(text, &foreign, &usb);
			else {
				_cleanup_free_ char *fixed = multipath_conf_patch(text, false, false, &changed);
				conf_copy(moddir, abs, fixed);
			}
		}
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	_cleanup_free_ char *fixed = multipath_conf_patch(main_text, !foreign, !usb, &changed);
	conf_copy(moddir, "/etc/multipath.conf", fixed);
	static const char *const extra[] = {"/etc/multipath/bindings", "/etc/multipath/wwids", "/etc/multipath/prkeys"};
	for (size_t i = 0; i < ELEMENTSOF(extra); i++)
		conf_copy(moddir, extra[i], NULL);
	actor_info("multipath: /etc/multipath.conf%s", changed ? " changed for release 9" : "");
	return true;
}

/* rd.lvm.lv= for the volumes of / and of every mounted filesystem; when one cannot be traced,
 * none (dracut then activates every volume it finds). Returns true when one of them is a
 * logical volume (the system uses LVM, with or without an lvm.conf of its own). */
static bool lvm_args(json_t *fstab, bool has_lvm)
{
	json_t *add = json_array();
	bool unknown = false, on_lvm;
	size_t i;
	json_t *e;
	json_array_foreach(fstab, i, e) {
		const char *t = json_string_value(json_object_get(e, "target")) ?: "";
		if (strcmp(t, "/") && skipped_fs(e))
			continue;
		char *lv = NULL;
		int r = source_lv(json_string_value(json_object_get(e, "source")) ?: "", &lv);
		if (r < 0)
			unknown = true;
		else if (r > 0) {
			bool dup = false;
			size_t k;
			json_t *a;
			json_array_foreach(add, k, a)
				dup |= !strcmp(json_string_value(json_object_get(a, "value")), lv);
			if (!dup)
				json_array_append_new(add, json_pack("{s:s, s:s}", "key", "rd.lvm.lv", "value", lv));
		}
		free(lv);
	}
	on_lvm = json_array_size(add) > 0;
	if (unknown && (has_lvm || on_lvm)) {
		actor_info("a filesystem's volume is not known: every logical volume is activated (no rd.lvm.lv)");
		actor_produce("UpgradeKernelCmdlineArgTasks", json_pack("{s:[{s:s, s:n}]}", "to_remove", "key", "rd.lvm.lv", "value"));
		json_decref(add);
	} else if (json_array_size(add))
		actor_produce("UpgradeKernelCmdlineArgTasks", json_pack("{s:o}", "to_add", add));
	else
		json_decref(add);
	return on_lvm;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *live = actor_consume_last("LiveModeConfig");
	json_t *si = actor_consume_last("StorageInfo");
	const char *scratch = actor_scratch_dir();
	if (json_is_true(json_object_get(live, "is_enabled")) || !si || !scratch) {
		actor_info("nothing to do (%s)", !si ? "no StorageInfo" : !scratch ? "no scratch directory" : "live mode");
		json_decref(live);
		json_decref(si);
		return actor_finish();
	}
	json_t *fstab = json_object_get(si, "fstab");
	_cleanup_free_ char *moddir = path_join(scratch, "/99leapp-storage");
	rm_rf(moddir);
	mkdir_p(moddir, 0755);
	_cleanup_free_ char *setup = path_join(moddir, "/module-setup.sh");
	int r = write_file_atomic(setup, module_setup, strlen(module_setup), 0755);
	if (r < 0)
		actor_error("cannot write the upgrade initramfs's storage module", "%s: %s", setup, strerror(-r));
	size_t units = write_units(fstab, moddir);
	bool lvm = conf_copy(moddir, "/etc/lvm/lvm.conf", NULL);
	lvm |= conf_copy(moddir, "/etc/lvm/devices/system.devices", NULL);
	/* a filesystem on a logical volume needs dracut's lvm even when lvm.conf is missing */
	lvm |= lvm_args(fstab, lvm);
	bool md = md_conf_copy(moddir);
	/* the devices check_luks let through (LUKS2 with a clevis TPM2 token) are unlocked by
	 * systemd-cryptsetup from crypttab, with the clevis modules check_luks asks for */
	bool crypt = conf_copy(moddir, "/etc/crypttab", NULL);
	bool mp = multipath_copy(moddir);
	/* NVMe over Fabrics: the host identity and discovery configuration dracut's nvmf module
	 * connects with (check_nvme asks for the module) */
	static const char *const nvme_conf[] = {"/etc/nvme/hostnqn", "/etc/nvme/hostid", "/etc/nvme/discovery.conf",
						"/etc/nvme/config.json"};
	for (size_t i = 0; i < ELEMENTSOF(nvme_conf); i++)
		conf_copy(moddir, nvme_conf[i], NULL);
	json_t *mods = json_pack("[{s:s, s:s}]", "name", "leapp-storage", "module_path", moddir);
	if (lvm)
		json_array_append_new(mods, json_pack("{s:s, s:n}", "name", "lvm", "module_path"));
	if (md)
		json_array_append_new(mods, json_pack("{s:s, s:n}", "name", "mdraid", "module_path"));
	if (mp)
		json_array_append_new(mods, json_pack("{s:s, s:n}", "name", "multipath", "module_path"));
	actor_produce("UpgradeInitramfsTasks", json_pack("{s:o}", "include_dracut_modules", mods));
	/* dracut's modules need their tools in the tree dracut runs in */
	json_t *pkgs = json_array();
	if (lvm)
		json_array_append_new(pkgs, json_string("lvm2"));
	if (md)
		json_array_append_new(pkgs, json_string("mdadm"));
	if (mp)
		json_array_append_new(pkgs, json_string("device-mapper-multipath"));
	if (json_array_size(pkgs))
		actor_produce("TargetUserSpaceTasks", json_pack("{s:o, s:s, s:s}", "packages", pkgs, "reason",
							       "the upgrade initramfs assembles the system's storage with them",
							       "requester", "storage_initramfs_setup"));
	else
		json_decref(pkgs);
	actor_info("%zu mount unit(s)%s%s%s%s", units, lvm ? ", LVM" : "", md ? ", mdadm" : "", mp ? ", multipath" : "",
		   crypt ? ", crypttab" : "");
	json_decref(live);
	json_decref(si);
	return actor_finish();
}
