/* The rollback record: what leapp upgrade saves before it changes anything, for leapp rollback. */
#ifndef BROKER_ROLLBACK_H
#define BROKER_ROLLBACK_H

#include <stdbool.h>
#include <sys/types.h>

#include "broker.h"

/* below the state directory: record.json (written last) and grubenv (its bytes) */
#define ROLLBACK_DIR "rollback"

struct rollback_record {
	char *grubenv_path;   /* inside the root, symlinks resolved: "/boot/grub2/grubenv" */
	bool grubenv_existed;
	mode_t grubenv_mode;
	char *grubenv;        /* its bytes when it existed */
	size_t grubenv_len;
};

/* Saves the record for root into statedir/rollback (replacing an older one). 0 or -errno with
 * *ret_err (free it). */
int rollback_record_save(const char *root, const char *statedir, char **ret_err);
/* Loads it: 0, -ENOENT when there is none, another -errno with *ret_err. */
int rollback_record_load(const char *statedir, struct rollback_record *ret, char **ret_err);
void rollback_record_clear(struct rollback_record *r);

/* lvm ARGS (NULL-terminated, at most 14) by argv: "lvm" from PATH, or LEAPP_DEVEL_LVM (tests: a
 * stub). Its stdout in *ret_out when ret_out (free it). Returns its exit status or -errno. */
int lvm_run(char *const *args, char **ret_out);
/* argv[0] from PATH with argv, by posix_spawnp; stdout in *ret_out as above. Its exit status or
 * -errno. */
int run_argv(char *const *argv, char **ret_out);
/* Removes the snapshot set of /var/lib/leapp/snapshots (complete or partial): lvremove of each
 * snapshot it lists, then the directory; appends one line per thing removed to done. 0 or
 * -errno with *ret_err. */
struct buf;
int snapshot_set_remove(struct leapp_ctx *c, struct buf *done, char **ret_err);

/* On the upgraded system (rollback_merge.c). The failed or rolled-back attempt's logs, report,
 * store and "reason" are kept here, on /boot, outside the volumes that are merged back. */
#define ROLLBACK_KEEP_DIR "/boot/leapp-rollback"
struct execution;
/* True when the upgrade ex reached the upgraded system: finished, FirstBoot is next, or an actor
 * of FirstBoot ran. */
bool rollback_upgraded(struct leapp_ctx *c, const struct execution *ex);
/* Checks the snapshot set (complete, every snapshot present and valid), keeps the attempt in
 * ROLLBACK_KEEP_DIR, puts /boot's entries and GRUB files back and schedules each snapshot's merge
 * (one already merging is skipped: a second run is harmless). 0 or -errno with *ret_err. */
int rollback_merge(struct leapp_ctx *c, const struct execution *ex, struct buf *done, char **ret_err);
/* The source release's first boot after a rollback (leapp rollback boot-report): moves
 * ROLLBACK_KEEP_DIR to /var/log/leapp/rollback/<time>/, says what happened (stdout, the journal,
 * /etc/motd.d/leapp-rollback.motd), marks the upgrade rolled-back in the store. An exit code. */
int rollback_boot_report(struct leapp_ctx *c);

#endif
