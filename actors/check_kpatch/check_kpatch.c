/* Checks: kernel live patches (upstream check_kpatch). A kpatch-patch package is built for one
 * release 8 kernel and a loaded live patch lives in the running kernel only: neither applies
 * to release 9's kernel. Upstream carries the kpatch-dnf plugin into its dnf container so that
 * dnf installs patches for the new kernel; this upgrade does not run dnf, so the report says
 * what the admin does instead. Loaded patches: /sys/kernel/livepatch under --root. */
#include <dirent.h>

#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *rpms = actor_consume_last("InstalledRPM");
	json_t *ipu = ipu_config_get();
	struct buf pkgs = {0}, loaded = {0};
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(rpms, "items"), i, p) {
		const char *n = json_string_value(json_object_get(p, "name")) ?: "";
		if (!strncmp(n, "kpatch-patch", 12))
			buf_printf(&pkgs, "\n- %s-%s-%s", n, json_string_value(json_object_get(p, "version")),
				   json_string_value(json_object_get(p, "release")));
	}
	_cleanup_free_ char *lp = actor_path("/sys/kernel/livepatch");
	struct dirent **ents = NULL;
	int n = scandir(lp, &ents, NULL, alphasort);
	for (int k = 0; k < n; k++) {
		if (ents[k]->d_name[0] != '.')
			buf_printf(&loaded, "\n- %s", ents[k]->d_name);
		free(ents[k]);
	}
	free(ents);
	if ((pkgs.len || loaded.len) && ipu_target_major(ipu) > ipu_source_major(ipu)) {
		buf_append(&pkgs, "", 0);
		buf_append(&loaded, "", 0);
		bool plugin = fact_installed_rpm_has(rpms, "kpatch-dnf");
		_cleanup_free_ char *summary = xasprintf(
			"Kernel live patches are built for one kernel and do not apply to release %d's kernel that the upgrade "
			"boots: the security fixes they carry are in effect only until the reboot.%s%s%s%s%s",
			ipu_target_major(ipu), pkgs.len > 1 ? " Live patch packages for the old kernels (left installed):" : "",
			pkgs.data, loaded.len > 1 ? "\nLive patches loaded now:" : "", loaded.data,
			plugin ? "\nThe kpatch-dnf plugin is installed: dnf installs the live patches for the new kernel at its "
				 "first run after the upgrade." : "");
		json_t *e = report_new("Kernel live patches will not apply to the new kernel", summary, "medium");
		report_add_group(e, "kernel");
		report_add_hint(e, "After the upgrade, install the live patches of the new kernel (dnf install "
				   "\"kpatch-patch = $(uname -r)\") and remove the old kpatch-patch packages.");
		report_add_resource(e, "package", "kpatch");
		actor_report(e);
	}
	buf_free(&pkgs);
	buf_free(&loaded);
	json_decref(rpms);
	json_decref(ipu);
	return actor_finish();
}
