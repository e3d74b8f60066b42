/* FactsCollection: memory (proc/meminfo) and CPU (proc/cpuinfo) facts. */
#include <ctype.h>
#include <sys/utsname.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

/* The x86-64 psABI microarchitecture levels, as /proc/cpuinfo names the flags. */
static const char *const level2[] = {"cx16", "lahf_lm", "popcnt", "pni", "sse4_1", "sse4_2", "ssse3"};
static const char *const level3[] = {"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"};
static const char *const level4[] = {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"};

static bool has_flag(json_t *flags, const char *f)
{
	size_t i;
	json_t *v;
	json_array_foreach(flags, i, v)
		if (!strcmp(json_string_value(v), f))
			return true;
	return false;
}

static bool has_all(json_t *flags, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!has_flag(flags, want[i]))
			return false;
	return true;
}

static int x86_64_level(json_t *flags)
{
	if (!has_all(flags, level2, ELEMENTSOF(level2)))
		return 1;
	if (!has_all(flags, level3, ELEMENTSOF(level3)))
		return 2;
	if (!has_all(flags, level4, ELEMENTSOF(level4)))
		return 3;
	return 4;
}

/* "Key : value" -> value (trimmed), or NULL when the line is not that key. */
static const char *field(char *line, const char *key)
{
	size_t kl = strlen(key);
	if (strncmp(line, key, kl))
		return NULL;
	char *p = line + kl;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != ':')
		return NULL;
	return str_strip(p + 1);
}

static void memory(void)
{
	_cleanup_free_ char *data = NULL;
	int r = fs_root_read("/proc/meminfo", 1u << 20, &data, NULL);
	json_t *m = json_object();
	if (r < 0) {
		fact_report_unknown("/proc/meminfo", "the memory size", r);
	} else {
		char *save = NULL;
		for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			const char *v;
			if ((v = field(l, "MemTotal")))
				json_object_set_new(m, "mem_total_kib", json_integer(strtoll(v, NULL, 10)));
			else if ((v = field(l, "SwapTotal")))
				json_object_set_new(m, "swap_total_kib", json_integer(strtoll(v, NULL, 10)));
		}
		if (!json_object_get(m, "mem_total_kib"))
			fact_report_unknown("/proc/meminfo", "the memory size (no MemTotal line)", -EINVAL);
	}
	actor_produce("MemoryInfo", m);
}

static void cpu(void)
{
	json_t *ipu = ipu_config_get();
	const char *arch = ipu_str(ipu, "architecture");
	struct utsname u;
	uname(&u);
	json_t *c = json_pack("{s:s, s:s}", "architecture", arch ? arch : u.machine, "architecture_source",
			      arch ? "osrelease" : "host");
	_cleanup_free_ char *data = NULL;
	int r = fs_root_read("/proc/cpuinfo", 8u << 20, &data, NULL);
	if (r < 0) {
		fact_report_unknown("/proc/cpuinfo", "the CPU model and its features", r);
	} else {
		int count = 0, processors = 0;
		json_t *flags = NULL;
		char *save = NULL;
		for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			const char *v;
			if (field(l, "processor")) {
				count++;
				continue;
			}
			if (count <= 1 && (v = field(l, "vendor_id")) && !json_object_get(c, "vendor"))
				json_object_set_new(c, "vendor", json_string(v));
			else if (count <= 1 && (v = field(l, "model name")) && !json_object_get(c, "model_name"))
				json_object_set_new(c, "model_name", json_string(v));
			else if (count <= 1 && ((v = field(l, "flags")) || (v = field(l, "Features"))) && !flags) {
				flags = json_array();
				_cleanup_free_ char *copy = xstrdup(v);
				char *s2 = NULL;
				for (char *t = strtok_r(copy, " \t", &s2); t; t = strtok_r(NULL, " \t", &s2))
					json_array_append_new(flags, json_string(t));
			} else if ((v = field(l, "# processors"))) {
				processors = atoi(v); /* s390x */
			} else if (!strncmp(l, "processor ", 10) && strstr(l, "machine = ")) {
				/* s390x: "processor 0: version = FF,  identification = 0123, machine = 2964" */
				if (!json_object_get(c, "machine_type"))
					json_object_set_new(c, "machine_type",
							    json_integer(strtoll(strstr(l, "machine = ") + 10, NULL, 10)));
			} else if ((v = field(l, "cpu")) && !json_object_get(c, "model_name")) {
				json_object_set_new(c, "model_name", json_string(v)); /* ppc64le: "POWER9 ..." */
			}
		}
		json_object_set_new(c, "count", json_integer(processors ? processors : count));
		if (!flags)
			flags = json_array();
		const char *a = json_string_value(json_object_get(c, "architecture"));
		if (a && !strcmp(a, "x86_64") && json_array_size(flags))
			json_object_set_new(c, "x86_64_level", json_integer(x86_64_level(flags)));
		json_object_set_new(c, "flags", flags);
	}
	json_decref(ipu);
	actor_produce("CPUInfo", c);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	memory();
	cpu();
	return actor_finish();
}
