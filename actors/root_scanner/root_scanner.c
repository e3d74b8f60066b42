/* FactsCollection: the entries of the root directory (under --root) and where its symlinks point. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"
#include "leapp/actor.h"

/* A name as a JSON string: as is when it is UTF-8, else every byte outside printable ASCII as
 * \xNN (the names cannot be given to a shell then anyway; the report says so). */
static json_t *name_to_json(const char *s, bool *ret_utf8)
{
	json_t *j = json_string(s);
	*ret_utf8 = j != NULL;
	if (j)
		return j;
	size_t n = strlen(s);
	_cleanup_free_ char *buf = xmalloc(n * 4 + 1);
	char *p = buf;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			*p++ = (char)c;
		else
			p += sprintf(p, "\\x%02x", c);
	}
	*p = 0;
	return json_string(buf);
}

/* One entry: its name, and its target when it is a symlink. */
static json_t *entry_to_json(int dfd, const char *name)
{
	bool utf8 = true, tutf8 = true;
	json_t *o = json_pack("{s:o}", "name", name_to_json(name, &utf8));
	json_t *target = json_null();
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
		char buf[PATH_MAX];
		ssize_t n = readlinkat(dfd, name, buf, sizeof(buf) - 1);
		if (n >= 0) {
			buf[n] = 0;
			json_decref(target);
			target = name_to_json(buf, &tutf8);
		} else
			actor_warning("readlink /%s: %s", name, strerror(errno));
	}
	json_object_set_new(o, "target", target);
	json_object_set_new(o, "utf8", json_boolean(utf8 && tutf8));
	return o;
}

/* /var/run: what it is, and its target when a link (var/run relative to the root's fd, so
 * nothing resolves against the host's /). */
static void var_run_fill(int dfd, json_t *out)
{
	struct stat st;
	const char *type = "missing";
	if (fstatat(dfd, "var/run", &st, AT_SYMLINK_NOFOLLOW) == 0) {
		type = S_ISLNK(st.st_mode) ? "symlink" : S_ISDIR(st.st_mode) ? "directory" : "other";
		char buf[PATH_MAX];
		ssize_t n = S_ISLNK(st.st_mode) ? readlinkat(dfd, "var/run", buf, sizeof(buf) - 1) : -1;
		if (n >= 0) {
			bool utf8;
			buf[n] = 0;
			json_object_set_new(out, "var_run_target", name_to_json(buf, &utf8));
		}
	} else if (errno != ENOENT)
		actor_warning("/var/run: %s", strerror(errno));
	json_object_set_new(out, "var_run_type", json_string(type));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	_cleanup_close_ int dfd = open(actor_root(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent **list = NULL;
	int n = dfd < 0 ? -1 : scandir(actor_root(), &list, NULL, alphasort);
	if (n < 0)
		actor_error("cannot read the root directory", "%s: %s", actor_root(), strerror(errno));
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		if (strcmp(name, ".") && strcmp(name, ".."))
			json_array_append_new(items, entry_to_json(dfd, name));
		free(list[i]);
	}
	free(list);
	json_t *out = json_pack("{s:o}", "items", items);
	var_run_fill(dfd, out);
	actor_info("%zu entries in /", json_array_size(items));
	actor_produce("RootDirectory", out);
	return actor_finish();
}
