/* test_pool_crash.c - the pool of modems under SIGKILL (issue 10): four
 * simulated modems, each with its own SIM (IMSI, operator), 200 SMS from
 * 200 numbers spread over them and injected over time, while the gateway
 * is killed with SIGKILL at seeded random moments (during the inbound
 * burst, while the four modem threads send, and elsewhere) and restarted
 * each time. Afterwards every text is stored exactly once and under the
 * modem it came in on, every sender got exactly one reply, and that reply
 * left through the modem the message came in on (each sim's SENT holds
 * exactly its own senders). KAWAN_SEED=<n> replays a run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "e2e.h"
#include "hverify.h"

#define N_MODEMS 4
#define N_MSG 200
#define N_BURST 60 /* injected at once at the start, 15 per modem */
#define N_KILLS 8
#define TICK_MS 25

static const char *const imsi[N_MODEMS] = { "502120000000011", "502120000000012", "502190000000013",
	"502190000000014" };
static const char *const cfg_imsi[N_MODEMS] = { "imsi = \"502120000000011\";",
	"imsi = \"502120000000012\";", "imsi = \"502190000000013\";",
	"imsi = \"502190000000014\";" };

enum trigger {
	TRIG_INBOUND, /* inbound rows >= arg (the inbound burst is being stored) */
	TRIG_SENT,    /* the sims' SENT grew by arg since this gateway run began */
	TRIG_READY,   /* every modem of this run connected (they open one at a
		       * time, ~4 s each against the sim: libgammu's first
		       * commands before it knows the model are slow) */
};

struct kill_plan {
	enum trigger trig;
	long arg;
	int delay_ms;
	const char *what;
	int64_t not_before; /* ms after the start */
};

struct pool_crash {
	char from[N_MSG][24];
	char text[N_MSG][96];
	int modem[N_MSG]; /* 1..N_MODEMS: the modem it is injected on */
	struct hverify_msg msgs[N_MSG];
	struct hverify_msg on[N_MODEMS][N_MSG]; /* per modem, its own */
	size_t n_on[N_MODEMS];
	int64_t inject_at[N_MSG];
	struct kill_plan plan[N_KILLS];
};

static void
plan(struct pool_crash *c, uint64_t *seed)
{
	for (int i = 0; i < N_MSG; i++) {
		int k = 1 + i % N_MODEMS;

		/* numbers of the modem's own network (Maxis +6012, Celcom +6013) */
		snprintf(c->from[i], sizeof(c->from[i]), "+601%d%d5%06d", k <= 2 ? 2 : 3, k, i);
		snprintf(c->text[i], sizeof(c->text[i]), "pool crash %d on modem %d: tolong %d", i,
		    k, harness_rand_between(seed, 0, 99999));
		c->modem[i] = k;
		c->msgs[i].from = c->from[i];
		c->msgs[i].text = c->text[i];
		c->on[k - 1][c->n_on[k - 1]++] = c->msgs[i];
		c->inject_at[i] = i < N_BURST ? 0 : harness_rand_between(seed, 1500, 40000);
	}
	qsort(c->inject_at, N_MSG, sizeof(c->inject_at[0]), harness_cmp_i64);
	/* Four modems send 200 replies in ~40 s, and a restart opens them in
	 * ~16 s: spread the kills over ~70 s.
	 * Each draw is its own statement so a seed replays the same plan. */
	for (int k = 0; k < N_KILLS; k++) {
		struct kill_plan *p = &c->plan[k];

		if (k == 0) {
			p->trig = TRIG_INBOUND;
			p->arg = harness_rand_between(seed, 3, 40);
			p->what = "inbound burst";
		} else if (k % 2 == 1) {
			p->trig = TRIG_SENT;
			p->arg = harness_rand_between(seed, 1, 12);
			p->delay_ms = harness_rand_between(seed, 0, 750);
			p->what = "sending";
		} else {
			p->trig = TRIG_READY;
			p->delay_ms = harness_rand_between(seed, 0, 5000);
			p->what = "random";
		}
		if (k >= 2)
			p->not_before = (int64_t)k * 9000 + harness_rand_between(seed, 0, 3000);
	}
}

/* Messages in every sim's SENT together. */
static long
count_sent_all(struct harness *h)
{
	long total = 0;

	for (int k = 1; k <= N_MODEMS; k++) {
		struct hctl_sent *m = NULL;
		size_t n = 0;

		if (harness_sent_on(h, k, &m, &n) < 0)
			return -1;
		hctl_sent_free(m, n);
		total += (long)n;
	}
	return total;
}

static int
all_sent(struct harness *h, void *arg)
{
	(void)arg;
	return count_sent_all(h) >= N_MSG;
}

struct run {
	int next_inject;
	int kill;
	long sent_base;
	int64_t fire_at;
	int64_t start;
	long connected_base; /* "connected on" lines before this run */
};

static bool
fired(struct harness *h, const struct kill_plan *p, const struct run *r)
{
	int64_t v = 0;

	switch (p->trig) {
	case TRIG_INBOUND:
		return harness_db_int(h, "SELECT COUNT(*) FROM inbound", &v) == 0 && v >= p->arg;
	case TRIG_SENT: {
		long sent = count_sent_all(h);
		return sent >= r->sent_base + p->arg || sent >= N_MSG;
	}
	case TRIG_READY:
		return harness_log_count(h, "connected on") >= r->connected_base + N_MODEMS;
	}
	return false;
}

static int
setup(void **state)
{
	return e2e_setup(state, "poolcrash");
}

static void
test_pool_crash_200(void **state)
{
	struct harness *h = *state;
	static struct pool_crash c;
	struct run r;
	const char *env = getenv("KAWAN_SEED");
	uint64_t seed = env != NULL ? strtoull(env, NULL, 10) : (uint64_t)hproc_wall_ms();
	uint64_t s = seed;
	int problems = 0;

	printf("pool crash: seed %" PRIu64 " (rerun with KAWAN_SEED=%" PRIu64 ")\n", seed, seed);
	memset(&c, 0, sizeof(c));
	plan(&c, &s);
	h->opts.nmodems = N_MODEMS;
	for (int k = 0; k < N_MODEMS; k++) {
		h->opts.modem[k].sim_imsi = imsi[k];
		h->opts.modem[k].sim_operator = k < 2 ? "Maxis" : "Celcom";
		h->opts.modem[k].cfg_extra = cfg_imsi[k];
	}
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, harness_gw_start(h));
	E2E_OK(h, harness_gw_wait_ready(h, 60000));
	memset(&r, 0, sizeof(r));
	r.start = hproc_mono_ms();
	while (r.next_inject < N_MSG || r.kill < N_KILLS) {
		int64_t now = hproc_mono_ms() - r.start;

		while (r.next_inject < N_MSG && c.inject_at[r.next_inject] <= now) {
			int i = r.next_inject++;
			E2E_OK(h, harness_inject_on(h, c.modem[i], c.from[i], c.text[i]));
		}
		if (r.kill < N_KILLS && r.fire_at == 0 && now >= c.plan[r.kill].not_before &&
		    fired(h, &c.plan[r.kill], &r))
			r.fire_at = hproc_mono_ms() + c.plan[r.kill].delay_ms;
		if (r.kill < N_KILLS && r.fire_at != 0 && hproc_mono_ms() >= r.fire_at) {
			int64_t v = 0;
			long sent = count_sent_all(h);

			E2E_CHECK(h, harness_db_int(h, "SELECT COUNT(*) FROM inbound", &v) == 0);
			harness_gw_kill9(h);
			printf("pool crash: kill %d (%s) at +%" PRId64 " ms: %ld sent, %" PRId64
			       " stored, %d injected\n",
			    r.kill + 1, c.plan[r.kill].what, hproc_mono_ms() - r.start, sent, v,
			    r.next_inject);
			r.connected_base = harness_log_count(h, "connected on");
			E2E_OK(h, harness_gw_start(h));
			r.kill++;
			r.fire_at = 0;
			r.sent_base = count_sent_all(h);
		}
		E2E_CHECK(h, now < 300000); /* the plan must finish */
		if (h->gw_pid > 0)
			E2E_CHECK(h, harness_gw_alive(h));
		hproc_sleep_ms(TICK_MS);
	}
	printf("pool crash: all %d injected and %d kills done at +%" PRId64 " ms\n", N_MSG, N_KILLS,
	    hproc_mono_ms() - r.start);
	E2E_OK(h, harness_wait(h, 240000, "every sender answered", all_sent, NULL));
	e2e_wait_drained(h, 60000);
	printf("pool crash: finished at +%" PRId64 " ms\n", hproc_mono_ms() - r.start);
	/* stored once each, byte for byte */
	problems += hverify_inbound(h, c.msgs, N_MSG, 1);
	/* each under the modem it came in on, and answered through it */
	for (int k = 1; k <= N_MODEMS; k++) {
		size_t n = c.n_on[k - 1];
		int64_t rows = harness_db_value(h,
		    "SELECT COUNT(*) FROM inbound WHERE modem = 'modem%d'"
		    " AND sender LIKE '+601_%d5%%'",
		    k, k);

		if (rows != (int64_t)n) {
			printf("pool crash: modem%d stored %" PRId64 " of its %zu\n", k, rows, n);
			problems++;
		}
		problems += hverify_replies_on(h, k, c.on[k - 1], n, h->opts.reply_text, NULL);
	}
	E2E_CHECK(h,
	    harness_db_value(h, "SELECT COUNT(*) FROM outbound WHERE state <> 'sent'") == 0);
	E2E_CHECK(h, harness_log_count(h, "failover: #") == 0);
	if (problems != 0)
		printf("pool crash: %d problems with seed %" PRIu64 "\n", problems, seed);
	E2E_CHECK(h, problems == 0);
	E2E_CHECK(h, harness_gw_alive(h));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pool_crash_200, setup, e2e_teardown),
	};

	e2e_main_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
