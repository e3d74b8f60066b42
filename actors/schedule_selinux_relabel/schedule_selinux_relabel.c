/* Finalization: the RPM transaction ran without librpm's SELinux plugin (and in an initramfs
 * booted with enforcing=0), so the files it wrote carry no labels, or the old policy's. Unless
 * SELinux is disabled (SELinuxFacts, from the source system's configuration and kernel command
 * line, and the upgraded /etc/selinux/config), /.autorelabel makes the first boot relabel the
 * whole filesystem with the new policy (selinux-autorelabel), then reboot. Safe to run twice. */
#include <strings.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *facts = actor_consume_last("SELinuxFacts");
	const char *mode = json_string_value(json_object_get(facts, "mode"));
	const char *why = NULL;
	if (!facts)
		why = "there are no SELinux facts (selinux_scanner did not run)";
	else if (!mode || !strcmp(mode, "disabled"))
		why = json_string_value(json_object_get(facts, "cmdline_override"))
			      ? "SELinux is disabled on the kernel command line (selinux=0)"
			      : "SELinux is disabled in /etc/selinux/config";
	/* the upgraded configuration has the last word: a package may have replaced it */
	_cleanup_free_ char *data = NULL;
	size_t len;
	if (!why && fs_root_read("/etc/selinux/config", 1u << 20, &data, &len) == 0) {
		json_t *cfg = os_release_parse(data, len);
		const char *m = json_string_value(json_object_get(cfg, "SELINUX"));
		if (m && !strcasecmp(m, "disabled"))
			why = "the upgraded /etc/selinux/config disables SELinux";
		json_decref(cfg);
	}
	if (why) {
		actor_info("no SELinux relabel: %s", why);
		json_decref(facts);
		return actor_finish();
	}
	_cleanup_free_ char *p = actor_path("/.autorelabel");
	int r = write_file_atomic(p, "", 0, 0644);
	if (r < 0)
		actor_error("cannot schedule the SELinux relabel", "/.autorelabel: %s", strerror(-r));
	actor_info("SELinux is %s: /.autorelabel written, the first boot relabels the filesystem", mode);
	json_t *e = report_new("SELinux relabeling has been scheduled",
			       "SELinux is not disabled, so the whole filesystem is relabelled with the new policy on the "
			       "first boot of the upgraded system, as /.autorelabel asks. The relabel reboots the system once "
			       "more and can take a while on large filesystems.",
			       "info");
	report_add_group(e, "selinux");
	report_add_resource(e, "file", "/.autorelabel");
	actor_report(e);
	json_decref(facts);
	return actor_finish();
}
