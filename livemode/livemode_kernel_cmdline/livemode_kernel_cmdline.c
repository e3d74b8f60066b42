/* FactsCollection (live mode): the arguments the upgrade boot entry needs to boot the live image,
 * as UpgradeKernelCmdlineArgTasks for add_upgrade_boot_entry (the same one-time entry as the
 * upgrade initramfs'). Removed: ro, rhgb, quiet, every rd.lvm.lv= and the old root=. Added: rw
 * (dmsquash-live mounts the image's filesystem read-write), root=live:UUID=<uuid> with
 * rd.live.dir=<dir relative to that filesystem> and rd.live.squashimg=<file>; or, with a URL,
 * root=live:<url>, the dracut_network arguments and rd.neednet=1; upgrade.autostart=0 when the
 * upgrade does not start by itself, upgrade.strace=<file> when it runs under strace. */
#include "leapp/actor.h"
#include "livelib.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *cfg = live_config_or_finish();
	json_t *tasks = live_cmdline_tasks(cfg);
	struct buf b = {0};
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(tasks, "to_add"), i, a) {
		const char *v = json_string_value(json_object_get(a, "value"));
		buf_printf(&b, "%s%s%s%s", b.len ? " " : "", json_string_value(json_object_get(a, "key")), v ? "=" : "", v ? v : "");
	}
	actor_info("the live boot adds: %s", b.len ? b.data : "");
	buf_free(&b);
	actor_produce("UpgradeKernelCmdlineArgTasks", tasks);
	json_decref(cfg);
	return actor_finish();
}
