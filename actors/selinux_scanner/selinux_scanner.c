/* FactsCollection: SELinux mode and policy as the next boot will have them. */
#include <strings.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

/* Is word (e.g. "selinux=0") one of the space-separated words of the command line? */
static bool cmdline_has(const char *cmdline, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = cmdline; p && *p;) {
		while (*p == ' ')
			p++;
		const char *end = strchr(p, ' ');
		size_t l = end ? (size_t)(end - p) : strlen(p);
		if (l == n && !strncmp(p, word, n))
			return true;
		p = end;
	}
	return false;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *f = json_pack("{s:b}", "config_present", false);
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = fs_root_read("/etc/selinux/config", 1u << 20, &data, &len);
	const char *mode = "disabled";
	json_t *cfg = NULL;
	if (r == 0) {
		/* the same KEY=value syntax as os-release */
		cfg = os_release_parse(data, len);
		const char *m = json_string_value(json_object_get(cfg, "SELINUX"));
		if (m && (!strcasecmp(m, "enforcing") || !strcasecmp(m, "permissive") || !strcasecmp(m, "disabled")))
			mode = !strcasecmp(m, "enforcing") ? "enforcing" : !strcasecmp(m, "permissive") ? "permissive" : "disabled";
		json_object_set_new(f, "config_present", json_true());
		const char *type = json_string_value(json_object_get(cfg, "SELINUXTYPE"));
		if (type)
			json_object_set_new(f, "policy", json_string(type));
	} else if (r != -ENOENT)
		actor_warning("/etc/selinux/config: %s", strerror(-r));
	_cleanup_free_ char *cmdline = NULL;
	if (fs_root_read("/proc/cmdline", 64 * 1024, &cmdline, NULL) == 0) {
		str_strip(cmdline);
		if (cmdline_has(cmdline, "selinux=0")) {
			json_object_set_new(f, "cmdline_override", json_string("selinux=0"));
			mode = "disabled";
		} else if (cmdline_has(cmdline, "enforcing=0") && !strcmp(mode, "enforcing")) {
			json_object_set_new(f, "cmdline_override", json_string("enforcing=0"));
			mode = "permissive";
		}
	}
	json_object_set_new(f, "mode", json_string(mode));
	actor_info("SELinux %s", mode);
	actor_produce("SELinuxFacts", f);
	json_decref(cfg);
	return actor_finish();
}
