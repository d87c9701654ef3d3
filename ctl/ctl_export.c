/* ctl_export.c - `kawanctl reports export --format csv|json`: every field
 * of the matching reports and their audit count on stdout, as RFC 4180
 * CSV (CRLF records, cells written by ctl_csv_field: quoted when they
 * hold a comma, quote or line break, quotes doubled, and a cell a
 * spreadsheet would take for a formula - a phone number "+60..." too - led
 * by an apostrophe) or a JSON array (strings escaped, control
 * characters as \u00XX, UTF-8 passed through). Times are ISO 8601 UTC.
 * With -o FILE the export goes to a new file, private from its first
 * byte (0600, or 0640 to export_group). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "ctl/ctl.h"
#include "store/store.h"

enum ctl_export_kind { CTL_EX_TEXT, CTL_EX_TIME, CTL_EX_INT };

/* One exported column: its name and how to read it from a report. */
struct ctl_export_col {
	const char *name;
	enum ctl_export_kind kind;
	size_t off; /* offset of the char[] or int64_t or int in struct store_report */
};

#define CTL_TEXT(n, f)                                                                             \
	{                                                                                          \
		n, CTL_EX_TEXT, offsetof(struct store_report, f)                                   \
	}
#define CTL_TIME(n, f)                                                                             \
	{                                                                                          \
		n, CTL_EX_TIME, offsetof(struct store_report, f)                                   \
	}
#define CTL_INT(n, f)                                                                              \
	{                                                                                          \
		n, CTL_EX_INT, offsetof(struct store_report, f)                                    \
	}

static const struct ctl_export_col ctl_export_cols[] = {
	CTL_TEXT("ref", ref),
	{ "state", CTL_EX_TEXT, 0 },
	CTL_TEXT("msisdn", msisdn),
	CTL_TEXT("lang", lang),
	CTL_TEXT("nationality", nationality),
	CTL_TEXT("notify", notify), /* whom the worker let the gateway tell */
	CTL_TEXT("category", category),
	CTL_TEXT("place", place),
	CTL_TEXT("callback", callback),
	CTL_TEXT("message", message),
	CTL_TIME("created", created_ms),
	CTL_TIME("updated", updated_ms),
	CTL_TIME("alerted", alerted_ms),
	CTL_TIME("acked", acked_ms),
	CTL_TIME("closed", closed_ms),
	CTL_TEXT("acked_by", acked_by),
	CTL_TEXT("closed_by", closed_by),
	CTL_TEXT("outcome", outcome),
	CTL_INT("alert_level", alert_level),
	CTL_INT("reminders", reminders),
	CTL_TIME("next_alert", next_alert_ms),
	CTL_INT("erased", erased),
	{ "audit_count", CTL_EX_INT, 0 },
};
#define CTL_EXPORT_NCOLS (sizeof(ctl_export_cols) / sizeof(ctl_export_cols[0]))

/* The value of column c of r as text (times as ISO 8601 UTC, "" for none);
 * *is_num for JSON. Points into r or buf. */
static const char *
ctl_export_value(const struct store_report *r, long audits, const struct ctl_export_col *c,
    char *buf, size_t bufsz, int *is_num)
{
	const char *base = (const char *)r;

	*is_num = 0;
	if (strcmp(c->name, "state") == 0)
		return ctl_reports_state_name(r->state);
	if (strcmp(c->name, "audit_count") == 0) {
		*is_num = 1;
		(void)snprintf(buf, bufsz, "%ld", audits);
		return buf;
	}
	if (c->kind == CTL_EX_TEXT)
		return base + c->off;
	if (c->kind == CTL_EX_INT) {
		int v;

		memcpy(&v, base + c->off, sizeof(v));
		*is_num = 1;
		(void)snprintf(buf, bufsz, "%d", v);
		return buf;
	} else {
		int64_t ms;
		time_t t;
		struct tm tm;

		memcpy(&ms, base + c->off, sizeof(ms));
		t = (time_t)(ms / 1000);
		if (ms <= 0 || gmtime_r(&t, &tm) == NULL ||
		    strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			buf[0] = '\0';
		return buf;
	}
}

/* A JSON string; bytes that are not valid UTF-8 become U+FFFD. */
static void
ctl_export_json_string(FILE *fp, const char *s)
{
	bool valid = util_utf8_valid(s, strlen(s));

	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7F)
			fprintf(fp, "\\u%04x", *p);
		else if (*p >= 0x80 && !valid)
			fputs("\\ufffd", fp);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

static int
ctl_export_count_one(const struct store_audit *a, void *arg)
{
	(void)a;
	(*(long *)arg)++;
	return 0;
}

static void
ctl_export_row(FILE *fp, const struct store_report *r, long audits, bool json, bool first)
{
	char buf[64];
	int is_num;

	if (json)
		fputs(first ? "\n  {" : ",\n  {", fp);
	for (size_t c = 0; c < CTL_EXPORT_NCOLS; c++) {
		const struct ctl_export_col *col = &ctl_export_cols[c];
		const char *v = ctl_export_value(r, audits, col, buf, sizeof(buf), &is_num);

		if (!json) {
			if (c > 0)
				fputc(',', fp);
			ctl_csv_field(fp, v);
			continue;
		}
		fprintf(fp, "%s\"%s\": ", c > 0 ? ", " : "", col->name);
		if (is_num)
			fputs(v, fp);
		else if (col->kind == CTL_EX_TIME && v[0] == '\0')
			fputs("null", fp);
		else
			ctl_export_json_string(fp, v);
	}
	fputs(json ? "}" : "\r\n", fp);
}

int
ctl_export(struct store *st, const struct ctl_reports_query *q)
{
	return ctl_export_write(st, q, stdout);
}

int
ctl_export_write(struct store *st, const struct ctl_reports_query *q, FILE *fp)
{
	struct store_report *v;
	size_t n;
	bool json;

	if (strcmp(q->format, "csv") != 0 && strcmp(q->format, "json") != 0) {
		fprintf(stderr, "kawanctl: --format takes csv or json\n");
		return 2;
	}
	json = q->format[0] == 'j';
	if (ctl_reports_collect(st, &q->f, q->open_only, &v, &n) < 0)
		return 1;
	if (json) {
		fputc('[', fp);
	} else {
		for (size_t c = 0; c < CTL_EXPORT_NCOLS; c++)
			fprintf(fp, "%s%s", c > 0 ? "," : "", ctl_export_cols[c].name);
		fputs("\r\n", fp);
	}
	for (size_t i = 0; i < n; i++) {
		long audits = 0;

		if (store_audit_each(st, v[i].id, ctl_export_count_one, &audits) < 0) {
			fprintf(stderr, "kawanctl: cannot read the audit trail of %s: %s\n",
			    v[i].ref, store_errmsg(st));
			free(v);
			return 1;
		}
		ctl_export_row(fp, &v[i], audits, json, i == 0);
	}
	if (json)
		fputs(n > 0 ? "\n]\n" : "]\n", fp);
	free(v);
	if (fflush(fp) != 0 || ferror(fp)) {
		fprintf(stderr, "kawanctl: writing the export failed\n");
		return 1;
	}
	return 0;
}

FILE *
ctl_export_create(const char *path, const char *group)
{
	struct group *gr = NULL;
	mode_t mode = 0600;
	FILE *fp;
	int fd;

	if (group != NULL && group[0] != '\0') {
		errno = 0;
		gr = getgrnam(group);
		if (gr == NULL) {
			fprintf(stderr,
			    "kawanctl: export_group '%s' does not exist; create it "
			    "(groupadd %s) or remove export_group from the configuration\n",
			    group, group);
			return NULL;
		}
		mode = 0640;
	}
	/* O_EXCL: never an existing file, nor through a symlink (O_NOFOLLOW
	 * too, for the kernels that would otherwise follow a dangling one). */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == EEXIST || errno == ELOOP)
			fprintf(stderr,
			    "kawanctl: %s already exists; an export never overwrites a file "
			    "(remove it or choose another name)\n",
			    path);
		else
			fprintf(stderr, "kawanctl: cannot create %s: %s\n", path, strerror(errno));
		return NULL;
	}
	/* The mode whatever the umask; the group before any byte is written. */
	if ((gr != NULL && fchown(fd, (uid_t)-1, gr->gr_gid) != 0) || fchmod(fd, mode) != 0) {
		fprintf(stderr, "kawanctl: cannot give %s to group %s: %s\n", path,
		    gr != NULL ? group : "-", strerror(errno));
		goto fail;
	}
	fp = fdopen(fd, "w");
	if (fp == NULL) {
		fprintf(stderr, "kawanctl: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	return fp;
fail:
	close(fd);
	(void)unlink(path);
	return NULL;
}

int
ctl_export_to(struct store *st, const struct ctl_reports_query *q, const char *group)
{
	FILE *fp;
	int rc;

	if (q->output == NULL)
		return ctl_export(st, q);
	if (strcmp(q->format, "csv") != 0 && strcmp(q->format, "json") != 0) {
		fprintf(stderr, "kawanctl: --format takes csv or json\n");
		return 2;
	}
	fp = ctl_export_create(q->output, group);
	if (fp == NULL)
		return 1;
	rc = ctl_export_write(st, q, fp);
	if (fclose(fp) != 0 && rc == 0) {
		fprintf(stderr, "kawanctl: writing %s failed\n", q->output);
		rc = 1;
	}
	if (rc != 0)
		(void)unlink(q->output); /* no half export left behind */
	return rc;
}
