/* Fuzz target: /etc/fstab of the source system read through libmount (actors/lib/sys/mounts.c):
 * entries, the warnings naming the line, the FstabEntry JSON. The input goes to a private
 * temporary file because fstab_load() reads a path. */
#include <unistd.h>

#include "sys.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz-fstab.%ld", (long)getpid());
	FILE *f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	struct mount_list l = {0};
	if (fstab_load(path, "/etc/fstab", &l) == 0) {
		for (size_t i = 0; i < l.n; i++)
			json_decref(fstab_entry_to_json(&l.v[i]));
		for (size_t i = 0; i < l.n_warnings; i++)
			if (strncmp(l.warnings[i], "/etc/fstab", 10))
				abort(); /* warnings name the file */
		mount_list_find_for_path(&l, "/var/lib/leapp");
		mount_list_find_target(&l, "/boot");
		mount_list_clear(&l);
	}
	unlink(path);
	return 0;
}
