/* FirstBoot: the LVM snapshots snapshot_take made before the upgrade, each one's fill level
 * (lvm lvs data_percent), and what to do with them: leapp snapshot remove commits the upgrade,
 * leapp rollback goes back. A thick snapshot that fills up becomes invalid and the way back is
 * lost, so one 80% full or more makes the entry high (DESIGN.md section 12, issue 23 item 5).
 * lvm runs by argv: "lvm" from PATH, or LEAPP_DEVEL_LVM (tests: a stub). */
#include "leapp/actor.h"
#include "sys.h"

#define SET_MANIFEST "/var/lib/leapp/snapshots/manifest.json"
#define FULL_WARN 80.0

/* lvs of one snapshot: 0 with its size and fill level (-1 when lvs shows none), or -errno. */
static int snapshot_fill(const char *lv, long long *ret_size, double *ret_pct)
{
	const char *lvm = getenv("LEAPP_DEVEL_LVM");
	const char *argv[] = {lvm && *lvm ? lvm : "lvm", "lvs", "--noheadings", "--nosuffix", "--units", "b",
			      "-olv_size,data_percent", lv, NULL};
	_cleanup_free_ char *log = sys_scratch_log("lvs");
	if (unlink(log) < 0 && errno != ENOENT)
		return -errno;
	struct sys_run_opts o = {.argv = argv, .log_path = log};
	int st = 0, r = sys_command_run(&o, &st);
	if (r < 0)
		return r;
	if (st)
		return -ENOENT;
	_cleanup_free_ char *out = NULL;
	size_t len = 0;
	if ((r = read_file(log, 1 << 16, &out, &len)) < 0)
		return r;
	/* stderr shares the log: the figures are the line that parses */
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		long long size;
		double pct = -1;
		int n = sscanf(line, " %lld %lf", &size, &pct);
		if (n >= 1) {
			*ret_size = size;
			*ret_pct = n == 2 ? pct : -1;
			return 0;
		}
	}
	return -EINVAL;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	_cleanup_free_ char *path = actor_path(SET_MANIFEST);
	json_t *set = json_load_file(path, 0, NULL);
	json_t *lvs = json_object_get(set, "lvs");
	if (!json_array_size(lvs)) {
		actor_info("no snapshot set in %s: nothing to report", SET_MANIFEST);
		json_decref(set);
		return actor_finish();
	}
	struct buf b = {0};
	bool high = false, unknown = false;
	size_t i;
	json_t *x;
	json_array_foreach(lvs, i, x) {
		const char *lv = json_string_value(x);
		long long size = 0;
		double pct = -1;
		if (!lv || *lv == '-')
			continue;
		int r = snapshot_fill(lv, &size, &pct);
		if (r < 0) {
			unknown = true;
			buf_printf(&b, "- %s: lvm lvs failed (%s): the snapshot may be gone or invalid\n", lv, strerror(-r));
		} else if (pct < 0)
			buf_printf(&b, "- %s: %lld MiB, fill level not shown by lvs\n", lv, size >> 20);
		else {
			bool full = pct >= FULL_WARN;
			high |= full;
			buf_printf(&b, "- %s: %lld MiB, %.1f%% full%s\n", lv, size >> 20, pct,
				   full ? " - about to overflow: at 100% it becomes invalid and cannot be merged back" : "");
		}
	}
	_cleanup_free_ char *lines = buf_steal(&b);
	_cleanup_free_ char *summary = xasprintf(
		"The LVM snapshots taken before the upgrade still exist and keep the way back to the release "
		"before it. Every write to their origins fills them:\n%s", lines);
	json_t *e = report_new(high ? "An LVM snapshot of the upgrade is about to overflow"
				    : "LVM snapshots of the upgrade are kept: commit the upgrade or roll it back",
			       summary, high || unknown ? "high" : "info");
	report_add_hint(e, "Once the upgraded system works, commit the upgrade: leapp snapshot remove. To go back to the "
			   "release before the upgrade: leapp rollback, then reboot. leapp snapshot status shows the fill levels.");
	if (high)
		report_add_hint(e, "Decide now, or extend the snapshot (lvextend) before it fills up.");
	const char *cmd[] = {"leapp", "snapshot", "remove", NULL};
	report_add_command(e, cmd);
	actor_report(e);
	json_decref(set);
	return actor_finish();
}
