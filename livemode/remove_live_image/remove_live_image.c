/* FirstBoot (live mode): the upgraded system no longer needs the live image; it goes (and a
 * half-written one of a failed attempt). Safe to run twice. */
#include "leapp/actor.h"
#include "livelib.h"

static void remove_one(const char *rel)
{
	_cleanup_free_ char *p = actor_path(rel);
	if (unlink(p) == 0)
		actor_info("removed the live image %s", rel);
	else if (errno != ENOENT)
		actor_error("cannot remove the live image", "%s: %s", rel, strerror(errno));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *art = actor_consume_last("LiveModeArtifacts");
	json_t *cfg = actor_consume_last("LiveModeConfig");
	const char *rel = json_string_value(json_object_get(art, "squashfs_path"));
	if (!rel)
		rel = json_string_value(json_object_get(cfg, "squashfs_image_path"));
	if (!rel) {
		actor_info("live mode was not used: no image to remove");
		return actor_finish();
	}
	_cleanup_free_ char *tmp = xasprintf("%s.tmp", rel);
	remove_one(rel);
	remove_one(tmp);
	json_decref(art);
	json_decref(cfg);
	return actor_finish();
}
