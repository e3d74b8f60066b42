/* leapp's answerfile: INI sections per dialog scope; questions written with explanations. */
#ifndef BROKER_ANSWERFILE_H
#define BROKER_ANSWERFILE_H

#include <jansson.h>

/* Read an answerfile (missing file: empty). Returns {scope: {key: "raw value"}}; errors name
 * file:line. Commented-out lines are not answers. */
int answerfile_load(const char *path, json_t **ret, char **ret_err);
/* Merge: values of b override a (both {scope: {key: value}}). */
void answers_merge(json_t *a, json_t *b);
/* Write the answerfile for the dialogs seen: each question with comments, the answer when
 * known, else a commented template line. */
int answerfile_write(const char *path, json_t *dialogs, json_t *answers);
/* Write {scope: {key: value}} as plain INI (answerfile.userchoices). */
int answers_write(const char *path, json_t *answers);
/* Unanswered required components: [{scope, key, label, command}] where command is the exact
 * `leapp answer --section scope.key=VALUE` line. */
json_t *dialogs_unanswered(json_t *dialogs, json_t *answers);

#endif
