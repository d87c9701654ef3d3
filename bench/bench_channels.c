/* bench_channels.c - the gateway with two simulated modems, each driven by
 * its own thread: a 100-SMS burst split over both (replies per second,
 * against one modem's in bench_modem), and paced SMS into modem 2 while
 * modem 1 is muted (modem 2's +CMTI -> AT+CMGS latency). Prints figures
 * only; no pass/fail thresholds. KAWAN_BENCH_CH_PACED=N sets the paced count
 * (default 20, one every 2 s). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "hlat.h"

#define NMODEMS 2
#define BURST_N 100 /* split evenly over the modems */
#define PACED_DEFAULT 20
#define PACED_GAP_MS 2000
#define SEND_FLOOR_S 0.7 /* libgammu's sleeps around each SMS part, per modem */

struct figures {
	double burst_s, burst_rate, burst_first_reply_s;
	double burst_rate_modem[NMODEMS];
	int paced_n, paced_pairs;
	double paced_median_ms, paced_p99_ms, paced_min_ms, paced_max_ms;
	long muted_sent; /* replies modem 1 sent while muted (must be 0) */
};

static long
sent_count(struct harness *h, int k)
{
	struct hctl_sent *m = NULL;
	size_t n = 0;

	if (harness_sent_on(h, k, &m, &n) < 0)
		return -1;
	hctl_sent_free(m, n);
	return (long)n;
}

static uint64_t
last_event_seq(struct harness *h, int k)
{
	struct hctl_event *ev = NULL;
	size_t n = 0;
	uint64_t seq = 0;

	if (harness_events_on(h, k, 0, &ev, &n) == 0 && n > 0)
		seq = ev[n - 1].seq;
	free(ev);
	return seq;
}

/* BURST_N SMS at once, alternating modems; until every reply was SENT. */
static int
bench_burst(struct harness *h, struct figures *f)
{
	int64_t t0, t1, inject_wall, first = 0;

	t0 = hproc_mono_ms();
	inject_wall = hproc_wall_ms();
	for (int i = 0; i < BURST_N; i++) {
		char from[24], text[96];
		int k = 1 + i % NMODEMS;

		snprintf(from, sizeof(from), "+6013%d%06d", k, i);
		snprintf(text, sizeof(text), "Burst %d: saya perlu bantuan segera", i);
		if (harness_inject_on(h, k, from, text) < 0)
			return -1;
	}
	for (int k = 1; k <= NMODEMS; k++) {
		struct hctl_sent *m = NULL;
		size_t n = 0;
		int64_t last = 0;

		if (harness_wait_sent_on(h, k, BURST_N / NMODEMS, 600000) < 0 ||
		    harness_sent_on(h, k, &m, &n) < 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			if (first == 0 || m[i].t_last_ms < first)
				first = m[i].t_last_ms;
			if (m[i].t_last_ms > last)
				last = m[i].t_last_ms;
		}
		hctl_sent_free(m, n);
		f->burst_rate_modem[k - 1] = (double)n * 1000.0 / (double)(last - inject_wall);
	}
	t1 = hproc_mono_ms();
	f->burst_s = (double)(t1 - t0) / 1000.0;
	f->burst_rate = BURST_N / f->burst_s;
	f->burst_first_reply_s = (double)(first - inject_wall) / 1000.0;
	return 0;
}

/* Modem 2's Nth +CMTI pairs with its Nth AT+CMGS (single-part replies). */
static int
bench_latency(struct harness *h, uint64_t since, struct figures *f)
{
	struct hlat l;

	if (hlat_cmti_to_cmgs(h, 2, since, &l) < 0)
		return -1;
	f->paced_pairs = l.pairs;
	f->paced_median_ms = l.median_ms;
	f->paced_p99_ms = l.p99_ms;
	f->paced_min_ms = l.min_ms;
	f->paced_max_ms = l.max_ms;
	return 0;
}

/* Modem 1 muted with a message waiting on it; paced SMS into modem 2. */
static int
bench_muted(struct harness *h, struct figures *f)
{
	long base2 = sent_count(h, 2), base1 = sent_count(h, 1);
	uint64_t since = last_event_seq(h, 2);
	int64_t t0;

	if (base1 < 0 || base2 < 0 || harness_fault_on(h, 1, "MUTE on") < 0 ||
	    harness_inject_on(h, 1, "+60139000001", "waiting on the muted modem") < 0)
		return -1;
	t0 = hproc_mono_ms();
	for (int i = 0; i < f->paced_n; i++) {
		char from[24], text[96];

		while (hproc_mono_ms() < t0 + (int64_t)i * PACED_GAP_MS)
			hproc_sleep_ms(5);
		snprintf(from, sizeof(from), "+6013%07d", 5000000 + i);
		snprintf(text, sizeof(text), "Paced %d: bila gaji saya dibayar?", i);
		if (harness_inject_on(h, 2, from, text) < 0)
			return -1;
	}
	if (harness_wait_sent_on(h, 2, base2 + f->paced_n, 120000) < 0)
		return -1;
	f->muted_sent = sent_count(h, 1) - base1;
	if (bench_latency(h, since, f) < 0)
		return -1;
	return harness_fault_on(h, 1, "MUTE off");
}

static void
print_table(const struct figures *f, const char *argv0)
{
	printf("\n== Kawan gateway benchmark: two simulated modems, one thread each ==\n");
	printf("command: KAWAN_BIN=<build dir> KAWAN_BENCH_CH_PACED=%d %s\n\n", f->paced_n, argv0);
	printf("%-54s %14s\n", "figure", "value");
	printf("%-54s %14s\n", "------------------------------------------------------",
	    "--------------");
	printf("%-54s %14.1f\n", "burst: 100 SMS (50 per modem) at once, s to all replied",
	    f->burst_s);
	printf("%-54s %14.2f\n", "burst: replies per second, both modems", f->burst_rate);
	for (int k = 0; k < NMODEMS; k++) {
		char label[64];

		snprintf(label, sizeof(label), "burst: replies per second through modem%d", k + 1);
		printf("%-54s %14.2f\n", label, f->burst_rate_modem[k]);
	}
	printf("%-54s %14.2f\n", "burst: driver floor, 2 modems, replies/s (2/0.7 s)",
	    NMODEMS / SEND_FLOOR_S);
	printf("%-54s %14.2f\n", "burst: s from injection to first reply", f->burst_first_reply_s);
	printf("%-54s %14d\n", "modem 1 muted: SMS into modem 2, one every 2 s", f->paced_n);
	printf("%-54s %14d\n", "modem 1 muted: CMTI/CMGS pairs measured on modem 2",
	    f->paced_pairs);
	printf("%-54s %14.0f\n", "modem 1 muted: median ms +CMTI -> AT+CMGS, modem 2",
	    f->paced_median_ms);
	printf("%-54s %14.0f\n", "modem 1 muted: p99 ms +CMTI -> AT+CMGS, modem 2",
	    f->paced_p99_ms);
	printf("%-54s %7.0f..%-6.0f\n", "modem 1 muted: min..max ms", f->paced_min_ms,
	    f->paced_max_ms);
	printf("%-54s %14ld\n", "modem 1 muted: replies it sent meanwhile (want 0)", f->muted_sent);
	printf("\nCompare the burst rate with bench_modem's one-modem figure (same 0.7 s\n"
	       "per part and modem): with one thread per modem it should be about twice\n"
	       "that; the muted-modem latency should match bench_modem's paced median.\n");
}

int
main(int argc, char **argv)
{
	static struct harness h;
	struct figures f;
	const char *env = getenv("KAWAN_BENCH_CH_PACED");
	int rc = 1;

	(void)argc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&f, 0, sizeof(f));
	f.paced_n = PACED_DEFAULT;
	if (env != NULL) {
		char *end;
		long v = strtol(env, &end, 10);
		if (end == env || *end != '\0' || v < 1 || v > 1000) {
			fprintf(stderr, "bench: KAWAN_BENCH_CH_PACED must be 1..1000\n");
			return 2;
		}
		f.paced_n = (int)v;
	}
	if (harness_init(&h, "benchch") < 0)
		return 1;
	h.opts.nmodems = NMODEMS;
	h.opts.sim_capacity = 255;
	printf("bench: starting %d sims and the gateway in %s\n", NMODEMS, h.dir);
	if (harness_sim_start(&h) < 0 || harness_gw_start(&h) < 0 ||
	    harness_gw_wait_ready(&h, 60000) < 0)
		goto done;
	printf("bench: burst of %d SMS over %d modems (about %.0f s at the driver's floor)\n",
	    BURST_N, NMODEMS, BURST_N * SEND_FLOOR_S / NMODEMS);
	if (bench_burst(&h, &f) < 0)
		goto done;
	printf("bench: modem 1 muted, %d SMS into modem 2 one every 2 s (%d s)\n", f.paced_n,
	    f.paced_n * PACED_GAP_MS / 1000);
	if (bench_muted(&h, &f) < 0)
		goto done;
	print_table(&f, argv[0]);
	rc = 0;
done:
	if (rc != 0)
		harness_fail(&h, "benchmark aborted");
	harness_fini(&h);
	return rc;
}
