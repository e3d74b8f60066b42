/* Checks: release 9 ships OpenSSL 3, whose openssl.cnf loads providers. An unmodified
 * openssl.cnf is replaced by the package and passes every check here; a modified one is kept
 * and must be reviewed (upstream opensslconfigcheck: its titles and severities). OpenSSL ignores
 * what comes before the first dot of a key (TLS.MinProtocol is MinProtocol). */
#include <string.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

#define CONF "/etc/pki/tls/openssl.cnf"

static const char *norm_key(const char *k)
{
	const char *dot = strchr(k, '.');
	return dot && dot != k ? dot + 1 : k;
}

static json_t *find_block(json_t *cfg, const char *name)
{
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(cfg, "blocks"), i, b)
		if (name && !strcmp(json_string_value(json_object_get(b, "name")), name))
			return b;
	return NULL;
}

/* the last value of key in block */
static const char *block_get(json_t *b, const char *key)
{
	const char *v = NULL;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(b, "pairs"), i, p) {
		const char *k = json_string_value(json_object_get(p, "key"));
		if (!strcmp(k, key) || !strcmp(norm_key(k), key))
			v = json_string_value(json_object_get(p, "value"));
	}
	return v;
}

/* is block name reachable from the openssl_conf block through values naming blocks? */
static bool reachable(json_t *cfg, const char *from, const char *name, int limit)
{
	if (!from || limit <= 0)
		return false;
	if (!strcmp(from, name))
		return true;
	json_t *b = find_block(cfg, from);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(b, "pairs"), i, p) {
		const char *v = json_string_value(json_object_get(p, "value"));
		if (!strcmp(v, name) || (find_block(cfg, v) && strcmp(v, from) && reachable(cfg, v, name, limit - 1)))
			return true;
	}
	return false;
}

/* default_modules -> ssl_conf = ssl_module -> system_default = crypto_policy -> .include the back-end */
static bool has_policy_include(json_t *cfg)
{
	const char *root = json_string_value(json_object_get(cfg, "openssl_conf"));
	if (!reachable(cfg, root, "default_modules", 10))
		return false;
	const char *chain[][2] = {{"default_modules", "ssl_conf"}, {"ssl_module", "system_default"}};
	const char *next[] = {"ssl_module", "crypto_policy"};
	for (size_t i = 0; i < 2; i++) {
		const char *v = block_get(find_block(cfg, chain[i][0]), chain[i][1]);
		if (!v || strcmp(v, next[i]))
			return false;
	}
	const char *inc = block_get(find_block(cfg, "crypto_policy"), ".include");
	return inc && !strcmp(inc, "/etc/crypto-policies/back-ends/opensslcnf.config");
}

static bool reachable_key(json_t *cfg, const char *key)
{
	const char *root = json_string_value(json_object_get(cfg, "openssl_conf"));
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(cfg, "blocks"), i, b)
		if (block_get(b, key) && reachable(cfg, root, json_string_value(json_object_get(b, "name")), 10))
			return true;
	return false;
}

/* keys defined twice in the blocks that x509_extensions names */
static void duplicates(json_t *cfg, struct buf *out)
{
	size_t i, k, x, y;
	json_t *b, *p, *q, *r;
	json_array_foreach(json_object_get(cfg, "blocks"), i, b) json_array_foreach(json_object_get(b, "pairs"), k, p)
	{
		if (strcmp(norm_key(json_string_value(json_object_get(p, "key"))), "x509_extensions"))
			continue;
		json_t *ext = find_block(cfg, json_string_value(json_object_get(p, "value")));
		json_t *pairs = json_object_get(ext, "pairs");
		json_array_foreach(pairs, x, q) {
			const char *kq = norm_key(json_string_value(json_object_get(q, "key")));
			bool first = true, dup = false;
			json_array_foreach(pairs, y, r) {
				if (y < x && !strcmp(norm_key(json_string_value(json_object_get(r, "key"))), kq))
					first = false;
				if (y > x && !strcmp(norm_key(json_string_value(json_object_get(r, "key"))), kq))
					dup = true;
			}
			if (first && dup && !strstr(out->data ? out->data : "", kq))
				buf_printf(out, "%s%s", out->len ? ", " : "", kq);
		}
	}
}

static void report(const char *title, const char *summary, const char *sev, const char *hint, bool inhibitor,
		   bool auth)
{
	json_t *e = report_new(title, summary, sev);
	if (auth)
		report_add_group(e, "authentication");
	report_add_group(e, "security");
	report_add_group(e, "network");
	report_add_group(e, "services");
	if (inhibitor)
		report_add_group(e, "inhibitor");
	if (hint)
		report_add_hint(e, hint);
	report_add_resource(e, "package", "openssl");
	report_add_resource(e, "file", CONF);
	actor_report(e);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *cfg = actor_consume_last("OpenSslConfig");
	json_t *ipu = ipu_config_get();
	if (json_is_true(json_object_get(cfg, "present")) && ipu_target_major(ipu) == 9) {
		if (!has_policy_include(cfg))
			report("The OpenSSL configuration is missing the crypto policies integration",
			       CONF " does not include the system-wide crypto policy "
				    "(/etc/crypto-policies/back-ends/opensslcnf.config through [crypto_policy]), so programs "
				    "using OpenSSL do not follow it and may be weaker than, or disagree with, the rest of the "
				    "system.",
			       "medium", "Restore the crypto policy include; adapt the policy with a custom crypto policy "
					 "module instead of editing openssl.cnf.",
			       false, true);
		if (reachable_key(cfg, "MinProtocol") || reachable_key(cfg, "MaxProtocol"))
			report("The meaning of MinProtocol and MaxProtocol in openssl.cnf changed",
			       CONF " sets MinProtocol or MaxProtocol. OpenSSL 1.1 applied them to TLS and DTLS alike; "
				    "OpenSSL 3 applies a bare MinProtocol/MaxProtocol to TLS only.",
			       "medium", "To limit DTLS too, add the DTLS form beside it, e.g. 'DTLS.MinProtocol = DTLSv1.2' "
					 "next to 'MinProtocol = TLSv1.2'.",
			       false, false);
		struct buf dup = {0};
		duplicates(cfg, &dup);
		if (dup.len) {
			buf_append(&dup, "", 1);
			_cleanup_free_ char *s = xasprintf(CONF " defines these X509 extensions more than once: %s. "
							      "OpenSSL 3 uses only the last definition of each.",
							   dup.data);
			report("There are duplicate x509 extensions defined in openssl.cnf", s, "low",
			       "Remove the duplicate extensions from the file.", false, false);
		}
		buf_free(&dup);
		const char *root = json_string_value(json_object_get(cfg, "openssl_conf"));
		if (!root || strcmp(root, "default_modules") || !find_block(cfg, "default_modules")) {
			_cleanup_free_ char *s = xasprintf(
				CONF " does not start from 'openssl_conf = default_modules' with a [default_modules] block "
				     "(openssl_conf is %s), so it cannot be changed to load OpenSSL 3's providers.",
				root ? root : "not set");
			report("Non-standard configuration of openssl.cnf", s, "high",
			       "Make the file start from 'openssl_conf = default_modules' and a [ default_modules ] block "
			       "(as the release 8 package's file does), or replace it with the packaged default.",
			       true, false);
		}
	}
	json_decref(cfg);
	json_decref(ipu);
	return actor_finish();
}
