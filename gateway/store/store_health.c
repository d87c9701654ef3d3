/* store_health.c - each modem's health (issue 10 item 5, schema 14): the
 * modem_health row its thread writes every health_interval (signal,
 * registration, operator, parts sent, last error) and after each balance
 * read; the low-balance mark that keeps the operators' SMS to one per
 * low spell. Statements are prepared per call (once every few minutes). */
#include "store/store_health.h"

#include <string.h>

#include "core/charset.h"
#include "core/util.h"
#include "store/store_int.h"

/* Copies src into dst, cut at a character boundary when too long. */
static void
store_health_cut(char *dst, size_t dstsz, const char *src)
{
	size_t len = strlen(src), n = 0;

	while (n < len) {
		unsigned cp;
		size_t k = charset_utf8_next(src + n, len - n, &cp);

		if (k == 0 || n + k >= dstsz)
			break;
		n += k;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
store_health_put(struct store *st, const struct store_health *h)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "INSERT INTO modem_health (name, read_ms, signal_dbm, signal_pct, reg, operator,"
	    " network_code, parts_hour, parts_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	    " ON CONFLICT (name) DO UPDATE SET read_ms = ?2, signal_dbm = ?3, signal_pct = ?4,"
	    " reg = ?5, operator = ?6, network_code = ?7, parts_hour = ?8, parts_day = ?9",
	    "health put");

	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, h->name) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 2, h->read_ms) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 3, h->signal_dbm) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 4, h->signal_pct) != SQLITE_OK ||
	    store_bind_text(stmt, 5, h->reg) != SQLITE_OK ||
	    store_bind_text(stmt, 6, h->operator_name) != SQLITE_OK ||
	    store_bind_text(stmt, 7, h->network_code) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 8, h->parts_hour) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 9, h->parts_day) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	return store_once_done(st, stmt, "health put");
}

int
store_health_error(struct store *st, const char *name, const char *text, int64_t now_ms)
{
	char cut[STORE_HEALTH_TEXT_MAX];
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "INSERT INTO modem_health (name, last_error, last_error_ms) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (name) DO UPDATE SET last_error = ?2, last_error_ms = ?3",
	    "health error");

	if (stmt == NULL)
		return -1;
	store_health_cut(cut, sizeof(cut), text);
	if (store_bind_text(stmt, 1, name) != SQLITE_OK ||
	    store_bind_text(stmt, 2, cut) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 3, now_ms) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	return store_once_done(st, stmt, "health error");
}

int
store_health_balance(struct store *st, const char *name, bool have, int64_t cents, const char *text,
    int64_t now_ms)
{
	char cut[STORE_HEALTH_TEXT_MAX];
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "INSERT INTO modem_health (name, balance_cents, balance_text, balance_ms)"
	    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET balance_cents = ?2,"
	    " balance_text = ?3, balance_ms = ?4",
	    "health balance");
	int rc;

	if (stmt == NULL)
		return -1;
	store_health_cut(cut, sizeof(cut), text);
	rc = have ? sqlite3_bind_int64(stmt, 2, cents) : sqlite3_bind_null(stmt, 2);
	if (store_bind_text(stmt, 1, name) != SQLITE_OK || rc != SQLITE_OK ||
	    store_bind_text(stmt, 3, cut) != SQLITE_OK ||
	    sqlite3_bind_int64(stmt, 4, now_ms) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	return store_once_done(st, stmt, "health balance");
}

int
store_health_set_low(struct store *st, const char *name, bool alerted)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "INSERT INTO modem_health (name, low_alerted) VALUES (?1, ?2)"
	    " ON CONFLICT (name) DO UPDATE SET low_alerted = ?2",
	    "health low");

	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, name) != SQLITE_OK ||
	    sqlite3_bind_int(stmt, 2, alerted ? 1 : 0) != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return -1;
	}
	return store_once_done(st, stmt, "health low");
}

#define STORE_HEALTH_COLS                                                                          \
	"h.read_ms, h.signal_dbm, h.signal_pct, h.reg, h.operator, h.network_code,"                \
	" h.parts_hour, h.parts_day, h.last_error, h.last_error_ms, h.balance_cents,"              \
	" h.balance_text, h.balance_ms, h.low_alerted"

/* Reads the columns of STORE_HEALTH_COLS from col on into h. */
static void
store_health_row(sqlite3_stmt *stmt, int col, struct store_health *h)
{
	h->read_ms = sqlite3_column_int64(stmt, col);
	h->signal_dbm = sqlite3_column_type(stmt, col + 1) == SQLITE_NULL ?
			    -1 :
			    sqlite3_column_int(stmt, col + 1);
	h->signal_pct = sqlite3_column_type(stmt, col + 2) == SQLITE_NULL ?
			    -1 :
			    sqlite3_column_int(stmt, col + 2);
	(void)store_col_copy(stmt, col + 3, h->reg, sizeof(h->reg));
	(void)store_col_copy(stmt, col + 4, h->operator_name, sizeof(h->operator_name));
	(void)store_col_copy(stmt, col + 5, h->network_code, sizeof(h->network_code));
	h->parts_hour = sqlite3_column_int(stmt, col + 6);
	h->parts_day = sqlite3_column_int(stmt, col + 7);
	(void)store_col_copy(stmt, col + 8, h->last_error, sizeof(h->last_error));
	h->last_error_ms = sqlite3_column_int64(stmt, col + 9);
	h->have_balance = sqlite3_column_type(stmt, col + 10) != SQLITE_NULL;
	h->balance_cents = sqlite3_column_int64(stmt, col + 10);
	(void)store_col_copy(stmt, col + 11, h->balance_text, sizeof(h->balance_text));
	h->balance_ms = sqlite3_column_int64(stmt, col + 12);
	h->low_alerted = sqlite3_column_int(stmt, col + 13) != 0;
}

int
store_health_get(struct store *st, const char *name, struct store_health *out)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "SELECT " STORE_HEALTH_COLS " FROM modem_health h WHERE h.name = ?1", "health get");
	int rc;

	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	if (store_bind_text(stmt, 1, name) != SQLITE_OK ||
	    util_strcopy(out->name, sizeof(out->name), name) < 0) {
		sqlite3_finalize(stmt);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		store_health_row(stmt, 0, out);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_logerr(st, "health get");
		return -1;
	}
	return rc == SQLITE_ROW ? 0 : 1;
}

int
store_health_each(struct store *st, int (*fn)(const struct store_health *h, void *arg), void *arg)
{
	sqlite3_stmt *stmt = store_prepare_once(st,
	    "WITH names (name) AS (SELECT name FROM modem_sim UNION SELECT name FROM modem_health)"
	    " SELECT n.name, s.imsi, s.device, s.up, s.since_ms, " STORE_HEALTH_COLS
	    " FROM names n LEFT JOIN modem_sim s ON s.name = n.name"
	    " LEFT JOIN modem_health h ON h.name = n.name ORDER BY n.name",
	    "health each");
	struct store_health h;
	int rc;

	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&h, 0, sizeof(h));
		(void)store_col_copy(stmt, 0, h.name, sizeof(h.name));
		(void)store_col_copy(stmt, 1, h.imsi, sizeof(h.imsi));
		(void)store_col_copy(stmt, 2, h.device, sizeof(h.device));
		h.up = sqlite3_column_int(stmt, 3) != 0;
		h.since_ms = sqlite3_column_int64(stmt, 4);
		store_health_row(stmt, 5, &h);
		if (fn(&h, arg) != 0) {
			sqlite3_finalize(stmt);
			return -1;
		}
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_logerr(st, "health each");
		return -1;
	}
	return 0;
}
