/* TargetTransactionCheck: what the plan means for the admin. Inhibitors for an unsolvable
 * transaction (libsolv's own explanation), and reports of the counts, the admin's overrides,
 * the repositories and module streams without a target, and the kernels kept as fallbacks. */
#include "leapp/actor.h"

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static json_int_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void nevra(struct buf *b, json_t *it)
{
	buf_printf(b, "%s-", jstr(it, "name"));
	if (jint(it, "epoch"))
		buf_printf(b, "%lld:", (long long)jint(it, "epoch"));
	buf_printf(b, "%s-%s.%s", jstr(it, "version"), jstr(it, "release"), jstr(it, "arch"));
}

static void report_unsolvable(json_t *plan)
{
	json_t *probs = json_object_get(plan, "problems");
	struct buf b = {0}, pk = {0};
	size_t i, k;
	json_t *p, *v;
	buf_printf(&b, "The RPM transaction of the upgrade cannot be computed: libsolv, the dependency solver dnf "
		       "uses, found %zu problem%s.",
		   json_array_size(probs), json_array_size(probs) == 1 ? "" : "s");
	json_t *e = report_new("The upgrade transaction cannot be solved (unsatisfied dependencies)", NULL, "high");
	char **seen = NULL;
	size_t n_seen = 0;
	json_array_foreach(probs, i, p) {
		buf_printf(&b, "\n\nProblem %zu: %s", i + 1, jstr(p, "summary"));
		json_array_foreach(json_object_get(p, "rules"), k, v)
			buf_printf(&b, "\n  - %s", json_string_value(v));
		json_array_foreach(json_object_get(p, "packages"), k, v) {
			bool dup = false;
			for (size_t x = 0; x < n_seen && !dup; x++)
				dup = !strcmp(seen[x], json_string_value(v));
			if (dup)
				continue;
			seen = xrealloc(seen, (n_seen + 1) * sizeof(char *));
			seen[n_seen++] = xstrdup(json_string_value(v));
			report_add_resource(e, "package", json_string_value(v));
		}
		if (json_array_size(json_object_get(p, "solutions"))) {
			buf_printf(&pk, "%sProblem %zu: libsolv suggests:", pk.len ? "\n" : "", i + 1);
			json_array_foreach(json_object_get(p, "solutions"), k, v)
				buf_printf(&pk, "\n  - %s", json_string_value(v));
		}
	}
	if (n_seen) {
		buf_printf(&b, "\n\nPackages involved:");
		for (size_t x = 0; x < n_seen; x++)
			buf_printf(&b, "%s %s", x ? "," : "", seen[x]);
	}
	strv_free_n(seen, n_seen);
	buf_append(&b, "", 1);
	json_object_set_new(e, "summary", json_string(b.data));
	report_add_group(e, "inhibitor");
	report_add_group(e, "repository");
	report_add_hint(e, "Make the missing packages available in a target repository (leapp_upgrade_repositories.repo "
			   "or --enablerepo), or remove the packages that need them before the upgrade (or list them in "
			   "/etc/leapp/transaction/to_remove).");
	if (pk.len) {
		buf_append(&pk, "", 1);
		report_add_hint(e, pk.data);
	}
	actor_report(e);
	buf_free(&b);
	buf_free(&pk);
}

/* a report stays readable: longer lists end with a count, transaction.json has them all */
#define LIST_MAX 40

static void list_items(struct buf *b, json_t *items, const char *action, const char *heading, bool with_reason,
		       bool skip_distro_sync)
{
	size_t i, n = 0;
	json_t *it;
	json_array_foreach(items, i, it) {
		if (strcmp(jstr(it, "action"), action))
			continue;
		if (skip_distro_sync && !strcmp(jstr(it, "reason"), "distro-sync"))
			continue;
		if (!n++)
			buf_printf(b, "\n\n%s:", heading);
		if (n > LIST_MAX)
			continue; /* counted below */
		buf_printf(b, "\n- ");
		nevra(b, it);
		if (strcmp(jstr(it, "repo"), "@System"))
			buf_printf(b, " (%s)", jstr(it, "repo"));
		if (with_reason)
			buf_printf(b, ": %s", jstr(it, "reason"));
	}
	if (n > LIST_MAX)
		buf_printf(b, "\n- ... and %zu more (see /var/log/leapp/transaction.json)", n - LIST_MAX);
}

static void report_plan(json_t *plan)
{
	json_t *c = json_object_get(plan, "counts");
	json_t *items = json_object_get(plan, "items"), *kept = json_object_get(plan, "kept");
	_cleanup_free_ char *title = xasprintf(
		"Planned RPM transaction: %lld to upgrade, %lld to install, %lld to remove, %lld obsoleted, %lld kept",
		(long long)jint(c, "upgrade"), (long long)jint(c, "install"), (long long)jint(c, "remove"),
		(long long)jint(c, "obsolete"), (long long)jint(c, "keep"));
	struct buf b = {0};
	buf_printf(&b, "The upgrade will run this RPM transaction: %lld upgrade, %lld install, %lld remove, %lld obsolete, "
		       "%lld downgrade; %lld installed packages stay as they are. Every item, with the reason for it, "
		       "is in /var/log/leapp/transaction.json.",
		   (long long)jint(c, "upgrade"), (long long)jint(c, "install"), (long long)jint(c, "remove"),
		   (long long)jint(c, "obsolete"), (long long)jint(c, "downgrade"), (long long)jint(c, "keep"));
	list_items(&b, items, "remove", "Removed", true, false);
	list_items(&b, items, "obsolete", "Obsoleted", true, false);
	list_items(&b, items, "install", "Installed", true, false);
	list_items(&b, items, "downgrade", "Downgraded", true, false);
	list_items(&b, items, "upgrade", "Upgraded for another reason than distro-sync", true, true);
	list_items(&b, kept, "keep", "Kept as installed", true, false);
	buf_append(&b, "", 1);
	json_t *e = report_new(title, b.data, "info");
	report_add_group(e, "repository");
	report_add_resource(e, "file", "/var/log/leapp/transaction.json");
	actor_report(e);
	buf_free(&b);
	actor_info("%s (/var/log/leapp/transaction.json)", title);
}

static void report_overrides(json_t *pes)
{
	json_t *over = json_object_get(pes, "overrides");
	if (!json_array_size(over))
		return;
	struct buf b = {0};
	buf_printf(&b, "The admin's package lists in /etc/leapp/transaction change the planned transaction:");
	size_t i;
	json_t *o;
	json_t *e = report_new("The admin's package lists change the upgrade transaction", NULL, "info");
	json_array_foreach(over, i, o) {
		buf_printf(&b, "\n- /etc/leapp/transaction/%s:%lld: %s: %s", jstr(o, "list"), (long long)jint(o, "line"),
			   jstr(o, "name"), jstr(o, "effect"));
		actor_info("override %s %s: %s", jstr(o, "list"), jstr(o, "name"), jstr(o, "effect"));
	}
	buf_append(&b, "", 1);
	json_object_set_new(e, "summary", json_string(b.data));
	report_add_group(e, "repository");
	report_add_resource(e, "file", "/etc/leapp/transaction");
	actor_report(e);
	buf_free(&b);
}

static void report_repos(json_t *trepos)
{
	json_t *un = json_object_get(trepos, "unmapped"), *missing = json_object_get(trepos, "missing");
	size_t i;
	json_t *r;
	if (json_array_size(un)) {
		struct buf b = {0};
		buf_printf(&b, "These enabled repositories of the source system have no counterpart for the target "
			       "release. The upgrade does not use them: packages installed from them stay as they are "
			       "unless a target repository has them.");
		json_t *e = report_new("Source repositories without a target repository", NULL, "medium");
		json_array_foreach(un, i, r) {
			buf_printf(&b, "\n- %s (%s): %s", jstr(r, "repoid"), jstr(r, "file"), jstr(r, "why"));
			report_add_resource(e, "repository", jstr(r, "repoid"));
		}
		buf_append(&b, "", 1);
		json_object_set_new(e, "summary", json_string(b.data));
		report_add_group(e, "repository");
		report_add_hint(e, "If the vendor has repositories for the target release, add them to "
				   "/etc/leapp/files/leapp_upgrade_repositories.repo (or use --enablerepo) and a mapping "
				   "in /etc/leapp/files/vendors.d; otherwise update those packages after the upgrade.");
		actor_report(e);
		buf_free(&b);
	}
	if (json_array_size(missing)) {
		struct buf b = {0};
		buf_printf(&b, "The repository map names target repositories that are not available, so packages "
			       "from them cannot be part of the upgrade:");
		json_array_foreach(missing, i, r)
			buf_printf(&b, "\n- %s", json_string_value(r));
		buf_append(&b, "", 1);
		json_t *e = report_new("Target repositories from the repository map are missing", b.data, "medium");
		report_add_group(e, "repository");
		report_add_hint(e, "Define them in /etc/leapp/files/leapp_upgrade_repositories.repo or enable them "
				   "with --enablerepo.");
		actor_report(e);
		buf_free(&b);
	}
}

static void report_streams(json_t *plan, json_t *installed)
{
	json_t *maps = json_object_get(plan, "stream_maps");
	struct buf none = {0}, mapped = {0};
	json_t *e_none = report_new("Module streams without a target stream", NULL, "high");
	size_t i;
	json_t *m;
	json_array_foreach(maps, i, m) {
		const char *how = jstr(m, "how"), *src = jstr(m, "source");
		if (!strcmp(how, "none") || !strcmp(how, "default")) {
			buf_printf(&none, "\n- %s: %s", src,
				   !strcmp(how, "none") ? "no target stream"
							: "no matching target stream; the target's default stream is used: ");
			if (!strcmp(how, "default"))
				buf_printf(&none, "%s", jstr(m, "target"));
			/* the installed packages of that stream */
			size_t k, n = 0;
			json_t *p;
			const char *colon = strchr(src, ':');
			json_array_foreach(json_object_get(installed, "items"), k, p) {
				if (!colon || strncmp(jstr(p, "module"), src, (size_t)(colon - src)) ||
				    jstr(p, "module")[colon - src] || strcmp(jstr(p, "stream"), colon + 1))
					continue;
				buf_printf(&none, "%s%s", n++ ? ", " : " (installed from it: ", jstr(p, "name"));
				report_add_resource(e_none, "package", jstr(p, "name"));
			}
			if (n)
				buf_printf(&none, ")");
		} else {
			buf_printf(&mapped, "\n- %s -> %s (%s%s", src, jstr(m, "target"),
				   !strcmp(how, "pes") ? "PES" : "the same stream exists in the target",
				   !strcmp(how, "pes") && jint(m, "event") ? "" : ")");
			if (!strcmp(how, "pes") && jint(m, "event"))
				buf_printf(&mapped, " event %lld)", (long long)jint(m, "event"));
		}
	}
	if (none.len) {
		buf_append(&none, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"These module streams are enabled on the source system, and the target repositories have no stream "
			"for them (and no PES data maps them). Their packages will be upgraded to non-modular or default "
			"stream versions if the target has those, or stay as they are:%s",
			none.data);
		json_object_set_new(e_none, "summary", json_string(summary));
		report_add_group(e_none, "repository");
		report_add_hint(e_none, "Check that the applications of these streams work with the versions the target "
					"has; migrate their data (databases!) as their documentation describes, or remove them "
					"before the upgrade.");
		actor_report(e_none);
	} else
		json_decref(e_none);
	if (mapped.len) {
		buf_append(&mapped, "", 1);
		_cleanup_free_ char *summary =
			xasprintf("The enabled module streams are mapped to these target streams:%s", mapped.data);
		json_t *e = report_new("Module streams of the upgrade", summary, "info");
		report_add_group(e, "repository");
		actor_report(e);
	}
	buf_free(&none);
	buf_free(&mapped);
}

static void report_kernels(json_t *plan)
{
	struct buf b = {0};
	size_t i, n = 0;
	json_t *it;
	json_array_foreach(json_object_get(plan, "kept"), i, it)
		if (json_is_true(json_object_get(it, "installonly"))) {
			buf_printf(&b, "\n- ");
			nevra(&b, it);
			n++;
		}
	if (n) {
		buf_append(&b, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"The target kernel is installed beside the installed kernel packages, which stay as a fallback "
			"during the upgrade. After the upgrade they are leftovers, to be removed once the target kernel "
			"boots:%s",
			b.data);
		json_t *e = report_new("The installed kernel stays as a fallback", summary, "info");
		report_add_group(e, "kernel");
		actor_report(e);
	}
	buf_free(&b);
}

static bool is_32bit(const char *arch)
{
	return arch && (!strcmp(arch, "i686") || !strcmp(arch, "i586") || !strcmp(arch, "i486") || !strcmp(arch, "i386"));
}

/* 32-bit (multilib) packages the plan keeps as they are: no target repository has a build of
 * them, so they stay at the old release's build beside 64-bit libraries of the new one. Their
 * x86_64 twins being upgraded is what makes this worth a report of its own. */
static void report_32bit_kept(json_t *plan)
{
	size_t i, n = 0;
	json_t *it;
	struct buf b = {0};
	json_array_foreach(json_object_get(plan, "kept"), i, it) {
		if (!is_32bit(jstr(it, "arch")))
			continue;
		if (n++ < LIST_MAX) {
			buf_printf(&b, "\n- ");
			nevra(&b, it);
		}
	}
	if (!n)
		return;
	if (n > LIST_MAX)
		buf_printf(&b, "\n- ... and %zu more (see /var/log/leapp/transaction.json)", n - LIST_MAX);
	buf_append(&b, "", 1);
	_cleanup_free_ char *summary = xasprintf(
		"No target repository has a build of these 32-bit packages, so the upgrade keeps them as they are, built "
		"for the old release, while the 64-bit packages around them are upgraded. They may not work on the new "
		"release:%s",
		b.data);
	json_t *e = report_new("32-bit packages without a build for the target release", summary, "medium");
	report_add_group(e, "rpm");
	report_add_hint(e, "Find builds of them for the new release, or remove them if nothing needs them any more.");
	actor_report(e);
	buf_free(&b);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *plan = actor_consume_last("PlannedTransaction");
	json_t *trepos = actor_consume_last("TargetRepositories");
	json_t *pes = actor_consume_last("PESRpmTransactionTasks");
	json_t *installed = actor_consume_last("InstalledRPM");
	if (trepos)
		report_repos(trepos);
	if (pes)
		report_overrides(pes);
	if (plan) {
		const char *status = jstr(plan, "status");
		if (!strcmp(status, "unsolvable"))
			report_unsolvable(plan);
		else if (!strcmp(status, "planned")) {
			report_plan(plan);
			report_kernels(plan);
			report_32bit_kept(plan);
		}
		/* "failed": the planner reported why */
		report_streams(plan, installed);
	} else
		actor_warning("no PlannedTransaction: the transaction was not planned (see the reports of the "
			      "TargetTransactionFactsCollection phase)");
	json_decref(plan);
	json_decref(trepos);
	json_decref(pes);
	json_decref(installed);
	return actor_finish();
}
