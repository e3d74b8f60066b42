/* Checks: memory (MemTotal) against the target release's minimum for the architecture. */
#include "sys.h"
#include "leapp/actor.h"

/* KiB, the minimums of leapp's checkmemory for release 9 and later */
static const struct {
	const char *arch;
	long long kib;
} minimum[] = {
	{"x86_64", 1572864}, {"aarch64", 1572864}, {"ppc64le", 3145728}, {"s390x", 1572864},
};

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *mem = actor_consume_last("MemoryInfo");
	json_t *ipu = ipu_config_get();
	json_t *total = json_object_get(mem, "mem_total_kib");
	const char *arch = ipu_str(ipu, "architecture");
	long long need = 0;
	for (size_t i = 0; arch && i < ELEMENTSOF(minimum); i++)
		if (!strcmp(arch, minimum[i].arch))
			need = minimum[i].kib;
	/* an unknown size was reported by hardware_scanner already */
	if (json_is_integer(total) && need && json_integer_value(total) < need) {
		long long have = json_integer_value(total);
		_cleanup_free_ char *summary = xasprintf(
			"The system has %lld MiB of memory (MemTotal %lld KiB); %s %s on %s needs at least %lld MiB. The "
			"upgrade itself runs from a RAM disk and would fail.",
			have / 1024, have, ipu_str(ipu, "target_distro"), ipu_str(ipu, "target_version"), arch, need / 1024);
		json_t *e = report_new("Minimum memory requirements for the target OS are not met", summary, "high");
		report_set_key(e, "be50646b45beb8304c13daf5380d836a4be8e1cc"); /* upstream checkmemory's */
		report_add_group(e, "inhibitor");
		report_add_group(e, "sanity");
		_cleanup_free_ char *hint = xasprintf("Increase the memory of the system to at least %lld MiB.", need / 1024);
		report_add_hint(e, hint);
		actor_report(e);
	}
	json_decref(mem);
	json_decref(ipu);
	return actor_finish();
}
