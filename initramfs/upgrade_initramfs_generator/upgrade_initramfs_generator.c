/* InterimPreparation: build the upgrade initramfs with dracut (the target userspace's, or the
 * host's in the host-tools mode) for the target kernel of the target userspace, carrying leapp
 * and its interim actors, and install it with that kernel as /boot/{vmlinuz,initramfs}-upgrade.<arch>. */
#include <sys/statvfs.h>

#include "bootlib.h"
#include "facts.h"
#include "leapp/actor.h"

#define FAILED_FLAG "/var/lib/leapp/upgrade-initramfs.failed"

/* The kver to build for: the userspace's newest kernel (TargetUserSpaceInfo says which). */
static char *pick_kver(const char *userspace, json_t *info)
{
	const char *k = json_string_value(json_object_get(info, "kernel_version"));
	if (k) {
		_cleanup_free_ char *vm = xasprintf("%s/lib/modules/%s/vmlinuz", userspace, k);
		if (file_size(vm) > 0)
			return xstrdup(k);
		actor_warning("the target userspace has no %s/vmlinuz: looking for another kernel", k);
	}
	char **v = NULL;
	size_t n = kvers_list(userspace, &v);
	char *r = n ? xstrdup(v[0]) : NULL;
	if (n > 1)
		actor_info("%zu kernels in the target userspace; building for the newest, %s", n, v[0]);
	kvers_free(v);
	return r;
}

/* The kernel's .hmac names the file it covers: name the upgrade kernel instead. */
static void install_hmac(const char *src, const char *dst, const char *kname)
{
	_cleanup_free_ char *d = NULL;
	if (read_file(src, 4096, &d, NULL) < 0)
		return;
	char *sp = strpbrk(d, " \t");
	if (!sp)
		return;
	char *name = sp;
	while (*name == ' ' || *name == '\t')
		name++;
	char *slash = strrchr(name, '/');
	struct buf b = {0};
	buf_append(&b, d, (size_t)(name - d));
	if (slash)
		buf_append(&b, name, (size_t)(slash - name) + 1);
	buf_printf(&b, "%s\n", kname);
	int r = write_file_atomic(dst, b.data, b.len, 0644);
	if (r < 0)
		actor_warning("%s: %s", dst, strerror(-r));
	buf_free(&b);
}

static uint64_t round_block(uint64_t n, uint64_t bs)
{
	return bs ? (n + bs - 1) / bs * bs : n;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	/* live mode (livemode/): the live image and its own initramfs replace the upgrade initramfs */
	json_t *live = actor_consume_last("LiveModeConfig");
	bool live_on = json_is_true(json_object_get(live, "is_enabled"));
	json_decref(live);
	if (live_on) {
		actor_info("live mode is enabled: the live image (prepare_live_image, live_image_generator) replaces the "
			   "upgrade initramfs");
		return actor_finish();
	}
	_cleanup_free_ char *arch = arch_get();
	json_t *info = actor_consume_last("TargetUserSpaceInfo");
	_cleanup_free_ char *userspace = NULL;
	if (json_is_string(json_object_get(info, "path")))
		userspace = xstrdup(json_string_value(json_object_get(info, "path")));
	else {
		json_t *ipu = ipu_config_get();
		int major = ipu_target_major(ipu);
		json_decref(ipu);
		_cleanup_free_ char *rel = xasprintf("/var/lib/leapp/el%duserspace", major);
		userspace = actor_path(rel);
		actor_warning("no TargetUserSpaceInfo: using %s", rel);
	}
	if (!is_dir(userspace))
		actor_error("the target userspace is missing", "%s is not a directory: it is made earlier in InterimPreparation",
			    userspace);
	_cleanup_free_ char *kver = pick_kver(userspace, info);
	if (!kver)
		actor_error("the target userspace has no kernel", "no %s/lib/modules/<kver>/vmlinuz: the target kernel package "
			    "(kernel-core) is installed there for the upgrade initramfs", userspace);
	bool ignored = false;
	bool host = host_dracut_mode(&ignored);
	if (ignored)
		actor_warning("LEAPP_DEVEL_USE_HOST_DRACUT is ignored without LEAPP_UNSUPPORTED=1");

	json_t *mods, *kmods, *files;
	initramfs_tasks_collect("UpgradeInitramfsTasks", &mods, &kmods, &files);
	_cleanup_free_ char *kmoddir = xasprintf("%s/lib/modules/%s", userspace, kver);
	_cleanup_free_ char *area = path_join(userspace, "/var/lib/leapp-initramfs");
	_cleanup_free_ char *payload = path_join(area, "/payload");
	rm_rf(area);
	if (mkdir_p(area, 0700) < 0)
		actor_error("cannot make the initramfs build area", "%s: %s", area, strerror(errno));

	/* kernel modules from files: into the target kernel's tree, then depmod */
	json_t *drivers = json_array();
	bool depmod = false;
	size_t i;
	json_t *x;
	json_array_foreach(kmods, i, x) {
		const char *name = json_string_value(json_object_get(x, "name"));
		const char *src = json_string_value(json_object_get(x, "module_path"));
		json_append_unique_str(drivers, name);
		if (!src)
			continue;
		_cleanup_free_ char *file = NULL;
		int r = dracut_add_kmod_file(kmoddir, src, &file);
		if (r < 0)
			actor_error("cannot add a kernel module to the target kernel", "%s (%s): %s", name, src,
				    r == -EINVAL ? "not a .ko file" : strerror(-r));
		actor_info("kernel module %s: %s installed as extra/leapp/%s", name, src, file);
		depmod = true;
	}
	if (depmod) {
		_cleanup_free_ char *log = path_join(area, "/depmod.log");
		char *err = NULL;
		if (dracut_depmod(host ? NULL : userspace, userspace, kver, log, &err) < 0)
			actor_error("depmod failed for the target kernel", "%s", err);
	}

	/* leapp and the interim actors */
	_cleanup_free_ char *bindir = host ? leapp_bindir() : path_join(userspace, "/usr/bin");
	_cleanup_free_ char *datadir = host ? leapp_datadir() : path_join(userspace, "/usr/share/leapp");
	_cleanup_free_ char *leapp = path_join(bindir, "leapp");
	if (!is_exec(leapp))
		actor_error("there is no leapp to put into the upgrade initramfs",
			    host ? "%s is missing" : "%s is missing: the target release's build of leapp is installed in the "
						    "target userspace (DESIGN.md section 10)", leapp);
	const char *env_dirs = getenv("LEAPP_ACTORS_DIR");
	_cleanup_free_ char *own_actors = path_join(datadir, "actors");
	json_t *interim = payload_stage(payload, bindir, datadir, host && env_dirs && *env_dirs ? env_dirs : own_actors);
	actor_info("payload: leapp from %s, %zu interim actor(s)", bindir, json_array_size(interim));

	/* dracut */
	_cleanup_free_ char *image = xasprintf("%s/initramfs-upgrade.%s.img", area, arch);
	struct dracut_build b = {
		.sysroot = host ? NULL : userspace,
		.area = area,
		.kver = kver,
		.kmoddir = kmoddir,
		.output = image,
		.dracut_modules = mods,
		.drivers = drivers,
		.files = files,
		.payload = payload,
		.hostonly = 0,
		.own_config = true,
		.extra_args = json_object_get(actor_config(), "extra_dracut_args"),
	};
	actor_info("building the upgrade initramfs for %s with %s dracut", kver, host ? "the host's" : "the target userspace's");
	char *err = NULL;
	int r = dracut_build_run(&b, &err);
	actor_info("dracut: %s", b.command);
	if (r < 0)
		actor_error("the upgrade initramfs could not be built", "%s\n(log: %s)", err, b.log_path);
	uint64_t isize = file_size(image);
	_cleanup_free_ char *vmlinuz = path_join(kmoddir, "vmlinuz");
	uint64_t ksize = file_size(vmlinuz);
	actor_info("upgrade initramfs: %.1f MiB in %.1f s; kernel %.1f MiB", isize / 1048576.0, b.seconds, ksize / 1048576.0);

	/* /boot: the new files must fit where the old upgrade files (if any) are */
	_cleanup_free_ char *kdst_rel = xasprintf("/boot/vmlinuz-upgrade.%s", arch);
	_cleanup_free_ char *idst_rel = xasprintf("/boot/initramfs-upgrade.%s.img", arch);
	_cleanup_free_ char *hdst_rel = xasprintf("/boot/.vmlinuz-upgrade.%s.hmac", arch);
	_cleanup_free_ char *kdst = actor_path(kdst_rel), *idst = actor_path(idst_rel), *hdst = actor_path(hdst_rel);
	_cleanup_free_ char *boot = actor_path("/boot");
	struct statvfs sv;
	if (statvfs(boot, &sv) < 0)
		actor_error("cannot check the free space of /boot", "%s: %s", boot, strerror(errno));
	uint64_t bs = sv.f_frsize ? sv.f_frsize : 4096;
	uint64_t avail = (uint64_t)sv.f_bavail * bs;
	uint64_t old = round_block(file_size(kdst), bs) + round_block(file_size(idst), bs);
	uint64_t need = round_block(ksize, bs) + round_block(isize, bs) + bs;
	if (avail + old < need) {
		_cleanup_free_ char *summary = xasprintf(
			"The upgrade kernel (%.1f MiB) and the upgrade initramfs (%.1f MiB) need %.1f MiB in /boot, which has "
			"%.1f MiB free%s. They were not installed, and the upgrade stops before the reboot.",
			ksize / 1048576.0, isize / 1048576.0, need / 1048576.0, (avail + old) / 1048576.0,
			old ? " (counting the earlier upgrade files they replace)" : "");
		json_t *e = report_new("Not enough space in /boot for the upgrade initramfs", summary, "high");
		report_set_key(e, "upgrade-initramfs-boot-space");
		report_add_group(e, "inhibitor");
		report_add_group(e, "boot");
		report_add_group(e, "filesystem");
		_cleanup_free_ char *hint = xasprintf("Free at least %.1f MiB in /boot (for example remove old kernels) and run "
						      "leapp upgrade again.",
						      (need - avail - old) / 1048576.0);
		report_add_hint(e, hint);
		actor_report(e);
		actor_stop_after_phase("the upgrade initramfs does not fit in /boot");
		json_decref(files);
		json_decref(interim);
	} else {
		unlink(kdst);
		unlink(idst);
		unlink(hdst);
		if ((r = copy_file(vmlinuz, kdst, 0755, NULL)) < 0)
			actor_error("cannot install the upgrade kernel", "%s: %s", kdst_rel, strerror(-r));
		if ((r = copy_file(image, idst, 0600, NULL)) < 0) {
			unlink(kdst);
			actor_error("cannot install the upgrade initramfs", "%s: %s", idst_rel, strerror(-r));
		}
		unlink(image);
		_cleanup_free_ char *hsrc = path_join(kmoddir, ".vmlinuz.hmac");
		bool hmac = file_size(hsrc) > 0;
		if (hmac) {
			_cleanup_free_ char *kname = xasprintf("vmlinuz-upgrade.%s", arch);
			install_hmac(hsrc, hdst, kname);
		}

		/* a new attempt: the flag of a failed run in an earlier upgrade initramfs goes */
		_cleanup_free_ char *flag = actor_path(FAILED_FLAG);
		if (unlink(flag) == 0)
			actor_info("removed %s, left by a failed run in an earlier upgrade initramfs", FAILED_FLAG);

		json_t *modnames = json_array(), *drvnames = json_array();
		json_array_foreach(mods, i, x)
			json_array_append(modnames, json_object_get(x, "name"));
		json_array_foreach(drivers, i, x)
			json_array_append(drvnames, x);
		actor_produce("UpgradeBootArtifacts",
			      json_pack("{s:s, s:s, s:s?, s:s, s:s, s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:f}", "kernel", kdst_rel,
					"initramfs", idst_rel, "hmac", hmac ? hdst_rel : NULL, "kver", kver, "arch", arch,
					"kernel_bytes", (json_int_t)ksize, "initramfs_bytes", (json_int_t)isize, "dracut",
					host ? "host" : "userspace", "dracut_modules", modnames, "kernel_modules", drvnames, "files",
					files, "interim_actors", interim, "build_seconds", b.seconds));
		if (host) {
			_cleanup_free_ char *summary = xasprintf(
				"LEAPP_UNSUPPORTED=1 and LEAPP_DEVEL_USE_HOST_DRACUT=1 are set: dracut, its modules and systemd in "
				"the upgrade initramfs come from the machine that runs leapp, not from the target release. The "
				"kernel %s and its modules come from the target kernel package. This mode is for test machines.",
				kver);
			json_t *e = report_new("The upgrade initramfs was built with the host's dracut (unsupported)", summary, "high");
			report_set_key(e, "upgrade-initramfs-host-dracut");
			report_add_group(e, "boot");
			report_add_group(e, "sanity");
			actor_report(e);
		}
	}
	dracut_build_clear(&b);
	json_decref(mods);
	json_decref(kmods);
	json_decref(drivers);
	json_decref(info);
	return actor_finish();
}
