/* Applications: comment out, in every /etc/pam.d file, the lines that use a module the admin
 * agreed to remove (remove_pam_pkcs11_module_check's dialog). Safe to run twice. */
#include <ctype.h>
#include <dirent.h>

#include "fs.h"
#include "leapp/actor.h"

/* Does this active (uncommented) pam.d line name module (as module.so, with or without a path)? */
static bool line_uses(const char *l, size_t n, const char *module)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)l[i]))
		i++;
	if (i >= n || l[i] == '#')
		return false;
	_cleanup_free_ char *word = xasprintf("%s.so", module);
	size_t wl = strlen(word);
	for (size_t k = i; k + wl <= n; k++)
		if (!memcmp(l + k, word, wl) && (k == 0 || l[k - 1] == '/' || isspace((unsigned char)l[k - 1])) &&
		    (k + wl == n || isspace((unsigned char)l[k + wl])))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *msgs = actor_consume("RemovedPAMModules");
	json_t *modules = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(msgs, i, m)
		json_array_extend(modules, json_object_get(m, "modules"));
	_cleanup_free_ char *dir = actor_path("/etc/pam.d");
	DIR *d = json_array_size(modules) ? opendir(dir) : NULL;
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		/* inside the root: authselect makes system-auth an absolute symlink to
		 * /etc/authselect/system-auth, which must resolve in the root, not on the host */
		_cleanup_free_ char *p = xasprintf("/etc/pam.d/%s", de->d_name);
		_cleanup_free_ char *data = NULL;
		size_t len;
		int rr = fs_root_read(p, 1u << 20, &data, &len);
		if (rr == -EISDIR || rr == -ENOENT)
			continue; /* a directory; a dangling link (nothing to edit) */
		if (rr < 0)
			actor_error("cannot read a PAM configuration file", "/etc/pam.d/%s: %s", de->d_name, strerror(-rr));
		struct buf out = {0};
		int changed = 0;
		for (size_t off = 0; off < len;) {
			const char *l = data + off;
			const char *nl = memchr(l, '\n', len - off);
			size_t n = nl ? (size_t)(nl - l) : len - off;
			bool hit = false;
			json_t *mod;
			size_t k;
			json_array_foreach(modules, k, mod)
				hit |= line_uses(l, n, json_string_value(mod));
			if (hit) {
				buf_append(&out, "#", 1);
				changed++;
			}
			buf_append(&out, l, n + (nl ? 1 : 0));
			off += n + (nl ? 1 : 0);
		}
		if (changed) {
			int r = fs_root_replace_contents(p, out.data, out.len);
			if (r < 0)
				actor_error("cannot update a PAM configuration file", "/etc/pam.d/%s: %s", de->d_name, strerror(-r));
			actor_info("/etc/pam.d/%s: commented out %d line(s)", de->d_name, changed);
		}
		buf_free(&out);
	}
	if (d)
		closedir(d);
	json_decref(modules);
	json_decref(msgs);
	return actor_finish();
}
