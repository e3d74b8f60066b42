/* String-keyed hash map with insertion-ordered iteration (FNV-1a, linear probing). */
#include "leapp/strmap.h"

#include <stdint.h>
#include <string.h>

#include "leapp/util.h"

#define TOMB SIZE_MAX

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void strmap_clear(struct strmap *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->n; i++) {
		if (!m->keys[i])
			continue;
		free(m->keys[i]);
		if (free_val)
			free_val(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* Slot of key, or the first free slot for it (*found tells which). */
static size_t find_slot(const struct strmap *m, const char *key, bool *found)
{
	size_t mask = m->cap - 1, i = hash_str(key) & mask, free_slot = SIZE_MAX;
	for (;;) {
		size_t s = m->slots[i];
		if (s == 0) {
			*found = false;
			return free_slot != SIZE_MAX ? free_slot : i;
		}
		if (s == TOMB) {
			if (free_slot == SIZE_MAX)
				free_slot = i;
		} else if (!strcmp(m->keys[s - 1], key)) {
			*found = true;
			return i;
		}
		i = (i + 1) & mask;
	}
}

static void rehash(struct strmap *m, size_t cap)
{
	/* compact the insertion arrays too, dropping deleted entries */
	size_t j = 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->keys[i]) {
			m->keys[j] = m->keys[i];
			m->vals[j] = m->vals[i];
			j++;
		}
	m->n = j;
	free(m->slots);
	m->cap = cap;
	m->slots = xcalloc(cap, sizeof(size_t));
	for (size_t i = 0; i < m->n; i++) {
		bool found;
		size_t s = find_slot(m, m->keys[i], &found);
		m->slots[s] = i + 1;
	}
}

void *strmap_put(struct strmap *m, const char *key, void *val)
{
	if (!m->cap || (m->n + 1) * 2 > m->cap) {
		size_t cap = 16;
		while (cap < (m->live + 1) * 4)
			cap *= 2;
		rehash(m, cap);
	}
	bool found;
	size_t s = find_slot(m, key, &found);
	if (found) {
		void *old = m->vals[m->slots[s] - 1];
		m->vals[m->slots[s] - 1] = val;
		return old;
	}
	m->keys = xrealloc(m->keys, (m->n + 1) * sizeof(char *));
	m->vals = xrealloc(m->vals, (m->n + 1) * sizeof(void *));
	m->keys[m->n] = xstrdup(key);
	m->vals[m->n] = val;
	m->n++;
	m->live++;
	m->slots[s] = m->n;
	return NULL;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	bool found;
	size_t s = find_slot(m, key, &found);
	return found ? m->vals[m->slots[s] - 1] : NULL;
}

bool strmap_has(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return false;
	bool found;
	find_slot(m, key, &found);
	return found;
}

void *strmap_del(struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	bool found;
	size_t s = find_slot(m, key, &found);
	if (!found)
		return NULL;
	size_t idx = m->slots[s] - 1;
	void *v = m->vals[idx];
	free(m->keys[idx]);
	m->keys[idx] = NULL;
	m->vals[idx] = NULL;
	m->slots[s] = TOMB;
	m->live--;
	return v;
}
