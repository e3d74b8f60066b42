/* systemd service units of a tree under --root, read from files as systemctl would see them
 * offline: unit files, enablement links, masks, presets, broken links. */
#ifndef ACTORS_SYSTEMDUNITS_H
#define ACTORS_SYSTEMDUNITS_H

#include <jansson.h>

/*
 * Every *.service unit of the tree (templates excepted): /etc/systemd/system overrides
 * /usr/lib/systemd/system. Returns a new JSON array sorted by name of
 * {"name", "state", "preset"}: state is "masked" (/etc/systemd/system/NAME -> /dev/null),
 * "static" (no WantedBy=/RequiredBy=/Alias=/Also= in [Install]), "enabled" (a *.wants or
 * *.requires link in /etc/systemd/system names it) or "disabled"; preset is "enable" or
 * "disable" from the preset files (/etc/systemd/system-preset, /usr/lib/systemd/system-preset,
 * *.preset in file-name order, first match wins; no match: "disable", as the distributions'
 * 99-default-disable.preset says).
 */
json_t *systemd_services_scan(const char *root);

/* The symlinks under /etc/systemd/system (one level of *.wants / *.requires too) whose target
 * does not exist in the tree: a new JSON array of their paths, sorted. Masks are not broken. */
json_t *systemd_broken_symlinks(const char *root);

/* The entry of name in a systemd_services_scan() array, or NULL. */
json_t *systemd_services_find(json_t *services, const char *name);

#endif
