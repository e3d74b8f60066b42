/* LateTests (in the upgrade initramfs): the RPM transaction of a FIPS-mode system must run in
 * FIPS mode too, or it could install what FIPS mode would refuse; stop before it when the
 * kernel says FIPS is off (upstream checkfipsenabled). */
#include <string.h>

#include "fs.h"
#include "leapp/actor.h"
#include "leapp/util.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *fips = actor_consume_last("FIPSInfo");
	if (json_is_true(json_object_get(fips, "is_enabled"))) {
		_cleanup_free_ char *data = NULL;
		int r = fs_root_read("/proc/sys/crypto/fips_enabled", 64, &data, NULL);
		if (r < 0 || strcmp(str_strip(data), "1"))
			actor_error("FIPS mode is off in the upgrade environment",
				    "the source system runs in FIPS mode (fips=1), but %s %s; the upgrade stops before "
				    "the RPM transaction",
				    "/proc/sys/crypto/fips_enabled", r < 0 ? "cannot be read" : "is not 1");
		actor_info("FIPS mode is on in the upgrade environment");
	}
	json_decref(fips);
	return actor_finish();
}
