/* InterimPreparation (live mode): the packages the live system needs in the target userspace,
 * which becomes the live image: dracut's live modules (dracut-live, dracut-squash; dracut-network
 * to fetch the image over the network), systemd and util-linux (agetty, mount) to run it,
 * kexec-tools; NetworkManager, openssh-server and strace when configured; the admin's
 * additional_packages. target_userspace_creator installs them (it runs after this actor: it
 * consumes TargetUserSpaceTasks) and fails naming any the target repositories lack. */
#include "leapp/actor.h"
#include "livelib.h"
#include "boot.h"

static void add(json_t *pkgs, json_t *why, const char *name, const char *reason)
{
	boot_list_add_unique(pkgs, name);
	json_object_set_new(why, name, json_string(reason));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *cfg = live_config_or_finish();
	json_t *pkgs = json_array(), *why = json_object();
	add(pkgs, why, "dracut-live", "dmsquash-live boots the image");
	add(pkgs, why, "dracut-squash", "squashfs support of dracut");
	add(pkgs, why, "systemd", "the live system's init");
	add(pkgs, why, "util-linux", "mount and agetty in the live system");
	add(pkgs, why, "kexec-tools", "debugging tools of the live system");
	if (*live_str(cfg, "url_to_load_squashfs_image_from"))
		add(pkgs, why, "dracut-network", "the image is fetched over the network (livenet)");
	if (live_bool(cfg, "setup_network_manager"))
		add(pkgs, why, "NetworkManager", "setup_network_manager");
	if (*live_str(cfg, "setup_opensshd_using_auth_keys"))
		add(pkgs, why, "openssh-server", "setup_opensshd_using_auth_keys");
	if (*live_str(cfg, "capture_strace_info_into"))
		add(pkgs, why, "strace", "capture_strace_info_into");
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(cfg, "additional_packages"), i, x)
		if (json_is_string(x))
			add(pkgs, why, json_string_value(x), "livemode.additional_packages");
	struct buf b = {0};
	json_array_foreach(pkgs, i, x)
		buf_printf(&b, "%s%s (%s)", i ? ", " : "", json_string_value(x), json_string_value(json_object_get(why, json_string_value(x))));
	actor_info("the live system needs: %s", b.data);
	_cleanup_free_ char *reason = xasprintf("the live image (live mode) needs %s", b.data);
	buf_free(&b);
	actor_produce("TargetUserSpaceTasks", json_pack("{s:o, s:s, s:s}", "packages", pkgs, "reason", reason, "requester",
							 "emit_livemode_userspace_requirements"));
	json_decref(why);
	json_decref(cfg);
	return actor_finish();
}
