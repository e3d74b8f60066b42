/* Checks: a releasever pinned in /etc/dnf/vars/releasever (e.g. "8.10") applies to every
 * $releasever in the repository files, as dnf reads it; left as it is, it would keep dnf on the
 * source release's repositories after the upgrade. Upstream's check_etc_releasever reports it,
 * and set_etc_releasever writes the target release there in the Applications phase. (The target
 * repositories of the upgrade itself always get the target release: target_repositories.) */
#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

#define RELEASEVER "/etc/dnf/vars/releasever"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = fs_root_read(RELEASEVER, 4096, &data, &len);
	if (r == -ENOENT) {
		actor_info("%s is not there: $releasever follows the installed release", RELEASEVER);
		return actor_finish();
	}
	if (r < 0)
		actor_error("cannot read " RELEASEVER, "%s", strerror(-r));
	json_t *ipu = ipu_config_get();
	const char *target = ipu_str(ipu, "target_version") ?: "the target release";
	/* dnf takes the first line */
	data[strcspn(data, "\n")] = 0;
	const char *pinned = str_strip(data);
	_cleanup_free_ char *summary = xasprintf(
		"%s pins the release version to \"%s\". dnf uses it for $releasever in every repository file, so "
		"after the upgrade it would still look for the repositories of that release. The upgrade uses the "
		"target release (%s) for its own repositories, and writes it into %s once the packages are upgraded, "
		"so that the system stays on the release it was upgraded to.",
		RELEASEVER, pinned, target, RELEASEVER);
	json_t *e = report_new("Release version in /etc/dnf/vars/releasever will be set to the current target release",
			       summary, "info");
	report_add_group(e, "upgrade process");
	report_add_resource(e, "file", RELEASEVER);
	actor_report(e);
	json_decref(ipu);
	return actor_finish();
}
