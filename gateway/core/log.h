/* log.h - the one logging idiom: log_warn/log_warnx/log_info/log_debug, fatal/fatalx. */
#ifndef KAWAN_LOG_H
#define KAWAN_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum log_level { LOG_LEVEL_ERROR = 0, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* Borrows progname (must outlive the logger). Logs go to stderr. */
void log_init(const char *progname, enum log_level level);
void log_set_level(enum log_level level);
/* True when debug lines are written: they name numbers in full (mask.h).
 * Setting the level to debug logs a warning that the log holds personal data. */
bool log_debug_enabled(void);
/* Names the calling thread in its log lines (copied, cut to 15 bytes). */
void log_set_thread(const char *name);
/* Parses "error", "warn", "info", "debug"; returns -1 on anything else. */
int log_level_parse(const char *name, enum log_level *out) __attribute__((warn_unused_result));

/* *_warn appends strerror(errno); *_warnx does not. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only at startup, on bad configuration, or on a broken internal invariant. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
