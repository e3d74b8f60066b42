/* Actor manifests (actor.yaml): the public contract of an actor, parsed and checked. */
#ifndef LEAPP_MANIFEST_H
#define LEAPP_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "leapp/model.h"

enum stage { STAGE_BEFORE = 0, STAGE_MAIN = 1, STAGE_AFTER = 2 };

/* sandbox devices: the host's /dev instead of the private one (DESIGN.md section 6) */
enum sandbox_devices {
	SANDBOX_DEVICES_NONE = 0, /* the private /dev: null, zero, full, random, urandom, tty */
	SANDBOX_DEVICES_RO,       /* the host's /dev, read-only: block devices can be read, not written */
	SANDBOX_DEVICES_RW,       /* the host's /dev, read-write (phases that may change the system only) */
};

struct sandbox_decl {
	bool network;       /* may use the network */
	bool mounts;        /* may call the mount family */
	bool boot;          /* may write /boot (InterimPreparation) */
	bool host_mountinfo;/* wants the broker-captured host mountinfo */
	enum sandbox_devices devices;
	int line_devices;   /* the line of the devices key, for errors; 0 when absent */
	char **writes;      /* extra writable paths (absolute, under --root) */
	size_t n_writes;
};

struct limits_decl {
	long long memory_mb;   /* 0: workflow default */
	long long cpu_seconds;
	long long open_files;
	long long pids;
};

/*
 * actor.yaml keys: name, description, phase, stage, consumes, produces, tags, exec, timeout,
 * experimental, config, sandbox, limits, side_effects, requires_env.
 *   config:        {section: NAME, fields: {key: typespec, ...}} (the actor_conf.d schema)
 *   side_effects:  true when the actor changes the system (its start is recorded durably)
 *   requires_env:  env vars that must be set for it to run, e.g. [LEAPP_UNSUPPORTED]
 *   experimental:  runs only with --whitelist-experimental NAME (or the feature that names it)
 *   feature:       experimental feature name enabling it (e.g. livemode)
 */
struct manifest {
	char *dir;          /* folder holding actor.yaml */
	char *file;         /* path of actor.yaml */
	char *name;
	char *description;
	char *phase;
	enum stage stage;
	char **consumes;
	size_t n_consumes;
	char **produces;
	size_t n_produces;
	char **tags;
	size_t n_tags;
	char *exec;         /* absolute path */
	double timeout;     /* seconds, 0: workflow default */
	bool experimental;
	char *feature;
	bool side_effects;
	char **requires_env;
	size_t n_requires_env;
	char *config_section;             /* NULL when no config */
	struct model_field *config_fields;/* config schema */
	size_t n_config_fields;
	struct sandbox_decl sandbox;
	struct limits_decl limits;
	int line_consumes, line_produces;
};

/* Parse an actor.yaml. Errors name file:line and the key. */
int manifest_load(const char *path, struct manifest **ret, char **ret_err);
/* Parse a manifest held in memory; path names it (and its folder) in errors. */
int manifest_load_string(const char *path, const char *data, size_t len, struct manifest **ret, char **ret_err);
void manifest_free(struct manifest *m);

/* Check consumes/produces against a registry; -ENOENT names the unknown model. */
int manifest_check_models(struct manifest *m, const struct model_registry *r, char **ret_err);

bool manifest_produces(const struct manifest *m, const char *model);
bool manifest_consumes(const struct manifest *m, const char *model);

const char *stage_name(enum stage s);

#endif
