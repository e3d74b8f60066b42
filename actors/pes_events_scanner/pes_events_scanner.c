/* TargetTransactionFactsCollection: PES events and the admin's /etc/leapp/transaction lists,
 * applied to the installed packages, as PESRpmTransactionTasks. Bad data inhibits, naming the
 * file and the position (or the event). */
#include "sys.h"
#include "plan.h"
#include "leapp/actor.h"

static void inhibit(const char *title, const char *file, const char *summary, const char *hint)
{
	json_t *e = report_new(title, summary, "high");
	report_add_group(e, "inhibitor");
	report_add_group(e, "sanity");
	report_add_hint(e, hint);
	if (file)
		report_add_resource(e, "file", file);
	actor_report(e);
}

static bool known_pesid(const char *pesid, void *userdata)
{
	return repomap_has_pesid(userdata, pesid);
}

static void add_installed(json_t *msg, bool third_party, struct pes_installed **v, size_t *n)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(msg, "items"), i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		if (!name || !strcmp(name, "gpg-pubkey"))
			continue;
		const char *mod = json_string_value(json_object_get(p, "module"));
		const char *stream = json_string_value(json_object_get(p, "stream"));
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = (struct pes_installed){
			.name = name,
			.repo = json_string_value(json_object_get(p, "repository")),
			.ms = mod && stream ? xasprintf("%s:%s", mod, stream) : NULL,
			.third_party = third_party,
		};
	}
}

/*
 * What other actors ask the transaction to install or remove (RpmTransactionTasks) joins the
 * admin's lists, past their own lines (line 0: no line of theirs); their reasons go into
 * *ret_reasons, name -> reason, for the tasks.
 */
static void add_actor_tasks(json_t *tasks, struct admin_list *li, struct admin_list *lr, json_t *reasons)
{
	size_t i, k;
	json_t *t, *n;
	json_array_foreach(tasks, i, t) {
		const char *why = json_string_value(json_object_get(t, "reason")) ?: "requested by an actor";
		static const char *const lists[] = {"to_install", "to_remove"};
		struct admin_list *lp[] = {li, lr};
		for (size_t l = 0; l < 2; l++)
			json_array_foreach(json_object_get(t, lists[l]), k, n) {
				const char *name = json_string_value(n);
				if (!name || !*name)
					continue;
				bool dup = false;
				for (size_t x = 0; x < lp[l]->n && !dup; x++)
					dup = !strcmp(lp[l]->names[x], name);
				if (!dup) {
					lp[l]->names = xrealloc(lp[l]->names, (lp[l]->n + 1) * sizeof(char *));
					lp[l]->lines = xrealloc(lp[l]->lines, (lp[l]->n + 1) * sizeof(int));
					lp[l]->names[lp[l]->n] = xstrdup(name);
					lp[l]->lines[lp[l]->n++] = 0;
				}
				if (!json_object_get(reasons, name))
					json_object_set_new(reasons, name, json_string(why));
			}
	}
}

/* the tasks an actor asked for say so, not "admin to_install" */
static void fix_actor_reasons(struct pes_task *t, size_t n, json_t *reasons, const struct admin_list *admin)
{
	for (size_t i = 0; i < n; i++) {
		const char *why = json_string_value(json_object_get(reasons, t[i].name));
		if (!why || !t[i].reason || !strstr(t[i].reason, "admin to_"))
			continue;
		bool listed = false;
		for (size_t x = 0; x < admin->n && !listed; x++)
			listed = admin->lines[x] > 0 && !strcmp(admin->names[x], t[i].name);
		if (listed)
			continue;
		free(t[i].reason);
		t[i].reason = xasprintf("RpmTransactionTasks: %s", why);
	}
}

static json_t *tasks_json(const struct pes_task *t, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, pes_task_to_json(&t[i]));
	return a;
}

static json_t *ms_json(const char *ms)
{
	const char *colon = strchr(ms, ':');
	_cleanup_free_ char *name = colon ? xstrndup(ms, (size_t)(colon - ms)) : xstrdup(ms);
	return json_pack("{s:s, s:s}", "name", name, "stream", colon ? colon + 1 : "");
}

static bool in_names(const struct admin_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->names[i], name))
			return true;
	return false;
}

static const struct pes_task *find_task(const struct pes_task *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

static const char *const lists[] = {"to_install", "to_remove", "to_keep"};

/* The PES data: the built-in pes-events.json and the vendors' *_pes.json (false: some file is
 * unusable, reported as an inhibitor). *names (the vendor files' names) must outlive d. */
static bool load_pes_data(struct pes_data *d, char ***names, size_t *nv)
{
	bool ok = true;
	json_t *doc = NULL;
	_cleanup_free_ char *err = NULL;
	int r = datafile_load_json("pes-events.json", &doc, &err);
	if (r < 0) {
		datafile_report_problem("pes-events.json", r, err);
		ok = false;
	} else {
		_cleanup_free_ char *shown = NULL, *p = datafile_path("pes-events.json", &shown);
		free(err);
		err = NULL;
		if (pes_merge_json(d, doc, shown, false, &err) < 0) {
			_cleanup_free_ char *summary = xasprintf(
				"The PES data (package evolution events) cannot be used: %s. Without it the upgrade would "
				"miss renamed, split and removed packages.",
				err);
			inhibit("Invalid PES data file", shown, summary,
				"Fix the file at the position given, or reinstall the leapp data package that ships it.");
			ok = false;
		}
		json_decref(doc);
	}
	char **paths;
	*nv = plan_vendor_files("_pes.json", &paths, names);
	for (size_t i = 0; i < *nv; i++) {
		free(err);
		err = NULL;
		json_t *v = plan_load_json(paths[i], (*names)[i], &err);
		if (!v || pes_merge_json(d, v, (*names)[i], true, &err) < 0) {
			_cleanup_free_ char *summary = xasprintf("The vendor PES data cannot be used: %s.", err);
			inhibit("Invalid vendor PES data file", (*names)[i], summary,
				"Fix the file at the position given, or remove it from /etc/leapp/files/vendors.d.");
			ok = false;
		}
		json_decref(v);
	}
	strv_free_n(paths, *nv);
	return ok;
}

/* the admin's lists (false: one cannot be read, reported as an inhibitor) */
static bool read_admin_lists(struct admin_list *lp[3])
{
	bool ok = true;
	for (size_t i = 0; i < 3; i++) {
		_cleanup_free_ char *err = NULL;
		if (plan_read_admin_list(lists[i], lp[i], &err) < 0) {
			_cleanup_free_ char *summary = xasprintf("The admin's package list cannot be read: %s.", err);
			_cleanup_free_ char *file = xasprintf("/etc/leapp/transaction/%s", lists[i]);
			inhibit("Invalid package list in /etc/leapp/transaction", file, summary,
				"Write one package name per line; '#' starts a comment.");
			ok = false;
		}
	}
	return ok;
}

/* what each admin line does */
static json_t *admin_effects(struct admin_list *lp[3], const struct pes_input *in, const struct pes_result *res)
{
	json_t *over = json_array();
	for (size_t l = 0; l < 3; l++)
		for (size_t k = 0; k < lp[l]->n; k++) {
			const char *n = lp[l]->names[k];
			if (lp[l]->lines[k] == 0)
				continue; /* added by an actor's RpmTransactionTasks, not a line of the admin's */
			bool installed = false;
			for (size_t x = 0; x < in->n_pkgs && !installed; x++)
				installed = !strcmp(in->pkgs[x].name, n);
			_cleanup_free_ char *effect = NULL;
			if (l == 0)
				effect = xstrdup(installed ? "already installed: kept, and upgraded when the target "
							     "repositories have it"
							   : "installed from the target repositories");
			else if (!installed)
				effect = xstrdup("not installed: ignored");
			else if (l == 1 && in_names(lp[2], n))
				effect = xstrdup("ignored: to_keep names it too, and keeping wins");
			else if (l == 1)
				effect = xstrdup("removed");
			else {
				const struct pes_task *t = find_task(res->keep, res->n_keep, n);
				effect = xstrdup(t && strstr(t->reason, "overriding")
							 ? strstr(t->reason, "overriding")
							 : "kept (upgraded when the target repositories have it)");
			}
			json_array_append_new(over, json_pack("{s:s, s:s, s:i, s:s}", "list", lists[l], "name", n, "line",
							      lp[l]->lines[k], "effect", effect));
		}
	return over;
}

/* PESRpmTransactionTasks from the result */
static void produce_tasks(const struct pes_data *d, const struct pes_result *res, json_t *mods, json_t *over)
{
	json_t *enable = json_array(), *reset = json_array(), *maps = json_array();
	for (size_t i = 0; i < res->n_modules_enable; i++)
		json_array_append_new(enable, ms_json(res->modules_enable[i]));
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(mods, "modules"), i, m)
		if (!strcmp(json_string_value(json_object_get(m, "state")) ?: "", "enabled"))
			json_array_append_new(reset, json_pack("{s:O, s:O}", "name", json_object_get(m, "name"), "stream",
							       json_object_get(m, "stream")));
	for (i = 0; i < res->n_stream_maps; i++)
		json_array_append_new(maps, json_pack("{s:s, s:s?, s:i, s:s}", "source", res->stream_maps[i].source, "target",
						      res->stream_maps[i].target, "event", res->stream_maps[i].event, "how",
						      res->stream_maps[i].target ? "pes" : "none"));
	json_t *msg = json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I}", "to_install",
		tasks_json(res->install, res->n_install), "to_remove", tasks_json(res->remove, res->n_remove), "to_keep",
		tasks_json(res->keep, res->n_keep), "notes", tasks_json(res->notes, res->n_notes), "modules_to_enable", enable,
		"modules_to_reset", reset, "stream_maps", maps, "target_pesids",
		plan_strv_json(res->target_pesids, res->n_target_pesids), "overrides", over, "warnings",
		plan_strv_json(res->warnings, res->n_warnings), "files", plan_strv_json(d->files, d->n_files), "events_read",
		(json_int_t)d->n_entries, "events_relevant", (json_int_t)res->n_relevant, "events_applied",
		(json_int_t)res->n_applied);
	for (i = 0; i < res->n_warnings; i++)
		actor_warning("%s", res->warnings[i]);
	actor_produce("PESRpmTransactionTasks", msg);
}

/* The events applied to the installed packages and the admin's lists; the tasks produced. */
static void compute(const struct pes_data *d, struct admin_list *lp[3], json_t *ipu, const int src[2],
		    const int dst[2], json_t *dist, json_t *third, json_t *mapmsg, json_t *mods, json_t *actor_reasons)
{
	struct repomap map;
	bool have_map = mapmsg != NULL;
	if (have_map)
		repomap_from_json(&map, mapmsg, NULL);
	else
		actor_warning("no RepositoriesMapping: the repositories PES events name are not checked");
	struct pes_installed *inst = NULL;
	size_t n_inst = 0;
	add_installed(dist, false, &inst, &n_inst);
	add_installed(third, true, &inst, &n_inst);
	struct pes_input in = {
		.pkgs = inst,
		.n_pkgs = n_inst,
		.source = {src[0], src[1]},
		.target = {dst[0], dst[1]},
		.arch = ipu_str(ipu, "architecture"),
		.admin_install = lp[0]->names,
		.n_admin_install = lp[0]->n,
		.admin_remove = lp[1]->names,
		.n_admin_remove = lp[1]->n,
		.admin_keep = lp[2]->names,
		.n_admin_keep = lp[2]->n,
		.known_pesid = have_map ? known_pesid : NULL,
		.userdata = have_map ? &map : NULL,
	};
	struct pes_result res;
	double t0 = now_monotonic();
	_cleanup_free_ char *err = NULL;
	if (pes_compute(d, &in, &res, &err) < 0) {
		_cleanup_free_ char *summary = xasprintf("The PES data does not match the repository map: %s.", err);
		inhibit("PES event names an unknown repository", NULL, summary,
			"Install matching PES data and repository map files (they come from the same leapp data "
			"package), or fix the event.");
	} else {
		actor_info("PES: %zu events read from %zu files (%zu for %s in %d.%d..%d.%d), %zu applied: %zu to "
			   "install, %zu to remove, %zu to keep (%.1f ms)",
			   d->n_entries, d->n_files, res.n_relevant, in.arch ? in.arch : "any arch", src[0], src[1], dst[0],
			   dst[1], res.n_applied, res.n_install, res.n_remove, res.n_keep, (now_monotonic() - t0) * 1000);
		fix_actor_reasons(res.install, res.n_install, actor_reasons, lp[0]);
		fix_actor_reasons(res.remove, res.n_remove, actor_reasons, lp[1]);
		produce_tasks(d, &res, mods, admin_effects(lp, &in, &res));
		pes_result_free(&res);
	}
	for (size_t i = 0; i < n_inst; i++)
		free((char *)inst[i].ms);
	free(inst);
	if (have_map)
		repomap_free(&map);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ipu = ipu_config_get();
	if (!ipu)
		actor_error("no workflow configuration (IPUConfig)", "ipu_workflow_config did not decide the upgrade path");
	int src[2], dst[2];
	if (plan_ipu_release(ipu, false, src) < 0 || plan_ipu_release(ipu, true, dst) < 0)
		actor_error("the workflow configuration has no usable source or target version", "source %s, target %s",
			    ipu_str(ipu, "source_version") ?: "?", ipu_str(ipu, "target_version") ?: "?");
	json_t *dist = actor_consume_last("DistributionSignedRPM");
	json_t *third = actor_consume_last("ThirdPartyRPM");
	if (!dist)
		actor_error("no DistributionSignedRPM message: the installed packages are unknown",
			    "rpm_scanner did not sort the installed packages (see its report)");
	json_t *mapmsg = actor_consume_last("RepositoriesMapping");
	json_t *mods = actor_consume_last("EnabledModules");

	struct pes_data d;
	pes_data_init(&d);
	char **names = NULL;
	size_t nv = 0;
	bool ok = load_pes_data(&d, &names, &nv);
	struct admin_list li = {0}, lr = {0}, lk = {0};
	struct admin_list *lp[] = {&li, &lr, &lk};
	ok &= read_admin_lists(lp);
	/* what other actors ask for (RpmTransactionTasks) joins the admin's lists, with its own reason */
	json_t *actor_tasks = actor_consume("RpmTransactionTasks");
	json_t *actor_reasons = json_object();
	add_actor_tasks(actor_tasks, &li, &lr, actor_reasons);
	json_decref(actor_tasks);
	if (ok)
		compute(&d, lp, ipu, src, dst, dist, third, mapmsg, mods, actor_reasons);
	strv_free_n(names, nv);
	pes_data_free(&d);
	for (size_t i = 0; i < 3; i++)
		plan_admin_list_free(lp[i]);
	json_decref(actor_reasons);
	json_decref(ipu);
	json_decref(dist);
	json_decref(third);
	json_decref(mapmsg);
	json_decref(mods);
	return actor_finish();
}
