/* FactsCollection: FIPS mode as upstream scanfips decides it (fips=1 on the running kernel's
 * command line), with what the kernel says and release 8's /etc/system-fips for the details. */
#include <string.h>
#include <sys/stat.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

static bool cmdline_fips(const char *cmdline)
{
	if (!cmdline)
		return false;
	_cleanup_free_ char *copy = xstrdup(cmdline);
	char *save = NULL;
	bool on = false;
	for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save))
		if (str_startswith(t, "fips="))
			on = !strcmp(t + 5, "1"); /* the last one counts, as for the kernel */
	return on;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *k = actor_consume_last("KernelInfo");
	_cleanup_free_ char *data = NULL;
	int r = fs_root_read("/proc/sys/crypto/fips_enabled", 64, &data, NULL);
	struct stat st;
	actor_produce("FIPSInfo", json_pack("{s:b, s:o, s:b}", "is_enabled",
					    cmdline_fips(json_string_value(json_object_get(k, "cmdline"))),
					    "kernel_fips_enabled", r < 0 ? json_null() : json_boolean(!strcmp(str_strip(data), "1")),
					    "system_fips_file", fs_root_stat("/etc/system-fips", true, &st) == 0));
	json_decref(k);
	return actor_finish();
}
