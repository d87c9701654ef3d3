/* test_roundtrip.c - 50 SMS from 50 numbers through the simulated modem and
 * the real libgammu AT driver: every one stored byte for byte exactly once,
 * answered exactly once in the right coding, and deleted from the SIM.
 * A second and third case check a Thai and a Burmese reply_text (UCS-2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "e2e.h"
#include "hverify.h"

#define N_GSM 40
#define N_THAI 8
#define N_TOTAL 50
#define TEXT_MAX 2048

static const char *const gsm_phrases[] = {
	"Saya perlu bantuan, majikan ambil pasport saya",
	"Gaji belum dibayar 3 bulan. Apa hak saya?",
	"Where can I report abuse? My agent took RM1500",
	"Tolong, saya di asrama Blok [C] bilik 4",
	"Harga permit 1,200€ ~ betul ke? {tanya}",
	"Kami 12 orang ^ tidak boleh keluar | bantu",
	"Path C:\\kerja\\gaji ~ €50 [tolak] {potong}",
	"Ibu saya sakit, boleh balik kampung? @agen",
	"£10 $20 ¥30 ¿qué? ¡sí! Ñoño Ü ä ö ü à è é ù ì ò Ç Ø ø Å å",
	"ΔΦΓΛΩΠΨΣΘΞ Æ æ ß É § ¤ % & ' ( ) * + , - . / : ; < = > ?",
};

static const char *const thai_texts[N_THAI] = {
	"สวัสดีครับ ผมต้องการความช่วยเหลือ",
	"นายจ้างยึดหนังสือเดินทางของฉัน",
	"ไม่ได้รับค่าจ้างสามเดือนแล้ว",
	"ช่วยด้วย ฉันถูกขังอยู่ในห้อง",
	"เบอร์โทรสถานทูตคืออะไรคะ",
	"ฉันป่วยและต้องการไปโรงพยาบาล",
	"นายหน้าเก็บเงินค่าธรรมเนียมสูงมาก",
	"ขอบคุณมากครับ 1694",
};

/* A Thai phrase repeated to exactly ncp code points (each 3 UTF-8 bytes). */
static void
thai_long(char *out, size_t outsz, size_t ncp)
{
	static const char phrase[] = "ขอความช่วยเหลือด่วน นายจ้างไม่จ่ายเงินเดือน ";
	size_t plen = strlen(phrase), o = 0, p = 0;

	for (size_t cp = 0; cp < ncp && o + 4 < outsz; cp++) {
		size_t len = ((unsigned char)phrase[p] < 0x80) ? 1 : 3;
		memcpy(out + o, phrase + p, len);
		o += len;
		p = (p + len) % plen;
	}
	out[o] = '\0';
}

/* A GSM-7 text of about n characters with extension characters in it. */
static void
gsm_long(char *out, size_t outsz, size_t n)
{
	size_t o = 0;

	for (int i = 0; o < n; i++) {
		int w = snprintf(out + o, outsz - o, "Bahagian %d: gaji [tertunggak] ~ €%d. ", i,
		    100 + i);
		if (w < 0 || (size_t)w >= outsz - o)
			break;
		o += (size_t)w;
	}
}

struct roundtrip {
	char from[N_TOTAL][24];
	char text[N_TOTAL][TEXT_MAX];
	struct hverify_msg msgs[N_TOTAL];
};

static void
roundtrip_build(struct roundtrip *r)
{
	size_t nphr = sizeof(gsm_phrases) / sizeof(gsm_phrases[0]);

	for (int i = 0; i < N_TOTAL; i++) {
		snprintf(r->from[i], sizeof(r->from[i]), "+601120%05d", 1000 + i);
		if (i < N_GSM)
			snprintf(r->text[i], TEXT_MAX, "%s (%d)", gsm_phrases[(size_t)i % nphr], i);
		else if (i < N_GSM + N_THAI)
			snprintf(r->text[i], TEXT_MAX, "%s", thai_texts[i - N_GSM]);
		else if (i == N_GSM + N_THAI)
			gsm_long(r->text[i], TEXT_MAX, 400);
		else
			thai_long(r->text[i], TEXT_MAX, 180);
		r->msgs[i].from = r->from[i];
		r->msgs[i].text = r->text[i];
	}
}

static int
setup(void **state)
{
	return e2e_setup(state, "roundtrip");
}

static void
test_roundtrip_50(void **state)
{
	struct harness *h = *state;
	static struct roundtrip r;
	int64_t t0;
	long parts = 0;
	int bad_in, bad_out, bad_rows;

	roundtrip_build(&r);
	e2e_start(h);
	t0 = hproc_mono_ms();
	for (int i = 0; i < N_TOTAL; i++) {
		int n = 0;
		E2E_OK(h, harness_inject_ex(h, r.msgs[i].from, r.msgs[i].text, NULL, -1, &n));
		parts += n;
		/* the two long ones really are three-part messages */
		if (i >= N_GSM + N_THAI)
			E2E_CHECK(h, n == 3);
		else
			E2E_CHECK(h, n == 1);
	}
	E2E_CHECK(h, parts == N_TOTAL + 4);
	/* ~0.7 s per reply in libgammu: 50 take ~40 s */
	E2E_OK(h, harness_wait_sent(h, N_TOTAL, 240000));
	e2e_wait_drained(h, 60000);
	printf("roundtrip: 50 SMS stored and answered in %lld ms\n",
	    (long long)(hproc_mono_ms() - t0));
	/* every check runs before any fails, so one run shows every problem */
	bad_in = hverify_inbound(h, r.msgs, N_TOTAL, 1);
	bad_out = hverify_replies(h, r.msgs, N_TOTAL, h->opts.reply_text, "gsm7");
	bad_rows = hverify_outbound(h, N_TOTAL);
	printf("roundtrip: %d inbound, %d reply and %d outbound-row problems\n", bad_in, bad_out,
	    bad_rows);
	E2E_CHECK(h, bad_in == 0);
	E2E_CHECK(h, bad_out == 0);
	E2E_CHECK(h, bad_rows == 0);
	E2E_CHECK(h, harness_gw_alive(h));
}

/* reply_text in a script GSM-7 cannot carry: the reply goes out UCS-2, exact. */
static void
roundtrip_script(struct harness *h, const char *reply)
{
	static const struct hverify_msg msgs[] = {
		{ "+60112099001", "Hello, I need help" },
		{ "+60112099002", "ช่วยด้วย" },
	};

	h->opts.reply_text = reply;
	e2e_start(h);
	for (size_t i = 0; i < 2; i++)
		E2E_OK(h, harness_inject(h, msgs[i].from, msgs[i].text));
	E2E_OK(h, harness_wait_sent(h, 2, 60000));
	e2e_wait_drained(h, 30000);
	E2E_CHECK(h, hverify_inbound(h, msgs, 2, 1) == 0);
	E2E_CHECK(h, hverify_replies(h, msgs, 2, reply, "ucs2") == 0);
}

static void
test_reply_thai(void **state)
{
	roundtrip_script(*state, "กาวัน: เราได้รับข้อความของคุณแล้ว");
}

static void
test_reply_burmese(void **state)
{
	roundtrip_script(*state, "ကဝမ်း- သင့်စာကို ရရှိပါပြီ။");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_50, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_reply_thai, setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_reply_burmese, setup, e2e_teardown),
	};

	e2e_main_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
