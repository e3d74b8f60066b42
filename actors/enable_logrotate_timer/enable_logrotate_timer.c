/* Finalization: release 9 rotates logs from logrotate.timer, not from cron; the upgraded
 * logrotate package drops /etc/cron.daily/logrotate but does not enable the timer, so logs
 * would silently stop rotating. When cron ran logrotate before the upgrade and the upgraded
 * system has the timer, enable it (upstream enable_logrotate_timer). */
#include <sys/stat.h>

#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *f = actor_consume_last("LogrotateFacts");
	_cleanup_free_ char *timer = actor_path("/usr/lib/systemd/system/logrotate.timer");
	struct stat st;
	if (!json_is_true(json_object_get(f, "cron_daily")))
		actor_info("cron did not run logrotate before the upgrade: logrotate.timer left as it is");
	else if (lstat(timer, &st) < 0)
		actor_info("the upgraded system has no logrotate.timer: nothing to enable");
	else
		actor_produce("SystemdServicesTasks", json_pack("{s:[s], s:[], s:s}", "to_enable", "logrotate.timer", "to_disable",
								 "reason", "logrotate runs from logrotate.timer instead of cron"));
	json_decref(f);
	return actor_finish();
}
