/* bench_pool.c - the gateway with a pool of four simulated modems (issue
 * 10): a 100-SMS burst spread over the four (25 each, single-part in and
 * out), time until every reply was sent, replies per second and the
 * gateway's CPU per message; then the same on a fresh gateway with modem 3
 * unplugged for good as soon as its 25 messages are stored (failover_after
 * 5 s moves its queue to modem 4, the other modem of its network), with
 * the replies counted per modem. Prints figures only; no pass/fail. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "hgw.h"

#define NMODEMS 4
#define BURST_N 100 /* 25 into each modem */
#define PER_MODEM (BURST_N / NMODEMS)
#define DEAD 3 /* the modem unplugged in the second run */
#define RUN_TIMEOUT_MS 150000
#define SEND_FLOOR_S 0.7 /* libgammu's sleeps around each SMS part, per modem */

static const char *const imsi[NMODEMS] = {
	"502120000000001",
	"502120000000002",
	"502190000000003",
	"502190000000004",
};
static const char *const network[NMODEMS] = { "Maxis", "Maxis", "Celcom", "Celcom" };

struct run {
	const char *title;
	bool unplug;
	double total_s;         /* injection -> last reply SENT (the sims' clocks) */
	double rate;            /* replies per second */
	double first_s;         /* injection -> first reply SENT */
	double cpu_ms_per_msg;  /* gateway utime+stime / BURST_N */
	double cpu_share;       /* % of one core over the run */
	double unplug_s;        /* injection -> unplug (its 25 stored) */
	long sent[NMODEMS];     /* replies SENT per modem */
	long dead_before;       /* replies modem DEAD sent before it went */
	long moved_to[NMODEMS]; /* modem DEAD's senders answered through modem k */
	long held;              /* replies left staged on the dead SIM */
	long total;             /* replies SENT, all modems */
	long dup;               /* senders answered more than once */
};

/* The sender of message i into modem k: the modem's network prefix
 * (+6012 Maxis, +6013 Celcom), then k, then i. */
static void
sender(char *out, size_t outsz, int k, int i)
{
	snprintf(out, outsz, "+601%d%d00%05d", k >= 3 ? 3 : 2, k, i);
}

static int
start(struct harness *h)
{
	static char extra[NMODEMS][160];
	const char *net = "networks = ( { name = \"Maxis\"; prefixes = [ \"+6012\" ]; },"
			  " { name = \"Celcom\"; prefixes = [ \"+6013\", \"+6019\" ]; } );\n";

	h->opts.nmodems = NMODEMS;
	h->opts.sim_capacity = 255;
	for (int k = 0; k < NMODEMS; k++) {
		snprintf(extra[k], sizeof(extra[k]),
		    "imsi = \"%s\"; network = \"%s\"; failover_after = 5.0;", imsi[k], network[k]);
		h->opts.modem[k].sim_imsi = imsi[k];
		h->opts.modem[k].sim_operator = network[k];
		h->opts.modem[k].cfg_extra = extra[k];
	}
	printf("bench: starting %d sims and the gateway in %s\n", NMODEMS, h->dir);
	if (harness_sim_start(h) < 0 || hgw_start(h, net) < 0 ||
	    harness_gw_wait_ready(h, 60000) < 0)
		return -1;
	return 0;
}

/* Replies SENT over every modem; first/last t_last_ms into *first and *last
 * (0 when none). -1 on a control error. */
static long
sent_all(struct harness *h, int64_t *first, int64_t *last)
{
	long total = 0;

	*first = *last = 0;
	for (int k = 1; k <= NMODEMS; k++) {
		struct hctl_sent *m = NULL;
		size_t n = 0;

		if (harness_sent_on(h, k, &m, &n) < 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			if (*first == 0 || m[i].t_last_ms < *first)
				*first = m[i].t_last_ms;
			if (m[i].t_last_ms > *last)
				*last = m[i].t_last_ms;
		}
		hctl_sent_free(m, n);
		total += (long)n;
	}
	return total;
}

/* Replies still staged on the dead SIM: queued, with parts staged there. */
static long
held_on_dead(struct harness *h)
{
	return (long)harness_db_value(h,
	    "SELECT COUNT(*) FROM outbound WHERE state = 'queued' AND modem = 'modem%d'"
	    " AND id IN (SELECT outbound_id FROM outbound_part)",
	    DEAD);
}

/* Until every inbound is done and every reply SENT or held on the dead SIM. */
static int
wait_done(struct harness *h, int64_t deadline, int64_t *first, int64_t *last)
{
	for (;;) {
		long sent = sent_all(h, first, last);
		int64_t in = harness_db_value(h, "SELECT COUNT(*) FROM inbound");
		int64_t open =
		    harness_db_value(h, "SELECT COUNT(*) FROM inbound WHERE state <> 'done'");
		long held = held_on_dead(h);

		if (sent < 0 || in < 0 || open < 0 || held < 0)
			return -1;
		if (in == BURST_N && open == 0 && sent + held >= BURST_N)
			return 0;
		if (hproc_mono_ms() > deadline) {
			harness_fail(h,
			    "burst: %ld replies sent, %ld held, %" PRId64 " inbound (%" PRId64
			    " open) after %d s",
			    sent, held, in, open, RUN_TIMEOUT_MS / 1000);
			return -1;
		}
		hproc_sleep_ms(200);
	}
}

static int
count_replies(struct harness *h, struct run *r)
{
	for (int k = 1; k <= NMODEMS; k++) {
		for (int i = 0; i < PER_MODEM; i++) {
			char from[24];
			long all;

			sender(from, sizeof(from), k, i);
			all = hgw_count_to_all(h, from);
			if (all < 0)
				return -1;
			if (all > 1)
				r->dup++;
			if (k != DEAD)
				continue;
			for (int j = 1; j <= NMODEMS; j++) {
				long c = hgw_count_to_on(h, j, from);

				if (c < 0)
					return -1;
				r->moved_to[j - 1] += c;
			}
		}
	}
	for (int k = 1; k <= NMODEMS; k++) {
		struct hctl_sent *m = NULL;
		size_t n = 0;

		if (harness_sent_on(h, k, &m, &n) < 0)
			return -1;
		hctl_sent_free(m, n);
		r->sent[k - 1] = (long)n;
	}
	return 0;
}

static int
burst(struct harness *h, struct run *r)
{
	int64_t cpu0, cpu1, t0, t1, inject_wall, first = 0, last = 0;

	if (harness_gw_cpu_ms(h, &cpu0) < 0)
		return -1;
	t0 = hproc_mono_ms();
	inject_wall = hproc_wall_ms();
	for (int i = 0; i < PER_MODEM; i++) {
		for (int k = 1; k <= NMODEMS; k++) {
			char from[24], text[96];

			sender(from, sizeof(from), k, i);
			snprintf(text, sizeof(text), "Pool %d/%d: saya perlu bantuan segera", k, i);
			if (harness_inject_on(h, k, from, text) < 0)
				return -1;
		}
	}
	if (r->unplug) {
		char sql[96];
		long before = 0;
		struct hctl_sent *m = NULL;
		size_t n = 0;

		/* its messages must be stored before it goes, or they are lost with it */
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM inbound WHERE modem = 'modem%d'",
		    DEAD);
		if (harness_wait_db(h, sql, PER_MODEM, RUN_TIMEOUT_MS) < 0 ||
		    harness_unplug_on(h, DEAD, 3600000) < 0)
			return -1;
		r->unplug_s = (double)(hproc_wall_ms() - inject_wall) / 1000.0;
		if (harness_sent_on(h, DEAD, &m, &n) < 0)
			return -1;
		before = (long)n;
		hctl_sent_free(m, n);
		r->dead_before = before;
	}
	if (wait_done(h, t0 + RUN_TIMEOUT_MS, &first, &last) < 0)
		return -1;
	t1 = hproc_mono_ms();
	if (harness_gw_cpu_ms(h, &cpu1) < 0)
		return -1;
	r->held = held_on_dead(h);
	r->total = sent_all(h, &first, &last);
	r->total_s = (double)(last - inject_wall) / 1000.0;
	r->first_s = (double)(first - inject_wall) / 1000.0;
	r->rate = (double)r->total / r->total_s;
	r->cpu_ms_per_msg = (double)(cpu1 - cpu0) / BURST_N;
	r->cpu_share = 100.0 * (double)(cpu1 - cpu0) / (double)(t1 - t0);
	return count_replies(h, r);
}

static int
run_one(struct run *r, const char *name)
{
	static struct harness h;
	int rc = -1;

	if (harness_init(&h, name) < 0)
		return -1;
	if (start(&h) < 0)
		goto done;
	printf("bench: %s: %d SMS over %d modems (about %.0f s at the driver's floor)\n", r->title,
	    BURST_N, NMODEMS, BURST_N * SEND_FLOOR_S / NMODEMS);
	if (burst(&h, r) < 0)
		goto done;
	rc = 0;
done:
	if (rc != 0)
		harness_fail(&h, "benchmark aborted (%s)", r->title);
	harness_fini(&h);
	return rc;
}

static void
print_run(const struct run *r)
{
	char label[80];

	printf("\n-- %s --\n", r->title);
	printf("%-58s %12.1f\n", "s from injection to the last reply sent", r->total_s);
	printf("%-58s %12.2f\n", "replies per second, all modems", r->rate);
	printf("%-58s %12.2f\n", "s from injection to the first reply", r->first_s);
	printf("%-58s %12.2f\n", "gateway CPU ms per message (utime+stime)", r->cpu_ms_per_msg);
	printf("%-58s %11.2f%%\n", "gateway CPU share of one core", r->cpu_share);
	printf("%-58s %12ld\n", "replies sent, all modems", r->total);
	for (int k = 0; k < NMODEMS; k++) {
		snprintf(label, sizeof(label), "replies sent through modem%d (%s)", k + 1,
		    network[k]);
		printf("%-58s %12ld\n", label, r->sent[k]);
	}
	printf("%-58s %12ld\n", "senders answered more than once (want 0)", r->dup);
	if (!r->unplug)
		return;
	snprintf(label, sizeof(label), "s from injection to modem%d unplugged (its %d stored)",
	    DEAD, PER_MODEM);
	printf("%-58s %12.1f\n", label, r->unplug_s);
	snprintf(label, sizeof(label), "modem%d's replies sent before it went", DEAD);
	printf("%-58s %12ld\n", label, r->dead_before);
	for (int k = 0; k < NMODEMS; k++) {
		if (k + 1 == DEAD)
			continue;
		snprintf(label, sizeof(label), "modem%d's senders answered through modem%d", DEAD,
		    k + 1);
		printf("%-58s %12ld\n", label, r->moved_to[k]);
	}
	printf("%-58s %12ld\n", "replies held on the dead SIM (staged there)", r->held);
}

int
main(int argc, char **argv)
{
	struct run all = { .title = "4 modems, 100 SMS burst" };
	struct run dead = { .title = "4 modems, modem3 unplugged at the start of the burst",
		.unplug = true };

	(void)argc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (run_one(&all, "benchpool") < 0 || run_one(&dead, "benchpooldead") < 0)
		return 1;
	printf("\n== Kawan gateway benchmark: a pool of four simulated modems ==\n");
	printf("command: KAWAN_BIN=<build dir> %s\n", argv[0]);
	printf("driver floor: %.2f replies/s for 4 modems (4/0.7 s), %.1f s for %d\n",
	    NMODEMS / SEND_FLOOR_S, BURST_N * SEND_FLOOR_S / NMODEMS, BURST_N);
	print_run(&all);
	print_run(&dead);
	return 0;
}
