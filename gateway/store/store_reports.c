/* store_reports.c - the report, audit and officer_pin tables (schema v4):
 * distress reports with short unique references, their audit trail,
 * retention that keeps the anonymised figures, and PIN lockouts.
 *
 * References are 4 characters from STORE_REF_ALPHABET (no look-alikes such
 * as 0/O, 1/I, 2/Z, 5/S, 8/B), drawn with getrandom(2) and redrawn on a
 * collision; they are stored upper case and looked up case-insensitively.
 * Text fields longer than their struct field are cut at a UTF-8 character
 * boundary, never rejected: a worker's words are kept as far as they fit. */
#include "store/store_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/log.h"
#include "core/util.h"

#define STORE_REF_ALPHABET "ACDEFGHJKLMNPQRTUVWXY34679"
#define STORE_REF_LEN 4
#define STORE_REF_TRIES 64 /* collisions in a row before giving up */
#define STORE_MSG_SEP " | "

/* Copies at most dstsz - 1 bytes of UTF-8 src into dst without splitting a
 * character. Returns true when all of src fit. */
static bool
store_reports_cut(char *dst, size_t dstsz, const char *src)
{
	size_t len = strlen(src);

	if (dstsz == 0)
		return false;
	if (len < dstsz) {
		memcpy(dst, src, len + 1);
		return true;
	}
	len = dstsz - 1;
	/* Back off continuation bytes (10xxxxxx) to a character start. */
	while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
		len--;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return false;
}

/* Copies a text column into dst, cut at a character boundary if it must be. */
static void
store_reports_col(sqlite3_stmt *stmt, int col, char *dst, size_t dstsz)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	(void)store_reports_cut(dst, dstsz, s != NULL ? (const char *)s : "");
}

/* Fills r from a row of STORE_REPORT_COLS. */
static void
store_reports_row(sqlite3_stmt *stmt, struct store_report *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(stmt, 0);
	store_reports_col(stmt, 1, r->ref, sizeof(r->ref));
	store_reports_col(stmt, 2, r->msisdn, sizeof(r->msisdn));
	store_reports_col(stmt, 3, r->lang, sizeof(r->lang));
	store_reports_col(stmt, 4, r->nationality, sizeof(r->nationality));
	store_reports_col(stmt, 5, r->category, sizeof(r->category));
	store_reports_col(stmt, 6, r->place, sizeof(r->place));
	store_reports_col(stmt, 7, r->callback, sizeof(r->callback));
	store_reports_col(stmt, 8, r->message, sizeof(r->message));
	r->state = (enum store_report_state)sqlite3_column_int(stmt, 9);
	r->created_ms = sqlite3_column_int64(stmt, 10);
	r->updated_ms = sqlite3_column_int64(stmt, 11);
	r->alerted_ms = sqlite3_column_int64(stmt, 12);
	r->acked_ms = sqlite3_column_int64(stmt, 13);
	r->closed_ms = sqlite3_column_int64(stmt, 14);
	store_reports_col(stmt, 15, r->acked_by, sizeof(r->acked_by));
	store_reports_col(stmt, 16, r->closed_by, sizeof(r->closed_by));
	store_reports_col(stmt, 17, r->outcome, sizeof(r->outcome));
	r->alert_level = sqlite3_column_int(stmt, 18);
	r->reminders = sqlite3_column_int(stmt, 19);
	r->next_alert_ms = sqlite3_column_int64(stmt, 20);
	r->erased = sqlite3_column_int(stmt, 21);
	r->last_alert_out_id = sqlite3_column_int64(stmt, 22);
}

/* Reads r->notify (schema v9; not in STORE_REPORT_COLS, which store.c
 * owns) for the report r->id. 0 or -1. */
static int
store_reports_notify_read(struct store *st, struct store_report *r)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	r->notify[0] = '\0';
	if (sqlite3_prepare_v2(st->db, "SELECT notify FROM report WHERE id = ?1", -1, &stmt,
		NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 1, r->id) != SQLITE_OK) {
		store_logerr(st, "report notify read");
		sqlite3_finalize(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		store_reports_col(stmt, 0, r->notify, sizeof(r->notify));
	else if (rc != SQLITE_DONE)
		store_logerr(st, "report notify read");
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Sets the consent column of report id, and updated_ms. 0 or -1. */
static int
store_reports_notify_write(struct store *st, int64_t id, const char *value, int64_t now_ms)
{
	static const char *const ok[] = { "ngo", "embassy", "both" };
	sqlite3_stmt *stmt = NULL;
	const char *v = "";
	int rc;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(value, ok[i]) == 0)
			v = ok[i];
	if (v[0] == '\0' && value[0] != '\0')
		log_warnx("store: report %" PRId64 ": unknown consent '%.16s' stored as none", id,
		    value);
	if (sqlite3_prepare_v2(st->db,
		"UPDATE report SET notify = ?2, updated_ms = ?3 WHERE id = ?1", -1, &stmt,
		NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    store_bind_text(stmt, 2, v) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 3, now_ms) != SQLITE_OK) {
		store_logerr(st, "report notify set");
		sqlite3_finalize(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE)
		store_logerr(st, "report notify set");
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(st->db) != 1) {
		log_warnx("store: report %" PRId64 " not found", id);
		return -1;
	}
	return 0;
}

/* Steps a bound single-row report query: 0 found (out filled), 1 none, -1. */
static int
store_reports_one(struct store *st, enum store_stmt which, struct store_report *out,
    const char *what)
{
	sqlite3_stmt *stmt = st->stmt[which];
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_DONE) {
		store_stmt_done(stmt);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		store_logerr(st, what);
		store_stmt_done(stmt);
		return -1;
	}
	store_reports_row(stmt, out);
	store_stmt_done(stmt);
	return store_reports_notify_read(st, out);
}

/* Draws a fresh reference from the kernel's random pool, without modulo
 * bias (bytes >= 234 = 9 * 26 are drawn again). */
static int
store_reports_new_ref(char ref[STORE_REF_MAX])
{
	const size_t n = sizeof(STORE_REF_ALPHABET) - 1;
	const unsigned limit = 256 - 256 % n;
	size_t got = 0;

	while (got < STORE_REF_LEN) {
		unsigned char b[16];
		ssize_t r = getrandom(b, sizeof(b), 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			log_warn("store: getrandom");
			return -1;
		}
		for (ssize_t i = 0; i < r && got < STORE_REF_LEN; i++) {
			if (b[i] < limit)
				ref[got++] = STORE_REF_ALPHABET[b[i] % n];
		}
	}
	ref[got] = '\0';
	return 0;
}

/* Upper-cases an ASCII reference into dst; false when it cannot be one. */
static bool
store_reports_norm_ref(const char *ref, char dst[STORE_REF_MAX])
{
	size_t len = strlen(ref);

	if (len == 0 || len >= STORE_REF_MAX)
		return false;
	for (size_t i = 0; i <= len; i++) {
		char c = ref[i];

		dst[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
	}
	return true;
}

int
store_report_create(struct store *st, const char *msisdn, const char *lang, const char *nationality,
    int64_t now_ms, struct store_report *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_REPORT_INSERT];
	char ref[STORE_REF_MAX], nat[3];

	if (msisdn == NULL || msisdn[0] == '\0' || strlen(msisdn) >= STORE_ADDR_MAX) {
		log_warnx("store: report msisdn empty or too long");
		return -1;
	}
	if (lang == NULL || strlen(lang) >= STORE_LANG_MAX)
		lang = "";
	if (nationality == NULL || !store_reports_norm_ref(nationality, ref) || strlen(ref) != 2)
		nat[0] = '\0';
	else
		memcpy(nat, ref, sizeof(nat));
	for (int tries = 0; tries < STORE_REF_TRIES; tries++) {
		int rc;

		if (store_reports_new_ref(ref) == -1)
			return -1;
		if (store_bind_text(stmt, 1, ref) != SQLITE_OK ||
		    store_bind_text(stmt, 2, msisdn) != SQLITE_OK ||
		    store_bind_text(stmt, 3, lang) != SQLITE_OK ||
		    store_bind_text(stmt, 4, nat) != SQLITE_OK ||
		    sqlite3_bind_int64(stmt, 5, now_ms) != SQLITE_OK) {
			store_logerr(st, "report insert bind");
			store_stmt_done(stmt);
			return -1;
		}
		rc = sqlite3_step(stmt);
		store_stmt_done(stmt);
		if (rc == SQLITE_CONSTRAINT_UNIQUE)
			continue; /* that reference is taken: draw again */
		if (rc != SQLITE_DONE) {
			store_logerr(st, "report insert");
			return -1;
		}
		if (sqlite3_bind_int64(st->stmt[STMT_REPORT_BY_ID], 1,
			sqlite3_last_insert_rowid(st->db)) != SQLITE_OK) {
			store_logerr(st, "report read back bind");
			store_stmt_done(st->stmt[STMT_REPORT_BY_ID]);
			return -1;
		}
		return store_reports_one(st, STMT_REPORT_BY_ID, out, "report read back") == 0 ? 0 :
												-1;
	}
	log_warnx("store: %s: no free report reference after %d tries", st->path, STORE_REF_TRIES);
	return -1;
}

int
store_report_find_open(struct store *st, const char *msisdn, int64_t since_ms,
    struct store_report *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_REPORT_FIND_OPEN];

	if (msisdn == NULL || msisdn[0] == '\0')
		return 1;
	if (store_bind_text(stmt, 1, msisdn) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, since_ms) != SQLITE_OK) {
		store_logerr(st, "report find open bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_reports_one(st, STMT_REPORT_FIND_OPEN, out, "report find open");
}

int
store_report_get(struct store *st, const char *ref, struct store_report *out)
{
	sqlite3_stmt *stmt = st->stmt[STMT_REPORT_BY_REF];
	char norm[STORE_REF_MAX];

	if (ref == NULL || !store_reports_norm_ref(ref, norm))
		return 1;
	if (store_bind_text(stmt, 1, norm) != SQLITE_OK) {
		store_logerr(st, "report get bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_reports_one(st, STMT_REPORT_BY_REF, out, "report get");
}

/* The stored value for field f: cut to its struct field; nationality upper
 * case and exactly 2 letters (else ""); a message appended to the old one. */
static int
store_reports_value(struct store *st, int64_t id, enum store_report_field f, const char *value,
    char *buf, size_t bufsz)
{
	static const size_t caps[] = {
		[STORE_RF_NATIONALITY] = 3,
		[STORE_RF_CATEGORY] = STORE_CATEGORY_MAX,
		[STORE_RF_PLACE] = STORE_PLACE_MAX,
		[STORE_RF_CALLBACK] = STORE_CALLBACK_MAX,
		[STORE_RF_MESSAGE] = STORE_MESSAGE_MAX,
		[STORE_RF_LANG] = STORE_LANG_MAX,
	};
	struct store_report old;
	size_t used;

	if ((int)f < 0 || (size_t)f >= sizeof(caps) / sizeof(caps[0]) || caps[f] > bufsz) {
		log_warnx("store: report %" PRId64 ": unknown field %d", id, (int)f);
		return -1;
	}
	if (f == STORE_RF_NATIONALITY) {
		char norm[STORE_REF_MAX];

		buf[0] = '\0';
		if (store_reports_norm_ref(value, norm) && strlen(norm) == 2)
			memcpy(buf, norm, 3);
		return 0;
	}
	if (f != STORE_RF_MESSAGE) {
		if (!store_reports_cut(buf, caps[f], value))
			log_info("store: report %" PRId64 ": field %d cut to %zu bytes", id, (int)f,
			    caps[f] - 1);
		return 0;
	}
	if (sqlite3_bind_int64(st->stmt[STMT_REPORT_BY_ID], 1, id) != SQLITE_OK) {
		store_logerr(st, "report read bind");
		store_stmt_done(st->stmt[STMT_REPORT_BY_ID]);
		return -1;
	}
	if (store_reports_one(st, STMT_REPORT_BY_ID, &old, "report read") != 0) {
		log_warnx("store: report %" PRId64 " not found", id);
		return -1;
	}
	(void)store_reports_cut(buf, caps[f], old.message);
	used = strlen(buf);
	if (used > 0 && value[0] != '\0') {
		(void)store_reports_cut(buf + used, caps[f] - used, STORE_MSG_SEP);
		used = strlen(buf);
	}
	if (!store_reports_cut(buf + used, caps[f] - used, value))
		log_info("store: report %" PRId64 ": message full, addition cut", id);
	return 0;
}

int
store_report_set(struct store *st, int64_t id, enum store_report_field f, const char *value,
    int64_t now_ms)
{
	sqlite3_stmt *stmt = st->stmt[STMT_REPORT_SET];
	char buf[STORE_MESSAGE_MAX];

	if (value == NULL)
		value = "";
	if (f == STORE_RF_NOTIFY)
		return store_reports_notify_write(st, id, value, now_ms);
	if (store_reports_value(st, id, f, value, buf, sizeof(buf)) == -1)
		return -1;
	if (sqlite3_bind_int64(stmt, 1, id) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 2, (int)f) != SQLITE_OK ||
	    store_bind_text(stmt, 3, buf) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 4, now_ms) != SQLITE_OK) {
		store_logerr(st, "report set bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_update_one(st, STMT_REPORT_SET, id, "report set");
}

int
store_report_save_state(struct store *st, const struct store_report *r)
{
	sqlite3_stmt *stmt = st->stmt[STMT_REPORT_SAVE];
	char acked_by[STORE_ACTOR_MAX], closed_by[STORE_ACTOR_MAX], outcome[STORE_OUTCOME_MAX];

	if ((int)r->state < STORE_REPORT_NEW || r->state > STORE_REPORT_CLOSED) {
		log_warnx("store: report %" PRId64 ": invalid state %d", r->id, (int)r->state);
		return -1;
	}
	(void)store_reports_cut(acked_by, sizeof(acked_by), r->acked_by);
	(void)store_reports_cut(closed_by, sizeof(closed_by), r->closed_by);
	(void)store_reports_cut(outcome, sizeof(outcome), r->outcome);
	if (sqlite3_bind_int64(stmt, 1, r->id) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 2, (int)r->state) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 3, r->updated_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 4, r->alerted_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 5, r->acked_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 6, r->closed_ms) != SQLITE_OK ||
	    store_bind_text(stmt, 7, acked_by) != SQLITE_OK ||
	    store_bind_text(stmt, 8, closed_by) != SQLITE_OK ||
	    store_bind_text(stmt, 9, outcome) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 10, r->alert_level) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 11, r->reminders) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 12, r->next_alert_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 13, r->last_alert_out_id) != SQLITE_OK) {
		store_logerr(st, "report save bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_update_one(st, STMT_REPORT_SAVE, r->id, "report save state");
}

int
store_report_each(struct store *st, const struct store_report_filter *f,
    int (*fn)(const struct store_report *r, void *arg), void *arg)
{
	sqlite3_stmt *stmt = st->stmt[STMT_REPORT_EACH];
	struct store_report_filter any = { .state = -1 };
	struct store_report r;
	char nat[STORE_REF_MAX] = "";
	int rc;

	if (f == NULL)
		f = &any;
	if (f->nationality[0] != '\0' && !store_reports_norm_ref(f->nationality, nat))
		nat[0] = '\0';
	if (sqlite3_bind_int(stmt, 1, f->state) != SQLITE_OK ||
	    store_bind_text(stmt, 2, nat) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 3, f->from_ms) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 4, f->to_ms) != SQLITE_OK) {
		store_logerr(st, "report each bind");
		store_stmt_done(stmt);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		store_reports_row(stmt, &r);
		if (store_reports_notify_read(st, &r) < 0) {
			store_stmt_done(stmt);
			return -1;
		}
		if (fn(&r, arg) != 0) {
			store_stmt_done(stmt);
			return 0;
		}
	}
	if (rc != SQLITE_DONE) {
		store_logerr(st, "report each");
		store_stmt_done(stmt);
		return -1;
	}
	store_stmt_done(stmt);
	return 0;
}

/* Reads the ids a bound id-only statement returns into a malloc'd array
 * (*ids, caller frees). 0 or -1. */
static int
store_reports_ids(struct store *st, enum store_stmt which, int64_t **ids, size_t *n)
{
	sqlite3_stmt *stmt = st->stmt[which];
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap == 0 ? 32 : cap * 2;
			int64_t *nv = realloc(*ids, ncap * sizeof(**ids));

			if (nv == NULL) {
				log_warn("store: report ids");
				goto fail;
			}
			*ids = nv;
			cap = ncap;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	if (rc != SQLITE_DONE) {
		store_logerr(st, "report ids");
		goto fail;
	}
	store_stmt_done(stmt);
	return 0;
fail:
	store_stmt_done(stmt);
	free(*ids);
	*ids = NULL;
	*n = 0;
	return -1;
}

/* Reads each of ids afresh and calls fn; a row gone meanwhile is skipped. */
static int
store_reports_call(struct store *st, const int64_t *ids, size_t n,
    int (*fn)(const struct store_report *r, void *arg), void *arg)
{
	for (size_t i = 0; i < n; i++) {
		struct store_report r;
		int rc;

		if (sqlite3_bind_int64(st->stmt[STMT_REPORT_BY_ID], 1, ids[i]) != SQLITE_OK) {
			store_logerr(st, "report by id bind");
			store_stmt_done(st->stmt[STMT_REPORT_BY_ID]);
			return -1;
		}
		rc = store_reports_one(st, STMT_REPORT_BY_ID, &r, "report by id");
		if (rc == -1)
			return -1;
		if (rc == 0 && fn(&r, arg) != 0)
			break;
	}
	return 0;
}

int
store_report_due(struct store *st, int64_t now_ms,
    int (*fn)(const struct store_report *r, void *arg), void *arg)
{
	int64_t *ids;
	size_t n;
	int rc;

	if (sqlite3_bind_int64(st->stmt[STMT_REPORT_DUE], 1, now_ms) != SQLITE_OK) {
		store_logerr(st, "report due bind");
		store_stmt_done(st->stmt[STMT_REPORT_DUE]);
		return -1;
	}
	if (store_reports_ids(st, STMT_REPORT_DUE, &ids, &n) == -1)
		return -1;
	rc = store_reports_call(st, ids, n, fn, arg);
	free(ids);
	return rc;
}

int
store_report_erasable(struct store *st, int64_t cutoff_ms,
    int (*fn)(const struct store_report *r, void *arg), void *arg)
{
	int64_t *ids;
	size_t n;
	int rc;

	if (sqlite3_bind_int64(st->stmt[STMT_REPORT_ERASABLE], 1, cutoff_ms) != SQLITE_OK) {
		store_logerr(st, "report erasable bind");
		store_stmt_done(st->stmt[STMT_REPORT_ERASABLE]);
		return -1;
	}
	if (store_reports_ids(st, STMT_REPORT_ERASABLE, &ids, &n) == -1)
		return -1;
	rc = store_reports_call(st, ids, n, fn, arg);
	free(ids);
	return rc;
}

int
store_report_erase(struct store *st, int64_t id)
{
	if (sqlite3_bind_int64(st->stmt[STMT_REPORT_ERASE], 1, id) != SQLITE_OK) {
		store_logerr(st, "report erase bind");
		store_stmt_done(st->stmt[STMT_REPORT_ERASE]);
		return -1;
	}
	if (store_step_done(st, STMT_REPORT_ERASE, "report erase") == -1)
		return -1;
	if (sqlite3_changes(st->db) != 1)
		return 1;
	if (sqlite3_bind_int64(st->stmt[STMT_AUDIT_ERASE], 1, id) != SQLITE_OK) {
		store_logerr(st, "audit erase bind");
		store_stmt_done(st->stmt[STMT_AUDIT_ERASE]);
		return -1;
	}
	return store_step_done(st, STMT_AUDIT_ERASE, "audit erase");
}

/* store_report_erasable callback: erases one, counting in *arg. */
static int
store_reports_erase_cb(const struct store_report *r, void *arg)
{
	struct {
		struct store *st;
		int n;
		int failed;
	} *c = arg;
	int rc = store_report_erase(c->st, r->id);

	if (rc == -1) {
		c->failed = 1;
		return 1;
	}
	if (rc == 0)
		c->n++;
	return 0;
}

int
store_report_erase_closed_before(struct store *st, int64_t cutoff_ms)
{
	struct {
		struct store *st;
		int n;
		int failed;
	} c = { st, 0, 0 };

	if (store_report_erasable(st, cutoff_ms, store_reports_erase_cb, &c) == -1 || c.failed)
		return -1;
	return c.n;
}

int
store_audit_add(struct store *st, int64_t report_id, int64_t at_ms, const char *actor,
    const char *channel, const char *action, const char *detail)
{
	sqlite3_stmt *stmt = st->stmt[STMT_AUDIT_INSERT];
	struct store_audit a;

	(void)store_reports_cut(a.actor, sizeof(a.actor), actor != NULL ? actor : "");
	(void)store_reports_cut(a.detail, sizeof(a.detail), detail != NULL ? detail : "");
	if (channel == NULL || util_strcopy(a.channel, sizeof(a.channel), channel) == -1 ||
	    action == NULL || util_strcopy(a.action, sizeof(a.action), action) == -1) {
		log_warnx("store: audit channel or action missing or too long");
		return -1;
	}
	if (sqlite3_bind_int64(stmt, 1, report_id) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, at_ms) != SQLITE_OK ||
	    store_bind_text(stmt, 3, a.actor) != SQLITE_OK ||
	    store_bind_text(stmt, 4, a.channel) != SQLITE_OK ||
	    store_bind_text(stmt, 5, a.action) != SQLITE_OK ||
	    store_bind_text(stmt, 6, a.detail) != SQLITE_OK) {
		store_logerr(st, "audit bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_step_done(st, STMT_AUDIT_INSERT, "audit insert");
}

int
store_audit_each(struct store *st, int64_t report_id,
    int (*fn)(const struct store_audit *a, void *arg), void *arg)
{
	sqlite3_stmt *stmt = st->stmt[STMT_AUDIT_EACH];
	struct store_audit a;
	int rc;

	if (sqlite3_bind_int64(stmt, 1, report_id) != SQLITE_OK) {
		store_logerr(st, "audit each bind");
		store_stmt_done(stmt);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&a, 0, sizeof(a));
		a.id = sqlite3_column_int64(stmt, 0);
		a.report_id = sqlite3_column_int64(stmt, 1);
		a.at_ms = sqlite3_column_int64(stmt, 2);
		store_reports_col(stmt, 3, a.actor, sizeof(a.actor));
		store_reports_col(stmt, 4, a.channel, sizeof(a.channel));
		store_reports_col(stmt, 5, a.action, sizeof(a.action));
		store_reports_col(stmt, 6, a.detail, sizeof(a.detail));
		if (fn(&a, arg) != 0)
			break;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_logerr(st, "audit each");
		store_stmt_done(stmt);
		return -1;
	}
	store_stmt_done(stmt);
	return 0;
}

int
store_pin_failures(struct store *st, const char *number, int *failures, int64_t *locked_until_ms)
{
	sqlite3_stmt *stmt = st->stmt[STMT_PIN_GET];
	int rc;

	*failures = 0;
	*locked_until_ms = 0;
	if (store_bind_text(stmt, 1, number) != SQLITE_OK) {
		store_logerr(st, "pin get bind");
		store_stmt_done(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*failures = sqlite3_column_int(stmt, 0);
		*locked_until_ms = sqlite3_column_int64(stmt, 1);
	} else if (rc != SQLITE_DONE) {
		store_logerr(st, "pin get");
		store_stmt_done(stmt);
		return -1;
	}
	store_stmt_done(stmt);
	return 0;
}

int
store_pin_record(struct store *st, const char *number, int failures, int64_t locked_until_ms)
{
	sqlite3_stmt *stmt = st->stmt[STMT_PIN_PUT];

	if (number == NULL || number[0] == '\0') {
		log_warnx("store: pin record without a number");
		return -1;
	}
	if (store_bind_text(stmt, 1, number) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 2, failures) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 3, locked_until_ms) != SQLITE_OK) {
		store_logerr(st, "pin put bind");
		store_stmt_done(stmt);
		return -1;
	}
	return store_step_done(st, STMT_PIN_PUT, "pin put");
}
