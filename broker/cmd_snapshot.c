/* leapp snapshot status | remove: the LVM snapshot set that snapshot_take made before the reboot
 * (DESIGN.md section 12). */
#include "cli.h"
#include "output.h"
#include "rollback.h"

static const struct cli_cmd cmd = {
	"snapshot",
	"usage: leapp snapshot status [--json] [--root DIR]\n"
	"       leapp snapshot remove [--root DIR]\n\n"
	"status: each snapshot of the set in /var/lib/leapp/snapshots (taken by leapp upgrade with\n"
	"snapshots on), its size and how full it is (lvm lvs data_percent); a warning for a snapshot\n"
	"80% full or more: a full thick snapshot becomes invalid and cannot be merged back.\n"
	"remove: remove the snapshots (lvm lvremove) and the set: the upgrade can no longer be\n"
	"rolled back.\n\n"
	"exit codes: 0 done (status: also no set), 1 error, 2 usage\n",
	OPT_ROOT | OPT_JSON,
};

#define FULL_WARN 80.0

static json_t *set_load(struct leapp_ctx *c)
{
	_cleanup_free_ char *man = path_join(c->statedir, "snapshots/manifest.json");
	return json_load_file(man, 0, NULL);
}

static int status(struct leapp_ctx *c, bool as_json)
{
	json_t *set = set_load(c);
	json_t *out = json_array();
	size_t i;
	json_t *x;
	int rc = EXIT_OK;
	json_array_foreach(json_object_get(set, "lvs"), i, x) {
		const char *lv = json_string_value(x);
		if (!lv || *lv == '-')
			continue;
		_cleanup_free_ char *o = NULL;
		_cleanup_free_ char *target = xstrdup(lv);
		char *args[] = {"lvs", "--noheadings", "--nosuffix", "--units", "b", "-olv_size,data_percent", target, NULL};
		int r = lvm_run(args, &o);
		long long size = -1;
		double pct = -1;
		if (r == 0 && sscanf(o, " %lld %lf", &size, &pct) < 1)
			r = -EINVAL;
		json_t *e = json_pack("{s:s}", "snapshot", lv);
		if (r) {
			output_diag(c->out, "error", "lvm lvs %s: %s", lv, r < 0 ? strerror(-r) : "failed (is the snapshot gone?)");
			rc = EXIT_ERROR;
		} else {
			json_object_set_new(e, "size_bytes", json_integer(size));
			json_object_set_new(e, "data_percent", pct >= 0 ? json_real(pct) : json_null());
			if (pct >= FULL_WARN)
				output_diag(c->out, "warning", "the snapshot %s is %.1f%% full: at 100%% it becomes invalid and the upgrade "
							      "can no longer be rolled back; extend it (lvextend) or remove the set",
					    lv, pct);
		}
		json_array_append_new(out, e);
	}
	if (as_json) {
		char *s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
	} else if (!set) {
		fprintf(stderr, "there is no snapshot set in %s/snapshots\n", c->statedir);
	} else {
		printf("%-40s %12s %6s\n", "SNAPSHOT", "SIZE(MiB)", "FULL%");
		json_array_foreach(out, i, x) {
			json_t *p = json_object_get(x, "data_percent");
			char pct[16] = "-";
			if (json_is_real(p))
				snprintf(pct, sizeof(pct), "%.1f", json_real_value(p));
			printf("%-40s %12lld %6s\n", json_string_value(json_object_get(x, "snapshot")),
			       (long long)json_integer_value(json_object_get(x, "size_bytes")) >> 20, pct);
		}
	}
	json_decref(out);
	json_decref(set);
	return rc;
}

int cmd_snapshot(int argc, char **argv, struct leapp_ctx *c)
{
	struct cli_args a = {0};
	int oi, r = parse_options(argc, argv, &cmd, c, &a, &oi);
	bool as_json = a.json;
	cli_args_clear(&a);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (oi >= argc || (strcmp(argv[oi], "status") && strcmp(argv[oi], "remove"))) {
		fprintf(stderr, "leapp snapshot: expected status or remove\n");
		return EXIT_USAGE;
	}
	const char *sub = argv[oi];
	if ((r = no_more_arguments(&cmd, argc, argv, oi + 1)))
		return r;
	cli_setup_output(c, false);
	if ((r = cli_init(c)))
		return r;
	if (!strcmp(sub, "status"))
		return status(c, as_json);
	if ((r = ctx_open_store(c, false)) < 0)
		return EXIT_ERROR;
	struct buf done = {0};
	char *err = NULL;
	r = snapshot_set_remove(c, &done, &err);
	_cleanup_free_ char *d = buf_steal(&done);
	if (r < 0) {
		output_diag(c->out, "error", "%s", err ? err : strerror(-r));
		free(err);
		return EXIT_ERROR;
	}
	if (!*d)
		output_line(c->out, "There is no snapshot set to remove.");
	else
		output_line(c->out, "Removed:\n%sThe upgrade can no longer be rolled back.", d);
	return EXIT_OK;
}
