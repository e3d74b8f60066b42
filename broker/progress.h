/* Progress of long actor steps: a bar on a terminal, events with --json-progress, else nothing. */
#ifndef BROKER_PROGRESS_H
#define BROKER_PROGRESS_H

#include <stdint.h>

#include "output.h"

/* Show progress reported by an actor (bytes or items done of total; total 0: unknown). */
void progress_show(struct output *o, const char *actor, const char *what, int64_t done, int64_t total);
/* End a bar line on the terminal before other output is printed. */
void progress_clear(void);

#endif
