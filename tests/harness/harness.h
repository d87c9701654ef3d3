/* harness.h - drives one end-to-end scenario: a temporary directory, one
 * or more simulated modems (kawan-modemsim), the gateway (kawan-gateway)
 * configured against them, the sims' control sockets, and the gateway's
 * database.
 *
 * Modems are numbered from 1; modem k is configured as "modem<k>". The
 * functions without a modem number (harness_inject, harness_sent, ...)
 * talk to modem 1; the *_on variants take the number.
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

/* The user the gateway drops to when the tests run as root. */
#define HARNESS_DROP_USER "nobody"

#include "hbuf.h"
#include "hctl.h"
#include "hdb.h"
#include "hproc.h"

#define HARNESS_PATH_MAX 512
#define HARNESS_MAX_MODEMS 4

/* What differs between modems (opts.modem[k - 1] for modem k). Zero/NULL
 * fields take the harness-wide value. */
struct harness_modem_opts {
	const char *send_mode; /* "storage" or "direct"; NULL: not written */
	int capacity;          /* the sim's --capacity; 0: opts.sim_capacity */
	double poll_interval;  /* seconds; 0: opts.poll_interval */
	/* Identity (issue 10): the sim's --imsi, --iccid, --operator (NULL: the
	 * sim's defaults); cfg_extra is written as it is inside this modem's
	 * configuration entry (e.g. "imsi = \"5021...\"; network = \"Maxis\";");
	 * device_of k2 (1-based, 0: its own) names modem k2's sim link as this
	 * modem's device, so two modems can swap ports. */
	const char *sim_imsi, *sim_iccid, *sim_operator;
	/* Health (issue 10): the sim's --balance (its AT+CUSD answer) and
	 * --signal (AT+CSQ rssi 1..31 or 99); NULL / 0: the sim's defaults. */
	const char *sim_balance;
	int sim_signal;
	const char *cfg_extra;
	int device_of;
};

/* What goes into the gateway's configuration and the sims' command lines.
 * harness_init() fills defaults; change fields before starting. Strings are
 * borrowed and must outlive their use. */
struct harness_opts {
	const char *reply_text; /* router.reply_text */
	const char *log_level;
	const char *cfg_pin;  /* modem pin in the config; "" none */
	double poll_interval; /* seconds */
	double reopen_min, reopen_max;
	double retry_min, retry_max;
	int max_attempts;
	double partial_timeout;
	int max_text_bytes;
	const char *sim_pin;   /* --pin, NULL none */
	int sim_capacity;      /* --capacity, 0 for the sim's default */
	const char *gammu_log; /* "" none; "auto": <dir>/gammu.log (gammu<k>.log, k > 1) */
	int nmodems;           /* simulated modems, 1..HARNESS_MAX_MODEMS (default 1) */
	/* router.max_answers_per_minute and officer_answers_per_minute;
	 * default 0 (no cap): the tests type faster than a person (the soak's
	 * drain sends an officer's due commands at once); test_flood sets it */
	int answers_per_minute;
	int officer_answers_per_minute;
	struct harness_modem_opts modem[HARNESS_MAX_MODEMS];
};

/* One simulated modem. Modem 1 uses <dir>/modem, ctl.sock, sim.log and
 * sim.out; modem k > 1 <dir>/modem<k>, ctl<k>.sock, sim<k>.log, sim<k>.out. */
struct harness_sim {
	char name[16];               /* its name in the config: "modem<k>" */
	char link[HARNESS_PATH_MAX]; /* the pty link the gateway opens */
	char ctl[HARNESS_PATH_MAX];  /* its control socket */
	char log[HARNESS_PATH_MAX];  /* its --log */
	char out[HARNESS_PATH_MAX];  /* its stdout and stderr */
	pid_t pid;                   /* 0: not running */
};

struct harness {
	char name[64];
	char dir[HARNESS_PATH_MAX];
	char bin[HARNESS_PATH_MAX];    /* KAWAN_BIN or ./build, absolute */
	char link[HARNESS_PATH_MAX];   /* modem 1's sim[0].link, ctl, log and out, */
	char ctl[HARNESS_PATH_MAX];    /* under the names they had when there */
	char simlog[HARNESS_PATH_MAX]; /* was one modem */
	char simout[HARNESS_PATH_MAX];
	char cfg[HARNESS_PATH_MAX]; /* the gateway's configuration */
	char db[HARNESS_PATH_MAX];
	char gwlog[HARNESS_PATH_MAX]; /* gateway stdout+stderr, every run appended */
	char scratch[HARNESS_PATH_MAX];
	struct harness_sim sim[HARNESS_MAX_MODEMS]; /* sim[k - 1] is modem k */
	pid_t gw_pid;
	int gw_starts;
	long gwlog_start; /* gateway log size when the last run started */
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

/* The simulated modems: starts opts.nmodems of them and waits until each
 * printed "READY <slave>". */
int harness_sim_start(struct harness *h) __attribute__((warn_unused_result));
/* Stops every sim that runs. */
void harness_sim_stop(struct harness *h);
/* Modem k's sim (1-based), or NULL (printed) when k is out of range. */
struct harness_sim *harness_sim_of(struct harness *h, int k);

/* The gateway: writes the config, starts `kawan-gateway -c cfg`. */
int harness_gw_start(struct harness *h) __attribute__((warn_unused_result));
/* Waits until this run logged that the modem is connected: with one modem
 * "connected" anywhere in this run's log; with several, "modem <name>:
 * connected on" for each of them. */
int harness_gw_wait_ready(struct harness *h, int timeout_ms) __attribute__((warn_unused_result));
bool harness_gw_alive(struct harness *h);
/* kill -9 and reap. */
void harness_gw_kill9(struct harness *h);
/* Sends sig, waits up to timeout_ms; returns 0 with the wait status, 1
 * when it had to be SIGKILLed, -1 on error. */
int harness_gw_stop(struct harness *h, int sig, int timeout_ms, int *status);
/* The running gateway's CPU time (user + system) so far, in ms. 0, or -1
 * (the harness failed: /proc unreadable). */
int harness_gw_cpu_ms(struct harness *h, int64_t *ms) __attribute__((warn_unused_result));
int harness_gw_signal(struct harness *h, int sig) __attribute__((warn_unused_result));
/* Runs `kawan-gateway -n -c path`; output (stdout+stderr) appended to *out. */
int harness_gw_check(struct harness *h, const char *path, struct hbuf *out, int *exit_code)
    __attribute__((warn_unused_result));
/* How often needle occurs in the gateway log (all runs). */
long harness_log_count(struct harness *h, const char *needle);

/* Control socket. harness_ctl formats one command; the reply is appended
 * to *reply (may be NULL). 0 on OK, -1 on ERR or failure (printed).
 * harness_ctl and everything below without _on talk to modem 1. */
int harness_ctl(struct harness *h, struct hbuf *reply, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), warn_unused_result));
int harness_ctl_on(struct harness *h, int k, struct hbuf *reply, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), warn_unused_result));
/* "FAULT <what>" (e.g. "MUTE on", "DELAY 3000", "CMS 2") and "UNPLUG <ms>"
 * to modem k. */
int harness_fault_on(struct harness *h, int k, const char *what)
    __attribute__((warn_unused_result));
int harness_unplug_on(struct harness *h, int k, long ms) __attribute__((warn_unused_result));
/* INJECT from hex(utf8); coding NULL for the sim's choice ("gsm7",
 * "ucs2", "8bit"), msg_class -1 for none; *nparts (may be NULL) gets the
 * number of parts the sim made of it. 0 or -1. */
int harness_inject(struct harness *h, const char *from, const char *utf8)
    __attribute__((warn_unused_result));
int harness_inject_ex(struct harness *h, const char *from, const char *utf8, const char *coding,
    int msg_class, int *nparts) __attribute__((warn_unused_result));
int harness_inject_on(struct harness *h, int k, const char *from, const char *utf8)
    __attribute__((warn_unused_result));
int harness_inject_ex_on(struct harness *h, int k, const char *from, const char *utf8,
    const char *coding, int msg_class, int *nparts) __attribute__((warn_unused_result));
/* Every complete message the sim saw sent (since id 0). */
int harness_sent(struct harness *h, struct hctl_sent **out, size_t *n)
    __attribute__((warn_unused_result));
int harness_sent_on(struct harness *h, int k, struct hctl_sent **out, size_t *n)
    __attribute__((warn_unused_result));
int harness_stat(struct harness *h, const char *key, long *out) __attribute__((warn_unused_result));
int harness_stat_on(struct harness *h, int k, const char *key, long *out)
    __attribute__((warn_unused_result));
int harness_events(struct harness *h, uint64_t since, struct hctl_event **out, size_t *n)
    __attribute__((warn_unused_result));
int harness_events_on(struct harness *h, int k, uint64_t since, struct hctl_event **out, size_t *n)
    __attribute__((warn_unused_result));

/* Gateway database, read-only. */
int harness_db_int(struct harness *h, const char *sql, int64_t *out)
    __attribute__((warn_unused_result));
int harness_db_each(struct harness *h, const char *sql, hdb_row_fn fn, void *arg)
    __attribute__((warn_unused_result));
/* The integer of the SQL printf-formatted from fmt (a COUNT, say), or -1
 * when it cannot be read (a test compares it with what it wants). */
int64_t harness_db_value(struct harness *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The reference of msisdn's report, once it has one (waits up to
 * timeout_ms), into ref (refsz bytes). 0, or -1 (after harness_fail). */
int harness_report_ref(struct harness *h, const char *msisdn, char *ref, size_t refsz,
    int timeout_ms) __attribute__((warn_unused_result));
/* Takes the database's write lock on a connection of the test's own (see
 * hdb_lock_take); NULL when it could not within timeout_ms (printed). */
struct hdb_lock *harness_db_lock(struct harness *h, int timeout_ms);

/* Waits. Each returns 0 when the condition held before the deadline, or -1
 * (after harness_fail). A gateway that died unexpectedly fails at once. */
typedef int (*harness_pred)(struct harness *h, void *arg); /* 1 holds, 0 not yet */
int harness_wait(struct harness *h, int timeout_ms, const char *what, harness_pred pred, void *arg)
    __attribute__((warn_unused_result));
/* SENT holds at least n complete messages. */
int harness_wait_sent(struct harness *h, long n, int timeout_ms)
    __attribute__((warn_unused_result));
int harness_wait_sent_on(struct harness *h, int k, long n, int timeout_ms)
    __attribute__((warn_unused_result));
/* STATS key within [lo, hi]. */
int harness_wait_stat(struct harness *h, const char *key, long lo, long hi, int timeout_ms)
    __attribute__((warn_unused_result));
int harness_wait_stat_on(struct harness *h, int k, const char *key, long lo, long hi,
    int timeout_ms) __attribute__((warn_unused_result));
/* Modem k's EVENTS hold an event of this kind with a seq above since;
 * *seq (may be NULL) gets the first such seq. */
int harness_wait_event_on(struct harness *h, int k, const char *kind, uint64_t since, uint64_t *seq,
    int timeout_ms) __attribute__((warn_unused_result));
/* The integer result of sql equals want. */
int harness_wait_db(struct harness *h, const char *sql, int64_t want, int timeout_ms)
    __attribute__((warn_unused_result));
/* The gateway log holds needle at least n times. */
int harness_wait_log(struct harness *h, const char *needle, long n, int timeout_ms)
    __attribute__((warn_unused_result));

/* A small deterministic PRNG (xorshift64*), for seeded scenarios. */
uint64_t harness_rand(uint64_t *state);
/* A draw from it in lo..hi (inclusive). */
int harness_rand_between(uint64_t *state, int lo, int hi);
/* qsort's comparison of int64_t values, ascending. */
int harness_cmp_i64(const void *a, const void *b);

#endif
