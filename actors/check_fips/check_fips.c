/* Checks: a FIPS-mode system is upgraded in FIPS mode (upstream checkfips, 8 -> 9: no
 * inhibitor). The upgrade initramfs gets dracut's fips module and the files it fails to pull
 * in by itself (dracut bug 2176560), and the upgrade boot keeps fips=1; the target keeps fips=1
 * through its kernel command line and the FIPS crypto policy through /etc/crypto-policies. */
#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *fips = actor_consume_last("FIPSInfo");
	json_t *ipu = ipu_config_get();
	if (json_is_true(json_object_get(fips, "is_enabled")) && ipu_target_major(ipu) == 9) {
		actor_produce("UpgradeInitramfsTasks",
			      json_pack("{s:[{s:s, s:n}], s:[s, s, s]}", "include_dracut_modules", "name", "fips",
					"module_path", "include_files", "/etc/crypto-policies/back-ends/opensslcnf.config",
					"/etc/pki/tls/openssl.cnf", "/usr/lib64/ossl-modules/fips.so"));
		actor_produce("UpgradeKernelCmdlineArgTasks", json_pack("{s:[{s:s, s:s}]}", "to_add", "key", "fips", "value", "1"));
		actor_info("FIPS mode: the upgrade initramfs gets the fips dracut module and boots with fips=1");
	}
	json_decref(fips);
	json_decref(ipu);
	return actor_finish();
}
