/* FactsCollection: /etc/pki/tls/openssl.cnf as blocks of key-value pairs, the way OpenSSL
 * reads it (upstream opensslconfigscanner): comments from '#', "[ name ]" headers, "key =
 * value", ".include path" without '='. */
#include <errno.h>
#include <string.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

#define CONF "/etc/pki/tls/openssl.cnf"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	_cleanup_free_ char *data = NULL;
	int r = fs_root_read(CONF, 4 << 20, &data, NULL);
	if (r < 0) {
		if (r != -ENOENT)
			actor_warning(CONF ": cannot read it: %s", strerror(-r));
		actor_produce("OpenSslConfig", json_pack("{s:b, s:[]}", "present", false, "blocks"));
		return actor_finish();
	}
	json_t *blocks = json_array(), *pairs = NULL;
	char *openssl_conf = NULL;
	for (const char *l = data; l && *l;) {
		const char *nl = strchr(l, '\n');
		_cleanup_free_ char *line = nl ? xstrndup(l, (size_t)(nl - l)) : xstrdup(l);
		l = nl ? nl + 1 : NULL;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		char *s = str_strip(line);
		size_t n = strlen(s);
		if (!n)
			continue;
		if (s[0] == '[' && s[n - 1] == ']') {
			s[n - 1] = 0;
			pairs = json_array();
			json_array_append_new(blocks, json_pack("{s:s, s:o}", "name", str_strip(s + 1), "pairs", pairs));
			continue;
		}
		char *eq = strchr(s, '=');
		const char *key, *value;
		if (eq) {
			*eq = 0;
			key = str_strip(s);
			value = str_strip(eq + 1);
		} else if (str_startswith(s, ".include ")) {
			key = ".include";
			value = str_strip(s + strlen(".include "));
		} else
			continue;
		if (pairs)
			json_array_append_new(pairs, json_pack("{s:s, s:s}", "key", key, "value", value));
		else if (!strcmp(key, "openssl_conf")) {
			free(openssl_conf);
			openssl_conf = xstrdup(value);
		}
	}
	actor_produce("OpenSslConfig", json_pack("{s:b, s:s?, s:o}", "present", true, "openssl_conf", openssl_conf,
						 "blocks", blocks));
	free(openssl_conf);
	return actor_finish();
}
