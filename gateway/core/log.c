/* log.c - timestamped logging to stderr; the logger is the one mutable
 * global. Safe from any thread: the level is atomic, each line is written
 * whole under stdio's lock, and names the thread that wrote it. */
#include "log.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *log_progname = "kawan";
static _Atomic int log_current = LOG_LEVEL_INFO;
static _Thread_local char log_thread[16]; /* "" until log_set_thread() */

/* Debug lines name numbers in full and may quote texts (mask.c): say so
 * whenever the level becomes debug, at start or on a reload. */
static void
log_level_changed(int was, enum log_level level)
{
	if (level == LOG_LEVEL_DEBUG && was != LOG_LEVEL_DEBUG)
		log_warnx("log_level is debug: this log names phone numbers in full and may "
			  "hold message texts (personal data); use info in production");
}

void
log_init(const char *progname, enum log_level level)
{
	int was;

	log_progname = progname;
	was = atomic_exchange(&log_current, (int)level);
	log_level_changed(was, level);
}

void
log_set_level(enum log_level level)
{
	log_level_changed(atomic_exchange(&log_current, (int)level), level);
}

bool
log_debug_enabled(void)
{
	return atomic_load(&log_current) >= LOG_LEVEL_DEBUG;
}

void
log_set_thread(const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < sizeof(log_thread); i++)
		log_thread[i] = name[i];
	log_thread[i] = '\0';
}

int
log_level_parse(const char *name, enum log_level *out)
{
	static const char *names[] = { "error", "warn", "info", "debug" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

static void
log_vemit(enum log_level level, const char *tag, int errnum, const char *fmt, va_list ap)
{
	char when[32];
	struct timespec ts;
	struct tm tm;

	if ((int)level > atomic_load(&log_current))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	flockfile(stderr); /* one whole line per call, whichever thread writes */
	fprintf(stderr, "%s.%03ldZ %s[%s]%s%s ", when, ts.tv_nsec / 1000000, log_progname, tag,
	    log_thread[0] != '\0' ? " " : "", log_thread);
	vfprintf(stderr, fmt, ap);
	if (errnum != 0) {
		char ebuf[128];

		fprintf(stderr, ": %s", strerror_r(errnum, ebuf, sizeof(ebuf)));
	}
	fputc('\n', stderr);
	fflush(stderr);
	funlockfile(stderr);
}

#define LOG_BODY(level, tag, errnum)                                                               \
	do {                                                                                       \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		log_vemit(level, tag, errnum, fmt, ap);                                            \
		va_end(ap);                                                                        \
	} while (0)

void
log_warn(const char *fmt, ...)
{
	int saved = errno;

	LOG_BODY(LOG_LEVEL_WARN, "warn", saved);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_WARN, "warn", 0);
}

void
log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_INFO, "info", 0);
}

void
log_debug(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_DEBUG, "debug", 0);
}

void
fatal(const char *fmt, ...)
{
	int saved = errno;

	LOG_BODY(LOG_LEVEL_ERROR, "fatal", saved);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_ERROR, "fatal", 0);
	exit(1);
}
