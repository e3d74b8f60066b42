/* InterimPreparation: build the upgrade initramfs with dracut (the target userspace's, or the
 * host's in the host-tools mode) for the target kernel of the target userspace, carrying leapp
 * and its interim actors, and install it with that kernel as /boot/{vmlinuz,initramfs}-upgrade.<arch>. */
#include "fs.h"
#include "sys.h"
#include "boot.h"
#include "leapp/actor.h"

#define FAILED_FLAG "/var/lib/leapp/upgrade-initramfs.failed"

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
	_cleanup_free_ char *arch = sys_arch_get();
	json_t *info = actor_consume_last("TargetUserSpaceInfo");
	_cleanup_free_ char *userspace = image_userspace_locate(info, "it is made earlier in InterimPreparation");
	_cleanup_free_ char *kver = image_kver_pick(userspace, info);
	if (!kver)
		actor_error("the target userspace has no kernel", "no %s/lib/modules/<kver>/vmlinuz: the target kernel package "
			    "(kernel-core) is installed there for the upgrade initramfs", userspace);
	bool ignored = false;
	bool host = dracut_host_mode(&ignored);
	if (ignored)
		actor_warning("LEAPP_DEVEL_USE_HOST_DRACUT is ignored without LEAPP_UNSUPPORTED=1");

	json_t *mods, *kmods, *files;
	boot_initramfs_tasks_collect("UpgradeInitramfsTasks", &mods, &kmods, &files);
	_cleanup_free_ char *kmoddir = xasprintf("%s/lib/modules/%s", userspace, kver);
	_cleanup_free_ char *area = path_join(userspace, "/var/lib/leapp-initramfs");
	_cleanup_free_ char *payload = path_join(area, "/payload");
	rm_rf(area);
	if (mkdir_p(area, 0700) < 0)
		actor_error("cannot make the initramfs build area", "%s: %s", area, strerror(errno));

	/* kernel modules from files: into the target kernel's tree, then depmod */
	json_t *drivers = image_kmods_install(kmods, kmoddir, host ? NULL : userspace, userspace, kver, area);

	/* leapp and the interim actors */
	_cleanup_free_ char *bindir = NULL;
	json_t *interim = image_payload_stage_leapp(payload, userspace, host, "upgrade initramfs", &bindir);
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
	_cleanup_free_ char *vmlinuz = path_join(kmoddir, "vmlinuz");
	actor_info("upgrade initramfs: %.1f MiB in %.1f s; kernel %.1f MiB", fs_file_size(image) / 1048576.0, b.seconds,
		   fs_file_size(vmlinuz) / 1048576.0);

	struct image_boot_files bf;
	if (!image_boot_files_install(kmoddir, image, arch, "upgrade initramfs", &bf)) {
		json_decref(files);
		json_decref(interim);
	} else {
		unlink(image);
		/* a new attempt: the flag of a failed run in an earlier upgrade initramfs goes */
		_cleanup_free_ char *flag = actor_path(FAILED_FLAG);
		if (unlink(flag) == 0)
			actor_info("removed %s, left by a failed run in an earlier upgrade initramfs", FAILED_FLAG);

		size_t i;
		json_t *x;
		json_t *modnames = json_array(), *drvnames = json_array();
		json_array_foreach(mods, i, x)
			json_array_append(modnames, json_object_get(x, "name"));
		json_array_foreach(drivers, i, x)
			json_array_append(drvnames, x);
		actor_produce("UpgradeBootArtifacts",
			      json_pack("{s:s, s:s, s:s?, s:s, s:s, s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:f}", "kernel", bf.kernel,
					"initramfs", bf.initramfs, "hmac", bf.hmac, "kver", kver, "arch", arch, "kernel_bytes",
					(json_int_t)bf.kernel_bytes, "initramfs_bytes", (json_int_t)bf.initramfs_bytes, "dracut",
					host ? "host" : "userspace", "dracut_modules", modnames, "kernel_modules", drvnames, "files",
					files, "interim_actors", interim, "build_seconds", b.seconds));
		if (host) {
			_cleanup_free_ char *summary = xasprintf(
				"LEAPP_UNSUPPORTED=1 and LEAPP_DEVEL_USE_HOST_DRACUT=1 are set: dracut, its modules and systemd in "
				"the upgrade initramfs come from the machine that runs leapp, not from the target release. The "
				"kernel %s and its modules come from the target kernel package. This mode is for test machines.",
				kver);
			json_t *e = report_new("The upgrade initramfs was built with the host's dracut (unsupported)", summary, "high");
			report_add_group(e, "boot");
			report_add_group(e, "sanity");
			actor_report(e);
		}
		image_boot_files_clear(&bf);
	}
	dracut_build_clear(&b);
	json_decref(mods);
	json_decref(kmods);
	json_decref(drivers);
	json_decref(info);
	return actor_finish();
}
