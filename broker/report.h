/* Report entries and the report files leapp-report.json / leapp-report.txt. */
#ifndef BROKER_REPORT_H
#define BROKER_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Check an entry an actor sent against what report-schema-v120.json requires (title,
 * summary, severity, audience, groups, and the shape of detail: external links,
 * remediations, related resources) and fill what the broker owns: actor, hostname,
 * timeStamp, id, audience and (unless given) a stable key derived from the actor and the
 * title. leapp 1.1 "flags"/"tags" are merged into "groups". Returns -EINVAL with the reason
 * in err.
 */
int report_entry_complete(json_t *entry, const char *actor, const char *hostname, const char *exec_uuid, int64_t run,
			  uint64_t seq, char *err, size_t errlen);
/* An error entry made by the broker about an actor's failure (its key names the actor and
 * the phase, not the cause, so that it is stable). */
json_t *report_entry_failure(const char *actor, const char *phase, const char *cause, const char *last_logs,
			     const char *hostname, const char *exec_uuid, int64_t run);
bool report_entry_has_group(json_t *e, const char *group);

/*
 * Write leapp-report.json and leapp-report.txt into logdir, each atomically. schema:
 * "1.0.0", "1.1.0" or "1.2.0" (NULL: 1.2.0). With keep_replaced, files that would change
 * are first moved to logdir/archive/ (leapp report re-rendering another run or schema).
 * Returns 0 or a negative errno with the reason in *ret_err.
 */
int report_write(const char *logdir, const char *run_id, json_t *entries, const char *schema, bool keep_replaced,
		 char **ret_err);
/* The entries in the order leapp-report.txt shows them: errors, inhibitors, then by
 * severity (high first); ties by title, then key, so that the order is stable. */
json_t *report_sorted(json_t *entries);
/* doc as leapp writes its JSON files (the report, the reboot request): two-space indent, keys
 * in their order, a final newline. Malloc'd; *ret_len gets its length. */
char *report_json_text(json_t *doc, size_t *ret_len);
/*
 * Move the report files and the log log_name of the previous run into
 * logdir/archive/leapp-<mtime>/ (a new directory each time), so that nothing is silently
 * overwritten. Returns 0 (also when there was nothing to archive) or a negative errno with
 * the reason in *ret_err.
 */
int report_archive_previous(const char *logdir, const char *log_name, char **ret_err);
/* The machine's hostname as the report names it (the --root's /etc/hostname when not /). */
char *report_hostname(const char *root);

#endif
