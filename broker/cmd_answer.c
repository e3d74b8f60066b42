/* leapp answer: record an answer to a question (dialog) for the next run. */
#include "answerfile.h"
#include "cli.h"
#include "output.h"

static const struct cli_cmd cmd = {
	"answer",
	"usage: leapp answer --section SCOPE.KEY=VALUE [--section ...] [--add] [--root DIR]\n\n"
	"Answer questions (dialogs) that actors asked, for the next preupgrade or upgrade. Answers\n"
	"are kept in /var/log/leapp/answerfile.userchoices, and /var/log/leapp/answerfile is updated.\n"
	"SCOPE.KEY must be a question the last run asked (see the answerfile or the report's leapp\n"
	"answer commands) unless --add is given; the value is checked against the question: True or\n"
	"False for a yes/no question, one of the choices, a comma-separated list for several.\n\n"
	"exit codes: 0 recorded, 1 error, 2 malformed or unknown section, or a value that does not fit\n",
	OPT_SECTION | OPT_ROOT,
};

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

/* {scope: {key: value}} from the --section items (already checked as SCOPE.KEY=VALUE). */
static json_t *sections_json(const struct cli_args *a)
{
	json_t *given = json_object();
	for (size_t i = 0; i < a->n_sections; i++) {
		const char *sect = a->sections[i];
		const char *dot = strchr(sect, '.'), *eq = strchr(sect, '=');
		_cleanup_free_ char *scope = xstrndup(sect, (size_t)(dot - sect));
		_cleanup_free_ char *key = xstrndup(dot + 1, (size_t)(eq - dot - 1));
		json_t *sc = json_object_get(given, scope);
		if (!sc) {
			sc = json_object();
			json_object_set_new(given, scope, sc);
		}
		json_object_set_new(sc, key, json_string(eq + 1));
	}
	return given;
}

/* The questions of the last preupgrade or upgrade, to check scope, key and value against. */
static int last_dialogs(struct leapp_ctx *c, json_t **ret)
{
	*ret = json_array();
	_cleanup_free_ char *db = path_join(c->statedir, "leapp.db");
	if (access(db, F_OK) < 0)
		return 0;
	if (ctx_open_store(c, false) < 0)
		return EXIT_ERROR;
	struct execution last;
	if (last_workflow_execution(c->store, &last) == 0) {
		json_t *d = NULL;
		int r = store_dialogs(c->store, last.id, &d);
		execution_clear(&last);
		if (r < 0) {
			log_error("answer: cannot read the questions of the last run: %s", store_errmsg(c->store));
			return EXIT_ERROR;
		}
		json_decref(*ret);
		*ret = d;
	}
	return 0;
}

/* Check every answer; prints why one does not fit and returns EXIT_USAGE, else 0. */
static int check_answers(json_t *given, json_t *dialogs, json_t *asked, const char *af, bool add)
{
	const char *scope;
	json_t *kv;
	json_object_foreach(given, scope, kv) {
		json_t *dlg = NULL;
		size_t i;
		json_t *d;
		json_array_foreach(dialogs, i, d)
			if (!strcmp(json_string_value(json_object_get(d, "scope")) ?: "", scope))
				dlg = d;
		if (!dlg && !json_object_get(asked, scope) && !add) {
			fprintf(stderr,
				"leapp answer: no question '%s' was asked (it is neither in the last run nor in %s); check the "
				"spelling, or use --add to record it anyway\n",
				scope, af);
			return EXIT_USAGE;
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
				struct buf b = {0};
				json_array_foreach(json_object_get(dlg, "components"), k, c2)
					buf_printf(&b, "%s%s", b.len ? ", " : "", json_string_value(json_object_get(c2, "key")) ?: "?");
				fprintf(stderr, "leapp answer: question '%s' has no key '%s' (its keys: %s)\n", scope, key,
					b.data ? b.data : "none");
				buf_free(&b);
				return EXIT_USAGE;
			}
			char *why = NULL;
			if (comp && check_value(comp, json_string_value(v), &why) < 0) {
				fprintf(stderr, "leapp answer: %s.%s=%s: %s\n", scope, key, json_string_value(v), why);
				free(why);
				return EXIT_USAGE;
			}
		}
	}
	return 0;
}

int cmd_answer(int argc, char **argv, struct leapp_ctx *c)
{
	struct cli_args a = {0};
	int oi, rc = parse_options(argc, argv, &cmd, c, &a, &oi);
	if (!rc)
		rc = no_more_arguments(&cmd, argc, argv, oi);
	if (!rc && a.n_sections == 0) {
		fprintf(stderr, "leapp answer: nothing to answer: give --section SCOPE.KEY=VALUE (see leapp answer --help)\n");
		rc = EXIT_USAGE;
	}
	if (rc) {
		cli_args_clear(&a);
		return rc == 1 ? EXIT_OK : rc;
	}
	json_t *given = sections_json(&a);
	bool add = a.add;
	cli_args_clear(&a);
	json_t *dialogs = NULL, *asked = NULL, *prev = NULL;
	_cleanup_free_ char *af = NULL, *uc = NULL;
	char *err = NULL;
	cli_setup_output(c, false);
	if ((rc = cli_init(c)) || (rc = last_dialogs(c, &dialogs)))
		goto out;
	af = path_join(c->logdir, "answerfile");
	uc = path_join(c->logdir, "answerfile.userchoices");
	if (answerfile_load(af, &asked, &err) < 0) {
		log_error("%s", err);
		rc = EXIT_ERROR;
		goto out;
	}
	if ((rc = check_answers(given, dialogs, asked, af, add)))
		goto out;
	if (answerfile_load(uc, &prev, &err) < 0) {
		log_error("%s", err);
		rc = EXIT_ERROR;
		goto out;
	}
	answers_merge(prev, given);
	int r = mkdir_p(c->logdir, 0755);
	if (r == 0)
		r = answers_write(uc, prev);
	if (r < 0) {
		log_error("cannot write %s: %s", uc, strerror(-r));
		rc = EXIT_ERROR;
		goto out;
	}
	if (json_array_size(dialogs) && (r = answerfile_write(af, dialogs, prev)) < 0)
		log_warning("cannot update %s: %s", af, strerror(-r));
	const char *scope;
	json_t *kv;
	json_object_foreach(given, scope, kv) {
		const char *key;
		json_t *v;
		json_object_foreach(kv, key, v)
			printf("Recorded the answer %s.%s=%s in %s\n", scope, key, json_string_value(v), uc);
	}
out:
	free(err);
	json_decref(prev);
	json_decref(asked);
	json_decref(dialogs);
	json_decref(given);
	return rc;
}
