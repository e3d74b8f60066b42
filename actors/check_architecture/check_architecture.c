/* Checks: the target release must be built for this architecture. */
#include "sys.h"
#include "leapp/actor.h"

/* What the el9 and el10 distributions are built for (RHEL and its rebuilds). */
static const char *const supported[] = {"x86_64", "aarch64", "ppc64le", "s390x"};

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ipu = ipu_config_get();
	const char *arch = ipu_str(ipu, "architecture");
	bool ok = !arch;
	for (size_t i = 0; arch && i < ELEMENTSOF(supported); i++)
		ok |= !strcmp(arch, supported[i]);
	if (!ok) {
		_cleanup_free_ char *summary = xasprintf(
			"This system runs on %s. %s %s is built only for x86_64, aarch64, ppc64le and s390x, so it cannot be "
			"upgraded in place.",
			arch, ipu_str(ipu, "target_distro"), ipu_str(ipu, "target_version"));
		json_t *e = report_new("Unsupported architecture", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "sanity");
		report_add_hint(e, "Install the target release on supported hardware and migrate the workload.");
		actor_report(e);
	}
	json_decref(ipu);
	return actor_finish();
}
