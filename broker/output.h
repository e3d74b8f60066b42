/* What a run shows: leapp-style console lines, --json-progress events, and the log file. */
#ifndef BROKER_OUTPUT_H
#define BROKER_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "leapp/util.h"

/*
 * --json-progress puts one JSON object per line on stdout; the human lines then go to stderr.
 * Every event has "event" and "ts" (ISO 8601 UTC). docs/json-progress.md is the schema:
 *   start            {execution, kind, root, resume}
 *   phase-start      {phase, index}
 *   phase-finish     {phase, index, status: ok|failed|skipped, duration_ms}
 *   actor-start      {actor, phase}
 *   actor-finish     {actor, phase, status: ok|failed, duration_ms, exit_code?, signal?, failure?}
 *   log              {actor, level, message}          (only with --verbose / --debug)
 *   diagnostic       {level: error|warning, message}  (leapp's own errors and warnings)
 *   report           {entry}     (a report entry as in leapp-report.json, schema 1.2.0)
 *   reboot-requested {phase, reason}
 *   done             {exit_code, status, ...}         (always the last line)
 */
struct output;

struct output *output_new(bool json_progress, bool verbose, bool debug);
void output_free(struct output *o);
/* Send everything also to a log file (debug level, whatever the console shows). */
int output_open_log(struct output *o, int fd); /* takes fd (brokerfs_open_log) */
FILE *output_log_file(struct output *o);
/* Change what the console shows (--resume takes --debug from the run it continues). */
void output_set_verbosity(struct output *o, bool verbose, bool debug);
/* Human lines to stderr even without --json-progress (leapp actor run prints JSON on stdout). */
void output_human_to_stderr(struct output *o);

void output_event(struct output *o, const char *event, json_t *fields); /* takes fields */
void output_phase_start(struct output *o, const char *phase, int index);
void output_phase_finish(struct output *o, const char *phase, int index, const char *status, double seconds);
void output_actor_start(struct output *o, const char *actor, const char *phase);
void output_actor_finish(struct output *o, const char *actor, const char *description, const char *phase,
			 const char *status, double seconds, int exit_code, int signal, const char *failure);
void output_actor_log(struct output *o, const char *actor, const char *level, const char *msg);
/* A human line for the console (stderr with --json-progress, else stdout) and the log. */
void output_line(struct output *o, const char *fmt, ...) _printf_(2, 3);
/* A broker diagnostic: always to stderr and the log file. level: error|warning|info|debug */
void output_diag(struct output *o, const char *level, const char *fmt, ...) _printf_(3, 4);
FILE *output_human(struct output *o);
bool output_json(const struct output *o);

/* The process-wide output used by log_error() and friends. */
extern struct output *output_global;

#endif
