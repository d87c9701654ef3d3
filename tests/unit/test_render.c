/* test_render.c - the renderer: NFC, GSM-7/UCS-2 choice, segment counts
 * (edges of one segment and of parts), page limits of N segments, the cut
 * to N segments, pagination of Thai, Khmer, Lao, Burmese and Vietnamese
 * text (fits, never inside a cluster, loses nothing), the reference
 * splice, the Zawgyi transforms and the reader's script. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "render/render.h"

static const char *thai = "แรงงานข้ามชาติทุกคนมีสิทธิได้รับค่าจ้างที่เป็นธรรม และมีสิทธิเก็บหนังสือเดินทางของตนเองไว้ "
			  "นายจ้างไม่มีสิทธิยึดเอกสารประจำตัวของคุณ หากคุณถูกทำร้ายหรือถูกบังคับให้ทำงาน "
			  "โปรดติดต่อสายด่วนเพื่อขอความช่วยเหลือ";
static const char *khmer = "ពលករចំណាកស្រុកគ្រប់រូបមានសិទ្ធិទទួលបានប្រាក់ឈ្នួលដោយយុត្តិធម៌ "
			   "និងមានសិទ្ធិរក្សាលិខិតឆ្លងដែនរបស់ខ្លួន។ និយោជកមិនមានសិទ្ធិរឹបអូសឯកសាររបស់អ្នកទេ។ "
			   "ប្រសិនបើអ្នកត្រូវបានគេធ្វើបាប សូមទាក់ទងខ្សែទូរស័ព្ទជំនួយ។";
static const char *lao = "ແຮງງານເຄື່ອນຍ້າຍທຸກຄົນມີສິດໄດ້ຮັບຄ່າຈ້າງທີ່ຍຸດຕິທຳ ແລະ ມີສິດເກັບຮັກສາໜັງສືຜ່ານແດນຂອງຕົນເອງ. "
			 "ນາຍຈ້າງບໍ່ມີສິດຍຶດເອກະສານຂອງທ່ານ. ຖ້າທ່ານຖືກທຳຮ້າຍ ກະລຸນາຕິດຕໍ່ສາຍດ່ວນເພື່ອຂໍຄວາມຊ່ວຍເຫຼືອ.";
static const char *burmese = "ရွှေ့ပြောင်းအလုပ်သမားတိုင်းသည် တရားမျှတသော လုပ်ခလစာ ရပိုင်ခွင့်ရှိပြီး မိမိ၏ "
			     "နိုင်ငံကူးလက်မှတ်ကို ကိုယ်တိုင် ထိန်းသိမ်းပိုင်ခွင့် ရှိသည်။ အလုပ်ရှင်သည် သင်၏ "
			     "စာရွက်စာတမ်းများကို သိမ်းဆည်းပိုင်ခွင့် မရှိပါ။ အကူအညီလိုပါက အရေးပေါ်ဖုန်းနံပါတ်ကို ဆက်သွယ်ပါ။";
static const char *vietnamese =
    "Mọi người lao động di cư đều có quyền được trả lương công bằng và giữ hộ chiếu của mình. "
    "Người sử dụng lao động không có quyền giữ giấy tờ tùy thân của bạn. "
    "Nếu bạn bị ngược đãi, hãy gọi đường dây nóng để được giúp đỡ.";

static const struct render_limits sms = { 160, 70 };
static const struct render_limits ussd = { 182, 80 };

static UChar *
u16(const char *s, int32_t *n)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t cap = (int32_t)strlen(s) + 1;
	UChar *u = malloc((size_t)cap * sizeof(UChar));

	assert_non_null(u);
	u_strFromUTF8(u, cap, n, s, -1, &err);
	assert_true(U_SUCCESS(err));
	return u;
}

static bool
is_space(UChar c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Paginates body and checks: every page fits in its coding, every page
 * start and end is a cluster boundary of the NFC body, and the chunks
 * concatenated give the body back (whitespace at page joins aside). */
static size_t
check_pages(const char *body, const char *more, const char *last, const char *locale,
    const struct render_limits *lim)
{
	struct render_pages p;
	char *nfc = render_nfc(body);
	UErrorCode err = U_ZERO_ERROR;
	UBreakIterator *bi;
	UChar *orig;
	int32_t n, pos = 0;
	size_t npages;

	assert_non_null(nfc);
	orig = u16(nfc, &n);
	bi = ubrk_open(UBRK_CHARACTER, locale, orig, n, &err);
	assert_true(U_SUCCESS(err));
	assert_int_equal(render_paginate(body, more, last, locale, lim, &p), 0);
	assert_true(p.n >= 1);
	for (size_t i = 0; i < p.n; i++) {
		const char *foot = i + 1 == p.n ? last : more;
		size_t units;
		enum render_coding c = render_coding_of(p.v[i].text, &units);
		char *chunk;
		UChar *cu;
		int32_t cn;

		assert_int_equal(c, p.v[i].coding);
		assert_int_equal(units, p.v[i].units);
		assert_true(units <= (c == RENDER_GSM7 ? lim->gsm7 : lim->ucs2));
		assert_true(ends_with(p.v[i].text, foot));
		chunk = strndup(p.v[i].text, strlen(p.v[i].text) - strlen(foot));
		assert_non_null(chunk);
		cu = u16(chunk, &cn);
		assert_true(cn > 0);
		assert_false(is_space(cu[cn - 1]));
		while (pos < n && is_space(orig[pos]))
			pos++;
		assert_true(ubrk_isBoundary(bi, pos));
		assert_true(pos + cn <= n);
		assert_memory_equal(orig + pos, cu, (size_t)cn * sizeof(UChar));
		pos += cn;
		assert_true(ubrk_isBoundary(bi, pos));
		free(cu);
		free(chunk);
	}
	while (pos < n && is_space(orig[pos]))
		pos++;
	assert_int_equal(pos, n);
	npages = p.n;
	render_pages_free(&p);
	ubrk_close(bi);
	free(orig);
	free(nfc);
	return npages;
}

static void
test_paginate_scripts(void **state)
{
	static const struct {
		const char **text;
		const char *locale;
	} cases[] = {
		{ &thai, "th" },
		{ &khmer, "km" },
		{ &lao, "lo" },
		{ &burmese, "my" },
		{ &vietnamese, "vi" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *t = *cases[i].text;

		assert_true(
		    check_pages(t, "\n98 More", "\n0 Back 00 Home", cases[i].locale, &sms) >= 2);
		assert_true(check_pages(t, "\n98 More", "", cases[i].locale, &ussd) >= 2);
		/* A Thai footer under any body. */
		check_pages(t, "\n98 ถัดไป", "\n0 กลับ", cases[i].locale, &sms);
		/* Multipart info page limits. */
		check_pages(t, "\n98 More", "", cases[i].locale,
		    &(struct render_limits){ 459, 201 });
	}
}

static void
test_paginate_ascii_body_thai_footer(void **state)
{
	struct render_pages p;
	const char *body =
	    "Your employer may not keep your passport. Call the hotline if they do so. "
	    "You have the right to fair pay and to rest days every week.";

	(void)state;
	assert_int_equal(render_paginate(body, "\n98 ถัดไป", "\n0 กลับ", "th", &sms, &p), 0);
	for (size_t i = 0; i < p.n; i++) {
		assert_int_equal(p.v[i].coding, RENDER_UCS2);
		assert_true(p.v[i].units <= 70);
	}
	render_pages_free(&p);
	check_pages(body, "\n98 ถัดไป", "\n0 กลับ", "th", &sms);
}

static void
test_paginate_newlines_and_long_word(void **state)
{
	struct render_pages p;
	char word[501];

	(void)state;
	check_pages("1 Rights\n2 Contacts\n3 Report\n4 Language", "\n98", "\n0", "en", &sms);
	memset(word, 'x', 500);
	word[500] = '\0';
	assert_int_equal(render_paginate(word, "\n98 More", "", "en", &sms, &p), 0);
	assert_int_equal(p.n, 4);
	assert_int_equal(p.v[0].units, 160);
	render_pages_free(&p);
	check_pages(word, "\n98 More", "\n00 Home", "en", &sms);
	/* Thai with no break opportunity for a whole page: clusters. */
	check_pages("ช่วยด้วยช่วยด้วยช่วยด้วยช่วยด้วยช่วยด้วยช่วยด้วยช่วยด้วยช่วยด้วยช่วยด้วยช่วยด้วยช่วยด้วยช่วยด้วย",
	    "\n98", "", "en", &(struct render_limits){ 20, 10 });
}

static void
test_paginate_impossible(void **state)
{
	struct render_pages p;
	char foot[200];

	(void)state;
	memset(foot, 'f', sizeof(foot) - 1);
	foot[sizeof(foot) - 1] = '\0';
	assert_int_equal(render_paginate("hello world", foot, foot, "en", &sms, &p), -1);
	assert_int_equal(p.n, 0);
	/* The footer leaves no room for even one grapheme. */
	assert_int_equal(render_paginate("ช่วย", "1234567890", "1234567890", "th",
			     &(struct render_limits){ 11, 10 }, &p),
	    -1);
	/* An empty body is just the last footer. */
	assert_int_equal(render_paginate("  ", "\n98", "0 Back", "en", &sms, &p), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].text, "0 Back");
	render_pages_free(&p);
}

static void
test_nfc_vietnamese(void **state)
{
	/* "Việt" decomposed: e + U+0323 + U+0302. */
	const char *decomposed = "Vie\xcc\xa3\xcc\x82t Nam";
	char *n;

	(void)state;
	n = render_nfc(decomposed);
	assert_non_null(n);
	assert_string_equal(n, "Việt Nam");
	assert_true(strlen(n) < strlen(decomposed));
	free(n);
	n = render_nfc("bad \xff\xfe bytes");
	assert_non_null(n);
	assert_string_equal(n, "bad \xef\xbf\xbd\xef\xbf\xbd bytes");
	free(n);
}

static void
test_coding_choice(void **state)
{
	size_t units;

	(void)state;
	assert_int_equal(render_coding_of("Hello Kawan", &units), RENDER_GSM7);
	assert_int_equal(units, 11);
	assert_int_equal(render_coding_of("Price 5\xe2\x82\xac", &units), RENDER_GSM7); /* € */
	assert_int_equal(units, 9);
	assert_int_equal(render_coding_of("Hello ก", &units), RENDER_UCS2);
	assert_int_equal(units, 7);
	assert_int_equal(render_coding_of("SOS \xf0\x9f\x86\x98", &units), RENDER_UCS2);
	assert_int_equal(units, 6); /* surrogate pair counts 2 */
	assert_int_equal(render_coding_of("Tiếng Việt", &units), RENDER_UCS2);
	assert_int_equal(render_coding_of("Tieng Viet", &units), RENDER_GSM7);
}

static void
fill(char *buf, const char *unit, size_t count)
{
	size_t ul = strlen(unit);

	for (size_t i = 0; i < count; i++)
		memcpy(buf + i * ul, unit, ul);
	buf[count * ul] = '\0';
}

/* Appends s to the NUL-terminated buf (the tests size buf for it). */
static void
append(char *buf, const char *s)
{
	size_t at = strlen(buf);

	memcpy(buf + at, s, strlen(s) + 1);
}

static void
test_segments(void **state)
{
	static char buf[4096];

	(void)state;
	fill(buf, "a", 160);
	assert_int_equal(render_sms_segments(buf), 1);
	fill(buf, "a", 161);
	assert_int_equal(render_sms_segments(buf), 2);
	fill(buf, "a", 306);
	assert_int_equal(render_sms_segments(buf), 2);
	fill(buf, "a", 307);
	assert_int_equal(render_sms_segments(buf), 3);
	fill(buf, "\xe2\x82\xac", 80); /* 80 euro signs = 160 septets */
	assert_int_equal(render_sms_segments(buf), 1);
	fill(buf, "\xe2\x82\xac", 81);
	assert_int_equal(render_sms_segments(buf), 2);
	fill(buf, "ก", 70);
	assert_int_equal(render_sms_segments(buf), 1);
	fill(buf, "ก", 71);
	assert_int_equal(render_sms_segments(buf), 2);
	fill(buf, "ก", 134);
	assert_int_equal(render_sms_segments(buf), 2);
	fill(buf, "ก", 135);
	assert_int_equal(render_sms_segments(buf), 3);
	assert_int_equal(render_sms_segments(""), 1);
}

/* Segment counts at the edges of one segment and of concatenated parts:
 * an extension character (2 septets) or a surrogate pair (2 units) never
 * straddles two parts, so a text can need a part more than its units
 * divided by 153 or 67 say. */
static void
test_segments_edges(void **state)
{
	static char buf[4096];
	size_t units;

	(void)state;
	/* GSM-7, one segment: an extension character at the edge counts 2. */
	fill(buf, "a", 158);
	append(buf, "{"); /* 160 septets */
	assert_int_equal(render_sms_segments(buf), 1);
	fill(buf, "a", 159);
	append(buf, "\xe2\x82\xac"); /* euro: 161 septets */
	assert_int_equal(render_sms_segments(buf), 2);
	/* GSM-7 parts: "{" cannot start in part 1's last septet. 306 septets
	 * would be 2 parts of 153; here part 1 holds 152. */
	fill(buf, "a", 152);
	append(buf, "{");
	fill(buf + strlen(buf), "a", 151); /* 305 septets */
	assert_int_equal(render_sms_segments(buf), 2);
	fill(buf, "a", 152);
	append(buf, "{");
	fill(buf + strlen(buf), "a", 152); /* 306 septets */
	assert_int_equal(render_sms_segments(buf), 3);
	fill(buf, "a", 151);
	append(buf, "{");
	fill(buf + strlen(buf), "a", 153); /* "{" inside part 1: 306 septets, 2 parts */
	assert_int_equal(render_sms_segments(buf), 2);
	/* UCS-2, one segment: 70 / 71 units. */
	fill(buf, "\xe1\x9e\x80", 70); /* Khmer KA */
	assert_int_equal(render_sms_segments(buf), 1);
	fill(buf, "\xe1\x9e\x80", 71);
	assert_int_equal(render_sms_segments(buf), 2);
	/* One Thai character makes a GSM-7 text UCS-2. */
	fill(buf, "a", 100);
	assert_int_equal(render_sms_segments(buf), 1);
	append(buf, "ก");
	assert_int_equal(render_sms_segments(buf), 2);
	/* UCS-2 parts: a surrogate pair moves whole to the next part. */
	fill(buf, "ก", 66);
	append(buf, "\xf0\x9f\x98\x80");  /* U+1F600: 2 units */
	fill(buf + strlen(buf), "ก", 66); /* 134 units */
	assert_int_equal(render_coding_of(buf, &units), RENDER_UCS2);
	assert_int_equal(units, 134);
	assert_int_equal(render_sms_segments(buf), 3);
	fill(buf, "ก", 65);
	append(buf, "\xf0\x9f\x98\x80");
	fill(buf + strlen(buf), "ก", 67); /* the pair ends part 1: 134 units, 2 parts */
	assert_int_equal(render_sms_segments(buf), 2);
	/* Real Thai and Khmer text: BMP only, so units / 67 rounded up. */
	assert_int_equal(render_coding_of(thai, &units), RENDER_UCS2);
	assert_true(units > 134);
	assert_int_equal(render_sms_segments(thai), (int)((units + 66) / 67));
	assert_int_equal(render_coding_of(khmer, &units), RENDER_UCS2);
	assert_int_equal(render_sms_segments(khmer), (int)((units + 66) / 67));
}

/* A page within render_sms_limits(segs) takes at most segs segments,
 * wherever 2-unit characters fall. */
static void
test_sms_limits(void **state)
{
	static char buf[4096];
	struct render_limits one = render_sms_limits(1), three = render_sms_limits(3);

	(void)state;
	assert_int_equal(one.gsm7, 160);
	assert_int_equal(one.ucs2, 70);
	assert_int_equal(render_sms_limits(0).gsm7, 160);
	assert_int_equal(three.gsm7, 3 * 153 - 2);
	assert_int_equal(three.ucs2, 3 * 67 - 2);
	for (size_t lead = 0; lead < 160; lead++) {
		size_t sept = lead;

		/* lead septets of "a", then "{" and "a" alternating up to the limit. */
		fill(buf, "a", lead);
		for (size_t i = 0; sept + 2 <= three.gsm7; i++) {
			append(buf, i % 2 == 0 ? "{" : "a");
			sept += i % 2 == 0 ? 2 : 1;
		}
		assert_true(render_sms_segments(buf) <= 3);
	}
	for (size_t lead = 0; lead < 70; lead++) {
		size_t u = lead;

		fill(buf, "ก", lead);
		while (u + 2 <= three.ucs2) {
			append(buf, "\xf0\x9f\x98\x80");
			u += 2;
		}
		assert_true(render_sms_segments(buf) <= 3);
	}
}

/* Checks one cut: head + kept + tail fits segs, and the cut is a grapheme
 * cluster boundary of text. Returns the bytes kept. */
static size_t
check_fit(const char *head, const char *text, const char *tail, int segs)
{
	static char buf[8192];
	size_t n = render_sms_fit(head, text, tail, segs);
	UErrorCode err = U_ZERO_ERROR;
	UBreakIterator *bi;
	UChar *u, *pu;
	int32_t len, plen;
	char *prefix;

	assert_true(n <= strlen(text));
	snprintf(buf, sizeof(buf), "%s%.*s%s", head, (int)n, text, tail);
	if (n > 0)
		assert_true(render_sms_segments(buf) <= segs);
	prefix = strndup(text, n);
	assert_non_null(prefix);
	u = u16(text, &len);
	pu = u16(prefix, &plen);
	bi = ubrk_open(UBRK_CHARACTER, "", u, len, &err);
	assert_true(U_SUCCESS(err));
	assert_true(ubrk_isBoundary(bi, plen));
	ubrk_close(bi);
	free(u);
	free(pu);
	free(prefix);
	return n;
}

static void
test_sms_fit(void **state)
{
	static char buf[1024];
	const char *scripts[] = { thai, khmer, lao, burmese, vietnamese };
	size_t n, used;

	(void)state;
	/* All of it fits: all of it. */
	assert_int_equal(render_sms_fit("Msg: ", "short", " | end", 1), 5);
	/* Nothing fits beside a head that fills the segment. */
	fill(buf, "a", 160);
	assert_int_equal(render_sms_fit(buf, "more", NULL, 1), 0);
	/* At a word boundary: 148 + "hello w" + 5 septets fill the segment,
	 * the cut keeps "hello ". */
	fill(buf, "h", 148);
	n = render_sms_fit(buf, "hello world again", "(end)", 1);
	assert_int_equal(n, strlen("hello "));
	/* No word fits: at a character. */
	fill(buf, "h", 150);
	n = render_sms_fit(buf, "hello world again", "(end)", 1);
	assert_int_equal(n, strlen("hello"));
	/* The word boundary keeps less than half of what fits: at a character. */
	fill(buf, "h", 145);
	n = render_sms_fit(buf, "a bcdefghijklmnop", "(end)", 1);
	assert_int_equal(n, 10);
	/* Extension characters count 2 in head and tail too. */
	fill(buf, "h", 150);
	n = render_sms_fit(buf, "hello world again", "[end]", 1);
	assert_int_equal(n, strlen("hel"));
	/* One long word: cut at a character, to the septet. */
	fill(buf, "x", 300);
	assert_int_equal(render_sms_fit("Msg: ", buf, "...", 1), 160 - 5 - 3);
	assert_int_equal(render_sms_fit("Msg: ", buf, "...", 2), 2 * 153 - 5 - 3);
	/* Every script, 1 to 4 segments: within budget, never inside a cluster. */
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		for (int segs = 1; segs <= 4; segs++) {
			n = check_fit("KAWAN SOS K7Q2 | Msg: ", scripts[i], "... | Reply ACK K7Q2",
			    segs);
			assert_true(n > 0);
		}
	}
	/* A surrogate pair is never split. */
	fill(buf, "\xf0\x9f\x98\x80", 60);
	n = check_fit("", buf, "", 1);
	assert_int_equal(n, 35 * 4); /* 70 units */
	n = check_fit("a", buf, "", 1);
	assert_int_equal(n, 34 * 4); /* 69 units left: 34 pairs */
	/* Within units: GSM-7 stops before the first character outside it;
	 * an extension character counts 2. */
	assert_int_equal(render_fit_units("abc def ก ghi", RENDER_GSM7, SIZE_MAX, &used),
	    strlen("abc def "));
	assert_int_equal(used, 8);
	assert_int_equal(render_fit_units("abc def ก ghi", RENDER_UCS2, SIZE_MAX, &used),
	    strlen("abc def ก ghi"));
	assert_int_equal(used, 13);
	assert_int_equal(render_fit_units("{{{{", RENDER_GSM7, 5, &used), 2);
	assert_int_equal(used, 4);
	assert_int_equal(render_fit_units("", RENDER_GSM7, 5, &used), 0);
	assert_int_equal(used, 0);
}

static void
test_fill_ref(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(render_fill_ref(buf, sizeof(buf), "Report %s is open.", "K7Q2"), 0);
	assert_string_equal(buf, "Report K7Q2 is open.");
	/* Only the first "%s"; other '%' are text, never a format. */
	assert_int_equal(render_fill_ref(buf, sizeof(buf), "%d %s %s %n", "K7Q2"), 0);
	assert_string_equal(buf, "%d K7Q2 %s %n");
	/* No placeholder: copied as it is. */
	assert_int_equal(render_fill_ref(buf, sizeof(buf), "No reference here.", "K7Q2"), 0);
	assert_string_equal(buf, "No reference here.");
	/* Exactly fits, one byte short, and no room at all. */
	assert_int_equal(render_fill_ref(buf, 13, "Ref %s ok.", "K7Q2"), 0);
	assert_string_equal(buf, "Ref K7Q2 ok.");
	assert_int_equal(render_fill_ref(buf, 12, "Ref %s ok.", "K7Q2"), -1);
	assert_string_equal(buf, "");
	assert_int_equal(render_fill_ref(buf, 5, "1234567", "K"), -1);
	assert_string_equal(buf, "");
	assert_int_equal(render_fill_ref(buf, 0, "x", "K"), -1);
}

/* The reader's script and what goes to the phone. */
static void
test_reader_script(void **state)
{
	/* "school" in Zawgyi: E first, U+1039 as asat. */
	static const char zg_text[] = "\xe1\x80\xb1\xe1\x80\x80\xe1\x80\xba\xe1\x80\xac"
				      "\xe1\x80\x84\xe1\x80\xb9\xe1\x80\xb8";
	char *out = NULL, *zg = NULL, *nfc;

	(void)state;
	assert_int_equal(render_reader_script("my", true, NULL), RENDER_SCRIPT_ZAWGYI);
	assert_int_equal(render_reader_script("my", false, NULL), RENDER_SCRIPT_UNICODE);
	assert_int_equal(render_reader_script("my", false, burmese), RENDER_SCRIPT_UNICODE);
	assert_int_equal(render_reader_script("my", false, zg_text), RENDER_SCRIPT_ZAWGYI);
	assert_int_equal(render_reader_script("", false, zg_text), RENDER_SCRIPT_ZAWGYI);
	assert_int_equal(render_reader_script(NULL, false, zg_text), RENDER_SCRIPT_ZAWGYI);
	assert_int_equal(render_reader_script("", false, "HELP"), RENDER_SCRIPT_UNICODE);
	/* Another language is never served in Zawgyi. */
	assert_int_equal(render_reader_script("en", true, zg_text), RENDER_SCRIPT_UNICODE);
	assert_int_equal(render_reader_script("th", false, zg_text), RENDER_SCRIPT_UNICODE);
	assert_int_equal(render_reader_script("mya", true, NULL), RENDER_SCRIPT_UNICODE);
	/* Unicode reader: NFC (decomposed Vietnamese comes back composed). */
	assert_int_equal(render_for_phone("Vie\xcc\xa3\xcc\x82t", RENDER_SCRIPT_UNICODE, &out), 0);
	assert_string_equal(out, "Vi\xe1\xbb\x87t");
	free(out);
	/* Zawgyi reader: NFC then Zawgyi. */
	assert_int_equal(render_for_phone(burmese, RENDER_SCRIPT_ZAWGYI, &out), 0);
	nfc = render_nfc(burmese);
	assert_non_null(nfc);
	assert_int_equal(render_zawgyi(nfc, &zg), 0);
	assert_string_equal(out, zg);
	assert_true(render_looks_zawgyi(out));
	free(out);
	free(zg);
	/* ... and Burmese to a Unicode reader stays Unicode. */
	assert_int_equal(render_for_phone(burmese, RENDER_SCRIPT_UNICODE, &out), 0);
	assert_string_equal(out, nfc);
	assert_false(render_looks_zawgyi(out));
	free(out);
	free(nfc);
}

static void
test_zawgyi_roundtrip(void **state)
{
	char *zg = NULL, *back = NULL, *nfc;

	(void)state;
	assert_int_equal(render_zawgyi(burmese, &zg), 0);
	assert_string_not_equal(zg, burmese);
	assert_int_equal(render_from_zawgyi(zg, &back), 0);
	nfc = render_nfc(burmese);
	assert_string_equal(back, nfc);
	assert_true(render_looks_zawgyi(zg));
	assert_false(render_looks_zawgyi(burmese));
	free(nfc);
	free(zg);
	free(back);
}

static void
test_looks_zawgyi(void **state)
{
	(void)state;
	/* "school": Zawgyi E first and U+1039 as asat; Unicode logical order. */
	assert_true(render_looks_zawgyi("\xe1\x80\xb1\xe1\x80\x80\xe1\x80\xba\xe1\x80\xac"
					"\xe1\x80\x84\xe1\x80\xb9\xe1\x80\xb8"));
	assert_false(render_looks_zawgyi("ကျောင်း"));
	assert_false(render_looks_zawgyi("မင်္ဂလာပါ")); /* kinzi: U+1039 + consonant */
	assert_false(render_looks_zawgyi("Hello, ภาษาไทย"));
	assert_false(render_looks_zawgyi(""));
	/* Zawgyi stacked glyph U+1060 and E + medial RA order. */
	assert_true(render_looks_zawgyi("\xe1\x81\xa0"));
	assert_true(render_looks_zawgyi("\xe1\x80\x80\xe1\x80\xb1\xe1\x80\xbb"));
	/* E typed after a vowel sign, before its consonant: "ku nyi pay par" in
	 * Zawgyi (the case engine_zawgyi_e caught before it moved here) */
	assert_true(render_looks_zawgyi("ကူညီေပးပါ"));
	assert_false(render_looks_zawgyi("ကူညီပေးပါ"));
}

/* Zawgyi text is paginated by its own rules: never after a prefix vowel
 * (U+1031 comes before its consonant in Zawgyi), never before a mark, and
 * the pages join back to the text (no NFC reordering). Regression: ICU's
 * Unicode Burmese rules split Zawgyi syllables across pages. */
static void
test_paginate_zawgyi(void **state)
{
	static const char src[] = "အလုပ်ရှင်က သင့်ပတ်စ်ပို့ကို ယူထားရင် ဒါဟာ တရားမဝင်ပါ။ သံရုံးကို ဆက်သွယ်ပါ။ "
				  "အလုပ်ရှင်က သင့်ပတ်စ်ပို့ကို ယူထားရင် ဒါဟာ တရားမဝင်ပါ။ သံရုံးကို ဆက်သွယ်ပါ။";
	struct render_limits lim = { 160, 40 };
	struct render_pages p;
	char *zg = NULL;
	const char *at;
	size_t pos = 0;

	(void)state;
	assert_int_equal(render_zawgyi(src, &zg), 0);
	assert_int_equal(render_paginate(zg, "", "", RENDER_LOCALE_ZAWGYI, &lim, &p), 0);
	assert_true(p.n > 1);
	for (size_t i = 0; i < p.n; i++) {
		const char *t = p.v[i].text;
		size_t len = strlen(t);

		assert_true(p.v[i].units <= lim.ucs2);
		/* A page never ends in the prefix vowel E (U+1031: e1 80 b1). */
		assert_false(len >= 3 && memcmp(t + len - 3, "\xe1\x80\xb1", 3) == 0);
		/* Pages break at spaces: each one is the next run of whole words of zg. */
		at = strstr(zg + pos, t);
		assert_non_null(at);
		if (i > 0)
			assert_int_equal(at[-1], ' ');
		pos = (size_t)(at - zg) + len;
	}
	/* The first page's text is a prefix of the Zawgyi text, unreordered. */
	assert_int_equal(strncmp(zg, p.v[0].text, strlen(p.v[0].text)), 0);
	render_pages_free(&p);
	free(zg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paginate_scripts),
		cmocka_unit_test(test_paginate_ascii_body_thai_footer),
		cmocka_unit_test(test_paginate_newlines_and_long_word),
		cmocka_unit_test(test_paginate_impossible),
		cmocka_unit_test(test_nfc_vietnamese),
		cmocka_unit_test(test_coding_choice),
		cmocka_unit_test(test_segments),
		cmocka_unit_test(test_segments_edges),
		cmocka_unit_test(test_sms_limits),
		cmocka_unit_test(test_sms_fit),
		cmocka_unit_test(test_fill_ref),
		cmocka_unit_test(test_reader_script),
		cmocka_unit_test(test_zawgyi_roundtrip),
		cmocka_unit_test(test_looks_zawgyi),
		cmocka_unit_test(test_paginate_zawgyi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
