/* Fact files under --root (DESIGN.md section 4) and the reports about facts that are unknown. */
#ifndef ACTORS_FACTS_H
#define ACTORS_FACTS_H

#include <stdbool.h>
#include <stddef.h>

/* Read <root>ABS_PATH whole (at most limit bytes). Returns 0 or -errno (-ENOENT: absent). */
int fact_read(const char *abs_path, size_t limit, char **ret_data, size_t *ret_len);

/*
 * Report that a fact file could not be read, so the fact is unknown: a low-severity
 * warning, never an error (DESIGN.md section 4). The key is "unknown-fact:ABS_PATH", stable
 * for each file. what: the fact in words ("the memory size"); err: -errno.
 */
void fact_report_unknown(const char *abs_path, const char *what, int err);

#include <jansson.h>

/* The workflow configuration (IPUConfig): the consumed message when the actor consumes it,
 * else the one the broker passes in hello.workflow. New reference, or NULL when unknown. */
json_t *ipu_config_get(void);
/* Convenience accessors on an IPUConfig object; -1 / NULL when absent. */
int ipu_source_major(json_t *ipu);
int ipu_target_major(json_t *ipu);
const char *ipu_str(json_t *ipu, const char *field);

/* Is a package of this name installed? (InstalledRPM items) */
bool installed_rpm_has(json_t *installed_rpm, const char *name);

#endif
