/* Checks: the CPU must run the target release's binaries (x86-64-v2 for 9, -v3 for 10;
 * IBM z13 or newer on s390x). */
#include "sys.h"
#include "leapp/actor.h"

static int required_x86_level(int target_major)
{
	return target_major >= 10 ? 3 : target_major == 9 ? 2 : 1;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *cpu = actor_consume_last("CPUInfo");
	json_t *ipu = ipu_config_get();
	int tmajor = ipu_target_major(ipu);
	const char *arch = json_string_value(json_object_get(cpu, "architecture"));
	json_t *level = json_object_get(cpu, "x86_64_level");
	if (arch && !strcmp(arch, "x86_64") && json_is_integer(level) && json_integer_value(level) < required_x86_level(tmajor)) {
		int need = required_x86_level(tmajor);
		const char *model = json_string_value(json_object_get(cpu, "model_name"));
		_cleanup_free_ char *summary = xasprintf(
			"%s %s is built for the x86-64-v%d microarchitecture level, and this CPU%s%s%s provides only %s: the "
			"upgraded system would not boot. x86-64-v2 needs the cx16, lahf_lm, popcnt, sse3, sse4_1, sse4_2 "
			"and ssse3 instructions.",
			ipu_str(ipu, "target_distro"), ipu_str(ipu, "target_version"), need, model ? " (" : "", model ? model : "",
			model ? ")" : "",
			json_integer_value(level) == 1 ? "the baseline x86-64 level"
			: json_integer_value(level) == 2 ? "x86-64-v2" : "x86-64-v3");
		json_t *e = report_new("Current x86-64 microarchitecture is unsupported in the target OS", summary, "high");
		report_set_key(e, "0f48cdbe5aa2584e2ca7f4eb470b9b79da9e515d"); /* upstream checkmicroarchitecture's */
		report_add_group(e, "inhibitor");
		report_add_group(e, "sanity");
		report_add_hint(e, "On a virtual machine, give it a CPU model that exposes the host's features (for example "
				   "QEMU's -cpu host or a named model newer than qemu64); otherwise upgrade the hardware.");
		actor_report(e);
	}
	json_t *mt = json_object_get(cpu, "machine_type");
	if (arch && !strcmp(arch, "s390x") && json_is_integer(mt) && tmajor >= 9 && json_integer_value(mt) < 2964) {
		_cleanup_free_ char *summary = xasprintf(
			"%s %s supports IBM z13 (machine type 2964) and newer; this machine is type %lld.",
			ipu_str(ipu, "target_distro"), ipu_str(ipu, "target_version"), (long long)json_integer_value(mt));
		json_t *e = report_new("The IBM Z machine is not supported by the target release", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "sanity");
		report_add_hint(e, "Move the system to an IBM z13 or newer machine.");
		actor_report(e);
	}
	json_decref(cpu);
	json_decref(ipu);
	return actor_finish();
}
