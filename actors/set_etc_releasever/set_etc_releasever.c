/* Applications: a release version pinned in /etc/dnf/vars/releasever becomes the target
 * release (as upstream's set_etc_releasever does), so that dnf keeps using the repositories of
 * the release the system was upgraded to. Nothing is written when there is no such file. Safe
 * to run twice. */
#include "sys.h"
#include "fs.h"
#include "leapp/actor.h"

#define RELEASEVER "/etc/dnf/vars/releasever"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ipu = ipu_config_get();
	const char *target = ipu_str(ipu, "target_version");
	if (!target)
		actor_error("no target release", "IPUConfig has no target_version");
	_cleanup_free_ char *old = NULL;
	size_t len = 0;
	int r = fs_root_read(RELEASEVER, 4096, &old, &len);
	if (r == -ENOENT) {
		actor_info("%s is not there: nothing to set", RELEASEVER);
		json_decref(ipu);
		return actor_finish();
	}
	if (r < 0)
		actor_error("cannot read " RELEASEVER, "%s", strerror(-r));
	old[strcspn(old, "\n")] = 0;
	_cleanup_free_ char *text = xasprintf("%s\n", target);
	if ((r = fs_root_replace_contents(RELEASEVER, text, strlen(text))) < 0)
		actor_error("cannot write " RELEASEVER, "%s", strerror(-r));
	actor_info("%s: the release version is %s now (it was %s)", RELEASEVER, target, str_strip(old));
	json_decref(ipu);
	return actor_finish();
}
