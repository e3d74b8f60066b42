/* Rebuilding an rpmdb in the running librpm's format (the target's: sqlite for el9) so that
 * a kill at any moment leaves a database the next run finishes the job from. */
#ifndef ACTORS_RPMREBUILD_H
#define ACTORS_RPMREBUILD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * An el8 system keeps its rpmdb in BerkeleyDB; el9's librpm reads that only through bdb_ro
 * (read-only), so before the el9 transaction the database is rebuilt in sqlite, as upstream
 * does with `rpmdb --rebuilddb` by the target's rpm. Here, for root's dbpath D (e.g.
 * /var/lib/rpm):
 *   1. librpm's rebuild (rpmtsRebuildDB) writes the new database into D"rebuilddb.leapp"
 *      (%_dbpath_rebuild), reading the old one read-only;
 *   2. both are read again: the package count and the sha256 of every header blob must be
 *      equal; every file of the new one is fsync'd;
 *   3. the durable mark D"rebuilddb.leapp.verified" is written (fsync'd, with its directory);
 *   4. the two directories are exchanged atomically (renameat2 RENAME_EXCHANGE; where the
 *      filesystem cannot, D is renamed to D"old.leapp" and the new one into place);
 *   5. the old database and the mark are removed.
 * Without the mark, a leftover D"rebuilddb.leapp" is an unfinished rebuild: it is removed and
 * the rebuild starts again from the old database, which was never touched. With the mark,
 * the rebuild is complete and verified: the run finishes steps 4 and 5.
 *
 * Test hook: with LEAPP_DEVEL_REBUILD_HOLD set in the environment, the rebuild stops at each
 * stage ("start", "rebuilt", "verified", "swapped") for which root/var/tmp/rpmdb-rebuild.hold-STAGE
 * exists, after creating root/var/tmp/rpmdb-rebuild.at-STAGE, until the hold file is removed
 * (so that a test can kill it there).
 */
struct rpmrebuild_result {
	bool rebuilt;           /* the database was (or had been, in an interrupted run) rebuilt */
	bool resumed;           /* an interrupted rebuild's leftovers were found (finished or discarded) */
	char *from, *to;        /* formats: "bdb", "sqlite", "ndb" */
	size_t packages;        /* headers in the database */
	double seconds;         /* librpm's rebuild, the verification and the swap */
	double rebuild_seconds; /* librpm's rebuild alone */
};

/* The rpmdb format of a database directory: "sqlite", "bdb", "ndb", or NULL when none. */
const char *rpmrebuild_format(const char *dir);

/* The format the running librpm writes (%_db_backend; "bdb_ro" never, as it cannot write). */
const char *rpmrebuild_target_format(void);

/*
 * Rebuild root's rpmdb at dbpath (relative to root; NULL: where root has one) in the target
 * format when it is in another one, or finish an interrupted rebuild. Returns 0 (with
 * ret->rebuilt false when there was nothing to do), or -errno with a message in *ret_err;
 * on an error the old database is still in place and whole.
 */
int rpmrebuild_run(const char *root, const char *dbpath, struct rpmrebuild_result *ret, char **ret_err);
void rpmrebuild_result_clear(struct rpmrebuild_result *r);

/* The sorted sha256 digests of every header blob in root's database at dbpath, and their
 * number: what a rebuild must keep. 0 or -errno with *ret_err. */
int rpmrebuild_digests(const char *root, const char *dbpath, char ***ret_digests, size_t *ret_n, char **ret_err);

#endif
