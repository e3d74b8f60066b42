/* Private hooks of the actor runtime, for the leapp-msg helper command. */
#ifndef LEAPP_ACTOR_INTERNAL_H
#define LEAPP_ACTOR_INTERNAL_H

#include <jansson.h>

/* Attach to an already-started session (hello read by an earlier process): fd 3 is still the
 * broker socket, input is already buffered. sa_out is the standalone output so far (or NULL). */
void actor_attach(json_t *hello, json_t *sa_out);
/* The standalone output accumulated so far (borrowed), NULL under a broker. */
json_t *actor_standalone_output(void);
/* Write out the frames still buffered (each leapp-msg call is its own process). */
void actor_flush(void);
/* Read all remaining input and return it as a JSON array of {model, data}. */
json_t *actor_take_all_input(void);

#endif
