/* bench_modem.c - the gateway against the simulated modem through the real
 * libgammu AT driver: a 200-SMS burst (replies per second), paced SMS
 * (latency from the sim's +CMTI to its AT+CMGS), gateway CPU per message,
 * idle CPU and peak RSS. Prints figures only; no pass/fail thresholds.
 * KAWAN_BENCH_PACED=N sets the paced count (default 60; 200 takes 400 s). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "hlat.h"

#define BURST_N 200
#define PACED_DEFAULT 60
#define PACED_GAP_MS 2000
#define IDLE_MS 10000
#define SEND_FLOOR_S 0.7 /* libgammu's sleeps around each SMS part */

struct figures {
	double burst_s, burst_rate, burst_cpu_ms_per_msg, burst_cpu_share;
	double burst_first_reply_s;
	int paced_n, paced_pairs;
	double paced_median_ms, paced_p99_ms, paced_min_ms, paced_max_ms;
	double paced_cpu_ms_per_msg, paced_cpu_share;
	double idle_cpu_pct;
	long rss_hwm_kb;
};

static int
bench_burst(struct harness *h, struct figures *f)
{
	struct hctl_sent *m = NULL;
	size_t n = 0;
	int64_t cpu0, cpu1, t0, t1, first = 0;
	int64_t inject_wall;

	if (harness_gw_cpu_ms(h, &cpu0) < 0)
		return -1;
	t0 = hproc_mono_ms();
	inject_wall = hproc_wall_ms();
	for (int i = 0; i < BURST_N; i++) {
		char from[24], text[96];

		snprintf(from, sizeof(from), "+6012%07d", 1000000 + i);
		snprintf(text, sizeof(text), "Burst %d: saya perlu bantuan segera", i);
		if (harness_inject(h, from, text) < 0)
			return -1;
	}
	if (harness_wait_sent(h, BURST_N, 600000) < 0)
		return -1;
	t1 = hproc_mono_ms();
	if (harness_gw_cpu_ms(h, &cpu1) < 0 || harness_sent(h, &m, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (first == 0 || m[i].t_last_ms < first)
			first = m[i].t_last_ms;
	hctl_sent_free(m, n);
	f->burst_s = (double)(t1 - t0) / 1000.0;
	f->burst_rate = BURST_N / f->burst_s;
	f->burst_first_reply_s = (double)(first - inject_wall) / 1000.0;
	f->burst_cpu_ms_per_msg = (double)(cpu1 - cpu0) / BURST_N;
	f->burst_cpu_share = 100.0 * (double)(cpu1 - cpu0) / (double)(t1 - t0);
	return 0;
}

static int
bench_paced_latency(struct harness *h, uint64_t since, struct figures *f)
{
	struct hlat l;

	if (hlat_cmti_to_cmgs(h, 1, since, &l) < 0)
		return -1;
	f->paced_pairs = l.pairs;
	f->paced_median_ms = l.median_ms;
	f->paced_p99_ms = l.p99_ms;
	f->paced_min_ms = l.min_ms;
	f->paced_max_ms = l.max_ms;
	return 0;
}

static int
bench_paced(struct harness *h, struct figures *f)
{
	struct hctl_event *ev = NULL;
	size_t nev = 0;
	uint64_t since = 0;
	int64_t cpu0, cpu1, t0, t1;
	long base;
	struct hctl_sent *m = NULL;
	size_t n = 0;

	if (harness_sent(h, &m, &n) < 0)
		return -1;
	hctl_sent_free(m, n);
	base = (long)n;
	/* events so far (the burst) are not part of this run */
	if (harness_events(h, 0, &ev, &nev) < 0)
		return -1;
	if (nev > 0)
		since = ev[nev - 1].seq;
	free(ev);
	if (harness_gw_cpu_ms(h, &cpu0) < 0)
		return -1;
	t0 = hproc_mono_ms();
	for (int i = 0; i < f->paced_n; i++) {
		char from[24], text[96];
		int64_t due = t0 + (int64_t)i * PACED_GAP_MS;

		while (hproc_mono_ms() < due)
			hproc_sleep_ms(5);
		snprintf(from, sizeof(from), "+6017%07d", 2000000 + i);
		snprintf(text, sizeof(text), "Paced %d: bila gaji saya dibayar?", i);
		if (harness_inject(h, from, text) < 0)
			return -1;
	}
	if (harness_wait_sent(h, base + f->paced_n, 120000) < 0)
		return -1;
	t1 = hproc_mono_ms();
	if (harness_gw_cpu_ms(h, &cpu1) < 0)
		return -1;
	f->paced_cpu_ms_per_msg = (double)(cpu1 - cpu0) / f->paced_n;
	f->paced_cpu_share = 100.0 * (double)(cpu1 - cpu0) / (double)(t1 - t0);
	return bench_paced_latency(h, since, f);
}

static int
bench_idle(struct harness *h, struct figures *f)
{
	int64_t cpu0, cpu1, t0, t1;

	if (harness_gw_cpu_ms(h, &cpu0) < 0)
		return -1;
	t0 = hproc_mono_ms();
	hproc_sleep_ms(IDLE_MS);
	t1 = hproc_mono_ms();
	if (harness_gw_cpu_ms(h, &cpu1) < 0)
		return -1;
	f->idle_cpu_pct = 100.0 * (double)(cpu1 - cpu0) / (double)(t1 - t0);
	if (hproc_status_kb(h->gw_pid, "VmHWM", &f->rss_hwm_kb) < 0)
		f->rss_hwm_kb = -1;
	return 0;
}

static void
print_table(const struct figures *f, const char *argv0, long clk_ms)
{
	printf("\n== Kawan gateway benchmark (simulated modem, libgammu AT driver) ==\n");
	printf("command: KAWAN_BIN=<build dir> KAWAN_BENCH_PACED=%d %s\n", f->paced_n, argv0);
	printf("CPU figures are utime+stime of kawan-gateway from /proc (resolution %ld ms)\n\n",
	    clk_ms);
	printf("%-50s %14s\n", "figure", "value");
	printf("%-50s %14s\n", "--------------------------------------------------",
	    "--------------");
	printf("%-50s %14.1f\n", "burst: 200 SMS injected at once, s to all replied", f->burst_s);
	printf("%-50s %14.2f\n", "burst: replies per second", f->burst_rate);
	printf("%-50s %14.2f\n", "burst: driver floor, replies/s (1/0.7 s)", 1.0 / SEND_FLOOR_S);
	printf("%-50s %14.2f\n", "burst: s from injection to first reply", f->burst_first_reply_s);
	printf("%-50s %14.2f\n", "burst: gateway CPU ms per message", f->burst_cpu_ms_per_msg);
	printf("%-50s %13.2f%%\n", "burst: gateway CPU share of one core", f->burst_cpu_share);
	printf("%-50s %14d\n", "paced: SMS, one every 2 s", f->paced_n);
	printf("%-50s %14d\n", "paced: CMTI/CMGS pairs measured", f->paced_pairs);
	printf("%-50s %14.0f\n", "paced: median ms +CMTI -> AT+CMGS accepted", f->paced_median_ms);
	printf("%-50s %14.0f\n", "paced: p99 ms +CMTI -> AT+CMGS accepted", f->paced_p99_ms);
	printf("%-50s %7.0f..%-6.0f\n", "paced: min..max ms", f->paced_min_ms, f->paced_max_ms);
	printf("%-50s %14.2f\n", "paced: gateway CPU ms per message", f->paced_cpu_ms_per_msg);
	printf("%-50s %13.2f%%\n", "paced: gateway CPU share of one core", f->paced_cpu_share);
	printf("%-50s %13.3f%%\n", "idle: gateway CPU over 10 s, % of a core", f->idle_cpu_pct);
	printf("%-50s %14.1f\n", "peak RSS (VmHWM), MiB", f->rss_hwm_kb / 1024.0);
	printf("\nNotes: libgammu sleeps ~0.7 s around every SMS part it sends, so the\n"
	       "modem link, not the gateway, bounds throughput and latency; the gateway's\n"
	       "own CPU share above shows how much of a core it used meanwhile.\n");
	if (f->paced_n < 200)
		printf("The paced run used %d SMS (default for `make bench`); "
		       "KAWAN_BENCH_PACED=200 runs the full 400 s.\n",
		    f->paced_n);
}

int
main(int argc, char **argv)
{
	static struct harness h;
	struct figures f;
	const char *env = getenv("KAWAN_BENCH_PACED");
	long clk = sysconf(_SC_CLK_TCK);
	int rc = 1;

	(void)argc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&f, 0, sizeof(f));
	f.paced_n = PACED_DEFAULT;
	if (env != NULL) {
		char *end;
		long v = strtol(env, &end, 10);
		if (end == env || *end != '\0' || v < 1 || v > 1000) {
			fprintf(stderr, "bench: KAWAN_BENCH_PACED must be 1..1000\n");
			return 2;
		}
		f.paced_n = (int)v;
	}
	if (harness_init(&h, "bench") < 0)
		return 1;
	h.opts.sim_capacity = 255;
	/* log_level stays "info", as deployed: its cost is part of the figures */
	printf("bench: starting the sim and the gateway in %s\n", h.dir);
	if (harness_sim_start(&h) < 0 || harness_gw_start(&h) < 0 ||
	    harness_gw_wait_ready(&h, 30000) < 0)
		goto done;
	printf("bench: burst of %d SMS (about %.0f s at the driver's floor)\n", BURST_N,
	    BURST_N * SEND_FLOOR_S);
	if (bench_burst(&h, &f) < 0)
		goto done;
	printf("bench: paced, %d SMS one every 2 s (%d s)\n", f.paced_n,
	    f.paced_n * PACED_GAP_MS / 1000);
	if (bench_paced(&h, &f) < 0)
		goto done;
	printf("bench: idle for %d s\n", IDLE_MS / 1000);
	if (bench_idle(&h, &f) < 0)
		goto done;
	print_table(&f, argv[0], clk > 0 ? 1000 / clk : 0);
	rc = 0;
done:
	if (rc != 0)
		harness_fail(&h, "benchmark aborted");
	harness_fini(&h);
	return rc;
}
