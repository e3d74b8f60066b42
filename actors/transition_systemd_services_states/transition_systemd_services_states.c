/* Finalization: every service keeps the state it had before the upgrade (upstream
 * transition_systemd_services_states), and services the target release brings get its
 * presets. The RPM transaction's scriptlets may have applied presets to packages they
 * installed afresh (a renamed or split package), enabling what the admin had disabled, or the
 * other way round. Rules, per service of the upgraded system that can be enabled:
 *   - on the source: its state there, except that a service disabled only because its preset
 *     said so follows the target's preset (the admin never chose);
 *   - new in the target: the target's preset (enable);
 *   - masked on the source: masked again if the mask is gone.
 * The changes go to set_systemd_services_states as SystemdServicesTasks. libvirt's services
 * are left alone, as upstream does (their socket activation changes in release 9). */
#include <limits.h>
#include <sys/stat.h>

#include "leapp/actor.h"
#include "sys.h"

static const char *const ignored[] = {
	"libvirtd.service",	 "virtqemud.service",	 "virtinterfaced.service", "virtnetworkd.service",
	"virtnodedevd.service",	 "virtnwfilterd.service", "virtsecretd.service",    "virtstoraged.service",
	"virtproxyd.service",	 "virtlockd.service",	 "virtlogd.service",	    "libvirt-guests.service",
};

static const char *field(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k)) ?: "";
}

static void list(struct buf *b, json_t *a)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		buf_printf(b, "\n    - %s", json_string_value(v));
	buf_append(b, "", 0);
}

/* Re-create the mask of a service masked on the source whose mask is gone. */
static bool remask(const char *name)
{
	_cleanup_free_ char *rel = xasprintf("/etc/systemd/system/%s", name), *p = actor_path(rel);
	struct stat st;
	if (lstat(p, &st) == 0) {
		actor_warning("%s was masked before the upgrade; %s is now a file of its own: left as it is", name, rel);
		return false;
	}
	if (symlink("/dev/null", p) < 0) {
		actor_warning("cannot mask %s again: %s", name, strerror(errno));
		return false;
	}
	return true;
}

static void decide(json_t *source, json_t *target, json_t *to_enable, json_t *to_disable, json_t *newly, json_t *remasked)
{
	size_t i;
	json_t *t;
	json_array_foreach(target, i, t) {
		const char *name = field(t, "name"), *state = field(t, "state");
		bool skip = false;
		for (size_t k = 0; k < ELEMENTSOF(ignored); k++)
			skip |= !strcmp(ignored[k], name);
		if (skip)
			continue;
		json_t *s = systemd_services_find(source, name);
		const char *src_state = s ? field(s, "state") : NULL;
		if (src_state && !strcmp(src_state, "masked")) {
			if (strcmp(state, "masked") && remask(name))
				json_array_append_new(remasked, json_string(name));
			continue;
		}
		if (strcmp(state, "enabled") && strcmp(state, "disabled"))
			continue; /* static or masked now: nothing to enable or disable */
		const char *want;
		if (!src_state)
			want = !strcmp(field(t, "preset"), "enable") ? "enabled" : NULL;
		else if (!strcmp(src_state, "disabled") && !strcmp(field(s, "preset"), "disable"))
			want = !strcmp(field(t, "preset"), "enable") ? "enabled" : "disabled";
		else if (!strcmp(src_state, "enabled") || !strcmp(src_state, "disabled"))
			want = src_state;
		else
			want = NULL;
		if (!want || !strcmp(want, state))
			continue;
		if (!strcmp(want, "enabled")) {
			json_array_append_new(to_enable, json_string(name));
			if (src_state && !strcmp(src_state, "disabled"))
				json_array_append_new(newly, json_string(name));
		} else
			json_array_append_new(to_disable, json_string(name));
	}
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *src = actor_consume_last("SystemdServicesInfoSource");
	if (!src) {
		actor_warning("no facts about the source system's services: their states are left as the upgrade made them");
		return actor_finish();
	}
	json_t *source = json_object_get(src, "service_files");
	json_t *target = systemd_services_scan(actor_root());
	json_t *to_enable = json_array(), *to_disable = json_array(), *newly = json_array(), *remasked = json_array();
	decide(source, target, to_enable, to_disable, newly, remasked);
	if (json_array_size(to_enable) || json_array_size(to_disable))
		actor_produce("SystemdServicesTasks",
			      json_pack("{s:O, s:O, s:s}", "to_enable", to_enable, "to_disable", to_disable, "reason",
					"services keep the state they had before the upgrade; new ones get the target's presets"));
	struct buf b = {0};
	list(&b, to_enable);
	_cleanup_free_ char *summary = xasprintf(
		"systemd services that were enabled before the upgrade are enabled after it, and the ones that were "
		"disabled or masked stay so.%s%s",
		json_array_size(to_enable) ? " These were not enabled after the package upgrade and are enabled again (or "
					     "enabled by the target's presets, for new services):" : "",
		json_array_size(to_enable) ? b.data : "");
	json_t *e = report_new("Previously enabled systemd services were kept enabled", summary, "info");
	report_add_group(e, "post");
	actor_report(e);
	buf_free(&b);
	if (json_array_size(newly)) {
		struct buf n = {0};
		list(&n, newly);
		_cleanup_free_ char *s2 = xasprintf("These services were disabled before the upgrade (as their preset said) "
						    "and are enabled by the target's presets:%s", n.data);
		json_t *e2 = report_new("Some systemd services were newly enabled", s2, "info");
		report_add_group(e2, "post");
		actor_report(e2);
		buf_free(&n);
	}
	if (json_array_size(to_disable) || json_array_size(remasked)) {
		struct buf d = {0};
		list(&d, to_disable);
		struct buf m = {0};
		list(&m, remasked);
		_cleanup_free_ char *s3 = xasprintf(
			"The package upgrade enabled or unmasked services that the admin had disabled or masked; they are "
			"disabled or masked again.%s%s%s%s",
			json_array_size(to_disable) ? "\nDisabled:" : "", json_array_size(to_disable) ? d.data : "",
			json_array_size(remasked) ? "\nMasked:" : "", json_array_size(remasked) ? m.data : "");
		json_t *e3 = report_new("Previously disabled systemd services were kept disabled", s3, "info");
		report_add_group(e3, "post");
		actor_report(e3);
		buf_free(&d);
		buf_free(&m);
	}
	json_decref(to_enable);
	json_decref(to_disable);
	json_decref(newly);
	json_decref(remasked);
	json_decref(target);
	json_decref(src);
	return actor_finish();
}
