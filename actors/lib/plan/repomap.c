/* repomap.json reading: checks the structure, keeps what the upgrade path needs, and back to JSON. */
#include "plan.h"

#include <string.h>

#include "leapp/util.h"

void repomap_init(struct repomap *m)
{
	memset(m, 0, sizeof(*m));
}

static void repo_clear(struct repomap_repo *r)
{
	free(r->pesid);
	free(r->major);
	free(r->repoid);
	free(r->arch);
	free(r->channel);
	free(r->repo_type);
	free(r->rhui);
	free(r->distro);
}

void repomap_free(struct repomap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_repos; i++)
		repo_clear(&m->repos[i]);
	free(m->repos);
	for (size_t i = 0; i < m->n_map; i++) {
		free(m->map[i].source);
		for (size_t j = 0; j < m->map[i].n_targets; j++)
			free(m->map[i].targets[j]);
		free(m->map[i].targets);
	}
	free(m->map);
	for (size_t i = 0; i < m->n_files; i++)
		free(m->files[i]);
	free(m->files);
	for (size_t i = 0; i < m->n_pesids; i++)
		free(m->pesids[i]);
	free(m->pesids);
	memset(m, 0, sizeof(*m));
}

static void strv_push(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
}

/* A string member (numbers are accepted for major_version: some files write 8, not "8"). */
static int get_str(json_t *o, const char *key, bool required, const char *path, char **ret, char **ret_err)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		if (!required) {
			*ret = NULL;
			return 0;
		}
		*ret_err = xasprintf("%s: missing '%s'", path, key);
		return -EINVAL;
	}
	if (json_is_string(v))
		*ret = xstrdup(json_string_value(v));
	else if (json_is_integer(v))
		*ret = xasprintf("%lld", (long long)json_integer_value(v));
	else {
		*ret_err = xasprintf("%s.%s: must be a string", path, key);
		return -EINVAL;
	}
	return 0;
}

static json_t *get_array(json_t *o, const char *key, const char *path, char **ret_err)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_array(v)) {
		*ret_err = xasprintf(v ? "%s.%s: must be a list" : "%s: missing '%s'", path, key);
		return NULL;
	}
	return v;
}

/* Parse into a fresh repomap so that a bad file leaves the caller's map untouched. */
static int parse_doc(struct repomap *m, json_t *doc, const char *src_major, const char *dst_major, const char *arch,
		     char **ret_err)
{
	if (!json_is_object(doc)) {
		*ret_err = xstrdup("$: must be an object");
		return -EINVAL;
	}
	json_t *vf = json_object_get(doc, "version_format");
	if (!json_is_string(vf)) {
		*ret_err = xstrdup(vf ? "$.version_format: must be a string" : "$: missing 'version_format'");
		return -EINVAL;
	}
	if (!str_startswith(json_string_value(vf), "1.")) {
		*ret_err = xasprintf("$.version_format: unsupported format %s (this leapp reads 1.x)", json_string_value(vf));
		return -EINVAL;
	}
	json_t *mapping = get_array(doc, "mapping", "$", ret_err);
	if (!mapping)
		return -EINVAL;
	size_t i, j, k;
	json_t *mv, *ev, *tv;
	json_array_foreach(mapping, i, mv) {
		_cleanup_free_ char *path = xasprintf("$.mapping[%zu]", i);
		if (!json_is_object(mv)) {
			*ret_err = xasprintf("%s: must be an object", path);
			return -EINVAL;
		}
		_cleanup_free_ char *smaj = NULL, *tmaj = NULL;
		if (get_str(mv, "source_major_version", true, path, &smaj, ret_err) < 0 ||
		    get_str(mv, "target_major_version", true, path, &tmaj, ret_err) < 0)
			return -EINVAL;
		json_t *entries = get_array(mv, "entries", path, ret_err);
		if (!entries)
			return -EINVAL;
		bool keep = !strcmp(smaj, src_major) && !strcmp(tmaj, dst_major);
		json_array_foreach(entries, j, ev) {
			_cleanup_free_ char *epath = xasprintf("%s.entries[%zu]", path, j);
			if (!json_is_object(ev)) {
				*ret_err = xasprintf("%s: must be an object", epath);
				return -EINVAL;
			}
			_cleanup_free_ char *src = NULL;
			if (get_str(ev, "source", true, epath, &src, ret_err) < 0)
				return -EINVAL;
			json_t *targets = get_array(ev, "target", epath, ret_err);
			if (!targets)
				return -EINVAL;
			struct repomap_entry e = {.source = TAKE_PTR(src)};
			json_array_foreach(targets, k, tv) {
				if (!json_is_string(tv)) {
					*ret_err = xasprintf("%s.target[%zu]: must be a string", epath, k);
					free(e.source);
					for (size_t x = 0; x < e.n_targets; x++)
						free(e.targets[x]);
					free(e.targets);
					return -EINVAL;
				}
				strv_push(&e.targets, &e.n_targets, json_string_value(tv));
			}
			if (!keep) {
				free(e.source);
				for (size_t x = 0; x < e.n_targets; x++)
					free(e.targets[x]);
				free(e.targets);
				continue;
			}
			m->map = xrealloc(m->map, (m->n_map + 1) * sizeof(*m->map));
			m->map[m->n_map++] = e;
		}
	}
	json_t *repos = get_array(doc, "repositories", "$", ret_err);
	if (!repos)
		return -EINVAL;
	json_array_foreach(repos, i, mv) {
		_cleanup_free_ char *path = xasprintf("$.repositories[%zu]", i);
		if (!json_is_object(mv)) {
			*ret_err = xasprintf("%s: must be an object", path);
			return -EINVAL;
		}
		_cleanup_free_ char *pesid = NULL;
		if (get_str(mv, "pesid", true, path, &pesid, ret_err) < 0)
			return -EINVAL;
		if (!strv_contains(m->pesids, m->n_pesids, pesid))
			strv_push(&m->pesids, &m->n_pesids, pesid);
		json_t *entries = get_array(mv, "entries", path, ret_err);
		if (!entries)
			return -EINVAL;
		json_array_foreach(entries, j, ev) {
			_cleanup_free_ char *epath = xasprintf("%s.entries[%zu]", path, j);
			if (!json_is_object(ev)) {
				*ret_err = xasprintf("%s: must be an object", epath);
				return -EINVAL;
			}
			struct repomap_repo r = {0};
			if (get_str(ev, "major_version", true, epath, &r.major, ret_err) < 0 ||
			    get_str(ev, "repoid", true, epath, &r.repoid, ret_err) < 0 ||
			    get_str(ev, "arch", true, epath, &r.arch, ret_err) < 0 ||
			    get_str(ev, "channel", true, epath, &r.channel, ret_err) < 0 ||
			    get_str(ev, "repo_type", true, epath, &r.repo_type, ret_err) < 0 ||
			    get_str(ev, "rhui", false, epath, &r.rhui, ret_err) < 0 ||
			    get_str(ev, "distro", false, epath, &r.distro, ret_err) < 0) {
				repo_clear(&r);
				return -EINVAL;
			}
			if (!r.rhui)
				r.rhui = xstrdup("");
			bool keep = (!strcmp(r.major, src_major) || !strcmp(r.major, dst_major)) && !strcmp(r.arch, arch);
			if (!keep) {
				repo_clear(&r);
				continue;
			}
			r.pesid = xstrdup(pesid);
			m->repos = xrealloc(m->repos, (m->n_repos + 1) * sizeof(*m->repos));
			m->repos[m->n_repos++] = r;
		}
	}
	return 0;
}

int repomap_merge_json(struct repomap *m, json_t *doc, const char *shown, const char *src_major,
		       const char *dst_major, const char *arch, char **ret_err)
{
	struct repomap tmp;
	repomap_init(&tmp);
	char *err = NULL;
	if (parse_doc(&tmp, doc, src_major, dst_major, arch, &err) < 0) {
		*ret_err = xasprintf("%s: %s", shown, err);
		free(err);
		repomap_free(&tmp);
		return -EINVAL;
	}
	/* move everything over */
	m->repos = xrealloc(m->repos, (m->n_repos + tmp.n_repos + 1) * sizeof(*m->repos));
	if (tmp.n_repos)
		memcpy(m->repos + m->n_repos, tmp.repos, tmp.n_repos * sizeof(*m->repos));
	m->n_repos += tmp.n_repos;
	m->map = xrealloc(m->map, (m->n_map + tmp.n_map + 1) * sizeof(*m->map));
	if (tmp.n_map)
		memcpy(m->map + m->n_map, tmp.map, tmp.n_map * sizeof(*m->map));
	m->n_map += tmp.n_map;
	for (size_t i = 0; i < tmp.n_pesids; i++) {
		if (!strv_contains(m->pesids, m->n_pesids, tmp.pesids[i]))
			strv_push(&m->pesids, &m->n_pesids, tmp.pesids[i]);
		free(tmp.pesids[i]);
	}
	free(tmp.pesids);
	free(tmp.repos);
	free(tmp.map);
	strv_push(&m->files, &m->n_files, shown);
	return 0;
}

static json_t *strv_json(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *repomap_to_json(const struct repomap *m)
{
	json_t *map = json_array(), *repos = json_array();
	for (size_t i = 0; i < m->n_map; i++)
		json_array_append_new(map, json_pack("{s:s, s:o}", "source", m->map[i].source, "target",
						     strv_json(m->map[i].targets, m->map[i].n_targets)));
	for (size_t i = 0; i < m->n_repos; i++) {
		const struct repomap_repo *r = &m->repos[i];
		json_array_append_new(repos, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "pesid", r->pesid,
						       "major_version", r->major, "repoid", r->repoid, "arch", r->arch,
						       "channel", r->channel, "repo_type", r->repo_type, "rhui", r->rhui,
						       "distro", r->distro));
	}
	return json_pack("{s:o, s:o, s:o, s:o}", "files", strv_json(m->files, m->n_files), "mapping", map,
			 "repositories", repos, "pesids", strv_json(m->pesids, m->n_pesids));
}

static char *jstr(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : dflt ? xstrdup(dflt) : NULL;
}

int repomap_from_json(struct repomap *m, json_t *msg, char **ret_err)
{
	repomap_init(m);
	size_t i, j;
	json_t *v, *t;
	json_array_foreach(json_object_get(msg, "files"), i, v)
		strv_push(&m->files, &m->n_files, json_string_value(v) ? json_string_value(v) : "");
	json_array_foreach(json_object_get(msg, "pesids"), i, v)
		if (json_is_string(v))
			strv_push(&m->pesids, &m->n_pesids, json_string_value(v));
	json_array_foreach(json_object_get(msg, "mapping"), i, v) {
		struct repomap_entry e = {.source = jstr(v, "source", "")};
		json_array_foreach(json_object_get(v, "target"), j, t)
			if (json_is_string(t))
				strv_push(&e.targets, &e.n_targets, json_string_value(t));
		m->map = xrealloc(m->map, (m->n_map + 1) * sizeof(*m->map));
		m->map[m->n_map++] = e;
	}
	json_array_foreach(json_object_get(msg, "repositories"), i, v) {
		struct repomap_repo r = {
			.pesid = jstr(v, "pesid", ""),
			.major = jstr(v, "major_version", ""),
			.repoid = jstr(v, "repoid", ""),
			.arch = jstr(v, "arch", ""),
			.channel = jstr(v, "channel", "ga"),
			.repo_type = jstr(v, "repo_type", "rpm"),
			.rhui = jstr(v, "rhui", ""),
			.distro = jstr(v, "distro", NULL),
		};
		m->repos = xrealloc(m->repos, (m->n_repos + 1) * sizeof(*m->repos));
		m->repos[m->n_repos++] = r;
	}
	(void)ret_err;
	return 0;
}

bool repomap_has_pesid(const struct repomap *m, const char *pesid)
{
	return strv_contains(m->pesids, m->n_pesids, pesid);
}

const struct repomap_repo *repomap_find_repoid(const struct repomap *m, const char *repoid, const char *major)
{
	for (size_t i = 0; i < m->n_repos; i++)
		if (!strcmp(m->repos[i].repoid, repoid) && !strcmp(m->repos[i].major, major))
			return &m->repos[i];
	return NULL;
}

const struct repomap_entry *repomap_find_entry(const struct repomap *m, const char *src_pesid)
{
	for (size_t i = 0; i < m->n_map; i++)
		if (!strcmp(m->map[i].source, src_pesid))
			return &m->map[i];
	return NULL;
}

const struct repomap_repo *repomap_find_target(const struct repomap *m, const char *pesid, const char *major,
					       const char *channel, const char *rhui)
{
	const struct repomap_repo *ga = NULL;
	rhui = rhui ? rhui : "";
	for (size_t i = 0; i < m->n_repos; i++) {
		const struct repomap_repo *r = &m->repos[i];
		if (strcmp(r->pesid, pesid) || strcmp(r->major, major) || strcmp(r->rhui, rhui) ||
		    strcmp(r->repo_type, "rpm"))
			continue;
		if (channel && !strcmp(r->channel, channel))
			return r;
		if (!ga && !strcmp(r->channel, "ga"))
			ga = r;
	}
	return ga;
}
