/* FactsCollection: the loaded kernel modules, from proc/modules. */
#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	_cleanup_free_ char *data = NULL;
	int r = fs_root_read("/proc/modules", 8u << 20, &data, NULL);
	json_t *mods = json_array();
	if (r < 0)
		fact_report_unknown("/proc/modules", "which drivers are loaded", r);
	else {
		/* "name size refcount dep1,dep2, state address" */
		char *save = NULL;
		for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char *f[6] = {0};
			int nf = 0;
			char *s2 = NULL;
			for (char *t = strtok_r(l, " \t", &s2); t && nf < 6; t = strtok_r(NULL, " \t", &s2))
				f[nf++] = t;
			if (nf < 3)
				continue;
			json_t *used = json_array();
			if (nf >= 4 && strcmp(f[3], "-")) {
				char *s3 = NULL;
				for (char *t = strtok_r(f[3], ",", &s3); t; t = strtok_r(NULL, ",", &s3))
					json_array_append_new(used, json_string(t));
			}
			json_array_append_new(mods, json_pack("{s:s, s:I, s:I, s:o}", "name", f[0], "size",
							      (json_int_t)strtoll(f[1], NULL, 10), "refcount",
							      (json_int_t)strtoll(f[2], NULL, 10), "used_by", used));
		}
	}
	actor_info("%zu modules loaded", json_array_size(mods));
	actor_produce("LoadedKernelModules", json_pack("{s:b, s:o}", "known", r == 0, "modules", mods));
	return actor_finish();
}
