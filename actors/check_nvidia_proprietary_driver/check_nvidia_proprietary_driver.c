/* Checks: the NVIDIA proprietary driver is built for the running kernel and blacklists nouveau;
 * after the upgrade the new kernel cannot load it and nouveau stays blacklisted, so the machine
 * comes up without graphics (upstream checknvidiaproprietarydriver, el8toel9). */
#include <string.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

/* nvidia, nvidia_drm, nvidia_modeset, nvidia_uvm...; not the in-tree nvidiafb or i2c_nvidia_gpu */
static bool is_nvidia(const char *m)
{
	return m && (!strcmp(m, "nvidia") || str_startswith(m, "nvidia_") || str_startswith(m, "nvidia-"));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *mods = actor_consume_last("LoadedKernelModules");
	json_t *pci = actor_consume_last("PCIDevices");
	json_t *ipu = ipu_config_get();
	json_t *found = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(mods, "modules"), i, m)
		if (is_nvidia(json_string_value(json_object_get(m, "name"))))
			json_array_append(found, json_object_get(m, "name"));
	json_array_foreach(json_object_get(pci, "devices"), i, m) {
		const char *drv = json_string_value(json_object_get(m, "driver"));
		if (is_nvidia(drv) && json_array_size(found) == 0)
			json_array_append_new(found, json_string(drv));
	}
	if (json_array_size(found) && ipu_target_major(ipu) >= 9) {
		json_t *e = report_new(
			"Proprietary NVIDIA driver detected",
			"The NVIDIA proprietary driver is in use, so the in-tree nouveau driver is blacklisted. The driver "
			"is built for the running kernel: the target release's kernel cannot load it, nouveau stays "
			"blacklisted, and the upgraded machine would have no graphical session.",
			"high");
		report_add_group(e, "kernel");
		report_add_group(e, "drivers");
		report_add_group(e, "inhibitor");
		report_add_hint(e, "Uninstall the NVIDIA proprietary driver (and remove its nouveau blacklist) before the "
				   "upgrade; install a build for the target release afterwards if you need it.");
		report_add_external(e, "https://access.redhat.com/solutions/421683",
				    "How to uninstall proprietary NVIDIA graphics driver and switch back to Red Hat shipped "
				    "nouveau graphics driver?");
		json_array_foreach(found, i, m)
			report_add_resource(e, "kernel-driver", json_string_value(m));
		actor_report(e);
	}
	json_decref(found);
	json_decref(mods);
	json_decref(pci);
	json_decref(ipu);
	return actor_finish();
}
