/* FactsCollection (live mode, LEAPP_UNSUPPORTED=1 and --enable-experimental-feature livemode):
 * the livemode section of /etc/leapp/actor_conf.d, as the broker validated it against this
 * actor's schema (types, dracut_network's ip=, a URL's dracut_network, the authorized_keys file,
 * the seed's names as aliases), checked further here, with the filesystem that will hold the
 * squashfs image found from StorageInfo. Produces LiveModeConfig. */
#include <sys/utsname.h>

#include "leapp/actor.h"
#include "livelib.h"

static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	_cleanup_free_ char *copy = xstrdup(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	char *save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		_cleanup_free_ char *p = path_join(d, name);
		if (access(p, X_OK) == 0)
			return true;
	}
	return false;
}

/* a URL dracut's livenet can fetch: http, https, ftp, tftp, or nfs */
static bool url_ok(const char *u)
{
	static const char *const schemes[] = {"http://", "https://", "ftp://", "tftp://", "nfs:", "nfs4:"};
	for (size_t i = 0; i < ELEMENTSOF(schemes); i++)
		if (str_startswith(u, schemes[i]) && u[strlen(schemes[i])])
			return !strpbrk(u, " \t\n\"'");
	return false;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *conf = actor_config();

	/* the machine that runs leapp makes the image */
	if (!in_path("mksquashfs"))
		actor_error("mksquashfs is not installed: live mode needs squashfs-tools",
			    "live mode packs the target userspace into a squashfs image with mksquashfs, which is not in "
			    "PATH. Install the squashfs-tools package (dnf install squashfs-tools) and run leapp again.");
	json_t *ipu = actor_consume_last("IPUConfig");
	const char *arch = json_string_value(json_object_get(ipu, "architecture"));
	struct utsname u;
	if (!arch && uname(&u) == 0)
		arch = u.machine;
	if (arch && strcmp(arch, "x86_64"))
		actor_error("live mode is available on x86_64 only", "the architecture is %s", arch);

	/* (the broker fills the defaults; run alone, the actor does) */
	const char *image = json_string_value(json_object_get(conf, "squashfs_image_path"));
	if (!image)
		image = "/var/lib/leapp/live-upgrade.img";
	json_t *autostart = json_object_get(conf, "autostart_upgrade_after_reboot");
	if (!live_path_clean(image) || !str_startswith(image, LIVE_IMAGE_DIR) || strlen(image) <= strlen(LIVE_IMAGE_DIR))
		actor_error("livemode.squashfs_image_path must be a file below /var/lib/leapp",
			    "'%s': the image is made before the reboot, when only leapp's own directory (/var/lib/leapp) "
			    "is writable",
			    image);
	if (str_startswith(image, "/var/lib/leapp/el") && strstr(image, "userspace"))
		actor_error("livemode.squashfs_image_path must not be inside the target userspace",
			    "'%s': the image is made from /var/lib/leapp/el<N>userspace", image);
	char *err = NULL;
	json_t *pkgs = live_packages_parse(json_object_get(conf, "additional_packages"), &err);
	if (!pkgs)
		actor_error("livemode.additional_packages is not a list of packages", "%s", err);
	const char *url = live_str(conf, "url_to_load_squashfs_image_from");
	if (*url && !url_ok(url))
		actor_error("livemode.url_to_load_squashfs_image_from is not a URL dracut can fetch",
			    "'%s': use http://, https://, ftp://, tftp:// or nfs:", url);
	const char *keys = live_str(conf, "setup_opensshd_using_auth_keys");
	if (*keys) {
		_cleanup_free_ char *kp = actor_path(keys);
		if (keys[0] != '/' || access(kp, R_OK) < 0)
			actor_error("livemode.setup_opensshd_using_auth_keys names no readable file",
				    "'%s': an absolute path on the system: the authorized_keys for root in the live system", keys);
	}
	const char *strace = live_str(conf, "capture_strace_info_into");
	if (*strace && !live_path_clean(strace))
		actor_error("livemode.capture_strace_info_into must be an absolute path",
			    "'%s': the file on the system that strace writes into", strace);

	/* the filesystem that holds the image: dmsquash-live finds it by UUID */
	json_t *storage = actor_consume_last("StorageInfo");
	json_t *fs = NULL;
	if (storage)
		fs = live_image_filesystem(storage, image, !strcmp(actor_root(), "/"), &err);
	else
		err = xstrdup("no StorageInfo (storage_scanner did not run)");
	if (fs && !json_is_string(json_object_get(fs, "uuid"))) {
		free(err);
		err = xasprintf("the UUID of %s (%s, holding %s) is unknown", live_str(fs, "mountpoint"), live_str(fs, "source"),
				image);
	}
	if (err && !*url)
		actor_error("cannot boot the live image from the local disk", "%s. Put the image on a local xfs, ext4, ext3 or "
			    "vfat filesystem with a UUID (livemode.squashfs_image_path), or serve it over the network "
			    "(livemode.url_to_load_squashfs_image_from).", err);
	if (err)
		actor_info("the image is fetched from %s; its local filesystem: %s", url, err);
	else
		actor_info("the image %s is on %s (UUID %s) as %s/%s", image, live_str(fs, "mountpoint"), live_str(fs, "uuid"),
			   live_str(fs, "dir"), live_str(fs, "file"));
	free(err);

	json_t *cfg = json_pack("{s:b, s:s, s:o, s:b, s:b, s:s, s:s, s:b, s:s, s:s, s:o}", "is_enabled", 1,
				"squashfs_image_path", image, "additional_packages", pkgs, "autostart_upgrade_after_reboot",
				!autostart || json_is_true(autostart), "setup_network_manager",
				live_bool(conf, "setup_network_manager"), "dracut_network", live_str(conf, "dracut_network"),
				"url_to_load_squashfs_image_from", url, "setup_passwordless_root",
				live_bool(conf, "setup_passwordless_root"), "setup_opensshd_using_auth_keys", keys,
				"capture_strace_info_into", strace, "image_filesystem", fs ? fs : json_null());
	actor_produce("LiveModeConfig", cfg);
	json_decref(ipu);
	json_decref(storage);
	return actor_finish();
}
