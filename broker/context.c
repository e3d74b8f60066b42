/* The run context: where things are (data, state, logs under --root), loading, locking. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "brokerfs.h"
#include "broker.h"
#include "output.h"

void options_clear(struct options *o)
{
	free(o->root);
	free(o->target);
	free(o->report_schema);
	for (size_t i = 0; i < o->n_enablerepo; i++)
		free(o->enablerepo[i]);
	free(o->enablerepo);
	for (size_t i = 0; i < o->n_whitelist; i++)
		free(o->whitelist[i]);
	free(o->whitelist);
	for (size_t i = 0; i < o->n_features; i++)
		free(o->features[i]);
	free(o->features);
	for (size_t i = 0; i < o->n_ignored; i++)
		free(o->ignored[i]);
	free(o->ignored);
	memset(o, 0, sizeof(*o));
}

static char *exe_dir(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = 0;
		char *slash = strrchr(buf, '/');
		if (slash)
			*slash = 0;
		return xstrdup(buf);
	}
	const char *slash = strrchr(argv0, '/');
	return slash ? xstrndup(argv0, (size_t)(slash - argv0)) : xstrdup(".");
}

int ctx_init(struct leapp_ctx *c, const char *argv0)
{
	c->lock_fd = -1;
	c->argv0_dir = exe_dir(argv0);
	const char *env = getenv("LEAPP_DATADIR");
	_cleanup_free_ char *local = path_join(c->argv0_dir, "share/leapp");
	_cleanup_free_ char *up = path_join(c->argv0_dir, "../share/leapp");
	if (env && *env)
		c->datadir = xstrdup(env);
	else if (path_is_dir(local))
		c->datadir = xstrdup(local);
	else if (path_is_dir(up))
		c->datadir = realpath(up, NULL);
	if (!c->datadir)
		c->datadir = xstrdup("/usr/share/leapp");
	const char *root = c->opt.root ? c->opt.root : "/";
	char *abs = realpath(root, NULL);
	if (!abs || !path_is_dir(abs)) {
		int e = abs ? ENOTDIR : errno;
		free(abs);
		log_error("--root %s: %s", root, e == ENOENT || e == ENOTDIR ? "not a directory" : strerror(e));
		return -ENOTDIR;
	}
	c->root = abs;
	c->statedir = path_join(c->root, "/var/lib/leapp");
	c->logdir = path_join(c->root, "/var/log/leapp");
	c->etcdir = path_join(c->root, "/etc/leapp");
	if (c->opt.jobs <= 0)
		c->opt.jobs = 1;
	if (c->opt.actor_timeout <= 0)
		c->opt.actor_timeout = 1800;
	return 0;
}

void ctx_clear(struct leapp_ctx *c)
{
	store_close(c->store);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	model_registry_free(c->models);
	actor_set_clear(&c->actors);
	workflow_def_clear(&c->wf);
	json_decref(c->actor_config);
	json_decref(c->config_warnings);
	json_decref(c->workflow_override);
	free(c->argv0_dir);
	free(c->datadir);
	free(c->root);
	free(c->statedir);
	free(c->logdir);
	free(c->etcdir);
	free(c->cmdline);
	options_clear(&c->opt);
	memset(c, 0, sizeof(*c));
	c->lock_fd = -1;
}

static int load_custom_models(struct leapp_ctx *c, char **err)
{
	_cleanup_free_ char *reposd = path_join(c->etcdir, "repos.d");
	DIR *d = opendir(reposd);
	if (!d)
		return 0;
	struct dirent *de;
	int r = 0;
	while (r == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *rd = path_join(reposd, de->d_name);
		_cleanup_free_ char *md = path_join(rd, "models");
		r = model_registry_load_dir(c->models, md, err);
	}
	closedir(d);
	return r;
}

int ctx_load(struct leapp_ctx *c)
{
	char *err = NULL;
	int r;
	c->models = model_registry_new();
	_cleanup_free_ char *mdir = path_join(c->datadir, "models");
	_cleanup_free_ char *wpath = path_join(c->datadir, "phases/inplace-upgrade.yaml");
	if ((r = model_registry_load_dir(c->models, mdir, &err)) < 0 || (r = load_custom_models(c, &err)) < 0 ||
	    (r = model_registry_resolve(c->models, &err)) < 0)
		goto fail;
	if ((r = workflow_def_load(&c->wf, wpath, &err)) < 0)
		goto fail;
	if ((r = actor_set_load(&c->actors, c, &err)) < 0 || (r = actor_set_check(&c->actors, c, &err)) < 0)
		goto fail;
	if ((r = actor_config_load(c, &err)) < 0)
		goto fail;
	size_t i;
	json_t *w;
	json_array_foreach(c->config_warnings, i, w)
		log_warning("%s", json_string_value(w));
	return 0;
fail:
	log_error("%s", err ? err : strerror(-r));
	free(err);
	return r;
}

int ctx_open_store(struct leapp_ctx *c, bool create)
{
	int r;
	if (create) {
		if ((r = mkdir_p(c->statedir, 0700)) < 0) {
			log_error("cannot create %s: %s", c->statedir, strerror(-r));
			return r;
		}
		chmod(c->statedir, 0700);
		if ((r = mkdir_p(c->logdir, 0755)) < 0) {
			log_error("cannot create %s: %s", c->logdir, strerror(-r));
			return r;
		}
	}
	char *err = NULL, *note = NULL;
	if ((r = brokerfs_check_dir(c->statedir, &err)) < 0 || (r = brokerfs_check_dir(c->logdir, &err)) < 0 ||
	    (r = brokerfs_check_store(c->statedir, true, &note, &err)) < 0) {
		log_error("%s", err ? err : strerror(-r));
		free(err);
		return r;
	}
	if (note)
		log_warning("%s", note);
	free(note);
	_cleanup_free_ char *lock = path_join(c->statedir, "leapp.lock");
	c->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (c->lock_fd < 0) {
		r = -errno;
		if (r == -ENOENT && !create)
			log_error("%s: no leapp state here (run leapp preupgrade or upgrade first)", c->statedir);
		else
			log_error("cannot open the lock file %s: %s", lock, strerror(-r));
		return r;
	}
	if (flock(c->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		char pid[32] = "";
		ssize_t n = pread(c->lock_fd, pid, sizeof(pid) - 1, 0);
		if (n > 0)
			pid[n] = 0;
		log_error("another leapp is already running on %s (pid %s); wait for it to finish", c->root,
			  *pid ? str_strip(pid) : "unknown");
		close(c->lock_fd);
		c->lock_fd = -1;
		return -EBUSY;
	}
	char pid[32];
	int len = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(c->lock_fd, 0) == 0 && pwrite(c->lock_fd, pid, (size_t)len, 0) < 0) {
		/* the pid is only informative */
	}
	_cleanup_free_ char *db = path_join(c->statedir, "leapp.db");
	if ((r = store_open(db, create, &c->store, &err)) < 0) {
		log_error("%s", err ? err : strerror(-r));
		free(err);
		return r;
	}
	/* the sandbox hides the store's names from actors: all of them must exist (brokerfs.h) */
	if ((r = brokerfs_store_placeholder(c->statedir)) < 0)
		log_warning("cannot create the placeholder %s/leapp.db-journal: %s", c->statedir, strerror(-r));
	return 0;
}
