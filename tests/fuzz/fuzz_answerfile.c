/* Fuzz target: the answerfile reader (broker/answerfile.c), then merging and the missing-answer
 * check over what it read. The input is written to a private temporary file because
 * answerfile_load() reads a path (it refuses symlinks, so /proc/self/fd is no way around it). */
#include <unistd.h>

#include "answerfile.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz-answerfile.%ld", (long)getpid());
	FILE *f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	json_t *a = NULL;
	char *err = NULL;
	if (answerfile_load(path, &a, &err) == 0) {
		json_t *dialogs = json_pack("[{s:s, s:[{s:s, s:s, s:b}]}]", "scope", "remove_pam_pkcs11_module_check",
					    "components", "key", "confirm", "label", "Disable pam_pkcs11?", "required", 1);
		json_t *base = json_pack("{s:{s:s}}", "authselect_check", "confirm", "True");
		answers_merge(base, a);
		json_decref(dialogs_unanswered(dialogs, base));
		json_decref(base);
		json_decref(dialogs);
		json_decref(a);
	} else if (!err || !strstr(err, path)) {
		abort(); /* every error names the file */
	}
	free(err);
	unlink(path);
	return 0;
}
