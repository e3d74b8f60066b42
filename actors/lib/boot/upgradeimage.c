/* What the two ways of booting the upgrade share (upgrade_initramfs_generator, and livemode's
 * prepare_live_image and live_image_generator): the target userspace and its kernel, the kernel
 * modules the tasks add, leapp's payload, and the upgrade kernel and initramfs in /boot. */
#include "boot.h"
#include <sys/statvfs.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

char *image_userspace_locate(json_t *info, const char *use)
{
	char *us;
	if (json_is_string(json_object_get(info, "path")))
		us = xstrdup(json_string_value(json_object_get(info, "path")));
	else {
		json_t *ipu = ipu_config_get();
		_cleanup_free_ char *rel = xasprintf("/var/lib/leapp/el%duserspace", ipu_target_major(ipu));
		json_decref(ipu);
		us = actor_path(rel);
		actor_warning("no TargetUserSpaceInfo: using %s", rel);
	}
	if (!fs_is_dir(us))
		actor_error("the target userspace is missing", "%s is not a directory: %s", us, use);
	return us;
}

char *image_kver_pick(const char *userspace, json_t *info)
{
	const char *k = json_string_value(json_object_get(info, "kernel_version"));
	if (k) {
		_cleanup_free_ char *vm = xasprintf("%s/lib/modules/%s/vmlinuz", userspace, k);
		if (fs_file_size(vm) > 0)
			return xstrdup(k);
		actor_warning("the target userspace has no %s/vmlinuz: looking for another kernel", k);
	}
	char **v = NULL;
	size_t n = boot_kvers_list(userspace, &v);
	char *r = n ? xstrdup(v[0]) : NULL;
	if (n > 1)
		actor_info("%zu kernels in the target userspace; building for the newest, %s", n, v[0]);
	strv_free(v);
	return r;
}

json_t *image_kmods_install(json_t *kmods, const char *kmoddir, const char *sysroot, const char *tree, const char *kver,
		      const char *area)
{
	json_t *drivers = json_array();
	bool depmod = false;
	size_t i;
	json_t *x;
	json_array_foreach(kmods, i, x) {
		const char *name = json_string_value(json_object_get(x, "name"));
		const char *src = json_string_value(json_object_get(x, "module_path"));
		boot_list_add_unique(drivers, name);
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
		if (dracut_depmod(sysroot, tree, kver, log, &err) < 0)
			actor_error("depmod failed for the target kernel", "%s", err);
	}
	return drivers;
}

json_t *image_payload_stage_leapp(const char *payload, const char *userspace, bool host, const char *image,
			    char **ret_bindir)
{
	char *bindir = host ? sys_leapp_bindir() : path_join(userspace, "/usr/bin");
	_cleanup_free_ char *datadir = host ? sys_leapp_datadir() : path_join(userspace, "/usr/share/leapp");
	_cleanup_free_ char *leapp = path_join(bindir, "leapp");
	if (!fs_is_exec(leapp)) {
		_cleanup_free_ char *title = xasprintf("there is no leapp to put into the %s", image);
		actor_error(title, host ? "%s is missing" : "%s is missing: the target release's build of leapp is installed in "
							   "the target userspace (DESIGN.md section 10)", leapp);
	}
	const char *env_dirs = getenv("LEAPP_ACTORS_DIR");
	_cleanup_free_ char *own_actors = path_join(datadir, "actors");
	json_t *interim = image_payload_stage(payload, bindir, datadir, host && env_dirs && *env_dirs ? env_dirs : own_actors);
	*ret_bindir = bindir;
	return interim;
}

static uint64_t round_block(uint64_t n, uint64_t bs)
{
	return bs ? (n + bs - 1) / bs * bs : n;
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

bool image_boot_files_install(const char *kmoddir, const char *initramfs, const char *arch, const char *what,
			      struct image_boot_files *ret)
{
	memset(ret, 0, sizeof(*ret));
	_cleanup_free_ char *vmlinuz = path_join(kmoddir, "vmlinuz");
	uint64_t ksize = fs_file_size(vmlinuz), isize = fs_file_size(initramfs);
	if (!ksize)
		actor_error("the target kernel is missing", "%s", vmlinuz);
	_cleanup_free_ char *kdst_rel = xasprintf("/boot/vmlinuz-upgrade.%s", arch);
	_cleanup_free_ char *idst_rel = xasprintf("/boot/initramfs-upgrade.%s.img", arch);
	_cleanup_free_ char *hdst_rel = xasprintf("/boot/.vmlinuz-upgrade.%s.hmac", arch);
	_cleanup_free_ char *kdst = actor_path(kdst_rel), *idst = actor_path(idst_rel), *hdst = actor_path(hdst_rel);
	_cleanup_free_ char *boot = actor_path("/boot");

	/* the new files must fit where the old upgrade files (if any) are */
	struct statvfs sv;
	if (statvfs(boot, &sv) < 0)
		actor_error("cannot check the free space of /boot", "%s: %s", boot, strerror(errno));
	uint64_t bs = sv.f_frsize ? sv.f_frsize : 4096;
	uint64_t avail = (uint64_t)sv.f_bavail * bs;
	uint64_t old = round_block(fs_file_size(kdst), bs) + round_block(fs_file_size(idst), bs);
	uint64_t need = round_block(ksize, bs) + round_block(isize, bs) + bs;
	if (avail + old < need) {
		_cleanup_free_ char *summary = xasprintf(
			"The upgrade kernel (%.1f MiB) and the %s (%.1f MiB) need %.1f MiB in /boot, which has %.1f MiB free%s. "
			"They were not installed, and the upgrade stops before the reboot.",
			ksize / 1048576.0, what, isize / 1048576.0, need / 1048576.0, (avail + old) / 1048576.0,
			old ? " (counting the earlier upgrade files they replace)" : "");
		_cleanup_free_ char *title = xasprintf("Not enough space in /boot for the %s", what);
		json_t *e = report_new(title, summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "boot");
		report_add_group(e, "filesystem");
		_cleanup_free_ char *hint = xasprintf("Free at least %.1f MiB in /boot (for example remove old kernels) and run "
						      "leapp upgrade again.",
						      (need - avail - old) / 1048576.0);
		report_add_hint(e, hint);
		actor_report(e);
		_cleanup_free_ char *why = xasprintf("the %s does not fit in /boot", what);
		actor_stop_after_phase(why);
		return false;
	}
	unlink(kdst);
	unlink(idst);
	unlink(hdst);
	int r;
	if ((r = fs_copy_file(vmlinuz, kdst, 0755, NULL)) < 0)
		actor_error("cannot install the upgrade kernel", "%s: %s", kdst_rel, strerror(-r));
	if ((r = fs_copy_file(initramfs, idst, 0600, NULL)) < 0) {
		unlink(kdst);
		actor_error("cannot install the upgrade image's initramfs", "%s (the %s): %s", idst_rel, what, strerror(-r));
	}
	_cleanup_free_ char *hsrc = path_join(kmoddir, ".vmlinuz.hmac");
	if (fs_file_size(hsrc) > 0) {
		_cleanup_free_ char *kname = xasprintf("vmlinuz-upgrade.%s", arch);
		install_hmac(hsrc, hdst, kname);
		ret->hmac = TAKE_PTR(hdst_rel);
	}
	ret->kernel = TAKE_PTR(kdst_rel);
	ret->initramfs = TAKE_PTR(idst_rel);
	ret->kernel_bytes = ksize;
	ret->initramfs_bytes = isize;
	return true;
}

void image_boot_files_clear(struct image_boot_files *f)
{
	free(f->kernel);
	free(f->initramfs);
	free(f->hmac);
	memset(f, 0, sizeof(*f));
}
