/* The actor-side API: what an actor executable uses to talk to the broker (or runs alone). */
#ifndef LEAPP_ACTOR_H
#define LEAPP_ACTOR_H

#include <jansson.h>
#include <stdbool.h>

#include "leapp/util.h"

/*
 * An actor is started by the broker with fd 3 as its end of a socketpair. It calls
 * actor_init() first, which reads the hello frame. It then reads the messages it consumes,
 * produces messages, reports and log lines, and ends with `return actor_finish();` from main.
 *
 * Run by hand (fd 3 is not a socket), the same actor is in standalone mode:
 *   ACTOR [--input FILE.json] [--root DIR] [--config FILE.json] [--answers FILE.json]
 * It reads its input from FILE.json (or stdin when it is not a terminal) and prints, at
 * actor_finish() or actor_error(), one JSON object with what it produced:
 *   {"actor": NAME, "messages": [{"model", "data"}], "reports": [...], "logs": [...],
 *    "dialogs": [...], "commands": [...], "errors": [...]}
 * Input format: {"messages": [{"model": M, "data": {...}}, ...], "config": {...},
 *   "answers": {scope: {key: value}}, "workflow": {...}, "root": DIR}, or a bare list of
 * messages. In standalone mode produced messages are validated against the models here.
 * Without "scratch" in the input, a standalone run makes $TMPDIR/leapp-actor-scratch.XXXXXX
 * (default /tmp) and removes it when it exits; LEAPP_KEEP_SCRATCH=1 keeps it (and says where).
 *
 * Ownership: functions named *_new or that say "takes ownership" steal the json_t reference.
 */

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARNING, LOG_LEVEL_ERROR };

/* Connect and read hello. On failure prints why and exits 1: an actor that cannot talk to
 * its broker has nothing better to do. */
void actor_init(int argc, char **argv);

const char *actor_name(void);
const char *actor_phase(void);
const char *actor_execution(void);
/* The system root ("/" or --root). */
const char *actor_root(void);
/* Join the root and an absolute path; malloc'd. actor_path("/etc/fstab") = "<root>/etc/fstab" */
char *actor_path(const char *abs_path);
/* The actor's own scratch directory (writable, under /var/lib/leapp), or NULL. */
const char *actor_scratch_dir(void);
/* Borrowed references, never NULL (empty objects when absent). */
json_t *actor_config(void);          /* this actor's configuration section */
json_t *actor_workflow_config(void); /* e.g. {"source": {...}, "target": {...}} once known */
json_t *actor_hello(void);           /* the whole hello frame as JSON */
/* True when running under a broker (false: standalone). */
bool actor_has_broker(void);

/* Next consumed message, in the deterministic order. Returns 1 with a new reference in
 * *ret_data (and the model name, valid until the next call), 0 at the end of input. */
int actor_next(const char **ret_model, json_t **ret_data);
/* All (remaining) consumed messages of one model, as a new JSON array. Buffers the input,
 * so it can be called for several models in any order. */
json_t *actor_consume(const char *model);
/* The last consumed message of a model (new reference), or NULL.
 * Run alone for debugging (standalone, or leapp actor run), actor_finish() warns about every
 * model these two were asked for and had no message of: the run says what it skipped. */
json_t *actor_consume_last(const char *model);

/* Produce a message; takes ownership of data. Returns 0 or a negative errno. */
int actor_produce(const char *model, json_t *data);

/* Report entries. report_new() makes an entry; the add/set helpers fill it; actor_report()
 * sends it and takes ownership. severity: info, low, medium or high. Group "inhibitor"
 * makes it an inhibitor; "error" marks an error. actor_report() gives the entry the key leapp
 * computes, sha1("<severity>:<audience>:<title>"), unless report_set_key() gave one: set it only where
 * upstream's actor sets an explicit key, with upstream's value (DESIGN §4). */
json_t *report_new(const char *title, const char *summary, const char *severity);
void report_add_group(json_t *entry, const char *group);
void report_set_key(json_t *entry, const char *key);
void report_add_hint(json_t *entry, const char *hint);
/* Remediation command; argv NULL-terminated. */
void report_add_command(json_t *entry, const char *const *argv);
void report_add_external(json_t *entry, const char *url, const char *title);
void report_add_resource(json_t *entry, const char *scheme, const char *title);
int actor_report(json_t *entry);

void actor_log(enum log_level level, const char *fmt, ...) _printf_(2, 3);
#define actor_debug(...) actor_log(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define actor_info(...) actor_log(LOG_LEVEL_INFO, __VA_ARGS__)
#define actor_warning(...) actor_log(LOG_LEVEL_WARNING, __VA_ARGS__)

/* Report an error and stop: sends the error frame and exits 1. severity is usually "high". */
_noreturn_ void actor_error(const char *message, const char *details_fmt, ...) _printf_(2, 3);

/*
 * Dialogs (leapp's components). A dialog is
 *   {"scope": S, "title": T, "reason": R, "components": [
 *      {"key": K, "type": "text"|"number"|"bool"|"choice"|"multiple_choice",
 *       "label": L, "description": D, "reason": R, "choices": [...], "default": V}]}
 * actor_dialog() registers it (takes ownership) and returns a new reference to the answers
 * recorded for its scope ({} when none). A component without a default that has no answer
 * makes the upgrade inhibited, with the `leapp answer` command as the remediation.
 */
json_t *actor_dialog(json_t *dialog);

/* Progress of a long step (e.g. bytes downloaded of total; total 0 when unknown). The broker
 * shows it as a progress bar on a terminal and as "progress" events with --json-progress;
 * it is not stored. Cheap to call often: at most ~10 frames a second are sent. */
void actor_progress(const char *what, uint64_t done, uint64_t total);

/* Ask the workflow to stop after the current phase. */
int actor_stop_after_phase(const char *reason);

/* Tell the broker the actor is done; returns the exit code for main (0). */
int actor_finish(void);

#endif
