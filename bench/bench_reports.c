/* bench_reports.c - distress reports: how fast they are made durable, and
 * how soon the first officer's alert leaves the modem.
 *
 * 1. durable reports per second: reports_worker_sos() for a new number
 *    each time, each in its own transaction (WAL, synchronous=FULL), on a
 *    temporary database, for ~3 s.
 * 2. commit to alert: the real gateway against kawan-modemsim; 10 Burmese
 *    SOS from 10 numbers, 3 s apart; for each, the report's created_ms in
 *    the database to the alert's first part accepted by the modem (the
 *    sim's SENT time, i.e. its AT+CMGS/AT+CMSS); median and max. Also the
 *    part of it before the alert was queued.
 * Prints figures; nothing passes or fails. Run from the repository root
 * (the content is read from menus/ and translations/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "hgw.h"
#include "config/config.h"
#include "core/log.h"
#include "reports/reports.h"
#include "store/store.h"

#define OFF1 "+60100000001"
/* PIN 482193 (officers' PINs are 6+ digits since issue 11) */
#define PIN_HASH                                                                                   \
	"$6$kawantest$iwi.1WUxmfeHHDyWtJVOpMB0oAcJwSe21LbZX.mE9frEfZHKQx."                         \
	"SkjltXhOnYvhtcXg/Yyfl4nxC32s5/Bblm/"
#define N_SOS 10

/* 1: reports_worker_sos, one transaction each. */
static int
bench_durable(void)
{
	char dir[] = "/tmp/kawan-bench-reports-XXXXXX", path[128];
	static struct kawan_config cfg;
	struct store *st = NULL;
	struct reports_ctx x;
	int64_t t0, t1, n = 0;

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/kawan.db", dir);
	config_default(&cfg);
	log_set_level(LOG_LEVEL_WARN); /* one info line per report otherwise */
	if (store_open(path, &st) < 0) {
		fprintf(stderr, "bench_reports: cannot open %s\n", path);
		return -1;
	}
	x = (struct reports_ctx){ st, &cfg, NULL, false, ENGINE_SMS };
	t0 = hproc_mono_ms();
	do {
		struct store_report r;
		char msisdn[48];
		bool created = false;

		snprintf(msisdn, sizeof(msisdn), "+6019%07lld", (long long)(n % 10000000));
		if (store_begin(st) < 0 ||
		    reports_worker_sos(&x, msisdn, "my", hproc_wall_ms(), &r, &created) < 0 ||
		    store_commit(st) < 0 || !created) {
			fprintf(stderr, "bench_reports: report %lld failed\n", (long long)n);
			store_close(st);
			return -1;
		}
		n++;
		t1 = hproc_mono_ms();
	} while (t1 - t0 < 3000);
	store_close(st);
	printf("durable reports: %lld in %lld ms: %.0f reports/s, %.2f ms per report "
	       "(own transaction each, WAL, synchronous=FULL)\n",
	    (long long)n, (long long)(t1 - t0), (double)n * 1000.0 / (double)(t1 - t0),
	    (double)(t1 - t0) / (double)n);
	{
		static const char *const sfx[] = { "", "-wal", "-shm" };

		for (size_t i = 0; i < 3; i++) {
			char f[160];

			snprintf(f, sizeof(f), "%s%s", path, sfx[i]);
			(void)unlink(f);
		}
		if (rmdir(dir) != 0)
			fprintf(stderr, "bench_reports: %s left behind\n", dir);
	}
	return 0;
}

struct created_arg {
	char ref[32];
	int64_t created_ms;
};

static int
created_row(void *arg, int ncols, const char *const *cols)
{
	struct created_arg *a = arg;

	if (ncols >= 2 && cols[0] != NULL && cols[1] != NULL) {
		snprintf(a->ref, sizeof(a->ref), "%s", cols[0]);
		a->created_ms = strtoll(cols[1], NULL, 10);
	}
	return 1;
}

/* 2: the real gateway. */
static int
bench_alert_latency(void)
{
	struct harness h;
	char cwd[HARNESS_PATH_MAX], sql[512], menus[HARNESS_PATH_MAX + 16],
	    trans[HARNESS_PATH_MAX + 16];
	struct hbuf extra;
	struct created_arg rep[N_SOS];
	int64_t lat[N_SOS], queue[N_SOS];
	struct hctl_sent *m = NULL;
	size_t n = 0;
	int got = 0, rc = -1;

	if (getcwd(cwd, sizeof(cwd)) == NULL || harness_init(&h, "bench-reports") < 0)
		return -1;
	h.opts.log_level = "info";
	snprintf(menus, sizeof(menus), "%s/menus", cwd);
	snprintf(trans, sizeof(trans), "%s/translations", cwd);
	hbuf_init(&extra);
	if (hgw_cfg_content(&extra, menus, trans, NULL) < 0 ||
	    hbuf_printf(&extra,
		"reports = { ack_timeout = 600.0; };\n"
		"officers = ( { nationality = \"MM\"; officers = (\n"
		"  { name = \"Duty officer 1\"; number = \"" OFF1
		"\"; pin_hash = \"%s\"; } ); } );\n",
		PIN_HASH) < 0)
		goto done;
	if (harness_sim_start(&h) < 0 || hgw_start(&h, extra.data) < 0 ||
	    harness_gw_wait_ready(&h, 30000) < 0)
		goto done;
	for (int i = 0; i < N_SOS; i++) {
		char from[24];

		snprintf(from, sizeof(from), "+601124%05d", i);
		if (harness_inject(&h, from, "ကယ်ပါ") < 0)
			goto done;
		hproc_sleep_ms(3000); /* the spacing the figure is defined for */
	}
	if (harness_wait_db(&h,
		"SELECT COUNT(*) FROM outbound WHERE dest = '" OFF1 "' AND "
		"state = 'sent'",
		N_SOS, 120000) < 0)
		goto done;
	if (harness_sent(&h, &m, &n) < 0)
		goto done;
	for (int i = 0; i < N_SOS; i++) {
		memset(&rep[i], 0, sizeof(rep[i]));
		snprintf(sql, sizeof(sql),
		    "SELECT ref, created_ms FROM report WHERE msisdn = "
		    "'+601124%05d'",
		    i);
		if (harness_db_each(&h, sql, created_row, &rep[i]) < 0 || rep[i].ref[0] == '\0')
			continue;
		snprintf(sql, sizeof(sql),
		    "SELECT created_ms FROM outbound WHERE dest = '" OFF1 "' "
		    "AND text LIKE '%%%s%%'",
		    rep[i].ref);
		if (harness_db_int(&h, sql, &queue[got]) < 0)
			continue;
		queue[got] -= rep[i].created_ms;
		for (size_t k = 0; k < n; k++) {
			if (strcmp(m[k].dest, OFF1) == 0 && strstr(m[k].text, rep[i].ref) != NULL) {
				lat[got++] = m[k].t_first_ms - rep[i].created_ms;
				break;
			}
		}
	}
	hctl_sent_free(m, n);
	if (got == 0)
		goto done;
	qsort(lat, (size_t)got, sizeof(lat[0]), harness_cmp_i64);
	qsort(queue, (size_t)got, sizeof(queue[0]), harness_cmp_i64);
	printf("commit -> alert accepted by the modem (%d SOS, 3 s apart): median %lld ms, "
	       "max %lld ms (min %lld)\n",
	    got, (long long)lat[got / 2], (long long)lat[got - 1], (long long)lat[0]);
	printf("  of which commit -> alert queued: median %lld ms, max %lld ms; the rest is the "
	       "worker's reply (sent first) and libgammu's ~0.7 s per part\n",
	    (long long)queue[got / 2], (long long)queue[got - 1]);
	rc = 0;
done:
	hbuf_free(&extra);
	harness_fini(&h);
	return rc;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("bench_reports\n");
	if (bench_durable() < 0)
		return 1;
	return bench_alert_latency() < 0 ? 1 : 0;
}
