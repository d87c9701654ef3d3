/* fault_vfs.c - the fault injector of the unit-test sweeps (fault_vfs.h):
 * a VFS shim registered as SQLite's default, a counting SQLite allocator,
 * and the link-time wrappers of the C allocator. Tests only. */
#include "fault_vfs.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The real allocator, reached through -Wl,--wrap (README.md). */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t sz);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t sz);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static enum fault_kind fault_armed;
static int fault_nth, fault_rc, fault_seen, fault_points;
static bool fault_persist, fault_fired;

static sqlite3_vfs *fault_real;
static sqlite3_vfs fault_vfs;
static sqlite3_mem_methods fault_mem_real;

/* Counts one operation of kind; true when it must fail. */
static bool
fault_step(enum fault_kind kind)
{
	if (fault_armed != kind)
		return false;
	fault_seen++;
	if (fault_seen == fault_nth || (fault_persist && fault_seen > fault_nth)) {
		fault_fired = true;
		return true;
	}
	return false;
}

void
fault_arm(enum fault_kind kind, int nth, int rc, bool persist)
{
	fault_armed = kind;
	fault_nth = nth;
	fault_rc = rc;
	fault_persist = persist;
	fault_seen = 0;
	fault_fired = false;
}

void
fault_clear(void)
{
	fault_armed = FAULT_NONE;
}

bool
fault_hit(void)
{
	return fault_fired;
}

int
fault_count(void)
{
	return fault_seen;
}

/* The C allocator (the gateway's and the test's own code). */
void *
__wrap_malloc(size_t n)
{
	return fault_step(FAULT_ALLOC) ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t sz)
{
	return fault_step(FAULT_ALLOC) ? NULL : __real_calloc(n, sz);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return fault_step(FAULT_ALLOC) ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = __wrap_malloc(n);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

char *
__wrap_strndup(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *d = __wrap_malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* SQLite's allocator, counted. */
static void *
fault_mem_malloc(int n)
{
	return fault_step(FAULT_ALLOC) ? NULL : fault_mem_real.xMalloc(n);
}

static void *
fault_mem_realloc(void *p, int n)
{
	return fault_step(FAULT_ALLOC) ? NULL : fault_mem_real.xRealloc(p, n);
}

/* The VFS shim: each file wraps one of the real VFS. */
struct fault_file {
	sqlite3_file base;
	sqlite3_file *real; /* right after this struct */
};

#define REAL(f) (((struct fault_file *)(f))->real)

static int
ff_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int
ff_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int
ff_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (fault_step(FAULT_WRITE))
		return fault_rc;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int
ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
ff_sync(sqlite3_file *f, int flags)
{
	if (fault_step(FAULT_SYNC))
		return fault_rc == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int
ff_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
ff_lock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xLock(REAL(f), lock);
}

static int
ff_unlock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}

static int
ff_check_lock(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
ff_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
ff_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
ff_dev(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
ff_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int
ff_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void
ff_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
ff_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int
ff_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int
ff_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods ff_methods = {
	.iVersion = 3,
	.xClose = ff_close,
	.xRead = ff_read,
	.xWrite = ff_write,
	.xTruncate = ff_truncate,
	.xSync = ff_sync,
	.xFileSize = ff_size,
	.xLock = ff_lock,
	.xUnlock = ff_unlock,
	.xCheckReservedLock = ff_check_lock,
	.xFileControl = ff_control,
	.xSectorSize = ff_sector,
	.xDeviceCharacteristics = ff_dev,
	.xShmMap = ff_shm_map,
	.xShmLock = ff_shm_lock,
	.xShmBarrier = ff_shm_barrier,
	.xShmUnmap = ff_shm_unmap,
	.xFetch = ff_fetch,
	.xUnfetch = ff_unfetch,
};

static int
fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	struct fault_file *p = (struct fault_file *)f;
	int rc;

	(void)vfs;
	p->base.pMethods = NULL;
	p->real = (sqlite3_file *)&p[1];
	if (fault_step(FAULT_OPEN))
		return fault_rc == SQLITE_FULL ? SQLITE_FULL : SQLITE_CANTOPEN;
	rc = fault_real->xOpen(fault_real, name, p->real, flags, out_flags);
	/* SQLite calls xClose whenever pMethods is set, even after a failure. */
	if (p->real->pMethods != NULL)
		p->base.pMethods = &ff_methods;
	return rc;
}

int
fault_init(void)
{
	sqlite3_mem_methods mem;

	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &fault_mem_real) != SQLITE_OK)
		return -1;
	mem = fault_mem_real;
	mem.xMalloc = fault_mem_malloc;
	mem.xRealloc = fault_mem_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mem) != SQLITE_OK)
		return -1;
	if (sqlite3_initialize() != SQLITE_OK)
		return -1;
	fault_real = sqlite3_vfs_find(NULL);
	if (fault_real == NULL)
		return -1;
	fault_vfs = *fault_real;
	fault_vfs.zName = "fault";
	fault_vfs.szOsFile = (int)sizeof(struct fault_file) + fault_real->szOsFile;
	fault_vfs.xOpen = fault_open;
	return sqlite3_vfs_register(&fault_vfs, 1) == SQLITE_OK ? 0 : -1;
}

int
fault_sweep_run(const struct fault_sweep *s, void *arg)
{
	int n, points = 0;

	for (n = 1; n <= s->max; n += (s->stride > 1 && n >= 64) ? s->stride : 1) {
		int rc;
		bool hit;

		points++;
		if (s->reset != NULL)
			s->reset(arg);
		fault_arm(s->kind, n, s->rc, s->persist);
		rc = s->op(arg);
		hit = fault_hit();
		fault_clear();
		s->check(arg, rc, hit);
		if (!hit)
			break;
	}
	if (n > s->max) {
		fprintf(stderr, "sweep %s: still faulting after %d points\n", s->name, s->max);
		abort();
	}
	fault_points += points;
	printf("sweep %s: %d points\n", s->name, points);
	return points;
}

int
fault_sweep_total(void)
{
	return fault_points;
}
