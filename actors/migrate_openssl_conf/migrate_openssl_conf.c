/* Applications: rpm replaces an unmodified openssl.cnf with OpenSSL 3's; a modified one is kept
 * and the new one left as openssl.cnf.rpmnew. The kept file still initializes OpenSSL 1.1's
 * way, so it gets the providers section (upstream opensslproviders): 'openssl_conf =
 * default_modules' becomes openssl_init, [default_modules] becomes [openssl_init] with
 * 'providers = provider_sect', and the provider blocks are appended; every changed line stays
 * as a comment. A file that cannot be changed is reported. */
#include <errno.h>
#include <regex.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "leapp/actor.h"
#include "leapp/util.h"

#define CONF "/etc/pki/tls/openssl.cnf"
#define NOTE "# Modified by leapp during the upgrade to OpenSSL 3\n"

static const char providers[] = "[provider_sect]\n"
				"default = default_sect\n"
				"##legacy = legacy_sect\n"
				"\n"
				"[default_sect]\n"
				"activate = 1\n"
				"\n"
				"##[legacy_sect]\n"
				"##activate = 1\n";

/* rewrite data; -ENOENT when one of the two lines is missing */
static int migrate(const char *data, struct buf *out)
{
	regex_t init, block;
	regcomp(&init, "^[[:space:]]*openssl_conf[[:space:]]*=[[:space:]]*default_modules[[:space:]]*(#.*)?$", REG_EXTENDED | REG_NOSUB);
	regcomp(&block, "^[[:space:]]*\\[[[:space:]]*default_modules[[:space:]]*\\][[:space:]]*(#.*)?$", REG_EXTENDED | REG_NOSUB);
	bool seen_init = false, seen_block = false;
	for (const char *l = data; l && *l;) {
		const char *nl = strchr(l, '\n');
		_cleanup_free_ char *line = nl ? xstrndup(l, (size_t)(nl - l)) : xstrdup(l);
		l = nl ? nl + 1 : NULL;
		if (regexec(&init, line, 0, NULL, 0) == 0) {
			buf_printf(out, NOTE "# %s\nopenssl_conf = openssl_init\n", line);
			seen_init = true;
		} else if (regexec(&block, line, 0, NULL, 0) == 0) {
			buf_printf(out, NOTE "# %s\n[openssl_init]\nproviders = provider_sect\n", line);
			seen_block = true;
		} else
			buf_printf(out, "%s\n", line);
	}
	regfree(&init);
	regfree(&block);
	if (!seen_init || !seen_block)
		return -ENOENT;
	buf_printf(out, "\n" NOTE "%s", providers);
	return 0;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	struct stat st;
	if (fs_root_stat(CONF ".rpmnew", false, &st) < 0)
		return actor_finish(); /* unmodified: the package's own file is in place */
	_cleanup_free_ char *data = NULL;
	int r = fs_root_read(CONF, 4 << 20, &data, NULL);
	if (r >= 0 && strstr(data, "provider_sect")) {
		actor_info(CONF " already loads providers");
		return actor_finish();
	}
	struct buf out = {0};
	if (r >= 0)
		r = migrate(data, &out);
	if (r >= 0)
		r = fs_root_replace_contents(CONF, out.data, out.len);
	buf_free(&out);
	if (r < 0) {
		_cleanup_free_ char *title = xasprintf("Could not modify " CONF ": %s",
						       r == -ENOENT ? "its OpenSSL 1.1 initialization was not found"
								    : strerror(-r));
		json_t *e = report_new(title,
				       "The file was kept as it was. OpenSSL 3 works with it in most cases, but custom "
				       "providers are not loaded. Compare it with " CONF ".rpmnew and carry your changes "
				       "over by hand.",
				       "medium");
		report_add_group(e, "security");
		report_add_group(e, "network");
		report_add_group(e, "services");
		report_add_group(e, "post");
		report_add_resource(e, "package", "openssl");
		report_add_resource(e, "file", CONF);
		actor_report(e);
	} else
		actor_info(CONF ": moved to OpenSSL 3's providers layout");
	return actor_finish();
}
