/* InterimPreparation: the target userspace gets the system's dnf configuration, so that dnf
 * run in it (by a package's scriptlet, or by an admin debugging the upgrade environment) uses
 * the same proxy, excludes and options as the upgrade's plan did (upstream
 * copy_dnf_conf_into_target_userspace): /etc/leapp/files/dnf.conf when the admin put one there
 * for the upgrade, else /etc/dnf/dnf.conf. */
#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *us = actor_consume_last("TargetUserSpaceInfo");
	const char *dir = json_string_value(json_object_get(us, "path"));
	if (!dir) {
		actor_info("no target userspace: nothing to copy");
		json_decref(us);
		return actor_finish();
	}
	const char *src = "/etc/leapp/files/dnf.conf";
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = fs_root_read(src, 4u << 20, &data, &len);
	if (r == -ENOENT) {
		src = "/etc/dnf/dnf.conf";
		r = fs_root_read(src, 4u << 20, &data, &len);
	}
	if (r < 0) {
		actor_warning("%s: %s; the target userspace keeps its own dnf.conf", src, strerror(-r));
	} else {
		_cleanup_free_ char *etc = path_join(dir, "/etc/dnf"), *dst = path_join(etc, "dnf.conf");
		if ((r = mkdir_p(etc, 0755)) < 0 || (r = write_file_atomic(dst, data, len, 0644)) < 0)
			actor_error("cannot copy dnf.conf into the target userspace", "%s: %s", dst, strerror(-r));
		actor_info("copied %s into the target userspace", src);
	}
	json_decref(us);
	return actor_finish();
}
