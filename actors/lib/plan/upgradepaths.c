/* upgrade_paths.json: the target releases a source release may upgrade to. */
#include "plan.h"

#include "leapp/util.h"

/* The highest version in a JSON list of version strings. */
static const char *highest(json_t *list)
{
	const char *best = NULL;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		if (s && (!best || evr_release_cmp(s, best) > 0))
			best = s;
	}
	return best;
}

static bool list_has(json_t *list, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
		if (json_string_value(v) && !strcmp(json_string_value(v), s))
			return true;
	return false;
}

void upgrade_path_find(json_t *paths, const char *id, const char *flavour, const char *version_id, const char *requested,
		       struct upgrade_path *ret)
{
	*ret = (struct upgrade_path){.problem = "no-distro", .allowed = json_array()};
	json_t *distro = json_object_get(paths, id);
	json_t *table = json_object_get(distro, flavour);
	json_t *virt = json_object_get(distro, "_virtual_versions");
	if (!json_is_object(table))
		return;
	ret->problem = "none";
	/* the exact VERSION_ID; a distribution with _virtual_versions (centos) may also be found by
	 * the version its key stands for */
	json_t *list = json_object_get(table, version_id);
	if (list)
		ret->matched_key = version_id;
	else if (json_is_object(virt)) {
		const char *k;
		json_t *v;
		json_object_foreach(virt, k, v)
			if (json_string_value(v) && !strcmp(json_string_value(v), version_id) && json_object_get(table, k)) {
				ret->matched_key = k;
				list = json_object_get(table, k);
				break;
			}
	}
	/* a list without one version string (wrong types in the file) allows nothing */
	if (!json_is_array(list) || !highest(list)) {
		ret->problem = "no-path";
		ret->matched_key = NULL;
	} else {
		json_array_extend(ret->allowed, list);
		ret->default_target = highest(list);
		if (requested && !list_has(list, requested))
			ret->problem = "target-not-allowed";
		ret->target = requested ? requested : ret->default_target;
	}
	if (json_is_object(virt)) {
		ret->source_virtual =
			json_string_value(json_object_get(virt, ret->matched_key ? ret->matched_key : version_id));
		if (ret->target)
			ret->target_virtual = json_string_value(json_object_get(virt, ret->target));
	}
}
