/* A test actor asking one question of each of leapp's dialog components (text, number,
 * bool, choice, multiple_choice); it reports the typed answers it got as JSON. */
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *d = json_pack(
		"{s:s, s:s, s:s, s:["
		"{s:s, s:s, s:s, s:s},"
		"{s:s, s:s, s:s, s:s},"
		"{s:s, s:s, s:s},"
		"{s:s, s:s, s:s, s:[s,s,s]},"
		"{s:s, s:s, s:s, s:[s,s,s]},"
		"{s:s, s:s, s:s, s:s}]}",
		"scope", "dialog_components", "title", "Every component", "reason", "tests", "components",
		"key", "name", "type", "text", "label", "Your name?", "description", "free text",
		"key", "count", "type", "number", "label", "How many?", "description", "an integer",
		"key", "ok", "type", "bool", "label", "OK?",
		"key", "colour", "type", "choice", "label", "Colour?", "choices", "red", "green", "blue",
		"key", "sizes", "type", "multiple_choice", "label", "Sizes?", "choices", "s", "m", "l",
		"key", "note", "type", "text", "label", "A note (has a default)", "default", "none");
	json_t *a = actor_dialog(d);
	char *s = json_dumps(a, JSON_SORT_KEYS | JSON_COMPACT);
	json_t *e = report_new("Dialog answers", s, "info");
	report_set_key(e, "dialog-answers");
	actor_report(e);
	free(s);
	json_decref(a);
	return actor_finish();
}
