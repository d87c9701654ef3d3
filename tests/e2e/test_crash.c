/* test_crash.c - 200 SMS from 200 numbers injected over time while the
 * gateway is killed with SIGKILL at seeded random moments (during the
 * inbound burst, during sending, and elsewhere) and restarted each time.
 * Afterwards every text is stored exactly once, the SIM is empty, and each
 * number got exactly one reply. KAWAN_SEED=<n> replays a run. */
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

#define N_MSG 200
#define N_BURST 60 /* injected at once at the start */
#define N_KILLS 8
#define TICK_MS 25

enum trigger {
	TRIG_INBOUND, /* inbound rows >= arg (the inbound burst is being stored) */
	TRIG_SENT,    /* SENT grew by arg since this gateway run began */
	TRIG_READY,   /* the gateway of this run connected */
};

struct kill_plan {
	enum trigger trig;
	long arg;
	int delay_ms; /* after the trigger fired */
	const char *what;
	int64_t not_before; /* ms after the start: spreads kills over the run */
};

struct crash {
	char from[N_MSG][24];
	char text[N_MSG][200];
	struct hverify_msg msgs[N_MSG];
	int64_t inject_at[N_MSG]; /* ms after the start */
	struct kill_plan plan[N_KILLS];
	int64_t kill_wall[N_KILLS]; /* wall-clock ms of each kill */
	int64_t restart_wall[N_KILLS];
	long sent_at_kill[N_KILLS];
	long inbound_at_kill[N_KILLS];
};

static void
crash_plan(struct crash *c, uint64_t *seed)
{
	static const char *const thai = "ช่วยด้วย นายจ้างไม่จ่ายเงิน";

	for (int i = 0; i < N_MSG; i++) {
		snprintf(c->from[i], sizeof(c->from[i]), "+6013%07d", 4000000 + i * 7);
		if (i % 10 == 7)
			snprintf(c->text[i], sizeof(c->text[i]), "%s %d", thai, i);
		else
			snprintf(c->text[i], sizeof(c->text[i]),
			    "Crash test message %d: majikan tidak bayar gaji, tolong %d", i,
			    harness_rand_between(seed, 0, 99999));
		c->msgs[i].from = c->from[i];
		c->msgs[i].text = c->text[i];
		/* a burst first, the rest spread over about a minute */
		c->inject_at[i] = i < N_BURST ? 0 : harness_rand_between(seed, 2000, 70000);
	}
	qsort(c->inject_at, N_MSG, sizeof(c->inject_at[0]), harness_cmp_i64);
	/* kill 1: while the burst is being stored; kill 2: while sending;
	 * then alternately during a send and at a random moment. Each draw
	 * is its own statement so a seed replays the same plan everywhere. */
	for (int k = 0; k < N_KILLS; k++) {
		struct kill_plan *p = &c->plan[k];

		if (k == 0) {
			p->trig = TRIG_INBOUND;
			p->arg = harness_rand_between(seed, 3, 30);
			p->what = "inbound burst";
		} else if (k == 1 || k % 2 == 0) {
			p->trig = TRIG_SENT;
			p->arg = harness_rand_between(seed, 1, k == 1 ? 3 : 8);
			p->delay_ms = harness_rand_between(seed, 0, 750);
			p->what = "sending";
		} else {
			p->trig = TRIG_READY;
			p->delay_ms = harness_rand_between(seed, 0, 6000);
			p->what = "random";
		}
		/* sending 200 replies takes ~150 s: spread the kills over ~130 s */
		if (k >= 2)
			p->not_before = (int64_t)k * 16000 + harness_rand_between(seed, 0, 4000);
	}
}

static long
count_sent(struct harness *h)
{
	struct hctl_sent *m = NULL;
	size_t n = 0;

	if (harness_sent(h, &m, &n) < 0)
		return -1;
	hctl_sent_free(m, n);
	return (long)n;
}

static long
count_inbound(struct harness *h)
{
	int64_t v = 0;

	if (harness_db_int(h, "SELECT COUNT(*) FROM inbound", &v) < 0)
		return 0;
	return (long)v;
}

struct run {
	int next_inject;
	int kill;        /* next kill in the plan */
	long sent_base;  /* SENT count when this run started */
	int64_t fire_at; /* 0: trigger not fired yet */
	bool ready;
	int64_t start;
};

static bool
trigger_fired(struct harness *h, struct crash *c, struct run *r)
{
	const struct kill_plan *p = &c->plan[r->kill];

	switch (p->trig) {
	case TRIG_INBOUND:
		return count_inbound(h) >= p->arg;
	case TRIG_SENT: {
		/* a faster gateway may have answered everything already: then
		 * any moment is as good as the one planned */
		long sent = count_sent(h);
		return sent >= r->sent_base + p->arg || sent >= N_MSG;
	}
	case TRIG_READY:
		if (!r->ready)
			r->ready = harness_log_count(h, "connected on") >= h->gw_starts;
		return r->ready;
	}
	return false;
}

static void
do_kill(struct harness *h, struct crash *c, struct run *r)
{
	int k = r->kill;

	c->sent_at_kill[k] = count_sent(h);
	c->inbound_at_kill[k] = count_inbound(h);
	c->kill_wall[k] = hproc_wall_ms();
	harness_gw_kill9(h);
	printf("crash: kill %d (%s) at +%" PRId64 " ms: %ld sent, %ld stored, %d injected\n", k + 1,
	    c->plan[k].what, hproc_mono_ms() - r->start, c->sent_at_kill[k], c->inbound_at_kill[k],
	    r->next_inject);
	E2E_OK(h, harness_gw_start(h));
	c->restart_wall[k] = hproc_wall_ms();
	r->kill++;
	r->fire_at = 0;
	r->ready = false;
	r->sent_base = count_sent(h);
}

/* Prints, for every number answered more than once, when each copy went
 * out relative to the kills. */
static void
report_duplicates(struct harness *h, const struct crash *c)
{
	struct hctl_sent *m = NULL;
	size_t n = 0;

	if (harness_sent(h, &m, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		int copies = 0;
		for (size_t j = 0; j < n; j++)
			copies += strcmp(m[i].dest, m[j].dest) == 0;
		if (copies < 2)
			continue;
		int k = -1;
		for (int x = 0; x < N_KILLS; x++)
			if (c->kill_wall[x] != 0 && c->kill_wall[x] <= m[i].t_first_ms + 5000)
				k = x;
		printf("crash: DUPLICATE to %s: copy (SENT id %u) first part at %" PRId64
		       " ms wall",
		    m[i].dest, m[i].id, m[i].t_first_ms);
		for (int x = 0; x < N_KILLS; x++) {
			int64_t d = m[i].t_first_ms - c->kill_wall[x];
			if (c->kill_wall[x] != 0 && d > -3000 && d < 15000)
				printf("; %+" PRId64 " ms from kill %d", d, x + 1);
		}
		printf("%s\n", k < 0 ? " (before any kill)" : "");
	}
	hctl_sent_free(m, n);
}

static int
setup(void **state)
{
	return e2e_setup(state, "crash");
}

static void
test_crash_200(void **state)
{
	struct harness *h = *state;
	static struct crash c;
	struct run r;
	const char *env = getenv("KAWAN_SEED");
	uint64_t seed = env != NULL ? strtoull(env, NULL, 10) : (uint64_t)hproc_wall_ms();
	uint64_t s = seed;
	int problems;

	printf("crash: seed %" PRIu64 " (rerun with KAWAN_SEED=%" PRIu64 ")\n", seed, seed);
	memset(&c, 0, sizeof(c));
	crash_plan(&c, &s);
	e2e_start(h);
	memset(&r, 0, sizeof(r));
	r.start = hproc_mono_ms();
	r.ready = true;
	while (r.next_inject < N_MSG || r.kill < N_KILLS) {
		int64_t now = hproc_mono_ms() - r.start;

		while (r.next_inject < N_MSG && c.inject_at[r.next_inject] <= now) {
			E2E_OK(h, harness_inject(h, c.msgs[r.next_inject].from,
				      c.msgs[r.next_inject].text));
			r.next_inject++;
		}
		if (r.kill < N_KILLS && r.fire_at == 0 && now >= c.plan[r.kill].not_before &&
		    trigger_fired(h, &c, &r))
			r.fire_at = hproc_mono_ms() + c.plan[r.kill].delay_ms;
		if (r.kill < N_KILLS && r.fire_at != 0 && hproc_mono_ms() >= r.fire_at)
			do_kill(h, &c, &r);
		E2E_CHECK(h, now < 400000); /* the plan must finish */
		if (h->gw_pid > 0)
			E2E_CHECK(h, harness_gw_alive(h));
		hproc_sleep_ms(TICK_MS);
	}
	printf("crash: all %d injected and %d kills done at +%" PRId64 " ms; letting it finish\n",
	    N_MSG, N_KILLS, hproc_mono_ms() - r.start);
	E2E_OK(h, harness_wait_sent(h, N_MSG, 360000));
	e2e_wait_drained(h, 60000);
	printf("crash: finished at +%" PRId64 " ms\n", hproc_mono_ms() - r.start);
	problems = hverify_inbound(h, c.msgs, N_MSG, 1);
	problems += hverify_replies(h, c.msgs, N_MSG, h->opts.reply_text, NULL);
	if (problems != 0) {
		printf("crash: %d problems with seed %" PRIu64 "\n", problems, seed);
		for (int k = 0; k < N_KILLS; k++)
			printf("crash: kill %d at %" PRId64 " ms wall (%s), restarted at %" PRId64
			       "\n",
			    k + 1, c.kill_wall[k], c.plan[k].what, c.restart_wall[k]);
		report_duplicates(h, &c);
	}
	E2E_CHECK(h, problems == 0);
	E2E_CHECK(h, harness_gw_alive(h));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_crash_200, setup, e2e_teardown),
	};

	e2e_main_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
