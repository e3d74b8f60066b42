/* FactsCollection: the upgrade initramfs needs leapp's two dracut modules (sys-upgrade and
 * sys-upgrade-redhat, from the data directory) and, in the target userspace, the target kernel
 * and the tools dracut builds the image from. With host dracut (LEAPP_UNSUPPORTED=1
 * LEAPP_DEVEL_USE_HOST_DRACUT=1) only the kernel: dracut and systemd then come from the host. */
#include "fs.h"
#include "sys.h"
#include "boot.h"
#include "leapp/actor.h"

/* what a systemd initramfs is built from in the target release (dracut's own dependencies
 * come with it) */
static const char *const userspace_tools[] = {"dracut", "systemd", "systemd-udev", "kmod", "util-linux",
					      "bash", "kbd", "e2fsprogs", "xfsprogs"};

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	_cleanup_free_ char *data = sys_leapp_datadir();
	_cleanup_free_ char *mods = path_join(data, "/dracut/modules.d");
	static const char *const ours[][2] = {{"sys-upgrade", "90sys-upgrade"}, {"sys-upgrade-redhat", "85sys-upgrade-redhat"}};
	json_t *list = json_array();
	for (size_t i = 0; i < ELEMENTSOF(ours); i++) {
		_cleanup_free_ char *p = xasprintf("%s/%s", mods, ours[i][1]);
		if (!fs_is_dir(p))
			actor_error("leapp's dracut modules are missing", "%s is not a directory (data directory %s)", p, data);
		json_array_append_new(list, json_pack("{s:s, s:s}", "name", ours[i][0], "module_path", p));
	}
	actor_produce("UpgradeInitramfsTasks", json_pack("{s:o}", "include_dracut_modules", list));

	bool ignored = false;
	bool host = dracut_host_mode(&ignored);
	if (ignored)
		actor_warning("LEAPP_DEVEL_USE_HOST_DRACUT is ignored without LEAPP_UNSUPPORTED=1");
	json_t *pkgs = json_pack("[s]", "kernel-core");
	if (!host)
		for (size_t i = 0; i < ELEMENTSOF(userspace_tools); i++)
			json_array_append_new(pkgs, json_string(userspace_tools[i]));
	actor_info("the upgrade initramfs asks for %zu package(s) in the target userspace%s", json_array_size(pkgs),
		   host ? " (host dracut: only the kernel)" : "");
	actor_produce("TargetUserSpaceTasks",
		      json_pack("{s:o, s:s, s:s}", "packages", pkgs, "reason",
				host ? "the upgrade initramfs is built for the target kernel (dracut from the host)"
				     : "the upgrade initramfs is built with the target release's dracut for the target kernel",
				"requester", "common_leapp_dracut_modules"));
	return actor_finish();
}
