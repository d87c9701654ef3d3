/* fuzz_pdu.c - the simulated modem's PDU codec (sim/modem/pdu*.c,
 * gsm7.c): the SMS-SUBMIT that libgammu hands the sim in AT+CMGS/CMGW,
 * decoded from hex, and the SMS-DELIVER the sim encodes back.
 *
 * Input: a mode byte, then the PDU. Mode bit 0: the rest is binary (the
 * target writes its hex), else it is the hex text itself (the hex parser
 * too). Bit 1: the AT command's length is given (what a well-formed
 * AT+CMGS says: octets after the SMSC part), else -1.
 *
 * Invariants: a decoded SUBMIT keeps every field in bounds (addresses
 * terminated, payload <= 160 units, a known coding and validity format,
 * concatenation seq <= total); its text is UTF-8 unless the coding is
 * 8-bit; GSM-7 septets pack and unpack to themselves; and the same
 * message re-encoded as a DELIVER (as the sim delivers it) is a PDU of at
 * most 176 octets in even-length upper-case hex. */
#include "gsm7.h"
#include "pdu.h"

#include "fuzz.h"

#define FUZZ_PDU_MAX 1024

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
check_submit(const struct pdu_submit *s)
{
	struct sbuf b;
	uint8_t packed[PDU_UD_MAX], back[PDU_UD_MAX];

	FUZZ_CHECK(memchr(s->smsc, '\0', sizeof(s->smsc)) != NULL);
	FUZZ_CHECK(memchr(s->dest, '\0', sizeof(s->dest)) != NULL);
	FUZZ_CHECK(s->payload_len <= PDU_UD_MAX);
	FUZZ_CHECK(s->coding == PDU_GSM7 || s->coding == PDU_8BIT || s->coding == PDU_UCS2);
	FUZZ_CHECK(s->vpf >= 0 && s->vpf <= 3);
	FUZZ_CHECK(s->msg_class == PDU_CLASS_NONE || (s->msg_class >= 0 && s->msg_class <= 3));
	if (s->has_concat)
		FUZZ_CHECK(s->seq <= s->total);
	sbuf_init(&b);
	FUZZ_CHECK(pdu_submit_text(s, &b) == 0);
	if (s->coding != PDU_8BIT)
		FUZZ_CHECK(fuzz_utf8_valid((const unsigned char *)b.data, b.len));
	sbuf_free(&b);
	if (s->coding == PDU_GSM7) {
		int n;

		for (size_t i = 0; i < s->payload_len; i++)
			FUZZ_CHECK(s->payload[i] < 0x80);
		for (int fill = 0; fill < 7; fill++) {
			n = gsm7_pack(s->payload, s->payload_len, fill, packed, sizeof(packed));
			FUZZ_CHECK(
			    n >= 0 && (size_t)n == (s->payload_len * 7 + (size_t)fill + 7) / 8);
			FUZZ_CHECK(gsm7_unpack(packed, (size_t)n, fill, s->payload_len, back) == 0);
			FUZZ_CHECK(memcmp(back, s->payload, s->payload_len) == 0);
		}
	}
}

/* The message as the sim delivers it to the gateway. */
static void
redeliver(const struct pdu_submit *s)
{
	struct pdu_deliver d;
	struct sbuf b;
	int n;

	memset(&d, 0, sizeof(d));
	d.smsc = "+60120000000";
	d.from = s->dest[0] != '\0' ? s->dest : "+60123456789";
	d.pid = s->pid;
	d.coding = s->coding;
	d.msg_class = s->msg_class;
	d.ts = (struct pdu_time){ 26, 12, 6, 13, 0, 0, 32 };
	d.has_concat = s->has_concat;
	d.ref = (uint8_t)s->ref;
	d.total = s->total;
	d.seq = s->seq;
	d.ud = s->payload;
	d.ud_len = s->payload_len;
	sbuf_init(&b);
	n = pdu_encode_deliver(&d, &b);
	if (n >= 0) {
		FUZZ_CHECK(b.len % 2 == 0 && b.len / 2 <= PDU_MAX_OCTETS);
		for (size_t i = 0; i < b.len; i++)
			FUZZ_CHECK(
			    hexval(b.data[i]) >= 0 && !(b.data[i] >= 'a' && b.data[i] <= 'f'));
		FUZZ_CHECK((size_t)n <= b.len / 2);
	}
	sbuf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char digits[] = "0123456789ABCDEF";
	struct pdu_submit s;
	char err[128], *hex;
	size_t hexlen;
	int tpdu_len = -1;

	if (size < 1 || size > FUZZ_PDU_MAX)
		return 0;
	fuzz_quiet();
	/* An exact-size heap copy: ASan sees a read one past the end. */
	if (data[0] & 1) {
		hexlen = 2 * (size - 1);
		hex = malloc(hexlen + 1);
		FUZZ_CHECK(hex != NULL);
		for (size_t i = 1; i < size; i++) {
			hex[2 * (i - 1)] = digits[data[i] >> 4];
			hex[2 * (i - 1) + 1] = digits[data[i] & 15];
		}
	} else {
		hexlen = size - 1;
		hex = malloc(hexlen + 1);
		FUZZ_CHECK(hex != NULL);
		memcpy(hex, data + 1, hexlen);
	}
	hex[hexlen] = '\0';
	if ((data[0] & 2) && hexlen >= 2 && hexval(hex[0]) >= 0 && hexval(hex[1]) >= 0)
		tpdu_len = (int)(hexlen / 2) - 1 - (hexval(hex[0]) * 16 + hexval(hex[1]));
	memset(&s, 0xa5, sizeof(s));
	memset(err, 0, sizeof(err));
	if (pdu_submit_decode(hex, hexlen, tpdu_len, &s, err, sizeof(err)) == 0) {
		check_submit(&s);
		redeliver(&s);
	} else {
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL && err[0] != '\0');
	}
	free(hex);
	return 0;
}
