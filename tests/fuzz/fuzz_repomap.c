/* Fuzz target: repomap.json (leapp-data's and vendors', format 1.x) merged for 8 -> 9 on
 * x86_64 (actors/lib/plan/repomap.c), then the RepositoriesMapping message and back, which
 * must read what it wrote. */
#include "plan.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *doc = json_loadb((const char *)data, size, 0, &je);
	if (!doc)
		return 0;
	struct repomap m;
	repomap_init(&m);
	char *err = NULL;
	if (repomap_merge_json(&m, doc, "repomap.json", "8", "9", "x86_64", &err) == 0) {
		/* a second vendor file on top of the first */
		if (repomap_merge_json(&m, doc, "vendor.json", "8", "9", "x86_64", &err) < 0) {
			free(err);
			err = NULL;
		}
		repomap_has_pesid(&m, "rhel8-BaseOS");
		const struct repomap_repo *r = repomap_find_repoid(&m, "baseos", "8");
		const struct repomap_entry *e = repomap_find_entry(&m, r ? r->pesid : "rhel8-BaseOS");
		for (size_t i = 0; e && i < e->n_targets; i++)
			repomap_find_target(&m, e->targets[i], "9", r ? r->channel : "ga", r ? r->rhui : "");
		json_t *msg = repomap_to_json(&m);
		struct repomap back;
		repomap_init(&back);
		char *berr = NULL;
		if (repomap_from_json(&back, msg, &berr) < 0)
			abort(); /* what we write, we must read back */
		repomap_free(&back);
		json_decref(msg);
	} else if (!err || strncmp(err, "repomap.json", 12)) {
		abort(); /* errors name the file */
	}
	free(err);
	repomap_free(&m);
	json_decref(doc);
	return 0;
}
