/* Test helper: run an RPM transaction through actors/lib/rpmtrans (what the RPM upgrade will do
 * after the reboot) and print its result as JSON.
 *
 *   rpmtrans-run --root DIR [--dbpath P] [--test] [--noscripts] [--verify] [--import KEY.asc]...
 *                [--erase NEVRA]... [--installonly FILE]... [FILE]...
 *
 * Exit: 0 the transaction succeeded, 1 it did not (the JSON says why), 2 usage or set-up. */
#include <getopt.h>
#include <jansson.h>

#include "leapp/util.h"
#include "rpm.h"

static void on_progress(const char *what, uint64_t done, uint64_t total, void *ud)
{
	(void)what, (void)done, (void)total, (void)ud;
}

static const char *state_name(enum rpmtrans_pkg_state s)
{
	return s == RPMTRANS_PKG_DONE ? "done" : s == RPMTRANS_PKG_FAILED ? "failed" : "not-run";
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"root", required_argument, NULL, 'r'},	 {"dbpath", required_argument, NULL, 'd'},
		{"test", no_argument, NULL, 't'},	 {"noscripts", no_argument, NULL, 'n'},
		{"verify", no_argument, NULL, 'v'},	 {"import", required_argument, NULL, 'k'},
		{"erase", required_argument, NULL, 'e'}, {"installonly", required_argument, NULL, 'i'},
		{NULL, 0, NULL, 0},
	};
	struct rpmtrans_opts o = {.progress = on_progress};
	char **keys = xcalloc((size_t)argc + 1, sizeof(char *)), **erase = xcalloc((size_t)argc + 1, sizeof(char *)),
	     **io = xcalloc((size_t)argc + 1, sizeof(char *));
	size_t nk = 0, ne = 0, ni = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o.root = optarg; break;
		case 'd': o.dbpath = optarg; break;
		case 't': o.test = true; break;
		case 'n': o.noscripts = true; break;
		case 'v': o.verify = true; break;
		case 'k': keys[nk++] = optarg; break;
		case 'e': erase[ne++] = optarg; break;
		case 'i': io[ni++] = optarg; break;
		default: return 2;
		}
	}
	if (!o.root) {
		fprintf(stderr, "rpmtrans-run: --root is required\n");
		return 2;
	}
	o.script_fd = STDERR_FILENO;
	struct rpmtrans *t = NULL;
	char *err = NULL;
	int rc = 2;
	if (rpmtrans_new(&o, &t, &err) < 0)
		goto fail;
	for (size_t i = 0; i < nk; i++) {
		char *text = NULL;
		if (read_file(keys[i], 1 << 20, &text, NULL) < 0) {
			err = xasprintf("%s: cannot read", keys[i]);
			goto fail;
		}
		int r = rpmtrans_import_key(t, text, &err);
		free(text);
		if (r < 0)
			goto fail;
	}
	for (size_t i = 0; i < ni; i++)
		if (rpmtrans_add_package(t, io[i], RPMTRANS_BESIDE, &err) < 0)
			goto fail;
	for (int i = optind; i < argc; i++)
		if (rpmtrans_add_package(t, argv[i], RPMTRANS_AUTO, &err) < 0)
			goto fail;
	for (size_t i = 0; i < ne; i++)
		if (rpmtrans_add_erase(t, erase[i], &err) < 0)
			goto fail;
	struct rpmtrans_result res;
	if (rpmtrans_run(t, &res, &err) < 0)
		goto fail;
	json_t *probs = json_array(), *pkgs = json_array(), *sf = json_array();
	for (size_t i = 0; i < res.n_problems; i++) {
		const struct rpmtrans_problem *p = &res.problems[i];
		json_array_append_new(probs, json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:s}", "kind",
						       rpmtrans_problem_kind_name(p->kind), "package", p->package, "other",
						       p->other, "file", p->file, "dependency", p->dependency, "filesystem",
						       p->filesystem, "needed", (json_int_t)p->needed, "message", p->message));
	}
	for (size_t i = 0; i < res.n_packages; i++)
		json_array_append_new(pkgs, json_pack("{s:s, s:b, s:s, s:s?}", "nevra", res.packages[i].nevra, "erase",
						      res.packages[i].erase, "state", state_name(res.packages[i].state),
						      "detail", res.packages[i].detail));
	for (size_t i = 0; i < res.n_script_failures; i++)
		json_array_append_new(sf, json_string(res.script_failures[i]));
	json_t *j = json_pack("{s:b, s:I, s:I, s:o, s:o, s:o}", "ok", res.ok, "installs", (json_int_t)res.installs,
			      "erasures", (json_int_t)res.erasures, "problems", probs, "packages", pkgs, "script_failures", sf);
	json_dumpf(j, stdout, JSON_INDENT(1));
	putchar('\n');
	json_decref(j);
	rc = res.ok ? 0 : 1;
	rpmtrans_result_free(&res);
	rpmtrans_free(t);
	free(keys);
	free(erase);
	free(io);
	return rc;
fail:
	fprintf(stderr, "rpmtrans-run: %s\n", err ? err : "failed");
	free(err);
	rpmtrans_free(t);
	free(keys);
	free(erase);
	free(io);
	return rc;
}
