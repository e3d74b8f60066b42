/* leapp actor list | describe NAME | run NAME: single actors, for admins and actor authors. */
#include <getopt.h>

#include "cli.h"
#include "output.h"

static const char usage_actor[] =
	"usage: leapp actor list [--root DIR] [--json]\n"
	"       leapp actor describe NAME [--root DIR]\n"
	"       leapp actor run NAME [--input FILE.json | --from-last-run] [--save-output] [--root DIR] [--debug]\n\n"
	"list      every actor: name, phase, stage, description\n"
	"describe  an actor's manifest and the models it consumes and produces\n"
	"run       run one actor (sandboxed as in its phase) and print what it produced as JSON:\n"
	"          {\"actor\", \"status\", \"messages\": [{model, data}], \"reports\", \"logs\", \"dialogs\",\n"
	"           \"commands\", \"errors\"}\n"
	"          input: FILE.json holds {\"messages\": [{\"model\": M, \"data\": {...}}]} (or a bare list);\n"
	"          --from-last-run takes the messages of the last preupgrade/upgrade run.\n"
	"          --save-output keeps the run in the audit store (otherwise it is discarded).\n"
	"exit codes: 0 the actor succeeded, 1 it failed, 2 usage or bad input\n";

static int load(struct leapp_ctx *c)
{
	if (ctx_init(c, "leapp") < 0)
		return EXIT_USAGE;
	if (ctx_load(c) < 0)
		return EXIT_ERROR;
	return 0;
}

static int actor_list(struct leapp_ctx *c, bool as_json)
{
	json_t *a = json_array();
	if (!as_json)
		printf("%-40s %-34s %-6s %s\n", "NAME", "PHASE", "STAGE", "DESCRIPTION");
	for (size_t p = 0; p < c->wf.n; p++)
		for (size_t i = 0; i < c->actors.n; i++) {
			struct manifest *m = c->actors.v[i];
			if (strcmp(m->phase, c->wf.phases[p].name))
				continue;
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
		fprintf(stderr, "leapp actor describe: unknown actor '%s' (see leapp actor list)\n", name);
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
			      "s:{s:b, s:b, s:b}}",
			      "name", m->name, "description", m->description, "phase", m->phase, "stage", stage_name(m->stage),
			      "manifest", m->file, "exec", m->exec, "timeout", m->timeout, "experimental", m->experimental,
			      "feature", m->feature, "side_effects", m->side_effects, "tags", tags, "consumes", cons, "produces",
			      prod, "config", "section", m->config_section, "fields", cfg, "sandbox", "network",
			      m->sandbox.network, "mounts", m->sandbox.mounts, "boot", m->sandbox.boot);
	char *s = json_dumps(d, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s);
	free(s);
	json_decref(d);
	return EXIT_OK;
}

/* Check input messages against the models the actor consumes; errors name file and position. */
static int check_input(struct leapp_ctx *c, struct manifest *m, const char *file, json_t *in, json_t **ret)
{
	json_t *msgs = json_is_array(in) ? in : json_object_get(in, "messages");
	const char *where = json_is_array(in) ? "" : ".messages";
	if (!json_is_array(msgs)) {
		fprintf(stderr, "leapp actor run: %s: expected {\"messages\": [...]} or a list of messages\n", file);
		return EXIT_USAGE;
	}
	size_t i;
	json_t *msg;
	json_array_foreach(msgs, i, msg) {
		const char *model = json_string_value(json_object_get(msg, "model"));
		json_t *data = json_object_get(msg, "data");
		if (!model || !json_is_object(data)) {
			fprintf(stderr, "leapp actor run: %s: $%s[%zu]: a message needs \"model\" (string) and \"data\" (object)\n",
				file, where, i);
			return EXIT_USAGE;
		}
		const struct model *md = model_registry_find(c->models, model);
		if (!md) {
			fprintf(stderr, "leapp actor run: %s: $%s[%zu]: unknown model '%s'\n", file, where, i, model);
			return EXIT_USAGE;
		}
		if (!manifest_consumes(m, model)) {
			fprintf(stderr, "leapp actor run: %s: $%s[%zu]: actor %s does not consume %s\n", file, where, i, m->name,
				model);
			return EXIT_USAGE;
		}
		char err[512];
		if (model_pack_json(md, data, NULL, err, sizeof(err)) < 0) {
			fprintf(stderr, "leapp actor run: %s: $%s[%zu].data: %s: %s\n", file, where, i, model, err);
			return EXIT_USAGE;
		}
	}
	*ret = json_incref(msgs);
	return 0;
}

static int actor_run(struct leapp_ctx *c, const char *name, const char *input, bool from_last, bool save)
{
	struct manifest *m = actor_set_find(&c->actors, name);
	if (!m) {
		fprintf(stderr, "leapp actor run: unknown actor '%s' (see leapp actor list)\n", name);
		return EXIT_USAGE;
	}
	json_t *msgs = NULL;
	if (input) {
		json_error_t je;
		json_t *in = json_load_file(input, 0, &je);
		if (!in) {
			fprintf(stderr, "leapp actor run: %s:%d:%d: %s\n", input, je.line, je.column, je.text);
			return EXIT_USAGE;
		}
		int r = check_input(c, m, input, in, &msgs);
		json_decref(in);
		if (r)
			return r;
	}
	if (ctx_open_store(c, true) < 0)
		return EXIT_ERROR;
	if (from_last) {
		struct execution last;
		int r = store_execution_last(c->store, "upgrade", &last);
		struct execution pre;
		if (store_execution_last(c->store, "preupgrade", &pre) == 0) {
			if (r < 0 || pre.id > last.id) {
				if (r == 0)
					execution_clear(&last);
				last = pre;
				r = 0;
			} else
				execution_clear(&pre);
		}
		if (r < 0) {
			fprintf(stderr, "leapp actor run: --from-last-run: no preupgrade or upgrade run is recorded in %s\n",
				store_path(c->store));
			return EXIT_USAGE;
		}
		msgs = store_messages_json(c->store, last.id, m->consumes, m->n_consumes);
		execution_clear(&last);
	}
	if (!msgs)
		msgs = json_array();
	json_t *out = NULL;
	int r = engine_run_single(c, m, msgs, &out);
	json_decref(msgs);
	if (out) {
		char *s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
	}
	if (!save) {
		struct execution ex;
		if (store_execution_last(c->store, "actor-run", &ex) == 0) {
			store_execution_delete(c->store, ex.id);
			execution_clear(&ex);
		}
		store_flush(c->store, true);
	}
	json_decref(out);
	return r < 0 ? EXIT_ERROR : EXIT_OK;
}

int cmd_actor(int argc, char **argv, struct leapp_ctx *c)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_actor, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	const char *sub = argv[1];
	/* sub-options: --input, --from-last-run, --save-output, --json, plus the common ones */
	const char *input = NULL;
	bool from_last = false, save = false, as_json = false;
	const char *name = NULL;
	char **rest = xcalloc((size_t)argc + 1, sizeof(char *));
	int nrest = 0;
	rest[nrest++] = argv[0];
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--input")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "leapp actor: --input needs a file\n");
				free(rest);
				return EXIT_USAGE;
			}
			input = argv[++i];
		} else if (!strcmp(argv[i], "--from-last-run"))
			from_last = true;
		else if (!strcmp(argv[i], "--save-output"))
			save = true;
		else if (!strcmp(argv[i], "--json"))
			as_json = true;
		else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else
			rest[nrest++] = argv[i];
	}
	int oi, r = parse_options(nrest, rest, OPT_ROOT | OPT_VERBOSE | OPT_JSON | OPT_NOGPGCHECK | OPT_EXPERIMENTAL | OPT_NO_SANDBOX,
				  c, usage_actor, &oi);
	free(rest);
	if (r)
		return r == 1 ? EXIT_OK : r;
	output_free(output_global);
	c->out = output_global = output_new(false, c->opt.verbose, c->opt.debug);
	if (!strcmp(sub, "list")) {
		if (name) {
			fprintf(stderr, "leapp actor list: unexpected argument '%s'\n", name);
			return EXIT_USAGE;
		}
		if ((r = load(c)))
			return r;
		return actor_list(c, as_json);
	}
	if (!strcmp(sub, "describe") || !strcmp(sub, "run")) {
		if (!name) {
			fprintf(stderr, "leapp actor %s: which actor? (leapp actor %s NAME)\n", sub, sub);
			return EXIT_USAGE;
		}
		if (input && from_last) {
			fprintf(stderr, "leapp actor run: --input and --from-last-run exclude each other\n");
			return EXIT_USAGE;
		}
		if ((r = load(c)))
			return r;
		return !strcmp(sub, "describe") ? actor_describe(c, name) : actor_run(c, name, input, from_last, save);
	}
	fprintf(stderr, "leapp actor: unknown subcommand '%s' (list, describe or run)\n", sub);
	return EXIT_USAGE;
}
