/* Applications: release 9's packages configure sshd through /etc/ssh/sshd_config.d, which
 * only its own sshd_config includes. An admin-modified sshd_config was kept by the RPM
 * transaction, so prepend release 9's Include line of that directory to it with a comment that
 * the upgrade added it (upstream open_ssh_drop_in_directory), keeping the rest of the file,
 * its owner, mode and label. Safe to run twice: a file that has the line is left alone. */
#include <ctype.h>

#include "sys.h"
#include "fs.h"
#include "leapp/actor.h"

#define SSHD_CONFIG "/etc/ssh/sshd_config"
#define INCLUDE "Include /etc/ssh/sshd_config.d/*.conf"

/* Does a line start (after blanks) with the Include line? */
static bool has_include(const char *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		const char *l = data + off;
		const char *nl = memchr(l, '\n', len - off);
		size_t n = nl ? (size_t)(nl - l) : len - off, i = 0;
		while (i < n && isspace((unsigned char)l[i]))
			i++;
		if (n - i >= strlen(INCLUDE) && !memcmp(l + i, INCLUDE, strlen(INCLUDE)))
			return true;
		off += n + 1;
	}
	return false;
}

static void prepend_include(int source, int target)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = fs_root_read(SSHD_CONFIG, 1u << 20, &data, &len);
	if (r < 0) {
		actor_warning("%s: %s; nothing to do", SSHD_CONFIG, strerror(-r));
		return;
	}
	if (has_include(data, len)) {
		actor_info("%s includes sshd_config.d already", SSHD_CONFIG);
		return;
	}
	_cleanup_free_ char *head = xasprintf("# Added by leapp during the upgrade from release %d to %d: release %d's\n"
					      "# packages configure sshd through this directory\n" INCLUDE "\n",
					      source, target, target);
	struct buf b = {0};
	buf_append(&b, head, strlen(head));
	buf_append(&b, data, len);
	r = fs_root_replace_contents(SSHD_CONFIG, b.data, b.len);
	buf_free(&b);
	if (r < 0)
		actor_error("cannot update the sshd configuration", "%s: %s", SSHD_CONFIG, strerror(-r));
	actor_info("prepended \"%s\" to %s", INCLUDE, SSHD_CONFIG);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *sshd = actor_consume_last("SshdConfig");
	json_t *ipu = ipu_config_get();
	if (ipu_source_major(ipu) != 8 || ipu_target_major(ipu) < 9 || !json_is_true(json_object_get(sshd, "modified")) ||
	    !json_is_string(json_object_get(sshd, "package")))
		actor_info("%s was not modified (or openssh-server is not installed): nothing to do", SSHD_CONFIG);
	else
		prepend_include(ipu_source_major(ipu), ipu_target_major(ipu));
	json_decref(sshd);
	json_decref(ipu);
	return actor_finish();
}
