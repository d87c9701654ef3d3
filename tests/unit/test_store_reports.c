/* test_store_reports.c - the report, audit and officer_pin tables: create,
 * the dedupe look-up, case-insensitive references, field updates, state
 * saves, filtered iteration, due reports, erasure that keeps the figures,
 * the audit trail, PIN failures, and references (unique, from the alphabet). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "store/store.h"
#include "store_fixture.h"

#define T0 1700000000000LL

static void
test_create_and_get(void **state)
{
	struct sfx_db *f = *state;
	struct store_report r, g;
	char lower[STORE_REF_MAX];

	assert_true(store_schema_version(f->st) >= 4); /* later migrations add to it */
	assert_int_equal(store_report_create(f->st, "+60123456789", "my", "mm", T0, &r), 0);
	assert_true(r.id > 0);
	assert_int_equal(strlen(r.ref), 4);
	assert_string_equal(r.msisdn, "+60123456789");
	assert_string_equal(r.lang, "my");
	assert_string_equal(r.nationality, "MM");
	assert_int_equal(r.state, STORE_REPORT_NEW);
	assert_int_equal(r.created_ms, T0);
	assert_int_equal(r.updated_ms, T0);
	assert_int_equal(r.next_alert_ms, 0);
	assert_int_equal(r.last_alert_out_id, 0);

	for (size_t i = 0; i <= strlen(r.ref); i++)
		lower[i] = (char)((r.ref[i] >= 'A' && r.ref[i] <= 'Z') ? r.ref[i] + 32 : r.ref[i]);
	assert_int_equal(store_report_get(f->st, lower, &g), 0);
	assert_int_equal(g.id, r.id);
	assert_int_equal(store_report_get(f->st, r.ref, &g), 0);
	assert_int_equal(store_report_get(f->st, "ZZZZ", &g), 1); /* Z is not in the alphabet */
	assert_int_equal(store_report_get(f->st, "", &g), 1);
	assert_int_equal(store_report_get(f->st, "MUCHTOOLONGREF", &g), 1);

	/* A bad nationality is stored as unknown. */
	assert_int_equal(store_report_create(f->st, "+60111", "en", "Myanmar", T0, &r), 0);
	assert_string_equal(r.nationality, "");
	assert_int_equal(store_report_create(f->st, "", "en", "", T0, &r), -1);
}

static void
test_find_open_window(void **state)
{
	struct sfx_db *f = *state;
	struct store_report a, b, g;

	assert_int_equal(store_report_create(f->st, "+601", "en", "", T0, &a), 0);
	assert_int_equal(store_report_create(f->st, "+601", "en", "", T0 + 1000, &b), 0);
	/* The newest open one within the window. */
	assert_int_equal(store_report_find_open(f->st, "+601", T0 - 10, &g), 0);
	assert_int_equal(g.id, b.id);
	/* Outside the window: none. */
	assert_int_equal(store_report_find_open(f->st, "+601", T0 + 2000, &g), 1);
	/* Closed reports are not open. */
	b.state = STORE_REPORT_CLOSED;
	b.closed_ms = T0 + 1500;
	assert_int_equal(store_report_save_state(f->st, &b), 0);
	assert_int_equal(store_report_find_open(f->st, "+601", T0 - 10, &g), 0);
	assert_int_equal(g.id, a.id);
	assert_int_equal(store_report_find_open(f->st, "+602", 0, &g), 1);
	assert_int_equal(store_report_find_open(f->st, "", 0, &g), 1);
}

static void
test_set_fields(void **state)
{
	struct sfx_db *f = *state;
	struct store_report r, g;
	char big[2000];

	assert_int_equal(store_report_create(f->st, "+601", "en", "", T0, &r), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_NATIONALITY, "ph", T0 + 1), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_CATEGORY, "wages", T0 + 2), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_PLACE, "Kajang", T0 + 3), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_CALLBACK, "after 8pm", T0 + 4), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_MESSAGE, "first", T0 + 5), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_MESSAGE, "second", T0 + 6), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_LANG, "fil", T0 + 7), 0);
	assert_int_equal(store_report_get(f->st, r.ref, &g), 0);
	assert_string_equal(g.nationality, "PH");
	assert_string_equal(g.category, "wages");
	assert_string_equal(g.place, "Kajang");
	assert_string_equal(g.callback, "after 8pm");
	assert_string_equal(g.message, "first | second");
	assert_string_equal(g.lang, "fil");
	assert_int_equal(g.updated_ms, T0 + 7);

	/* Too long: cut at a character boundary, never refused. */
	memset(big, 0, sizeof(big));
	for (size_t i = 0; i + 3 < sizeof(big) - 1; i += 3)
		memcpy(big + i, "\xe1\x80\x80", 3); /* U+1000 MYANMAR KA */
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_PLACE, big, T0 + 8), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_MESSAGE, big, T0 + 9), 0);
	assert_int_equal(store_report_get(f->st, r.ref, &g), 0);
	assert_true(strlen(g.place) < STORE_PLACE_MAX);
	assert_int_equal(strlen(g.place) % 3, 0);
	assert_true(strlen(g.message) < STORE_MESSAGE_MAX);
	assert_int_equal(strncmp(g.message, "first | second | ", 17), 0);
	assert_int_equal((strlen(g.message) - 17) % 3, 0);
	assert_int_equal(store_report_set(f->st, 999999, STORE_RF_PLACE, "x", T0), -1);
}

/* The worker's consent (schema v9): stored, read back by every query,
 * kept by state saves and retention; an unknown value is stored as none. */
static int
count_notify(const struct store_report *r, void *arg)
{
	if (strcmp(r->notify, "ngo") == 0)
		(*(int *)arg)++;
	return 0;
}

static void
test_notify(void **state)
{
	struct sfx_db *f = *state;
	struct store_report r, g;
	struct store_report_filter any = { .state = -1 };
	int n = 0;

	assert_int_equal(store_report_create(f->st, "+601", "my", "MM", T0, &r), 0);
	assert_string_equal(r.notify, "");
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_NOTIFY, "ngo", T0 + 1), 0);
	assert_int_equal(store_report_get(f->st, r.ref, &g), 0);
	assert_string_equal(g.notify, "ngo");
	assert_int_equal(g.updated_ms, T0 + 1);
	assert_int_equal(store_report_find_open(f->st, "+601", 0, &g), 0);
	assert_string_equal(g.notify, "ngo");
	assert_int_equal(store_report_each(f->st, &any, count_notify, &n), 0);
	assert_int_equal(n, 1);
	/* A state save leaves it. */
	g.state = STORE_REPORT_CLOSED;
	g.closed_ms = T0 + 2;
	assert_int_equal(store_report_save_state(f->st, &g), 0);
	assert_int_equal(store_report_erase(f->st, g.id), 0);
	assert_int_equal(store_report_get(f->st, r.ref, &g), 0);
	assert_string_equal(g.notify, "ngo");
	/* Only the three choices are stored. */
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_NOTIFY, "police", T0 + 3), 0);
	assert_int_equal(store_report_get(f->st, r.ref, &g), 0);
	assert_string_equal(g.notify, "");
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_NOTIFY, "both", T0 + 4), 0);
	assert_int_equal(store_report_get(f->st, r.ref, &g), 0);
	assert_string_equal(g.notify, "both");
	assert_int_equal(store_report_set(f->st, 99999, STORE_RF_NOTIFY, "ngo", T0 + 5), -1);
}

static void
test_save_state(void **state)
{
	struct sfx_db *f = *state;
	struct store_report r, g;

	assert_int_equal(store_report_create(f->st, "+601", "en", "MM", T0, &r), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_PLACE, "Kajang", T0 + 1), 0);
	r.state = STORE_REPORT_ACKED;
	r.updated_ms = T0 + 10;
	r.alerted_ms = T0 + 2;
	r.acked_ms = T0 + 10;
	snprintf(r.acked_by, sizeof(r.acked_by), "Ko Aung");
	r.alert_level = 2;
	r.reminders = 1;
	r.next_alert_ms = 0;
	r.last_alert_out_id = 77;
	snprintf(r.place, sizeof(r.place), "ignored"); /* text fields are left alone */
	assert_int_equal(store_report_save_state(f->st, &r), 0);
	assert_int_equal(store_report_get(f->st, r.ref, &g), 0);
	assert_int_equal(g.state, STORE_REPORT_ACKED);
	assert_int_equal(g.alerted_ms, T0 + 2);
	assert_int_equal(g.acked_ms, T0 + 10);
	assert_string_equal(g.acked_by, "Ko Aung");
	assert_int_equal(g.alert_level, 2);
	assert_int_equal(g.reminders, 1);
	assert_int_equal(g.last_alert_out_id, 77);
	assert_string_equal(g.place, "Kajang");
	r.state = (enum store_report_state)7;
	assert_int_equal(store_report_save_state(f->st, &r), -1);
	r.state = STORE_REPORT_NEW;
	r.id = 424242;
	assert_int_equal(store_report_save_state(f->st, &r), -1);
}

struct collect {
	int64_t ids[64];
	size_t n;
	size_t stop_after;
};

static int
collect_cb(const struct store_report *r, void *arg)
{
	struct collect *c = arg;

	c->ids[c->n++] = r->id;
	return c->stop_after != 0 && c->n >= c->stop_after;
}

static void
test_each_filters(void **state)
{
	struct sfx_db *f = *state;
	struct store_report a, b, c;
	struct store_report_filter flt = { .state = -1 };
	struct collect col = { .n = 0 };

	assert_int_equal(store_report_create(f->st, "+601", "my", "MM", T0, &a), 0);
	assert_int_equal(store_report_create(f->st, "+602", "km", "KH", T0 + 100, &b), 0);
	assert_int_equal(store_report_create(f->st, "+603", "my", "MM", T0 + 200, &c), 0);
	c.state = STORE_REPORT_CLOSED;
	assert_int_equal(store_report_save_state(f->st, &c), 0);

	assert_int_equal(store_report_each(f->st, &flt, collect_cb, &col), 0);
	assert_int_equal(col.n, 3);
	assert_int_equal(col.ids[0], a.id);
	assert_int_equal(col.ids[2], c.id);

	col.n = 0;
	snprintf(flt.nationality, sizeof(flt.nationality), "mm");
	assert_int_equal(store_report_each(f->st, &flt, collect_cb, &col), 0);
	assert_int_equal(col.n, 2);

	col.n = 0;
	flt.state = STORE_REPORT_CLOSED;
	assert_int_equal(store_report_each(f->st, &flt, collect_cb, &col), 0);
	assert_int_equal(col.n, 1);
	assert_int_equal(col.ids[0], c.id);

	col.n = 0;
	memset(&flt, 0, sizeof(flt));
	flt.state = -1;
	flt.from_ms = T0 + 100;
	flt.to_ms = T0 + 200;
	assert_int_equal(store_report_each(f->st, &flt, collect_cb, &col), 0);
	assert_int_equal(col.n, 1);
	assert_int_equal(col.ids[0], b.id);

	col.n = 0;
	col.stop_after = 2;
	assert_int_equal(store_report_each(f->st, NULL, collect_cb, &col), 0);
	assert_int_equal(col.n, 2);
}

static void
test_due(void **state)
{
	struct sfx_db *f = *state;
	struct store_report a, b, c;
	struct collect col = { .n = 0 };

	assert_int_equal(store_report_create(f->st, "+601", "en", "", T0, &a), 0); /* NEW */
	assert_int_equal(store_report_create(f->st, "+602", "en", "", T0, &b), 0);
	assert_int_equal(store_report_create(f->st, "+603", "en", "", T0, &c), 0);
	b.state = STORE_REPORT_ALERTED;
	b.next_alert_ms = T0 + 300000;
	assert_int_equal(store_report_save_state(f->st, &b), 0);
	c.state = STORE_REPORT_ACKED;
	assert_int_equal(store_report_save_state(f->st, &c), 0);

	assert_int_equal(store_report_due(f->st, T0 + 1000, collect_cb, &col), 0);
	assert_int_equal(col.n, 1);
	assert_int_equal(col.ids[0], a.id);
	col.n = 0;
	assert_int_equal(store_report_due(f->st, T0 + 300000, collect_cb, &col), 0);
	assert_int_equal(col.n, 2);
	assert_int_equal(col.ids[1], b.id);
}

static int
audit_cb(const struct store_audit *a, void *arg)
{
	struct store_audit *v = arg;
	size_t i = 0;

	while (v[i].id != 0)
		i++;
	v[i] = *a;
	return 0;
}

static void
test_erase_keeps_figures(void **state)
{
	struct sfx_db *f = *state;
	struct store_report r, open, g;
	struct store_audit au[8];

	assert_int_equal(store_report_create(f->st, "+60123", "my", "MM", T0, &r), 0);
	assert_int_equal(store_report_create(f->st, "+60999", "my", "MM", T0, &open), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_CATEGORY, "violence", T0), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_PLACE, "Kajang", T0), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_CALLBACK, "never", T0), 0);
	assert_int_equal(store_report_set(f->st, r.id, STORE_RF_MESSAGE, "help me", T0), 0);
	assert_int_equal(
	    store_audit_add(f->st, r.id, T0, "worker", "sms", "created", "+60123 Kajang"), 0);
	assert_int_equal(store_audit_add(f->st, r.id, T0 + 5, "Ko Aung", "sms", "acked", "x"), 0);
	assert_int_equal(
	    store_audit_add(f->st, r.id, T0 + 6, "kawanctl:maya", "cli", "closed", "y"), 0);
	assert_int_equal(store_report_get(f->st, r.ref, &r), 0);
	r.state = STORE_REPORT_CLOSED;
	r.alerted_ms = T0 + 1;
	r.acked_ms = T0 + 5;
	r.closed_ms = T0 + 6;
	snprintf(r.acked_by, sizeof(r.acked_by), "Ko Aung");
	snprintf(r.closed_by, sizeof(r.closed_by), "kawanctl:maya");
	snprintf(r.outcome, sizeof(r.outcome), "moved to shelter in Kajang");
	assert_int_equal(store_report_save_state(f->st, &r), 0);

	/* Not yet old enough. */
	assert_int_equal(store_report_erase_closed_before(f->st, T0 + 6), 0);
	assert_int_equal(store_report_erase_closed_before(f->st, T0 + 7), 1);
	assert_int_equal(store_report_erase_closed_before(f->st, T0 + 7), 0); /* once */

	assert_int_equal(store_report_get(f->st, r.ref, &g), 0);
	assert_int_equal(g.erased, 1);
	assert_string_equal(g.msisdn, "");
	assert_string_equal(g.place, "");
	assert_string_equal(g.callback, "");
	assert_string_equal(g.message, "");
	assert_string_equal(g.outcome, "");
	assert_string_equal(g.acked_by, "officer");
	assert_string_equal(g.closed_by, "kawanctl");
	/* The figures stay. */
	assert_string_equal(g.nationality, "MM");
	assert_string_equal(g.category, "violence");
	assert_string_equal(g.lang, "my");
	assert_int_equal(g.state, STORE_REPORT_CLOSED);
	assert_int_equal(g.created_ms, T0);
	assert_int_equal(g.alerted_ms, T0 + 1);
	assert_int_equal(g.acked_ms, T0 + 5);
	assert_int_equal(g.closed_ms, T0 + 6);

	memset(au, 0, sizeof(au));
	assert_int_equal(store_audit_each(f->st, r.id, audit_cb, au), 0);
	assert_string_equal(au[0].actor, "worker");
	assert_string_equal(au[0].detail, "");
	assert_string_equal(au[1].actor, "officer");
	assert_string_equal(au[2].actor, "kawanctl");
	assert_string_equal(au[2].action, "closed");
	assert_int_equal(au[2].at_ms, T0 + 6);

	/* The open report is untouched; erasing it one by one is refused. */
	assert_int_equal(store_report_get(f->st, open.ref, &g), 0);
	assert_string_equal(g.msisdn, "+60999");
	assert_int_equal(store_report_erase(f->st, open.id), 1);
}

static void
test_audit(void **state)
{
	struct sfx_db *f = *state;
	struct store_report r;
	struct store_audit au[8];
	char longdetail[3000];

	assert_int_equal(store_report_create(f->st, "+601", "en", "", T0, &r), 0);
	memset(longdetail, 'x', sizeof(longdetail) - 1);
	longdetail[sizeof(longdetail) - 1] = '\0';
	assert_int_equal(store_audit_add(f->st, r.id, T0, "worker", "sms", "created", ""), 0);
	assert_int_equal(
	    store_audit_add(f->st, r.id, T0 + 1, "system", "system", "alerted", "to A"), 0);
	assert_int_equal(store_audit_add(f->st, r.id, T0 + 2, "Ko Aung", "sms", "note", longdetail),
	    0);
	assert_int_equal(
	    store_audit_add(f->st, r.id, T0, "x", "sms", "an-action-name-far-too-long", ""), -1);
	assert_int_equal(store_audit_add(f->st, 777777, T0, "x", "sms", "note", ""),
	    -1); /* foreign key */
	memset(au, 0, sizeof(au));
	assert_int_equal(store_audit_each(f->st, r.id, audit_cb, au), 0);
	assert_int_equal(au[3].id, 0);
	assert_string_equal(au[0].action, "created");
	assert_string_equal(au[1].detail, "to A");
	assert_string_equal(au[1].channel, "system");
	assert_int_equal(au[2].at_ms, T0 + 2);
	assert_int_equal(strlen(au[2].detail), STORE_MESSAGE_MAX - 1);
}

static void
test_pin_failures(void **state)
{
	struct sfx_db *f = *state;
	int failures = -1;
	int64_t until = -1;

	assert_int_equal(store_pin_failures(f->st, "+6011", &failures, &until), 0);
	assert_int_equal(failures, 0);
	assert_int_equal(until, 0);
	assert_int_equal(store_pin_record(f->st, "+6011", 2, 0), 0);
	assert_int_equal(store_pin_record(f->st, "+6011", 3, T0 + 900000), 0);
	assert_int_equal(store_pin_failures(f->st, "+6011", &failures, &until), 0);
	assert_int_equal(failures, 3);
	assert_int_equal(until, T0 + 900000);
	assert_int_equal(store_pin_failures(f->st, "+6022", &failures, &until), 0);
	assert_int_equal(failures, 0);
	assert_int_equal(store_pin_record(f->st, "", 1, 0), -1);
}

static void
test_refs_unique(void **state)
{
	struct sfx_db *f = *state;
	const char *alphabet = "ACDEFGHJKLMNPQRTUVWXY34679";
	char(*refs)[STORE_REF_MAX] = calloc(2000, STORE_REF_MAX);

	assert_non_null(refs);
	assert_int_equal(store_begin(f->st), 0);
	for (int i = 0; i < 2000; i++) {
		struct store_report r;

		assert_int_equal(store_report_create(f->st, "+601", "en", "", T0 + i, &r), 0);
		assert_int_equal(strlen(r.ref), 4);
		for (int k = 0; k < 4; k++)
			assert_non_null(strchr(alphabet, r.ref[k]));
		memcpy(refs[i], r.ref, STORE_REF_MAX);
	}
	assert_int_equal(store_commit(f->st), 0);
	for (int i = 0; i < 2000; i++)
		for (int j = i + 1; j < 2000; j++)
			assert_string_not_equal(refs[i], refs[j]);
	free(refs);
}

static void
test_in_transaction(void **state)
{
	struct sfx_db *f = *state;

	assert_false(store_in_transaction(f->st));
	assert_int_equal(store_begin(f->st), 0);
	assert_true(store_in_transaction(f->st));
	store_rollback(f->st);
	assert_false(store_in_transaction(f->st));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_get, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_find_open_window, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_set_fields, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_notify, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_save_state, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_each_filters, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_due, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_erase_keeps_figures, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_audit, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_pin_failures, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_refs_unique, sfx_setup, sfx_teardown),
		cmocka_unit_test_setup_teardown(test_in_transaction, sfx_setup, sfx_teardown),
	};

	log_init("test_store_reports", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
