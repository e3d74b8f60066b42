/* Finalization (after): leapp_resume.service, so that the first boot of the upgraded system
 * runs `leapp upgrade --resume` (the FirstBoot phase), whose remove_resume_service removes it
 * again. The unit goes to /etc/systemd/system and is enabled for multi-user.target with the
 * link systemctl enable would make (there is no systemd to ask, DESIGN.md section 4). Safe to
 * run twice. */
#include <limits.h>

#include "leapp/actor.h"

#define UNIT_NAME "leapp_resume.service"
#define UNIT_PATH "/etc/systemd/system/" UNIT_NAME
#define WANTS_DIR "/etc/systemd/system/multi-user.target.wants"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	/* the manifest's default, also when run standalone without a configuration */
	json_t *cfg = json_object_get(actor_config(), "leapp_command");
	const char *leapp = cfg ? json_string_value(cfg) : "/usr/bin/leapp";
	if (!leapp || leapp[0] != '/' || strpbrk(leapp, " \t\n\"'\\%$"))
		actor_error("leapp_command must be an absolute path without spaces or quotes",
			    "resume_service.leapp_command is '%s'", leapp ? leapp : "(none)");
	_cleanup_free_ char *command = xasprintf("%s upgrade --resume", leapp);
	_cleanup_free_ char *unit = xasprintf(
		"# Written by leapp (create_resume_service): resumes the upgrade on the first boot of the\n"
		"# upgraded system. The FirstBoot phase removes this unit and its link.\n"
		"[Unit]\n"
		"Description=Resume the leapp upgrade on the first boot of the upgraded system\n"
		"After=default.target network-online.target\n"
		"Wants=network-online.target\n"
		"DefaultDependencies=no\n"
		"\n"
		"[Service]\n"
		"Type=oneshot\n"
		"ExecStart=%s\n"
		"StandardOutput=journal+console\n"
		"TimeoutStartSec=infinity\n"
		"\n"
		"[Install]\n"
		"WantedBy=multi-user.target\n",
		command);
	_cleanup_free_ char *path = actor_path(UNIT_PATH), *wants = actor_path(WANTS_DIR);
	_cleanup_free_ char *link = path_join(wants, "/" UNIT_NAME);
	int r = mkdir_p(wants, 0755);
	if (r < 0)
		actor_error("cannot create " WANTS_DIR, "%s", strerror(-r));
	if ((r = write_file_atomic(path, unit, strlen(unit), 0644)) < 0)
		actor_error("cannot write " UNIT_PATH, "%s", strerror(-r));
	char have[PATH_MAX];
	ssize_t n = readlink(link, have, sizeof(have) - 1);
	if (n < 0 || (have[n] = 0, strcmp(have, UNIT_PATH))) {
		if (unlink(link) < 0 && errno != ENOENT)
			actor_error("cannot replace " WANTS_DIR "/" UNIT_NAME, "%s", strerror(errno));
		if (symlink(UNIT_PATH, link) < 0)
			actor_error("cannot enable " UNIT_NAME, "%s: %s", WANTS_DIR "/" UNIT_NAME, strerror(errno));
	}
	actor_info("installed " UNIT_PATH " (%s), enabled for multi-user.target", command);
	json_t *e = report_new("leapp_resume.service enabled",
			       UNIT_NAME " runs '" "leapp upgrade --resume" "' on the first boot of the upgraded system to "
			       "finish the upgrade (the FirstBoot phase); it removes itself afterwards.",
			       "info");
	report_add_group(e, "upgrade process");
	report_add_resource(e, "file", UNIT_PATH);
	report_add_resource(e, "file", WANTS_DIR "/" UNIT_NAME);
	actor_report(e);
	actor_produce("ResumeService", json_pack("{s:s, s:[s], s:s}", "unit", UNIT_PATH, "links", WANTS_DIR "/" UNIT_NAME,
						  "command", command));
	return actor_finish();
}
