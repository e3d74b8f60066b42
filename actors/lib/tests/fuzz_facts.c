/* Fuzz target: the text parsers of actors/lib that read the source system (grubenv, BLS
 * entries and $variable expansion, sshd_config parsing and editing, os-release, mountinfo and
 * fstab). The first byte picks the parser. */
#include "sys.h"
#include "boot.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	switch (data[0] % 6) {
	case 0: {
		struct grubenv env = {0};
		if (grubenv_parse(text, len, &env) == 0) {
			char *out = NULL;
			size_t ol;
			if (grubenv_format(&env, &out, &ol) == 0) {
				struct grubenv back = {0};
				if (grubenv_parse(out, ol, &back) != 0)
					abort(); /* what we write, we must read back */
				grubenv_clear(&back);
				free(out);
			}
		}
		grubenv_clear(&env);
		break;
	}
	case 1: {
		struct bls_entry e = {0};
		bls_entry_parse("id", "/boot/loader/entries/id.conf", text, len, &e);
		struct grubenv env = {0};
		grubenv_set(&env, "kernelopts", "root=/dev/vda2 ro");
		free(bls_expand(e.options ? e.options : "", &env));
		bls_entry_set(&e, "options", "x");
		free(bls_entry_format(&e));
		bls_entry_clear(&e);
		grubenv_clear(&env);
		break;
	}
	case 2: {
		_cleanup_free_ char *s = xstrndup(text, len);
		struct grubenv env = {0};
		grubenv_set(&env, "a", "1");
		free(bls_expand(s, &env));
		grubenv_clear(&env);
		break;
	}
	case 3: {
		struct sshd_config c = {0};
		sshd_config_parse("/etc/ssh/sshd_config", text, len, &c);
		sshd_config_effective(&c, "permitrootlogin");
		sshd_config_clear(&c);
		char *out = sshd_config_add_directive(text, len, "PermitRootLogin", "yes", "added");
		/* the original text is kept byte for byte around the insertion */
		if (strlen(out) < len && !memchr(text, 0, len))
			abort();
		free(out);
		break;
	}
	case 4:
		json_decref(os_release_parse(text, len));
		break;
	case 5: {
		struct mount_list l = {0};
		if (mountinfo_parse(text, len, "mountinfo", &l) == 0) {
			mount_list_find_for_path(&l, "/boot");
			mount_list_clear(&l);
		}
		break;
	}
	}
	return 0;
}
