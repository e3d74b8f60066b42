/* InterimPreparation (live mode), after prepare_live_image: squash the prepared target userspace
 * into the image (mksquashfs, leaving out caches and the build areas), then install the target
 * kernel and the live initramfs as /boot/vmlinuz-upgrade.<arch> and initramfs-upgrade.<arch>.img,
 * the files the upgrade boot entry boots (UpgradeBootArtifacts, as upgrade_initramfs_generator
 * would): add_upgrade_boot_entry adds the same one-time entry, with the live arguments. Nothing
 * goes into /boot unless the image was made, so a failure leaves no entry that cannot boot. */
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "boot.h"
#include "leapp/actor.h"
#include "livelib.h"
#include "fs.h"
#include "sys.h"

/* relative to the userspace (mksquashfs -wildcards -e): caches, temporary files, the build
 * areas of the initramfs and the live image, /boot (the live system mounts the system's) */
static const char *const excluded[] = {"var/cache/*", "var/tmp/*", "tmp/*", "boot/*", "var/lib/leapp-initramfs",
				       "var/lib/leapp-liveimage"};

/* mksquashfs USERSPACE TMP ...; the image renamed into place. Returns its size. */
static uint64_t squash(const char *us, const char *image_rel, double *ret_seconds)
{
	_cleanup_free_ char *image = actor_path(image_rel);
	_cleanup_free_ char *tmp = xasprintf("%s.tmp", image);
	_cleanup_free_ char *dir = xstrdup(image);
	*strrchr(dir, '/') = 0;
	int r = mkdir_p(dir, 0700);
	if (r < 0)
		actor_error("cannot make the live image's directory", "%s: %s", dir, strerror(-r));
	unlink(tmp);
	json_t *extra = json_object_get(actor_config(), "mksquashfs_args");
	size_t n = 0, cap = 16 + ELEMENTSOF(excluded) + json_array_size(extra);
	const char **argv = xcalloc(cap, sizeof(char *));
	argv[n++] = "mksquashfs";
	argv[n++] = us;
	argv[n++] = tmp;
	argv[n++] = "-noappend";
	argv[n++] = "-no-progress";
	size_t i;
	json_t *x;
	json_array_foreach(extra, i, x)
		if (json_is_string(x))
			argv[n++] = json_string_value(x);
	argv[n++] = "-wildcards";
	argv[n++] = "-e";
	for (i = 0; i < ELEMENTSOF(excluded); i++)
		argv[n++] = excluded[i];
	argv[n] = NULL;
	_cleanup_free_ char *cmd = sys_argv_to_string(argv);
	_cleanup_free_ char *log = sys_scratch_log("mksquashfs");
	unlink(log);
	actor_info("%s", cmd);
	double t0 = now_monotonic();
	int st = 0;
	r = sys_command_run(&(struct sys_run_opts){.argv = argv, .log_path = log}, &st);
	*ret_seconds = now_monotonic() - t0;
	free(argv);
	if (r == -ENOENT)
		actor_error("mksquashfs is not installed: live mode needs squashfs-tools", "install squashfs-tools");
	if (r < 0 || st != 0) {
		_cleanup_free_ char *tail = sys_log_tail(log, 15);
		uint64_t total = 0, avail = 0;
		struct statvfs sv;
		if (statvfs(dir, &sv) == 0) {
			total = (uint64_t)sv.f_blocks * sv.f_frsize;
			avail = (uint64_t)sv.f_bavail * sv.f_frsize;
		}
		unlink(tmp);
		actor_error("the live image could not be made", "%s: %s (%.0f of %.0f MiB free in %s)\n%s", cmd,
			    r < 0 ? strerror(-r) : "mksquashfs failed", avail / 1048576.0, total / 1048576.0, dir, tail);
	}
	/* root's only: it holds the live system's authorized_keys and configuration */
	if (chmod(tmp, 0600) < 0 || rename(tmp, image) < 0)
		actor_error("cannot move the live image into place", "%s: %s", image, strerror(errno));
	return fs_file_size(image);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *cfg = live_config_or_finish();
	json_t *prep = actor_consume_last("LiveImagePreparationInfo");
	if (!prep) {
		/* prepare_live_image failed (and said why) or did not run: no image, nothing in /boot,
		 * so no boot entry either */
		actor_warning("no LiveImagePreparationInfo (prepare_live_image did not run or failed): no live image");
		json_decref(cfg);
		return actor_finish();
	}
	const char *us = json_string_value(json_object_get(prep, "userspace"));
	const char *initramfs = json_string_value(json_object_get(prep, "initramfs"));
	const char *kver = json_string_value(json_object_get(prep, "kver"));
	const char *arch = json_string_value(json_object_get(prep, "arch"));
	const char *image_rel = live_str(cfg, "squashfs_image_path");
	if (!us || !initramfs || !kver || !arch || !fs_is_dir(us) || fs_file_size(initramfs) == 0)
		actor_error("the prepared live system is incomplete", "userspace %s, initramfs %s", us ? us : "?",
			    initramfs ? initramfs : "?");

	double seconds = 0;
	uint64_t size = squash(us, image_rel, &seconds);
	actor_info("live image %s: %.1f MiB in %.1f s", image_rel, size / 1048576.0, seconds);
	json_t *ex = json_array();
	for (size_t i = 0; i < ELEMENTSOF(excluded); i++)
		json_array_append_new(ex, json_string(excluded[i]));
	actor_produce("LiveModeArtifacts", json_pack("{s:s, s:I, s:o, s:f}", "squashfs_path", image_rel, "size_bytes",
						     (json_int_t)size, "excluded", ex, "build_seconds", seconds));

	/* /boot: the kernel and the live initramfs, where the old upgrade files (if any) are */
	_cleanup_free_ char *kmoddir = xasprintf("%s/lib/modules/%s", us, kver);
	struct image_boot_files bf;
	if (image_boot_files_install(kmoddir, initramfs, arch, "live initramfs", &bf)) {
		/* a new attempt: the flag of a failed run in an earlier upgrade boot goes */
		_cleanup_free_ char *flag = actor_path(LIVE_FAILED_FLAG);
		if (unlink(flag) == 0)
			actor_info("removed %s, left by a failed run of an earlier attempt", LIVE_FAILED_FLAG);
		actor_produce("UpgradeBootArtifacts",
			      json_pack("{s:s, s:s, s:s?, s:s, s:s, s:I, s:I, s:O, s:O, s:O, s:O, s:O, s:O}", "kernel",
					bf.kernel, "initramfs", bf.initramfs, "hmac", bf.hmac, "kver", kver, "arch", arch,
					"kernel_bytes", (json_int_t)bf.kernel_bytes, "initramfs_bytes", (json_int_t)bf.initramfs_bytes, "dracut",
					json_object_get(prep, "dracut"), "dracut_modules", json_object_get(prep, "dracut_modules"),
					"kernel_modules", json_object_get(prep, "kernel_modules"), "files",
					json_object_get(prep, "files"), "interim_actors", json_object_get(prep, "interim_actors"),
					"build_seconds", json_object_get(prep, "dracut_seconds")));
		actor_info("installed %s and %s (the live initramfs, %.1f MiB)", bf.kernel, bf.initramfs,
			   bf.initramfs_bytes / 1048576.0);
		image_boot_files_clear(&bf);
	}
	json_decref(prep);
	json_decref(cfg);
	return actor_finish();
}
