/* Finalization: the kernel the RPM transaction installed must boot. Its /boot/vmlinuz-<kver>
 * (copied from /lib/modules/<kver>/vmlinuz, as kernel-install does) and its initramfs are
 * checked; what the kernel package's scriptlets did not make is made here, with a warning in
 * the report. The initramfs is built with the upgraded system's dracut (chrooted, its own
 * configuration), or the host's in the host-tools mode; TargetInitramfsTasks make it rebuilt
 * with their modules and files even when the scriptlets made one. */
#include "fs.h"
#include "boot.h"
#include "leapp/actor.h"

static bool in_list(char **v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* The target kernel: the one the upgrade initramfs was built for when it is installed now,
 * else the newest kernel that the source system did not have. */
static char *pick_kver(const char *root, json_t *art, json_t *kinfo)
{
	char **have = NULL;
	size_t n = boot_kvers_list(root, &have);
	const char *want = json_string_value(json_object_get(art, "kver"));
	char *r = NULL;
	if (want && in_list(have, want))
		r = xstrdup(want);
	for (size_t i = 0; i < n && !r; i++) {
		bool old = false;
		size_t k;
		json_t *p;
		json_array_foreach(json_object_get(kinfo, "installed"), k, p)
			old |= !strcmp(json_string_value(json_object_get(p, "uname_r")) ?: "", have[i]);
		old |= !strcmp(json_string_value(json_object_get(kinfo, "running")) ?: "", have[i]);
		if (!old)
			r = xstrdup(have[i]);
	}
	strv_free(have);
	return r;
}

static void warn_report(const char *title, const char *summary)
{
	json_t *e = report_new(title, summary, "medium");
	report_add_group(e, "boot");
	actor_report(e);
}

/* The kernel image, System.map and config in /boot, copied from kmoddir when the kernel package
 * did not put them there (with a warning). Returns whether it did. */
static bool install_kernel_files(const char *root, const char *kver, const char *kmoddir, const char *modrel,
				 const char *krel)
{
	_cleanup_free_ char *kfile = actor_path(krel);
	if (fs_file_size(kfile) != 0)
		return false;
	static const char *const files[][3] = {{"vmlinuz", "vmlinuz-", "0755"},
					       {"System.map", "System.map-", "0644"},
					       {"config", "config-", "0644"},
					       {".vmlinuz.hmac", ".vmlinuz-", "0644"}};
	for (size_t i = 0; i < ELEMENTSOF(files); i++) {
		_cleanup_free_ char *src = xasprintf("%s/%s", kmoddir, files[i][0]);
		_cleanup_free_ char *dst = i == 3 ? xasprintf("%s/boot/.vmlinuz-%s.hmac", strcmp(root, "/") ? root : "", kver)
						  : xasprintf("%s/boot/%s%s", strcmp(root, "/") ? root : "", files[i][1], kver);
		if (fs_file_size(src) == 0)
			continue;
		int r = fs_copy_file(src, dst, (mode_t)strtol(files[i][2], NULL, 8), NULL);
		if (r < 0)
			actor_error("cannot install the target kernel in /boot", "%s: %s", dst, strerror(-r));
	}
	_cleanup_free_ char *s = xasprintf("The target kernel package did not install %s (its scriptlets run "
					   "kernel-install, which puts it there): it was copied from %s/vmlinuz.",
					   krel, modrel);
	warn_report("The target kernel was missing from /boot", s);
	return true;
}

/* the host-tools mode where there is no host: leapp runs inside an upgrade initramfs (a VM test)
 * that carries no dracut. Test machines only: say so, do not fail. */
static void report_no_host_dracut(const char *irel, bool missing, const char *kver)
{
	_cleanup_free_ char *s = xasprintf(
		"LEAPP_DEVEL_USE_HOST_DRACUT=1 asks for the host's dracut, but there is none where leapp runs now "
		"(inside the upgrade initramfs): %s %s (dracut -f --kver %s on the upgraded system).", irel,
		missing ? "was not built, and the target kernel will not boot until it is"
			: "was not rebuilt with what TargetInitramfsTasks ask for",
		kver);
	json_t *e = report_new("The target kernel's initramfs could not be built (no host dracut)", s, "high");
	report_add_group(e, "boot");
	const char *const cmd[] = {"dracut", "-f", "--kver", kver, NULL};
	report_add_command(e, cmd);
	actor_report(e);
}

/* the kernel modules the tasks ask for, into the target kernel (depmod when any came from a
 * file); returns the driver names for dracut */
static json_t *add_kmods(json_t *kmods, const char *kmoddir, const char *sysroot, const char *root, const char *kver,
			 const char *area)
{
	json_t *drivers = json_array();
	size_t i;
	json_t *x;
	bool depmod = false;
	json_array_foreach(kmods, i, x) {
		const char *src = json_string_value(json_object_get(x, "module_path"));
		boot_list_add_unique(drivers, json_string_value(json_object_get(x, "name")));
		_cleanup_free_ char *file = NULL;
		int r;
		if (src && (r = dracut_add_kmod_file(kmoddir, src, &file)) < 0)
			actor_error("cannot add a kernel module to the target kernel", "%s: %s", src,
				    r == -EINVAL ? "not a .ko file" : strerror(-r));
		depmod |= src != NULL;
	}
	mkdir_p(area, 0700);
	if (depmod) {
		_cleanup_free_ char *log = path_join(area, "/depmod.log");
		char *err = NULL;
		if (dracut_depmod(sysroot, root, kver, log, &err) < 0)
			actor_error("depmod failed for the target kernel", "%s", err);
	}
	return drivers;
}

/* The initramfs built with the upgraded system's dracut (or the host's) and installed as irel. */
static void build_initramfs(const char *root, const char *kver, const char *kmoddir, bool host, const char *irel,
			    json_t *mods, json_t *kmods, json_t *files)
{
	const char *sysroot = host ? NULL : root;
	if (!host && !strcmp(root, "/"))
		sysroot = NULL; /* the upgraded system is the one we run in: its dracut, no chroot */
	if (!host && !dracut_find(root))
		actor_error("the upgraded system has no dracut", "dracut is not installed in %s: the target initramfs "
			    "cannot be built", root);
	_cleanup_free_ char *area = actor_path("/var/lib/leapp/target-initramfs");
	json_t *drivers = add_kmods(kmods, kmoddir, sysroot, root, kver, area);
	_cleanup_free_ char *image = xasprintf("%s/initramfs-%s.img", area, kver);
	struct dracut_build b = {
		.sysroot = sysroot,
		.area = area,
		.kver = kver,
		.kmoddir = kmoddir,
		.output = image,
		.dracut_modules = mods,
		.drivers = drivers,
		.files = files,
		/* the host knows nothing of the upgraded machine: a generic image, its own settings */
		.hostonly = host ? 0 : -1,
		.own_config = host,
		.extra_args = json_object_get(actor_config(), "extra_dracut_args"),
	};
	actor_info("building the initramfs of %s with %s", kver, host ? "the host's dracut" : "the upgraded system's dracut");
	char *err = NULL;
	int r = dracut_build_run(&b, &err);
	actor_info("dracut: %s", b.command);
	if (r < 0)
		actor_error("the target initramfs could not be built", "%s\n(log: %s)", err, b.log_path);
	_cleanup_free_ char *ifile = actor_path(irel);
	if ((r = fs_copy_file(image, ifile, 0600, NULL)) < 0)
		actor_error("cannot install the target initramfs", "%s: %s", irel, strerror(-r));
	unlink(image);
	actor_info("%s: %.1f MiB in %.1f s", irel, fs_file_size(ifile) / 1048576.0, b.seconds);
	dracut_build_clear(&b);
	json_decref(drivers);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	const char *root = actor_root();
	json_t *art = actor_consume_last("UpgradeBootArtifacts");
	json_t *kinfo = actor_consume_last("KernelInfo");
	_cleanup_free_ char *kver = pick_kver(root, art, kinfo);
	if (!kver)
		actor_error("the target kernel is not installed", "no /lib/modules/<kver>/vmlinuz besides the source system's "
			    "kernels: the RPM transaction installs the target kernel package");
	bool host = dracut_host_mode(NULL);
	_cleanup_free_ char *modrel = xasprintf("/lib/modules/%s", kver);
	_cleanup_free_ char *kmoddir = actor_path(modrel);
	_cleanup_free_ char *krel = xasprintf("/boot/vmlinuz-%s", kver);
	bool copied = install_kernel_files(root, kver, kmoddir, modrel, krel);

	/* the initramfs */
	json_t *mods, *kmods, *files;
	boot_initramfs_tasks_collect("TargetInitramfsTasks", &mods, &kmods, &files);
	bool tasks = json_array_size(mods) || json_array_size(kmods) || json_array_size(files);
	_cleanup_free_ char *irel = xasprintf("/boot/initramfs-%s.img", kver);
	_cleanup_free_ char *ifile = actor_path(irel);
	bool missing = fs_file_size(ifile) == 0;
	bool built = false;
	const char *how = "none";
	if ((missing || tasks) && host && !dracut_find("/"))
		report_no_host_dracut(irel, missing, kver);
	else if (missing || tasks) {
		build_initramfs(root, kver, kmoddir, host, irel, mods, kmods, files);
		built = true;
		how = host ? "host" : "system";
		if (missing) {
			_cleanup_free_ char *s = xasprintf("The target kernel package did not make %s (its scriptlets run "
							   "kernel-install, which builds it): it was built with %s.",
							   irel, host ? "the host's dracut (LEAPP_DEVEL_USE_HOST_DRACUT=1)" : "dracut");
			warn_report("The target kernel's initramfs was missing", s);
		}
	} else
		actor_info("%s is there (made by the kernel package's scriptlets)", irel);

	actor_produce("TargetKernelBoot", json_pack("{s:s, s:s, s:s, s:b, s:b, s:s}", "kver", kver, "kernel", krel, "initramfs",
						    irel, "initramfs_built", built, "kernel_copied", copied, "dracut", how));
	json_decref(mods);
	json_decref(kmods);
	json_decref(files);
	json_decref(art);
	json_decref(kinfo);
	return actor_finish();
}
