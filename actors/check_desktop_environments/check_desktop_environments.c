/* Checks: desktop environments (upstream check_kde_gnome, written for 7 -> 8, where KDE left
 * the distribution). The target release has no KDE Plasma: with KDE alone, the upgraded system
 * would have no working desktop (inhibit); with GNOME as well, KDE stays behind, built for
 * release 8 (a warning; upstream removed it, hence titles of our own).
 * GNOME itself moves to a new major version (3.x -> 40), whose extensions and layout differ:
 * a notice. */
#include "sys.h"
#include "leapp/actor.h"

static const char *const kde_desktop[] = {"plasma-workspace", "plasma-desktop", "kde-workspace", "kdebase-workspace"};
static const char *const kde_apps[] = {"okular", "ark", "dolphin", "gwenview", "kate", "kwrite", "konsole", "kcalc",
				       "kmail", "kolourpaint", "krdc", "krfb", "kdenlive", "k3b", "spectacle", "kget",
				       "kaddressbook", "korganizer", "kontact", "konqueror"};

static const char *installed_any(json_t *rpms, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fact_installed_rpm_has(rpms, names[i]))
			return names[i];
	return NULL;
}

static void report_kde(json_t *rpms, bool gnome, int target)
{
	const char *kde = installed_any(rpms, kde_desktop, ELEMENTSOF(kde_desktop));
	struct buf apps = {0};
	for (size_t i = 0; i < ELEMENTSOF(kde_apps); i++)
		if (fact_installed_rpm_has(rpms, kde_apps[i]))
			buf_printf(&apps, "\n- %s", kde_apps[i]);
	buf_append(&apps, "", 0);
	if (!gnome) {
		_cleanup_free_ char *summary = xasprintf(
			"The KDE Plasma desktop (%s) is installed and no other desktop is. Release %d has no KDE, so after the "
			"upgrade the system would have no graphical desktop, and the KDE applications would not work.%s%s",
			kde, target, apps.len > 1 ? " KDE applications installed:" : "", apps.data);
		json_t *e = report_new("The installed KDE environment is unavailable on the target release.", summary, "high");
		report_add_group(e, "desktop");
		report_add_group(e, "inhibitor");
		report_add_hint(e, "Remove KDE (at least the plasma-workspace package), or install the GNOME desktop "
				   "environment to upgrade to it:");
		static const char *const cmd[] = {"dnf", "-y", "groupinstall", "Server with GUI", NULL};
		report_add_command(e, cmd);
		report_add_resource(e, "package", kde);
		actor_report(e);
	} else {
		_cleanup_free_ char *summary = xasprintf(
			"Both KDE Plasma (%s) and GNOME are installed. Release %d has no KDE: after the upgrade GNOME is the "
			"desktop, and the KDE packages are left from release 8, unsupported.%s%s",
			kde, target, apps.len > 1 ? " KDE applications installed:" : "", apps.data);
		json_t *e = report_new("Upgrade can be performed, but KDE will not work on the target release.", summary, "medium");
		report_add_group(e, "desktop");
		report_add_hint(e, "Remove the KDE packages after the upgrade, and use GNOME or the applications' release 9 "
				   "equivalents.");
		actor_report(e);
	}
	buf_free(&apps);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *rpms = actor_consume_last("InstalledRPM");
	json_t *ipu = ipu_config_get();
	int target = ipu_target_major(ipu);
	bool gnome = fact_installed_rpm_has(rpms, "gnome-shell");
	if (ipu_source_major(ipu) == 8 && target >= 9) {
		if (installed_any(rpms, kde_desktop, ELEMENTSOF(kde_desktop)))
			report_kde(rpms, gnome, target);
		if (gnome) {
			_cleanup_free_ char *summary = xasprintf(
				"GNOME is upgraded from release 8's GNOME 3 to release %d's GNOME 40: the desktop's layout changes "
				"(activities overview, horizontal workspaces), and GNOME Shell extensions written for GNOME 3 "
				"stay disabled until versions for GNOME 40 are installed.",
				target);
			json_t *e = report_new("GNOME desktop environment will be upgraded to a new major version", summary, "info");
			report_add_group(e, "desktop");
			report_add_resource(e, "package", "gnome-shell");
			actor_report(e);
		}
	}
	json_decref(rpms);
	json_decref(ipu);
	return actor_finish();
}
