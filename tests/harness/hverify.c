/* hverify.c - end-of-scenario checks: stored once, answered once. */
#include "hverify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hverify_row {
	char *sender;
	char *text;
	char *state;
	long long id, received_at_ms;
};

struct hverify_rows {
	struct hverify_row *v;
	size_t n, cap;
	int oom;
};

static char *
hverify_dup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static int
hverify_add_row(void *arg, int ncols, const char *const *cols)
{
	struct hverify_rows *r = arg;
	struct hverify_row *row;

	if (ncols < 5)
		return -1;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct hverify_row *p = realloc(r->v, cap * sizeof(*p));
		if (p == NULL) {
			r->oom = 1;
			return -1;
		}
		r->v = p;
		r->cap = cap;
	}
	row = &r->v[r->n++];
	row->id = strtoll(cols[0] ? cols[0] : "0", NULL, 10);
	row->sender = hverify_dup(cols[1]);
	row->text = hverify_dup(cols[2]);
	row->state = hverify_dup(cols[3]);
	row->received_at_ms = strtoll(cols[4] ? cols[4] : "0", NULL, 10);
	return 0;
}

static void
hverify_rows_free(struct hverify_rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].sender);
		free(r->v[i].text);
		free(r->v[i].state);
	}
	free(r->v);
}

int
hverify_inbound(struct harness *h, const struct hverify_msg *msgs, size_t n, int want_done)
{
	struct hverify_rows rows = { NULL, 0, 0, 0 };
	char *matched;
	int problems = 0;

	if (harness_db_each(h,
		"SELECT id, sender, text, state, received_at_ms FROM inbound "
		"ORDER BY id",
		hverify_add_row, &rows) != 0 ||
	    rows.oom) {
		fprintf(stderr, "verify: cannot read inbound rows from %s\n", h->db);
		hverify_rows_free(&rows);
		return 1;
	}
	matched = calloc(rows.n + 1, 1);
	if (matched == NULL) {
		hverify_rows_free(&rows);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		int count = 0;
		for (size_t j = 0; j < rows.n; j++) {
			if (strcmp(rows.v[j].sender, msgs[i].from) != 0 ||
			    strcmp(rows.v[j].text, msgs[i].text) != 0)
				continue;
			count++;
			matched[j] = 1;
			if (count > 1)
				fprintf(stderr,
				    "verify: DUPLICATE inbound #%lld from %s "
				    "(received_at_ms %lld)\n",
				    rows.v[j].id, rows.v[j].sender, rows.v[j].received_at_ms);
		}
		if (count != 1) {
			fprintf(stderr,
			    "verify: SMS %zu from %s stored %d times (want 1): \"%.80s%s\"\n", i,
			    msgs[i].from, count, msgs[i].text,
			    strlen(msgs[i].text) > 80 ? "..." : "");
			problems++;
		}
	}
	for (size_t j = 0; j < rows.n; j++) {
		if (!matched[j]) {
			fprintf(stderr,
			    "verify: unexpected inbound #%lld from %s (received_at_ms %lld): "
			    "\"%.200s\"\n",
			    rows.v[j].id, rows.v[j].sender, rows.v[j].received_at_ms,
			    rows.v[j].text);
			problems++;
		}
		if (want_done && strcmp(rows.v[j].state, "done") != 0) {
			fprintf(stderr, "verify: inbound #%lld state '%s' (want 'done')\n",
			    rows.v[j].id, rows.v[j].state);
			problems++;
		}
	}
	if (rows.n != n) {
		fprintf(stderr, "verify: %zu inbound rows, want %zu\n", rows.n, n);
		problems++;
	}
	free(matched);
	hverify_rows_free(&rows);
	return problems;
}

int
hverify_replies(struct harness *h, const struct hverify_msg *msgs, size_t n, const char *reply,
    const char *coding)
{
	return hverify_replies_on(h, 1, msgs, n, reply, coding);
}

int
hverify_replies_on(struct harness *h, int k, const struct hverify_msg *msgs, size_t n,
    const char *reply, const char *coding)
{
	struct hctl_sent *sent = NULL;
	size_t nsent = 0;
	char *matched;
	int problems = 0;

	if (harness_sent_on(h, k, &sent, &nsent) < 0) {
		fprintf(stderr, "verify: SENT of modem%d failed\n", k);
		return 1;
	}
	matched = calloc(nsent + 1, 1);
	if (matched == NULL) {
		hctl_sent_free(sent, nsent);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		int count = 0;
		for (size_t j = 0; j < nsent; j++) {
			if (strcmp(sent[j].dest, msgs[i].from) != 0)
				continue;
			count++;
			matched[j] = 1;
			if (count > 1)
				fprintf(stderr,
				    "verify: DUPLICATE reply to %s: sent msg %u at %lld ms "
				    "(wall clock)\n",
				    sent[j].dest, sent[j].id, (long long)sent[j].t_first_ms);
		}
		if (count != 1) {
			fprintf(stderr, "verify: %s got %d replies through modem%d (want 1)\n",
			    msgs[i].from, count, k);
			problems++;
		}
	}
	for (size_t j = 0; j < nsent; j++) {
		if (!matched[j]) {
			fprintf(stderr,
			    "verify: unexpected reply to %s through modem%d at %lld ms\n",
			    sent[j].dest, k, (long long)sent[j].t_first_ms);
			problems++;
		}
		if (reply != NULL && strcmp(sent[j].text, reply) != 0) {
			fprintf(stderr, "verify: reply to %s is \"%s\", want \"%s\"\n",
			    sent[j].dest, sent[j].text, reply);
			problems++;
		}
		if (coding != NULL && strcmp(sent[j].coding, coding) != 0) {
			fprintf(stderr, "verify: reply to %s coded %s, want %s\n", sent[j].dest,
			    sent[j].coding, coding);
			problems++;
		}
	}
	if (nsent != n) {
		fprintf(stderr, "verify: %zu messages sent through modem%d, want %zu\n", nsent, k,
		    n);
		problems++;
	}
	free(matched);
	hctl_sent_free(sent, nsent);
	return problems;
}

int
hverify_outbound(struct harness *h, size_t n)
{
	int64_t total = -1, sent = -1;
	int problems = 0;

	if (harness_db_int(h, "SELECT COUNT(*) FROM outbound", &total) < 0 ||
	    harness_db_int(h, "SELECT COUNT(*) FROM outbound WHERE state = 'sent'", &sent) < 0) {
		fprintf(stderr, "verify: cannot read outbound from %s\n", h->db);
		return 1;
	}
	if (total != (int64_t)n || sent != (int64_t)n) {
		fprintf(stderr, "verify: outbound has %lld rows, %lld sent; want %zu and %zu\n",
		    (long long)total, (long long)sent, n, n);
		problems++;
	}
	return problems;
}
