/* FactsCollection: the source release (os-release), the target release (--target or the
 * default of upgrade_paths.json) and the architecture: the workflow's IPUConfig. */
#include <sys/utsname.h>

#include "fs.h"
#include "sys.h"
#include "rpm.h"
#include "plan.h"
#include "leapp/actor.h"

/* The architecture: the suffix of the running kernel's release (4.18.0-553.el8_10.x86_64),
 * else what cpuinfo says, else the machine leapp runs on. */
static char *architecture(const char **ret_source)
{
	static const char *const arches[] = {"x86_64", "aarch64", "ppc64le", "s390x", "i686", "ppc64", "armv7hl"};
	_cleanup_free_ char *osr = NULL;
	if (fs_root_read("/proc/sys/kernel/osrelease", 4096, &osr, NULL) == 0) {
		str_strip(osr);
		const char *dot = strrchr(osr, '.');
		for (size_t i = 0; dot && i < ELEMENTSOF(arches); i++)
			if (!strcmp(dot + 1, arches[i])) {
				*ret_source = "osrelease";
				return xstrdup(arches[i]);
			}
	}
	_cleanup_free_ char *ci = NULL;
	if (fs_root_read("/proc/cpuinfo", 4u << 20, &ci, NULL) == 0) {
		*ret_source = "cpuinfo";
		if (strstr(ci, "vendor_id\t: GenuineIntel") || strstr(ci, "vendor_id\t: AuthenticAMD") ||
		    strstr(ci, "vendor_id\t: HygonGenuine") || strstr(ci, "vendor_id\t: CentaurHauls"))
			return xstrdup(strstr(ci, " lm ") ? "x86_64" : "i686");
		if (strstr(ci, "CPU architecture:"))
			return xstrdup("aarch64");
		if (strstr(ci, "\ncpu\t\t: POWER") || !strncmp(ci, "processor\t: 0\ncpu\t\t: POWER", 25))
			return xstrdup("ppc64le");
		if (strstr(ci, "vendor_id       : IBM/S390") || strstr(ci, "IBM/S390"))
			return xstrdup("s390x");
	}
	struct utsname u;
	uname(&u);
	*ret_source = "host";
	return xstrdup(u.machine);
}

static void report_no_os_release(const char *err)
{
	_cleanup_free_ char *summary = xasprintf(
		"leapp identifies the system to upgrade by /etc/os-release, and %s. Without it neither the source "
		"release nor an upgrade path can be determined.",
		err);
	json_t *e = report_new("Cannot identify the installed system", summary, "high");
	report_add_group(e, "inhibitor");
	report_add_group(e, "sanity");
	report_add_hint(e, "Restore /etc/os-release (it belongs to the <distribution>-release package): "
			   "dnf reinstall the release package.");
	actor_report(e);
}

static void produce_os_release(json_t *osr, const char *id, const char *version_id)
{
	json_t *id_like = json_array();
	const char *like = json_string_value(json_object_get(osr, "ID_LIKE"));
	if (like) {
		_cleanup_free_ char *copy = xstrdup(like);
		char *save = NULL;
		for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
			json_array_append_new(id_like, json_string(t));
	}
	actor_produce("OSRelease",
		      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:o}", "release_id", id, "name",
				json_string_value(json_object_get(osr, "NAME")) ?: "", "pretty_name",
				json_string_value(json_object_get(osr, "PRETTY_NAME")) ?: "", "version",
				json_string_value(json_object_get(osr, "VERSION")) ?: "", "version_id", version_id, "variant_id",
				json_string_value(json_object_get(osr, "VARIANT_ID")), "id_like", id_like));
}

/* The upgrade path chosen from upgrade_paths.json (strings borrowed from paths). */
struct path_choice {
	const char *problem;
	const char *matched_key, *default_target, *target;
	const char *source_virtual, *target_virtual;
	json_t *allowed;
	json_t *paths;
};


static void choose_path(const char *id, const char *version_id, const char *flavour, const char *requested,
			struct path_choice *pc)
{
	pc->problem = "none";
	_cleanup_free_ char *derr = NULL;
	int r = datafile_load_json("upgrade_paths.json", &pc->paths, &derr);
	if (r < 0) {
		datafile_report_problem("upgrade_paths.json", r, derr);
		pc->problem = "data-file";
		pc->allowed = json_array();
		return;
	}
	struct upgrade_path up = {.allowed = NULL};
	upgrade_path_find(pc->paths, id, flavour, version_id, requested, &up);
	pc->problem = up.problem;
	pc->matched_key = up.matched_key;
	pc->default_target = up.default_target;
	pc->target = up.target;
	pc->source_virtual = up.source_virtual;
	pc->target_virtual = up.target_virtual;
	pc->allowed = up.allowed ? up.allowed : json_array();
}

/* IPUConfig is produced even without a valid path, so that the other facts can be collected and
 * reported in one run; the Checks phase inhibits (check_upgrade_path). */
static void produce_ipu_config(const char *id, const char *version_id, const char *flavour, const char *requested,
			       const struct path_choice *pc)
{
	int smajor = os_release_version_major(version_id);
	_cleanup_free_ char *guess = xasprintf("%d", smajor + 1);
	const char *tv = pc->target ? pc->target : requested ? requested : guess;
	int tmajor = os_release_version_major(tv);
	if (tmajor < 0)
		tmajor = smajor + 1;
	const char *arch_source = NULL;
	_cleanup_free_ char *arch = architecture(&arch_source);
	_cleanup_free_ char *kernel = NULL;
	if (fs_root_read("/proc/sys/kernel/osrelease", 4096, &kernel, NULL) == 0)
		str_strip(kernel);
	_cleanup_free_ char *path_source =
		requested ? xasprintf("--target %s", requested)
		: pc->matched_key ? xasprintf("upgrade_paths.json: %s.%s[\"%s\"]", id, flavour, pc->matched_key)
				  : NULL;
	actor_produce("IPUConfig",
		      json_pack("{s:s, s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:s?, s:s?, s:s?, s:s?}", "source_distro", id,
				"source_version", version_id, "source_major", smajor, "target_distro", id, "target_version", tv,
				"target_major", tmajor, "architecture", arch, "flavour", flavour, "kernel",
				kernel && *kernel ? kernel : NULL, "upgrade_path_source", path_source, "source_virtual_version",
				pc->source_virtual, "target_virtual_version", pc->target_virtual));
	actor_info("%s %s -> %s (%s), %s from %s", id, version_id, tv, pc->problem, arch, arch_source);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *osr = NULL;
	_cleanup_free_ char *err = NULL;
	if (os_release_load(actor_root(), &osr, &err) < 0) {
		report_no_os_release(err);
		return actor_finish();
	}
	const char *id = json_string_value(json_object_get(osr, "ID"));
	const char *version_id = json_string_value(json_object_get(osr, "VERSION_ID"));
	if (!id || !version_id || os_release_version_major(version_id) < 0) {
		report_no_os_release("it has no usable ID and VERSION_ID");
		json_decref(osr);
		return actor_finish();
	}
	produce_os_release(osr, id, version_id);

	const char *flavour = getenv("LEAPP_UPGRADE_PATH_FLAVOUR");
	if (!flavour || !*flavour)
		flavour = "default";
	const char *requested = getenv("LEAPP_UPGRADE_PATH_TARGET_RELEASE");
	if (requested && !*requested)
		requested = NULL;
	struct path_choice pc = {0};
	choose_path(id, version_id, flavour, requested, &pc);
	actor_produce("UpgradePath",
		      json_pack("{s:s, s:s, s:s, s:s?, s:O, s:s?, s:s?, s:s?, s:s}", "distro", id, "flavour", flavour,
				"source_version", version_id, "matched_key", pc.matched_key, "allowed_targets", pc.allowed,
				"default_target", pc.default_target, "requested_target", requested, "target", pc.target,
				"problem", pc.problem));
	produce_ipu_config(id, version_id, flavour, requested, &pc);
	json_decref(pc.allowed);
	json_decref(pc.paths);
	json_decref(osr);
	return actor_finish();
}
