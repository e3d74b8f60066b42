/* The audit store: SQLite (WAL) written by the broker alone; runs commit all-or-nothing. */
#ifndef BROKER_STORE_H
#define BROKER_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct store;

/* Every result of the store is checked (DESIGN.md section 2): an error is an error, never "no
 * more rows" or "not committed". */
#define _store_check_ __attribute__((warn_unused_result))

/*
 * Commit scheme (DESIGN.md section 2). Rows are inserted as frames arrive, tagged with their
 * actor run, inside one open transaction that store_flush() commits once per loop turn. A
 * run is visible (to consumers, reports, resume) only once its committed flag is set.
 *
 * Durability: a commit is made durable (fsync of the WAL) at phase barriers, before an actor
 * with side effects starts, and before leapp exits. Between those points a run's commit is
 * written to the WAL but may not be synced yet; consumers already see it. That is safe
 * because the WAL is replayed as a prefix: a crash that loses a commit loses every row
 * written after it too, so no surviving row can depend on a lost one. fsync costs ~160 us
 * here, which would otherwise be most of the per-actor budget. LEAPP_STORE_SYNC=full makes
 * every run commit durable on its own.
 */

/* Open (creating when create is true) the store at path. Refuses a corrupted database with
 * -EBADMSG (and never writes to it), a newer schema with -EPROTONOSUPPORT. */
_store_check_ int store_open(const char *path, bool create, struct store **ret, char **ret_err);
/* Commits what is pending unless a write failed before (then it is rolled back). */
void store_close(struct store *s);
const char *store_path(const struct store *s);
/* What the last error was: "<path>: <what failed>: <SQLite's message>". */
const char *store_errmsg(const struct store *s);

/*
 * Commit the open batch; durable=true also syncs the WAL, including commits made before
 * without a sync when nothing is pending. After a failed write or commit every later write
 * and flush returns the same error: the batch is rolled back at close, and what was committed
 * before stays as it was.
 */
_store_check_ int store_flush(struct store *s, bool durable);

struct execution {
	int64_t id;
	char uuid[37];
	char *kind;     /* preupgrade | upgrade */
	char *status;   /* running | failed | inhibited | reboot | finished | stopped */
	char *next_phase; /* where --resume continues, or NULL */
	char *boot_id;  /* boot id recorded when a reboot was requested */
	char *cmdline;
	json_t *config;
	double started, finished;
};
void execution_clear(struct execution *e);

_store_check_ int store_execution_new(struct store *s, const char *kind, const char *cmdline, json_t *config,
				   struct execution *ret);
/* The newest execution of a kind (NULL kind: any). -ENOENT when none. */
_store_check_ int store_execution_last(struct store *s, const char *kind, struct execution *ret);
_store_check_ int store_execution_get(struct store *s, const char *uuid, struct execution *ret);
_store_check_ int store_execution_update(struct store *s, int64_t id, const char *status, const char *next_phase, const char *boot_id,
			   bool finished);
/* Every execution, oldest first, as JSON objects. */
_store_check_ int store_executions_list(struct store *s, json_t **ret);

struct run_info {
	int64_t id;
	char *actor;
	char *phase;
	char *status;   /* running | ok | failed | killed | skipped */
	bool committed;
	int exit_code, signal;
};

/* A new actor run row (status running, not committed). */
_store_check_ int store_run_new(struct store *s, int64_t exec, const char *actor, const char *phase, int phase_idx, int stage,
		  int position, int64_t *ret_run);
_store_check_ int store_run_started(struct store *s, int64_t run, int pid, double started);
_store_check_ int store_run_finished(struct store *s, int64_t run, const char *status, int exit_code, int signal, double duration,
		       int64_t peak_rss_kb, bool committed, const char *failure);
/* Runs of an execution, in order. */
_store_check_ int store_runs_list(struct store *s, int64_t exec, json_t **ret);
/* Delete every uncommitted run of an execution and the rows it produced. Returns the number. */
_store_check_ int store_discard_uncommitted(struct store *s, int64_t exec);
/* Is there a committed run of actor in phase? 1 yes, 0 no, or a negative errno. */
_store_check_ int store_run_committed(struct store *s, int64_t exec, const char *actor, const char *phase);
/* The newest failed run of an execution (failed/killed status, not committed), -ENOENT when
 * there is none, or another negative errno when the store cannot tell. */
_store_check_ int store_last_failed_run(struct store *s, int64_t exec, struct run_info *ret);
void run_info_clear(struct run_info *r);

/* okey orders messages deterministically: phase, stage, position, then the producer's seq.
 * seq has 32 bits here: the broker's limits per run (messages, report entries) keep a run's
 * 64-bit counter far below 2^32, so it never wraps into the position. */
static inline int64_t store_okey(int phase_idx, int stage, int position, uint64_t seq)
{
	return ((int64_t)phase_idx << 48) | ((int64_t)stage << 44) | ((int64_t)(position & 0xfff) << 32) |
	       (int64_t)(seq & 0xffffffffu);
}

_store_check_ int store_message_add(struct store *s, int64_t exec, int64_t run, int64_t okey, const char *model, const char *topic,
		      const char *producer, const void *data, size_t len);
_store_check_ int store_log_add(struct store *s, int64_t exec, int64_t run, const char *level, double ts, const char *msg);
/* origin: "actor" (visible once the run commits) or "broker" (always visible). */
_store_check_ int store_report_add(struct store *s, int64_t exec, int64_t run, const char *origin, json_t *entry);
_store_check_ int store_dialog_add(struct store *s, int64_t exec, int64_t run, json_t *dialog);
_store_check_ int store_answers_set(struct store *s, int64_t exec, json_t *answers);

/*
 * Reading messages for a consumer: committed runs of exec, models in the list, ordered by
 * okey, starting after after_okey, at most limit rows. The callback gets each row; it may
 * not use the store.
 */
typedef void (*store_message_cb)(void *userdata, int64_t okey, const char *model, const char *topic,
				 const char *producer, const void *data, size_t len);
_store_check_ int store_messages_read(struct store *s, int64_t exec, char *const *models, size_t n_models, int64_t after_okey,
			int limit, store_message_cb cb, void *userdata);
/* Latest committed message of a model (msgpack bytes, malloc'd), -ENOENT when none, or a
 * negative errno on a read error. */
_store_check_ int store_message_last(struct store *s, int64_t exec, const char *model, void **ret_data, size_t *ret_len);
/* Every committed message of an execution as JSON [{model, producer, data}], for actor run --from-last-run. */
_store_check_ int store_messages_json(struct store *s, int64_t exec, char *const *models, size_t n_models, json_t **ret);

/* Visible report entries of an execution in the order they were recorded. */
_store_check_ int store_reports(struct store *s, int64_t exec, json_t **ret);
/* Visible dialogs of an execution. */
_store_check_ int store_dialogs(struct store *s, int64_t exec, json_t **ret);

/* Delete an execution and everything it recorded. */
_store_check_ int store_execution_delete(struct store *s, int64_t exec);
/* Delete the runs (committed or not) of phases with index >= phase_idx, and their rows. */
_store_check_ int store_discard_from_phase(struct store *s, int64_t exec, int phase_idx);

/* PRAGMA integrity_check; 0 when "ok". */
_store_check_ int store_integrity_check(struct store *s, char **ret_msg);

#endif
