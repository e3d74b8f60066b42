/* Fuzz target: distro/<id>/gpg-signatures.json (leapp-repository's), read and checked whole by
 * the rpm domain (actors/lib/rpm/sigs.c) as rpm_scanner and target_gpg_keys read it; then the
 * lookups those actors make. An error must name the file; what is accepted must be usable. */
#include "rpm.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char shown[] = "/etc/leapp/files/distro/x/gpg-signatures.json";
	struct rpm_sigs s;
	char *err = NULL;
	if (rpm_sigs_parse((const char *)data, size, shown, &s, &err) < 0) {
		if (!err || strncmp(err, shown, sizeof(shown) - 1) || s.keys || s.obsoleted)
			abort(); /* an error names the file, and leaves nothing behind */
		free(err);
		return 0;
	}
	if (err || !json_is_object(s.keys) || !json_is_object(s.obsoleted))
		abort();
	rpm_sigs_has_key(&s, "199e2f91fd431d51");
	rpm_sigs_has_key(&s, "199E2F91FD431D51");
	rpm_sigs_has_key(&s, "short");
	rpm_sigs_has_key(&s, NULL);
	rpm_sigs_has_pubkey(&s, "gpg-pubkey-fd431d51-4ae0493b");
	for (int major = 0; major <= 11; major++) {
		size_t i;
		json_t *v;
		json_array_foreach(rpm_sigs_obsoleted(&s, major), i, v)
			if (!json_string_value(v))
				abort(); /* only names get through */
	}
	rpm_sigs_clear(&s);
	return 0;
}
