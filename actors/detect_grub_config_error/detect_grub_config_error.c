/* Checks: GRUB configuration errors (upstream's detectgrubconfigerror). Upstream fixes the two
 * /etc/default/grub problems itself and only warns; we change nothing in that file, so each
 * of them inhibits, as a corrupted grubenv does. */
#include "sys.h"
#include "leapp/actor.h"

static json_t *grub_report(json_t *err, const char *title, const char *summary, const char *hint)
{
	json_t *e = report_new(title, summary, "high");
	report_add_group(e, "boot");
	report_add_group(e, "inhibitor");
	report_add_hint(e, hint);
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(err, "files"), i, f)
		report_add_resource(e, "file", json_string_value(f));
	return e;
}

static char *files_list(json_t *err)
{
	char *s = xstrdup("");
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(err, "files"), i, f) {
		char *n = xasprintf("%s%s%s", s, i ? ", " : "", json_string_value(f));
		free(s);
		s = n;
	}
	return s;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *errs = actor_consume("GrubConfigError"), *err;
	bool done[3] = {false};
	size_t i;
	json_array_foreach(errs, i, err) {
		const char *type = json_string_value(json_object_get(err, "error_type")) ?: "";
		_cleanup_free_ char *files = files_list(err);
		if (!strcmp(type, "corrupted_grubenv") && !done[0]) {
			done[0] = true;
			_cleanup_free_ char *summary = xasprintf(
				"GRUB's environment block %s is not valid: it must be exactly 1024 bytes, start with "
				"\"# GRUB Environment Block\" and be padded with '#', never end with a newline. The upgrade "
				"sets its boot entry there and GRUB would not read it. Editing the file by hand usually "
				"causes this.",
				files);
			_cleanup_free_ char *hint = xasprintf(
				"Remove %s and write it again with grub2-editenv (e.g. grub2-editenv %s create, then set "
				"saved_entry and kernelopts again), or regenerate it with grub2-mkconfig.",
				files, json_string_value(json_array_get(json_object_get(err, "files"), 0)));
			actor_report(grub_report(err, "Detected a corrupted grubenv file", summary, hint));
		} else if (!strcmp(type, "missing_newline") && !done[1]) {
			done[1] = true;
			actor_report(grub_report(
				err, "Detected a missing newline at the end of grub configuration file",
				"/etc/default/grub does not end with a newline. Lines appended to it during the upgrade "
				"would be joined to its last line, and the boot configuration would break.",
				"Add the missing newline at the end of /etc/default/grub (e.g. echo >> /etc/default/grub)."));
		} else if (!strcmp(type, "cmdline_syntax") && !done[2]) {
			done[2] = true;
			_cleanup_free_ char *lines = xstrdup("");
			json_t *l;
			size_t k;
			json_array_foreach(json_object_get(err, "lines"), k, l) {
				char *n = xasprintf("%s%s%lld", lines, k ? ", " : "", (long long)json_integer_value(l));
				free(lines);
				lines = n;
			}
			_cleanup_free_ char *summary = xasprintf(
				"GRUB_CMDLINE_LINUX in /etc/default/grub (line %s) is not one quoted value followed only by "
				"a comment, e.g. a stray quote or words after the closing quote. grub2-mkconfig and the "
				"upgrade's boot entry would get a wrong kernel command line.",
				lines);
			actor_report(grub_report(err, "Syntax error detected in grub configuration", summary,
						 "Fix GRUB_CMDLINE_LINUX so that it reads GRUB_CMDLINE_LINUX=\"arg1 arg2 ...\" "
						 "with all arguments inside one pair of double quotes."));
		}
	}
	json_decref(errs);
	return actor_finish();
}
