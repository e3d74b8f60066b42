/* leapp list-runs: the executions recorded in the audit store. */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "brokerfs.h"
#include "cli.h"
#include "output.h"

static const struct cli_cmd cmd = {
	"list-runs",
	"usage: leapp list-runs [--json] [--root DIR]\n\n"
	"List the runs recorded in /var/lib/leapp/leapp.db, oldest first: preupgrade, upgrade and\n"
	"saved actor runs (leapp actor run --save-output), with their status (running, finished,\n"
	"inhibited, failed, stopped, reboot, rerun) and command line. It only reads the store, so it\n"
	"also works while another leapp is running. No store, or an empty one, is an empty list. A file\n"
	"planted beside the store (a -journal, a -wal or -shm that is not a regular file) is moved aside\n"
	"first, or, while another leapp runs, refused.\n\n"
	"exit codes: 0 listed (also an empty list), 1 error (e.g. a damaged store), 2 usage\n",
	OPT_ROOT | OPT_JSON | OPT_JSON_PROGRESS,
};

static void fmt_time(double t, char out[32])
{
	if (t <= 0) {
		snprintf(out, 32, "-");
		return;
	}
	time_t s = (time_t)t;
	struct tm tm;
	localtime_r(&s, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k)) ?: "-";
}

/* What the other commands check before they open the store (brokerfs_check_store): SQLite plays
 * a hot journal back when it opens a database, so one planted beside leapp.db would rewrite the
 * store. With no leapp running (the run lock is free, and held here meanwhile) planted files are
 * moved aside as the other commands do; while one runs, they are its to deal with, and this only
 * refuses to open the store. 0, or -errno after logging. */
static int list_runs_check_store(struct leapp_ctx *c)
{
	char *err = NULL, *note = NULL;
	int r = brokerfs_check_dir(c->statedir, &err);
	if (r == 0) {
		_cleanup_free_ char *lock = path_join(c->statedir, "leapp.lock");
		_cleanup_close_ int fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		bool running = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
		r = brokerfs_check_store(c->statedir, !running, &note, &err);
	}
	if (r < 0) {
		log_error("%s", err ? err : strerror(-r));
		free(err);
		return r;
	}
	if (note)
		log_warning("%s", note);
	free(note);
	return 0;
}

int cmd_list_runs(int argc, char **argv, struct leapp_ctx *c)
{
	struct cli_args a = {0};
	int oi, r = parse_options(argc, argv, &cmd, c, &a, &oi);
	if (!r)
		r = no_more_arguments(&cmd, argc, argv, oi);
	bool as_json = a.json || c->opt.json_progress;
	cli_args_clear(&a);
	if (r)
		return r == 1 ? EXIT_OK : r;
	/* --json-progress here means "JSON", not a progress stream */
	c->opt.json_progress = false;
	cli_setup_output(c, false);
	if ((r = cli_init(c)))
		return r;
	/* read without waiting for the run lock: the store is SQLite in WAL mode, readers do not
	 * disturb a run */
	_cleanup_free_ char *db = path_join(c->statedir, "leapp.db");
	json_t *list = NULL;
	if ((r = list_runs_check_store(c)) < 0)
		return EXIT_ERROR;
	if (access(db, F_OK) == 0) {
		struct store *s = NULL;
		char *err = NULL;
		if ((r = store_open(db, false, &s, &err)) < 0) {
			log_error("%s", err ? err : strerror(-r));
			free(err);
			return EXIT_ERROR;
		}
		r = store_executions_list(s, &list);
		if (r < 0)
			log_error("%s", store_errmsg(s));
		store_close(s);
		if (r < 0)
			return EXIT_ERROR;
	} else {
		list = json_array();
	}
	if (as_json) {
		char *out = json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(out);
		free(out);
	} else if (json_array_size(list) == 0) {
		fprintf(stderr, "no leapp runs are recorded in %s\n", db);
	} else {
		printf("%-36s  %-11s %-10s %-19s  %-19s  %s\n", "RUN", "KIND", "STATUS", "STARTED", "FINISHED", "COMMAND");
		size_t i;
		json_t *e;
		json_array_foreach(list, i, e) {
			char st[32], fi[32];
			fmt_time(json_real_value(json_object_get(e, "started")), st);
			fmt_time(json_real_value(json_object_get(e, "finished")), fi);
			printf("%-36s  %-11s %-10s %-19s  %-19s  %s\n", str_of(e, "uuid"), str_of(e, "kind"), str_of(e, "status"),
			       st, fi, str_of(e, "cmdline"));
		}
	}
	json_decref(list);
	return EXIT_OK;
}
