/* Fuzz target: PES event files (pes-events.json, vendors' *_pes.json): the JSON read, merged
 * as distribution and as vendor data (actors/lib/plan/pes.c), then the events applied to a
 * few installed packages for an 8.10 -> 9.6 upgrade. */
#include "plan.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool any_pesid(const char *pesid, void *userdata)
{
	(void)userdata;
	return strncmp(pesid, "unknown", 7) != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *doc = json_loadb((const char *)data, size, 0, &je);
	if (!doc)
		return 0;
	for (int vendor = 0; vendor < 2; vendor++) {
		struct pes_data d;
		pes_data_init(&d);
		char *err = NULL;
		if (pes_merge_json(&d, doc, "pes-events.json", vendor, &err) == 0) {
			static const struct pes_installed pkgs[] = {
				{.name = "bash", .repo = "baseos"},
				{.name = "python3", .repo = "appstream", .ms = "python36:3.6"},
				{.name = "foo", .repo = "vendor", .third_party = true},
				{.name = "kernel", .repo = "baseos"},
			};
			char *keep[] = {"vim"};
			struct pes_input in = {.pkgs = pkgs, .n_pkgs = 4, .source = {8, 10}, .target = {9, 6},
					       .arch = "x86_64", .admin_keep = keep, .n_admin_keep = 1,
					       .known_pesid = any_pesid};
			struct pes_result res = {0};
			char *cerr = NULL;
			if (pes_compute(&d, &in, &res, &cerr) == 0) {
				for (size_t i = 0; i < res.n_install; i++)
					json_decref(pes_task_to_json(&res.install[i]));
			}
			pes_result_free(&res);
			free(cerr);
		} else if (!err || strncmp(err, "pes-events.json", 15)) {
			abort(); /* errors name the file */
		}
		free(err);
		pes_data_free(&d);
	}
	json_decref(doc);
	return 0;
}
