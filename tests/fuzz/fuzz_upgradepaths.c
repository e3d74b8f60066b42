/* Fuzz target: upgrade_paths.json (leapp-repository's and the synthetic systems'): the lookup
 * ipu_workflow_config does (actors/lib/plan/upgradepaths.c) for a few source releases, with and
 * without --target, centos' _virtual_versions included. */
#include "plan.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const q[][4] = {
		{"almalinux", "default", "8.10", NULL}, {"rhel", "default", "8.10", "9.6"}, {"rhel", "saphana", "8.10", NULL},
		{"centos", "default", "8", NULL},       {"centos", "default", "8.5", "9"},  {"rocky", "default", "", "x"},
	};
	json_error_t je;
	json_t *doc = json_loadb((const char *)data, size, 0, &je);
	if (!doc)
		return 0;
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		struct upgrade_path up;
		upgrade_path_find(doc, q[i][0], q[i][1], q[i][2], q[i][3], &up);
		if (!up.problem || !json_is_array(up.allowed))
			abort();
		/* a path found has a target, the one asked for or the highest allowed */
		if (!strcmp(up.problem, "none") && (!up.target || !up.matched_key))
			abort();
		json_decref(up.allowed);
	}
	json_decref(doc);
	return 0;
}
