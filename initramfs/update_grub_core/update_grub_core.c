/* Finalization: on BIOS, reinstall GRUB's core image with the upgraded system's grub2-install on
 * every disk GrubInfo names (all RAID1 members: a box booting from either disk must find the new
 * core on both; oamg/leapp#815). The package upgrade replaced GRUB's modules in /boot, and an old
 * core with new modules does not boot (upstream's updategrubcore). */
#include "boot.h"
#include "sys.h"
#include "leapp/actor.h"
#include "fs.h"

static void list_add(char **list, const char *s)
{
	char *n = xasprintf("%s%s%s", *list, **list ? ", " : "", s);
	free(*list);
	*list = n;
}

/* grub2-install on each disk, and one report saying how it went. */
static void grub_core_update(json_t *devs)
{
	int r;
	const char *scratch = actor_scratch_dir();
	_cleanup_free_ char *log = scratch ? xasprintf("%s/grub2-install.log", scratch) : NULL;
	_cleanup_free_ char *ok = xstrdup(""), *failed = xstrdup("");
	size_t i;
	json_t *d;
	json_array_foreach(devs, i, d) {
		const char *dev = json_string_value(d);
		int st = 0;
		r = grub_core_install(actor_root(), dev, log, &st);
		if (r < 0 || st != 0) {
			actor_warning("grub2-install %s: %s", dev, r < 0 ? strerror(-r) : "failed");
			list_add(&failed, dev);
		} else
			list_add(&ok, dev);
	}
	json_t *e;
	if (*failed) {
		_cleanup_free_ char *tail = log ? sys_log_tail(log, 10) : xstrdup("");
		_cleanup_free_ char *summary = xasprintf("%s%s%sgrub2-install failed on %s.%s%s",
							 *ok ? "GRUB's core image was reinstalled on " : "", ok,
							 *ok ? ", but " : "", failed, *tail ? "\nIts last output:\n" : "", tail);
		e = report_new("GRUB core update failed", summary, "high");
		report_add_hint(e, "Run \"grub2-install <disk>\" for each of these disks before the system is rebooted "
				   "again; an old GRUB core with the new modules may not boot.");
	} else {
		_cleanup_free_ char *summary = xasprintf("GRUB's core image on %s was reinstalled by grub2-install.", ok);
		e = report_new("GRUB core successfully updated", summary, "info");
	}
	report_add_group(e, "boot");
	actor_report(e);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ff = actor_consume_last("FirmwareFacts");
	json_t *gi = actor_consume_last("GrubInfo");
	const char *fw = json_string_value(json_object_get(ff, "firmware"));
	json_t *devs = json_object_get(gi, "orig_devices");
	if (fw && !strcmp(fw, "bios") && json_array_size(devs))
		grub_core_update(devs);
	else
		actor_info("nothing to do (%s, %zu GRUB disk(s))", fw ?: "firmware unknown", json_array_size(devs));
	json_decref(ff);
	json_decref(gi);
	return actor_finish();
}
