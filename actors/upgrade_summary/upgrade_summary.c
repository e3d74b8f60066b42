/* FirstBoot: the last word of the report, on the first boot of the upgraded system: the release
 * it runs now (from its os-release, checked against the target), what the planned transaction
 * changed and what the RPM upgrade did (resumed or not), the kernel it boots by default, the
 * services changed, the packages of the old release still installed. A system that does not
 * report the target release gets a high-severity entry instead. */
#include "sys.h"
#include "leapp/actor.h"

static json_int_t count(json_t *plan, const char *action)
{
	return json_integer_value(json_object_get(json_object_get(plan, "counts"), action));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ipu = ipu_config_get();
	json_t *plan = actor_consume_last("PlannedTransaction");
	json_t *rpm = actor_consume_last("RPMUpgradeResult");
	json_t *left = actor_consume_last("LeftoverPackages");
	json_t *svc = actor_consume_last("SystemdServicesResult");
	json_t *kb = actor_consume_last("TargetKernelBoot");
	const char *target = ipu_str(ipu, "target_version") ?: "?";
	const char *distro = ipu_str(ipu, "target_distro") ?: "";

	json_t *osr = NULL;
	_cleanup_free_ char *err = NULL;
	const char *now_version = NULL, *now_name = NULL;
	if (os_release_load(actor_root(), &osr, &err) == 0) {
		now_version = json_string_value(json_object_get(osr, "VERSION_ID"));
		now_name = json_string_value(json_object_get(osr, "PRETTY_NAME")) ?: json_string_value(json_object_get(osr, "NAME"));
	}
	if (!now_version || strcmp(now_version, target)) {
		_cleanup_free_ char *summary = xasprintf(
			"The upgrade was to %s %s, but the system reports VERSION_ID=%s in /etc/os-release: the release "
			"package was not upgraded, or something replaced its files.",
			distro, target, now_version ? now_version : "(none)");
		json_t *e = report_new("The upgraded system does not report the target release", summary, "high");
		report_add_group(e, "upgrade process");
		report_add_hint(e, "Check rpm -q --whatprovides system-release and /etc/os-release.");
		actor_report(e);
	}

	struct buf b = {0};
	buf_printf(&b, "The system now runs %s (from %s %s).", now_name ? now_name : target, ipu_str(ipu, "source_distro") ?: "",
		   ipu_str(ipu, "source_version") ?: "?");
	if (plan)
		buf_printf(&b,
			   "\nPackages: %lld upgraded, %lld installed, %lld downgraded, %lld removed, %lld obsoleted, %lld kept "
			   "as they were (/var/log/leapp/transaction.json).",
			   (long long)count(plan, "upgrade"), (long long)count(plan, "install"), (long long)count(plan, "downgrade"),
			   (long long)count(plan, "remove"), (long long)count(plan, "obsolete"), (long long)count(plan, "keep"));
	if (rpm) {
		buf_printf(&b, "\nThe RPM transaction: %lld elements installed, %lld erased, in %.1f s.",
			   (long long)json_integer_value(json_object_get(rpm, "installs")),
			   (long long)json_integer_value(json_object_get(rpm, "erasures")),
			   json_real_value(json_object_get(rpm, "transaction_seconds")));
		if (json_is_true(json_object_get(rpm, "resumed")))
			buf_printf(&b, " It was interrupted and resumed: solved again from the rpmdb, %zu package(s) left "
				       "twice by the interruption were erased.",
				   json_array_size(json_object_get(rpm, "duplicates")));
		if (json_array_size(json_object_get(rpm, "keys_imported")))
			buf_printf(&b, " Keys imported: %zu.", json_array_size(json_object_get(rpm, "keys_imported")));
		if (json_array_size(json_object_get(rpm, "script_failures")))
			buf_printf(&b, " Scriptlets that failed: %zu (see the RPM upgrade's report entry).",
				   json_array_size(json_object_get(rpm, "script_failures")));
	}
	if (kb)
		buf_printf(&b, "\nDefault kernel: %s (%s, %s).", json_string_value(json_object_get(kb, "kver")) ?: "?",
			   json_string_value(json_object_get(kb, "kernel")) ?: "?",
			   json_string_value(json_object_get(kb, "initramfs")) ?: "?");
	if (svc && (json_array_size(json_object_get(svc, "enabled")) || json_array_size(json_object_get(svc, "disabled"))))
		buf_printf(&b, "\nServices: %zu enabled, %zu disabled, %zu enablement links of removed units dropped.",
			   json_array_size(json_object_get(svc, "enabled")), json_array_size(json_object_get(svc, "disabled")),
			   json_array_size(json_object_get(svc, "removed_broken")));
	if (left) {
		size_t n = json_array_size(json_object_get(left, "items")), k = json_array_size(json_object_get(left, "installonly"));
		buf_printf(&b, "\nPackages of the old release still installed: %zu", n);
		if (k)
			buf_printf(&b, ", besides the old kernel's %zu, kept on purpose", k);
		buf_printf(&b, ".");
	}
	buf_append(&b, "", 1);
	json_t *e = report_new("The upgrade is complete", b.data, "info");
	report_add_group(e, "upgrade process");
	report_add_hint(e, "Review this report, reboot once more if the SELinux relabel asked for it, and remove the "
			   "packages of the old release that are left when you no longer need them.");
	actor_report(e);
	actor_info("%s", b.data);
	buf_free(&b);
	json_decref(osr);
	json_decref(ipu);
	json_decref(plan);
	json_decref(rpm);
	json_decref(left);
	json_decref(svc);
	json_decref(kb);
	return actor_finish();
}
