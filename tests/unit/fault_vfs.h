/* fault_vfs.h - injected faults for the unit-test sweeps (issue 11): a
 * SQLite VFS shim over the default one that fails the Nth write, fsync
 * (xSync) or open with a chosen code (SQLITE_IOERR_*, SQLITE_FULL), and a
 * count of allocations that fails the Nth: SQLite's own (through
 * SQLITE_CONFIG_MALLOC) and the gateway's (malloc, calloc, realloc, strdup,
 * strndup wrapped at link time with -Wl,--wrap; see README.md). Tests only:
 * link fault_vfs.o into a binary built with FAULT_WRAP (the Makefile's rule
 * for test_fault_*). Not thread-safe: the sweeps run on one thread. */
#ifndef KAWAN_FAULT_VFS_H
#define KAWAN_FAULT_VFS_H

#include <stdbool.h>

enum fault_kind {
	FAULT_NONE = 0,
	FAULT_WRITE, /* xWrite (and xTruncate) of any file: db, -wal, journal */
	FAULT_SYNC,  /* xSync */
	FAULT_OPEN,  /* xOpen */
	FAULT_ALLOC, /* an allocation, SQLite's or the gateway's */
};

/* Registers the shim as SQLite's default VFS and installs the counting
 * allocator. Call first in main(), before anything touches SQLite. 0 or -1. */
int fault_init(void);

/* Arms a fault: the nth operation of kind from now (1-based) fails with
 * rc (a SQLite code; ignored for FAULT_ALLOC), and, when persist, every
 * one after it too (a full disk); otherwise only that one. Counting starts
 * at 0 again. */
void fault_arm(enum fault_kind kind, int nth, int rc, bool persist);
/* Disarms (space came back). */
void fault_clear(void);
/* Whether the armed fault fired since fault_arm. */
bool fault_hit(void);
/* How many operations of the armed kind were counted since fault_arm:
 * after a run with nothing armed at a high nth, the sweep's upper bound. */
int fault_count(void);

/* Runs op(arg) with the fault at n = 1, 2, ... until a run hits no fault
 * (the operation completed before the nth one), calling check(arg, rc, hit)
 * after each run (with the fault cleared) and reset(arg) before each.
 * op returns its result code; check asserts. Returns how many sweep
 * points ran (the last, clean one included). max bounds the sweep (a
 * runaway fails the test). */
struct fault_sweep {
	const char *name;
	enum fault_kind kind;
	int rc;
	bool persist;
	int max;
	int stride; /* 0 or 1: every N; k: every N up to 64, then every kth (a long
		     * operation: store_open on a new file makes ~41,000 allocations) */
	void (*reset)(void *arg);
	int (*op)(void *arg);
	void (*check)(void *arg, int rc, bool hit);
};
int fault_sweep_run(const struct fault_sweep *s, void *arg);

/* The points run by every fault_sweep_run of this process, for the totals. */
int fault_sweep_total(void);

#endif
