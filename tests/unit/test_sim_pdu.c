/* test_sim_pdu.c - the simulator's PDU codec against known vectors and
 * against libgammu (used here only to produce and check vectors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gammu.h>

#include "gsm7.h"
#include "pdu.h"
#include "smstext.h"
#include "textcode.h"

/* ---- helpers ---- */

static void
utf8_to_gammu(const char *utf8, unsigned char *out, size_t outsz)
{
	uint32_t cps[1024];
	int n = textcode_utf8_to_cps(utf8, strlen(utf8), cps, 1024);
	assert_true(n >= 0);
	int k = textcode_cps_to_utf16be(cps, (size_t)n, out, outsz - 2);
	assert_true(k >= 0);
	out[k] = out[k + 1] = 0;
}

static size_t
gammu_ucs2_len(const unsigned char *u)
{
	size_t n = 0;
	while (u[n] || u[n + 1])
		n += 2;
	return n;
}

/* Packs libgammu's SMS-SUBMIT layout into an on-air PDU (with SMSC), the
 * way the AT driver does before AT+CMGS. Returns the hex and TPDU length. */
static int
gammu_submit_hex(GSM_SMSMessage *sms, struct sbuf *hex)
{
	unsigned char req[512], out[256];
	int length = 0;
	memset(req, 0, sizeof(req));
	assert_int_equal(GSM_EncodeSMSFrame(NULL, sms, req, PHONE_SMSSubmit, &length, TRUE),
	    ERR_NONE);
	size_t o = 0;
	unsigned smsc_len = req[PHONE_SMSSubmit.SMSCNumber];
	for (unsigned i = 0; i <= smsc_len; i++)
		out[o++] = req[PHONE_SMSSubmit.SMSCNumber + i];
	size_t tpdu_start = o;
	unsigned char fo = req[PHONE_SMSSubmit.firstbyte];
	out[o++] = fo;
	out[o++] = req[PHONE_SMSSubmit.TPMR];
	unsigned ndig = req[PHONE_SMSSubmit.Number];
	for (unsigned i = 0; i < (ndig + 1) / 2 + 2; i++)
		out[o++] = req[PHONE_SMSSubmit.Number + i];
	out[o++] = req[PHONE_SMSSubmit.TPPID];
	unsigned char dcs = req[PHONE_SMSSubmit.TPDCS];
	out[o++] = dcs;
	if ((fo & 0x18) == 0x10)
		out[o++] = req[PHONE_SMSSubmit.TPVP];
	unsigned udl = req[PHONE_SMSSubmit.TPUDL];
	out[o++] = (unsigned char)udl;
	size_t textlen = (size_t)length - PHONE_SMSSubmit.Text;
	for (size_t i = 0; i < textlen; i++)
		out[o++] = req[PHONE_SMSSubmit.Text + i];
	assert_int_equal(textcode_hex_append(hex, out, o, 1), 0);
	return (int)(o - tpdu_start);
}

/* Encodes text with libgammu into parts; returns the part count. */
static int
gammu_encode(const char *utf8, int unicode, int cls, GSM_MultiSMSMessage *multi)
{
	static unsigned char buf[4096];
	GSM_MultiPartSMSInfo info;
	GSM_ClearMultiPartSMSInfo(&info);
	utf8_to_gammu(utf8, buf, sizeof(buf));
	info.EntriesNum = 1;
	info.UnicodeCoding = unicode;
	info.Class = cls;
	info.Entries[0].ID = SMS_ConcatenatedTextLong;
	info.Entries[0].Buffer = buf;
	memset(multi, 0, sizeof(*multi));
	assert_int_equal(GSM_EncodeMultiPartSMS(NULL, &info, multi), ERR_NONE);
	for (int i = 0; i < multi->Number; i++) {
		GSM_SMSMessage *m = &multi->SMS[i];
		m->PDU = SMS_Submit;
		utf8_to_gammu("+60123456789", m->Number, sizeof(m->Number));
		m->SMSC.Location = 0;
		m->SMSC.Number[0] = m->SMSC.Number[1] = 0;
		m->SMSC.Validity.Format = SMS_Validity_RelativeFormat;
		m->SMSC.Validity.Relative = SMS_VALID_Max_Time;
	}
	return multi->Number;
}

static void
decode_ok(const char *hex, int tl, struct pdu_submit *s)
{
	char err[128];
	int rc = pdu_submit_decode(hex, strlen(hex), tl, s, err, sizeof(err));
	if (rc != 0)
		fail_msg("decode failed: %s (%s)", err, hex);
}

static void
decode_bad(const char *hex, int tl)
{
	struct pdu_submit s;
	char err[128];
	assert_int_equal(pdu_submit_decode(hex, strlen(hex), tl, &s, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
}

static void
assert_text(const struct pdu_submit *s, const char *utf8)
{
	struct sbuf b;
	sbuf_init(&b);
	assert_int_equal(pdu_submit_text(s, &b), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, utf8);
	sbuf_free(&b);
}

/* ---- SMS-DELIVER encoding ---- */

static void
test_deliver_hellohello_vector(void **state)
{
	(void)state;
	/* The classic example: SMSC +27381000015, sender 27838890001 (TOA C8). */
	const char *text = "hellohello";
	uint8_t sept[16];
	for (size_t i = 0; i < strlen(text); i++)
		assert_int_equal(gsm7_from_cp((uint8_t)text[i], &sept[i]), 1);
	struct pdu_deliver d = { .smsc = "+27381000015",
		.from = "27838890001",
		.from_toa = 0xC8,
		.coding = PDU_GSM7,
		.msg_class = PDU_CLASS_NONE,
		.ts = { 99, 3, 29, 15, 16, 59, 8 },
		.ud = sept,
		.ud_len = 10 };
	struct sbuf hex;
	sbuf_init(&hex);
	int tl = pdu_encode_deliver(&d, &hex);
	assert_string_equal(hex.data,
	    "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37");
	assert_int_equal(tl, (int)(hex.len / 2) - 8);
	sbuf_free(&hex);
}

/* Encodes a text with our splitter + encoder and checks every part with libgammu. */
static void
check_deliver_with_gammu(const char *utf8, int force, int cls, int want_parts,
    GSM_Coding_Type want_coding)
{
	struct smstext t;
	char err[64];
	assert_int_equal(smstext_split(utf8, strlen(utf8), force, &t, err, sizeof(err)), 0);
	assert_int_equal(t.nparts, want_parts);
	static GSM_MultiSMSMessage multi;
	memset(&multi, 0, sizeof(multi));
	for (int i = 0; i < t.nparts; i++) {
		struct pdu_deliver d = { .smsc = "+60120000015",
			.from = "+66812345678",
			.coding = t.coding,
			.msg_class = cls,
			.ts = { 26, 1, 2, 3, 4, 5, -20 },
			.has_concat = t.nparts > 1,
			.ref = 42,
			.total = (uint8_t)t.nparts,
			.seq = (uint8_t)(i + 1),
			.ud = t.parts[i].ud,
			.ud_len = t.parts[i].len };
		struct sbuf hex;
		uint8_t bin[PDU_MAX_OCTETS];
		sbuf_init(&hex);
		assert_true(pdu_encode_deliver(&d, &hex) > 0);
		int n = textcode_hex_decode(hex.data, hex.len, bin, sizeof(bin));
		assert_true(n > 0);
		GSM_SMSMessage *sms = &multi.SMS[i];
		size_t pos = 0;
		assert_int_equal(GSM_DecodePDUFrame(NULL, sms, bin, (size_t)n, &pos, TRUE),
		    ERR_NONE);
		assert_int_equal(pos, (size_t)n);
		assert_int_equal(sms->Coding, want_coding);
		assert_int_equal(sms->Class, cls);
		assert_int_equal(sms->DateTime.Timezone, -5 * 3600);
		if (t.nparts > 1) {
			assert_int_equal(sms->UDH.Type, UDH_ConcatenatedMessages);
			assert_int_equal(sms->UDH.PartNumber, i + 1);
			assert_int_equal(sms->UDH.AllParts, t.nparts);
		}
		sbuf_free(&hex);
	}
	/* the concatenated texts equal the input */
	unsigned char all[8192], want[8192];
	size_t o = 0;
	for (int i = 0; i < t.nparts; i++) {
		size_t l = gammu_ucs2_len(multi.SMS[i].Text);
		memcpy(all + o, multi.SMS[i].Text, l);
		o += l;
	}
	utf8_to_gammu(utf8, want, sizeof(want));
	assert_int_equal(o, gammu_ucs2_len(want));
	assert_memory_equal(all, want, o);
	smstext_free(&t);
}

static void
test_deliver_gsm7_extension(void **state)
{
	(void)state;
	check_deliver_with_gammu(
	    "Price 5€ [a] {b} |c| ^d ~e \\f @£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà",
	    SMSTEXT_AUTO, PDU_CLASS_NONE, 1, SMS_Coding_Default_No_Compression);
}

static void
test_deliver_ucs2_thai_class0(void **state)
{
	(void)state;
	check_deliver_with_gammu("สวัสดีครับ ยินดีต้อนรับ", SMSTEXT_AUTO, 0, 1,
	    SMS_Coding_Unicode_No_Compression);
}

static void
test_deliver_concat_gsm7_fill_bits(void **state)
{
	(void)state;
	char text[400];
	for (int i = 0; i < 399; i++)
		text[i] = (char)('a' + i % 26);
	text[399] = '\0';
	check_deliver_with_gammu(text, SMSTEXT_AUTO, 1, 3, SMS_Coding_Default_No_Compression);
}

static void
test_deliver_concat_ucs2_thai(void **state)
{
	(void)state;
	char text[2048] = "";
	for (int i = 0; i < 15; i++)
		strcat(text, "ภาษาไทย😀"); /* test code; bounded by the array */
	check_deliver_with_gammu(text, SMSTEXT_AUTO, PDU_CLASS_NONE, 3,
	    SMS_Coding_Unicode_No_Compression);
}

static void
test_split_never_breaks_escape_or_surrogate(void **state)
{
	(void)state;
	struct smstext t;
	char err[64], text[512];
	/* 152 'a' then '€' (ESC + 0x65): the escape must not straddle parts */
	memset(text, 'a', 152);
	memcpy(text + 152, "€€€€€€€€€€", 30);
	text[182] = '\0';
	assert_int_equal(smstext_split(text, strlen(text), SMSTEXT_AUTO, &t, err, sizeof(err)), 0);
	assert_int_equal(t.nparts, 2);
	assert_int_equal(t.parts[0].len, 152);
	smstext_free(&t);
	/* 66 Thai units then an emoji (surrogate pair) at units 67-68 */
	char thai[1024] = "";
	for (int i = 0; i < 66; i++)
		strcat(thai, "ก");
	strcat(thai, "😀ขขขขข");
	assert_int_equal(smstext_split(thai, strlen(thai), SMSTEXT_AUTO, &t, err, sizeof(err)), 0);
	assert_int_equal(t.coding, PDU_UCS2);
	assert_int_equal(t.nparts, 2);
	assert_int_equal(t.parts[0].len, 132);
	smstext_free(&t);
	/* forced GSM-7 with a Thai char is refused */
	assert_int_equal(smstext_split("ก", 3, PDU_GSM7, &t, err, sizeof(err)), -1);
}

/* ---- SMS-SUBMIT decoding ---- */

static void
test_submit_from_gammu_gsm7(void **state)
{
	(void)state;
	static GSM_MultiSMSMessage multi;
	assert_int_equal(gammu_encode("Hello [world] €5", 0, -1, &multi), 1);
	struct sbuf hex;
	struct pdu_submit s;
	sbuf_init(&hex);
	int tl = gammu_submit_hex(&multi.SMS[0], &hex);
	decode_ok(hex.data, tl, &s);
	assert_string_equal(s.dest, "+60123456789");
	assert_int_equal(s.coding, PDU_GSM7);
	assert_int_equal(s.msg_class, PDU_CLASS_NONE);
	assert_int_equal(s.vpf, 2);
	assert_false(s.has_concat);
	assert_text(&s, "Hello [world] €5");
	/* the same PDU also decodes without a known length (SMSC prefix assumed) */
	decode_ok(hex.data, -1, &s);
	/* and without the SMSC part when the length says so (libgammu sends an
	 * empty SMSC as 01 81) */
	uint8_t smsc_len[1];
	assert_int_equal(textcode_hex_decode(hex.data, 2, smsc_len, 1), 1);
	decode_ok(hex.data + 2 + 2 * smsc_len[0], tl, &s);
	assert_text(&s, "Hello [world] €5");
	sbuf_free(&hex);
}

static void
test_submit_from_gammu_ucs2_class0(void **state)
{
	(void)state;
	static GSM_MultiSMSMessage multi;
	assert_int_equal(gammu_encode("สวัสดี 😀", 1, 0, &multi), 1);
	struct sbuf hex;
	struct pdu_submit s;
	sbuf_init(&hex);
	int tl = gammu_submit_hex(&multi.SMS[0], &hex);
	decode_ok(hex.data, tl, &s);
	assert_int_equal(s.coding, PDU_UCS2);
	assert_int_equal(s.msg_class, 0);
	assert_text(&s, "สวัสดี 😀");
	sbuf_free(&hex);
}

static void
test_submit_from_gammu_three_parts(void **state)
{
	(void)state;
	static GSM_MultiSMSMessage multi;
	char text[401];
	for (int i = 0; i < 400; i++)
		text[i] = (char)('A' + i % 26);
	text[400] = '\0';
	assert_int_equal(gammu_encode(text, 0, -1, &multi), 3);
	struct sbuf all;
	sbuf_init(&all);
	unsigned ref = 0;
	for (int i = 0; i < 3; i++) {
		struct sbuf hex;
		struct pdu_submit s;
		sbuf_init(&hex);
		int tl = gammu_submit_hex(&multi.SMS[i], &hex);
		decode_ok(hex.data, tl, &s);
		assert_true(s.has_concat);
		assert_int_equal(s.total, 3);
		assert_int_equal(s.seq, i + 1);
		if (i == 0)
			ref = s.ref;
		assert_int_equal(s.ref, ref);
		assert_int_equal(pdu_submit_text(&s, &all), 0);
		sbuf_free(&hex);
	}
	assert_string_equal(all.data, text);
	sbuf_free(&all);
}

static void
test_submit_vp_absolute_16bit_concat(void **state)
{
	(void)state;
	/* FO 0x59: SUBMIT, VPF absolute, UDHI. DA +6012 (4 digits). DCS 0x08 UCS-2.
	 * VP 7 octets. UDL 10: UDH 05 08 04 1234 02 01 + "Hi" in UCS-2. */
	const char *hex = "00"
			  "59"
			  "07"
			  "04"
			  "91"
			  "0621"
			  "00"
			  "08"
			  "62107261400000"
			  "0B"
			  "0608041234020100480069";
	struct pdu_submit s;
	decode_ok(hex, -1, &s);
	assert_int_equal(s.vpf, 3);
	assert_string_equal(s.dest, "+6012");
	assert_true(s.has_concat);
	assert_int_equal(s.ref, 0x1234);
	assert_int_equal(s.total, 2);
	assert_int_equal(s.seq, 1);
	assert_text(&s, "Hi");
	/* no VP at all, 8-bit data, class 1 via DCS 0xF5 */
	decode_ok("00"
		  "01"
		  "00"
		  "04"
		  "81"
		  "2143"
		  "00"
		  "F5"
		  "03"
		  "414243",
	    -1, &s);
	assert_int_equal(s.vpf, 0);
	assert_int_equal(s.coding, PDU_8BIT);
	assert_int_equal(s.msg_class, 1);
	assert_string_equal(s.dest, "1234");
	assert_int_equal(s.payload_len, 3);
}

static void
test_submit_malformed(void **state)
{
	(void)state;
	decode_bad("", -1);
	decode_bad("0", -1);                                /* odd hex */
	decode_bad("00110004810ZZ", -1);                    /* bad digit */
	decode_bad("0011", -1);                             /* truncated */
	decode_bad("00110004812143", -1);                   /* truncated after DA */
	decode_bad("001100048121430000AA08E8329BFD46", -1); /* UDL larger than data */
	decode_bad("001100048121430000AA02E8329BFD46", -1); /* UDL smaller than data */
	decode_bad("00040004812143000005E8329BFD06", -1);   /* SMS-DELIVER MTI */
	decode_bad("0011001E812143000005E8329BFD06", -1);   /* DA length 30 */
	/* An empty alphanumeric destination (fuzz_pdu: it was copied from a NULL buffer). */
	decode_bad("005100005104", -1);
	decode_bad("FF1100048121430000AA05E8329BFD06", -1); /* SMSC length 255 */
	decode_bad("00510004812143000805"
		   "0900030101FF",
	    -1); /* UDH overruns */
	decode_bad("00510004812143000806"
		   "05000301030148",
	    -1);                                          /* seq 3 of 1 */
	decode_bad("001100048121430008AA03004800", -1);   /* odd UCS-2 length */
	decode_bad("00110004812143002C05E8329BFD06", -1); /* compressed DCS */
	/* CMGS length disagreeing with the PDU */
	decode_bad("001100048121430000AA05E8329BFD06", 7);
	/* the well-formed baseline of the cases above decodes */
	struct pdu_submit s;
	decode_ok("001100048121430000AA05E8329BFD06", 15, &s);
	assert_text(&s, "hello");
}

static void
test_hex_and_utf8_edges(void **state)
{
	(void)state;
	uint8_t b[4];
	uint32_t cps[8];
	assert_int_equal(textcode_hex_decode("0a0B", 4, b, sizeof(b)), 2);
	assert_int_equal(textcode_hex_decode("0a0", 3, b, sizeof(b)), -1);
	assert_int_equal(textcode_hex_decode("0a0b0c0d0e", 10, b, sizeof(b)), -1);
	assert_int_equal(textcode_utf8_to_cps("\xC0\x80", 2, cps, 8), -1);     /* overlong */
	assert_int_equal(textcode_utf8_to_cps("\xED\xA0\x80", 3, cps, 8), -1); /* surrogate */
	assert_int_equal(textcode_utf8_to_cps("\xF0\x9F\x98\x80", 4, cps, 8), 1);
	assert_int_equal(cps[0], 0x1F600);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deliver_hellohello_vector),
		cmocka_unit_test(test_deliver_gsm7_extension),
		cmocka_unit_test(test_deliver_ucs2_thai_class0),
		cmocka_unit_test(test_deliver_concat_gsm7_fill_bits),
		cmocka_unit_test(test_deliver_concat_ucs2_thai),
		cmocka_unit_test(test_split_never_breaks_escape_or_surrogate),
		cmocka_unit_test(test_submit_from_gammu_gsm7),
		cmocka_unit_test(test_submit_from_gammu_ucs2_class0),
		cmocka_unit_test(test_submit_from_gammu_three_parts),
		cmocka_unit_test(test_submit_vp_absolute_16bit_concat),
		cmocka_unit_test(test_submit_malformed),
		cmocka_unit_test(test_hex_and_utf8_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
