/* The leapp payload of the upgrade images: leapp, its data and the actors of the interim phases,
 * staged for the upgrade initramfs (85sys-upgrade-redhat) and the live image (livemode/). */
#include "boot.h"
#include <dirent.h>

#include "fs.h"
#include "leapp/actor.h"
#include "leapp/manifest.h"
#include "leapp/yaml.h"

/* the phases the upgrade initramfs runs (leapp upgrade --resume up to its reboot), when the
 * workflow file does not say (interim_phases_load) */
static const char *const default_interim_phases[] = {"InitRamStart", "LateTests", "Preparation", "RPMUpgrade",
						     "Applications", "ThirdPartyApplications", "Finalization"};
static json_t *interim_phases;

/* The interim phases of the workflow the payload carries: from InitRamStart to the first
 * phase after it that reboots (restart-after), as phases/inplace-upgrade.yaml lists them. */
static void interim_phases_load(const char *datadir)
{
	interim_phases = json_array();
	_cleanup_free_ char *path = path_join(datadir, "phases/inplace-upgrade.yaml");
	struct ydoc *doc = NULL;
	char *err = NULL;
	struct ynode *list = NULL;
	if (ydoc_load_file(path, &doc, &err) == 0 && doc->root)
		list = ynode_get(doc->root, "phases");
	bool in = false, done = false;
	for (size_t i = 0; list && list->kind == YNODE_SEQ && i < list->n && !done; i++) {
		struct ynode *name = ynode_get(list->items[i], "name"), *flags = ynode_get(list->items[i], "flags");
		if (!name || name->kind != YNODE_SCALAR)
			continue;
		in |= !strcmp(name->scalar, "InitRamStart");
		if (!in)
			continue;
		json_array_append_new(interim_phases, json_string(name->scalar));
		for (size_t k = 0; flags && flags->kind == YNODE_SEQ && k < flags->n; k++)
			done |= flags->items[k]->kind == YNODE_SCALAR && !strcmp(flags->items[k]->scalar, "restart-after");
	}
	if (!done) {
		json_array_clear(interim_phases);
		for (size_t i = 0; i < ELEMENTSOF(default_interim_phases); i++)
			json_array_append_new(interim_phases, json_string(default_interim_phases[i]));
		actor_info("%s does not list the interim phases: taking InitRamStart..Finalization", path);
	}
	free(err);
	ydoc_free(doc);
}

static bool is_interim(const char *phase)
{
	size_t i;
	json_t *x;
	json_array_foreach(interim_phases, i, x)
		if (phase && !strcmp(phase, json_string_value(x)))
			return true;
	return false;
}

/* Copy the interim actors of one actor folder into dst/actors; their names go to names. */
static void stage_actors(const char *dir, const char *dst, json_t *names)
{
	DIR *d = opendir(dir);
	if (!d) {
		actor_warning("actor folder %s: %s", dir, strerror(errno));
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *sub = path_join(dir, de->d_name);
		_cleanup_free_ char *yaml = path_join(sub, "actor.yaml");
		struct manifest *m = NULL;
		char *err = NULL;
		if (access(yaml, F_OK) < 0)
			continue;
		if (manifest_load(yaml, &m, &err) < 0) {
			actor_warning("%s: %s", yaml, err ? err : "unreadable");
			free(err);
			continue;
		}
		if (is_interim(m->phase)) {
			_cleanup_free_ char *to = xasprintf("%s/%s", dst, de->d_name);
			/* the folder itself when it is a link to one (LEAPP_ACTORS_DIR of links) */
			_cleanup_free_ char *real = realpath(sub, NULL);
			rm_rf(to);
			if (!real || fs_copy_tree(real, to) < 0)
				actor_error("cannot copy an interim actor into the leapp payload", "%s to %s", sub, to);
			boot_list_add_unique(names, m->name);
		}
		manifest_free(m);
	}
	closedir(d);
}

json_t *image_payload_stage(const char *payload, const char *bindir, const char *datadir, const char *actor_dirs)
{
	_cleanup_free_ char *ubin = path_join(payload, "/usr/bin");
	_cleanup_free_ char *share = path_join(payload, "/usr/share/leapp");
	_cleanup_free_ char *actors = path_join(share, "/actors");
	rm_rf(payload);
	if (mkdir_p(ubin, 0755) < 0 || mkdir_p(actors, 0755) < 0)
		actor_error("cannot make the leapp payload", "%s: %s", payload, strerror(errno));
	static const char *const bins[] = {"leapp", "leapp-msg"};
	for (size_t i = 0; i < ELEMENTSOF(bins); i++) {
		_cleanup_free_ char *src = path_join(bindir, bins[i]);
		_cleanup_free_ char *dst = path_join(ubin, bins[i]);
		int r = fs_copy_file(src, dst, 0755, NULL);
		if (r < 0)
			actor_error("cannot copy leapp into the payload", "%s: %s", src, strerror(-r));
	}
	static const char *const trees[] = {"models", "phases", "files"};
	for (size_t i = 0; i < ELEMENTSOF(trees); i++) {
		_cleanup_free_ char *src = path_join(datadir, trees[i]);
		_cleanup_free_ char *dst = path_join(share, trees[i]);
		if (!fs_is_dir(src)) {
			if (strcmp(trees[i], "files"))
				actor_error("leapp's data directory is incomplete", "%s is missing", src);
			continue;
		}
		if (fs_copy_tree(src, dst) < 0)
			actor_error("cannot copy leapp's data into the leapp payload", "%s to %s", src, dst);
	}
	interim_phases_load(datadir);
	json_t *names = json_array();
	_cleanup_free_ char *copy = xstrdup(actor_dirs);
	char *save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
		stage_actors(d, actors, names);
	json_decref(interim_phases);
	interim_phases = NULL;
	return names;
}
