/* Finalization: systemd units enabled and disabled as SystemdServicesTasks ask, in the upgraded
 * system's /etc/systemd/system. There is no running systemd to ask (the upgrade initramfs runs
 * its own, and --root trees have none), so the links are made the way `systemctl enable` makes
 * them: for each WantedBy=/RequiredBy= of the unit's [Install] section a link
 * <target>.wants/<unit> (.requires) to the unit file, Alias= links, Also= units enabled too;
 * disabling removes every link that names the unit. Enablement links whose unit file is gone
 * (the package that shipped it was removed or renamed, e.g. ntpd.service) are removed as well:
 * systemd would only complain about them; those whose unit exists under another path are
 * re-created to it, as `systemctl reenable` would (upstream repair_systemd_symlinks). Safe to
 * run twice, and the report says the state either way: a run killed after its changes but
 * before its commit leaves nothing of its report, so the next run names the units that are
 * already as asked (and the source's broken links already gone) instead of reporting nothing. */
#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>

#include "leapp/actor.h"
#include "leapp/strmap.h"

#define SYSTEMD_DIR "/etc/systemd/system"

static const char *const unit_dirs[] = {"/etc/systemd/system", "/usr/lib/systemd/system"};

struct result {
	json_t *enabled, *disabled, *broken, *repaired, *failed;
	/* the state found, not changed by this run (for the report only) */
	json_t *already_enabled, *already_disabled, *already_gone;
};

static bool valid_unit_name(const char *u)
{
	return u && *u && !strchr(u, '/') && strcmp(u, ".") && strcmp(u, "..") && strchr(u, '.');
}

/* The unit file of a unit as the system sees it (e.g. /usr/lib/systemd/system/x.service), or
 * NULL; *ret_masked when /etc/systemd/system/<unit> links to /dev/null. */
static char *unit_file(const char *unit, bool *ret_masked)
{
	*ret_masked = false;
	for (size_t i = 0; i < ELEMENTSOF(unit_dirs); i++) {
		_cleanup_free_ char *rel = xasprintf("%s/%s", unit_dirs[i], unit), *p = actor_path(rel);
		struct stat st;
		if (lstat(p, &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(p, target, sizeof(target) - 1);
			if (n < 0)
				continue;
			target[n] = 0;
			if (!strcmp(target, "/dev/null")) {
				*ret_masked = true;
				return NULL;
			}
			/* a linked unit: the file it names, as the system sees it */
			if (target[0] == '/') {
				_cleanup_free_ char *t = actor_path(target);
				if (stat(t, &st) == 0 && S_ISREG(st.st_mode))
					return xstrdup(target);
			}
			continue;
		}
		if (S_ISREG(st.st_mode))
			return TAKE_PTR(rel);
	}
	return NULL;
}

/* Append the space-separated words of [Install] key= lines of the unit file to out. */
static void install_words(const char *file_in_root, const char *key, json_t *out)
{
	_cleanup_free_ char *p = actor_path(file_in_root), *data = NULL;
	if (read_file(p, 1 << 20, &data, NULL) < 0)
		return;
	bool in_install = false;
	size_t klen = strlen(key);
	char *save = NULL;
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *l = str_strip(line);
		if (l[0] == '[') {
			in_install = !strcmp(l, "[Install]");
			continue;
		}
		if (!in_install || strncmp(l, key, klen) || l[klen] != '=')
			continue;
		char *s2 = NULL;
		for (char *w = strtok_r(l + klen + 1, " \t", &s2); w; w = strtok_r(NULL, " \t", &s2))
			json_array_append_new(out, json_string(w));
	}
}

/* Make dir/name a symlink to target (unless it is one already). 1 made, 0 there, -errno. */
static int link_to(const char *dir_in_root, const char *name, const char *target)
{
	_cleanup_free_ char *dir = actor_path(dir_in_root), *p = path_join(dir, name);
	int r = mkdir_p(dir, 0755);
	if (r < 0)
		return r;
	char have[PATH_MAX];
	ssize_t n = readlink(p, have, sizeof(have) - 1);
	if (n >= 0) {
		have[n] = 0;
		if (!strcmp(have, target))
			return 0;
		if (unlink(p) < 0)
			return -errno;
	}
	return symlink(target, p) < 0 ? -errno : 1;
}

static void fail(struct result *res, const char *unit, const char *why)
{
	_cleanup_free_ char *s = xasprintf("%s: %s", unit, why);
	actor_warning("%s", s);
	json_array_append_new(res->failed, json_string(s));
}

static void enable(struct result *res, const char *unit, struct strmap *seen)
{
	if (strmap_has(seen, unit))
		return;
	strmap_put(seen, unit, NULL);
	if (!valid_unit_name(unit)) {
		fail(res, unit, "not a unit name");
		return;
	}
	bool masked;
	_cleanup_free_ char *file = unit_file(unit, &masked);
	if (!file) {
		fail(res, unit, masked ? "masked (linked to /dev/null); left as it is" : "no unit file in the upgraded system");
		return;
	}
	json_t *wanted = json_array(), *required = json_array(), *alias = json_array(), *also = json_array();
	install_words(file, "WantedBy", wanted);
	install_words(file, "RequiredBy", required);
	install_words(file, "Alias", alias);
	install_words(file, "Also", also);
	bool made = false, any = false;
	size_t i;
	json_t *v;
	for (int kind = 0; kind < 3; kind++) {
		json_t *list = kind == 0 ? wanted : kind == 1 ? required : alias;
		json_array_foreach(list, i, v) {
			const char *w = json_string_value(v);
			if (!valid_unit_name(w))
				continue;
			_cleanup_free_ char *dir = kind == 2 ? xstrdup(SYSTEMD_DIR)
							     : xasprintf("%s/%s%s", SYSTEMD_DIR, w, kind == 0 ? ".wants" : ".requires");
			int r = link_to(dir, kind == 2 ? w : unit, file);
			any = true;
			if (r < 0) {
				_cleanup_free_ char *why = xasprintf("cannot link it into %s: %s", dir, strerror(-r));
				fail(res, unit, why);
			} else if (r > 0) {
				made = true;
				actor_info("enabled %s: %s/%s -> %s", unit, dir, kind == 2 ? w : unit, file);
			}
		}
	}
	json_array_foreach(also, i, v)
		if (json_is_string(v))
			enable(res, json_string_value(v), seen);
	if (!any && !json_array_size(also))
		fail(res, unit, "its unit file has no [Install] section (WantedBy=, RequiredBy=, Alias=): nothing to enable");
	else if (made)
		json_array_append_new(res->enabled, json_string(unit));
	else {
		actor_info("%s is enabled already", unit);
		json_array_append_new(res->already_enabled, json_string(unit));
	}
	json_decref(wanted);
	json_decref(required);
	json_decref(alias);
	json_decref(also);
}

/* The enablement directories (*.wants, *.requires) and the top level of /etc/systemd/system,
 * each entry that is a symlink handed to cb(dir, name, target). */
static void each_link(void (*cb)(const char *dir, const char *name, const char *target, void *ud), void *ud)
{
	_cleanup_free_ char *top = actor_path(SYSTEMD_DIR);
	DIR *d = opendir(top);
	if (!d)
		return;
	struct dirent *de;
	char **subs = NULL;
	size_t n = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (str_endswith(de->d_name, ".wants") || str_endswith(de->d_name, ".requires")) {
			subs = xrealloc(subs, (n + 1) * sizeof(char *));
			subs[n++] = path_join(top, de->d_name);
		}
	}
	closedir(d);
	subs = xrealloc(subs, (n + 1) * sizeof(char *));
	subs[n++] = xstrdup(top);
	for (size_t i = 0; i < n; i++) {
		DIR *sd = opendir(subs[i]);
		while (sd && (de = readdir(sd))) {
			if (de->d_name[0] == '.')
				continue;
			_cleanup_free_ char *p = path_join(subs[i], de->d_name);
			char target[PATH_MAX];
			ssize_t len = readlink(p, target, sizeof(target) - 1);
			if (len < 0)
				continue;
			target[len] = 0;
			cb(subs[i], de->d_name, target, ud);
		}
		if (sd)
			closedir(sd);
		free(subs[i]);
	}
	free(subs);
}

struct disable_ctx {
	const char *unit;
	bool removed, failed;
	struct result *res;
};

static void disable_cb(const char *dir, const char *name, const char *target, void *ud)
{
	struct disable_ctx *c = ud;
	const char *base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	_cleanup_free_ char *top = actor_path(SYSTEMD_DIR);
	bool top_level = !strcmp(dir, top);
	/* in *.wants / *.requires: the unit's links; at the top: aliases of it (not the unit itself,
	 * nor a mask) */
	bool match = top_level ? strcmp(name, c->unit) && !strcmp(base, c->unit) && strcmp(target, "/dev/null")
			       : !strcmp(name, c->unit);
	if (!match)
		return;
	_cleanup_free_ char *p = path_join(dir, name);
	if (unlink(p) < 0 && errno != ENOENT) {
		_cleanup_free_ char *why = xasprintf("cannot remove %s: %s", p, strerror(errno));
		fail(c->res, c->unit, why);
		c->failed = true;
		return;
	}
	actor_info("disabled %s: removed %s", c->unit, p);
	c->removed = true;
}

static void disable(struct result *res, const char *unit)
{
	if (!valid_unit_name(unit)) {
		fail(res, unit, "not a unit name");
		return;
	}
	struct disable_ctx c = {.unit = unit, .res = res};
	each_link(disable_cb, &c);
	if (c.removed)
		json_array_append_new(res->disabled, json_string(unit));
	else if (!c.failed) {
		actor_info("%s is not enabled", unit);
		json_array_append_new(res->already_disabled, json_string(unit));
	}
}

static void broken_cb(const char *dir, const char *name, const char *target, void *ud)
{
	struct result *res = ud;
	_cleanup_free_ char *top = actor_path(SYSTEMD_DIR);
	if (!strcmp(dir, top) || !strcmp(target, "/dev/null"))
		return; /* only enablement links; masks and top-level links are the admin's */
	_cleanup_free_ char *resolved = target[0] == '/' ? actor_path(target) : path_join(dir, target);
	struct stat st;
	if (stat(resolved, &st) == 0)
		return;
	_cleanup_free_ char *p = path_join(dir, name);
	bool masked;
	_cleanup_free_ char *file = unit_file(name, &masked);
	if (file && strcmp(file, target)) {
		/* the unit lives elsewhere now: point the link at it */
		if (unlink(p) < 0 || symlink(file, p) < 0) {
			_cleanup_free_ char *why = xasprintf("cannot re-create the broken link %s: %s", p, strerror(errno));
			fail(res, name, why);
			return;
		}
		actor_info("re-created " SYSTEMD_DIR "/%s/%s -> %s (was %s)", strrchr(dir, '/') + 1, name, file, target);
		_cleanup_free_ char *s = xasprintf("%s (%s)", name, strrchr(dir, '/') + 1);
		json_array_append_new(res->repaired, json_string(s));
		return;
	}
	if (unlink(p) < 0 && errno != ENOENT) {
		_cleanup_free_ char *why = xasprintf("cannot remove the broken link %s: %s", p, strerror(errno));
		fail(res, name, why);
		return;
	}
	actor_info("removed " SYSTEMD_DIR "/%s/%s: its unit file %s is gone", strrchr(dir, '/') + 1, name, target);
	_cleanup_free_ char *s = xasprintf("%s (%s)", name, strrchr(dir, '/') + 1);
	json_array_append_new(res->broken, json_string(s));
}

/* The source system's broken enablement links (SystemdServicesInfoSource, paths in the root)
 * that are gone already: an earlier run removed them, or a package did. Called before this
 * run removes any, so what it removes is not counted twice. */
static void source_broken_gone(struct result *res, json_t *facts)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(facts, "broken_symlinks"), i, v) {
		const char *rel = json_string_value(v);
		if (!rel || !str_startswith(rel, SYSTEMD_DIR "/") || strstr(rel, "/../"))
			continue;
		const char *sub = rel + strlen(SYSTEMD_DIR "/"), *slash = strchr(sub, '/');
		if (!slash || strchr(slash + 1, '/'))
			continue; /* only enablement links (one level down), as broken_cb handles */
		_cleanup_free_ char *dir = xstrndup(sub, slash - sub), *p = actor_path(rel);
		if (!str_endswith(dir, ".wants") && !str_endswith(dir, ".requires"))
			continue;
		struct stat st;
		if (lstat(p, &st) < 0 && errno == ENOENT)
			json_array_append_new(res->already_gone, json_sprintf("%s (%s)", slash + 1, dir));
	}
}

static void list_lines(struct buf *b, const char *title, json_t *a)
{
	if (!json_array_size(a))
		return;
	buf_printf(b, "\n%s", title);
	size_t i, n = json_array_size(a);
	/* sorted: the order units were visited in (Also= chains) means nothing to the reader */
	_cleanup_free_ const char **v = xcalloc(n, sizeof(char *));
	for (i = 0; i < n; i++)
		v[i] = json_string_value(json_array_get(a, i));
	qsort(v, n, sizeof(char *), str_cmp_qsort);
	for (i = 0; i < n; i++)
		buf_printf(b, "\n    - %s", v[i]);
}

/* The info entry (what changed, and what was as asked already) and the medium one (what could
 * not be done). The info entry's title is the same whether this run or an earlier one made the
 * changes, so a resumed upgrade's report holds the same entries as an uninterrupted one's. */
static void report_state(struct result *res)
{
	struct buf b = {0};
	list_lines(&b, "Enabled:", res->enabled);
	list_lines(&b, "Disabled:", res->disabled);
	list_lines(&b, "Enablement links removed because the unit no longer exists:", res->broken);
	list_lines(&b, "Broken enablement links re-created to the unit's file:", res->repaired);
	bool changed = b.len > 0;
	list_lines(&b, "Already enabled:", res->already_enabled);
	list_lines(&b, "Already disabled (no enablement link names them):", res->already_disabled);
	list_lines(&b, "Broken enablement links of the source system, already removed:", res->already_gone);
	if (b.len) {
		buf_append(&b, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"%s%s",
			changed ? "The upgrade changed which systemd units start at boot."
				: "The systemd units the upgrade enables and disables were in their target state already (an "
				  "earlier run of this step that was interrupted, or the system itself, had set them).",
			b.data);
		json_t *e = report_new("systemd units enabled and disabled by the upgrade", summary, "info");
		report_add_group(e, "services");
		actor_report(e);
	}
	buf_free(&b);
	if (json_array_size(res->failed)) {
		struct buf f = {0};
		list_lines(&f, "", res->failed);
		buf_append(&f, "", 1);
		_cleanup_free_ char *summary =
			xasprintf("The upgrade was asked to enable or disable these units and could not:%s", f.data);
		json_t *e = report_new("Some systemd units could not be enabled or disabled", summary, "medium");
		report_add_group(e, "services");
		report_add_hint(e, "Enable or disable them with systemctl once the upgraded system runs.");
		actor_report(e);
		buf_free(&f);
	}
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *tasks = actor_consume("SystemdServicesTasks");
	json_t *facts = actor_consume_last("SystemdServicesInfoSource");
	struct result res = {json_array(), json_array(), json_array(), json_array(), json_array(),
			     json_array(), json_array(), json_array()};
	struct strmap enable_set, disable_set;
	strmap_init(&enable_set);
	strmap_init(&disable_set);
	size_t i, k;
	json_t *t, *v;
	json_array_foreach(tasks, i, t) {
		json_array_foreach(json_object_get(t, "to_enable"), k, v)
			if (json_is_string(v))
				strmap_put(&enable_set, json_string_value(v), NULL);
		json_array_foreach(json_object_get(t, "to_disable"), k, v)
			if (json_is_string(v))
				strmap_put(&disable_set, json_string_value(v), NULL);
	}
	/* disabling first, so that a unit both lists name ends up enabled (enabling wins) */
	for (k = 0; k < disable_set.n; k++) {
		if (!disable_set.keys[k])
			continue;
		if (strmap_has(&enable_set, disable_set.keys[k])) {
			actor_warning("%s is both to enable and to disable: it is enabled", disable_set.keys[k]);
			continue;
		}
		disable(&res, disable_set.keys[k]);
	}
	struct strmap seen;
	strmap_init(&seen);
	for (k = 0; k < enable_set.n; k++)
		if (enable_set.keys[k])
			enable(&res, enable_set.keys[k], &seen);
	strmap_clear(&seen, NULL);
	source_broken_gone(&res, facts);
	each_link(broken_cb, &res);
	report_state(&res);

	actor_produce("SystemdServicesResult",
		      json_pack("{s:o, s:o, s:o, s:o, s:o}", "enabled", res.enabled, "disabled", res.disabled, "removed_broken",
				res.broken, "repaired", res.repaired, "failed", res.failed));
	strmap_clear(&enable_set, NULL);
	strmap_clear(&disable_set, NULL);
	json_decref(res.already_enabled);
	json_decref(res.already_disabled);
	json_decref(res.already_gone);
	json_decref(facts);
	json_decref(tasks);
	return actor_finish();
}
