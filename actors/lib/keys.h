/* OpenPGP keys for package signatures: the keys of an rpmdb and of key files, a librpm keyring
 * of them, and the verification of a package file (signature, header and payload digests). */
#ifndef ACTORS_KEYS_H
#define ACTORS_KEYS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rpm/rpmtypes.h>

/* One public key (a certificate: the primary key with its user ids and subkeys). */
struct keys_key {
	char *key_id;          /* long id of the primary key, 16 lowercase hex */
	char *fingerprint;     /* lowercase hex */
	char *user_id;         /* first user id, or NULL */
	uint32_t created;      /* creation time of the primary key */
	char *gpg_pubkey;      /* gpg-pubkey-<short id>-<created>, 8 lowercase hex each (the rpmdb NVR) */
	char **subkey_ids;     /* long ids of the subkeys */
	size_t n_subkeys;
	char *armored;         /* ASCII armor of this one certificate */
	uint8_t *pkt;          /* the certificate's packets */
	size_t pktlen;
	bool in_rpmdb;         /* read from an rpmdb */
	char *file;            /* read from this key file, or NULL */
};

struct keys_set {
	struct keys_key *v;
	size_t n;
};

/*
 * Append the keys imported in root's rpmdb (its gpg-pubkey headers). The rpmdb is read from
 * a private copy made below tmp_parent (a host directory; removed afterwards), so nothing of
 * root changes, not even sqlite's side files. 0, -ENOENT (no rpmdb), or -errno with *ret_err.
 */
int keys_read_rpmdb(const char *root, const char *tmp_parent, struct keys_set *set, char **ret_err);

/* Append every key of an ASCII-armored (or binary) key file; several armor blocks, and several
 * certificates in one block, are allowed. A key already in the set (same fingerprint) is
 * merged: in_rpmdb/file are combined. 0, or -errno with a message naming the file. */
int keys_read_file(const char *path, struct keys_set *set, char **ret_err);

/* The same from armored text; `origin` names it in messages and becomes key->file. */
int keys_read_armored(const char *armored, const char *origin, struct keys_set *set, char **ret_err);

/* Move every key of src into dst (merging duplicates, as the readers do); src ends empty. */
void keys_set_merge(struct keys_set *dst, struct keys_set *src);

/* The key whose primary or subkey id is key_id (16 hex, any case), or NULL. */
struct keys_key *keys_find(const struct keys_set *set, const char *key_id);
/* The key with this gpg-pubkey NVR, or NULL. */
struct keys_key *keys_find_nvr(const struct keys_set *set, const char *gpg_pubkey);
/* Remove the key at index i. */
void keys_remove(struct keys_set *set, size_t i);
void keys_set_clear(struct keys_set *set);

/* JSON of the GpgKey model (libmsg/models/download.yaml) without source/repos; and back
 * (from GpgKey messages: the armored key is parsed again). */
json_t *keys_key_to_json(const struct keys_key *k);
int keys_set_from_json(json_t *gpgkeys, struct keys_set *set, char **ret_err);

/*
 * A package verifier: a librpm keyring of the keys (with their subkeys) in a transaction set
 * that never opens an rpmdb.
 */
struct keys_verifier;
struct keys_verifier *keys_verifier_new(const struct keys_set *set);
void keys_verifier_free(struct keys_verifier *v);

enum keys_verdict {
	KEYS_OK,            /* signed by a key of the set; digests match */
	KEYS_UNSIGNED,      /* digests match, no signature (only acceptable without a signature check) */
	KEYS_NOKEY,         /* signed by a key not in the set */
	KEYS_NOTTRUSTED,    /* signed by a key of the set that librpm does not trust (e.g. expired) */
	KEYS_BAD_SIGNATURE, /* a signature that does not verify: tampered with, or corrupt */
	KEYS_CORRUPT,       /* not a readable package, or a header/payload digest mismatch */
};
const char *keys_verdict_name(enum keys_verdict v);

struct keys_check {
	enum keys_verdict verdict;
	char *key_id;       /* long id named by the signature (16 hex), or NULL */
	char *detail;       /* librpm's or our explanation, or NULL */
};

/*
 * Verify a package file: its header (signature when check_signature, and digests) with
 * librpm, then the payload against the header's payload digest. Returns 0 with the verdict
 * in *ret (free with keys_check_clear), or -errno when the file cannot be read at all.
 */
int keys_verify_package(struct keys_verifier *v, const char *path, bool check_signature, struct keys_check *ret);
void keys_check_clear(struct keys_check *c);

#endif
