/* ctl_modems.c - `kawanctl modems [--json] [--db PATH]`: each modem's
 * health as its thread last stored it (modem_health, issue 10 item 5)
 * with the SIM and up/down state of the pool (modem_sim), as a table or
 * JSON. Read-only; runs while the gateway runs (WAL readers). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "ctl/ctl.h"
#include "store/store_health.h"

/* An age as "45s", "12m", "3h05m", "2d04h"; "-" for never. */
static void
ctl_modems_age(int64_t when_ms, int64_t now_ms, char *buf, size_t bufsz)
{
	long long s = (long long)((now_ms - when_ms) / 1000);

	if (when_ms <= 0) {
		(void)snprintf(buf, bufsz, "-");
		return;
	}
	if (s < 0)
		s = 0;
	if (s < 60)
		(void)snprintf(buf, bufsz, "%llds", s);
	else if (s < 3600)
		(void)snprintf(buf, bufsz, "%lldm", s / 60);
	else if (s < 86400)
		(void)snprintf(buf, bufsz, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		(void)snprintf(buf, bufsz, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

static void
ctl_modems_amount(int64_t cents, char *buf, size_t bufsz)
{
	(void)snprintf(buf, bufsz, "%s%lld.%02lld", cents < 0 ? "-" : "",
	    (long long)((cents < 0 ? -cents : cents) / 100),
	    (long long)((cents < 0 ? -cents : cents) % 100));
}

struct ctl_modems_out {
	FILE *fp;
	bool json;
	int64_t now_ms;
	size_t n;
};

/* A padded cell of untrusted text: control characters as spaces, cut. */
static void
ctl_modems_cell(FILE *fp, const char *s, size_t width)
{
	size_t n = ctl_reports_put(fp, s[0] != '\0' ? s : "-", width, NULL);

	for (; n < width + 1; n++)
		fputc(' ', fp);
}

static int
ctl_modems_row(const struct store_health *h, void *arg)
{
	struct ctl_modems_out *o = arg;
	char sig[24], since[32], read[32], bal[80], parts[24], state[40];

	ctl_modems_age(h->since_ms, o->now_ms, since, sizeof(since));
	(void)snprintf(state, sizeof(state), "%s %s", h->up ? "up" : "down", since);
	if (h->signal_dbm == -1 && h->signal_pct == -1)
		(void)snprintf(sig, sizeof(sig), "-");
	else
		(void)snprintf(sig, sizeof(sig), "%d dBm %d%%", h->signal_dbm, h->signal_pct);
	(void)snprintf(parts, sizeof(parts), "%d/%d", h->parts_hour, h->parts_day);
	ctl_modems_age(h->read_ms, o->now_ms, read, sizeof(read));
	if (h->have_balance) {
		char amount[24], age[32];

		ctl_modems_amount(h->balance_cents, amount, sizeof(amount));
		ctl_modems_age(h->balance_ms, o->now_ms, age, sizeof(age));
		(void)snprintf(bal, sizeof(bal), "%s%s (%s)", amount, h->low_alerted ? " LOW" : "",
		    age);
	} else {
		(void)snprintf(bal, sizeof(bal), "%s", h->balance_ms > 0 ? "unread" : "-");
	}
	ctl_modems_cell(o->fp, h->name, 10);
	ctl_modems_cell(o->fp, h->imsi, 15);
	ctl_modems_cell(o->fp, state, 10);
	ctl_modems_cell(o->fp, sig, 13);
	ctl_modems_cell(o->fp, h->reg, 9);
	ctl_modems_cell(o->fp, h->operator_name, 14);
	ctl_modems_cell(o->fp, parts, 9);
	ctl_modems_cell(o->fp, read, 6);
	ctl_modems_cell(o->fp, bal, 18);
	(void)ctl_reports_put(o->fp, h->last_error[0] != '\0' ? h->last_error : "-", 40, NULL);
	fputc('\n', o->fp);
	o->n++;
	return 0;
}

/* A JSON string; bytes that are not valid UTF-8 become U+FFFD. */
static void
ctl_modems_json_string(FILE *fp, const char *s)
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

/* ISO 8601 UTC, or null for 0. */
static void
ctl_modems_json_time(FILE *fp, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[32];

	if (ms <= 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		fputs("null", fp);
		return;
	}
	fprintf(fp, "\"%s\"", buf);
}

static void
ctl_modems_json_key(FILE *fp, const char *key, const char *s)
{
	fprintf(fp, ", \"%s\": ", key);
	ctl_modems_json_string(fp, s);
}

static void
ctl_modems_json_int(FILE *fp, const char *key, int v, bool known)
{
	if (known)
		fprintf(fp, ", \"%s\": %d", key, v);
	else
		fprintf(fp, ", \"%s\": null", key);
}

static int
ctl_modems_json_row(const struct store_health *h, void *arg)
{
	struct ctl_modems_out *o = arg;
	FILE *fp = o->fp;

	fputs(o->n == 0 ? "\n  {\"name\": " : ",\n  {\"name\": ", fp);
	ctl_modems_json_string(fp, h->name);
	ctl_modems_json_key(fp, "imsi", h->imsi);
	ctl_modems_json_key(fp, "device", h->device);
	fprintf(fp, ", \"up\": %s, \"since\": ", h->up ? "true" : "false");
	ctl_modems_json_time(fp, h->since_ms);
	fputs(", \"read\": ", fp);
	ctl_modems_json_time(fp, h->read_ms);
	ctl_modems_json_int(fp, "signal_dbm", h->signal_dbm, h->signal_dbm != -1);
	ctl_modems_json_int(fp, "signal_percent", h->signal_pct, h->signal_pct >= 0);
	ctl_modems_json_key(fp, "registration", h->reg);
	ctl_modems_json_key(fp, "operator", h->operator_name);
	ctl_modems_json_key(fp, "network_code", h->network_code);
	ctl_modems_json_int(fp, "parts_hour", h->parts_hour, true);
	ctl_modems_json_int(fp, "parts_day", h->parts_day, true);
	fputs(", \"balance\": ", fp);
	if (h->have_balance) {
		char amount[24];

		ctl_modems_amount(h->balance_cents, amount, sizeof(amount));
		fputs(amount, fp);
	} else {
		fputs("null", fp);
	}
	ctl_modems_json_key(fp, "balance_text", h->balance_text);
	fputs(", \"balance_read\": ", fp);
	ctl_modems_json_time(fp, h->balance_ms);
	fprintf(fp, ", \"low_balance_told\": %s", h->low_alerted ? "true" : "false");
	ctl_modems_json_key(fp, "last_error", h->last_error);
	fputs(", \"last_error_at\": ", fp);
	ctl_modems_json_time(fp, h->last_error_ms);
	fputc('}', fp);
	o->n++;
	return 0;
}

int
ctl_modems_write(struct store *st, bool json, int64_t now_ms, FILE *fp)
{
	struct ctl_modems_out o = { fp, json, now_ms, 0 };

	if (json) {
		fputc('[', fp);
		if (store_health_each(st, ctl_modems_json_row, &o) < 0)
			return -1;
		fputs(o.n > 0 ? "\n]\n" : "]\n", fp);
		return 0;
	}
	fprintf(fp, "%-11s%-16s%-11s%-14s%-10s%-15s%-10s%-7s%-19s%s\n", "NAME", "IMSI", "STATE",
	    "SIGNAL", "REG", "OPERATOR", "PARTS h/d", "READ", "BALANCE", "LAST ERROR");
	if (store_health_each(st, ctl_modems_row, &o) < 0)
		return -1;
	fprintf(fp, "(%zu modem%s)\n", o.n, o.n == 1 ? "" : "s");
	return 0;
}

int
ctl_modems(struct ctl_opts *o, int argc, char **argv)
{
	const char *db = NULL;
	bool json = false;
	struct store *st = NULL;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else {
			fprintf(stderr, "usage: kawanctl modems [--json] [--db PATH]\n");
			return 2;
		}
	}
	if (ctl_reports_open_read(o, db, &st) < 0)
		return 1;
	rc = ctl_modems_write(st, json, util_now_ms(), stdout);
	store_close(st);
	if (rc < 0) {
		fprintf(stderr, "kawanctl: cannot read the modems' health\n");
		return 1;
	}
	return 0;
}
