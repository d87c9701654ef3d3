/* harness.h - drives one end-to-end scenario: a temporary directory, the
 * simulated modem (kawan-modemsim), the gateway (kawan-gateway) configured
 * against it, the sim's control socket, and the gateway's database.
 *
 * Every wait polls a condition against a deadline; a wait that times out
 * prints the tails of the logs, marks the harness failed (its directory is
 * then kept for inspection) and returns -1. Processes started here are
 * killed by harness_fini(), and by hproc's atexit/signal hooks otherwise.
 * The harness does not link cmocka, so benchmarks use it too. */
#ifndef KAWAN_HARNESS_H
#define KAWAN_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hbuf.h"
#include "hctl.h"
#include "hdb.h"
#include "hproc.h"

#define HARNESS_PATH_MAX 512

/* What goes into the gateway's configuration and the sim's command line.
 * harness_init() fills defaults; change fields before starting. Strings are
 * borrowed and must outlive their use. */
struct harness_opts {
	const char *reply_text;      /* router.reply_text */
	const char *log_level;
	const char *cfg_pin;         /* modem pin in the config; "" none */
	double poll_interval;        /* seconds */
	double reopen_min, reopen_max;
	double retry_min, retry_max;
	int max_attempts;
	double partial_timeout;
	int max_text_bytes;
	const char *sim_pin;         /* --pin, NULL none */
	int sim_capacity;            /* --capacity, 0 for the sim's default */
	const char *gammu_log;       /* "" none; "auto" for <dir>/gammu.log */
};

struct harness {
	char name[64];
	char dir[HARNESS_PATH_MAX];
	char bin[HARNESS_PATH_MAX];     /* KAWAN_BIN or ./build, absolute */
	char link[HARNESS_PATH_MAX];    /* the pty link the gateway opens */
	char ctl[HARNESS_PATH_MAX];     /* the sim's control socket */
	char cfg[HARNESS_PATH_MAX];     /* the gateway's configuration */
	char db[HARNESS_PATH_MAX];
	char gwlog[HARNESS_PATH_MAX];   /* gateway stdout+stderr, every run appended */
	char simlog[HARNESS_PATH_MAX];  /* the sim's --log */
	char simout[HARNESS_PATH_MAX];  /* the sim's stdout and stderr */
	char scratch[HARNESS_PATH_MAX];
	pid_t sim_pid;
	pid_t gw_pid;
	int gw_starts;
	long gwlog_start;               /* gateway log size when the last run started */
	bool failed;
	struct harness_opts opts;
};

/* Makes /tmp/kawan-<name>-XXXXXX and fills defaults. 0 or -1. */
int harness_init(struct harness *h, const char *name) __attribute__((warn_unused_result));
/* Kills what still runs; removes the directory unless the harness failed
 * or KAWAN_KEEP_TMP is set (then prints where it is). */
void harness_fini(struct harness *h);
/* Marks the scenario failed and prints the log tails (once per call). */
void harness_fail(struct harness *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void harness_dump(struct harness *h);

/* A path inside the scenario directory, written into out. */
int harness_path(struct harness *h, const char *name, char *out, size_t outsz)
	__attribute__((warn_unused_result));
/* Writes text to <dir>/<name>; the full path goes into out (may be NULL). */
int harness_write_file(struct harness *h, const char *name, const char *text, char *out,
    size_t outsz) __attribute__((warn_unused_result));
/* The gateway configuration text for the current opts, appended to *b. */
int harness_config_text(struct harness *h, struct hbuf *b) __attribute__((warn_unused_result));
/* Writes it to h->cfg. */
int harness_write_config(struct harness *h) __attribute__((warn_unused_result));

/* The simulated modem: starts it and waits for "READY <slave>". */
int harness_sim_start(struct harness *h) __attribute__((warn_unused_result));
void harness_sim_stop(struct harness *h);

/* The gateway: writes the config, starts `kawan-gateway -c cfg`. */
int harness_gw_start(struct harness *h) __attribute__((warn_unused_result));
/* Waits until this run logged that the modem is connected. */
int harness_gw_wait_ready(struct harness *h, int timeout_ms) __attribute__((warn_unused_result));
bool harness_gw_alive(struct harness *h);
/* kill -9 and reap. */
void harness_gw_kill9(struct harness *h);
/* Sends sig, waits up to timeout_ms; returns 0 with the wait status, 1
 * when it had to be SIGKILLed, -1 on error. */
int harness_gw_stop(struct harness *h, int sig, int timeout_ms, int *status);
int harness_gw_signal(struct harness *h, int sig) __attribute__((warn_unused_result));
/* Runs `kawan-gateway -n -c path`; output (stdout+stderr) appended to *out. */
int harness_gw_check(struct harness *h, const char *path, struct hbuf *out, int *exit_code)
	__attribute__((warn_unused_result));
/* How often needle occurs in the gateway log (all runs). */
long harness_log_count(struct harness *h, const char *needle);

/* Control socket. harness_ctl formats one command; the reply is appended
 * to *reply (may be NULL). 0 on OK, -1 on ERR or failure (printed). */
int harness_ctl(struct harness *h, struct hbuf *reply, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), warn_unused_result));
/* INJECT from hex(utf8); coding NULL for the sim's choice ("gsm7",
 * "ucs2", "8bit"), msg_class -1 for none; *nparts (may be NULL) gets the
 * number of parts the sim made of it. 0 or -1. */
int harness_inject(struct harness *h, const char *from, const char *utf8)
	__attribute__((warn_unused_result));
int harness_inject_ex(struct harness *h, const char *from, const char *utf8, const char *coding,
    int msg_class, int *nparts) __attribute__((warn_unused_result));
/* Every complete message the sim saw sent (since id 0). */
int harness_sent(struct harness *h, struct hctl_sent **out, size_t *n)
	__attribute__((warn_unused_result));
int harness_stat(struct harness *h, const char *key, long *out) __attribute__((warn_unused_result));
int harness_events(struct harness *h, uint64_t since, struct hctl_event **out, size_t *n)
	__attribute__((warn_unused_result));

/* Gateway database, read-only. */
int harness_db_int(struct harness *h, const char *sql, int64_t *out)
	__attribute__((warn_unused_result));
int harness_db_each(struct harness *h, const char *sql, hdb_row_fn fn, void *arg)
	__attribute__((warn_unused_result));

/* Waits. Each returns 0 when the condition held before the deadline, or -1
 * (after harness_fail). A gateway that died unexpectedly fails at once. */
typedef int (*harness_pred)(struct harness *h, void *arg);   /* 1 holds, 0 not yet */
int harness_wait(struct harness *h, int timeout_ms, const char *what, harness_pred pred, void *arg)
	__attribute__((warn_unused_result));
/* SENT holds at least n complete messages. */
int harness_wait_sent(struct harness *h, long n, int timeout_ms) __attribute__((warn_unused_result));
/* STATS key within [lo, hi]. */
int harness_wait_stat(struct harness *h, const char *key, long lo, long hi, int timeout_ms)
	__attribute__((warn_unused_result));
/* The integer result of sql equals want. */
int harness_wait_db(struct harness *h, const char *sql, int64_t want, int timeout_ms)
	__attribute__((warn_unused_result));
/* The gateway log holds needle at least n times. */
int harness_wait_log(struct harness *h, const char *needle, long n, int timeout_ms)
	__attribute__((warn_unused_result));

/* A small deterministic PRNG (xorshift64*), for seeded scenarios. */
uint64_t harness_rand(uint64_t *state);

#endif
