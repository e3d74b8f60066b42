/* Checks: /boot must hold the upgrade kernel and initramfs (100 MiB by default, configurable
 * in /etc/leapp/actor_conf.d: check_boot_avail_space.min_free_mib). */
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *cfg = actor_config();
	json_t *min = json_object_get(cfg, "min_free_mib");
	long long need_mib = json_is_integer(min) ? json_integer_value(min) : 100;
	if (json_is_false(json_object_get(cfg, "enabled"))) {
		actor_info("disabled by check_boot_avail_space.enabled = false");
		return actor_finish();
	}
	json_t *st = actor_consume_last("StorageInfo");
	size_t i;
	json_t *fs;
	json_array_foreach(json_object_get(st, "free_space"), i, fs) {
		if (strcmp(json_string_value(json_object_get(fs, "path")) ?: "", "/boot"))
			continue;
		json_t *free_b = json_object_get(fs, "free_bytes");
		if (!json_is_integer(free_b))
			break;
		long long have = json_integer_value(free_b);
		actor_info("/boot: %lld MiB free, %lld MiB needed", have >> 20, need_mib);
		if (have >= need_mib * 1024 * 1024)
			break;
		_cleanup_free_ char *summary = xasprintf(
			"/boot has %.1f MiB free; the upgrade needs at least %lld MiB there for the upgrade kernel and "
			"initramfs.",
			(double)have / (1024 * 1024), need_mib);
		json_t *e = report_new("Not enough space on /boot", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "filesystem");
		_cleanup_free_ char *hint = xasprintf(
			"Free at least %.1f MiB on /boot, for example by removing old kernels (dnf remove --oldinstallonly "
			"--setopt installonly_limit=2 kernel).",
			(double)(need_mib * 1024 * 1024 - have) / (1024 * 1024));
		report_add_hint(e, hint);
		static const char *const cmd[] = {"dnf", "remove", "--oldinstallonly", "--setopt", "installonly_limit=2", "kernel",
						  NULL};
		report_add_command(e, cmd);
		actor_report(e);
		break;
	}
	json_decref(st);
	return actor_finish();
}
