/* The 8 to 9 changes of the multipath configuration. */
#ifndef STORAGE_MULTIPATH_H
#define STORAGE_MULTIPATH_H

#include <stdbool.h>

/* Does the configuration's defaults section set enable_foreign / allow_usb_devices? (ORed
 * into the flags, so that a whole configuration directory can be scanned.) */
bool multipath_conf_scan(const char *text, bool *ret_foreign, bool *ret_usb);
/* The configuration for release 9: "*" regexes made ".*", and (when asked) enable_foreign ""
 * and allow_usb_devices yes added to defaults (a defaults section added when there is none).
 * malloc'd; *ret_changed says whether anything changed. */
char *multipath_conf_patch(const char *text, bool add_foreign, bool add_usb, bool *ret_changed);

#endif
