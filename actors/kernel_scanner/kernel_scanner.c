/* FactsCollection: which kernel runs, which kernel packages are installed, which is newest. */
#include "fs.h"
#include "sys.h"
#include "rpm.h"
#include "leapp/actor.h"

/* The packages that carry a kernel image, and the uname -r suffix of their flavour. On el7
 * "kernel" itself carries it; from el8 on it is a meta package over kernel-core. */
static const struct {
	const char *name, *suffix;
} kernel_pkgs[] = {
	{"kernel-core", ""},       {"kernel-rt-core", ""},        {"kernel-debug-core", "+debug"},
	{"kernel-rt-debug-core", "+debug"}, {"kernel-64k-core", "+64k"}, {"kernel-64k-debug-core", "+64k-debug"},
	{"kernel-uek-core", ""},   {"kernel", ""},
};

static const char *suffix_of(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(kernel_pkgs); i++)
		if (!strcmp(kernel_pkgs[i].name, name))
			return kernel_pkgs[i].suffix;
	return NULL;
}

static bool has_core_twin(json_t *items, json_t *p)
{
	/* "kernel" next to a "kernel-core" of the same version is the el8+ meta package */
	size_t i;
	json_t *q;
	json_array_foreach(items, i, q) {
		if (strcmp(json_string_value(json_object_get(q, "name")), "kernel-core"))
			continue;
		if (json_equal(json_object_get(q, "version"), json_object_get(p, "version")) &&
		    json_equal(json_object_get(q, "release"), json_object_get(p, "release")) &&
		    json_equal(json_object_get(q, "arch"), json_object_get(p, "arch")))
			return true;
	}
	return false;
}

static int cmp_kernel(json_t *a, json_t *b)
{
	return evr_cmp((uint32_t)json_integer_value(json_object_get(a, "epoch")),
		       json_string_value(json_object_get(a, "version")), json_string_value(json_object_get(a, "release")),
		       (uint32_t)json_integer_value(json_object_get(b, "epoch")),
		       json_string_value(json_object_get(b, "version")), json_string_value(json_object_get(b, "release")));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *info = json_object();
	_cleanup_free_ char *running = NULL, *cmdline = NULL;
	int r = fs_root_read("/proc/sys/kernel/osrelease", 4096, &running, NULL);
	if (r < 0)
		fact_report_unknown("/proc/sys/kernel/osrelease", "the running kernel", r);
	else
		json_object_set_new(info, "running", json_string(str_strip(running)));
	r = fs_root_read("/proc/cmdline", 64 * 1024, &cmdline, NULL);
	if (r < 0)
		fact_report_unknown("/proc/cmdline", "the kernel command line", r);
	else
		json_object_set_new(info, "cmdline", json_string(str_strip(cmdline)));

	json_t *rpms = actor_consume_last("InstalledRPM");
	json_t *items = json_object_get(rpms, "items");
	json_t *installed = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(items, i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *suffix = suffix_of(name);
		if (!suffix || (!strcmp(name, "kernel") && has_core_twin(items, p)))
			continue;
		_cleanup_free_ char *uname_r =
			xasprintf("%s-%s.%s%s", json_string_value(json_object_get(p, "version")),
				  json_string_value(json_object_get(p, "release")), json_string_value(json_object_get(p, "arch")),
				  suffix);
		json_array_append_new(installed,
				      json_pack("{s:s, s:O, s:O, s:O, s:O, s:s, s:O}", "name", name, "epoch",
						json_object_get(p, "epoch"), "version", json_object_get(p, "version"), "release",
						json_object_get(p, "release"), "arch", json_object_get(p, "arch"), "uname_r",
						uname_r, "install_time", json_object_get(p, "install_time")));
	}
	/* the newest kernel of the running kernel's flavour (kernel-core vs kernel-rt-core ...) */
	const char *run = json_string_value(json_object_get(info, "running"));
	const char *flavour = NULL;
	json_array_foreach(installed, i, p)
		if (run && !strcmp(run, json_string_value(json_object_get(p, "uname_r"))))
			flavour = json_string_value(json_object_get(p, "name"));
	json_t *newest = NULL;
	json_array_foreach(installed, i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		if (flavour ? strcmp(name, flavour) : (strcmp(name, "kernel-core") && strcmp(name, "kernel")))
			continue;
		if (!newest || cmp_kernel(p, newest) > 0)
			newest = p;
	}
	if (newest) {
		const char *nu = json_string_value(json_object_get(newest, "uname_r"));
		json_object_set_new(info, "newest", json_string(nu));
		if (run)
			json_object_set_new(info, "booted_newest", json_boolean(!strcmp(run, nu)));
	}
	json_object_set_new(info, "installed", installed);
	actor_info("running %s, newest installed %s", run ? run : "unknown",
		   newest ? json_string_value(json_object_get(newest, "uname_r")) : "unknown");
	actor_produce("KernelInfo", info);
	json_decref(rpms);
	return actor_finish();
}
