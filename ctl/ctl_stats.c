/* ctl_stats.c - `kawanctl stats --year Y`: the anonymised yearly figures
 * the Cebu Declaration asks for (Article 18, data-sharing; Article 22, the
 * annual report): reports created in year Y (local time) by nationality
 * and category, and the time to acknowledge and to close them (median and
 * 90th percentile). Only codes and counts are printed: no numbers, names
 * or free text, and nothing that retention erases is read. A count from 1
 * to reports.stats_min_count - 1 (default 5) is printed "<5", and a group
 * that small gets no median or percentile, so that no worker can be
 * singled out (a nationality with two reports of violence in a year);
 * zero and the counts from the threshold up are printed as they are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "ctl/ctl.h"
#include "store/store.h"

/* The categories of the report flow, in its order; anything else counts
 * as "other" so that no free text can reach the figures. */
static const char *const ctl_stats_cats[] = {
	"locked_in",
	"documents",
	"wages",
	"violence",
	"arrested",
	"sick",
	"trafficked",
	"other",
	"unknown",
};
#define CTL_STATS_NCAT (sizeof(ctl_stats_cats) / sizeof(ctl_stats_cats[0]))
#define CTL_STATS_NNAT (26 * 26 + 1) /* every two-letter code, then "unknown" */
#define CTL_STATS_UNKNOWN_NAT (26 * 26)

struct ctl_stats {
	long cell[CTL_STATS_NNAT][CTL_STATS_NCAT];
	long nat_total[CTL_STATS_NNAT];
	long cat_total[CTL_STATS_NCAT];
	long total, acked, closed;
	int min_count; /* counts 1 .. min_count - 1 print as "<min_count" */
	FILE *fp;
	int64_t *dur; /* scratch for durations, room for every report */
};

static size_t
ctl_stats_nat(const struct store_report *r)
{
	const char *n = r->nationality;

	if (n[0] < 'A' || n[0] > 'Z' || n[1] < 'A' || n[1] > 'Z' || n[2] != '\0')
		return CTL_STATS_UNKNOWN_NAT;
	return (size_t)(n[0] - 'A') * 26 + (size_t)(n[1] - 'A');
}

static void
ctl_stats_nat_name(size_t nat, char *buf)
{
	if (nat == CTL_STATS_UNKNOWN_NAT) {
		memcpy(buf, "??", 3);
		return;
	}
	buf[0] = (char)('A' + nat / 26);
	buf[1] = (char)('A' + nat % 26);
	buf[2] = '\0';
}

static size_t
ctl_stats_cat(const struct store_report *r)
{
	if (r->category[0] == '\0')
		return CTL_STATS_NCAT - 1;
	for (size_t i = 0; i + 1 < CTL_STATS_NCAT; i++)
		if (strcmp(r->category, ctl_stats_cats[i]) == 0)
			return i;
	return CTL_STATS_NCAT - 2; /* "other" */
}

static int
ctl_stats_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* A count as printed: "0", "<5" below the threshold, else the number. */
static const char *
ctl_stats_count(const struct ctl_stats *s, long v, char *buf, size_t bufsz)
{
	if (v > 0 && v < s->min_count)
		(void)snprintf(buf, bufsz, "<%d", s->min_count);
	else
		(void)snprintf(buf, bufsz, "%ld", v);
	return buf;
}

/* "12h05m", rounded to the nearest minute. */
static void
ctl_stats_hm(int64_t ms, char *buf, size_t bufsz)
{
	int64_t m = (ms + 30000) / 60000;

	(void)snprintf(buf, bufsz, "%lldh%02lldm", (long long)(m / 60), (long long)(m % 60));
}

/* Prints one line: label, count, median (the mean of the two middle values
 * for an even count) and 90th percentile (nearest rank) of d[0..n). */
static void
ctl_stats_line(const struct ctl_stats *s, const char *label, int64_t *d, size_t n)
{
	char med[32], p90[32], cnt[24];
	FILE *fp = s->fp;

	if (n == 0 || (long)n < s->min_count) {
		fprintf(fp, "  %-9s %6s %9s %9s\n", label,
		    ctl_stats_count(s, (long)n, cnt, sizeof(cnt)), "-", "-");
		return;
	}
	qsort(d, n, sizeof(*d), ctl_stats_cmp);
	ctl_stats_hm(n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2, med, sizeof(med));
	ctl_stats_hm(d[(9 * n + 9) / 10 - 1], p90, sizeof(p90));
	fprintf(fp, "  %-9s %6zu %9s %9s\n", label, n, med, p90);
}

/* The durations (ack when !close, else close) of the reports of nat
 * (SIZE_MAX: all) into s->dur; returns how many. */
static size_t
ctl_stats_durations(struct ctl_stats *s, const struct store_report *v, size_t n, size_t nat,
    bool close)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t end = close ? v[i].closed_ms : v[i].acked_ms;

		if (end <= 0 || (nat != SIZE_MAX && ctl_stats_nat(&v[i]) != nat))
			continue;
		s->dur[k++] = end > v[i].created_ms ? end - v[i].created_ms : 0;
	}
	return k;
}

static void
ctl_stats_times(struct ctl_stats *s, const struct store_report *v, size_t n, bool close)
{
	char name[3];
	FILE *fp = s->fp;

	fprintf(fp, "\nTime from report to %s (%s reports):\n",
	    close ? "close" : "first acknowledgement", close ? "closed" : "acknowledged");
	fprintf(fp, "  %-9s %6s %9s %9s\n", "", "n", "median", "p90");
	ctl_stats_line(s, "all", s->dur, ctl_stats_durations(s, v, n, SIZE_MAX, close));
	for (size_t nat = 0; nat < CTL_STATS_NNAT; nat++) {
		if (s->nat_total[nat] == 0)
			continue;
		ctl_stats_nat_name(nat, name);
		ctl_stats_line(s, name, s->dur, ctl_stats_durations(s, v, n, nat, close));
	}
}

static void
ctl_stats_table(const struct ctl_stats *s)
{
	char name[3], cnt[24];
	FILE *fp = s->fp;

	fprintf(fp, "\nReports by nationality (rows) and category (columns):\n%-4s", "");
	for (size_t c = 0; c < CTL_STATS_NCAT; c++)
		fprintf(fp, " %10s", ctl_stats_cats[c]);
	fprintf(fp, " %10s\n", "total");
	for (size_t nat = 0; nat < CTL_STATS_NNAT; nat++) {
		if (s->nat_total[nat] == 0)
			continue;
		ctl_stats_nat_name(nat, name);
		fprintf(fp, "%-4s", name);
		for (size_t c = 0; c < CTL_STATS_NCAT; c++)
			fprintf(fp, " %10s", ctl_stats_count(s, s->cell[nat][c], cnt, sizeof(cnt)));
		fprintf(fp, " %10s\n", ctl_stats_count(s, s->nat_total[nat], cnt, sizeof(cnt)));
	}
	fprintf(fp, "%-4s", "all");
	for (size_t c = 0; c < CTL_STATS_NCAT; c++)
		fprintf(fp, " %10s", ctl_stats_count(s, s->cat_total[c], cnt, sizeof(cnt)));
	fprintf(fp, " %10s\n", ctl_stats_count(s, s->total, cnt, sizeof(cnt)));
}

static void
ctl_stats_header(FILE *fp, int year, int min_count)
{
	fprintf(fp,
	    "Kawan helpline: distress reports created in %d (local time), anonymised\n"
	    "Figures for the ASEAN Declaration on the Protection and Promotion of the Rights\n"
	    "of Migrant Workers (Cebu, 13 January 2007):\n"
	    "  Article 18: \"Facilitate data-sharing on matters related to migrant workers, for\n"
	    "  the purpose of enhancing policies and programmes concerning migrant workers\";\n"
	    "  Article 22: the annual report on the progress of the implementation of the\n"
	    "  Declaration.\n"
	    "Nationality is the sending state (ISO 3166, ?? unknown); no numbers, names or\n"
	    "free text are included.\n",
	    year);
	if (min_count > 1)
		fprintf(fp,
		    "Counts from 1 to %d are shown as \"<%d\" and such small groups get no\n"
		    "times, so that no worker can be singled out.\n",
		    min_count - 1, min_count);
}

int
ctl_stats_write(struct store *st, int year, int min_count, FILE *fp)
{
	struct store_report_filter f = { .state = -1 };
	struct store_report *v;
	struct ctl_stats *s;
	size_t n;
	char day[32];

	(void)snprintf(day, sizeof(day), "%04d-01-01", year);
	if (ctl_reports_parse_day(day, false, &f.from_ms) < 0)
		return 1;
	(void)snprintf(day, sizeof(day), "%04d-01-01", year + 1);
	if (ctl_reports_parse_day(day, false, &f.to_ms) < 0)
		return 1;
	if (ctl_reports_collect(st, &f, false, &v, &n) < 0)
		return 1;
	s = calloc(1, sizeof(*s));
	if (s != NULL)
		s->dur = calloc(n + 1, sizeof(*s->dur));
	if (s == NULL || s->dur == NULL) {
		fprintf(stderr, "kawanctl: out of memory\n");
		free(s);
		free(v);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t nat = ctl_stats_nat(&v[i]), cat = ctl_stats_cat(&v[i]);

		s->cell[nat][cat]++;
		s->nat_total[nat]++;
		s->cat_total[cat]++;
		s->total++;
		s->acked += v[i].acked_ms > 0;
		s->closed += v[i].closed_ms > 0;
	}
	s->fp = fp;
	s->min_count = min_count > 0 ? min_count : 1;
	ctl_stats_header(fp, year, s->min_count);
	{
		char a[24], b[24], c[24], d[24];

		fprintf(fp, "\nReports: %s; acknowledged: %s; closed: %s; still open: %s\n",
		    ctl_stats_count(s, s->total, a, sizeof(a)),
		    ctl_stats_count(s, s->acked, b, sizeof(b)),
		    ctl_stats_count(s, s->closed, c, sizeof(c)),
		    ctl_stats_count(s, s->total - s->closed, d, sizeof(d)));
	}
	ctl_stats_table(s);
	ctl_stats_times(s, v, n, false);
	ctl_stats_times(s, v, n, true);
	free(s->dur);
	free(s);
	free(v);
	return 0;
}

int
ctl_stats(struct ctl_opts *o, int argc, char **argv)
{
	struct store *st;
	const char *db = NULL;
	long year = 0;
	int rc;

	for (int i = 0; i < argc; i += 2) {
		if (i + 1 >= argc) {
			fprintf(stderr, "usage: kawanctl stats --year Y [--db PATH]\n");
			return 2;
		}
		if (strcmp(argv[i], "--year") == 0) {
			if (util_parse_long(argv[i + 1], 1970, 9998, &year) < 0) {
				fprintf(stderr, "kawanctl: --year takes a year such as 2025\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--db") == 0) {
			db = argv[i + 1];
		} else {
			fprintf(stderr, "usage: kawanctl stats --year Y [--db PATH]\n");
			return 2;
		}
	}
	if (year == 0) {
		fprintf(stderr, "usage: kawanctl stats --year Y [--db PATH]\n");
		return 2;
	}
	if (ctl_reports_open_read(o, db, &st) < 0)
		return 1;
	rc = ctl_stats_write(st, (int)year, o->cfg.reports.stats_min_count, stdout);
	store_close(st);
	return rc;
}
