/* A small string-keyed hash map (open addressing) for the planner's sets and indexes. */
#ifndef LEAPP_STRMAP_H
#define LEAPP_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Keys are copied; values are opaque pointers owned by the caller. Iteration order is
 * insertion order (the planner's output must be deterministic), hence the keys array.
 */
struct strmap {
	char **keys;        /* insertion order; NULL where a key was deleted */
	void **vals;
	size_t n;           /* used slots in keys/vals (incl. deleted) */
	size_t live;        /* live entries */
	size_t *slots;      /* hash table: index+1 into keys, 0 = empty, SIZE_MAX = tombstone */
	size_t cap;         /* power of two */
};

void strmap_init(struct strmap *m);
/* Frees the keys (and, with free_val, each value with free_val). */
void strmap_clear(struct strmap *m, void (*free_val)(void *));
/* Sets key to val; returns the previous value (or NULL). */
void *strmap_put(struct strmap *m, const char *key, void *val);
void *strmap_get(const struct strmap *m, const char *key);
bool strmap_has(const struct strmap *m, const char *key);
/* Removes key; returns its value (or NULL). */
void *strmap_del(struct strmap *m, const char *key);
static inline size_t strmap_size(const struct strmap *m) { return m->live; }

/* Iterate: for (size_t i = 0; i < m.n; i++) if (m.keys[i]) ... */

#endif
