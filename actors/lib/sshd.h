/* sshd_config: parsing (keywords, Match blocks, Include) and adding a directive in place. */
#ifndef ACTORS_SSHD_H
#define ACTORS_SSHD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct sshd_directive {
	char *keyword;   /* lowercased */
	char *value;     /* the rest of the line, quotes removed */
	char *file;      /* as shown: /etc/ssh/sshd_config */
	int line;
	bool in_match;   /* inside a Match block (other than "Match all") */
};

struct sshd_config {
	struct sshd_directive *v;
	size_t n;
	char **includes; /* files read through Include, as shown */
	size_t n_includes;
};

/*
 * Parse the sshd_config at root + path, following Include (globs; relative patterns are
 * under /etc/ssh, as sshd resolves them; at most 16 levels). Returns 0, -ENOENT when the
 * main file is absent, or another -errno.
 */
int sshd_config_load(const char *root, const char *path, struct sshd_config *ret);
/* Parse text only (no Include following); shown names the file. */
int sshd_config_parse(const char *shown, const char *data, size_t len, struct sshd_config *ret);
void sshd_config_clear(struct sshd_config *c);

/* The directive sshd uses for keyword (the first one outside Match blocks), or NULL. */
const struct sshd_directive *sshd_config_effective(const struct sshd_config *c, const char *keyword);

json_t *sshd_directive_to_json(const struct sshd_directive *d);

/*
 * Add "Keyword value" to the text of an sshd_config so that it takes effect globally:
 * right after a commented-out "#Keyword ..." line that comes before any Match block (where
 * the distribution's file documents the default), else before the first Match line, else
 * at the end. comment (may be NULL) is added as a "# ..." line above it. Everything else is
 * kept byte for byte. Returns the new text (malloc'd).
 */
char *sshd_config_add_directive(const char *data, size_t len, const char *keyword, const char *value, const char *comment);

/*
 * The rule the check and the Applications actor share: from release 9 on, sshd's default for
 * PermitRootLogin is prohibit-password (8's configuration allowed root password logins), so
 * an 8 -> 9+ upgrade writes an explicit "PermitRootLogin yes" when the configuration does
 * not set PermitRootLogin outside Match blocks. facts: an SshdConfig message.
 */
bool sshd_permit_root_login_needed(json_t *facts, int source_major, int target_major);

#endif
