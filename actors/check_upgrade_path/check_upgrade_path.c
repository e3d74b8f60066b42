/* Checks: is there an upgrade path from this release to the chosen target? */
#include "leapp/actor.h"

static char *join_list(json_t *a)
{
	struct buf b = {0};
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(v));
	buf_append(&b, "", 0);
	return buf_steal(&b);
}

/* The distribution's name as upstream's reports write it (DISTRO_REPORT_NAMES). */
static const char *distro_report_name(const char *id)
{
	static const char *const names[][2] = {
		{"rhel", "RHEL"}, {"centos", "CentOS Stream"}, {"almalinux", "AlmaLinux"}, {"rocky", "Rocky Linux"}};
	for (size_t i = 0; id && i < ELEMENTSOF(names); i++)
		if (!strcmp(id, names[i][0]))
			return names[i][1];
	return id ? id : "?";
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *up = actor_consume_last("UpgradePath");
	const char *problem = json_string_value(json_object_get(up, "problem"));
	const char *distro = json_string_value(json_object_get(up, "distro"));
	const char *source = json_string_value(json_object_get(up, "source_version"));
	const char *flavour = json_string_value(json_object_get(up, "flavour"));
	if (problem && (!strcmp(problem, "no-path") || !strcmp(problem, "no-distro"))) {
		_cleanup_free_ char *summary =
			!strcmp(problem, "no-distro")
				? xasprintf("upgrade_paths.json lists no upgrade paths for the distribution '%s' (flavour %s), so "
					    "leapp cannot upgrade it.",
					    distro, flavour)
				: xasprintf("upgrade_paths.json has no upgrade path from %s %s (flavour %s). In-place upgrades "
					    "start from the releases it lists, usually the last minor release of a major version.",
					    distro, source, flavour);
		_cleanup_free_ char *title = xasprintf(
			"The installed OS version is not supported for the in-place upgrade to the target %s version",
			distro_report_name(distro));
		json_t *e = report_new(title, summary, "high");
		report_set_key(e, "1c7a98849a747ec9890f04bf4321de7280970715"); /* upstream checkosrelease's */
		report_add_group(e, "inhibitor");
		report_add_group(e, "sanity");
		if (!strcmp(problem, "no-path")) {
			report_add_hint(e, "Update the system to the latest minor release first (dnf upgrade, then reboot), "
					   "then run leapp again.");
			static const char *const cmd[] = {"dnf", "upgrade", NULL};
			report_add_command(e, cmd);
		} else
			report_add_hint(e, "Upgrade paths exist for rhel, centos, almalinux and rocky; see "
					   "/etc/leapp/files/upgrade_paths.json.");
		report_add_resource(e, "file", "/etc/leapp/files/upgrade_paths.json");
		actor_report(e);
	} else if (problem && !strcmp(problem, "target-not-allowed")) {
		_cleanup_free_ char *allowed = join_list(json_object_get(up, "allowed_targets"));
		const char *req = json_string_value(json_object_get(up, "requested_target"));
		const char *def = json_string_value(json_object_get(up, "default_target"));
		_cleanup_free_ char *summary = xasprintf(
			"The requested target release %s is not on the upgrade path of %s %s; the path allows: %s.", req, distro,
			source, allowed);
		json_t *e = report_new("The requested target release is not allowed", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "sanity");
		_cleanup_free_ char *hint = xasprintf("Choose one of the allowed targets (%s) with --target, or leave "
						      "--target out to use the default, %s.",
						      allowed, def);
		report_add_hint(e, hint);
		const char *cmd[] = {"leapp", "preupgrade", "--target", def, NULL};
		if (def)
			report_add_command(e, cmd);
		actor_report(e);
	}
	json_decref(up);
	return actor_finish();
}
