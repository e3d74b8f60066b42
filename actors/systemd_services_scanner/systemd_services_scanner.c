/* FactsCollection: the state and preset of every systemd service of the source system, and
 * the broken symlinks in /etc/systemd/system (upstream scan_systemd_source), read from the
 * files under --root. Also whether cron runs logrotate (/etc/cron.daily/logrotate): release 9
 * runs it from logrotate.timer instead. */
#include <sys/stat.h>

#include "leapp/actor.h"
#include "sys.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *services = systemd_services_scan(actor_root());
	json_t *broken = systemd_broken_symlinks(actor_root());
	actor_info("%zu services, %zu broken symlinks", json_array_size(services), json_array_size(broken));
	actor_produce("SystemdServicesInfoSource", json_pack("{s:o, s:o}", "service_files", services, "broken_symlinks", broken));
	_cleanup_free_ char *cron = actor_path("/etc/cron.daily/logrotate");
	struct stat st;
	actor_produce("LogrotateFacts", json_pack("{s:b}", "cron_daily", lstat(cron, &st) == 0));
	return actor_finish();
}
