/* PES events: parsing (with JSON-path errors), expansion by modulestream maps, and the
 * release-by-release computation of the target package set. */
#include "plan.h"
#include "leapp/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "leapp/util.h"

static const char *const action_names[] = {"present", "removed", "deprecated", "replaced",
					   "split",   "merged",  "moved",      "renamed"};

const char *pes_action_name(int action)
{
	if (action >= 0 && action < (int)ELEMENTSOF(action_names))
		return action_names[action];
	return "admin";
}

int pes_parse_release(const char *s, int ret[2])
{
	char *end;
	if (!s || !*s)
		return -EINVAL;
	long maj = strtol(s, &end, 10);
	long min = 0;
	if (end == s || maj < 0 || maj > 1000)
		return -EINVAL;
	if (*end == '.') {
		const char *p = end + 1;
		min = strtol(p, &end, 10);
		if (end == p || min < 0 || min > 1000)
			return -EINVAL;
	}
	if (*end)
		return -EINVAL;
	ret[0] = (int)maj;
	ret[1] = (int)min;
	return 0;
}

void pes_data_init(struct pes_data *d)
{
	memset(d, 0, sizeof(*d));
}

static void pkgs_free(struct pes_pkg *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].repo);
		free(p[i].ms);
	}
	free(p);
}

static void event_clear(struct pes_event *e)
{
	pkgs_free(e->in, e->n_in);
	pkgs_free(e->out, e->n_out);
	for (size_t i = 0; i < e->n_arches; i++)
		free(e->arches[i]);
	free(e->arches);
	free(e->file);
	free(e->description);
}

void pes_data_free(struct pes_data *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		event_clear(&d->ev[i]);
	free(d->ev);
	for (size_t i = 0; i < d->n_files; i++)
		free(d->files[i]);
	free(d->files);
	memset(d, 0, sizeof(*d));
}

/* ---- parsing ---- */

/* A package of a packageset before expansion: the modulestreams it may be in ("" = none). */
struct raw_pkg {
	const char *name, *repo;
	char **ms;      /* NULL entries mean "not modular" */
	size_t n_ms;
};

struct raw_set {
	struct raw_pkg *p;
	size_t n;
};

static void raw_set_free(struct raw_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		for (size_t j = 0; j < s->p[i].n_ms; j++)
			free(s->p[i].ms[j]);
		free(s->p[i].ms);
	}
	free(s->p);
	s->p = NULL;
	s->n = 0;
}

/* {"name": N, "stream": S} -> "N:S"; null -> NULL. -EINVAL on other shapes. */
static int parse_ms(json_t *v, char **ret)
{
	if (!v || json_is_null(v)) {
		*ret = NULL;
		return 0;
	}
	if (!json_is_object(v))
		return -EINVAL;
	json_t *n = json_object_get(v, "name"), *s = json_object_get(v, "stream");
	if (!json_is_string(n) || !json_is_string(s))
		return -EINVAL;
	*ret = xasprintf("%s:%s", json_string_value(n), json_string_value(s));
	return 0;
}

static int parse_set(json_t *v, const char *path, struct raw_set *ret, char **ret_err)
{
	memset(ret, 0, sizeof(*ret));
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v)) {
		*ret_err = xasprintf("%s: must be an object or null", path);
		return -EINVAL;
	}
	json_t *pkgs = json_object_get(v, "package");
	if (!pkgs)
		pkgs = json_object_get(v, "packages");
	if (!pkgs || json_is_null(pkgs))
		return 0;
	if (!json_is_array(pkgs)) {
		*ret_err = xasprintf("%s.package: must be a list", path);
		return -EINVAL;
	}
	size_t i;
	json_t *p;
	json_array_foreach(pkgs, i, p) {
		if (!json_is_object(p)) {
			*ret_err = xasprintf("%s.package[%zu]: must be an object", path, i);
			goto fail;
		}
		json_t *name = json_object_get(p, "name"), *repo = json_object_get(p, "repository");
		if (!json_is_string(name) || !*json_string_value(name)) {
			*ret_err = xasprintf("%s.package[%zu]: %s", path, i,
					     name ? "'name' must be a non-empty string" : "missing 'name'");
			goto fail;
		}
		if (!json_is_string(repo)) {
			*ret_err = xasprintf("%s.package[%zu] (%s): %s", path, i, json_string_value(name),
					     repo ? "'repository' must be a string" : "missing 'repository'");
			goto fail;
		}
		struct raw_pkg rp = {.name = json_string_value(name), .repo = json_string_value(repo)};
		json_t *mss = json_object_get(p, "modulestreams");
		if (mss && !json_is_null(mss)) {
			if (!json_is_array(mss)) {
				*ret_err = xasprintf("%s.package[%zu].modulestreams: must be a list", path, i);
				goto fail;
			}
			size_t k;
			json_t *m;
			json_array_foreach(mss, k, m) {
				char *ms;
				if (parse_ms(m, &ms) < 0) {
					*ret_err = xasprintf("%s.package[%zu].modulestreams[%zu]: must be null or "
							     "{\"name\", \"stream\"}", path, i, k);
					for (size_t x = 0; x < rp.n_ms; x++)
						free(rp.ms[x]);
					free(rp.ms);
					goto fail;
				}
				rp.ms = xrealloc(rp.ms, (rp.n_ms + 1) * sizeof(char *));
				rp.ms[rp.n_ms++] = ms;
			}
		}
		if (!rp.n_ms) {
			/* one stream: "modulestream" (leapp) or "module_stream" (vendor files) */
			json_t *m = json_object_get(p, "modulestream");
			if (!m)
				m = json_object_get(p, "module_stream");
			char *ms = NULL;
			if (parse_ms(m, &ms) < 0) {
				*ret_err = xasprintf("%s.package[%zu]: the module stream must be null or {\"name\", "
						     "\"stream\"}", path, i);
				goto fail;
			}
			rp.ms = xmalloc(sizeof(char *));
			rp.ms[0] = ms;
			rp.n_ms = 1;
		}
		ret->p = xrealloc(ret->p, (ret->n + 1) * sizeof(*ret->p));
		ret->p[ret->n++] = rp;
	}
	return 0;
fail:
	raw_set_free(ret);
	return -EINVAL;
}

static int parse_release(json_t *v, const char *path, int ret[2], char **ret_err)
{
	ret[0] = ret[1] = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v)) {
		*ret_err = xasprintf("%s: must be an object or null", path);
		return -EINVAL;
	}
	json_t *maj = json_object_get(v, "major_version"), *min = json_object_get(v, "minor_version");
	if (!json_is_integer(maj) || !json_is_integer(min)) {
		*ret_err = xasprintf("%s: 'major_version' and 'minor_version' must be integers", path);
		return -EINVAL;
	}
	ret[0] = (int)json_integer_value(maj);
	ret[1] = (int)json_integer_value(min);
	return 0;
}

static bool ms_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static const char *const known_arches[] = {"x86_64", "aarch64", "ppc64le", "s390x", "i686", "noarch"};

/* One packageinfo entry, parsed, before it is expanded into events (one per in-stream). */
struct entry {
	int id;
	json_int_t action;
	int from[2], to[2];
	char *path; /* "$.packageinfo[N] (event ID)", for errors */
	char **arches;
	size_t n_arches;
	struct raw_set in, out;
	char **map_in, **map_out; /* modulestream maps: in stream -> out stream */
	size_t n_map;
};

static void entry_clear(struct entry *en)
{
	for (size_t x = 0; x < en->n_map; x++) {
		free(en->map_in[x]);
		free(en->map_out[x]);
	}
	free(en->map_in);
	free(en->map_out);
	strv_free_n(en->arches, en->n_arches);
	raw_set_free(&en->in);
	raw_set_free(&en->out);
	free(en->path);
}

/* id, action, releases */
static int parse_head(json_t *e, size_t idx, struct entry *en, char **ret_err)
{
	if (!json_is_object(e)) {
		*ret_err = xasprintf("$.packageinfo[%zu]: must be an object", idx);
		return -EINVAL;
	}
	json_t *jid = json_object_get(e, "id");
	if (jid && !json_is_integer(jid)) {
		*ret_err = xasprintf("$.packageinfo[%zu]: 'id' must be an integer", idx);
		return -EINVAL;
	}
	en->id = jid ? (int)json_integer_value(jid) : 0;
	en->path = xasprintf("$.packageinfo[%zu] (event %d)", idx, en->id);
	json_t *ja = json_object_get(e, "action");
	if (!json_is_integer(ja)) {
		*ret_err = xasprintf("%s: %s", en->path, ja ? "'action' must be an integer" : "missing 'action'");
		return -EINVAL;
	}
	en->action = json_integer_value(ja);
	if (en->action < 0 || en->action > 7) {
		*ret_err = xasprintf("%s: action %lld is not a PES action (0 present ... 7 renamed)", en->path,
				     (long long)en->action);
		return -EINVAL;
	}
	json_t *jarch = json_object_get(e, "architectures");
	if (jarch && !json_is_null(jarch) && !json_is_array(jarch)) {
		*ret_err = xasprintf("%s: 'architectures' must be a list", en->path);
		return -EINVAL;
	}
	if (!json_object_get(e, "release")) {
		*ret_err = xasprintf("%s: missing 'release'", en->path);
		return -EINVAL;
	}
	_cleanup_free_ char *p1 = xasprintf("%s.initial_release", en->path), *p2 = xasprintf("%s.release", en->path);
	if (parse_release(json_object_get(e, "initial_release"), p1, en->from, ret_err) < 0 ||
	    parse_release(json_object_get(e, "release"), p2, en->to, ret_err) < 0)
		return -EINVAL;
	return 0;
}

static int parse_arches(json_t *jarch, struct entry *en, char **ret_err)
{
	size_t i;
	json_t *a;
	json_array_foreach(jarch, i, a) {
		bool ok = false;
		for (size_t k = 0; json_is_string(a) && k < ELEMENTSOF(known_arches); k++)
			ok |= !strcmp(json_string_value(a), known_arches[k]);
		if (!ok) {
			*ret_err = xasprintf("%s.architectures[%zu]: not an architecture leapp knows", en->path, i);
			return -EINVAL;
		}
		en->arches = xrealloc(en->arches, (en->n_arches + 1) * sizeof(char *));
		en->arches[en->n_arches++] = xstrdup(json_string_value(a));
	}
	return 0;
}

static void map_push(struct entry *en, char *in, char *out)
{
	en->map_in = xrealloc(en->map_in, (en->n_map + 1) * sizeof(char *));
	en->map_out = xrealloc(en->map_out, (en->n_map + 1) * sizeof(char *));
	en->map_in[en->n_map] = in;
	en->map_out[en->n_map] = out;
	en->n_map++;
}

/* modulestream maps: in stream -> set of out streams; none: every in-stream goes to
 * non-modular (leapp's default) */
static int parse_stream_maps(json_t *maps, struct entry *en, char **ret_err)
{
	if (maps && !json_is_null(maps) && !json_is_array(maps)) {
		*ret_err = xasprintf("%s: 'modulestream_maps' must be a list", en->path);
		return -EINVAL;
	}
	size_t i;
	json_t *mm;
	json_array_foreach(maps, i, mm) {
		char *msi = NULL, *mso = NULL;
		if (!json_is_object(mm) || parse_ms(json_object_get(mm, "in_modulestream"), &msi) < 0 ||
		    parse_ms(json_object_get(mm, "out_modulestream"), &mso) < 0) {
			*ret_err = xasprintf("%s.modulestream_maps[%zu]: must be {\"in_modulestream\": null or "
					     "{name, stream}, \"out_modulestream\": ...}", en->path, i);
			free(msi);
			return -EINVAL;
		}
		map_push(en, msi, mso);
	}
	if (en->n_map)
		return 0;
	for (size_t k = 0; k < en->in.n; k++)
		for (size_t m = 0; m < en->in.p[k].n_ms; m++) {
			bool dup = false;
			for (size_t x = 0; x < en->n_map && !dup; x++)
				dup = ms_eq(en->map_in[x], en->in.p[k].ms[m]);
			if (!dup)
				map_push(en, en->in.p[k].ms[m] ? xstrdup(en->in.p[k].ms[m]) : NULL, NULL);
		}
	return 0;
}

/* The event of the entry for its x-th in-stream. */
static struct pes_event entry_event(const struct entry *en, size_t x, size_t idx, const char *shown, bool vendor,
				    const char *desc)
{
	struct pes_event ev = {
		.id = en->id,
		.action = (int)en->action,
		.from = {en->from[0], en->from[1]},
		.to = {en->to[0], en->to[1]},
		.vendor = vendor,
		.file = xstrdup(shown),
		.index = idx,
		.description = desc && *desc ? xstrdup(desc) : NULL,
	};
	ev.arches = xcalloc(en->n_arches + 1, sizeof(char *));
	for (size_t k = 0; k < en->n_arches; k++)
		ev.arches[k] = xstrdup(en->arches[k]);
	ev.n_arches = en->n_arches;
	const char *msx = en->map_in[x];
	for (size_t k = 0; k < en->in.n; k++)
		for (size_t m = 0; m < en->in.p[k].n_ms; m++)
			if (ms_eq(en->in.p[k].ms[m], msx)) {
				ev.in = xrealloc(ev.in, (ev.n_in + 1) * sizeof(*ev.in));
				ev.in[ev.n_in++] = (struct pes_pkg){xstrdup(en->in.p[k].name), xstrdup(en->in.p[k].repo),
								    msx ? xstrdup(msx) : NULL};
				break;
			}
	for (size_t k = 0; k < en->out.n; k++) {
		/* the first of the package's streams that this in-stream maps to */
		const char *pick = NULL;
		bool found = false;
		for (size_t m = 0; m < en->out.p[k].n_ms && !found; m++)
			for (size_t y = 0; y < en->n_map && !found; y++)
				if (ms_eq(en->map_in[y], msx) && ms_eq(en->map_out[y], en->out.p[k].ms[m])) {
					pick = en->out.p[k].ms[m];
					found = true;
				}
		if (!found)
			continue;
		ev.out = xrealloc(ev.out, (ev.n_out + 1) * sizeof(*ev.out));
		ev.out[ev.n_out++] =
			(struct pes_pkg){xstrdup(en->out.p[k].name), xstrdup(en->out.p[k].repo), pick ? xstrdup(pick) : NULL};
	}
	return ev;
}

/* Expand one entry into events, appended to *evs. */
static int parse_entry(json_t *e, size_t idx, const char *shown, bool vendor, struct pes_event **evs, size_t *n_evs,
		       char **ret_err)
{
	struct entry en = {0};
	int r = parse_head(e, idx, &en, ret_err);
	if (r >= 0)
		r = parse_arches(json_object_get(e, "architectures"), &en, ret_err);
	if (r >= 0) {
		_cleanup_free_ char *pin = xasprintf("%s.in_packageset", en.path);
		_cleanup_free_ char *pout = xasprintf("%s.out_packageset", en.path);
		r = parse_set(json_object_get(e, "in_packageset"), pin, &en.in, ret_err);
		if (r >= 0)
			r = parse_set(json_object_get(e, "out_packageset"), pout, &en.out, ret_err);
	}
	if (r >= 0)
		r = parse_stream_maps(json_object_get(e, "modulestream_maps"), &en, ret_err);
	const char *desc = json_string_value(json_object_get(e, "description"));
	/* one event per distinct in-stream */
	for (size_t x = 0; r >= 0 && x < en.n_map; x++) {
		bool seen = false;
		for (size_t y = 0; y < x && !seen; y++)
			seen = ms_eq(en.map_in[y], en.map_in[x]);
		if (seen)
			continue;
		*evs = xrealloc(*evs, (*n_evs + 1) * sizeof(**evs));
		(*evs)[(*n_evs)++] = entry_event(&en, x, idx, shown, vendor, desc);
	}
	entry_clear(&en);
	return r;
}

int pes_merge_json(struct pes_data *d, json_t *doc, const char *shown, bool vendor, char **ret_err)
{
	char *err = NULL;
	struct pes_event *evs = NULL;
	size_t n_evs = 0;
	int r = 0;
	json_t *pi = json_is_object(doc) ? json_object_get(doc, "packageinfo") : NULL;
	if (!json_is_object(doc))
		err = xstrdup("$: must be an object");
	else if (!pi)
		err = xstrdup("$: missing 'packageinfo'");
	else if (!json_is_array(pi))
		err = xstrdup("$.packageinfo: must be a list");
	if (err)
		r = -EINVAL;
	size_t i;
	json_t *e;
	if (r >= 0)
		json_array_foreach(pi, i, e) {
			r = parse_entry(e, i, shown, vendor, &evs, &n_evs, &err);
			if (r < 0)
				break;
		}
	if (r < 0) {
		*ret_err = xasprintf("%s: %s", shown, err);
		free(err);
		for (size_t k = 0; k < n_evs; k++)
			event_clear(&evs[k]);
		free(evs);
		return r;
	}
	d->ev = xrealloc(d->ev, (d->n + n_evs + 1) * sizeof(*d->ev));
	if (n_evs)
		memcpy(d->ev + d->n, evs, n_evs * sizeof(*evs));
	d->n += n_evs;
	d->n_entries += json_array_size(pi);
	free(evs);
	d->files = xrealloc(d->files, (d->n_files + 1) * sizeof(char *));
	d->files[d->n_files++] = xstrdup(shown);
	return 0;
}

/* ---- the computation ---- */

/* A package of the (source or computed target) state. */
struct spkg {
	char *name, *repo, *ms;
	bool third_party;
	const struct pes_event *by;   /* the event that put it there (NULL: installed) */
};

static void spkg_free(void *p)
{
	struct spkg *s = p;
	if (!s)
		return;
	free(s->name);
	free(s->repo);
	free(s->ms);
	free(s);
}

static struct spkg *spkg_new(const char *name, const char *repo, const char *ms, bool third_party,
			     const struct pes_event *by)
{
	struct spkg *s = xcalloc(1, sizeof(*s));
	s->name = xstrdup(name);
	s->repo = repo ? xstrdup(repo) : NULL;
	s->ms = ms ? xstrdup(ms) : NULL;
	s->third_party = third_party;
	s->by = by;
	return s;
}

static struct spkg *spkg_dup(const struct spkg *s)
{
	return spkg_new(s->name, s->repo, s->ms, s->third_party, s->by);
}

/* Packages are equal by name and module stream (leapp's Package.__eq__), not repository. */
static char *pkey(const char *name, const char *ms)
{
	return ms ? xasprintf("%s\x1f%s", name, ms) : xstrdup(name);
}

static void state_copy(struct strmap *dst, const struct strmap *src)
{
	strmap_init(dst);
	for (size_t i = 0; i < src->n; i++)
		if (src->keys[i])
			strmap_put(dst, src->keys[i], spkg_dup(src->vals[i]));
}

static int rel_cmp(const int a[2], const int b[2])
{
	return a[0] != b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] != b[1] ? (a[1] < b[1] ? -1 : 1) : 0;
}

/* Is the event's package installed in the state, for this event? Distribution events do not
 * see third-party packages (leapp looks at distribution-signed packages only). */
static const struct spkg *present(const struct strmap *st, const struct pes_event *ev, const struct pes_pkg *p)
{
	_cleanup_free_ char *k = pkey(p->name, p->ms);
	const struct spkg *s = strmap_get(st, k);
	if (s && s->third_party && !ev->vendor)
		return NULL;
	return s;
}

static void state_remove(struct strmap *st, const struct pes_event *ev, const struct pes_pkg *p,
			 struct strmap *removed_by)
{
	_cleanup_free_ char *k = pkey(p->name, p->ms);
	struct spkg *s = strmap_get(st, k);
	if (!s || (s->third_party && !ev->vendor))
		return;
	strmap_put(removed_by, p->name, (void *)ev);
	spkg_free(strmap_del(st, k));
}

/* Put p in the state, attributed to ev; a package already there keeps its third-party mark,
 * a new one is third-party when a vendor event brings it. */
static void state_add(struct strmap *st, const struct pes_event *ev, const struct pes_pkg *p)
{
	_cleanup_free_ char *k = pkey(p->name, p->ms);
	const struct spkg *old = strmap_get(st, k);
	bool third_party = old ? old->third_party : ev->vendor;
	spkg_free(strmap_put(st, k, spkg_new(p->name, p->repo, p->ms, third_party, ev)));
}

static int cmp_task(const void *a, const void *b)
{
	const struct pes_task *x = a, *y = b;
	return strcmp(x->name, y->name);
}

static void push_str_unique(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
}

static char *event_reason(const struct pes_event *ev)
{
	return xasprintf("PES event %d (%s)", ev->id, pes_action_name(ev->action));
}

static char *event_detail(const struct pes_event *ev)
{
	struct buf b = {0};
	for (size_t i = 0; i < ev->n_in; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", ev->in[i].name);
	if (ev->action == PES_REMOVED || !ev->n_out)
		buf_printf(&b, " removed");
	else if (ev->action == PES_PRESENT || ev->action == PES_DEPRECATED)
		buf_printf(&b, " %s", pes_action_name(ev->action));
	else {
		buf_printf(&b, " -> ");
		for (size_t i = 0; i < ev->n_out; i++)
			buf_printf(&b, "%s%s%s%s", i ? ", " : "", ev->out[i].name, ev->action == PES_MOVED ? "@" : "",
				   ev->action == PES_MOVED ? ev->out[i].repo : "");
	}
	buf_printf(&b, " (release %d.%d", ev->to[0], ev->to[1]);
	if (ev->description)
		buf_printf(&b, ": %s", ev->description);
	buf_printf(&b, ")");
	return buf_steal(&b);
}

static void task_push(struct pes_task **v, size_t *n, const char *name, const char *repo, const char *ms,
		      const struct pes_event *ev, const char *admin_reason)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = (struct pes_task){
		.name = xstrdup(name),
		.repo = repo ? xstrdup(repo) : NULL,
		.ms = ms ? xstrdup(ms) : NULL,
		.event = ev ? ev->id : 0,
		.action = ev ? ev->action : -1,
		.reason = ev ? event_reason(ev) : xstrdup(admin_reason),
		.detail = ev ? event_detail(ev) : NULL,
	};
}

static void tasks_free(struct pes_task *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(t[i].name);
		free(t[i].repo);
		free(t[i].ms);
		free(t[i].reason);
		free(t[i].detail);
	}
	free(t);
}

void pes_result_free(struct pes_result *r)
{
	if (!r)
		return;
	tasks_free(r->install, r->n_install);
	tasks_free(r->remove, r->n_remove);
	tasks_free(r->keep, r->n_keep);
	tasks_free(r->notes, r->n_notes);
	for (size_t i = 0; i < r->n_modules_enable; i++)
		free(r->modules_enable[i]);
	free(r->modules_enable);
	for (size_t i = 0; i < r->n_stream_maps; i++) {
		free(r->stream_maps[i].source);
		free(r->stream_maps[i].target);
	}
	free(r->stream_maps);
	for (size_t i = 0; i < r->n_target_pesids; i++)
		free(r->target_pesids[i]);
	free(r->target_pesids);
	for (size_t i = 0; i < r->n_warnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	memset(r, 0, sizeof(*r));
}

static bool in_list(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static bool event_for_arch(const struct pes_event *ev, const char *arch)
{
	if (!ev->n_arches || !arch)
		return true;
	for (size_t i = 0; i < ev->n_arches; i++)
		if (!strcmp(ev->arches[i], arch))
			return true;
	return false;
}

/* The key leapp uses to find events that conflict: same from-release and same in-packages. */
static char *conflict_key(const struct pes_event *ev)
{
	char **names = xcalloc(ev->n_in + 1, sizeof(char *));
	for (size_t i = 0; i < ev->n_in; i++)
		names[i] = pkey(ev->in[i].name, ev->in[i].ms);
	if (ev->n_in)
		qsort(names, ev->n_in, sizeof(char *), str_cmp_qsort);
	struct buf b = {0};
	buf_printf(&b, "%d.%d", ev->from[0], ev->from[1]);
	for (size_t i = 0; i < ev->n_in; i++) {
		buf_printf(&b, "\x1e%s", names[i]);
		free(names[i]);
	}
	free(names);
	return buf_steal(&b);
}

/* What the steps of pes_compute share. */
struct pes_run {
	const struct pes_input *in;
	struct pes_result *res;
	const struct pes_event **rel; /* the relevant events */
	size_t n_rel;
	struct strmap src;             /* the starting state: key (name, stream) -> spkg */
	struct strmap target, seen;    /* the state after the releases processed; everything seen */
	struct strmap removed_by;      /* name -> the event that removed it */
	struct strmap names_src;       /* name -> spkg of src */
	struct strmap installed_names; /* name -> pes_installed */
	struct strmap demod;           /* keys of modular packages to demodularize */
};

/* Does every package an event names lie in a repository a map defines? -EINVAL when not. */
static int event_check_pesids(const struct pes_event *ev, const struct pes_input *in, char **ret_err)
{
	for (int side = 0; side < 2; side++) {
		const struct pes_pkg *ps = side ? ev->out : ev->in;
		size_t np = side ? ev->n_out : ev->n_in;
		for (size_t k = 0; k < np; k++)
			if (!in->known_pesid(ps[k].repo, in->userdata)) {
				*ret_err = xasprintf("%s: $.packageinfo[%zu]: PES event %d (%s) names "
						     "repository '%s' for package %s, which no "
						     "repository map (repomap.json, vendors.d/*_map.json) "
						     "defines",
						     ev->file, ev->index, ev->id, pes_action_name(ev->action), ps[k].repo,
						     ps[k].name);
				return -EINVAL;
			}
	}
	return 0;
}

/* 1. events for this architecture whose release lies in (source, target] */
static int relevant_events(const struct pes_data *d, struct pes_run *run, char **ret_err)
{
	const struct pes_input *in = run->in;
	run->rel = xcalloc(d->n + 1, sizeof(*run->rel));
	for (size_t i = 0; i < d->n; i++) {
		const struct pes_event *ev = &d->ev[i];
		if (!event_for_arch(ev, in->arch))
			continue;
		if (rel_cmp(ev->to, in->source) <= 0 || rel_cmp(ev->to, in->target) > 0)
			continue;
		if (in->known_pesid) {
			int r = event_check_pesids(ev, in, ret_err);
			if (r < 0)
				return r;
		}
		if (!ev->n_in)
			continue; /* nothing to match: it could only add packages unconditionally */
		run->rel[run->n_rel++] = ev;
	}
	return 0;
}

/* 2. drop the events leapp's algorithm cannot order: same from-release and in-packages.
 * Of such a group only the one with the latest release stays when it is the only one
 * with that release; on a tie the whole group stays (as in leapp). */
static void drop_unorderable(struct pes_run *run)
{
	struct cgroup {
		const struct pes_event *best;
		size_t n_best;
	};
	const struct pes_event **rel = run->rel;
	size_t n_rel = run->n_rel;
	struct strmap groups;
	strmap_init(&groups);
	char **ckeys = xcalloc(n_rel + 1, sizeof(char *));
	for (size_t i = 0; i < n_rel; i++) {
		ckeys[i] = conflict_key(rel[i]);
		struct cgroup *g = strmap_get(&groups, ckeys[i]);
		if (!g) {
			g = xcalloc(1, sizeof(*g));
			strmap_put(&groups, ckeys[i], g);
		}
		int c = g->best ? rel_cmp(rel[i]->to, g->best->to) : 1;
		if (c > 0) {
			g->best = rel[i];
			g->n_best = 1;
		} else if (c == 0)
			g->n_best++;
	}
	size_t n_kept = 0;
	for (size_t i = 0; i < n_rel; i++) {
		const struct cgroup *g = strmap_get(&groups, ckeys[i]);
		if (g->n_best > 1 || g->best == rel[i])
			rel[n_kept++] = rel[i];
	}
	for (size_t i = 0; i < n_rel; i++)
		free(ckeys[i]);
	free(ckeys);
	strmap_clear(&groups, free);
	run->n_rel = n_kept;
}

/* 3. the starting state: installed packages with the admin's lists applied */
static void start_state(struct pes_run *run)
{
	const struct pes_input *in = run->in;
	strmap_init(&run->src);
	strmap_init(&run->removed_by);
	strmap_init(&run->names_src);
	strmap_init(&run->installed_names);
	for (size_t i = 0; i < in->n_pkgs; i++) {
		const struct pes_installed *p = &in->pkgs[i];
		strmap_put(&run->installed_names, p->name, (void *)p);
		if (in_list(in->admin_remove, in->n_admin_remove, p->name) &&
		    !in_list(in->admin_keep, in->n_admin_keep, p->name))
			continue;
		_cleanup_free_ char *k = pkey(p->name, p->ms);
		spkg_free(strmap_put(&run->src, k, spkg_new(p->name, p->repo, p->ms, p->third_party, NULL)));
	}
	for (size_t i = 0; i < in->n_admin_install; i++)
		if (!strmap_has(&run->src, in->admin_install[i]))
			strmap_put(&run->src, in->admin_install[i], spkg_new(in->admin_install[i], NULL, NULL, false, NULL));
	for (size_t i = 0; i < run->src.n; i++)
		if (run->src.keys[i])
			strmap_put(&run->names_src, ((struct spkg *)run->src.vals[i])->name, run->src.vals[i]);
}

/* 4. the releases of the relevant events, in order (malloc'd; the count in *ret_n) */
static int (*release_order(const struct pes_run *run, size_t *ret_n))[2]
{
	int (*rels)[2] = xcalloc(run->n_rel + 1, sizeof(*rels));
	size_t n_rels = 0;
	for (size_t i = 0; i < run->n_rel; i++) {
		bool dup = false;
		for (size_t j = 0; j < n_rels && !dup; j++)
			dup = !rel_cmp(rels[j], run->rel[i]->to);
		if (!dup) {
			rels[n_rels][0] = run->rel[i]->to[0];
			rels[n_rels][1] = run->rel[i]->to[1];
			n_rels++;
		}
	}
	for (size_t i = 1; i < n_rels; i++)
		for (size_t j = i; j > 0 && rel_cmp(rels[j - 1], rels[j]) > 0; j--) {
			int t0 = rels[j][0], t1 = rels[j][1];
			rels[j][0] = rels[j - 1][0];
			rels[j][1] = rels[j - 1][1];
			rels[j - 1][0] = t0;
			rels[j - 1][1] = t1;
		}
	*ret_n = n_rels;
	return rels;
}

/* the module stream maps of the installed streams an applied event moves */
static void stream_maps_add(struct pes_result *res, const struct pes_event *ev)
{
	for (size_t k = 0; k < ev->n_in; k++) {
		if (!ev->in[k].ms)
			continue;
		const char *to = NULL;
		for (size_t o = 0; o < ev->n_out && !to; o++)
			to = ev->out[o].ms;
		bool dup = false;
		for (size_t m = 0; m < res->n_stream_maps && !dup; m++)
			dup = !strcmp(res->stream_maps[m].source, ev->in[k].ms);
		if (dup)
			continue;
		res->stream_maps = xrealloc(res->stream_maps, (res->n_stream_maps + 1) * sizeof(*res->stream_maps));
		res->stream_maps[res->n_stream_maps++] =
			(struct pes_stream_map){xstrdup(ev->in[k].ms), to ? xstrdup(to) : NULL, ev->id};
	}
}

/* One event of the release being processed, against the state before that release. */
static void apply_event(struct pes_run *run, const struct pes_event *ev, const struct strmap *before,
			struct strmap *applied)
{
	bool any = false, all = true;
	for (size_t k = 0; k < ev->n_in; k++) {
		if (present(before, ev, &ev->in[k]))
			any = true;
		else
			all = false;
	}
	if (ev->action == PES_PRESENT) {
		for (size_t k = 0; k < ev->n_in; k++)
			if (present(&run->seen, ev, &ev->in[k])) {
				state_add(&run->target, ev, &ev->in[k]);
				any = true;
			}
	} else if (ev->action == PES_DEPRECATED) {
		if (any)
			for (size_t k = 0; k < ev->n_in; k++)
				state_add(&run->target, ev, &ev->in[k]);
	} else if (all || (ev->action == PES_MERGED && any)) {
		for (size_t k = 0; k < ev->n_in; k++)
			state_remove(&run->target, ev, &ev->in[k], &run->removed_by);
		for (size_t k = 0; k < ev->n_out; k++) {
			state_add(&run->target, ev, &ev->out[k]);
			strmap_del(&run->removed_by, ev->out[k].name);
		}
		stream_maps_add(run->res, ev);
	} else
		any = false;
	if (any || all) {
		_cleanup_free_ char *idk = xasprintf("%d", ev->id);
		strmap_put(applied, idk, NULL);
	}
	for (size_t k = 0; k < ev->n_in; k++) {
		_cleanup_free_ char *k2 = pkey(ev->in[k].name, ev->in[k].ms);
		strmap_del(&run->demod, k2);
	}
}

/* every modular package of the target state is to lose its stream (unless an event keeps it) */
static void demod_all_modular(struct pes_run *run)
{
	for (size_t i = 0; i < run->target.n; i++)
		if (run->target.keys[i] && ((struct spkg *)run->target.vals[i])->ms)
			strmap_put(&run->demod, run->target.keys[i], NULL);
}

/* The releases in order, each one's events against the state before it; then demodularize. */
static void apply_releases(struct pes_run *run)
{
	const struct pes_input *in = run->in;
	size_t n_rels;
	int (*rels)[2] = release_order(run, &n_rels);
	state_copy(&run->target, &run->src);
	state_copy(&run->seen, &run->src);
	strmap_init(&run->demod);
	bool crossed = false;
	struct strmap applied;
	strmap_init(&applied);
	for (size_t r = 0; r < n_rels; r++) {
		if (!crossed && rels[r][0] > in->source[0]) {
			crossed = true;
			demod_all_modular(run);
		}
		struct strmap before;
		state_copy(&before, &run->target);
		for (size_t e = 0; e < run->n_rel; e++)
			if (!rel_cmp(run->rel[e]->to, rels[r]))
				apply_event(run, run->rel[e], &before, &applied);
		strmap_clear(&before, spkg_free);
		for (size_t i = 0; i < run->target.n; i++)
			if (run->target.keys[i] && !strmap_has(&run->seen, run->target.keys[i]))
				strmap_put(&run->seen, run->target.keys[i], spkg_dup(run->target.vals[i]));
	}
	if (!crossed && in->target[0] > in->source[0])
		/* no event crossed into the target major: modular packages lose their stream all the
		 * same (as if an empty release of the target major had been processed) */
		demod_all_modular(run);
	run->res->n_applied = strmap_size(&applied);
	strmap_clear(&applied, NULL);
	/* demodularize: the package stays, without its stream */
	for (size_t i = 0; i < run->target.n; i++)
		if (run->target.keys[i] && strmap_has(&run->demod, run->target.keys[i])) {
			struct spkg *s = run->target.vals[i];
			free(s->ms);
			s->ms = NULL;
		}
	free(rels);
}

/* 5. the difference by names: installs, notes, target PES ids, modules, removals */
static void diff_by_names(struct pes_run *run)
{
	struct pes_result *res = run->res;
	struct strmap names_tgt;
	strmap_init(&names_tgt);
	for (size_t i = 0; i < run->target.n; i++)
		if (run->target.keys[i])
			strmap_put(&names_tgt, ((struct spkg *)run->target.vals[i])->name, run->target.vals[i]);
	for (size_t i = 0; i < names_tgt.n; i++) {
		if (!names_tgt.keys[i])
			continue;
		const struct spkg *s = names_tgt.vals[i];
		if (!strmap_has(&run->names_src, s->name)) {
			if (s->by)
				task_push(&res->install, &res->n_install, s->name, s->repo, s->ms, s->by, NULL);
		} else if (s->by)
			task_push(&res->notes, &res->n_notes, s->name, s->repo, s->ms, s->by, NULL);
		if (s->by && s->repo)
			push_str_unique(&res->target_pesids, &res->n_target_pesids, s->repo);
	}
	for (size_t i = 0; i < run->target.n; i++) {
		const struct spkg *s = run->target.vals[i];
		if (run->target.keys[i] && s->ms)
			push_str_unique(&res->modules_enable, &res->n_modules_enable, s->ms);
	}
	for (size_t i = 0; i < run->names_src.n; i++) {
		if (!run->names_src.keys[i])
			continue;
		const struct spkg *s = run->names_src.vals[i];
		if (strmap_has(&names_tgt, s->name))
			continue;
		if (in_list(run->in->admin_keep, run->in->n_admin_keep, s->name))
			continue;
		const struct pes_event *ev = strmap_get(&run->removed_by, s->name);
		if (ev)
			task_push(&res->remove, &res->n_remove, s->name, s->repo, NULL, ev, NULL);
	}
	strmap_clear(&names_tgt, NULL);
}

static void warn_push(struct pes_result *res, char *w)
{
	res->warnings = xrealloc(res->warnings, (res->n_warnings + 1) * sizeof(char *));
	res->warnings[res->n_warnings++] = w;
}

/* 6. the admin's lists (to_install, to_remove, to_keep) */
static void admin_lists(struct pes_run *run)
{
	const struct pes_input *in = run->in;
	struct pes_result *res = run->res;
	for (size_t i = 0; i < in->n_admin_install; i++) {
		bool dup = false;
		for (size_t k = 0; k < res->n_install && !dup; k++)
			dup = !strcmp(res->install[k].name, in->admin_install[i]);
		if (!dup)
			task_push(&res->install, &res->n_install, in->admin_install[i], NULL, NULL, NULL,
				  "admin to_install (/etc/leapp/transaction/to_install)");
	}
	for (size_t i = 0; i < in->n_admin_remove; i++) {
		const char *n = in->admin_remove[i];
		if (in_list(in->admin_keep, in->n_admin_keep, n))
			continue;
		if (!strmap_has(&run->installed_names, n)) {
			warn_push(res, xasprintf("/etc/leapp/transaction/to_remove: %s is not installed: ignored", n));
			continue;
		}
		bool dup = false;
		for (size_t k = 0; k < res->n_remove && !dup; k++)
			dup = !strcmp(res->remove[k].name, n);
		if (!dup) {
			const struct pes_installed *p = strmap_get(&run->installed_names, n);
			task_push(&res->remove, &res->n_remove, n, p->repo, NULL, NULL,
				  "admin to_remove (/etc/leapp/transaction/to_remove)");
		}
	}
	for (size_t i = 0; i < in->n_admin_keep; i++) {
		const char *n = in->admin_keep[i];
		if (!strmap_has(&run->installed_names, n)) {
			warn_push(res, xasprintf("/etc/leapp/transaction/to_keep: %s is not installed: ignored", n));
			continue;
		}
		const struct pes_event *ev = strmap_get(&run->removed_by, n);
		const struct pes_installed *p = strmap_get(&run->installed_names, n);
		_cleanup_free_ char *why =
			ev ? xasprintf("admin to_keep (/etc/leapp/transaction/to_keep), overriding PES event %d (%s)", ev->id,
				       pes_action_name(ev->action))
			   : xstrdup("admin to_keep (/etc/leapp/transaction/to_keep)");
		task_push(&res->keep, &res->n_keep, n, p->repo, NULL, NULL, why);
	}
}

static void result_sort(struct pes_result *res)
{
	/* qsort and memcpy want real pointers even for zero elements */
	if (res->n_install)
		qsort(res->install, res->n_install, sizeof(*res->install), cmp_task);
	if (res->n_remove)
		qsort(res->remove, res->n_remove, sizeof(*res->remove), cmp_task);
	if (res->n_keep)
		qsort(res->keep, res->n_keep, sizeof(*res->keep), cmp_task);
	if (res->n_notes)
		qsort(res->notes, res->n_notes, sizeof(*res->notes), cmp_task);
	if (res->n_target_pesids)
		qsort(res->target_pesids, res->n_target_pesids, sizeof(char *), str_cmp_qsort);
	if (res->n_modules_enable)
		qsort(res->modules_enable, res->n_modules_enable, sizeof(char *), str_cmp_qsort);
}

int pes_compute(const struct pes_data *d, const struct pes_input *in, struct pes_result *res, char **ret_err)
{
	memset(res, 0, sizeof(*res));
	struct pes_run run = {.in = in, .res = res};
	int r = relevant_events(d, &run, ret_err);
	if (r < 0) {
		free(run.rel);
		return r;
	}
	res->n_relevant = run.n_rel;
	drop_unorderable(&run);
	start_state(&run);
	apply_releases(&run);
	diff_by_names(&run);
	admin_lists(&run);
	result_sort(res);
	strmap_clear(&run.names_src, NULL);
	strmap_clear(&run.installed_names, NULL);
	strmap_clear(&run.removed_by, NULL);
	strmap_clear(&run.demod, NULL);
	strmap_clear(&run.src, spkg_free);
	strmap_clear(&run.target, spkg_free);
	strmap_clear(&run.seen, spkg_free);
	free(run.rel);
	return 0;
}

json_t *pes_task_to_json(const struct pes_task *t)
{
	return json_pack("{s:s, s:s?, s:s?, s:i, s:s, s:s, s:s?}", "name", t->name, "repository", t->repo, "modulestream",
			 t->ms, "event", t->event, "action", pes_action_name(t->action), "reason", t->reason, "detail",
			 t->detail);
}
