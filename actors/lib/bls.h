/* Boot Loader Specification entries (/boot/loader/entries) and GRUB's grubenv block. */
#ifndef ACTORS_BLS_H
#define ACTORS_BLS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * grubenv: "# GRUB Environment Block\n", then name=value lines, padded with '#' to exactly
 * 1024 bytes. grub-editenv escapes '\' and newline in values with a backslash.
 */
struct grubenv {
	char **names, **values;
	size_t n;
};

/* Load a grubenv file. -ENOENT when absent; -EINVAL when it is not a grubenv block. */
int grubenv_load(const char *path, struct grubenv *ret);
int grubenv_parse(const char *data, size_t len, struct grubenv *ret);
/* Borrowed value, or NULL when unset. */
const char *grubenv_get(const struct grubenv *env, const char *name);
/* Set (value != NULL) or unset (value == NULL) a variable. */
void grubenv_set(struct grubenv *env, const char *name, const char *value);
/* The 1024-byte block; -E2BIG when the variables do not fit (as grub-editenv refuses). */
int grubenv_format(const struct grubenv *env, char **ret, size_t *ret_len);
/* Write the block atomically (temp file + rename), mode 0644. */
int grubenv_save(const char *path, const struct grubenv *env);
void grubenv_clear(struct grubenv *env);
json_t *grubenv_to_json(const struct grubenv *env);

/*
 * A BLS entry: "key value" lines. The common keys have fields; every line is kept, in
 * order, in keys/values so that an entry can be rewritten without losing anything.
 */
struct bls_entry {
	char *id;       /* file name without ".conf" */
	char *file;     /* file name as shown: /boot/loader/entries/ID.conf */
	char *title, *version, *linux, *options, *machine_id, *grub_class, *grub_users, *grub_arg;
	char **initrd;  /* every initrd value (a line may list several) */
	size_t n_initrd;
	char **keys, **values;
	size_t n;
};

int bls_entry_parse(const char *id, const char *file, const char *data, size_t len, struct bls_entry *ret);
void bls_entry_clear(struct bls_entry *e);
/* "key value\n" lines, in the original order. */
char *bls_entry_format(const struct bls_entry *e);
/* Replace (or add, at the end) a key's first value; value NULL removes every line of key. */
void bls_entry_set(struct bls_entry *e, const char *key, const char *value);

/*
 * Load every *.conf in root + /boot/loader/entries, sorted the way grub2's blscfg shows
 * them: newest version first (rpm version order of the id), so entries[0] is what grub
 * boots when saved_entry is unset. Returns 0 (an absent directory gives no entries) or -errno.
 */
int bls_entries_load(const char *root, struct bls_entry **ret, size_t *ret_n);
void bls_entries_free(struct bls_entry *v, size_t n);

/* Expand $name and ${name} from env as grub does; unset variables expand to nothing.
 * Runs of whitespace are collapsed and the result trimmed. */
char *bls_expand(const char *s, const struct grubenv *env);

/* The index of the default entry: saved_entry names an id, a title or an index; unset or
 * not found means the first entry. -1 when there are no entries. */
int bls_default_index(const struct bls_entry *v, size_t n, const struct grubenv *env);

#endif
