/* leapp answer: record an answer to a question (dialog) for the next run. */
#include "answerfile.h"
#include "cli.h"
#include "output.h"

static const char usage[] =
	"usage: leapp answer --section SCOPE.KEY=VALUE [--section ...] [--add] [--root DIR]\n\n"
	"Record answers in /var/log/leapp/answerfile.userchoices, where every later run finds them.\n"
	"Without --add, SCOPE must be a question that the last run asked (see /var/log/leapp/answerfile).\n"
	"Booleans are True or False; a multiple choice is a comma-separated list.\n\noptions:\n"
	"  --section SCOPE.KEY=VALUE            the answer (repeatable)\n"
	"  --add                                accept a SCOPE that the answerfile does not hold\n";

/* Check a value against the question's type, when the question is known. */
static int check_value(json_t *comp, const char *value, char **why)
{
	const char *type = json_string_value(json_object_get(comp, "type"));
	if (!type)
		return 0;
	if (!strcmp(type, "bool")) {
		static const char *const ok[] = {"True", "False", "true", "false", "yes", "no", "1", "0"};
		for (size_t i = 0; i < ELEMENTSOF(ok); i++)
			if (!strcmp(value, ok[i]))
				return 0;
		*why = xstrdup("expected True or False");
		return -EINVAL;
	}
	if (!strcmp(type, "number")) {
		char *end;
		strtod(value, &end);
		if (!*value || *end) {
			*why = xstrdup("expected a number");
			return -EINVAL;
		}
		return 0;
	}
	json_t *choices = json_object_get(comp, "choices");
	if (json_array_size(choices) && (!strcmp(type, "choice") || !strcmp(type, "multiple_choice"))) {
		_cleanup_free_ char *copy = xstrdup(value);
		char *save = NULL;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			char *v = str_strip(t);
			bool found = false;
			size_t i;
			json_t *ch;
			json_array_foreach(choices, i, ch)
				found |= json_is_string(ch) && !strcmp(json_string_value(ch), v);
			if (!found) {
				struct buf b = {0};
				json_array_foreach(choices, i, ch)
					buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(ch));
				*why = xasprintf("'%s' is not one of: %s", v, b.data);
				buf_free(&b);
				return -EINVAL;
			}
			if (!strcmp(type, "choice"))
				break;
		}
	}
	return 0;
}

int cmd_answer(int argc, char **argv, struct leapp_ctx *c)
{
	json_t *given = json_object();
	bool add = false;
	char **rest = xcalloc((size_t)argc + 1, sizeof(char *));
	int nrest = 0, rc = EXIT_OK;
	char *af = NULL;
	rest[nrest++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *sect = NULL;
		if (!strcmp(argv[i], "--section")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "leapp answer: --section needs SCOPE.KEY=VALUE\n");
				rc = EXIT_USAGE;
				goto out;
			}
			sect = argv[++i];
		} else if (str_startswith(argv[i], "--section="))
			sect = argv[i] + strlen("--section=");
		else if (!strcmp(argv[i], "--add"))
			add = true;
		else
			rest[nrest++] = argv[i];
		if (!sect)
			continue;
		const char *eq = strchr(sect, '='), *dot = strchr(sect, '.');
		if (!eq || !dot || dot > eq || dot == sect || dot + 1 == eq) {
			fprintf(stderr, "leapp answer: malformed section '%s': expected SCOPE.KEY=VALUE, e.g. "
					"remove_pam_pkcs11_module_check.confirm=True\n",
				sect);
			rc = EXIT_USAGE;
			goto out;
		}
		_cleanup_free_ char *scope = xstrndup(sect, (size_t)(dot - sect));
		_cleanup_free_ char *key = xstrndup(dot + 1, (size_t)(eq - dot - 1));
		json_t *s = json_object_get(given, scope);
		if (!s) {
			s = json_object();
			json_object_set_new(given, scope, s);
		}
		json_object_set_new(s, key, json_string(eq + 1));
	}
	int oi;
	int r = parse_options(nrest, rest, OPT_ROOT, c, usage, &oi);
	if (r) {
		rc = r == 1 ? EXIT_OK : r;
		goto out;
	}
	if (oi < nrest) {
		fprintf(stderr, "leapp answer: unexpected argument '%s'\n", rest[oi]);
		rc = EXIT_USAGE;
		goto out;
	}
	if (json_object_size(given) == 0) {
		fprintf(stderr, "leapp answer: nothing to answer (use --section SCOPE.KEY=VALUE)\n");
		rc = EXIT_USAGE;
		goto out;
	}
	if (ctx_init(c, "leapp") < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	/* the questions of the last run, to check scope, key and value */
	json_t *dialogs = json_array();
	if (ctx_open_store(c, false) == 0) {
		struct execution up, pre, *last = NULL;
		int ru = store_execution_last(c->store, "upgrade", &up), rp = store_execution_last(c->store, "preupgrade", &pre);
		if (ru == 0 && (rp < 0 || up.id > pre.id))
			last = &up;
		else if (rp == 0)
			last = &pre;
		if (last) {
			json_decref(dialogs);
			dialogs = store_dialogs(c->store, last->id);
		}
		if (ru == 0)
			execution_clear(&up);
		if (rp == 0)
			execution_clear(&pre);
	}
	af = path_join(c->logdir, "answerfile");
	json_t *asked = NULL;
	char *err = NULL;
	if (answerfile_load(af, &asked, &err) < 0) {
		fprintf(stderr, "leapp answer: %s\n", err);
		free(err);
		asked = json_object();
	}
	const char *scope;
	json_t *kv;
	json_object_foreach(given, scope, kv) {
		json_t *dlg = NULL;
		size_t i;
		json_t *d;
		json_array_foreach(dialogs, i, d)
			if (!strcmp(json_string_value(json_object_get(d, "scope")) ?: "", scope))
				dlg = d;
		bool known = dlg || json_object_get(asked, scope);
		if (!known && !add) {
			fprintf(stderr, "leapp answer: no question '%s' in %s (the last run did not ask it); use --add to record "
					"it anyway\n",
				scope, af);
			rc = EXIT_USAGE;
			break;
		}
		const char *key;
		json_t *v;
		json_object_foreach(kv, key, v) {
			json_t *comp = NULL, *c2;
			size_t k;
			json_array_foreach(json_object_get(dlg, "components"), k, c2)
				if (!strcmp(json_string_value(json_object_get(c2, "key")) ?: "", key))
					comp = c2;
			if (dlg && !comp && !add) {
				fprintf(stderr, "leapp answer: question '%s' has no key '%s'\n", scope, key);
				rc = EXIT_USAGE;
				break;
			}
			char *why = NULL;
			if (comp && check_value(comp, json_string_value(v), &why) < 0) {
				fprintf(stderr, "leapp answer: %s.%s=%s: %s\n", scope, key, json_string_value(v), why);
				free(why);
				rc = EXIT_USAGE;
				break;
			}
		}
		if (rc)
			break;
	}
	if (rc == EXIT_OK) {
		_cleanup_free_ char *uc = path_join(c->logdir, "answerfile.userchoices");
		json_t *prev = NULL;
		if (answerfile_load(uc, &prev, &err) < 0) {
			fprintf(stderr, "leapp answer: %s\n", err);
			free(err);
			prev = json_object();
		}
		answers_merge(prev, given);
		if (mkdir_p(c->logdir, 0755) < 0 || answers_write(uc, prev) < 0) {
			fprintf(stderr, "leapp answer: cannot write %s: %s\n", uc, strerror(errno));
			rc = EXIT_ERROR;
		} else if (json_array_size(dialogs)) {
			answerfile_write(af, dialogs, prev);
		}
		json_decref(prev);
	}
	json_decref(asked);
	json_decref(dialogs);
out:
	free(af);
	free(rest);
	json_decref(given);
	return rc;
}
