/* test_mask.c - phone numbers in logs: the masking rules of core/mask.c,
 * the debug level's warning, and the pipeline's own log lines (inbound,
 * router, outbound) at info hold no whole number and no message text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config.h"
#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "inbound/inbound.h"
#include "outbound/outbound.h"
#include "router/router.h"
#include "store/store.h"

#include "fake_modem.h"

static void
test_mask_rules(void **state)
{
	char buf[MASK_NUMBER_MAX], small[4];

	(void)state;
	assert_string_equal(mask_number_always("+60123456789", buf, sizeof(buf)), "+***789");
	assert_string_equal(mask_number_always("60123456789", buf, sizeof(buf)), "***789");
	assert_string_equal(mask_number_always("+1234", buf, sizeof(buf)), "+***234");
	/* three characters or fewer: nothing shown at all */
	assert_string_equal(mask_number_always("123", buf, sizeof(buf)), "***");
	assert_string_equal(mask_number_always("+12", buf, sizeof(buf)), "+***");
	assert_string_equal(mask_number_always("", buf, sizeof(buf)), "(none)");
	assert_string_equal(mask_number_always(NULL, buf, sizeof(buf)), "(none)");
	/* an alphanumeric sender: its last characters, never half a character */
	assert_string_equal(mask_number_always("MAXIS", buf, sizeof(buf)), "***XIS");
	assert_string_equal(mask_number_always("abc\xc3\xa9x", buf, sizeof(buf)), "***\xc3\xa9x");
	/* too small a buffer: empty, never a cut number */
	assert_string_equal(mask_number_always("+60123456789", small, sizeof(small)), "");
	assert_string_equal(mask_number_always("+60123456789", buf, 0), "");
}

static void
test_mask_follows_level(void **state)
{
	char buf[MASK_NUMBER_MAX];

	(void)state;
	log_set_level(LOG_LEVEL_INFO);
	assert_false(log_debug_enabled());
	assert_string_equal(mask_number("+60123456789", buf, sizeof(buf)), "+***789");
	assert_string_equal(MASK_NUMBER("+60123456789"), "+***789");
	log_set_level(LOG_LEVEL_WARN);
	assert_string_equal(MASK_NUMBER("+60123456789"), "+***789");
	log_set_level(LOG_LEVEL_DEBUG);
	assert_true(log_debug_enabled());
	assert_string_equal(mask_number("+60123456789", buf, sizeof(buf)), "+60123456789");
	assert_string_equal(mask_number("", buf, sizeof(buf)), "(none)");
	log_set_level(LOG_LEVEL_ERROR);
}

static void
test_mask_if_number(void **state)
{
	(void)state;
	log_set_level(LOG_LEVEL_INFO);
	assert_string_equal(MASK_IF_NUMBER("+60123456789"), "+***789");
	assert_string_equal(MASK_IF_NUMBER("60123456789"), "***789");
	assert_string_equal(MASK_IF_NUMBER("Officer Aminah"), "Officer Aminah");
	assert_string_equal(MASK_IF_NUMBER("kawanctl:root"), "kawanctl:root");
	assert_string_equal(MASK_IF_NUMBER("911"), "911"); /* a short code, not a person */
	log_set_level(LOG_LEVEL_ERROR);
}

/* stderr into a file while the pipeline runs. */
struct capture {
	char path[64];
	int fd, saved;
};

static void
capture_start(struct capture *c)
{
	snprintf(c->path, sizeof(c->path), "/tmp/kawan-mask-XXXXXX");
	c->fd = mkstemp(c->path);
	assert_true(c->fd >= 0);
	fflush(stderr);
	c->saved = dup(2);
	assert_true(c->saved >= 0);
	assert_true(dup2(c->fd, 2) >= 0);
}

/* Restores stderr; returns what was written (caller frees). */
static char *
capture_end(struct capture *c)
{
	char *s = calloc(1, 65536);
	ssize_t n;

	fflush(stderr);
	assert_true(dup2(c->saved, 2) >= 0);
	close(c->saved);
	assert_non_null(s);
	assert_true(lseek(c->fd, 0, SEEK_SET) == 0);
	n = read(c->fd, s, 65535);
	assert_true(n >= 0);
	close(c->fd);
	unlink(c->path);
	return s;
}

/* One SMS in, routed, its reply refused once by the modem: every stage
 * logs the number at info. Returns the log (caller frees). */
static char *
pipeline_log(enum log_level level)
{
	char dir[64], db[128], path[160];
	struct store *st;
	struct kawan_config cfg;
	struct fake_modem fm;
	struct outbound ob;
	struct router_ctx rc;
	struct inbound_counts c;
	struct capture cap;
	int rcs[4];
	char *log;

	memset(&cfg, 0, sizeof(cfg));
	memset(&rc, 0, sizeof(rc));
	snprintf(dir, sizeof(dir), "/tmp/kawan-mask-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/k.db", dir);
	assert_int_equal(store_open(db, &st), 0);
	cfg.inbound.max_text_bytes = 16; /* the text is cut: a warning names the sender */
	cfg.inbound.partial_timeout_ms = 600000;
	cfg.outbound.max_attempts = 3;
	cfg.outbound.retry_min_ms = 1000;
	cfg.outbound.retry_max_ms = 3000;
	snprintf(cfg.router.reply_text, sizeof(cfg.router.reply_text), "Kawan: received.");
	fake_init(&fm);
	fm.m.cfg.send_mode = SEND_MODE_DIRECT;
	fm.send_refuse = 1;
	outbound_init(&ob, st, &fm.m);
	rc.cfg = &cfg;

	capture_start(&cap);
	log_set_level(level);
	/* no assertion while stderr is captured: cmocka's message would be lost */
	fake_put(&fm, 1, "+60123456789", "my boss took my passport SECRETWORD", "k1");
	rcs[0] = inbound_sweep(st, &fm.m, &cfg, &c);
	fake_put(&fm, 1, "+60123456789", "my boss took my passport SECRETWORD", "k1");
	rcs[1] = inbound_sweep(st, &fm.m, &cfg, &c); /* "already stored" */
	rcs[2] = router_dispatch(st, &rc);
	rcs[3] = (int)outbound_send_one(&ob, &cfg, util_now_ms() + 10);
	log_set_level(LOG_LEVEL_ERROR);
	log = capture_end(&cap);
	assert_int_equal(rcs[0], 0);
	assert_int_equal(rcs[1], 0);
	assert_int_equal(rcs[2], 1);
	assert_int_equal(rcs[3], OUTBOUND_RETRY);
	if (getenv("KAWAN_TEST_SHOW_LOG") != NULL)
		fputs(log, stdout);

	store_close(st);
	fake_free(&fm);
	snprintf(path, sizeof(path), "%s-wal", db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", db);
	unlink(path);
	unlink(db);
	rmdir(dir);
	return log;
}

static void
test_pipeline_info_masks(void **state)
{
	char *log = pipeline_log(LOG_LEVEL_INFO);

	(void)state;
	/* the stages did log the message's way, by masked number */
	assert_non_null(strstr(log, "inbound: stored #1 from +***789"));
	assert_non_null(strstr(log, "already stored"));
	assert_non_null(strstr(log, "router: #1 from +***789"));
	assert_non_null(strstr(log, "outbound: #1 to +***789"));
	assert_non_null(strstr(log, "cut to 16 bytes"));
	assert_null(strstr(log, "60123456789"));
	assert_null(strstr(log, "123456"));
	assert_null(strstr(log, "SECRETWORD"));
	assert_null(strstr(log, "passport"));
	assert_null(strstr(log, "personal data"));
	free(log);
}

static void
test_pipeline_debug_says_personal(void **state)
{
	char *log = pipeline_log(LOG_LEVEL_DEBUG);

	(void)state;
	assert_non_null(strstr(log, "log_level is debug"));
	assert_non_null(strstr(log, "personal data"));
	assert_non_null(strstr(log, "from +60123456789"));
	free(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_rules),
		cmocka_unit_test(test_mask_follows_level),
		cmocka_unit_test(test_mask_if_number),
		cmocka_unit_test(test_pipeline_info_masks),
		cmocka_unit_test(test_pipeline_debug_says_personal),
	};

	log_init("test", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
