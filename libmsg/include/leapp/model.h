/* Model registry: message types declared in YAML schema files, and validation against them. */
#ifndef LEAPP_MODEL_H
#define LEAPP_MODEL_H

#include <jansson.h>
#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>

#include "leapp/yaml.h"

/*
 * Schema files hold a list of models:
 *
 *   - model: InstalledRPM
 *     topic: SystemFactsTopic
 *     description: one line
 *     fields:
 *       name: string                       # shorthand: the type name
 *       epoch: {type: integer, default: 0}
 *       vendor: {type: string, nullable: true}
 *       groups: {type: list, of: string}
 *       attrs: {type: map, of: integer}     # string keys
 *       state: {type: enum, values: [a, b]}
 *       owner: {type: model, model: Person} # or just: owner: Person
 *
 * Actor configuration schemas (manifest "config: fields:") may also constrain a field:
 *   pattern: "^ip="          a string value must match (POSIX extended regex)
 *   aliases: [old_name]      the key may also be written under these names
 *   requires: [other_key]    when set (non-empty), these keys must be set too
 *   path_exists: true        a non-empty value names a path that must exist under --root
 *
 * Types: string, integer, boolean, float, datetime, blob, enum, list, map, model.
 * On the wire (msgpack) a datetime is an ISO 8601 UTC string and a blob is bin; in JSON a
 * blob is base64. A field without a default that is not nullable is required. A missing
 * nullable field without a default is null. Unknown fields are invalid.
 */

enum ftype {
	FT_STRING,
	FT_INTEGER,
	FT_BOOLEAN,
	FT_FLOAT,
	FT_DATETIME,
	FT_BLOB,
	FT_ENUM,
	FT_LIST,
	FT_MAP,
	FT_MODEL,
	FT_ANY, /* only for actor config schemas: any JSON value */
};

struct ftypespec {
	enum ftype type;
	bool nullable;
	json_t *def;            /* default value (JSON form), or NULL */
	char **enum_values;     /* FT_ENUM */
	size_t n_enum;
	struct ftypespec *of;   /* FT_LIST item type, FT_MAP value type */
	char *model_name;       /* FT_MODEL */
	struct model *model;    /* resolved after loading */
	/* constraints, checked where configuration is loaded (actor_conf.d): */
	char *pattern;          /* a string must match this POSIX extended regex ("^ip=") */
	char **aliases;         /* other names the key may be written as */
	size_t n_aliases;
	char **requires;        /* keys that must be set (non-empty) when this one is */
	size_t n_requires;
	bool path_exists;       /* a non-empty string names a path that must exist under --root */
};

struct model_field {
	char *name;
	char *description;
	struct ftypespec spec;
	int line;
};

struct model {
	char *name;
	char *topic;
	char *description;
	char *file;
	int line;
	struct model_field *fields;
	size_t n_fields;
	/* `workflow_config: true` in the schema: the latest message of this model is the
	 * workflow configuration the broker hands to every later actor (hello.workflow) */
	bool workflow_config;
};

struct model_registry;

struct model_registry *model_registry_new(void);
void model_registry_free(struct model_registry *r);

/* Load one schema file / every *.yaml in a directory (sorted). Errors: -EINVAL with
 * "file:line: ..." in *ret_err; -EEXIST for a model declared twice (both places named). */
int model_registry_load_file(struct model_registry *r, const char *path, char **ret_err);
int model_registry_load_dir(struct model_registry *r, const char *dir, char **ret_err);
/* Same as load_file for a schema held in memory; name is used in errors. */
int model_registry_load_string(struct model_registry *r, const char *name, const char *data, size_t len, char **ret_err);
/* Resolve nested model references; -ENOENT names the unknown model and where it is used. */
int model_registry_resolve(struct model_registry *r, char **ret_err);

const struct model *model_registry_find(const struct model_registry *r, const char *name);
size_t model_registry_count(const struct model_registry *r);
/* The model that carries the workflow configuration (workflow_config: true), or NULL. */
const struct model *model_registry_workflow_config(const struct model_registry *r);
const struct model *model_registry_at(const struct model_registry *r, size_t i);

/* Parse a field type spec from YAML (used for actor configuration schemas too). */
int ftypespec_parse(struct ftypespec *ret, const struct ynode *n, const char *file, char **ret_err);
void ftypespec_clear(struct ftypespec *s);
/* Resolve FT_MODEL references inside a spec. */
int ftypespec_resolve(struct ftypespec *s, const struct model_registry *r, const char *where, char **ret_err);

/* Validate a msgpack object (the message data map) against a model and, when pk is not
 * NULL, pack its canonical form: fields in model order, defaults filled. The canonical form
 * is what is stored and hashed, so the same message always has the same bytes. On failure
 * returns -EINVAL and writes "field 'a.b[3]': expected string, got integer" into err. */
int model_validate_msgpack(const struct model *m, const msgpack_object *o, msgpack_packer *pk,
			   char *err, size_t errlen);

/* Validate JSON against a model, fill defaults and pack it to msgpack (blob: base64 in,
 * bin out). The JSON is not modified. */
int model_pack_json(const struct model *m, json_t *data, msgpack_packer *pk, char *err, size_t errlen);
/* Validate a JSON value against a type spec and return a copy with defaults filled. */
int ftypespec_check_json(const struct ftypespec *s, json_t *v, json_t **ret, char *err, size_t errlen);
/* Convert a YAML value to JSON as the spec types it ("1.0" stays a string for a string
 * field), checking types. Errors are "file:line: key 'path': problem". */
int ftypespec_json_from_yaml(const struct ftypespec *s, const struct ynode *n, const char *file,
			     const char *path, json_t **ret, char **ret_err);
/* Same for a whole set of named fields (a model body or a config section). Unknown keys are
 * errors unless ret_unknown is given, which then collects "file:line: unknown key 'k'". */
int fields_json_from_yaml(const struct model_field *fields, size_t n_fields, const struct ynode *map,
			  const char *file, const char *path, json_t **ret, char **ret_err, json_t *ret_unknown);
/* Parse a "fields:" map into model_field structs. */
int fields_parse(const struct ynode *map, const char *file, struct model_field **ret, size_t *ret_n, char **ret_err);
void fields_free(struct model_field *f, size_t n);

/* Base64 (RFC 4648) for blobs in JSON. */
char *base64_encode(const void *data, size_t len);
int base64_decode(const char *s, size_t len, unsigned char **ret, size_t *ret_len);
bool utf8_valid(const char *s, size_t len);
/* ISO 8601 date-time check: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM) */
bool datetime_valid(const char *s, size_t len);

/* Convert msgpack to JSON (bin becomes base64, ext becomes null). */
json_t *msgpack_to_json(const msgpack_object *o);
/* Pack JSON to msgpack with no schema (strings stay strings). */
void json_pack_msgpack(msgpack_packer *pk, json_t *v);

const char *ftype_name(enum ftype t);

#endif
