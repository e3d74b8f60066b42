/* OpenPGP keys (rpmdb gpg-pubkeys, key files), a librpm keyring of them, package verification. */
#include "rpm.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <rpm/header.h>
#include <rpm/rpmbase64.h>
#include <rpm/rpmcrypto.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmio.h>
#include <rpm/rpmkeyring.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmtd.h>
#include <rpm/rpmts.h>

#include "leapp/util.h"

static char *hexstr(const uint8_t *b, size_t n)
{
	char *h = xmalloc(n * 2 + 1);
	for (size_t i = 0; i < n; i++)
		snprintf(h + 2 * i, 3, "%02x", b[i]);
	h[n * 2] = 0;
	return h;
}

static void key_clear(struct keys_key *k)
{
	free(k->key_id);
	free(k->fingerprint);
	free(k->user_id);
	free(k->gpg_pubkey);
	for (size_t i = 0; i < k->n_subkeys; i++)
		free(k->subkey_ids[i]);
	free(k->subkey_ids);
	free(k->armored);
	free(k->pkt);
	free(k->file);
	memset(k, 0, sizeof(*k));
}

void keys_set_clear(struct keys_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		key_clear(&set->v[i]);
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

void keys_remove(struct keys_set *set, size_t i)
{
	if (i >= set->n)
		return;
	key_clear(&set->v[i]);
	memmove(&set->v[i], &set->v[i + 1], (set->n - i - 1) * sizeof(*set->v));
	set->n--;
}

struct keys_key *keys_find(const struct keys_set *set, const char *key_id)
{
	if (!key_id)
		return NULL;
	for (size_t i = 0; i < set->n; i++) {
		if (!strcasecmp(set->v[i].key_id, key_id))
			return &set->v[i];
		for (size_t k = 0; k < set->v[i].n_subkeys; k++)
			if (!strcasecmp(set->v[i].subkey_ids[k], key_id))
				return &set->v[i];
	}
	return NULL;
}

struct keys_key *keys_find_nvr(const struct keys_set *set, const char *nvr)
{
	for (size_t i = 0; nvr && i < set->n; i++)
		if (!strcasecmp(set->v[i].gpg_pubkey, nvr))
			return &set->v[i];
	return NULL;
}

/* Parse one certificate into a key; -EINVAL when librpm cannot use it. */
static int key_from_cert(const uint8_t *cert, size_t len, struct keys_key *ret, char **ret_err)
{
	rpmPubkey pk = rpmPubkeyNew(cert, len);
	if (!pk) {
		*ret_err = xstrdup("not a usable OpenPGP public key");
		return -EINVAL;
	}
	pgpDigParams params = rpmPubkeyPgpDigParams(pk);
	if (!params) {
		rpmPubkeyFree(pk);
		*ret_err = xstrdup("cannot read the key's parameters");
		return -EINVAL;
	}
	struct keys_key k = {0};
	const uint8_t *id = pgpDigParamsSignID(params);
	k.key_id = hexstr(id, 8);
	k.created = pgpDigParamsCreationTime(params);
	const char *uid = pgpDigParamsUserID(params);
	k.user_id = uid ? xstrdup(uid) : NULL;
	uint8_t *fp = NULL;
	size_t fplen = 0;
	if (pgpPubkeyFingerprint(cert, len, &fp, &fplen) == 0 && fp) {
		k.fingerprint = hexstr(fp, fplen);
		free(fp);
	} else
		k.fingerprint = xstrdup(k.key_id);
	k.gpg_pubkey = xasprintf("gpg-pubkey-%s-%08x", k.key_id + 8, k.created);
	int n = 0;
	rpmPubkey *subs = rpmGetSubkeys(pk, &n);
	for (int i = 0; i < n; i++) {
		pgpDigParams sp = rpmPubkeyPgpDigParams(subs[i]);
		if (sp) {
			k.subkey_ids = xrealloc(k.subkey_ids, (k.n_subkeys + 1) * sizeof(char *));
			k.subkey_ids[k.n_subkeys++] = hexstr(pgpDigParamsSignID(sp), 8);
		}
		rpmPubkeyFree(subs[i]);
	}
	free(subs);
	rpmPubkeyFree(pk);
	k.pkt = xmalloc(len);
	memcpy(k.pkt, cert, len);
	k.pktlen = len;
	k.armored = pgpArmorWrap(PGPARMOR_PUBKEY, cert, len);
	*ret = k;
	return 0;
}

/* Add a key, merging with one of the same fingerprint. */
static void set_add(struct keys_set *set, struct keys_key *k)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->v[i].fingerprint, k->fingerprint)) {
			set->v[i].in_rpmdb |= k->in_rpmdb;
			if (!set->v[i].file && k->file)
				set->v[i].file = TAKE_PTR(k->file);
			key_clear(k);
			return;
		}
	set->v = xrealloc(set->v, (set->n + 1) * sizeof(*set->v));
	set->v[set->n++] = *k;
	memset(k, 0, sizeof(*k));
}

void keys_set_merge(struct keys_set *dst, struct keys_set *src)
{
	for (size_t i = 0; i < src->n; i++)
		set_add(dst, &src->v[i]);
	free(src->v);
	src->v = NULL;
	src->n = 0;
}

/* Every certificate in a run of binary packets. */
static int add_certs(const uint8_t *pkt, size_t len, const char *origin, bool in_rpmdb, struct keys_set *set,
		     char **ret_err)
{
	size_t off = 0;
	int added = 0;
	while (off < len) {
		size_t certlen = 0;
		if (pgpPubKeyCertLen(pkt + off, len - off, &certlen) != 0 || certlen == 0) {
			*ret_err = xasprintf("%s: not an OpenPGP public key (bad packet at byte %zu)", origin, off);
			return -EINVAL;
		}
		struct keys_key k;
		_cleanup_free_ char *why = NULL;
		if (key_from_cert(pkt + off, certlen, &k, &why) < 0) {
			*ret_err = xasprintf("%s: %s", origin, why);
			return -EINVAL;
		}
		k.in_rpmdb = in_rpmdb;
		k.file = in_rpmdb ? NULL : xstrdup(origin);
		set_add(set, &k);
		added++;
		off += certlen;
	}
	if (!added) {
		*ret_err = xasprintf("%s: holds no public key", origin);
		return -EINVAL;
	}
	return 0;
}

static const char armor_begin[] = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
static const char armor_end[] = "-----END PGP PUBLIC KEY BLOCK-----";

int keys_read_armored(const char *text, const char *origin, struct keys_set *set, char **ret_err)
{
	const char *p = strstr(text, armor_begin);
	if (!p) {
		*ret_err = xasprintf("%s: no \"%s\" in it", origin, armor_begin);
		return -EINVAL;
	}
	for (; p; p = strstr(p, armor_begin)) {
		const char *e = strstr(p, armor_end);
		if (!e) {
			*ret_err = xasprintf("%s: a key block without \"%s\"", origin, armor_end);
			return -EINVAL;
		}
		e += strlen(armor_end);
		_cleanup_free_ char *block = xasprintf("%.*s\n", (int)(e - p), p);
		uint8_t *pkt = NULL;
		size_t len = 0;
		pgpArmor a = pgpParsePkts(block, &pkt, &len);
		if (a != PGPARMOR_PUBKEY || !pkt) {
			free(pkt);
			*ret_err = xasprintf("%s: a damaged public key block (armor or checksum)", origin);
			return -EINVAL;
		}
		int r = add_certs(pkt, len, origin, false, set, ret_err);
		free(pkt);
		if (r < 0)
			return r;
		p = e;
	}
	return 0;
}

int keys_read_file(const char *path, struct keys_set *set, char **ret_err)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = read_file(path, 16 << 20, &data, &len);
	if (r < 0) {
		*ret_err = xasprintf("%s: %s", path, strerror(-r));
		return r;
	}
	if (memmem(data, len, armor_begin, strlen(armor_begin)))
		return keys_read_armored(data, path, set, ret_err);
	/* a binary key file (gpg --export without --armor) */
	return add_certs((const uint8_t *)data, len, path, false, set, ret_err);
}

int keys_read_rpmdb(const char *root, const char *tmp_parent, struct keys_set *set, char **ret_err)
{
	int r = rpmenv_init(ret_err);
	if (r < 0)
		return r;
	_cleanup_free_ char *copy = NULL;
	r = rpmenv_rpmdb_copy(root, tmp_parent, &copy, ret_err);
	if (r < 0)
		return r;
	rpmPushMacro(NULL, "_dbpath", NULL, copy, RMIL_CMDLINE);
	rpmts ts = rpmtsCreate();
	rpmtsSetRootDir(ts, "/");
	rpmenv_log_clear();
	if (rpmtsOpenDB(ts, O_RDONLY) != 0) {
		*ret_err = xasprintf("cannot open the rpm database of %s: %s", root,
				     rpmenv_log_last() ? rpmenv_log_last() : "librpm error");
		r = -EIO;
		goto out;
	}
	rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_NAME, "gpg-pubkey", 0);
	Header h;
	while (r == 0 && (h = rpmdbNextIterator(mi))) {
		_cleanup_free_ char *origin = xasprintf("%s rpmdb: gpg-pubkey-%s-%s", root, headerGetString(h, RPMTAG_VERSION) ?: "?",
							 headerGetString(h, RPMTAG_RELEASE) ?: "?");
		struct rpmtd_s td;
		bool done = false;
		if (headerGet(h, RPMTAG_PUBKEYS, &td, HEADERGET_MINMEM)) {
			const char *b64;
			while ((b64 = rpmtdNextString(&td)) && r == 0) {
				void *pkt = NULL;
				size_t len = 0;
				if (rpmBase64Decode(b64, &pkt, &len) == 0 && pkt) {
					r = add_certs(pkt, len, origin, true, set, ret_err);
					done = true;
				}
				free(pkt);
			}
			rpmtdFreeData(&td);
		}
		if (!done && r == 0) {
			/* older rpms kept only the armored text, in the description */
			const char *armored = headerGetString(h, RPMTAG_DESCRIPTION);
			struct keys_set tmp = {0};
			if (armored && keys_read_armored(armored, origin, &tmp, ret_err) == 0) {
				for (size_t i = 0; i < tmp.n; i++) {
					tmp.v[i].in_rpmdb = true;
					free(tmp.v[i].file);
					tmp.v[i].file = NULL;
					set_add(set, &tmp.v[i]);
				}
				free(tmp.v);
			} else {
				keys_set_clear(&tmp);
				free(*ret_err);
				*ret_err = xasprintf("%s: the header holds no readable key", origin);
				r = -EINVAL;
			}
		}
	}
	rpmdbFreeIterator(mi);
out:
	rpmtsFree(ts);
	rpmPopMacro(NULL, "_dbpath");
	rm_rf(copy);
	return r;
}

json_t *keys_key_to_json(const struct keys_key *k)
{
	json_t *subs = json_array();
	for (size_t i = 0; i < k->n_subkeys; i++)
		json_array_append_new(subs, json_string(k->subkey_ids[i]));
	return json_pack("{s:s, s:s, s:s?, s:I, s:s, s:o, s:b, s:s?, s:s}", "key_id", k->key_id, "fingerprint",
			 k->fingerprint, "user_id", k->user_id, "created", (json_int_t)k->created, "gpg_pubkey",
			 k->gpg_pubkey, "subkey_ids", subs, "in_rpmdb", k->in_rpmdb, "file", k->file, "armored",
			 k->armored);
}

int keys_set_from_json(json_t *gpgkeys, struct keys_set *set, char **ret_err)
{
	size_t i;
	json_t *o;
	json_array_foreach(gpgkeys, i, o) {
		const char *armored = json_string_value(json_object_get(o, "armored"));
		const char *file = json_string_value(json_object_get(o, "file"));
		const char *id = json_string_value(json_object_get(o, "key_id"));
		_cleanup_free_ char *origin = xasprintf("key %s (%s)", id ? id : "?", file ? file : "rpmdb");
		if (!armored) {
			*ret_err = xasprintf("%s: no armored key", origin);
			return -EINVAL;
		}
		struct keys_set tmp = {0};
		int r = keys_read_armored(armored, origin, &tmp, ret_err);
		if (r < 0) {
			keys_set_clear(&tmp);
			return r;
		}
		for (size_t k = 0; k < tmp.n; k++) {
			tmp.v[k].in_rpmdb = json_is_true(json_object_get(o, "in_rpmdb"));
			free(tmp.v[k].file);
			tmp.v[k].file = file ? xstrdup(file) : NULL;
			set_add(set, &tmp.v[k]);
		}
		free(tmp.v);
	}
	return 0;
}

/* ---- verification ---- */

struct keys_verifier {
	rpmts ts;
	rpmKeyring ring;
};

struct keys_verifier *keys_verifier_new(const struct keys_set *set)
{
	_cleanup_free_ char *err = NULL;
	if (rpmenv_init(&err) < 0)
		return NULL;
	struct keys_verifier *v = xcalloc(1, sizeof(*v));
	v->ring = rpmKeyringNew();
	for (size_t i = 0; set && i < set->n; i++) {
		rpmPubkey pk = rpmPubkeyNew(set->v[i].pkt, set->v[i].pktlen);
		if (!pk)
			continue;
		rpmKeyringAddKey(v->ring, pk);
		int n = 0;
		rpmPubkey *subs = rpmGetSubkeys(pk, &n);
		for (int k = 0; k < n; k++) {
			rpmKeyringAddKey(v->ring, subs[k]);
			rpmPubkeyFree(subs[k]);
		}
		free(subs);
		rpmPubkeyFree(pk);
	}
	v->ts = rpmtsCreate();
	/* our keyring, never the rpmdb's: librpm would load that one from the live system */
	rpmtsSetKeyring(v->ts, v->ring);
	return v;
}

void keys_verifier_free(struct keys_verifier *v)
{
	if (!v)
		return;
	rpmtsFree(v->ts);
	rpmKeyringFree(v->ring);
	free(v);
}

const char *keys_verdict_name(enum keys_verdict v)
{
	static const char *const n[] = {"ok", "unsigned", "no-key", "not-trusted", "bad-signature", "corrupt"};
	return v <= KEYS_CORRUPT ? n[v] : "?";
}

void keys_check_clear(struct keys_check *c)
{
	if (!c)
		return;
	free(c->key_id);
	free(c->detail);
	memset(c, 0, sizeof(*c));
}

/* The key id the header's signature names, header-only signatures first (what rpm checks). */
static char *signature_key_id(Header h)
{
	static const rpmTagVal tags[] = {RPMTAG_RSAHEADER, RPMTAG_DSAHEADER, RPMTAG_SIGPGP, RPMTAG_SIGGPG};
	for (size_t i = 0; i < ELEMENTSOF(tags); i++) {
		struct rpmtd_s td;
		if (!headerGet(h, tags[i], &td, HEADERGET_MINMEM))
			continue;
		char *id = NULL;
		pgpDigParams params = NULL;
		if (td.type == RPM_BIN_TYPE && pgpPrtParams(td.data, td.count, PGPTAG_SIGNATURE, &params) == 0 && params) {
			id = hexstr(pgpDigParamsSignID(params), 8);
			pgpDigParamsFree(params);
		}
		rpmtdFreeData(&td);
		if (id)
			return id;
	}
	return NULL;
}

static bool has_signature(Header h)
{
	return headerIsEntry(h, RPMTAG_RSAHEADER) || headerIsEntry(h, RPMTAG_DSAHEADER) ||
	       headerIsEntry(h, RPMTAG_SIGPGP) || headerIsEntry(h, RPMTAG_SIGGPG);
}

/* librpm's lines for this package, without the file name it prefixes them with. */
static char *rpm_detail(const char *path)
{
	const char *log = rpmenv_log();
	if (!*log)
		return NULL;
	struct buf b = {0};
	size_t pl = strlen(path);
	for (const char *l = log; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		const char *s = l;
		if (n > pl + 2 && !strncmp(s, path, pl) && s[pl] == ':') {
			s += pl + 2;
			n -= pl + 2;
		}
		buf_printf(&b, "%s%.*s", b.len ? "; " : "", (int)n, s);
		l = nl ? nl + 1 : l + n;
	}
	return b.len ? buf_steal(&b) : (buf_free(&b), NULL);
}

int keys_verify_package(struct keys_verifier *v, const char *path, bool check_signature, struct keys_check *ret)
{
	memset(ret, 0, sizeof(*ret));
	FD_t fd = Fopen(path, "r.ufdio");
	if (!fd || Ferror(fd)) {
		int r = errno ? -errno : -EIO;
		if (fd)
			Fclose(fd);
		return r;
	}
	rpmtsSetVSFlags(v->ts, check_signature ? RPMVSF_DEFAULT : RPMVSF_MASK_NOSIGNATURES);
	rpmenv_log_clear();
	Header h = NULL;
	rpmRC rc = rpmReadPackageFile(v->ts, fd, path, &h);
	if (h)
		ret->key_id = signature_key_id(h);
	switch (rc) {
	case RPMRC_OK:
		ret->verdict = h && has_signature(h) ? KEYS_OK : KEYS_UNSIGNED;
		if (!check_signature && ret->verdict == KEYS_OK)
			ret->verdict = KEYS_UNSIGNED; /* not checked: the caller says why */
		break;
	case RPMRC_NOKEY:
		ret->verdict = KEYS_NOKEY;
		break;
	case RPMRC_NOTTRUSTED:
		ret->verdict = KEYS_NOTTRUSTED;
		break;
	case RPMRC_FAIL: {
		const char *log = rpmenv_log();
		/* "Header V4 RSA/SHA256 Signature, key ID ...: BAD" vs "Header SHA256 digest: BAD" */
		ret->verdict = check_signature && strstr(log, "Signature") && strstr(log, "BAD") ? KEYS_BAD_SIGNATURE
											      : KEYS_CORRUPT;
		break;
	}
	default:
		ret->verdict = KEYS_CORRUPT;
		break;
	}
	ret->detail = rpm_detail(path);
	if (!ret->detail && rc == RPMRC_NOTFOUND)
		ret->detail = xstrdup("not an rpm package");
	if (!ret->detail && rc != RPMRC_OK && rc != RPMRC_NOKEY)
		ret->detail = xstrdup("librpm cannot read the package");
	/* The header's signature covers the payload only through the payload digest it carries;
	 * rpm checks that one when it installs. A package that is damaged there (or swapped) is
	 * caught now, not halfway through the upgrade. */
	if (h && ret->verdict != KEYS_CORRUPT && ret->verdict != KEYS_BAD_SIGNATURE) {
		struct rpmtd_s td;
		const char *want = NULL;
		if (headerGet(h, RPMTAG_PAYLOADDIGEST, &td, HEADERGET_MINMEM)) {
			want = rpmtdNextString(&td);
			int algo = (int)headerGetNumber(h, RPMTAG_PAYLOADDIGESTALGO);
			if (!algo)
				algo = PGPHASHALGO_SHA256;
			DIGEST_CTX ctx = want ? rpmDigestInit(algo, RPMDIGEST_NONE) : NULL;
			if (ctx) {
				char buf[1 << 16];
				ssize_t n;
				while ((n = Fread(buf, 1, sizeof(buf), fd)) > 0)
					rpmDigestUpdate(ctx, buf, (size_t)n);
				bool read_err = n < 0 || Ferror(fd);
				char *got = NULL;
				rpmDigestFinal(ctx, (void **)&got, NULL, 1);
				if (read_err || !got || strcasecmp(got, want)) {
					ret->verdict = KEYS_CORRUPT;
					free(ret->detail);
					ret->detail = read_err ? xasprintf("cannot read the payload: %s", Fstrerror(fd))
							       : xasprintf("payload digest mismatch: the header says %s, the "
									   "payload has %s",
									   want, got ? got : "?");
				}
				free(got);
			} else if (want) {
				ret->verdict = KEYS_CORRUPT;
				free(ret->detail);
				ret->detail = xasprintf("unsupported payload digest algorithm %d", algo);
			}
			rpmtdFreeData(&td);
		}
	}
	headerFree(h);
	Fclose(fd);
	return 0;
}
