/* librpm transactions for the upgrade: build from package files and erasures, check, order,
 * run (test or real), and turn rpm's problem set and callbacks into a result (rpmtrans.h). */
#include "rpm.h"
#include "leapp/strmap.h"

#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmio.h>
#include <rpm/rpmkeyring.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmprob.h>
#include <rpm/rpmps.h>
#include <rpm/rpmte.h>
#include <rpm/rpmts.h>

#include "leapp/util.h"

struct pkg {
	char *path;
	FD_t fd;                /* open while librpm installs it */
};

struct rpmtrans {
	struct rpmtrans_opts o;
	char *root, *dbpath;
	rpmts ts;
	struct pkg **pkgs;
	size_t n_pkgs;
	FD_t script_fd;
	bool macro_pushed;
	/* during a run */
	struct strmap elems;    /* NEVRA -> index+1 into res->packages */
	struct rpmtrans_result *res;
	uint64_t n_elems;
};

const char *rpmtrans_rpm_version(void)
{
	return RPMVERSION;
}

int rpmtrans_new(const struct rpmtrans_opts *o, struct rpmtrans **ret, char **ret_err)
{
	int r = rpmenv_init(ret_err);
	if (r < 0)
		return r;
	const char *root = o->root && *o->root ? o->root : "/";
	const char *dbpath = o->dbpath ? o->dbpath : rpmenv_dbpath(root);
	if (!dbpath)
		dbpath = "/var/lib/rpm";
	if (dbpath[0] != '/') {
		*ret_err = xasprintf("the rpmdb path %s is not absolute (it is relative to the root %s)", dbpath, root);
		return -EINVAL;
	}
	struct rpmtrans *t = xcalloc(1, sizeof(*t));
	t->o = *o;
	t->root = xstrdup(root);
	t->dbpath = xstrdup(dbpath);
	strmap_init(&t->elems);
	/* Debian's librpm would use ~/.rpmdb: the path is always explicit */
	rpmPushMacro(NULL, "_dbpath", NULL, t->dbpath, RMIL_CMDLINE);
	t->macro_pushed = true;
	t->ts = rpmtsCreate();
	rpmtsSetRootDir(t->ts, t->root);
	if (!o->verify) {
		/* the caller verified the files (keys.c) already: no keyring, so librpm never loads one
		 * from the rpmdb, and reading a header checks nothing */
		rpmKeyring empty = rpmKeyringNew();
		rpmtsSetKeyring(t->ts, empty);
		rpmKeyringFree(empty);
		rpmtsSetVSFlags(t->ts, _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
		rpmtsSetVfyLevel(t->ts, 0);
	}
	if (o->script_fd > 0) {
		int fd = fcntl(o->script_fd, F_DUPFD_CLOEXEC, 3);
		if (fd >= 0) {
			t->script_fd = fdDup(fd);
			close(fd);
			rpmtsSetScriptFd(t->ts, t->script_fd);
		}
	}
	if (!o->create_db) {
		/* librpm would create an empty database where there is none, even for a test */
		_cleanup_free_ char *dir = path_join(t->root, t->dbpath);
		if (!rpmrebuild_format(dir)) {
			*ret_err = xasprintf("no rpm database in %s", dir);
			rpmtrans_free(t);
			return -ENOENT;
		}
	}
	if (o->create_db) {
		_cleanup_free_ char *dir = path_join(t->root, t->dbpath);
		r = mkdir_p(dir, 0755);
		if (r < 0 || rpmtsInitDB(t->ts, 0644) != 0) {
			*ret_err = r < 0 ? xasprintf("cannot create %s: %s", dir, strerror(-r))
					 : xasprintf("cannot create an rpm database in %s: %s", dir,
						     rpmenv_log_last() ? rpmenv_log_last() : "librpm error");
			rpmtrans_free(t);
			return r < 0 ? r : -EIO;
		}
	}
	rpmenv_log_clear();
	if (rpmtsOpenDB(t->ts, o->test ? O_RDONLY : O_RDWR) != 0) {
		*ret_err = xasprintf("cannot open the rpm database %s%s: %s", strcmp(t->root, "/") ? t->root : "", t->dbpath,
				     rpmenv_log_last() ? rpmenv_log_last() : "librpm error");
		rpmtrans_free(t);
		return -EIO;
	}
	*ret = t;
	return 0;
}

void rpmtrans_free(struct rpmtrans *t)
{
	if (!t)
		return;
	if (t->ts) {
		rpmtsEmpty(t->ts);
		rpmtsFree(t->ts);
	}
	for (size_t i = 0; i < t->n_pkgs; i++) {
		if (t->pkgs[i]->fd)
			Fclose(t->pkgs[i]->fd);
		free(t->pkgs[i]->path);
		free(t->pkgs[i]);
	}
	free(t->pkgs);
	if (t->script_fd)
		Fclose(t->script_fd);
	if (t->macro_pushed)
		rpmPopMacro(NULL, "_dbpath");
	strmap_clear(&t->elems, NULL);
	free(t->root);
	free(t->dbpath);
	free(t);
}

/* name-[E:]V-R.arch with the epoch only when it is not 0 (the plan's and solve.c's form) */
static char *hdr_nevra(Header h)
{
	const char *n = headerGetString(h, RPMTAG_NAME), *v = headerGetString(h, RPMTAG_VERSION),
		   *r = headerGetString(h, RPMTAG_RELEASE), *a = headerGetString(h, RPMTAG_ARCH);
	uint64_t e = headerGetNumber(h, RPMTAG_EPOCH);
	struct buf b = {0};
	buf_printf(&b, "%s-", n ? n : "?");
	if (e)
		buf_printf(&b, "%" PRIu64 ":", e);
	buf_printf(&b, "%s-%s", v ? v : "?", r ? r : "?");
	if (a)
		buf_printf(&b, ".%s", a);
	return buf_steal(&b);
}

static char *te_nevra(rpmte te)
{
	const char *e = rpmteE(te), *a = rpmteA(te);
	bool epoch = e && *e && strcmp(e, "0");
	return xasprintf("%s-%s%s%s-%s%s%s", rpmteN(te), epoch ? e : "", epoch ? ":" : "", rpmteV(te), rpmteR(te),
			 a && *a ? "." : "", a ? a : "");
}

int rpmtrans_add_package(struct rpmtrans *t, const char *path, enum rpmtrans_how how, char **ret_err)
{
	FD_t fd = Fopen(path, "r.ufdio");
	if (!fd || Ferror(fd)) {
		int r = errno ? -errno : -EIO;
		*ret_err = xasprintf("%s: %s", path, fd ? Fstrerror(fd) : strerror(-r));
		if (fd)
			Fclose(fd);
		return r;
	}
	Header h = NULL;
	rpmenv_log_clear();
	rpmRC rc = rpmReadPackageFile(t->ts, fd, path, &h);
	Fclose(fd);
	if (rc != RPMRC_OK || !h) {
		const char *why = rpmenv_log_last();
		*ret_err = xasprintf("%s: %s", path,
				     why		    ? why
				     : rc == RPMRC_NOKEY    ? "signed with a key the rpmdb does not have"
				     : rc == RPMRC_NOTFOUND ? "not an rpm package"
							    : "librpm cannot read the package");
		headerFree(h);
		return rc == RPMRC_NOTFOUND ? -EINVAL : -EBADMSG;
	}
	struct pkg *p = xcalloc(1, sizeof(*p));
	p->path = xstrdup(path);
	t->pkgs = xrealloc(t->pkgs, (t->n_pkgs + 1) * sizeof(*t->pkgs));
	t->pkgs[t->n_pkgs++] = p;
	int r = 0;
	bool reinstall = how == RPMTRANS_REINSTALL;
	if (how == RPMTRANS_AUTO) {
		/* exactly this NEVRA installed: a reinstall (rpm -U would call it "already installed") */
		rpmdbMatchIterator mi = rpmtsInitIterator(t->ts, RPMDBI_NAME, headerGetString(h, RPMTAG_NAME), 0);
		Header oh;
		while (mi && (oh = rpmdbNextIterator(mi)) && !reinstall) {
			const char *a = headerGetString(h, RPMTAG_ARCH), *oa = headerGetString(oh, RPMTAG_ARCH);
			reinstall = rpmVersionCompare(h, oh) == 0 && a && oa && !strcmp(a, oa);
		}
		rpmdbFreeIterator(mi);
	}
	if (reinstall)
		r = rpmtsAddReinstallElement(t->ts, h, p);
	else
		r = rpmtsAddInstallElement(t->ts, h, p, how == RPMTRANS_BESIDE ? 0 : 1, NULL);
	if (r != 0) {
		_cleanup_free_ char *nevra = hdr_nevra(h);
		*ret_err = xasprintf("%s (%s): librpm refuses to add it to the transaction%s%s", nevra, path,
				     rpmenv_log_last() ? ": " : "", rpmenv_log_last() ? rpmenv_log_last() : "");
		headerFree(h);
		return -EINVAL;
	}
	headerFree(h);
	return 0;
}

/* The name part of name-[E:]V-R[.arch]: everything before the second-to-last dash. */
static char *name_of(const char *nevra)
{
	char *n = xstrdup(nevra);
	for (int k = 0; k < 2; k++) {
		char *d = strrchr(n, '-');
		if (!d) {
			free(n);
			return NULL;
		}
		*d = 0;
	}
	return n;
}

int rpmtrans_add_erase(struct rpmtrans *t, const char *nevra, char **ret_err)
{
	_cleanup_free_ char *name = name_of(nevra);
	if (!name) {
		*ret_err = xasprintf("%s: not a name-version-release", nevra);
		return -EINVAL;
	}
	rpmdbMatchIterator mi = rpmtsInitIterator(t->ts, RPMDBI_NAME, name, 0);
	Header h;
	int found = 0;
	while (mi && (h = rpmdbNextIterator(mi))) {
		_cleanup_free_ char *full = hdr_nevra(h);
		/* the same without the arch, and with an explicit 0: epoch */
		_cleanup_free_ char *noarch = xstrdup(full);
		const char *a = headerGetString(h, RPMTAG_ARCH);
		if (a && str_endswith(noarch, a) && strlen(noarch) > strlen(a))
			noarch[strlen(noarch) - strlen(a) - 1] = 0;
		_cleanup_free_ char *e0 = xasprintf("%s-0:%s", name, full + strlen(name) + 1);
		if (strcmp(full, nevra) && strcmp(noarch, nevra) && strcmp(e0, nevra))
			continue;
		if (rpmtsAddEraseElement(t->ts, h, (int)rpmdbGetIteratorOffset(mi)) != 0) {
			*ret_err = xasprintf("%s: librpm refuses to erase it", nevra);
			rpmdbFreeIterator(mi);
			return -EINVAL;
		}
		found++;
	}
	rpmdbFreeIterator(mi);
	if (!found) {
		*ret_err = xasprintf("%s: not installed", nevra);
		return -ENOENT;
	}
	return 0;
}

int rpmtrans_import_key(struct rpmtrans *t, const char *armored, char **ret_err)
{
	if (t->o.test) {
		*ret_err = xstrdup("a test transaction does not import keys");
		return -EROFS;
	}
	uint8_t *pkt = NULL;
	size_t len = 0;
	if (pgpParsePkts(armored, &pkt, &len) != PGPARMOR_PUBKEY) {
		free(pkt);
		*ret_err = xstrdup("not an ASCII-armored public key");
		return -EINVAL;
	}
	int r = 0;
	size_t off = 0;
	while (off < len && r == 0) {
		size_t certlen = 0;
		if (pgpPubKeyCertLen(pkt + off, len - off, &certlen) != 0 || !certlen) {
			*ret_err = xstrdup("a damaged public key");
			r = -EINVAL;
			break;
		}
		rpmenv_log_clear();
		if (rpmtsImportPubkey(t->ts, pkt + off, certlen) != RPMRC_OK) {
			*ret_err = xasprintf("librpm cannot import the key: %s",
					     rpmenv_log_last() ? rpmenv_log_last() : "librpm error");
			r = -EIO;
		}
		off += certlen;
	}
	free(pkt);
	return r;
}

static char **elements(struct rpmtrans *t, rpmElementTypes types)
{
	size_t n = 0, cap = 16;
	char **v = xcalloc(cap, sizeof(char *));
	rpmtsi pi = rpmtsiInit(t->ts);
	rpmte te;
	while ((te = rpmtsiNext(pi, types))) {
		if (n + 1 >= cap)
			v = xrealloc(v, (cap *= 2) * sizeof(char *));
		v[n++] = te_nevra(te);
	}
	v[n] = NULL;
	rpmtsiFree(pi);
	return v;
}

char **rpmtrans_erasures(struct rpmtrans *t)
{
	return elements(t, TR_REMOVED);
}

char **rpmtrans_installs(struct rpmtrans *t)
{
	return elements(t, TR_ADDED);
}

struct inst {
	char *name, *version, *release, *arch, *nevra;
	uint32_t epoch;
};

static bool in_set(const struct strmap *set, const char *s)
{
	return s && strmap_has(set, s);
}

static int inst_cmp_name(const void *a, const void *b)
{
	const struct inst *x = a, *y = b;
	return strcmp(x->name, y->name);
}

char **rpmtrans_duplicates(struct rpmtrans *t, char *const *installonly, size_t n_installonly)
{
	struct strmap io;
	strmap_init(&io);
	for (size_t i = 0; i < n_installonly; i++)
		strmap_put(&io, installonly[i], NULL);
	struct inst *v = NULL;
	size_t n = 0, cap = 0;
	rpmdbMatchIterator mi = rpmtsInitIterator(t->ts, RPMDBI_PACKAGES, NULL, 0);
	Header h;
	while (mi && (h = rpmdbNextIterator(mi))) {
		const char *name = headerGetString(h, RPMTAG_NAME);
		if (!name || !strcmp(name, "gpg-pubkey") || in_set(&io, name))
			continue;
		bool installonly_pkg = false;
		struct rpmtd_s td;
		if (io.live && headerGet(h, RPMTAG_PROVIDENAME, &td, HEADERGET_MINMEM)) {
			const char *p;
			while (!installonly_pkg && (p = rpmtdNextString(&td)))
				installonly_pkg = in_set(&io, p);
			rpmtdFreeData(&td);
		}
		if (installonly_pkg)
			continue;
		if (n == cap)
			v = xrealloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));
		const char *a = headerGetString(h, RPMTAG_ARCH);
		v[n++] = (struct inst){.name = xstrdup(name),
				       .version = xstrdup(headerGetString(h, RPMTAG_VERSION) ?: ""),
				       .release = xstrdup(headerGetString(h, RPMTAG_RELEASE) ?: ""),
				       .arch = xstrdup(a ? a : ""),
				       .epoch = (uint32_t)headerGetNumber(h, RPMTAG_EPOCH),
				       .nevra = hdr_nevra(h)};
	}
	rpmdbFreeIterator(mi);
	strmap_clear(&io, NULL);
	if (n)
		qsort(v, n, sizeof(*v), inst_cmp_name);
	char **out = xcalloc(n + 1, sizeof(char *));
	size_t n_out = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && !strcmp(v[j].name, v[i].name))
			j++;
		/* each version that a newer one of the same name (and compatible arch) replaces */
		for (size_t k = i; k < j; k++) {
			bool older = false;
			for (size_t m = i; m < j && !older; m++) {
				if (m == k)
					continue;
				bool same_arch = !strcmp(v[k].arch, v[m].arch) || !strcmp(v[k].arch, "noarch") ||
						 !strcmp(v[m].arch, "noarch");
				int c = evr_cmp(v[k].epoch, v[k].version, v[k].release, v[m].epoch, v[m].version, v[m].release);
				older = same_arch && c < 0;
			}
			if (older)
				out[n_out++] = xstrdup(v[k].nevra);
		}
		i = j;
	}
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].version);
		free(v[i].release);
		free(v[i].arch);
		free(v[i].nevra);
	}
	free(v);
	return out;
}

const char *rpmtrans_problem_kind_name(enum rpmtrans_problem_kind k)
{
	static const char *const n[] = {"file-conflict", "disk-space", "disk-inodes", "requires",
					"conflicts",	 "obsoletes",  "already-installed", "old-package",
					"bad-arch",	 "bad-os",     "verify",	    "other"};
	return k <= RPMTRANS_PROB_OTHER ? n[k] : "other";
}

static char *dup0(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static void add_problem(struct rpmtrans_result *res, rpmProblem p)
{
	struct rpmtrans_problem pr = {0};
	const char *pkg = rpmProblemGetPkgNEVR(p), *alt = rpmProblemGetAltNEVR(p), *str = rpmProblemGetStr(p);
	pr.package = dup0(pkg);
	pr.message = rpmProblemString(p);
	switch (rpmProblemGetType(p)) {
	case RPMPROB_FILE_CONFLICT:
	case RPMPROB_NEW_FILE_CONFLICT:
		pr.kind = RPMTRANS_PROB_FILE_CONFLICT;
		pr.file = dup0(str);
		pr.other = dup0(alt);
		break;
	case RPMPROB_DISKSPACE:
	case RPMPROB_DISKNODES:
		pr.kind = rpmProblemGetType(p) == RPMPROB_DISKSPACE ? RPMTRANS_PROB_DISK_SPACE : RPMTRANS_PROB_DISK_INODES;
		pr.filesystem = dup0(str);
		pr.needed = (uint64_t)rpmProblemGetDiskNeed(p);
		break;
	case RPMPROB_REQUIRES:
	case RPMPROB_CONFLICT:
	case RPMPROB_OBSOLETES:
		pr.kind = rpmProblemGetType(p) == RPMPROB_REQUIRES   ? RPMTRANS_PROB_REQUIRES
			  : rpmProblemGetType(p) == RPMPROB_CONFLICT ? RPMTRANS_PROB_CONFLICTS
								     : RPMTRANS_PROB_OBSOLETES;
		/* str1 is the dependency; altNEVR the package that has it (maybe installed: "%s is
		 * needed by (installed) %s"); pkgNEVR the element that breaks it */
		pr.dependency = dup0(str);
		pr.other = dup0(alt);
		break;
	case RPMPROB_PKG_INSTALLED:
		pr.kind = RPMTRANS_PROB_INSTALLED;
		break;
	case RPMPROB_OLDPACKAGE:
		pr.kind = RPMTRANS_PROB_OLD_PACKAGE;
		pr.other = dup0(alt);
		break;
	case RPMPROB_BADARCH:
		pr.kind = RPMTRANS_PROB_BAD_ARCH;
		break;
	case RPMPROB_BADOS:
		pr.kind = RPMTRANS_PROB_BAD_OS;
		break;
	case RPMPROB_VERIFY:
		pr.kind = RPMTRANS_PROB_VERIFY;
		pr.other = dup0(str);
		break;
	default:
		pr.kind = RPMTRANS_PROB_OTHER;
		pr.other = dup0(alt);
		pr.file = dup0(str);
		break;
	}
	if (!pr.message)
		pr.message = xstrdup("unknown problem");
	res->problems = xrealloc(res->problems, (res->n_problems + 1) * sizeof(*res->problems));
	res->problems[res->n_problems++] = pr;
}

static void collect_problems(struct rpmtrans *t, struct rpmtrans_result *res)
{
	rpmps ps = rpmtsProblems(t->ts);
	rpmpsi psi = rpmpsInitIterator(ps);
	rpmProblem p;
	while ((p = rpmpsiNext(psi)))
		add_problem(res, p);
	rpmpsFreeIterator(psi);
	rpmpsFree(ps);
}

static const char *script_name(rpm_loff_t tag)
{
	switch ((rpmTagVal)tag) {
	case RPMTAG_PRETRANS: return "%pretrans";
	case RPMTAG_PREIN: return "%pre";
	case RPMTAG_POSTIN: return "%post";
	case RPMTAG_PREUN: return "%preun";
	case RPMTAG_POSTUN: return "%postun";
	case RPMTAG_POSTTRANS: return "%posttrans";
	case RPMTAG_TRIGGERPREIN: return "%triggerprein";
	case RPMTAG_TRIGGERIN: return "%triggerin";
	case RPMTAG_TRIGGERUN: return "%triggerun";
	case RPMTAG_TRIGGERPOSTUN: return "%triggerpostun";
	case RPMTAG_VERIFYSCRIPT: return "%verifyscript";
	default: return "a";
	}
}

static void set_state(struct rpmtrans *t, const void *h, enum rpmtrans_pkg_state st, const char *detail)
{
	if (!h || !t->res)
		return;
	_cleanup_free_ char *nevra = hdr_nevra((Header)h);
	size_t idx = (size_t)(uintptr_t)strmap_get(&t->elems, nevra);
	if (!idx)
		return;
	struct rpmtrans_pkg *p = &t->res->packages[idx - 1];
	if (p->state == RPMTRANS_PKG_FAILED)
		return; /* the first failure is what matters */
	p->state = st;
	if (detail) {
		free(p->detail);
		p->detail = xstrdup(detail);
	}
}

static void *notify(const void *h, const rpmCallbackType what, const rpm_loff_t amount, const rpm_loff_t total,
		    fnpyKey key, rpmCallbackData data)
{
	struct rpmtrans *t = data;
	struct pkg *p = (struct pkg *)key;
	switch (what) {
	case RPMCALLBACK_INST_OPEN_FILE:
		if (!p)
			return NULL;
		p->fd = Fopen(p->path, "r.ufdio");
		if (p->fd && Ferror(p->fd)) {
			Fclose(p->fd);
			p->fd = NULL;
		}
		return p->fd;
	case RPMCALLBACK_INST_CLOSE_FILE:
		if (p && p->fd) {
			Fclose(p->fd);
			p->fd = NULL;
		}
		return NULL;
	case RPMCALLBACK_TRANS_START:
	case RPMCALLBACK_TRANS_PROGRESS:
	case RPMCALLBACK_TRANS_STOP:
		if (t->o.progress)
			t->o.progress("preparing", what == RPMCALLBACK_TRANS_STOP ? (uint64_t)total : (uint64_t)amount,
				      (uint64_t)total, t->o.userdata);
		return NULL;
	case RPMCALLBACK_VERIFY_PROGRESS:
		if (t->o.progress)
			t->o.progress("verifying", (uint64_t)amount, (uint64_t)total, t->o.userdata);
		return NULL;
	case RPMCALLBACK_ELEM_PROGRESS:
		if (t->o.progress)
			t->o.progress(t->o.test ? "testing" : "installing", (uint64_t)amount + 1, (uint64_t)total,
				      t->o.userdata);
		return NULL;
	case RPMCALLBACK_INST_STOP:
	case RPMCALLBACK_UNINST_STOP:
		set_state(t, h, RPMTRANS_PKG_DONE, NULL);
		return NULL;
	case RPMCALLBACK_UNPACK_ERROR:
	case RPMCALLBACK_CPIO_ERROR:
		set_state(t, h, RPMTRANS_PKG_FAILED, what == RPMCALLBACK_CPIO_ERROR ? "unpacking its files failed"
										      : "unpacking the package failed");
		return NULL;
	case RPMCALLBACK_SCRIPT_ERROR: {
		if (!t->res)
			return NULL;
		_cleanup_free_ char *nevra = h ? hdr_nevra((Header)h) : xstrdup("?");
		/* total is the scriptlet's outcome: RPMRC_OK when rpm only warns (%post and later) */
		bool fatal = total != RPMRC_OK;
		char *line = xasprintf("%s: %s scriptlet failed%s", nevra, script_name(amount),
				       fatal ? ", so the package was not installed (or not erased)" : "");
		t->res->script_failures = xrealloc(t->res->script_failures,
						   (t->res->n_script_failures + 1) * sizeof(char *));
		t->res->script_failures[t->res->n_script_failures++] = line;
		if (fatal)
			set_state(t, h, RPMTRANS_PKG_FAILED, line);
		return NULL;
	}
	default:
		return NULL;
	}
}

int rpmtrans_run(struct rpmtrans *t, struct rpmtrans_result *res, char **ret_err)
{
	memset(res, 0, sizeof(*res));
	rpmtransFlags flags = RPMTRANS_FLAG_NONE;
	if (t->o.test)
		flags |= RPMTRANS_FLAG_TEST;
	if (t->o.noscripts)
		flags |= RPMTRANS_FLAG_NOSCRIPTS | RPMTRANS_FLAG_NOTRIGGERS;
	if (!t->o.plugins)
		flags |= RPMTRANS_FLAG_NOPLUGINS;
	rpmtsSetFlags(t->ts, flags);
	rpmtsSetNotifyCallback(t->ts, notify, t);
	rpmenv_log_clear();
	if (rpmtsCheck(t->ts) != 0) {
		*ret_err = xasprintf("librpm cannot check the transaction's dependencies: %s",
				     rpmenv_log_last() ? rpmenv_log_last() : "librpm error");
		return -EIO;
	}
	collect_problems(t, res);
	rpmtsi pi = rpmtsiInit(t->ts);
	rpmte te;
	while ((te = rpmtsiNext(pi, 0))) {
		if (rpmteType(te) == TR_REMOVED)
			res->erasures++;
		else
			res->installs++;
	}
	rpmtsiFree(pi);
	if (res->n_problems)
		goto out; /* as rpm -U: unresolved dependencies stop it here */
	(void)rpmtsOrder(t->ts);
	if (!t->o.test) {
		/* one entry per element, in the order they will run */
		res->packages = xcalloc((size_t)rpmtsNElements(t->ts) + 1, sizeof(*res->packages));
		pi = rpmtsiInit(t->ts);
		while ((te = rpmtsiNext(pi, 0))) {
			struct rpmtrans_pkg *p = &res->packages[res->n_packages++];
			p->nevra = te_nevra(te);
			p->erase = rpmteType(te) == TR_REMOVED;
			p->state = RPMTRANS_PKG_NOT_RUN;
			strmap_put(&t->elems, p->nevra, (void *)(uintptr_t)res->n_packages);
		}
		rpmtsiFree(pi);
	}
	t->res = res;
	/* downgrades are the plan's decision, not a mistake to warn about */
	int rc = rpmtsRun(t->ts, NULL, RPMPROB_FILTER_OLDPACKAGE);
	t->res = NULL;
	collect_problems(t, res);
	if (rc < 0 && !res->n_problems && t->o.test) {
		*ret_err = xasprintf("librpm cannot run the test transaction: %s",
				     rpmenv_log_last() ? rpmenv_log_last() : "librpm error");
		return -EIO;
	}
	if (!t->o.test && rc > 0 && !res->n_problems) {
		/* rpm gave up before any element (e.g. the lock): nothing ran */
		for (size_t i = 0; i < res->n_packages; i++)
			res->packages[i].state = RPMTRANS_PKG_NOT_RUN;
	}
out:;
	bool all_done = true;
	for (size_t i = 0; i < res->n_packages; i++)
		all_done &= res->packages[i].state == RPMTRANS_PKG_DONE;
	res->ok = !res->n_problems && (t->o.test || all_done);
	const char *log = rpmenv_log();
	res->rpm_log = *log ? xstrdup(log) : NULL;
	return 0;
}

void rpmtrans_result_free(struct rpmtrans_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_problems; i++) {
		struct rpmtrans_problem *p = &r->problems[i];
		free(p->package);
		free(p->other);
		free(p->file);
		free(p->dependency);
		free(p->filesystem);
		free(p->message);
	}
	free(r->problems);
	for (size_t i = 0; i < r->n_packages; i++) {
		free(r->packages[i].nevra);
		free(r->packages[i].detail);
	}
	free(r->packages);
	for (size_t i = 0; i < r->n_script_failures; i++)
		free(r->script_failures[i]);
	free(r->script_failures);
	free(r->rpm_log);
	memset(r, 0, sizeof(*r));
}
