/* The broker's shared types: the run context, discovered actors, the workflow and the engine. */
#ifndef BROKER_BROKER_H
#define BROKER_BROKER_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "leapp/manifest.h"
#include "leapp/model.h"
#include "leapp/util.h"
#include "store.h"

/* Exit codes (DESIGN.md section 5). */
enum {
	EXIT_OK = 0,        /* success, including "reboot to continue" */
	EXIT_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_INHIBITED = 3,
};

/* The broker's allocator (oom.c): out of memory stops leapp with exit 1 and a message, never an
 * abort. broker_alloc_init() first thing in main (it also reads the LEAPP_FAULT_ALLOC test hook);
 * the notes print the hook's counts (LEAPP_FAULT_ALLOC=count) at the first actor and at exit. */
void broker_alloc_init(void);
void broker_alloc_spawn_note(void);
void broker_alloc_exit_note(void);

/* Options shared by the workflow commands. */
struct options {
	char *root;                /* --root, default "/" */
	int jobs;                  /* --jobs */
	bool json_progress;
	bool verbose, debug;
	bool force;
	bool nogpgcheck;
	bool snapshot;             /* --snapshot: LVM snapshots before the reboot (DESIGN.md section 12) */
	bool no_sandbox;           /* --no-sandbox (debugging; recorded and reported) */
	bool resume;
	bool reboot;
	char *target;              /* --target */
	char **enablerepo;         /* --enablerepo (repeatable) */
	size_t n_enablerepo;
	char **whitelist;          /* --whitelist-experimental */
	size_t n_whitelist;
	char **features;           /* --enable-experimental-feature */
	size_t n_features;
	char *report_schema;       /* --report-schema: 1.0.0 | 1.1.0 | 1.2.0 */
	char **ignored;            /* "--no-rhsm (why)": leapp options that mean nothing here, logged by the run */
	size_t n_ignored;
	double actor_timeout;      /* default timeout, seconds */
};

void options_clear(struct options *o);

/* Every actor known to this run, sorted by name. */
struct actor_set {
	struct manifest **v;
	size_t n;
};

struct phase_def {
	char *name;
	int index;
	enum { POLICY_FAIL_PHASE, POLICY_FAIL_IMMEDIATELY, POLICY_REPORT_ONLY } policy;
	bool checkpoint;            /* stop if any error so far */
	bool restart_after;         /* the machine reboots after this phase */
	bool request_restart_after; /* the user must reboot after this phase */
	bool stop_preupgrade;       /* preupgrade ends after this phase */
	bool inhibitor_barrier;     /* upgrade stops here when inhibited */
	bool skip_on_inhibitor;     /* skipped after an inhibitor (checkskipphase) */
	enum { PROFILE_SOURCE, PROFILE_INTERIM_PREP, PROFILE_READWRITE } profile;
	char *description;
};

struct workflow_def {
	char *name;
	struct phase_def *phases;
	size_t n;
};

/* The context of one leapp invocation. */
struct leapp_ctx {
	struct options opt;
	char *argv0_dir;            /* directory of the leapp binary (leapp-msg lives there) */
	char *datadir;              /* share/leapp: actors, models, phases, files */
	char *root;                 /* absolute, no trailing slash ("/" for the host) */
	char *statedir;             /* <root>/var/lib/leapp */
	char *logdir;               /* <root>/var/log/leapp */
	char *etcdir;               /* <root>/etc/leapp */
	struct model_registry *models;
	struct actor_set actors;
	struct workflow_def wf;
	json_t *actor_config;       /* section name -> validated config */
	json_t *config_warnings;    /* list of strings */
	struct store *store;
	int lock_fd;
	struct output *out;
	char *cmdline;
	json_t *workflow_override;  /* leapp actor run: the "workflow" of the input file */
};

/* Paths and setup (context.c). Fills datadir, statedir, logdir from options. */
int ctx_init(struct leapp_ctx *c, const char *argv0);
void ctx_clear(struct leapp_ctx *c);
/* Load models, actors, the workflow and actor configuration; prints errors. */
int ctx_load(struct leapp_ctx *c);
/* Take the run lock and open the store (creating the state dirs). */
int ctx_open_store(struct leapp_ctx *c, bool create);

/* discovery.c */
int actor_set_load(struct actor_set *s, struct leapp_ctx *c, char **ret_err);
void actor_set_clear(struct actor_set *s);
struct manifest *actor_set_find(const struct actor_set *s, const char *name);
/* Check manifests against models and the workflow; cycles inside a phase+stage. */
int actor_set_check(struct actor_set *s, struct leapp_ctx *c, char **ret_err);

/* workflow_def.c */
int workflow_def_load(struct workflow_def *w, const char *path, char **ret_err);
void workflow_def_clear(struct workflow_def *w);
const struct phase_def *workflow_phase(const struct workflow_def *w, const char *name);

/* actorconf.c: /etc/leapp/actor_conf.d/NAME.yaml validated against the manifests' schemas */
int actor_config_load(struct leapp_ctx *c, char **ret_err);

/* Is this actor enabled for this run (experimental, features, required env)? Sets *why. */
bool actor_enabled(const struct leapp_ctx *c, const struct manifest *m, const char **why);

/* engine.c: run the workflow */
enum run_kind { RUN_PREUPGRADE, RUN_UPGRADE };
struct engine_result {
	int exit_code;
	bool inhibited;
	bool errors;
	bool reboot_requested;  /* request_restart_after reached */
	bool reboot_now;        /* restart_after reached (Finalization) */
	char *stopped_after;    /* last phase run */
	struct execution exec;
};
int engine_run(struct leapp_ctx *c, enum run_kind kind, struct engine_result *ret);
/* Run one actor alone (leapp actor run), with the given input messages [{model,data}]. */
int engine_run_single(struct leapp_ctx *c, struct manifest *m, json_t *input, json_t **ret_output);
void engine_result_clear(struct engine_result *r);

/* The broker's own log (console + log file), once, where it decides what to do. */
void log_error(const char *fmt, ...) _printf_(1, 2);
void log_warning(const char *fmt, ...) _printf_(1, 2);
void log_info(const char *fmt, ...) _printf_(1, 2);

#endif
