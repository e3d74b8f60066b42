/* FactsCollection: the encrypted devices the system unlocks at boot, /etc/crypttab's (not
 * noauto) and the kernel command line's rd.luks.uuid=, each read from its own LUKS header under
 * --root, so that no cryptsetup is needed (upstream's luksscanner runs cryptsetup luksDump and
 * clevis luks list). LUKS1: the binary header. LUKS2: the binary header and its JSON area, whose
 * "tokens" say how a key slot is unlocked; a clevis token's pin is in its JWE protected header
 * (base64url JSON: {"clevis": {"pin": "tpm2", ...}}). */
#include <fcntl.h>
#include <unistd.h>

#include "sys.h"
#include "leapp/actor.h"
#include "fs.h"

#define LUKS_MAGIC "LUKS\xba\xbe"
#define LUKS2_JSON_MAX (4u << 20)

static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* base64url (no padding) to a malloc'd NUL-terminated buffer, or NULL. */
static char *b64url_decode(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = xmalloc(n * 3 / 4 + 4);
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n && s[i] != '='; i++) {
		int c = s[i], v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
			: c >= '0' && c <= '9' ? c - '0' + 52 : c == '-' || c == '+' ? 62 : c == '_' || c == '/' ? 63 : -1;
		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)(acc >> bits & 0xff);
		}
	}
	out[o] = 0;
	return out;
}

/* A clevis token's pin: "clevis-<pin>" from its JWE protected header; "clevis" when unknown. */
static char *clevis_type(json_t *token)
{
	const char *prot = json_string_value(json_object_get(json_object_get(token, "jwe"), "protected"));
	_cleanup_free_ char *dec = prot ? b64url_decode(prot) : NULL;
	json_t *hdr = dec ? json_loads(dec, 0, NULL) : NULL;
	const char *pin = json_string_value(json_object_get(json_object_get(hdr, "clevis"), "pin"));
	char *t = pin ? xasprintf("clevis-%s", pin) : xstrdup("clevis");
	json_decref(hdr);
	return t;
}

static json_t *luks2_tokens(const char *json_area, size_t len, char **ret_err)
{
	json_error_t jerr;
	json_t *meta = json_loadb(json_area, strnlen(json_area, len), 0, &jerr);
	json_t *out = json_array();
	if (!meta) {
		*ret_err = xasprintf("the LUKS2 JSON area does not parse: %s (line %d)", jerr.text, jerr.line);
		return out;
	}
	const char *id;
	json_t *tok;
	json_object_foreach(json_object_get(meta, "tokens"), id, tok) {
		const char *type = json_string_value(json_object_get(tok, "type")) ?: "?";
		_cleanup_free_ char *t = !strcmp(type, "clevis") ? clevis_type(tok) : xstrdup(type);
		json_t *slots = json_object_get(tok, "keyslots");
		json_array_append_new(out, json_pack("{s:s, s:s, s:O}", "id", id, "type", t, "keyslots",
						     json_is_array(slots) ? slots : json_array()));
	}
	json_decref(meta);
	return out;
}

/* Read the LUKS header of the device at abs (under the root) into the dump object. */
static void header_read(const char *abs, json_t *dump)
{
	_cleanup_close_ int fd = fs_root_open(abs, O_RDONLY, 0);
	unsigned char hdr[4096];
	ssize_t n = fd < 0 ? -1 : pread(fd, hdr, sizeof(hdr), 0);
	if (n < 0) {
		_cleanup_free_ char *e = xasprintf("%s: %s", abs, strerror(fd < 0 ? -fd : errno));
		json_object_set_new(dump, "error", json_string(e));
		return;
	}
	json_object_set_new(dump, "device", json_string(abs));
	if (n < 512 || memcmp(hdr, LUKS_MAGIC, 6))
		return; /* not LUKS (plain dm-crypt, e.g. a swap with a random key) */
	int version = hdr[6] << 8 | hdr[7];
	json_object_set_new(dump, "version", json_integer(version));
	char uuid[41] = {0};
	memcpy(uuid, hdr + 168, 40);
	json_object_set_new(dump, "uuid", json_string(uuid));
	if (version != 2)
		return;
	uint64_t size = be64(hdr + 8);
	if (size <= 4096 || size - 4096 > LUKS2_JSON_MAX) {
		json_object_set_new(dump, "error", json_string("the LUKS2 header size is out of range"));
		return;
	}
	_cleanup_free_ char *area = xmalloc(size - 4096 + 1);
	n = pread(fd, area, size - 4096, 4096);
	if (n <= 0) {
		json_object_set_new(dump, "error", json_string("the LUKS2 JSON area cannot be read"));
		return;
	}
	area[n] = 0;
	char *err = NULL;
	json_object_set_new(dump, "tokens", luks2_tokens(area, (size_t)n, &err));
	if (err)
		json_object_set_new(dump, "error", json_string(err));
	free(err);
}

/* The device path a crypttab source names: UUID=, PARTUUID=, LABEL= through /dev/disk/by-*. */
static char *source_path(const char *src)
{
	static const struct {
		const char *tag, *dir;
	} tags[] = {{"UUID=", "by-uuid"}, {"PARTUUID=", "by-partuuid"}, {"LABEL=", "by-label"}, {"PARTLABEL=", "by-partlabel"}};
	for (size_t i = 0; i < ELEMENTSOF(tags); i++)
		if (!strncmp(src, tags[i].tag, strlen(tags[i].tag)))
			return xasprintf("/dev/disk/%s/%s", tags[i].dir, src + strlen(tags[i].tag));
	return src[0] == '/' ? xstrdup(src) : NULL;
}

static void dump_add(json_t *dumps, const char *name, const char *source)
{
	json_t *d = json_pack("{s:s?, s:s, s:n, s:i, s:n, s:[], s:n}", "name", name, "source", source, "device", "version",
			      0, "uuid", "tokens", "error");
	_cleanup_free_ char *path = source_path(source);
	if (path)
		header_read(path, d);
	else
		json_object_set_new(d, "error", json_string("not a device path or UUID=/PARTUUID=/LABEL="));
	json_array_append_new(dumps, d);
}

static bool has_option(const char *opts, const char *opt)
{
	_cleanup_free_ char *c = xstrdup(opts ?: "");
	char *save = NULL;
	for (char *t = strtok_r(c, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (!strcmp(t, opt))
			return true;
	return false;
}

static void scan_crypttab(json_t *dumps)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = fs_root_read("/etc/crypttab", 1 << 20, &data, &len);
	if (r < 0) {
		if (r != -ENOENT)
			actor_warning("/etc/crypttab: %s", strerror(-r));
		return;
	}
	char *save = NULL;
	int lineno = 0;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		char *f[4] = {0}, *s2 = NULL;
		int nf = 0;
		for (char *t = strtok_r(line, " \t", &s2); t && nf < 4; t = strtok_r(NULL, " \t", &s2))
			f[nf++] = t;
		if (!nf || f[0][0] == '#')
			continue;
		if (nf < 2) {
			actor_warning("/etc/crypttab:%d: no device", lineno);
			continue;
		}
		if (has_option(f[3], "noauto"))
			continue; /* not unlocked at boot: the upgrade does not need it */
		dump_add(dumps, f[0], f[1]);
	}
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *dumps = json_array(), *rd = json_array();
	scan_crypttab(dumps);
	_cleanup_free_ char *cmdline = NULL;
	size_t len;
	if (fs_root_read("/proc/cmdline", 65536, &cmdline, &len) == 0) {
		char *save = NULL;
		for (char *t = strtok_r(cmdline, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
			if (strncmp(t, "rd.luks.uuid=", 13))
				continue;
			const char *u = t + 13;
			json_array_append_new(rd, json_string(u));
			if (!strncmp(u, "luks-", 5))
				u += 5;
			bool known = false;
			size_t i;
			json_t *d;
			json_array_foreach(dumps, i, d)
				known |= !strcmp(json_string_value(json_object_get(d, "uuid")) ?: "", u);
			if (!known) {
				_cleanup_free_ char *src = xasprintf("UUID=%s", u);
				dump_add(dumps, NULL, src);
			}
		}
	}
	actor_info("%zu encrypted device(s) unlocked at boot", json_array_size(dumps));
	actor_produce("LuksDumps", json_pack("{s:o, s:o}", "dumps", dumps, "rd_luks_uuid", rd));
	return actor_finish();
}
