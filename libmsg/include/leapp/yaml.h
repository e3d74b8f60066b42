/* A YAML document as a tree of nodes that remember their file and line, for error messages. */
#ifndef LEAPP_YAML_H
#define LEAPP_YAML_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_kind kind;
	int line, column; /* 1-based */
	bool quoted;      /* scalar was quoted: never a null/bool/number */
	char *scalar;     /* YNODE_SCALAR */
	size_t n;         /* YNODE_SEQ items, YNODE_MAP pairs */
	struct ynode **items;
	char **keys;      /* YNODE_MAP: keys[i] -> items[i] */
	int *key_lines;
};

struct ydoc {
	char *file;
	struct ynode *root; /* NULL for an empty document */
};

/* Parse a YAML file (one document). On error returns -EINVAL and, if ret_err is given,
 * a message "file:line:column: problem". Anchors and aliases are refused (the inputs are
 * small and hand-written; refusing them removes the billion-laughs class of problem). */
int ydoc_load_file(const char *path, struct ydoc **ret, char **ret_err);
int ydoc_load_string(const char *name, const char *data, size_t len, struct ydoc **ret, char **ret_err);
void ydoc_free(struct ydoc *d);

/* Map lookup; NULL when absent or node is not a map. */
struct ynode *ynode_get(const struct ynode *map, const char *key);
int ynode_key_line(const struct ynode *map, const char *key);

/* Scalar interpretation (YAML 1.2 core schema). Return 0 or -EINVAL. */
bool ynode_is_null(const struct ynode *n);
int ynode_bool(const struct ynode *n, bool *ret);
int ynode_int(const struct ynode *n, long long *ret);
int ynode_double(const struct ynode *n, double *ret);

/* Untyped conversion to JSON (scalars become null/bool/int/real/string by the core schema). */
json_t *ynode_to_json(const struct ynode *n);

#endif
