/* FactsCollection: /boot/loader/entries, /boot/grub2/grubenv, and which entry boots by default. */
#include "fs.h"
#include "boot.h"
#include "leapp/actor.h"

/* grubenv is often a symlink into the ESP (../efi/EFI/<id>/grubenv); an absolute link must
 * be followed under --root, not on the machine that runs leapp: resolved inside the root (a
 * missing target leaves the path as it is, and the read reports it absent). */
static char *grubenv_path(void)
{
	char *p = NULL;
	if (fs_root_host_path("/boot/grub2/grubenv", &p) < 0)
		return actor_path("/boot/grub2/grubenv");
	return p;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	struct grubenv env = {0};
	_cleanup_free_ char *gpath = grubenv_path();
	int r = grubenv_load(gpath, &env);
	bool env_present = r == 0;
	if (r < 0 && r != -ENOENT)
		actor_warning("/boot/grub2/grubenv: %s", r == -EINVAL ? "not a GRUB environment block" : strerror(-r));
	struct bls_entry *entries = NULL;
	size_t n = 0;
	r = bls_entries_load(actor_root(), &entries, &n);
	if (r < 0)
		actor_warning("/boot/loader/entries: %s", strerror(-r));
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		struct bls_entry *e = &entries[i];
		json_t *initrd = json_array();
		for (size_t k = 0; k < e->n_initrd; k++) {
			_cleanup_free_ char *x = bls_expand(e->initrd[k], &env);
			if (*x)
				json_array_append_new(initrd, json_string(x));
		}
		_cleanup_free_ char *opts = bls_expand(e->options ? e->options : "", &env);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:o, s:s, s:s, s:s?}", "id", e->id, "file",
						      e->file, "title", e->title, "version", e->version, "linux", e->linux,
						      "initrd", initrd, "options", opts, "options_raw",
						      e->options ? e->options : "", "grub_class", e->grub_class));
	}
	int def = bls_default_index(entries, n, &env);
	_cleanup_free_ char *mid = NULL;
	if (fs_root_read("/etc/machine-id", 4096, &mid, NULL) == 0)
		str_strip(mid);
	json_t *info = json_pack("{s:o, s:s?, s:s?, s:o, s:b, s:s?}", "entries", list, "default_entry",
				 def >= 0 ? entries[def].id : NULL, "default_kernel", def >= 0 ? entries[def].version : NULL,
				 "grubenv", grubenv_to_json(&env), "grubenv_present", env_present, "machine_id",
				 mid && *mid ? mid : NULL);
	actor_info("%zu boot entries, default %s", n, def >= 0 ? entries[def].id : "none");
	actor_produce("BootInfo", info);
	bls_entries_free(entries, n);
	grubenv_clear(&env);
	return actor_finish();
}
