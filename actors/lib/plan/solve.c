/* libsolv pool loading (rpmdb shadow copy, rpm-md with checksums), filtering, the distupgrade
 * solve and its explanation, and the rpmdb fingerprint. */
#include "plan.h"
#include "rpm.h"
#include "leapp/strmap.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>

#include <solv/chksum.h>
#include <solv/evr.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/repo.h>
#include <solv/repo_repomdxml.h>
#include <solv/repo_rpmdb.h>
#include <solv/repo_rpmmd.h>
#include <solv/repo_solv.h>
#include <solv/repo_write.h>
#include <solv/selection.h>
#include <solv/solv_xfopen.h>
#include <solv/solver.h>
#include <solv/solverdebug.h>
#include <solv/transaction.h>

#include "leapp/util.h"

#ifdef LEAPP_SANITIZER_BUILD
#include <sanitizer/lsan_interface.h>
#endif

struct srepo {
	char *id;
	char *path;             /* local directory holding repodata/ */
	char **exclude, **include;
	size_t n_exclude, n_include;
	bool hotfixes;
	char *modules;          /* modules.yaml path or NULL */
	char *filelists;        /* filelists path or NULL */
	Id filelists_chktype;
	unsigned char *filelists_chk;
	Repo *repo;
};

struct solve_ctx {
	Pool *pool;
	char *arch;
	Repo *installed;
	struct srepo *repos;
	size_t n_repos;
	char **excludes;
	size_t n_excludes;
	char **installonly;
	size_t n_installonly;
	struct strmap mod_all, mod_active, mod_active_names;
	bool has_module_filter;
	struct solve_stats stats;
	bool solved;
};

static const char *const action_names[] = {"install", "upgrade", "downgrade", "remove", "obsolete", "keep"};

const char *solve_action_name(enum solve_action a)
{
	return a < _SOLVE_ACTION_MAX ? action_names[a] : "?";
}

struct solve_ctx *solve_new(const char *arch)
{
	struct solve_ctx *s = xcalloc(1, sizeof(*s));
	s->pool = pool_create();
	/* Debian's libsolv is built for several package formats; without this, versions are
	 * compared the Debian way (1.0~rc1 < 1.0, no epochs in release...) */
	pool_setdisttype(s->pool, DISTTYPE_RPM);
	s->arch = xstrdup(arch && *arch ? arch : "x86_64");
	pool_setarch(s->pool, s->arch);
	pool_set_flag(s->pool, POOL_FLAG_IMPLICITOBSOLETEUSESCOLORS, 1);
	strmap_init(&s->mod_all);
	strmap_init(&s->mod_active);
	strmap_init(&s->mod_active_names);
	return s;
}

static void srepo_clear(struct srepo *r)
{
	free(r->id);
	free(r->path);
	strv_free_n(r->exclude, r->n_exclude);
	strv_free_n(r->include, r->n_include);
	free(r->modules);
	free(r->filelists);
	free(r->filelists_chk);
}

void solve_free(struct solve_ctx *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_repos; i++)
		srepo_clear(&s->repos[i]);
	free(s->repos);
	free(s->arch);
	strv_free_n(s->excludes, s->n_excludes);
	strv_free_n(s->installonly, s->n_installonly);
	strmap_clear(&s->mod_all, NULL);
	strmap_clear(&s->mod_active, NULL);
	strmap_clear(&s->mod_active_names, NULL);
	if (s->pool->considered) {
		map_free(s->pool->considered);
		s->pool->considered = solv_free(s->pool->considered);
	}
	pool_free(s->pool);
	free(s);
}

static char **strv_copy(char *const *v, size_t n)
{
	char **c = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

/* ---- the rpmdb, read from a private copy ---- */


static char *workdir;

void solve_set_workdir(const char *dir)
{
	free(workdir);
	workdir = dir && *dir ? xstrdup(dir) : NULL;
}

/* Copy root's rpmdb files to WORKDIR/leapp-rpmdb.XXXXXX/var/lib/rpm. Lock and BerkeleyDB
 * environment files are left out: a read needs neither, and they belong to the live system. */
static int rpmdb_shadow(const char *root, char **ret_top, char **ret_err)
{
	const char *dir = rpmenv_dbpath(root);
	if (!dir) {
		*ret_err = xasprintf("%s: no rpm database in /var/lib/rpm or /usr/lib/sysimage/rpm", root);
		return -ENOENT;
	}
	const char *tmp = workdir ? workdir : getenv("TMPDIR");
	_cleanup_free_ char *top = xasprintf("%s/leapp-rpmdb.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(top)) {
		int r = -errno;
		*ret_err = xasprintf("cannot create a directory for the rpmdb copy in %s: %s", tmp ? tmp : "/tmp",
				     strerror(-r));
		return r;
	}
	_cleanup_free_ char *dst = path_join(top, "/var/lib/rpm");
	int r = mkdir_p(dst, 0700);
	_cleanup_free_ char *src = path_join(root, dir);
	if (r < 0)
		*ret_err = xasprintf("%s: %s", dst, strerror(-r));
	else
		r = rpmenv_copy_db_files(src, dst, ret_err);
	if (r < 0) {
		rm_rf(top);
		return r;
	}
	*ret_top = TAKE_PTR(top);
	return 0;
}

static void rpm_config_once(void)
{
	static bool done;
	if (!done) {
		rpmReadConfigFiles(NULL, NULL);
		done = true;
	}
}

/* Add root's installed packages to repo (a pool's "@System"). */
static int load_rpmdb_into(Repo *repo, const char *root, char **ret_err)
{
	Pool *pool = repo->pool;
	_cleanup_free_ char *top = NULL;
	int r = rpmdb_shadow(root, &top, ret_err);
	if (r < 0)
		return r;
	rpm_config_once();
	_cleanup_free_ char *dbpath = xasprintf("_dbpath %s/var/lib/rpm", top);
	rpmDefineMacro(NULL, dbpath, RMIL_CMDLINE);
	/* upstream libsolv prefixes its rootdir to /var/lib/rpm; Debian's uses %_dbpath: both
	 * end up at the copy */
	pool_set_rootdir(pool, top);
	int nbefore = repo->nsolvables;
#ifdef LEAPP_SANITIZER_BUILD
	/* Debian's patched repo_add_rpmdb leaks the small path string it builds for %_dbpath */
	__lsan_disable();
#endif
	int rr = repo_add_rpmdb(repo, NULL, RPM_ADD_WITH_PKGID | RPM_ADD_WITH_HDRID | REPO_REUSE_REPODATA);
#ifdef LEAPP_SANITIZER_BUILD
	__lsan_enable();
#endif
	pool_set_rootdir(pool, NULL);
	rpmPopMacro(NULL, "_dbpath");
	rm_rf(top);
	if (rr != 0) {
		*ret_err = xasprintf("%s: cannot read the rpm database: %s", root, pool_errstr(pool));
		return -EIO;
	}
	if (repo->nsolvables == nbefore) {
		*ret_err = xasprintf("%s: the rpm database lists no packages", root);
		return -ENODATA;
	}
	return 0;
}

int solve_load_installed(struct solve_ctx *s, const char *root, char **ret_err)
{
	double t0 = now_monotonic();
	Repo *repo = repo_create(s->pool, "@System");
	int r = load_rpmdb_into(repo, root, ret_err);
	if (r < 0)
		return r;
	pool_set_installed(s->pool, repo);
	s->installed = repo;
	s->stats.n_installed = (size_t)repo->nsolvables;
	s->stats.t_installed += now_monotonic() - t0;
	return 0;
}

/* ---- repositories ---- */

static char *url_to_path(const char *url)
{
	if (str_startswith(url, "file://"))
		url += 7;
	else if (str_startswith(url, "file:"))
		url += 5;
	if (url[0] != '/')
		return NULL;
	char *p = xstrdup(url);
	size_t l = strlen(p);
	while (l > 1 && p[l - 1] == '/')
		p[--l] = 0;
	return p;
}

/* The location and checksum of one repomd.xml entry ("primary", "filelists", "modules"). */
static const char *repomd_lookup(Repo *repo, const char *type, const unsigned char **ret_chk, Id *ret_chktype)
{
	Pool *pool = repo->pool;
	Dataiterator di;
	const char *loc = NULL;
	*ret_chk = NULL;
	*ret_chktype = 0;
	dataiterator_init(&di, pool, repo, SOLVID_META, REPOSITORY_REPOMD_TYPE, type, SEARCH_STRING);
	dataiterator_prepend_keyname(&di, REPOSITORY_REPOMD);
	if (dataiterator_step(&di)) {
		dataiterator_setpos_parent(&di);
		loc = pool_lookup_str(pool, SOLVID_POS, REPOSITORY_REPOMD_LOCATION);
		*ret_chk = pool_lookup_bin_checksum(pool, SOLVID_POS, REPOSITORY_REPOMD_CHECKSUM, ret_chktype);
	}
	dataiterator_free(&di);
	return loc;
}

static char *hex(const unsigned char *b, int len)
{
	char *h = xmalloc((size_t)len * 2 + 1);
	for (int i = 0; i < len; i++)
		sprintf(h + 2 * i, "%02x", b[i]);
	h[len * 2] = 0;
	return h;
}

/* Check a metadata file against the checksum repomd.xml gives for it. */
static int verify_checksum(const char *repoid, const char *path, const char *href, Id type, const unsigned char *want,
			   char **ret_err)
{
	if (!want || !type)
		return 0; /* repomd.xml without checksums: nothing to compare */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int r = -errno;
		*ret_err = xasprintf("repository %s: %s: %s (listed in repodata/repomd.xml)", repoid, href, strerror(-r));
		return r;
	}
	Chksum *c = solv_chksum_create(type);
	if (!c) {
		*ret_err = xasprintf("repository %s: %s: unsupported checksum type in repomd.xml", repoid, href);
		return -EINVAL;
	}
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		solv_chksum_add(c, buf, (int)n);
	if (n < 0) {
		int r = -errno;
		solv_chksum_free(c, NULL);
		*ret_err = xasprintf("repository %s: %s: %s", repoid, href, strerror(-r));
		return r;
	}
	int len = 0;
	const unsigned char *got = solv_chksum_get(c, &len);
	int r = 0;
	if (memcmp(got, want, (size_t)len)) {
		_cleanup_free_ char *hw = hex(want, len), *hg = hex(got, len);
		*ret_err = xasprintf("repository %s: %s: checksum mismatch: repodata/repomd.xml says %s:%s, the file has "
				     "%s:%s (corrupt or truncated metadata)",
				     repoid, href, solv_chksum_type2str(type), hw, solv_chksum_type2str(type), hg);
		r = -EINVAL;
	}
	solv_chksum_free(c, NULL);
	return r;
}

/* Parse one repository's repomd.xml and primary metadata into a new repo of pool; fill sr
 * (without .repo) with what the context keeps of it. Touches nothing but pool: the parallel
 * loader runs it on a private pool per thread. */
static int load_repo_into(Pool *pool, const struct solve_repo_opts *o, Repo **ret_repo, struct srepo *sr,
			  char **ret_err)
{
	_cleanup_free_ char *path = o->baseurl ? url_to_path(o->baseurl) : NULL;
	if (!path) {
		*ret_err = xasprintf("repository %s: baseurl %s is not a local directory (file:// URL or path): the planner "
				     "reads local metadata only",
				     o->id, o->baseurl ? o->baseurl : "(none)");
		return -EPROTONOSUPPORT;
	}
	_cleanup_free_ char *mdpath = xasprintf("%s/repodata/repomd.xml", path);
	FILE *fp = fopen(mdpath, "re");
	if (!fp) {
		int r = -errno;
		struct stat st;
		if (stat(path, &st) < 0)
			*ret_err = xasprintf("repository %s: %s: %s (the repository is missing)", o->id, o->baseurl,
					     strerror(errno));
		else
			*ret_err = xasprintf("repository %s: %s: %s (not an rpm-md repository)", o->id, mdpath,
					     strerror(-r));
		return r;
	}
	Repo *repo = repo_create(pool, o->id);
	if (repo_add_repomdxml(repo, fp, 0) != 0) {
		*ret_err = xasprintf("repository %s: %s: corrupt repomd.xml: %s", o->id, mdpath, pool_errstr(pool));
		fclose(fp);
		repo_free(repo, 1);
		return -EINVAL;
	}
	fclose(fp);
	const unsigned char *chk;
	Id chktype;
	const char *primary = repomd_lookup(repo, "primary", &chk, &chktype);
	if (!primary) {
		*ret_err = xasprintf("repository %s: %s lists no primary metadata", o->id, mdpath);
		repo_free(repo, 1);
		return -EINVAL;
	}
	_cleanup_free_ char *ppath = xasprintf("%s/%s", path, primary);
	int r = verify_checksum(o->id, ppath, primary, chktype, chk, ret_err);
	if (r < 0) {
		repo_free(repo, 1);
		return r;
	}
	_cleanup_free_ char *modules = NULL, *filelists = NULL;
	unsigned char *fl_chk = NULL;
	Id fl_chktype = 0;
	const char *mod = repomd_lookup(repo, "modules", &chk, &chktype);
	if (mod) {
		modules = xasprintf("%s/%s", path, mod);
		r = verify_checksum(o->id, modules, mod, chktype, chk, ret_err);
		if (r < 0) {
			repo_free(repo, 1);
			return r;
		}
	}
	const char *fl = repomd_lookup(repo, "filelists", &chk, &chktype);
	if (fl) {
		filelists = xasprintf("%s/%s", path, fl);
		if (chk) {
			int len = solv_chksum_len(chktype);
			fl_chk = xmalloc((size_t)len);
			memcpy(fl_chk, chk, (size_t)len);
			fl_chktype = chktype;
		}
	}
	FILE *pf = solv_xfopen(ppath, "r");
	if (!pf) {
		*ret_err = xasprintf("repository %s: %s: %s", o->id, primary, strerror(errno ? errno : EIO));
		free(fl_chk);
		repo_free(repo, 1);
		return -EIO;
	}
	if (repo_add_rpmmd(repo, pf, NULL, REPO_NO_INTERNALIZE) != 0) {
		*ret_err = xasprintf("repository %s: %s: corrupt primary metadata: %s", o->id, primary, pool_errstr(pool));
		fclose(pf);
		free(fl_chk);
		repo_free(repo, 1);
		return -EINVAL;
	}
	fclose(pf);
	repo_internalize(repo);
	*sr = (struct srepo){
		.id = xstrdup(o->id),
		.path = TAKE_PTR(path),
		.exclude = strv_copy(o->exclude, o->n_exclude),
		.n_exclude = o->n_exclude,
		.include = strv_copy(o->includepkgs, o->n_includepkgs),
		.n_include = o->n_includepkgs,
		.hotfixes = o->module_hotfixes,
		.modules = TAKE_PTR(modules),
		.filelists = TAKE_PTR(filelists),
		.filelists_chk = fl_chk,
		.filelists_chktype = fl_chktype,
	};
	*ret_repo = repo;
	return 0;
}

static void add_srepo(struct solve_ctx *s, struct srepo *sr, Repo *repo, const struct solve_repo_opts *o)
{
	/* libsolv prefers the higher priority; dnf the lower number */
	repo->priority = -(o->priority > 0 ? o->priority : 99);
	sr->repo = repo;
	s->repos = xrealloc(s->repos, (s->n_repos + 1) * sizeof(*s->repos));
	s->repos[s->n_repos++] = *sr;
	s->stats.n_available += (size_t)repo->nsolvables;
}

int solve_add_repo(struct solve_ctx *s, const struct solve_repo_opts *o, char **ret_err)
{
	double t0 = now_monotonic();
	Repo *repo;
	struct srepo sr;
	int r = load_repo_into(s->pool, o, &repo, &sr, ret_err);
	if (r < 0)
		return r;
	add_srepo(s, &sr, repo, o);
	s->stats.t_repos += now_monotonic() - t0;
	return 0;
}

/* ---- loading in parallel ---- */

/* One thread's work: the rpmdb (o == NULL) or one repository, parsed into a private pool and
 * handed over in libsolv's own "solv" format, which the main pool reads back quickly. */
struct load_job {
	const struct solve_repo_opts *o;
	const char *root;
	const char *arch;
	int r;
	char *err;
	struct srepo sr;
	char *solv;
	size_t solv_len;
	double t;
};

static void *load_job_run(void *userdata)
{
	struct load_job *j = userdata;
	double t0 = now_monotonic();
	Pool *pool = pool_create();
	pool_setdisttype(pool, DISTTYPE_RPM);
	pool_setarch(pool, j->arch);
	Repo *repo = NULL;
	if (j->o)
		j->r = load_repo_into(pool, j->o, &repo, &j->sr, &j->err);
	else {
		repo = repo_create(pool, "@System");
		j->r = load_rpmdb_into(repo, j->root, &j->err);
	}
	if (j->r >= 0) {
		FILE *f = open_memstream(&j->solv, &j->solv_len);
		if (!f || repo_write(repo, f) != 0) {
			j->r = -EIO;
			j->err = xasprintf("%s: cannot hand the metadata over: %s", j->o ? j->o->id : j->root,
					   pool_errstr(pool));
		}
		if (f)
			fclose(f);
	}
	pool_free(pool);
	j->t = now_monotonic() - t0;
	return NULL;
}

static int adopt(struct solve_ctx *s, struct load_job *j, Repo **ret_repo, char **ret_err)
{
	FILE *f = fmemopen(j->solv, j->solv_len, "r");
	Repo *repo = repo_create(s->pool, j->o ? j->o->id : "@System");
	if (!f || repo_add_solv(repo, f, 0) != 0) {
		*ret_err = xasprintf("%s: cannot read the metadata back: %s", j->o ? j->o->id : j->root,
				     pool_errstr(s->pool));
		if (f)
			fclose(f);
		repo_free(repo, 1);
		return -EIO;
	}
	fclose(f);
	*ret_repo = repo;
	return 0;
}

struct load_queue {
	struct load_job *jobs;
	size_t n, next;
	pthread_mutex_t lock;
};

/* Take jobs until none is left. Job n (the rpmdb) goes first. */
static void *load_worker(void *userdata)
{
	struct load_queue *q = userdata;
	for (;;) {
		pthread_mutex_lock(&q->lock);
		size_t k = q->next++;
		pthread_mutex_unlock(&q->lock);
		if (k >= q->n)
			return NULL;
		load_job_run(&q->jobs[k == 0 ? q->n - 1 : k - 1]);
	}
}

int solve_load(struct solve_ctx *s, const char *root, const struct solve_repo_opts *repos, size_t n,
	       char **ret_rpmdb_err, char ***ret_errors, size_t *ret_n_errors)
{
	double t0 = now_monotonic();
	struct load_job *jobs = xcalloc(n + 1, sizeof(*jobs));
	for (size_t i = 0; i <= n; i++) {
		jobs[i].o = i < n ? &repos[i] : NULL;
		jobs[i].root = root;
		jobs[i].arch = s->arch;
	}
	/* as many workers as cores (the work is parsing), taking jobs in order: the rpmdb first,
	 * then the repositories, so that the long jobs start early */
	struct load_queue q = {.jobs = jobs, .n = n + 1};
	pthread_mutex_init(&q.lock, NULL);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t width = ncpu > 1 ? (size_t)(ncpu > 8 ? 8 : ncpu) : 1;
	if (width > n + 1)
		width = n + 1;
	pthread_t *workers = xcalloc(width, sizeof(pthread_t));
	size_t started = 0;
	for (size_t i = 1; i < width; i++)
		if (pthread_create(&workers[started], NULL, load_worker, &q) == 0)
			started++;
	load_worker(&q); /* this thread works too */
	for (size_t i = 0; i < started; i++)
		pthread_join(workers[i], NULL);
	free(workers);
	pthread_mutex_destroy(&q.lock);
	char **errors = NULL;
	size_t n_errors = 0;
	int r = 0;
	/* the rpmdb first: its failure is not a repository's */
	struct load_job *inst = &jobs[n];
	Repo *repo;
	if (inst->r < 0 || adopt(s, inst, &repo, &inst->err) < 0) {
		*ret_rpmdb_err = TAKE_PTR(inst->err);
		r = inst->r < 0 ? inst->r : -EIO;
	} else {
		pool_set_installed(s->pool, repo);
		s->installed = repo;
		s->stats.n_installed = (size_t)repo->nsolvables;
		s->stats.t_installed = inst->t;
	}
	for (size_t i = 0; i < n; i++) {
		char *err = NULL;
		if (jobs[i].r < 0 || adopt(s, &jobs[i], &repo, &err) < 0) {
			errors = xrealloc(errors, (n_errors + 1) * sizeof(char *));
			errors[n_errors++] = jobs[i].err ? TAKE_PTR(jobs[i].err) : err;
			if (jobs[i].r >= 0)
				srepo_clear(&jobs[i].sr);
			continue;
		}
		add_srepo(s, &jobs[i].sr, repo, &repos[i]);
	}
	double *jobs_t = xcalloc(n + 1, sizeof(double));
	for (size_t i = 0; i <= n; i++) {
		jobs_t[i] = jobs[i].t;
		free(jobs[i].solv);
		free(jobs[i].err);
	}
	free(jobs);
	for (size_t i = 0; i < n; i++)
		s->stats.t_repos += jobs_t[i];
	free(jobs_t);
	s->stats.t_load = now_monotonic() - t0;
	*ret_errors = errors;
	*ret_n_errors = n_errors;
	return r;
}

static struct srepo *find_repo(struct solve_ctx *s, const char *id)
{
	for (size_t i = 0; i < s->n_repos; i++)
		if (!strcmp(s->repos[i].id, id))
			return &s->repos[i];
	return NULL;
}

const char *solve_repo_modules_path(struct solve_ctx *s, const char *repoid)
{
	struct srepo *r = find_repo(s, repoid);
	return r ? r->modules : NULL;
}

const char *solve_repo_path(struct solve_ctx *s, const char *repoid)
{
	struct srepo *r = find_repo(s, repoid);
	return r ? r->path : NULL;
}

bool solve_repo_has_name(struct solve_ctx *s, const char *name, const char *vendor)
{
	Pool *pool = s->pool;
	Id nid = pool_str2id(pool, name, 0);
	if (!nid)
		return false;
	for (size_t i = 0; i < s->n_repos; i++) {
		Id p;
		Solvable *sv;
		FOR_REPO_SOLVABLES(s->repos[i].repo, p, sv) {
			if (sv->name != nid)
				continue;
			if (!vendor)
				return true;
			const char *v = solvable_lookup_str(sv, SOLVABLE_VENDOR);
			if (v && !strcmp(v, vendor))
				return true;
		}
	}
	return false;
}

void solve_add_exclude(struct solve_ctx *s, const char *glob)
{
	s->excludes = xrealloc(s->excludes, (s->n_excludes + 1) * sizeof(char *));
	s->excludes[s->n_excludes++] = xstrdup(glob);
}

void solve_add_installonly(struct solve_ctx *s, const char *name)
{
	for (size_t i = 0; i < s->n_installonly; i++)
		if (!strcmp(s->installonly[i], name))
			return;
	s->installonly = xrealloc(s->installonly, (s->n_installonly + 1) * sizeof(char *));
	s->installonly[s->n_installonly++] = xstrdup(name);
}

static char *nevra_with_epoch(Pool *pool, Solvable *sv)
{
	const char *evr = pool_id2str(pool, sv->evr);
	return xasprintf("%s-%s%s.%s", pool_id2str(pool, sv->name), strchr(evr, ':') ? "" : "0:", evr,
			 pool_id2str(pool, sv->arch));
}

static char *name_of_nevra(const char *nevra)
{
	/* name-E:V-R.arch: strip ".arch", then "-R", then "-E:V" */
	char *n = xstrdup(nevra);
	for (int k = 0; k < 2; k++) {
		char *dash = strrchr(n, '-');
		if (!dash) {
			free(n);
			return NULL;
		}
		*dash = 0;
	}
	return n;
}

void solve_set_module_filter(struct solve_ctx *s, const struct solve_module_filter *f)
{
	s->has_module_filter = true;
	for (size_t i = 0; i < f->n_modular; i++)
		strmap_put(&s->mod_all, f->modular[i], NULL);
	for (size_t i = 0; i < f->n_active; i++) {
		strmap_put(&s->mod_active, f->active[i], NULL);
		char *n = name_of_nevra(f->active[i]);
		if (n)
			strmap_put(&s->mod_active_names, n, NULL);
		free(n);
	}
}

/* dnf matches exclude= globs against the name and the NEVRA forms. */
static bool glob_matches(Pool *pool, Solvable *sv, char *const *globs, size_t n)
{
	if (!n)
		return false;
	const char *name = pool_id2str(pool, sv->name), *evr = pool_id2str(pool, sv->evr),
		   *arch = pool_id2str(pool, sv->arch);
	const char *ve = strchr(evr, ':') ? strchr(evr, ':') + 1 : evr;
	_cleanup_free_ char *ver = xstrdup(ve);
	char *dash = strrchr(ver, '-');
	if (dash)
		*dash = 0;
	char forms[6][1024];
	snprintf(forms[0], sizeof(forms[0]), "%s", name);
	snprintf(forms[1], sizeof(forms[1]), "%s.%s", name, arch);
	snprintf(forms[2], sizeof(forms[2]), "%s-%s", name, ver);
	snprintf(forms[3], sizeof(forms[3]), "%s-%s", name, ve);
	snprintf(forms[4], sizeof(forms[4]), "%s-%s.%s", name, ve, arch);
	snprintf(forms[5], sizeof(forms[5]), "%s-%s.%s", name, evr, arch);
	for (size_t i = 0; i < n; i++)
		for (size_t f = 0; f < ELEMENTSOF(forms); f++)
			if (fnmatch(globs[i], forms[f], 0) == 0)
				return true;
	return false;
}

/* Build the considered map: excludes, includepkgs and modular filtering. */
static void apply_filters(struct solve_ctx *s)
{
	double t0 = now_monotonic();
	Pool *pool = s->pool;
	if (!pool->considered) {
		pool->considered = solv_calloc(1, sizeof(Map));
		map_init(pool->considered, pool->nsolvables);
	} else
		map_grow(pool->considered, pool->nsolvables);
	map_setall(pool->considered);
	MAPCLR(pool->considered, 0);
	MAPCLR(pool->considered, 1);
	for (size_t i = 0; i < s->n_repos; i++) {
		struct srepo *r = &s->repos[i];
		Id p;
		Solvable *sv;
		FOR_REPO_SOLVABLES(r->repo, p, sv) {
			bool hide = false;
			if (glob_matches(pool, sv, r->exclude, r->n_exclude) ||
			    glob_matches(pool, sv, s->excludes, s->n_excludes) ||
			    (r->n_include && !glob_matches(pool, sv, r->include, r->n_include))) {
				s->stats.n_excluded++;
				hide = true;
			} else if (s->has_module_filter && !r->hotfixes && sv->arch != ARCH_SRC && sv->arch != ARCH_NOSRC) {
				_cleanup_free_ char *nevra = nevra_with_epoch(pool, sv);
				if (strmap_has(&s->mod_all, nevra))
					hide = !strmap_has(&s->mod_active, nevra);
				else
					hide = strmap_has(&s->mod_active_names, pool_id2str(pool, sv->name));
				if (hide)
					s->stats.n_modular_hidden++;
			}
			if (hide)
				MAPCLR(pool->considered, p);
		}
	}
	s->stats.t_filter += now_monotonic() - t0;
}

/* Is there a file dependency that nothing provides (so filelists are needed)? */
static bool unresolved_file_deps(Pool *pool)
{
	Id p;
	Solvable *sv;
	FOR_POOL_SOLVABLES(p) {
		sv = pool->solvables + p;
		if (!sv->repo || (pool->considered && !MAPTST(pool->considered, p)))
			continue;
		if (!sv->requires)
			continue;
		for (Id *dp = sv->repo->idarraydata + sv->requires; *dp; dp++) {
			if (*dp == SOLVABLE_PREREQMARKER || ISRELDEP(*dp))
				continue;
			const char *str = pool_id2str(pool, *dp);
			/* an empty provider list is offset 1 (a lone 0), not 0 */
			if (str[0] == '/' && !pool->whatprovidesdata[pool_whatprovides(pool, *dp)])
				return true;
		}
	}
	return false;
}

static int load_filelists(struct solve_ctx *s, char **ret_err)
{
	double t0 = now_monotonic();
	for (size_t i = 0; i < s->n_repos; i++) {
		struct srepo *r = &s->repos[i];
		if (!r->filelists)
			continue;
		const char *href = r->filelists + strlen(r->path) + 1;
		int rr = verify_checksum(r->id, r->filelists, href, r->filelists_chktype, r->filelists_chk, ret_err);
		if (rr < 0)
			return rr;
		FILE *fp = solv_xfopen(r->filelists, "r");
		if (!fp) {
			*ret_err = xasprintf("repository %s: %s: %s", r->id, href, strerror(errno ? errno : EIO));
			return -EIO;
		}
		if (repo_add_rpmmd(r->repo, fp, NULL, REPO_EXTEND_SOLVABLES) != 0) {
			*ret_err = xasprintf("repository %s: %s: corrupt filelists metadata: %s", r->id, href,
					     pool_errstr(s->pool));
			fclose(fp);
			return -EINVAL;
		}
		fclose(fp);
	}
	s->stats.filelists_loaded = true;
	s->stats.t_filelists += now_monotonic() - t0;
	return 0;
}

/* ---- solving ---- */

static char *solvable_nevra(Pool *pool, Id p)
{
	return xstrdup(pool_solvid2str(pool, p));
}

static void strv_push_unique(char ***v, size_t *n, const char *str)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], str))
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = xstrdup(str);
}

struct job_origin {
	const struct solve_task *task;   /* NULL for the engine's own jobs */
	const char *what;                /* the engine's own job, described */
};

static void explain_problems(struct solve_ctx *s, Solver *solv, const struct job_origin *origins, size_t n_origins,
			     int nprob, struct solve_result *res)
{
	Pool *pool = s->pool;
	res->problems = xcalloc((size_t)nprob + 1, sizeof(*res->problems));
	for (int i = 1; i <= nprob; i++) {
		struct solve_problem *pr = &res->problems[res->n_problems++];
		pr->summary = xstrdup(solver_problem2str(solv, i));
		Queue rq;
		queue_init(&rq);
		solver_findallproblemrules(solv, i, &rq);
		for (int k = 0; k < rq.count; k++) {
			Id rid = rq.elements[k], source, target, dep;
			SolverRuleinfo type = solver_ruleinfo(solv, rid, &source, &target, &dep);
			_cleanup_free_ char *line = xstrdup(solver_ruleinfo2str(solv, type, source, target, dep));
			if ((type & SOLVER_RULE_TYPEMASK) == SOLVER_RULE_JOB) {
				int jidx = solver_rule2jobidx(solv, rid);
				size_t oi = jidx >= 0 ? (size_t)jidx / 2 : n_origins;
				if (oi < n_origins && origins[oi].task) {
					char *l2 = xasprintf("%s (requested: %s %s: %s)", line,
							     origins[oi].task->kind == SOLVE_TASK_REMOVE ? "remove" : "install",
							     origins[oi].task->name, origins[oi].task->reason);
					free(line);
					line = l2;
				} else if (oi < n_origins && origins[oi].what) {
					char *l2 = xasprintf("%s (%s)", line, origins[oi].what);
					free(line);
					line = l2;
				}
			}
			strv_push_unique(&pr->rules, &pr->n_rules, line);
			if (source > 0)
				strv_push_unique(&pr->packages, &pr->n_packages, pool_id2str(pool, pool->solvables[source].name));
			if (target > 0)
				strv_push_unique(&pr->packages, &pr->n_packages, pool_id2str(pool, pool->solvables[target].name));
		}
		queue_free(&rq);
		int nsol = solver_solution_count(solv, i);
		for (int sol = 1; sol <= nsol && sol <= 5; sol++) {
			struct buf b = {0};
			Id p, rp, e = 0;
			while ((e = solver_next_solutionelement(solv, i, sol, e, &p, &rp)) != 0)
				buf_printf(&b, "%s%s", b.len ? "; " : "", solver_solutionelement2str(solv, p, rp));
			if (b.len)
				pr->solutions = xrealloc(pr->solutions, (pr->n_solutions + 1) * sizeof(char *)),
				pr->solutions[pr->n_solutions++] = buf_steal(&b);
			else
				buf_free(&b);
		}
	}
}

static const struct solve_task *task_for(const struct solve_task *tasks, size_t n, const char *name,
					 enum solve_task_kind kind, bool any_kind)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tasks[i].name, name) && (any_kind || tasks[i].kind == kind))
			return &tasks[i];
	return NULL;
}

static char *decision_reason(Solver *solv, Id p, bool erased)
{
	Pool *pool = solv->pool;
	Id info = 0;
	int reason = solver_describe_decision(solv, p, &info);
	if ((reason == SOLVER_REASON_RESOLVE || reason == SOLVER_REASON_UNIT_RULE) && info > 0) {
		Id from, to, dep;
		SolverRuleinfo type = solver_ruleinfo(solv, info, &from, &to, &dep);
		if (type == SOLVER_RULE_PKG_REQUIRES && from == p && erased)
			return xasprintf("no target version, and its requirement %s goes away: removed with it",
					 pool_dep2str(pool, dep));
		if (type == SOLVER_RULE_PKG_REQUIRES && from > 0)
			return xasprintf("dependency: %s requires %s", pool_solvid2str(pool, from), pool_dep2str(pool, dep));
		if (type == SOLVER_RULE_PKG_CONFLICTS && from > 0)
			return xasprintf("conflict: %s conflicts with %s", pool_solvid2str(pool, from),
					 pool_dep2str(pool, dep));
		if (type == SOLVER_RULE_PKG_OBSOLETES && from > 0)
			return xasprintf("obsoleted: %s obsoletes %s", pool_solvid2str(pool, from), pool_dep2str(pool, dep));
		return xstrdup(solver_ruleinfo2str(solv, type, from, to, dep));
	}
	if (reason == SOLVER_REASON_WEAKDEP)
		return xstrdup("weak dependency (Recommends/Supplements)");
	return NULL;
}

static bool is_installonly(struct solve_ctx *s, Solvable *sv)
{
	const char *name = pool_id2str(s->pool, sv->name);
	for (size_t i = 0; i < s->n_installonly; i++)
		if (!strcmp(s->installonly[i], name))
			return true;
	/* also as a provide (installonlypkg(kernel), ...) */
	if (sv->provides)
		for (Id *pp = sv->repo->idarraydata + sv->provides; *pp; pp++) {
			if (ISRELDEP(*pp))
				continue;
			const char *pv = pool_id2str(s->pool, *pp);
			for (size_t i = 0; i < s->n_installonly; i++)
				if (!strcmp(s->installonly[i], pv))
					return true;
		}
	return false;
}

static void item_fill(struct solve_ctx *s, struct solve_item *it, Id p)
{
	Pool *pool = s->pool;
	Solvable *sv = pool->solvables + p;
	it->name = xstrdup(pool_id2str(pool, sv->name));
	const char *evr = pool_id2str(pool, sv->evr);
	const char *colon = strchr(evr, ':');
	it->epoch = colon ? strtoul(evr, NULL, 10) : 0;
	const char *vr = colon ? colon + 1 : evr;
	const char *dash = strrchr(vr, '-');
	it->version = dash ? xstrndup(vr, (size_t)(dash - vr)) : xstrdup(vr);
	it->release = xstrdup(dash ? dash + 1 : "");
	it->arch = xstrdup(pool_id2str(pool, sv->arch));
	it->repo = xstrdup(sv->repo == s->installed ? "@System" : sv->repo->name);
	it->installonly = is_installonly(s, sv);
	if (sv->repo != s->installed) {
		const char *loc = solvable_lookup_location(sv, NULL);
		it->location = loc ? xstrdup(loc) : NULL;
		Id t = 0;
		const char *chk = solvable_lookup_checksum(sv, SOLVABLE_CHECKSUM, &t);
		if (chk) {
			it->checksum = xstrdup(chk);
			it->checksum_type = xstrdup(solv_chksum_type2str(t));
		}
		it->size = solvable_lookup_num(sv, SOLVABLE_DOWNLOADSIZE, 0);
	}
}

static int cmp_item(const void *a, const void *b)
{
	const struct solve_item *x = a, *y = b;
	if (x->action != y->action)
		return x->action < y->action ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	c = strcmp(x->version, y->version);
	return c ? c : strcmp(x->release, y->release);
}

/* The best (highest EVR) considered repository package named name, for the pool's arch. */
static Id best_available(struct solve_ctx *s, Id name)
{
	Pool *pool = s->pool;
	Id best = 0, p, pp;
	FOR_PROVIDES(p, pp, name) {
		Solvable *sv = pool->solvables + p;
		if (sv->name != name || sv->repo == s->installed || !pool_installable(pool, sv))
			continue;
		if (!best || pool_evrcmp(pool, sv->evr, pool->solvables[best].evr, EVRCMP_COMPARE) > 0)
			best = p;
	}
	return best;
}

/* The pool made ready to solve: the filters applied, the file provides indexed, and the
 * filelists loaded (and indexed again) only when a file dependency is left unresolved. */
static int pool_prepare(struct solve_ctx *s, char **ret_err)
{
	Pool *pool = s->pool;
	apply_filters(s);
	pool_addfileprovides(pool);
	pool_createwhatprovides(pool);
	if (unresolved_file_deps(pool)) {
		int r = load_filelists(s, ret_err);
		if (r < 0)
			return r;
		pool_addfileprovides(pool);
		pool_createwhatprovides(pool);
	}
	return 0;
}

/* The solver's jobs, with where each comes from (for explaining problems). */
struct jobs {
	Queue job;
	struct job_origin *origins;
	size_t n_orig;
	struct solve_problem *own; /* tasks whose package does not exist at all */
	size_t n_own;
	Id *io_best; /* per install-only name: the target version installed beside, or 0 */
};

static const char target_kernel[] = "install-only: the target version is installed beside the installed one";

static void jobs_push(struct jobs *j, Id how, Id what, const struct solve_task *task, const char *desc)
{
	queue_push2(&j->job, how, what);
	j->origins[j->n_orig++] = (struct job_origin){task, desc};
}

/* a task to install or keep a package that does not exist at all: a problem of its own */
static void jobs_missing(struct jobs *j, const struct solve_task *t, Id name)
{
	j->own = xrealloc(j->own, (j->n_own + 1) * sizeof(*j->own));
	struct solve_problem *pr = &j->own[j->n_own++];
	memset(pr, 0, sizeof(*pr));
	pr->summary = xasprintf("package %s is not available in the target repositories%s", t->name,
				name ? " (it is excluded or filtered out)" : "");
	pr->rules = xcalloc(2, sizeof(char *));
	pr->rules[0] = xasprintf("%s %s is requested by %s", t->kind == SOLVE_TASK_KEEP ? "keeping" : "installing",
				 t->name, t->reason);
	pr->n_rules = 1;
	pr->packages = xcalloc(2, sizeof(char *));
	pr->packages[0] = xstrdup(t->name);
	pr->n_packages = 1;
}

/* One task as jobs (a missing package to install or keep is a problem instead). */
static void jobs_add_task(struct solve_ctx *s, struct jobs *j, const struct solve_task *t)
{
	Pool *pool = s->pool;
	Id name = pool_str2id(pool, t->name, 0);
	Id p, pp;
	Solvable *sv;
	bool found = false;
	switch (t->kind) {
	case SOLVE_TASK_INSTALL:
	case SOLVE_TASK_KEEP:
		if (name) {
			FOR_PROVIDES(p, pp, name) {
				if (pool->solvables[p].name == name)
					found = true;
			}
		}
		if (!found) {
			jobs_missing(j, t, name);
			return;
		}
		jobs_push(j, SOLVER_INSTALL | SOLVER_SOLVABLE_NAME, name, t, NULL);
		break;
	case SOLVE_TASK_REMOVE:
		if (name) {
			FOR_REPO_SOLVABLES(s->installed, p, sv) {
				if (sv->name == name)
					found = true;
			}
		}
		if (found)
			jobs_push(j, SOLVER_ERASE | SOLVER_SOLVABLE_NAME, name, t, NULL);
		break;
	case SOLVE_TASK_LOCK:
		if (name) {
			FOR_REPO_SOLVABLES(s->installed, p, sv) {
				if (sv->name == name)
					jobs_push(j, SOLVER_LOCK | SOLVER_SOLVABLE, p, t, NULL);
			}
		}
		break;
	case SOLVE_TASK_NOTE:
		break;
	}
}

/* install-only: keep what is installed, and install the newest target version beside it */
static void jobs_add_installonly(struct solve_ctx *s, struct jobs *j, const struct solve_task *tasks, size_t n_tasks)
{
	Pool *pool = s->pool;
	for (size_t i = 0; i < s->n_installonly; i++) {
		Id name = pool_str2id(pool, s->installonly[i], 0);
		if (!name)
			continue;
		Id p, newest_inst = 0;
		Solvable *sv;
		FOR_REPO_SOLVABLES(s->installed, p, sv) {
			if (sv->name != name)
				continue;
			if (!newest_inst || pool_evrcmp(pool, sv->evr, pool->solvables[newest_inst].evr, EVRCMP_COMPARE) > 0)
				newest_inst = p;
			if (!task_for(tasks, n_tasks, s->installonly[i], SOLVE_TASK_REMOVE, false))
				jobs_push(j, SOLVER_LOCK | SOLVER_SOLVABLE, p, NULL,
					  "install-only: the installed version stays as a fallback");
		}
		if (!newest_inst)
			continue;
		Id best = best_available(s, name);
		if (best && pool_evrcmp(pool, pool->solvables[best].evr, pool->solvables[newest_inst].evr, EVRCMP_COMPARE) > 0) {
			jobs_push(j, SOLVER_INSTALL | SOLVER_SOLVABLE, best, NULL, target_kernel);
			j->io_best[i] = best;
		}
	}
}

/* All the jobs: install-only names, the distribution upgrade, the tasks, the install-only versions. */
static void jobs_build(struct solve_ctx *s, struct jobs *j, const struct solve_task *tasks, size_t n_tasks)
{
	Pool *pool = s->pool;
	queue_init(&j->job);
	j->origins = xcalloc(n_tasks * 4 + 64 + s->n_installonly * 8, sizeof(*j->origins));
	j->io_best = xcalloc(s->n_installonly + 1, sizeof(Id));
	for (size_t i = 0; i < s->n_installonly; i++) {
		Id id = pool_str2id(pool, s->installonly[i], 0);
		if (id)
			jobs_push(j, SOLVER_MULTIVERSION | SOLVER_SOLVABLE_PROVIDES, id, NULL, "install-only package");
	}
	jobs_push(j, SOLVER_DISTUPGRADE | SOLVER_SOLVABLE_ALL, 0, NULL, "distribution upgrade of every installed package");
	/* tasks whose package does not exist at all cannot become jobs: they are problems */
	for (size_t i = 0; i < n_tasks; i++)
		jobs_add_task(s, j, &tasks[i]);
	jobs_add_installonly(s, j, tasks, n_tasks);
}

static void jobs_free(struct jobs *j)
{
	free(j->own);
	free(j->io_best);
	free(j->origins);
	queue_free(&j->job);
}

static Solver *solver_new(Pool *pool)
{
	Solver *solv = solver_create(pool);
	solver_set_flag(solv, SOLVER_FLAG_ALLOW_VENDORCHANGE, 1);
	solver_set_flag(solv, SOLVER_FLAG_BEST_OBEY_POLICY, 1);
	solver_set_flag(solv, SOLVER_FLAG_YUM_OBSOLETES, 1);
	/* Not dnf's --allowerasing (leapp's default): a package that has a target version but
	 * cannot get it is a problem to show, not a package to drop. Orphans (no target
	 * version) may still go when what they require goes (SOLVER_FLAG_KEEP_ORPHANS off),
	 * as they would with dnf; the plan lists them with the requirement that broke. */
	solver_set_flag(solv, SOLVER_FLAG_ALLOW_UNINSTALL, 0);
	return solv;
}

/* A step on an installed package: erased, obsoleted, or (false) shown with its new package. */
static bool item_installed(Transaction *trans, Solver *solv, Id p, Id type, const struct solve_task *t,
			   struct solve_item *it, char **ret_reason)
{
	Pool *pool = trans->pool;
	Solvable *sv = pool->solvables + p;
	if (type == SOLVER_TRANSACTION_ERASE) {
		it->action = SOLVE_ACTION_REMOVE;
		char *reason = t ? xstrdup(t->reason) : decision_reason(solv, p, true);
		*ret_reason = reason ? reason : xstrdup("erased by the solver");
		return true;
	}
	Id by = transaction_obs_pkg(trans, p);
	if (type != SOLVER_TRANSACTION_OBSOLETED && (!by || pool->solvables[by].name == sv->name))
		/* upgraded, downgraded, changed: shown with the new package, unless that one has
		 * another name (it obsoletes this one while providing its name) */
		return false;
	it->action = SOLVE_ACTION_OBSOLETE;
	_cleanup_free_ char *obs = by ? xasprintf("obsoleted by %s", pool_solvid2str(pool, by)) : xstrdup("obsoleted");
	*ret_reason = t && t->kind != SOLVE_TASK_NOTE ? xasprintf("%s; %s", t->reason, obs) : TAKE_PTR(obs);
	return true;
}

/* A step on a package of the target repositories: its action, what it replaces, and why. */
static char *item_new(struct solve_ctx *s, Transaction *trans, Solver *solv, const struct jobs *j, Queue *q, Id p,
		      Id type, const struct solve_task *t, struct solve_item *it)
{
	Pool *pool = s->pool;
	Solvable *sv = pool->solvables + p;
	switch (type) {
	case SOLVER_TRANSACTION_UPGRADE:
	case SOLVER_TRANSACTION_CHANGE:
	case SOLVER_TRANSACTION_REINSTALL:
	case SOLVER_TRANSACTION_MULTIREINSTALL:
		it->action = SOLVE_ACTION_UPGRADE;
		break;
	case SOLVER_TRANSACTION_DOWNGRADE:
		it->action = SOLVE_ACTION_DOWNGRADE;
		break;
	default: /* INSTALL, MULTIINSTALL, OBSOLETES */
		it->action = SOLVE_ACTION_INSTALL;
		break;
	}
	queue_empty(q);
	transaction_all_obs_pkgs(trans, p, q);
	struct buf from = {0}, obsn = {0};
	for (int k = 0; k < q->count; k++) {
		buf_printf(&from, "%s%s", k ? ", " : "", pool_solvid2str(pool, q->elements[k]));
		if (pool->solvables[q->elements[k]].name != sv->name)
			buf_printf(&obsn, "%s%s", obsn.len ? ", " : "", pool_solvid2str(pool, q->elements[k]));
	}
	it->from = from.len ? buf_steal(&from) : NULL;
	buf_free(&from);
	bool kernel = false;
	for (size_t k = 0; k < s->n_installonly; k++)
		kernel |= j->io_best[k] == p;
	char *reason;
	if (t)
		reason = xstrdup(t->reason);
	else if (kernel)
		reason = xstrdup(target_kernel);
	else if (obsn.len)
		reason = xasprintf("obsoletes %s", obsn.data);
	else if (it->action != SOLVE_ACTION_INSTALL)
		reason = xstrdup(type == SOLVER_TRANSACTION_UPGRADE || type == SOLVER_TRANSACTION_DOWNGRADE
					 ? "distro-sync"
					 : "distro-sync (same version, from the target repository)");
	else
		reason = decision_reason(solv, p, false);
	if (!reason)
		reason = xstrdup("distro-sync");
	buf_free(&obsn);
	return reason;
}

/* kept: installed packages the transaction leaves alone */
static void items_kept(struct solve_ctx *s, const struct solve_task *tasks, size_t n_tasks, const Map *touched,
		       struct solve_result *res)
{
	Pool *pool = s->pool;
	Id p;
	Solvable *sv;
	FOR_REPO_SOLVABLES(s->installed, p, sv) {
		if (MAPTST(touched, p))
			continue;
		struct solve_item it = {.action = SOLVE_ACTION_KEEP};
		item_fill(s, &it, p);
		const struct solve_task *t = task_for(tasks, n_tasks, it.name, 0, true);
		if (it.installonly)
			it.reason = xstrdup("install-only: kept as a fallback beside the target version (a leftover to "
					    "remove after the upgrade)");
		else if (t && (t->kind == SOLVE_TASK_LOCK || t->kind == SOLVE_TASK_KEEP))
			it.reason = xstrdup(t->reason);
		else {
			Id q2, qq;
			bool same = false;
			FOR_PROVIDES(q2, qq, sv->name) {
				Solvable *o = pool->solvables + q2;
				if (o->name == sv->name && o->repo != s->installed && o->evr == sv->evr && o->arch == sv->arch)
					same = true;
			}
			it.reason = xstrdup(same ? "unchanged: the target repositories have the same version"
						 : "no target version: stays as installed");
		}
		res->items[res->n_items++] = it;
	}
}

/* The solved transaction as items: every step, then what stays; sorted and counted. */
static void items_collect(struct solve_ctx *s, Solver *solv, const struct jobs *j, const struct solve_task *tasks,
			  size_t n_tasks, struct solve_result *res)
{
	Pool *pool = s->pool;
	Transaction *trans = solver_create_transaction(solv);
	Map touched;
	map_init(&touched, pool->nsolvables);
	size_t cap = (size_t)trans->steps.count + (size_t)s->installed->nsolvables + 1;
	res->items = xcalloc(cap, sizeof(*res->items));
	Queue q;
	queue_init(&q);
	int mode = SOLVER_TRANSACTION_SHOW_ACTIVE | SOLVER_TRANSACTION_SHOW_ALL | SOLVER_TRANSACTION_SHOW_OBSOLETES |
		   SOLVER_TRANSACTION_SHOW_MULTIINSTALL;
	for (int i = 0; i < trans->steps.count; i++) {
		Id p = trans->steps.elements[i];
		Solvable *sv = pool->solvables + p;
		Id type = transaction_type(trans, p, mode);
		const struct solve_task *t = task_for(tasks, n_tasks, pool_id2str(pool, sv->name), 0, true);
		struct solve_item it = {0};
		char *reason = NULL;
		if (sv->repo == s->installed) {
			MAPSET(&touched, p);
			if (!item_installed(trans, solv, p, type, t, &it, &reason))
				continue;
		} else
			reason = item_new(s, trans, solv, j, &q, p, type, t, &it);
		item_fill(s, &it, p);
		it.reason = reason;
		res->items[res->n_items++] = it;
	}
	items_kept(s, tasks, n_tasks, &touched, res);
	if (res->n_items)
		qsort(res->items, res->n_items, sizeof(*res->items), cmp_item);
	for (size_t i = 0; i < res->n_items; i++)
		res->counts[res->items[i].action]++;
	queue_free(&q);
	map_free(&touched);
	transaction_free(trans);
}

int solve_run(struct solve_ctx *s, const struct solve_task *tasks, size_t n_tasks, struct solve_result *res,
	      char **ret_err)
{
	memset(res, 0, sizeof(*res));
	if (!s->installed) {
		*ret_err = xstrdup("no installed packages loaded");
		return -EINVAL;
	}
	if (s->solved) {
		*ret_err = xstrdup("solve_run: one solve per context");
		return -EALREADY;
	}
	s->solved = true;
	int prep = pool_prepare(s, ret_err);
	if (prep < 0)
		return prep;
	double t0 = now_monotonic();
	struct jobs j = {0};
	jobs_build(s, &j, tasks, n_tasks);
	Solver *solv = solver_new(s->pool);
	int nprob = solver_solve(solv, &j.job);
	s->stats.t_solve += now_monotonic() - t0;
	if (nprob > 0 || j.n_own) {
		if (nprob > 0)
			explain_problems(s, solv, j.origins, j.n_orig, nprob, res);
		res->problems = xrealloc(res->problems, (res->n_problems + j.n_own + 1) * sizeof(*res->problems));
		if (j.n_own)
			memcpy(res->problems + res->n_problems, j.own, j.n_own * sizeof(*j.own));
		res->n_problems += j.n_own;
	} else
		items_collect(s, solv, &j, tasks, n_tasks, res);
	solver_free(solv);
	jobs_free(&j);
	return 0;
}

void solve_result_free(struct solve_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_items; i++) {
		struct solve_item *it = &r->items[i];
		free(it->name);
		free(it->version);
		free(it->release);
		free(it->arch);
		free(it->repo);
		free(it->reason);
		free(it->from);
		free(it->location);
		free(it->checksum_type);
		free(it->checksum);
	}
	free(r->items);
	for (size_t i = 0; i < r->n_problems; i++) {
		struct solve_problem *p = &r->problems[i];
		free(p->summary);
		strv_free_n(p->rules, p->n_rules);
		strv_free_n(p->packages, p->n_packages);
		strv_free_n(p->solutions, p->n_solutions);
	}
	free(r->problems);
	memset(r, 0, sizeof(*r));
}

const struct solve_stats *solve_get_stats(struct solve_ctx *s)
{
	return &s->stats;
}

/* ---- fingerprint ---- */

static char *fingerprint_of(Repo *repo)
{
	Pool *pool = repo->pool;
	char **lines = xcalloc((size_t)repo->nsolvables + 1, sizeof(char *));
	size_t n = 0;
	Id p;
	Solvable *sv;
	FOR_REPO_SOLVABLES(repo, p, sv) {
		Id t;
		const char *hdr = solvable_lookup_checksum(sv, SOLVABLE_HDRID, &t);
		lines[n++] = xasprintf("%s %s %llu", pool_solvid2str(pool, p), hdr ? hdr : "-",
				       solvable_lookup_num(sv, SOLVABLE_INSTALLTIME, 0));
	}
	if (n)
		qsort(lines, n, sizeof(char *), str_cmp_qsort);
	struct sha256_ctx c;
	sha256_init(&c);
	for (size_t i = 0; i < n; i++) {
		sha256_update(&c, lines[i], strlen(lines[i]));
		sha256_update(&c, "\n", 1);
		free(lines[i]);
	}
	free(lines);
	uint8_t out[32];
	sha256_final(&c, out);
	_cleanup_free_ char *h = hex(out, 32);
	return xasprintf("%zu:%s", n, h);
}

static char **nevras_of(Repo *repo)
{
	char **v = xcalloc((size_t)repo->nsolvables + 1, sizeof(char *));
	size_t n = 0;
	Id p;
	Solvable *sv;
	FOR_REPO_SOLVABLES(repo, p, sv) {
		v[n++] = solvable_nevra(repo->pool, p);
	}
	if (n)
		qsort(v, n, sizeof(char *), str_cmp_qsort);
	return v;
}

char *solve_installed_fingerprint(struct solve_ctx *s)
{
	return s->installed ? fingerprint_of(s->installed) : NULL;
}

char **solve_installed_nevras(struct solve_ctx *s)
{
	return s->installed ? nevras_of(s->installed) : xcalloc(1, sizeof(char *));
}

int solve_rpmdb_fingerprint(const char *root, char **ret_fingerprint, char ***ret_nevras, char **ret_err)
{
	Pool *pool = pool_create();
	pool_setdisttype(pool, DISTTYPE_RPM);
	Repo *repo = repo_create(pool, "@System");
	int r = load_rpmdb_into(repo, root, ret_err);
	if (r >= 0) {
		*ret_fingerprint = fingerprint_of(repo);
		if (ret_nevras)
			*ret_nevras = nevras_of(repo);
	}
	pool_free(pool);
	return r;
}

/* ---- an installation into an empty root (the target userspace) ---- */

int solve_run_install(struct solve_ctx *s, const struct solve_task *tasks, size_t n_tasks, struct solve_result *res,
		      char **ret_err)
{
	memset(res, 0, sizeof(*res));
	if (s->installed) {
		*ret_err = xstrdup("solve_run_install: the root must be empty (no installed packages loaded)");
		return -EINVAL;
	}
	if (s->solved) {
		*ret_err = xstrdup("solve_run_install: one solve per context");
		return -EALREADY;
	}
	s->solved = true;
	Pool *pool = s->pool;
	int prep = pool_prepare(s, ret_err);
	if (prep < 0)
		return prep;
	double t0 = now_monotonic();
	Queue job;
	queue_init(&job);
	struct job_origin *origins = xcalloc(n_tasks + 1, sizeof(*origins));
	size_t n_orig = 0;
	for (size_t i = 0; i < n_tasks; i++) {
		const struct solve_task *t = &tasks[i];
		if (t->kind != SOLVE_TASK_INSTALL)
			continue;
		Id dep = pool_str2id(pool, t->name, 0);
		bool any = false;
		Id p, pp;
		if (dep) {
			FOR_PROVIDES(p, pp, dep) {
				if (pool_installable(pool, pool->solvables + p))
					any = true;
			}
		}
		if (!any) {
			res->problems = xrealloc(res->problems, (res->n_problems + 1) * sizeof(*res->problems));
			struct solve_problem *pr = &res->problems[res->n_problems++];
			memset(pr, 0, sizeof(*pr));
			pr->summary = xasprintf("package %s is not available in the target repositories%s", t->name,
						dep ? " (it is excluded or filtered out)" : "");
			strv_push_unique(&pr->rules, &pr->n_rules, t->reason);
			strv_push_unique(&pr->packages, &pr->n_packages, t->name);
			continue;
		}
		queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, dep);
		origins[n_orig++] = (struct job_origin){t, NULL};
	}
	if (res->n_problems) {
		free(origins);
		queue_free(&job);
		return 0;
	}
	Solver *solv = solver_create(pool);
	/* what is asked for and what it requires; weak dependencies stay out, as the userspace is
	 * only a tool chest for the upgrade */
	solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, 1);
	int nprob = solver_solve(solv, &job);
	s->stats.t_solve += now_monotonic() - t0;
	if (nprob > 0) {
		explain_problems(s, solv, origins, n_orig, nprob, res);
		free(origins);
		solver_free(solv);
		queue_free(&job);
		return 0;
	}
	Transaction *trans = solver_create_transaction(solv);
	res->items = xcalloc((size_t)trans->steps.count + 1, sizeof(*res->items));
	for (int i = 0; i < trans->steps.count; i++) {
		Id p = trans->steps.elements[i];
		struct solve_item it = {.action = SOLVE_ACTION_INSTALL};
		item_fill(s, &it, p);
		const struct solve_task *t = NULL;
		for (size_t k = 0; k < n_tasks && !t; k++) {
			if (tasks[k].kind != SOLVE_TASK_INSTALL)
				continue;
			Id dep = pool_str2id(pool, tasks[k].name, 0), q, qq;
			if (!dep)
				continue;
			FOR_PROVIDES(q, qq, dep) {
				if (q == p)
					t = &tasks[k];
			}
		}
		it.reason = t ? xstrdup(t->reason) : decision_reason(solv, p, false);
		if (!it.reason)
			it.reason = xstrdup("dependency");
		res->items[res->n_items++] = it;
	}
	if (res->n_items)
		qsort(res->items, res->n_items, sizeof(*res->items), cmp_item);
	res->counts[SOLVE_ACTION_INSTALL] = res->n_items;
	transaction_free(trans);
	solver_free(solv);
	queue_free(&job);
	free(origins);
	return 0;
}
