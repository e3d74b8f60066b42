/* FactsCollection: the system-wide crypto policy and the policies and modules the admin wrote
 * in /etc/crypto-policies/policies (the packaged ones live in /usr/share/crypto-policies). */
#include <errno.h>
#include <string.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"
#include "fs.h"

/* the first line of a policy file that is not empty or a comment, stripped */
static char *policy_line(const char *data)
{
	for (const char *l = data; l && *l;) {
		const char *nl = strchr(l, '\n');
		_cleanup_free_ char *line = nl ? xstrndup(l, (size_t)(nl - l)) : xstrdup(l);
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		char *s = str_strip(line);
		if (*s)
			return xstrdup(s);
		l = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static json_t *list_files(const char *dir, const char *suffix)
{
	json_t *a = json_array();
	char **names = NULL;
	if (fs_root_dir_list(dir, suffix, &names) > 0)
		for (char **p = names; *p; p++) {
			_cleanup_free_ char *f = xasprintf("%s/%s", dir, *p);
			json_array_append_new(a, json_string(f));
		}
	fs_strv_free(names);
	return a;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	static const char *const files[] = {"/etc/crypto-policies/config", "/etc/crypto-policies/state/current"};
	static const char *const sources[] = {"config", "state"};
	char *policy = NULL;
	const char *source = "none";
	int first_err = 0;
	for (size_t i = 0; i < 2 && !policy; i++) {
		_cleanup_free_ char *data = NULL;
		int r = fs_root_read(files[i], 64 * 1024, &data, NULL);
		if (r < 0) {
			if (!first_err)
				first_err = r;
			continue;
		}
		policy = policy_line(data);
		if (policy)
			source = sources[i];
	}
	if (!policy)
		fact_report_unknown(files[0], "the system-wide crypto policy", first_err ? first_err : -ENODATA);
	actor_produce("CryptoPolicyInfo",
		      json_pack("{s:s?, s:s, s:o, s:o}", "current_policy", policy, "source", source, "custom_policies",
				list_files("/etc/crypto-policies/policies", ".pol"), "custom_modules",
				list_files("/etc/crypto-policies/policies/modules", ".pmod")));
	free(policy);
	return actor_finish();
}
