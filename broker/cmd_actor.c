/* leapp actor list | describe NAME | run NAME: single actors, for admins and actor authors. */
#include <getopt.h>

#include "cli.h"
#include "output.h"

static const char usage_actor[] =
	"usage: leapp actor list [--json] [--root DIR]\n"
	"       leapp actor describe NAME [--root DIR]\n"
	"       leapp actor run NAME [--input FILE.json | --from-last-run] [--save-output] [OPTIONS]\n\n"
	"  list      every actor: name, phase, stage, description, in workflow order\n"
	"  describe  one actor's manifest and the models it consumes and produces, as JSON\n"
	"  run       run one actor, sandboxed as in its phase, and print what it produced as JSON\n\n"
	"Run 'leapp actor SUBCOMMAND --help' for its options.\n";

static const struct cli_cmd cmd_list = {
	"actor list",
	"usage: leapp actor list [--json] [--root DIR]\n\n"
	"List every actor (the project's and the custom ones in /etc/leapp/repos.d) in workflow order:\n"
	"name, phase, stage and description; [experimental] or [feature] marks those that do not run\n"
	"unless enabled.\n",
	OPT_ROOT | OPT_JSON | OPT_EXPERIMENTAL,
};

static const struct cli_cmd cmd_describe = {
	"actor describe",
	"usage: leapp actor describe NAME [--root DIR]\n\n"
	"Print the manifest of actor NAME as JSON, with the fields of the models it consumes and produces\n"
	"and its configuration schema.\n\n"
	"exit codes: 0, 1 error, 2 usage or unknown actor\n",
	OPT_ROOT,
};

static const struct cli_cmd cmd_run = {
	"actor run",
	"usage: leapp actor run NAME [--input FILE.json | --from-last-run] [--save-output] [OPTIONS]\n\n"
	"Run actor NAME alone, sandboxed as in its phase, and print what it produced as one JSON object\n"
	"on stdout: {\"actor\", \"status\": \"ok\"|\"failed\", \"failure\"?, \"messages\": [{\"model\", \"data\"}],\n"
	"\"reports\", \"logs\", \"dialogs\", \"commands\", \"errors\"}. Console lines go to stderr.\n\n"
	"Input: FILE.json holds {\"messages\": [{\"model\": M, \"data\": {...}}], \"config\": {...}} (or just the\n"
	"list of messages); every message must be of a model the actor consumes and valid for it, and\n"
	"\"config\" overrides the actor's configuration (its actor_conf.d section). --from-last-run gives\n"
	"it the messages of the last preupgrade or upgrade instead; without either it gets no messages.\n"
	"The run is recorded in the audit store only with --save-output.\n\n"
	"exit codes: 0 the actor succeeded, 1 it failed, 2 usage, unknown actor or bad input\n",
	OPT_ROOT | OPT_ACTOR_INPUT | OPT_VERBOSE | OPT_NO_SANDBOX | OPT_NOGPGCHECK | OPT_TARGET | OPT_ENABLEREPO,
};

static int load(struct leapp_ctx *c, const struct cli_cmd *cmd)
{
	int r = cli_init(c);
	if (r)
		return r;
	if (ctx_load(c) < 0)
		return EXIT_ERROR;
	return check_actor_options(c, cmd->name);
}

static int cmp_listed(const void *a, const void *b)
{
	const struct manifest *x = *(struct manifest *const *)a, *y = *(struct manifest *const *)b;
	if (x->stage != y->stage)
		return (int)x->stage - (int)y->stage;
	return strcmp(x->name, y->name);
}

static int actor_list(struct leapp_ctx *c, bool as_json)
{
	json_t *a = json_array();
	if (!as_json)
		printf("%-40s %-34s %-6s %s\n", "NAME", "PHASE", "STAGE", "DESCRIPTION");
	struct manifest **v = xcalloc(c->actors.n + 1, sizeof(*v));
	for (size_t p = 0; p < c->wf.n; p++) {
		size_t n = 0;
		for (size_t i = 0; i < c->actors.n; i++)
			if (!strcmp(c->actors.v[i]->phase, c->wf.phases[p].name))
				v[n++] = c->actors.v[i];
		qsort(v, n, sizeof(*v), cmp_listed);
		for (size_t i = 0; i < n; i++) {
			struct manifest *m = v[i];
			const char *why = NULL;
			bool on = actor_enabled(c, m, &why);
			if (as_json)
				json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "name", m->name, "phase",
								   m->phase, "stage", stage_name(m->stage), "description",
								   m->description, "experimental", m->experimental || m->feature,
								   "enabled", on));
			else
				printf("%-40s %-34s %-6s %s%s\n", m->name, m->phase, stage_name(m->stage), m->description,
				       on ? "" : m->feature ? " [feature]" : m->experimental ? " [experimental]" : " [disabled]");
		}
	}
	free(v);
	if (as_json) {
		char *s = json_dumps(a, JSON_INDENT(2));
		puts(s);
		free(s);
	}
	json_decref(a);
	return EXIT_OK;
}

static json_t *model_json(const struct model *md);

static json_t *spec_json(const struct ftypespec *s)
{
	json_t *o = json_pack("{s:s}", "type", ftype_name(s->type));
	if (s->nullable)
		json_object_set_new(o, "nullable", json_true());
	if (s->def)
		json_object_set(o, "default", s->def);
	if (s->n_enum) {
		json_t *v = json_array();
		for (size_t i = 0; i < s->n_enum; i++)
			json_array_append_new(v, json_string(s->enum_values[i]));
		json_object_set_new(o, "values", v);
	}
	if (s->of)
		json_object_set_new(o, "of", spec_json(s->of));
	if (s->model_name)
		json_object_set_new(o, "model", json_string(s->model_name));
	return o;
}

static json_t *model_json(const struct model *md)
{
	json_t *f = json_object();
	for (size_t i = 0; i < md->n_fields; i++)
		json_object_set_new(f, md->fields[i].name, spec_json(&md->fields[i].spec));
	return json_pack("{s:s, s:s, s:s?, s:o}", "model", md->name, "topic", md->topic, "description", md->description,
			 "fields", f);
}

static int actor_describe(struct leapp_ctx *c, const char *name)
{
	struct manifest *m = actor_set_find(&c->actors, name);
	if (!m) {
		log_error("actor describe: unknown actor '%s' (see leapp actor list)", name);
		return EXIT_USAGE;
	}
	json_t *cons = json_array(), *prod = json_array(), *tags = json_array(), *cfg = json_object();
	for (size_t i = 0; i < m->n_consumes; i++)
		json_array_append_new(cons, model_json(model_registry_find(c->models, m->consumes[i])));
	for (size_t i = 0; i < m->n_produces; i++)
		json_array_append_new(prod, model_json(model_registry_find(c->models, m->produces[i])));
	for (size_t i = 0; i < m->n_tags; i++)
		json_array_append_new(tags, json_string(m->tags[i]));
	for (size_t i = 0; i < m->n_config_fields; i++)
		json_object_set_new(cfg, m->config_fields[i].name, spec_json(&m->config_fields[i].spec));
	json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:b, s:s?, s:b, s:o, s:o, s:o, s:{s:s?, s:o}, "
			      "s:{s:b, s:b, s:b, s:s}}",
			      "name", m->name, "description", m->description, "phase", m->phase, "stage", stage_name(m->stage),
			      "manifest", m->file, "exec", m->exec, "timeout", m->timeout, "experimental", m->experimental,
			      "feature", m->feature, "side_effects", m->side_effects, "tags", tags, "consumes", cons, "produces",
			      prod, "config", "section", m->config_section, "fields", cfg, "sandbox", "network",
			      m->sandbox.network, "mounts", m->sandbox.mounts, "boot", m->sandbox.boot, "devices",
			      m->sandbox.devices == SANDBOX_DEVICES_RO ? "ro" : m->sandbox.devices == SANDBOX_DEVICES_RW ? "rw" : "none");
	char *s = json_dumps(d, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s);
	free(s);
	json_decref(d);
	return EXIT_OK;
}

/* Apply the input's "config" over the actor's configuration, checked against its schema. */
static int apply_config(struct leapp_ctx *c, struct manifest *m, const char *file, json_t *cfg)
{
	if (!json_is_object(cfg)) {
		log_error("actor run: %s: $.config: expected an object (the actor's configuration keys)", file);
		return EXIT_USAGE;
	}
	if (json_object_size(cfg) && !m->config_section) {
		log_error("actor run: %s: $.config: actor %s has no configuration", file, m->name);
		return EXIT_USAGE;
	}
	if (!m->config_section)
		return 0;
	json_t *sect = json_object_get(c->actor_config, m->config_section);
	if (!sect) {
		sect = json_object();
		json_object_set_new(c->actor_config, m->config_section, sect);
	}
	const char *key;
	json_t *v;
	json_object_foreach(cfg, key, v) {
		const struct model_field *fd = NULL;
		for (size_t i = 0; i < m->n_config_fields && !fd; i++)
			if (!strcmp(m->config_fields[i].name, key))
				fd = &m->config_fields[i];
		if (!fd) {
			log_error("actor run: %s: $.config.%s: actor %s has no configuration key '%s'", file, key, m->name, key);
			return EXIT_USAGE;
		}
		char err[512];
		json_t *checked = NULL;
		if (ftypespec_check_json(&fd->spec, v, &checked, err, sizeof(err)) < 0) {
			log_error("actor run: %s: $.config.%s: %s", file, key, err);
			return EXIT_USAGE;
		}
		json_object_set_new(sect, key, checked);
	}
	return 0;
}

/* Check the input file against the models the actor consumes; errors name file and position. */
static int check_input(struct leapp_ctx *c, struct manifest *m, const char *file, json_t *in, json_t **ret)
{
	json_t *msgs = in;
	const char *where = "";
	if (json_is_object(in)) {
		const char *key;
		json_t *v;
		json_object_foreach(in, key, v) {
			if (!strcmp(key, "messages") || !strcmp(key, "workflow"))
				continue;
			if (!strcmp(key, "config")) {
				int r = apply_config(c, m, file, v);
				if (r)
					return r;
				continue;
			}
			log_error("actor run: %s: $.%s: unknown key (expected messages, config or workflow)", file, key);
			return EXIT_USAGE;
		}
		json_t *wf = json_object_get(in, "workflow");
		if (wf) {
			/* check it as the model that carries the workflow configuration */
			const struct model *md = model_registry_workflow_config(c->models);
			char err[512];
			if (!json_is_object(wf) || (md && model_pack_json(md, wf, NULL, err, sizeof(err)) < 0)) {
				log_error("actor run: %s: $.workflow: %s: %s", file, md ? md->name : "workflow",
					  json_is_object(wf) ? err : "expected an object");
				return EXIT_USAGE;
			}
			json_decref(c->workflow_override);
			c->workflow_override = json_incref(wf);
		}
		msgs = json_object_get(in, "messages");
		where = ".messages";
		if (!msgs) {
			*ret = json_array();
			return 0;
		}
	}
	if (!json_is_array(msgs)) {
		log_error("actor run: %s: $%s: expected a list of messages ({\"messages\": [{\"model\": M, \"data\": {...}}]})",
			  file, where);
		return EXIT_USAGE;
	}
	size_t i;
	json_t *msg;
	json_array_foreach(msgs, i, msg) {
		const char *model = json_string_value(json_object_get(msg, "model"));
		json_t *data = json_object_get(msg, "data");
		if (!json_is_object(msg) || !model || !json_is_object(data)) {
			log_error("actor run: %s: $%s[%zu]: a message needs \"model\" (a string) and \"data\" (an object)", file,
				  where, i);
			return EXIT_USAGE;
		}
		const struct model *md = model_registry_find(c->models, model);
		if (!md) {
			log_error("actor run: %s: $%s[%zu].model: unknown model '%s'", file, where, i, model);
			return EXIT_USAGE;
		}
		if (!manifest_consumes(m, model)) {
			log_error("actor run: %s: $%s[%zu].model: actor %s does not consume %s", file, where, i, m->name, model);
			return EXIT_USAGE;
		}
		char err[512];
		if (model_pack_json(md, data, NULL, err, sizeof(err)) < 0) {
			log_error("actor run: %s: $%s[%zu].data: %s: %s", file, where, i, model, err);
			return EXIT_USAGE;
		}
	}
	*ret = json_incref(msgs);
	return 0;
}

static int read_input(struct leapp_ctx *c, struct manifest *m, const char *file, json_t **ret)
{
	json_error_t je;
	json_t *in = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
	if (!in) {
		if (je.line < 1)
			log_error("actor run: %s: %s", file, je.text);
		else
			log_error("actor run: %s:%d:%d: %s", file, je.line, je.column, je.text);
		return EXIT_USAGE;
	}
	int r = check_input(c, m, file, in, ret);
	json_decref(in);
	return r;
}

/*
 * Of the messages of the last run, keep those the actor got then: produced before its
 * phase and stage, or in them by another actor (which ran first, in dependency order); not
 * its own output, nor what later phases produced. Takes msgs.
 */
static json_t *last_run_input(struct leapp_ctx *c, struct manifest *m, json_t *msgs)
{
	const struct phase_def *ph = workflow_phase(&c->wf, m->phase);
	json_t *out = json_array();
	size_t i;
	json_t *msg;
	json_array_foreach(msgs, i, msg) {
		const char *producer = json_string_value(json_object_get(msg, "producer"));
		struct manifest *pm = producer ? actor_set_find(&c->actors, producer) : NULL;
		const struct phase_def *pph = pm ? workflow_phase(&c->wf, pm->phase) : NULL;
		bool keep = true;
		if (pm == m)
			keep = false;
		else if (pph && ph)
			keep = pph->index < ph->index || (pph->index == ph->index && pm->stage <= m->stage);
		if (keep)
			json_array_append(out, msg);
	}
	json_decref(msgs);
	return out;
}

static int actor_run(struct leapp_ctx *c, const char *name, const struct cli_args *a)
{
	struct manifest *m = actor_set_find(&c->actors, name);
	if (!m) {
		log_error("actor run: unknown actor '%s' (see leapp actor list)", name);
		return EXIT_USAGE;
	}
	json_t *msgs = NULL;
	int r;
	if (a->input && (r = read_input(c, m, a->input, &msgs)))
		return r;
	if (ctx_open_store(c, true) < 0) {
		json_decref(msgs);
		return EXIT_ERROR;
	}
	if (a->from_last_run) {
		struct execution last;
		if (last_workflow_execution(c->store, &last) < 0) {
			log_error("actor run: --from-last-run: no preupgrade or upgrade run is recorded in %s",
				  store_path(c->store));
			return EXIT_ERROR;
		}
		json_t *all = NULL;
		if ((r = store_messages_json(c->store, last.id, m->consumes, m->n_consumes, &all)) < 0) {
			log_error("actor run: --from-last-run: cannot read the messages: %s", store_errmsg(c->store));
			execution_clear(&last);
			json_decref(msgs);
			return EXIT_ERROR;
		}
		msgs = last_run_input(c, m, all);
		output_diag(c->out, "info", "actor run: %zu message(s) from run %s (%s)", json_array_size(msgs), last.uuid,
			    last.kind);
		execution_clear(&last);
	}
	if (!msgs)
		msgs = json_array();
	json_t *out = NULL;
	r = engine_run_single(c, m, msgs, &out);
	json_decref(msgs);
	if (out) {
		char *s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		fflush(stdout);
		free(s);
	}
	if (!a->save_output && r != -EIO) {
		struct execution ex;
		int w = store_execution_last(c->store, "actor-run", &ex);
		if (w == 0) {
			w = store_execution_delete(c->store, ex.id);
			execution_clear(&ex);
		}
		if (w == 0 || w == -ENOENT)
			w = store_flush(c->store, true);
		if (w < 0) {
			log_error("actor run: cannot remove the run from the audit store: %s", store_errmsg(c->store));
			r = w;
		}
	} else if (out) {
		output_diag(c->out, "info", "actor run: the run is kept in %s (see leapp list-runs)", store_path(c->store));
	}
	json_decref(out);
	return r < 0 ? EXIT_ERROR : EXIT_OK;
}

int cmd_actor(int argc, char **argv, struct leapp_ctx *c)
{
	if (argc < 2) {
		fputs(usage_actor, stderr);
		return EXIT_USAGE;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		fputs(usage_actor, stdout);
		return EXIT_OK;
	}
	const struct cli_cmd *cmd = !strcmp(sub, "list")       ? &cmd_list
				    : !strcmp(sub, "describe") ? &cmd_describe
				    : !strcmp(sub, "run")      ? &cmd_run
							       : NULL;
	if (!cmd) {
		fprintf(stderr, "leapp actor: unknown subcommand '%s' (list, describe or run; see leapp actor --help)\n", sub);
		return EXIT_USAGE;
	}
	struct cli_args a = {0};
	int oi, r = parse_options(argc - 1, argv + 1, cmd, c, &a, &oi);
	if (r) {
		cli_args_clear(&a);
		return r == 1 ? EXIT_OK : r;
	}
	/* argv + 1 was parsed: positional arguments are argv[1 + oi ..] */
	int nargs = argc - 1 - oi;
	char **args = argv + 1 + oi;
	cli_setup_output(c, true); /* stdout is for the JSON */
	if (cmd == &cmd_list) {
		if (!(r = no_more_arguments(cmd, argc - 1, argv + 1, oi)) && !(r = load(c, cmd)))
			r = actor_list(c, a.json);
	} else if (nargs < 1) {
		fprintf(stderr, "leapp %s: which actor? (leapp %s NAME; see leapp actor list)\n", cmd->name, cmd->name);
		r = EXIT_USAGE;
	} else if (!(r = no_more_arguments(cmd, argc - 1, argv + 1, oi + 1)) && !(r = load(c, cmd))) {
		r = cmd == &cmd_describe ? actor_describe(c, args[0]) : actor_run(c, args[0], &a);
	}
	cli_args_clear(&a);
	return r;
}
