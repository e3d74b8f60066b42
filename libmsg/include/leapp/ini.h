/* A small INI parser with line numbers (dnf .repo files, the answerfile). */
#ifndef LEAPP_INI_H
#define LEAPP_INI_H

#include <stddef.h>

/*
 * Syntax as dnf and leapp's answerfile accept it: "[section]" headers, "key = value" or
 * "key: value" lines, '#' and ';' comment lines, and continuation lines (starting with
 * whitespace) that append "\n" + text to the previous value. Keys before any section get
 * section "". libinih cannot tell its handler the line number, which every error here must
 * name, hence this parser.
 *
 * The callback gets (section, key, value, line) for each complete value, and (section,
 * NULL, NULL, line) at each section header. A non-zero return stops parsing and is returned.
 */
typedef int (*ini_cb)(const char *section, const char *key, const char *value, int line, void *userdata);

/* Returns 0, the callback's non-zero value, or -EINVAL with *ret_line set to the bad line. */
int ini_parse(const char *data, size_t len, ini_cb cb, void *userdata, int *ret_line);

#endif
