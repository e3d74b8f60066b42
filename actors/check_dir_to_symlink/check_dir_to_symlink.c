/* TargetTransactionCheck: paths that are directories on this system and that a package of the
 * planned transaction installs as something else (a symlink, as release 9's rubygem-irb does
 * with /usr/share/ruby/irb, or a file). rpm cannot unpack a symlink over a directory: the RPM
 * transaction would fail in the middle of the upgrade (upstream works around the irb case
 * alone, register_ruby_irb_adjustment). Found from the target repositories' file lists for the
 * planned packages; dir_to_symlink_preparation moves the directories aside before the RPM
 * transaction (DirToSymlinkTasks), and the report says where. */
#include <sys/stat.h>

#include "sys.h"
#include "plan.h"
#include "leapp/actor.h"
#include "fetch.h"

struct ctx {
	json_t *planned;   /* "name epoch:version-release.arch" -> true */
	json_t *found;     /* path -> package */
};

static int on_file(const struct filelists_pkg *p, const char *path, bool is_dir, void *ud)
{
	struct ctx *c = ud;
	if (is_dir || path[0] != '/')
		return 0;
	_cleanup_free_ char *key = xasprintf("%s %s:%s-%s.%s", p->name, p->epoch, p->version, p->release, p->arch);
	if (!json_object_get(c->planned, key) || json_object_get(c->found, path))
		return 0;
	_cleanup_free_ char *full = actor_path(path);
	struct stat st;
	if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
		_cleanup_free_ char *nevra = xasprintf("%s-%s-%s.%s", p->name, p->version, p->release, p->arch);
		json_object_set_new(c->found, path, json_string(nevra));
	}
	return 0;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *plan = actor_consume_last("PlannedTransaction");
	struct ctx c = {json_object(), json_object()};
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(plan, "items"), i, it) {
		const char *a = json_string_value(json_object_get(it, "action")) ?: "";
		if (strcmp(a, "install") && strcmp(a, "upgrade") && strcmp(a, "downgrade"))
			continue;
		_cleanup_free_ char *key = xasprintf(
			"%s %lld:%s-%s.%s", json_string_value(json_object_get(it, "name")),
			(long long)json_integer_value(json_object_get(it, "epoch")), json_string_value(json_object_get(it, "version")),
			json_string_value(json_object_get(it, "release")), json_string_value(json_object_get(it, "arch")));
		json_object_set_new(c.planned, key, json_true());
	}
	json_array_foreach(json_object_get(plan, "repos"), i, it) {
		const char *dir = repomd_dir_of(it);
		const char *id = json_string_value(json_object_get(it, "repoid")) ?: "?";
		if (!dir) {
			actor_warning("repository %s: no local metadata; its file lists are not checked", id);
			continue;
		}
		_cleanup_free_ char *err = NULL;
		int r = filelists_read(dir, on_file, &c, &err);
		if (r < 0)
			actor_warning("repository %s: %s; its file lists are not checked", id, err ? err : strerror(-r));
	}
	if (json_object_size(c.found)) {
		json_t *items = json_array();
		struct buf b = {0};
		const char *path;
		json_t *pkg;
		json_object_foreach(c.found, path, pkg) {
			json_array_append_new(items, json_pack("{s:s, s:s}", "path", path, "package", json_string_value(pkg)));
			buf_printf(&b, "\n    - %s (%s)", path, json_string_value(pkg));
		}
		buf_append(&b, "", 0);
		actor_produce("DirToSymlinkTasks", json_pack("{s:o}", "items", items));
		_cleanup_free_ char *summary = xasprintf(
			"These directories are replaced by a symlink or a file in a package the upgrade installs. rpm "
			"cannot do that itself and the transaction would fail; before it runs, the upgrade moves each "
			"directory aside to <path>.leappsave (what the new package needs comes with it):%s",
			b.data);
		json_t *e = report_new("Directories replaced by symlinks in the upgrade are moved aside", summary, "info");
		report_add_group(e, "filesystem");
		report_add_hint(e, "After the upgrade, check the .leappsave directories for files of your own and remove them.");
		actor_report(e);
		buf_free(&b);
	}
	json_decref(c.planned);
	json_decref(c.found);
	json_decref(plan);
	return actor_finish();
}
