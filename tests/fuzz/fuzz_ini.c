/* Fuzz target: INI parsing as dnf .repo files (variables, lists, booleans). */
#include "leapp/ini.h"
#include "leapp/util.h"
#include "fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_cb(const char *section, const char *key, const char *value, int line, void *userdata)
{
	(*(size_t *)userdata) += strlen(section) + (key ? strlen(key) + strlen(value) : 0) + (size_t)line;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	int line = 0;
	ini_parse((const char *)data, size, count_cb, &n, &line);
	struct repo_vars v;
	repofile_vars_init(&v, NULL, "9.6", "x86_64");
	repofile_vars_set(&v, "contentdir", "alma");
	struct repo_file *f = NULL;
	char *err = NULL;
	if (repofile_parse_string("fuzz.repo", (const char *)data, size, &v, true, &f, &err) == 0) {
		json_decref(repofile_to_json(f));
		repofile_free(f);
	}
	free(err);
	repofile_vars_clear(&v);
	return 0;
}
