/* PES (Package Evolution Service) events: reading pes-events.json and vendor files, and
 * turning the events into packages to install, remove and keep, the way leapp does. */
#ifndef ACTORS_PES_H
#define ACTORS_PES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum pes_action {
	PES_PRESENT = 0,
	PES_REMOVED = 1,
	PES_DEPRECATED = 2,
	PES_REPLACED = 3,
	PES_SPLIT = 4,
	PES_MERGED = 5,
	PES_MOVED = 6,
	PES_RENAMED = 7,
};

/* "present", "removed", ... for 0..7; "admin" for -1. */
const char *pes_action_name(int action);

/* A package of an event's in or out set. ms is "module:stream" or NULL (not modular). */
struct pes_pkg {
	char *name, *repo, *ms;
};

/* One event after expansion by its modulestream maps (so one PES entry may give several,
 * all with the same id). Releases are {major, minor}; {0, 0} when absent. */
struct pes_event {
	int id;
	int action;
	struct pes_pkg *in, *out;
	size_t n_in, n_out;
	int from[2], to[2];
	char **arches;
	size_t n_arches;
	bool vendor;          /* from vendors.d: applies to third-party packages too */
	char *file;           /* as shown in messages */
	size_t index;         /* position in the file's packageinfo list */
	char *description;    /* may be NULL */
};

struct pes_data {
	struct pes_event *ev;
	size_t n;
	char **files;
	size_t n_files;
	size_t n_entries;     /* packageinfo entries read, before expansion */
};

void pes_data_init(struct pes_data *d);
void pes_data_free(struct pes_data *d);

/*
 * Merge one parsed PES document (the format of pes-events-schema.json; vendor files too,
 * which write "module_stream" instead of "modulestreams" and omit modulestream_maps).
 * Returns 0 or -EINVAL with "FILE: $.packageinfo[N] (event ID): problem" in *ret_err, in
 * which case d is unchanged.
 */
int pes_merge_json(struct pes_data *d, json_t *doc, const char *shown, bool vendor, char **ret_err);

/* An installed package as PES sees it. */
struct pes_installed {
	const char *name;
	const char *repo;        /* source repoid, may be NULL */
	const char *ms;          /* "module:stream" when installed from a module stream, else NULL */
	bool third_party;        /* ThirdPartyRPM: only vendor events apply */
};

struct pes_input {
	const struct pes_installed *pkgs;
	size_t n_pkgs;
	int source[2], target[2];     /* releases: events with source < release <= target apply */
	const char *arch;
	/* the admin's /etc/leapp/transaction lists (names) */
	char **admin_install, **admin_remove, **admin_keep;
	size_t n_admin_install, n_admin_remove, n_admin_keep;
	/* pesids the repository maps define; an applicable event naming another is an error */
	bool (*known_pesid)(const char *pesid, void *userdata);
	void *userdata;
};

/* One thing to do, with why. event is 0 and action -1 for the admin's lists. */
struct pes_task {
	char *name;
	char *repo;          /* install: the target pesid; remove/keep: the source repo; may be NULL */
	char *ms;            /* target module stream of an install, or NULL */
	int event, action;
	char *reason;        /* "PES event 101 (split)", "admin to_install", ... */
	char *detail;        /* "ntp -> chrony, ntpstat (release 9.0)"; may be NULL */
};

struct pes_stream_map {
	char *source, *target;   /* "module:stream"; target NULL when the event demodularizes */
	int event;
};

struct pes_result {
	struct pes_task *install, *remove, *keep, *notes;
	size_t n_install, n_remove, n_keep, n_notes;
	char **modules_enable;   /* target streams the events lead to */
	size_t n_modules_enable;
	struct pes_stream_map *stream_maps;
	size_t n_stream_maps;
	char **target_pesids;    /* repositories the install and note tasks come from */
	size_t n_target_pesids;
	size_t n_relevant;       /* events for this arch and release window */
	size_t n_applied;        /* of those, events whose in-packages were installed */
	char **warnings;         /* e.g. admin to_remove of a package that is not installed */
	size_t n_warnings;
};

void pes_result_free(struct pes_result *r);

/*
 * Apply the events to the installed packages: releases in order, each release's events
 * against the state before that release (leapp's pes_events_scanner algorithm, including
 * PRESENT only for packages seen so far, MERGED when any in-package is installed, and the
 * demodularization of packages once the computation crosses into the target major). Then
 * add the admin's lists: to_keep wins over any removal. Returns 0, or -EINVAL with the
 * offending file and event in *ret_err (an applicable event naming an unknown repository).
 */
int pes_compute(const struct pes_data *d, const struct pes_input *in, struct pes_result *res, char **ret_err);

/* The tasks as JSON (PESTask model). */
json_t *pes_task_to_json(const struct pes_task *t);

/* Parse "8.10" into {8, 10}; -EINVAL on junk. */
int pes_parse_release(const char *s, int ret[2]);

#endif
