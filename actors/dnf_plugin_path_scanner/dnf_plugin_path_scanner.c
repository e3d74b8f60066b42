/* FactsCollection: is dnf's pluginpath set in /etc/dnf/dnf.conf [main]? (upstream
 * scan_dnf_pluginpath) The plugins live under the Python version's site-packages, which the
 * upgrade changes, so an explicit path stops pointing at them. */
#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"
#include "leapp/ini.h"

struct found {
	char *value;
	int line;
};

static int on_ini(const char *section, const char *key, const char *value, int line, void *userdata)
{
	struct found *f = userdata;
	if (key && !strcmp(section, "main") && !strcmp(key, "pluginpath") && !f->value) {
		f->value = xstrdup(value ?: "");
		f->line = line;
	}
	return 0;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	_cleanup_free_ char *data = NULL;
	size_t len;
	struct found f = {0};
	int r = fs_root_read("/etc/dnf/dnf.conf", 4u << 20, &data, &len);
	if (r == 0) {
		int line = 0;
		if (ini_parse(data, len, on_ini, &f, &line) < 0)
			actor_warning("/etc/dnf/dnf.conf:%d: not valid INI syntax; the rest of the file is ignored", line);
	} else
		actor_warning("/etc/dnf/dnf.conf: %s", strerror(-r));
	json_t *out = json_pack("{s:b}", "is_pluginpath_detected", f.value != NULL);
	if (f.value) {
		json_object_set_new(out, "pluginpath", json_string(f.value));
		json_object_set_new(out, "line", json_integer(f.line));
		actor_info("/etc/dnf/dnf.conf:%d: pluginpath = %s", f.line, f.value);
	}
	actor_produce("DnfPluginPathDetected", out);
	free(f.value);
	return actor_finish();
}
