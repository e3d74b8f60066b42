/* Applications: the admin's dnf configuration for the upgrade, /etc/leapp/files/dnf.conf,
 * becomes the upgraded system's /etc/dnf/dnf.conf (upstream apply_custom_dnf_conf). The file
 * is moved with rename(2) within the root; the old one stays as /etc/dnf/dnf.conf.leappsave.
 * Safe to run twice: once moved, there is nothing left to move. */
#include <stdio.h>

#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	_cleanup_free_ char *src = actor_path("/etc/leapp/files/dnf.conf");
	_cleanup_free_ char *dst = actor_path("/etc/dnf/dnf.conf");
	_cleanup_free_ char *save = actor_path("/etc/dnf/dnf.conf.leappsave");
	if (access(src, F_OK) < 0) {
		actor_info("no /etc/leapp/files/dnf.conf: /etc/dnf/dnf.conf left as it is");
		return actor_finish();
	}
	if (access(dst, F_OK) == 0 && rename(dst, save) < 0)
		actor_error("cannot keep the old dnf.conf", "/etc/dnf/dnf.conf.leappsave: %s", strerror(errno));
	if (rename(src, dst) < 0)
		actor_error("cannot move /etc/leapp/files/dnf.conf to /etc/dnf/dnf.conf", "%s", strerror(errno));
	actor_info("/etc/leapp/files/dnf.conf is now /etc/dnf/dnf.conf (the old one: /etc/dnf/dnf.conf.leappsave)");
	return actor_finish();
}
