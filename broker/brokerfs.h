/* The broker's own files in leapp's directories (DESIGN.md section 6): opened without following
 * symlinks, and whatever the broker did not create there (a symlink, a FIFO, a hard link, a
 * rollback journal beside the WAL store) moved aside rather than used. */
#ifndef BROKER_BROKERFS_H
#define BROKER_BROKERFS_H

#include <stdbool.h>

/* Opens dir/name for appending (the log): a regular file with one link, created if absent. Anything
 * else there is renamed to name.refused-<time> and a fresh file is created; *ret_note then says
 * what was moved (the caller logs it; free it). Returns the fd or -errno. */
int brokerfs_open_log(const char *dir, const char *name, char **ret_note);

/* Before the store is opened: leapp.db must be a regular file (or absent), else -EPERM with
 * *ret_err. Its -wal and -shm must be regular files; a -journal is never the store's (it runs in
 * WAL mode), so it was planted or left by a crash before the first WAL switch: each of those is
 * renamed to <name>.refused-<time>, one line per file in *ret_note. Without move_aside (another
 * leapp holds the run lock and owns those files: list-runs) nothing is changed and each of those is
 * an -EPERM error instead; the running broker's empty placeholder journal is accepted. Returns 0
 * or -errno. */
int brokerfs_check_store(const char *statedir, bool move_aside, char **ret_note, char **ret_err);

/* After the store is open: an empty leapp.db-journal, so that the sandbox can hide every name of
 * the store behind its mask (it can only cover a name that exists). The store runs in WAL mode and
 * never reads it while it is open; an empty journal is never hot; brokerfs_check_store() removes
 * it at the next open. 0 or -errno. */
int brokerfs_store_placeholder(const char *statedir);

/* A directory of leapp's (the state or log directory) must not be a symlink: -ELOOP with *ret_err. */
int brokerfs_check_dir(const char *dir, char **ret_err);

/* Writes (content) or removes (content NULL) a file the broker keeps in the log directory on an
 * actor's behalf, e.g. transaction.json. Only the names in brokerfs_logfile_allowed(). */
int brokerfs_write_logfile(const char *logdir, const char *name, const char *content, char **ret_err);
bool brokerfs_logfile_allowed(const char *name);

#endif
