/* ctl.h - kawanctl, the operator's and editors' command line: shared
 * option handling and the command groups. */
#ifndef KAWAN_CTL_H
#define KAWAN_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "session/engine.h"

struct ctl_opts {
	const char *config_path; /* -c; default /etc/kawan/kawan.cfg */
	bool config_given;
	struct kawan_config cfg;  /* loaded, or defaults when no file */
	const char *menus;        /* --menus overrides cfg.content.menus */
	const char *translations; /* --translations */
	const char *country;      /* --country */
	const char *lang;         /* --lang */
	const char *channel;      /* --channel ussd|sms */
	bool variant;             /* --variant (or --zawgyi): the language's script variant */
	bool fuzzy;               /* --fuzzy: serve fuzzy entries */
	const char *format;       /* --format (content review: csv|html) */
	const char *output;       /* -o FILE (content review), NULL: stdout */
};

/* Engine settings from the configuration and the options. */
void ctl_engine_settings(const struct ctl_opts *o, struct engine_settings *s);

/* `kawanctl content ...`: argv[0] is the subcommand. Returns the exit status. */
int ctl_content(struct ctl_opts *o, int argc, char **argv);

#include <stdio.h>

#include "content/content.h"
#include "store/store.h"

/* `content figures [--country XX]` (ctl_figures.c): per language and
 * script variant, the information pages' SMS segments and USSD screens
 * (drafts served), strings reviewed / drafted / missing, glossary terms;
 * per country, the served contacts with how and when they were verified.
 * Returns the exit status. */
int ctl_figures(const struct ctl_opts *o, const struct content *c);

/* `content review LANG` (ctl_review.c): the catalog of lang as a sheet for a
 * native reviewer, one row per string in review order (safety text, help.*,
 * rights.*, the rest): order, where, kind, english, draft, limit, state.
 * CSV (RFC 4180, UTF-8 BOM, CRLF; a cell starting with = + - @ tab or CR
 * gets a leading apostrophe) or, with html, one self-contained page with
 * everything escaped. Borrows c. 0, or -1 (lang unknown, out of memory). */
/* The review order of content review, for the template's comments: the
 * 1-based position of the string english under msgctxt ctxt (0: not in the
 * sheet) and its tier ("safety", "help", "rights", "rest"; borrowed). */
struct ctl_review_order;
struct ctl_review_order *ctl_review_order_new(const struct content *c);
size_t ctl_review_order_of(const struct ctl_review_order *o, const char *ctxt, const char *english,
    const char **tier);
void ctl_review_order_free(struct ctl_review_order *o);

int ctl_review_write(const struct content *c, const struct engine_settings *st, const char *lang,
    bool html, FILE *fp) __attribute__((warn_unused_result));

/* One CSV cell of s on fp: quoted when it holds a comma, quote or line
 * break, quotes doubled, formula-looking text led by an apostrophe. */
void ctl_review_csv_field(FILE *fp, const char *s);

/* `content review LANG [--format csv|html] [-o FILE]` over loaded content c
 * (borrowed). Returns the exit status. */
int ctl_review(const struct ctl_opts *o, const struct content *c, const char *lang);

/* The filters and options of `reports list|export` (and --db). */
struct ctl_reports_query {
	struct store_report_filter f; /* state -1: any */
	bool open_only;               /* --status open: anything not closed */
	const char *db;               /* --db, or NULL for cfg.database */
	const char *format;           /* --format csv|json (export) */
	const char *output;           /* -o / --output FILE (export), NULL: stdout */
};

/* Opens the reports database: db when not NULL (--db), else
 * o->cfg.database. Refuses a path that does not exist (no stray empty
 * database). *out is closed with store_close. 0 or -1 (message printed). */
int ctl_reports_open(const struct ctl_opts *o, const char *db, struct store **out)
    __attribute__((warn_unused_result));
/* The same read-only (store_open_readonly), for the commands that only
 * read: reports list, show, export; stats; modems. */
int ctl_reports_open_read(const struct ctl_opts *o, const char *db, struct store **out)
    __attribute__((warn_unused_result));
/* The audit actor of a change made with kawanctl: "kawanctl:<name>" of the
 * real user id (getpwuid_r(getuid())), never $USER; "kawanctl:uid<N>" when
 * the id has no name. */
void ctl_reports_actor(char *buf, size_t bufsz);

/* Every report matching f (and, when open_only, not closed), oldest first,
 * in a malloc'd array the caller frees. 0 or -1 (message printed). */
int ctl_reports_collect(struct store *st, const struct store_report_filter *f, bool open_only,
    struct store_report **out, size_t *n) __attribute__((warn_unused_result));

/* A local calendar day "YYYY-MM-DD" at 00:00 local time, in unix ms; with
 * next_day, the midnight that ends it. 0 or -1. */
int ctl_reports_parse_day(const char *s, bool next_day, int64_t *out_ms)
    __attribute__((warn_unused_result));

/* Reads the option at argv[*i] (--db, --status, --nationality, --from,
 * --to, --format) into q and moves *i past it: 0, 1 when argv[*i] is not
 * one of them, -1 when its value is bad (message printed). */
int ctl_reports_filter_arg(int argc, char **argv, int *i, struct ctl_reports_query *q);

/* "new", "alerted", "acked", "closed". */
const char *ctl_reports_state_name(enum store_report_state s);

/* ms in local time, "YYYY-MM-DD HH:MM", or with full "YYYY-MM-DD
 * HH:MM:SS +zzzz"; "-" for 0. */
void ctl_reports_time(int64_t ms, bool full, char *buf, size_t bufsz);

/* Prints UTF-8 s with control characters shown as spaces (line breaks as
 * a new line starting with indent when indent is not NULL); at most
 * maxchars code points when maxchars > 0, "..." ending a cut. Returns the
 * code points printed. */
size_t ctl_reports_put(FILE *fp, const char *s, size_t maxchars, const char *indent);

/* `reports export` (ctl_export.c): the matching reports as CSV or JSON on
 * stdout. Returns the exit status. */
int ctl_export(struct store *st, const struct ctl_reports_query *q);
/* The same on fp (borrowed; tests pass a memory stream). */
int ctl_export_write(struct store *st, const struct ctl_reports_query *q, FILE *fp);
/* Creates path for an export, private from the first byte: a new file
 * (O_EXCL: an existing file or symlink is refused, never overwritten;
 * O_NOFOLLOW), mode 0600; with group not "" (export_group), 0640 and
 * owned by that group, which must exist (and the caller must be allowed
 * to chown to it). Returns the stream (the caller fcloses it), or NULL
 * with the reason printed; a file it created is removed on failure. */
FILE *ctl_export_create(const char *path, const char *group);
/* `reports export` to q->output when set (ctl_export_create with
 * group), else stdout. A failed export removes the file. Exit status. */
int ctl_export_to(struct store *st, const struct ctl_reports_query *q, const char *group);

/* One CSV cell of s on fp (ctl_csv.c): quoted when it holds a comma, quote,
 * CR or LF, quotes doubled; a cell starting with = + - @ tab or CR (a
 * formula to a spreadsheet, a phone number "+60..." too) is quoted and led
 * by an apostrophe: "'+60123456789". Borrows s. */
void ctl_csv_field(FILE *fp, const char *s);
/* True when s starts like a spreadsheet formula (= + - @ tab CR). */
bool ctl_csv_formula(const char *s);

/* `kawanctl reports ...`: argv[0] is the subcommand. Returns the exit status. */
int ctl_reports(struct ctl_opts *o, int argc, char **argv);

/* `kawanctl stats --year Y [--db PATH]`. Returns the exit status. */
int ctl_stats(struct ctl_opts *o, int argc, char **argv);
/* The yearly figures of st for year on fp (borrowed), counts from 1 to
 * min_count - 1 shown as "<min_count" (ctl_stats.c). Returns the exit status. */
int ctl_stats_write(struct store *st, int year, int min_count, FILE *fp);

/* `kawanctl modems [--json] [--db PATH]` (ctl_modems.c): each modem's
 * health row with its SIM and up/down state. Returns the exit status. */
int ctl_modems(struct ctl_opts *o, int argc, char **argv);
/* The table (or, json, an array of objects) of every modem in st, ages
 * relative to now_ms, on fp. 0 or -1 (a store error). */
int ctl_modems_write(struct store *st, bool json, int64_t now_ms, FILE *fp)
    __attribute__((warn_unused_result));

/* `kawanctl pin-hash`: a PIN on stdin, its crypt(3) hash on stdout. */
int ctl_pin_hash(struct ctl_opts *o, int argc, char **argv);

#endif
