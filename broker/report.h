/* Report entries and the report files leapp-report.json / leapp-report.txt. */
#ifndef BROKER_REPORT_H
#define BROKER_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Check an entry an actor sent and fill what the broker owns: actor, hostname, timeStamp,
 * id, audience and (unless given) a stable key derived from the actor and the title.
 * Returns -EINVAL with the reason in err. */
int report_entry_complete(json_t *entry, const char *actor, const char *hostname, const char *exec_uuid, int64_t run,
			  uint32_t seq, char *err, size_t errlen);
/* An error entry made by the broker about an actor's failure. */
json_t *report_entry_failure(const char *actor, const char *phase, const char *cause, const char *last_logs,
			     const char *hostname, const char *exec_uuid, int64_t run);
bool report_entry_has_group(json_t *e, const char *group);

/* Write the report files into logdir (atomically). schema: "1.0.0", "1.1.0" or "1.2.0". */
int report_write(const char *logdir, const char *run_id, json_t *entries, const char *schema, char **ret_err);
/* Sort entries as leapp-report.txt shows them: errors, inhibitors, then by severity. */
json_t *report_sorted(json_t *entries);
/* Move the previous report files and logs to logdir/archive/ (nothing is silently lost). */
void report_archive_previous(const char *logdir, const char *log_name);
/* The machine's hostname as the report names it (the --root's /etc/hostname when not /). */
char *report_hostname(const char *root);

#endif
