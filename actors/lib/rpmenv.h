/* librpm set-up shared by the package code (keys.c, rpmtrans.c): configuration read once,
 * librpm's messages captured instead of printed, where a root keeps its rpmdb, and private
 * copies of an rpmdb. */
#ifndef ACTORS_RPMENV_H
#define ACTORS_RPMENV_H

#include <stdbool.h>

/*
 * Read librpm's configuration (rpmrc, macros) once per process and route rpmlog into a buffer
 * (rpmenv_log()) instead of stderr. Debian's rpm keeps its database in ~/.rpmdb unless
 * %_dbpath says otherwise: every user of this module sets %_dbpath itself. Returns 0 or -EIO.
 */
int rpmenv_init(char **ret_err);

/* What librpm logged (warnings and errors, one per line) since rpmenv_log_clear(); "" when
 * nothing. Borrowed, valid until the next librpm call. */
const char *rpmenv_log(void);
/* The last warning or error line librpm logged since rpmenv_log_clear(), or NULL. */
const char *rpmenv_log_last(void);
void rpmenv_log_clear(void);
/* Also hand every line librpm logs to cb (e.g. actor_log), with rpm's level (RPMLOG_ERR...). */
void rpmenv_log_forward(void (*cb)(int rpm_level, const char *line, void *userdata), void *userdata);

/* The rpmdb directory of root, relative to it: "/var/lib/rpm" (el8, el9) or
 * "/usr/lib/sysimage/rpm" (el10), whichever holds a database; NULL when neither does. */
const char *rpmenv_dbpath(const char *root);

/*
 * Copy root's rpmdb into a new directory mkdtemp("<parent>/rpmdb.XXXXXX"). Every regular file
 * of the database directory is copied, sqlite's -wal and -shm included (the WAL may hold
 * committed packages); BerkeleyDB environment files (__db.*) and lock files (.*) are not:
 * they belong to the live system and librpm recreates them. The original is only read.
 * Returns 0 with the new directory's path in *ret_dir, -ENOENT when root has no rpmdb.
 */
int rpmenv_rpmdb_copy(const char *root, const char *parent, char **ret_dir, char **ret_err);

/* The copying part of rpmenv_rpmdb_copy(): every regular database file of src_dir into the
 * existing dst_dir (not __db.* environment files, not dot files). 0 or -errno with *ret_err. */
int rpmenv_copy_db_files(const char *src_dir, const char *dst_dir, char **ret_err);

/* path relative to root ("/" when they are the same), malloc'd; path itself when it is not
 * below root. librpm joins its root and %_dbpath, so a dbpath must be given this way. */
char *rpmenv_in_root(const char *root, const char *path);

/* Copy one file (O_EXCL on the target), preserving nothing but the content. 0 or -errno. */
int rpmenv_copy_file(const char *src, const char *dst);

#endif
