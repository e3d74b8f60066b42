/* Unit tests of PES parsing and of the event algorithm (actors/lib/plan/pes.c): every action, the
 * release window and order, architectures, module streams, the admin's lists, and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "leapp/util.h"
#include "plan.h"

/* One event as JSON: in/out are "name@repo[@module:stream]" lists separated by spaces. */
static json_t *pkgset(const char *list)
{
	if (!list)
		return json_null();
	json_t *pk = json_array();
	_cleanup_free_ char *copy = xstrdup(list);
	for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " ")) {
		char *repo = strchr(tok, '@');
		*repo++ = 0;
		char *ms = strchr(repo, '@');
		if (ms)
			*ms++ = 0;
		json_t *mss = json_array();
		if (ms) {
			char *colon = strchr(ms, ':');
			*colon = 0;
			json_array_append_new(mss, json_pack("{s:s, s:s}", "name", ms, "stream", colon + 1));
		} else
			json_array_append_new(mss, json_null());
		json_array_append_new(pk, json_pack("{s:s, s:s, s:o}", "name", tok, "repository", repo, "modulestreams", mss));
	}
	return json_pack("{s:o, s:i}", "package", pk, "set_id", 1);
}

static json_t *event(int id, int action, const char *in, const char *out, int rmaj, int rmin, const char *arch)
{
	json_t *arches = json_array();
	if (arch)
		json_array_append_new(arches, json_string(arch));
	return json_pack("{s:i, s:i, s:o, s:o, s:o, s:{s:i, s:i, s:s}, s:{s:i, s:i, s:s}, s:[]}", "id", id, "action",
			 action, "architectures", arches, "in_packageset", pkgset(in), "out_packageset", pkgset(out),
			 "initial_release", "major_version", 8, "minor_version", 0, "os_name", "RHEL", "release",
			 "major_version", rmaj, "minor_version", rmin, "os_name", "RHEL", "modulestream_maps");
}

static json_t *doc(json_t *events)
{
	return json_pack("{s:o, s:[s], s:s}", "packageinfo", events, "provided_data_streams", "3.1", "timestamp",
			 "202401010000Z");
}

struct fixture {
	struct pes_data d;
	struct pes_result r;
	struct pes_installed inst[16];
	size_t n;
	struct pes_input in;
};

static void setup_input(struct fixture *f, const char *installed)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf), "%s", installed);
	f->n = 0;
	for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
		char *ms = strchr(tok, '@');
		if (ms)
			*ms++ = 0;
		bool third = tok[0] == '!';
		f->inst[f->n++] = (struct pes_installed){.name = third ? tok + 1 : tok, .repo = "baseos", .ms = ms,
							 .third_party = third};
	}
	f->in = (struct pes_input){.pkgs = f->inst, .n_pkgs = f->n, .source = {8, 10}, .target = {9, 6},
				   .arch = "x86_64"};
}

static int compute(struct fixture *f, json_t *events, const char *installed, bool vendor)
{
	pes_data_init(&f->d);
	json_t *j = doc(events);
	char *err = NULL;
	int r = pes_merge_json(&f->d, j, "pes-events.json", vendor, &err);
	json_decref(j);
	if (r < 0) {
		print_error("%s\n", err);
		free(err);
		return r;
	}
	setup_input(f, installed);
	r = pes_compute(&f->d, &f->in, &f->r, &err);
	if (r < 0)
		free(err);
	return r;
}

static void done(struct fixture *f)
{
	pes_result_free(&f->r);
	pes_data_free(&f->d);
}

/* "a b c" of the names of a task list */
static char *names(const struct pes_task *t, size_t n)
{
	struct buf b = {0};
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", t[i].name);
	buf_append(&b, "", 1);
	return buf_steal(&b);
}

#define ASSERT_NAMES(list, n, want)                                                                                    \
	do {                                                                                                           \
		char *_s = names(list, n);                                                                             \
		assert_string_equal(_s, want);                                                                         \
		free(_s);                                                                                              \
	} while (0)

static void test_actions(void **state)
{
	struct fixture f;
	json_t *ev = json_array();
	json_array_append_new(ev, event(101, PES_SPLIT, "ntp@appstream", "chrony@el9-baseos ntpstat@el9-appstream", 9, 0, NULL));
	json_array_append_new(ev, event(102, PES_REMOVED, "network-scripts@baseos", NULL, 9, 0, NULL));
	json_array_append_new(ev, event(103, PES_RENAMED, "mailx@baseos", "s-nail@el9-appstream", 9, 0, NULL));
	json_array_append_new(ev, event(104, PES_MOVED, "mtools@baseos", "mtools@el9-appstream", 9, 0, NULL));
	json_array_append_new(ev, event(105, PES_REPLACED, "a@baseos b@baseos", "c@el9-baseos", 9, 0, NULL));
	json_array_append_new(ev, event(106, PES_MERGED, "d@baseos e@baseos", "de@el9-baseos", 9, 0, NULL));
	json_array_append_new(ev, event(107, PES_DEPRECATED, "old@baseos", NULL, 9, 0, NULL));
	/* b is not installed: the replacement of {a, b} does not apply; merge needs only one */
	assert_int_equal(compute(&f, ev, "ntp network-scripts mailx mtools a d old", false), 0);
	ASSERT_NAMES(f.r.install, f.r.n_install, "chrony de ntpstat s-nail");
	ASSERT_NAMES(f.r.remove, f.r.n_remove, "d mailx network-scripts ntp");
	ASSERT_NAMES(f.r.notes, f.r.n_notes, "mtools old");
	assert_string_equal(f.r.install[0].reason, "PES event 101 (split)");
	assert_string_equal(f.r.install[0].repo, "el9-baseos");
	assert_string_equal(f.r.remove[1].reason, "PES event 103 (renamed)");
	assert_string_equal(f.r.remove[2].reason, "PES event 102 (removed)");
	assert_string_equal(f.r.notes[0].reason, "PES event 104 (moved)");
	assert_string_equal(f.r.notes[1].reason, "PES event 107 (deprecated)");
	assert_int_equal(f.r.n_relevant, 7);
	assert_int_equal(f.r.n_applied, 6);
	done(&f);
}

static void test_release_window_and_order(void **state)
{
	struct fixture f;
	json_t *ev = json_array();
	/* not after the source (8.10): ignored */
	json_array_append_new(ev, event(1, PES_REMOVED, "x@baseos", NULL, 8, 10, NULL));
	/* after the target (9.6): ignored */
	json_array_append_new(ev, event(2, PES_REMOVED, "y@baseos", NULL, 9, 8, NULL));
	/* applied in release order, whatever the file order: a -> b at 9.0, b -> c at 9.2 */
	json_array_append_new(ev, event(4, PES_RENAMED, "b@el9-baseos", "c@el9-appstream", 9, 2, NULL));
	json_array_append_new(ev, event(3, PES_RENAMED, "a@baseos", "b@el9-baseos", 9, 0, NULL));
	/* wrong architecture: ignored */
	json_array_append_new(ev, event(5, PES_REMOVED, "z@baseos", NULL, 9, 0, "s390x"));
	assert_int_equal(compute(&f, ev, "a x y z", false), 0);
	ASSERT_NAMES(f.r.install, f.r.n_install, "c");
	ASSERT_NAMES(f.r.remove, f.r.n_remove, "a");
	assert_string_equal(f.r.install[0].reason, "PES event 4 (renamed)");
	assert_int_equal(f.r.install[0].event, 4);
	assert_string_equal(f.r.remove[0].reason, "PES event 3 (renamed)");
	assert_int_equal(f.r.n_relevant, 2);
	done(&f);
}

static void test_present_brings_back(void **state)
{
	struct fixture f;
	json_t *ev = json_array();
	json_array_append_new(ev, event(1, PES_REMOVED, "p@baseos", NULL, 9, 0, NULL));
	json_array_append_new(ev, event(2, PES_PRESENT, "p@el9-appstream", NULL, 9, 2, NULL));
	/* present only for packages seen on the way: q never was */
	json_array_append_new(ev, event(3, PES_PRESENT, "q@el9-appstream", NULL, 9, 2, NULL));
	assert_int_equal(compute(&f, ev, "p", false), 0);
	ASSERT_NAMES(f.r.remove, f.r.n_remove, "");
	ASSERT_NAMES(f.r.install, f.r.n_install, "");
	ASSERT_NAMES(f.r.notes, f.r.n_notes, "p");
	assert_string_equal(f.r.notes[0].repo, "el9-appstream");
	done(&f);
}

static void test_same_in_same_release_keeps_latest(void **state)
{
	struct fixture f;
	json_t *ev = json_array();
	json_array_append_new(ev, event(1, PES_RENAMED, "a@baseos", "b@el9-baseos", 9, 0, NULL));
	json_array_append_new(ev, event(2, PES_RENAMED, "a@baseos", "c@el9-baseos", 9, 4, NULL));
	assert_int_equal(compute(&f, ev, "a", false), 0);
	ASSERT_NAMES(f.r.install, f.r.n_install, "c");
	done(&f);
}

static void test_modulestreams(void **state)
{
	struct fixture f;
	json_t *ev = json_array();
	json_t *e = event(201, PES_REPLACED, "nodejs@appstream@nodejs:16 npm@appstream@nodejs:16",
			  "nodejs@el9-appstream@nodejs:18 npm@el9-appstream@nodejs:18", 9, 0, NULL);
	json_array_append_new(json_object_get(e, "modulestream_maps"),
			      json_pack("{s:{s:s, s:s}, s:{s:s, s:s}}", "in_modulestream", "name", "nodejs", "stream", "16",
					"out_modulestream", "name", "nodejs", "stream", "18"));
	json_array_append_new(ev, e);
	/* postgresql:10 has no event: demodularized once the computation crosses into 9 */
	json_array_append_new(ev, event(202, PES_REMOVED, "other@baseos", NULL, 9, 0, NULL));
	assert_int_equal(compute(&f, ev, "nodejs@nodejs:16 npm@nodejs:16 postgresql@postgresql:10 other", false), 0);
	assert_int_equal(f.r.n_modules_enable, 1);
	assert_string_equal(f.r.modules_enable[0], "nodejs:18");
	assert_int_equal(f.r.n_stream_maps, 1);
	assert_string_equal(f.r.stream_maps[0].source, "nodejs:16");
	assert_string_equal(f.r.stream_maps[0].target, "nodejs:18");
	assert_int_equal(f.r.stream_maps[0].event, 201);
	ASSERT_NAMES(f.r.notes, f.r.n_notes, "nodejs npm");
	done(&f);
	/* without any event, modular packages still lose their stream on the target major */
	assert_int_equal(compute(&f, json_array(), "postgresql@postgresql:10", false), 0);
	assert_int_equal(f.r.n_modules_enable, 0);
	done(&f);
	/* the same package outside the stream does not match the modular event */
	json_t *ev2 = json_array();
	e = event(201, PES_REMOVED, "nodejs@appstream@nodejs:16", NULL, 9, 0, NULL);
	json_array_append_new(ev2, e);
	assert_int_equal(compute(&f, ev2, "nodejs", false), 0);
	ASSERT_NAMES(f.r.remove, f.r.n_remove, "");
	done(&f);
}

static void test_admin_lists(void **state)
{
	struct fixture f;
	json_t *ev = json_array();
	json_array_append_new(ev, event(102, PES_REMOVED, "network-scripts@baseos", NULL, 9, 0, NULL));
	char *inst[] = {"extra"}, *rem[] = {"vim", "ghost"}, *keep[] = {"network-scripts"};
	pes_data_init(&f.d);
	json_t *j = doc(ev);
	char *err = NULL;
	assert_int_equal(pes_merge_json(&f.d, j, "pes-events.json", false, &err), 0);
	json_decref(j);
	setup_input(&f, "network-scripts vim");
	f.in.admin_install = inst;
	f.in.n_admin_install = 1;
	f.in.admin_remove = rem;
	f.in.n_admin_remove = 2;
	f.in.admin_keep = keep;
	f.in.n_admin_keep = 1;
	assert_int_equal(pes_compute(&f.d, &f.in, &f.r, &err), 0);
	ASSERT_NAMES(f.r.install, f.r.n_install, "extra");
	ASSERT_NAMES(f.r.remove, f.r.n_remove, "vim");
	ASSERT_NAMES(f.r.keep, f.r.n_keep, "network-scripts");
	assert_non_null(strstr(f.r.keep[0].reason, "overriding PES event 102 (removed)"));
	assert_non_null(strstr(f.r.install[0].reason, "admin to_install"));
	assert_int_equal(f.r.n_warnings, 1);
	assert_non_null(strstr(f.r.warnings[0], "ghost is not installed"));
	done(&f);
}

static void test_third_party(void **state)
{
	struct fixture f;
	json_t *ev = json_array();
	json_array_append_new(ev, event(1, PES_REMOVED, "nginx@appstream", NULL, 9, 0, NULL));
	/* a distribution event does not touch a third-party package of the same name */
	assert_int_equal(compute(&f, ev, "!nginx", false), 0);
	ASSERT_NAMES(f.r.remove, f.r.n_remove, "");
	done(&f);
	ev = json_array();
	json_array_append_new(ev, event(1, PES_REPLACED, "percona@mariadb-tools", "MariaDB-backup@el9-mariadb", 9, 0, NULL));
	/* a vendor event does */
	assert_int_equal(compute(&f, ev, "!percona", true), 0);
	ASSERT_NAMES(f.r.remove, f.r.n_remove, "percona");
	ASSERT_NAMES(f.r.install, f.r.n_install, "MariaDB-backup");
	done(&f);
}

static bool only_known(const char *pesid, void *userdata)
{
	return strcmp(pesid, "nowhere") != 0;
}

static void test_unknown_repository(void **state)
{
	struct fixture f;
	json_t *ev = json_array();
	json_array_append_new(ev, event(7, PES_RENAMED, "a@baseos", "b@nowhere", 9, 0, NULL));
	/* outside the window the same event is not checked */
	json_array_append_new(ev, event(8, PES_RENAMED, "c@baseos", "d@nowhere", 8, 2, NULL));
	pes_data_init(&f.d);
	json_t *j = doc(ev);
	char *err = NULL;
	assert_int_equal(pes_merge_json(&f.d, j, "/etc/leapp/files/pes-events.json", false, &err), 0);
	json_decref(j);
	setup_input(&f, "a");
	f.in.known_pesid = only_known;
	assert_int_equal(pes_compute(&f.d, &f.in, &f.r, &err), -EINVAL);
	assert_non_null(strstr(err, "/etc/leapp/files/pes-events.json: $.packageinfo[0]: PES event 7 (renamed)"));
	assert_non_null(strstr(err, "'nowhere'"));
	free(err);
	pes_data_free(&f.d);
}

static void expect_parse_error(const char *json_text, const char *want)
{
	json_error_t je;
	json_t *j = json_loads(json_text, 0, &je);
	assert_non_null(j);
	struct pes_data d;
	pes_data_init(&d);
	char *err = NULL;
	assert_int_equal(pes_merge_json(&d, j, "F", false, &err), -EINVAL);
	if (!strstr(err, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err, want);
	assert_int_equal(d.n, 0);
	free(err);
	json_decref(j);
	pes_data_free(&d);
}

static void test_parse_errors(void **state)
{
	expect_parse_error("[]", "F: $: must be an object");
	expect_parse_error("{}", "F: $: missing 'packageinfo'");
	expect_parse_error("{\"packageinfo\": [{\"id\": 5, \"action\": 9, \"release\": null}]}",
			   "F: $.packageinfo[0] (event 5): action 9 is not a PES action");
	expect_parse_error("{\"packageinfo\": [{\"id\": 5, \"action\": 1}]}", "(event 5): missing 'release'");
	expect_parse_error("{\"packageinfo\": [{\"id\": 6, \"action\": 1, \"release\": {\"major_version\": \"9\"}}]}",
			   "$.packageinfo[0] (event 6).release: 'major_version' and 'minor_version' must be integers");
	expect_parse_error("{\"packageinfo\": [{\"id\": 6, \"action\": 1, \"release\": null, \"in_packageset\": "
			   "{\"package\": [{\"name\": \"a\"}]}}]}",
			   "$.packageinfo[0] (event 6).in_packageset.package[0] (a): missing 'repository'");
	expect_parse_error("{\"packageinfo\": [{\"id\": 6, \"action\": 1, \"release\": null, \"architectures\": [\"vax\"]}]}",
			   "architectures[0]: not an architecture leapp knows");
}

static void test_vendor_format(void **state)
{
	/* the vendor files' shape: module_stream instead of modulestreams, no maps, extra keys */
	const char *text = "{\"packageinfo\": [{\"action\": 3, \"architectures\": [\"x86_64\"], \"id\": 12691, "
			   "\"in_packageset\": {\"package\": [{\"module_stream\": null, \"name\": \"percona-xtrabackup\", "
			   "\"repository\": \"mariadb-tools\"}], \"set_id\": 1}, \"initial_release\": {\"major_version\": 8, "
			   "\"minor_version\": 10, \"os_name\": \"CentOS\"}, \"is_approved\": true, \"out_packageset\": "
			   "{\"package\": [{\"module_stream\": null, \"name\": \"MariaDB-backup\", \"repository\": "
			   "\"el9-mariadb-main\"}], \"set_id\": 2}, \"release\": {\"major_version\": 9, \"minor_version\": 0, "
			   "\"os_name\": \"AlmaLinux\"}, \"version\": 1}], \"provided_data_streams\": [\"2.0\"], "
			   "\"timestamp\": \"202308241055Z\"}";
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	struct fixture f;
	pes_data_init(&f.d);
	char *err = NULL;
	assert_int_equal(pes_merge_json(&f.d, j, "vendors.d/mariadb_pes.json", true, &err), 0);
	json_decref(j);
	assert_int_equal(f.d.n, 1);
	assert_true(f.d.ev[0].vendor);
	setup_input(&f, "!percona-xtrabackup");
	assert_int_equal(pes_compute(&f.d, &f.in, &f.r, &err), 0);
	ASSERT_NAMES(f.r.install, f.r.n_install, "MariaDB-backup");
	done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_release_window_and_order),
		cmocka_unit_test(test_present_brings_back),
		cmocka_unit_test(test_same_in_same_release_keeps_latest),
		cmocka_unit_test(test_modulestreams),
		cmocka_unit_test(test_admin_lists),
		cmocka_unit_test(test_third_party),
		cmocka_unit_test(test_unknown_repository),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_vendor_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
