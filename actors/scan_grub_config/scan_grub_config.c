/* FactsCollection: problems in GRUB's configuration that break the upgrade (upstream's
 * scangrubconfig): grubenv blocks that are not 1 KiB starting with their header, and in
 * /etc/default/grub a GRUB_CMDLINE_LINUX that is not one well-formed value, or no final newline. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "sys.h"
#include "leapp/actor.h"
#include "fs.h"

#define GRUBENV_HEADER "# GRUB Environment Block\n"

/* A grubenv GRUB can use: exactly 1024 bytes, the header first, '#' padding (never a final
 * newline, which an editor adds). Absent is fine. */
static bool grubenv_corrupted(const char *abs, struct stat *ret_st)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = fs_root_read(abs, 65536, &data, &len);
	if (r == -EFBIG)
		return true;
	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR)
			actor_warning("%s: %s", abs, strerror(-r));
		return false;
	}
	_cleanup_close_ int fd = fs_root_open(abs, O_RDONLY, 0);
	if (fd >= 0)
		fstat(fd, ret_st);
	return len != 1024 || memcmp(data, GRUBENV_HEADER, sizeof(GRUBENV_HEADER) - 1) || data[len - 1] == '\n';
}

static void scan_grubenvs(void)
{
	json_t *files = json_array();
	struct stat seen[16];
	size_t n_seen = 0;
	_cleanup_free_ char *efi = actor_path("/boot/efi/EFI");
	struct dirent **list = NULL;
	int n = scandir(efi, &list, NULL, alphasort);
	char **paths = xmalloc(sizeof(char *) * (size_t)(n > 0 ? n + 1 : 1));
	size_t np = 0;
	paths[np++] = xstrdup("/boot/grub2/grubenv");
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.')
			paths[np++] = xasprintf("/boot/efi/EFI/%s/grubenv", list[i]->d_name);
		free(list[i]);
	}
	free(list);
	for (size_t i = 0; i < np; i++) {
		struct stat st = {0};
		bool bad = grubenv_corrupted(paths[i], &st);
		bool dup = false;
		/* /boot/grub2/grubenv is often a link to the ESP's: name each file once */
		for (size_t k = 0; k < n_seen; k++)
			dup |= seen[k].st_dev == st.st_dev && seen[k].st_ino == st.st_ino;
		if (bad && !dup)
			json_array_append_new(files, json_string(paths[i]));
		if (st.st_ino && n_seen < ELEMENTSOF(seen))
			seen[n_seen++] = st;
		free(paths[i]);
	}
	free(paths);
	if (json_array_size(files))
		actor_produce("GrubConfigError", json_pack("{s:s, s:o}", "error_type", "corrupted_grubenv", "files", files));
	else
		json_decref(files);
}

/* Is the rest of a line after a value blank or a comment? */
static bool rest_ok(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end || *p == '#';
}

/* GRUB_CMDLINE_LINUX=VALUE must be one shell word: a quoted string that closes, with nothing but
 * a comment after it (the common mistake: GRUB_CMDLINE_LINUX="a" b", which GRUB's scripts cut short). */
static bool cmdline_line_ok(const char *v, const char *end)
{
	if (v < end && (*v == '"' || *v == '\'')) {
		char q = *v;
		const char *c = v + 1;
		while (c < end && *c != q)
			c += q == '"' && *c == '\\' && c + 1 < end ? 2 : 1;
		return c < end && rest_ok(c + 1, end);
	}
	while (v < end && *v != ' ' && *v != '\t' && *v != '"' && *v != '\'')
		v++;
	return rest_ok(v, end);
}

static void scan_default_grub(void)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = fs_root_read("/etc/default/grub", 1 << 20, &data, &len);
	if (r < 0) {
		if (r != -ENOENT)
			actor_warning("/etc/default/grub: %s", strerror(-r));
		return;
	}
	json_t *lines = json_array();
	static const char key[] = "GRUB_CMDLINE_LINUX=";
	int lineno = 0;
	for (const char *p = data; p < data + len;) {
		const char *end = memchr(p, '\n', (size_t)(data + len - p));
		if (!end)
			end = data + len;
		lineno++;
		const char *s = p;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (!strncmp(s, "export ", 7))
			s += 7;
		if ((size_t)(end - s) >= sizeof(key) - 1 && !memcmp(s, key, sizeof(key) - 1) &&
		    !cmdline_line_ok(s + sizeof(key) - 1, end))
			json_array_append_new(lines, json_integer(lineno));
		p = end + 1;
	}
	if (json_array_size(lines))
		actor_produce("GrubConfigError", json_pack("{s:s, s:[s], s:o}", "error_type", "cmdline_syntax", "files",
							   "/etc/default/grub", "lines", lines));
	else
		json_decref(lines);
	if (len && data[len - 1] != '\n')
		actor_produce("GrubConfigError",
			      json_pack("{s:s, s:[s]}", "error_type", "missing_newline", "files", "/etc/default/grub"));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ipu = ipu_config_get();
	const char *arch = ipu_str(ipu, "architecture");
	if (!arch || strcmp(arch, "s390x")) /* s390x boots with zipl: no grubenv */
		scan_grubenvs();
	scan_default_grub();
	json_decref(ipu);
	return actor_finish();
}
