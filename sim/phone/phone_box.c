/* phone_box.c - the phone's screen: boxed, wrapped UTF-8 text for the SMS
 * messages and the USSD dialog. Columns are approximated: one per code
 * point, none for the combining marks of the scripts our users read. */
#include "phone_box.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "textcode.h"

/* True for combining marks of the scripts our users read (Thai, Lao,
 * Burmese, Khmer) and general diacritics: they take no column. */
static int
phone_box_zero_width(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) ||
	       (cp >= 0x0E47 && cp <= 0x0E4E) || cp == 0x0EB1 || (cp >= 0x0EB4 && cp <= 0x0EBC) ||
	       (cp >= 0x0EC8 && cp <= 0x0ECD) || (cp >= 0x102B && cp <= 0x103E) ||
	       (cp >= 0x17B4 && cp <= 0x17D3) || (cp >= 0x200B && cp <= 0x200D);
}

/* Display columns of len bytes of UTF-8 (an approximation: one per
 * non-combining code point). */
static size_t
phone_box_cols(const char *s, size_t len)
{
	uint32_t cps[PHONE_BOX_COLS * 4];
	int n = textcode_utf8_to_cps(s, len, cps, sizeof(cps) / sizeof(cps[0]));
	size_t cols = 0;
	for (int i = 0; i < n; i++)
		cols += !phone_box_zero_width(cps[i]);
	return n < 0 ? len : cols;
}

/* Bytes in the UTF-8 character at s (stops at a NUL). */
static size_t
phone_box_charlen(const char *s)
{
	size_t n = 1;
	while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
		n++;
	return n;
}

/* Prints one line of the box, padded to the box width. */
static void
phone_box_line(const char *s, size_t len)
{
	size_t cols = phone_box_cols(s, len);
	printf("│ %.*s%*s │\n", (int)len, s,
	    (int)(cols < PHONE_BOX_COLS ? PHONE_BOX_COLS - cols : 0), "");
}

/* Wraps text at PHONE_BOX_COLS code points, breaking at newlines. */
static void
phone_box_text(const char *text)
{
	const char *p = text;
	while (*p) {
		size_t cols = 0, i = 0, last_space = 0;
		while (p[i] && p[i] != '\n' && cols < PHONE_BOX_COLS) {
			if (p[i] == ' ')
				last_space = i;
			size_t k = phone_box_charlen(p + i);
			cols += phone_box_cols(p + i, k);
			i += k;
		}
		/* keep trailing combining marks with their base */
		while (p[i] && phone_box_cols(p + i, phone_box_charlen(p + i)) == 0)
			i += phone_box_charlen(p + i);
		if (p[i] && p[i] != '\n' && last_space > 0)
			i = last_space;
		phone_box_line(p, i);
		p += i;
		if (*p == '\n' || *p == ' ')
			p++;
	}
}

static void
phone_box_rule(const char *left, const char *right)
{
	printf("%s", left);
	for (int i = 0; i < PHONE_BOX_COLS + 2; i++)
		printf("─");
	printf("%s\n", right);
}

void
phone_box(const char *title, const char *text)
{
	printf("\n");
	phone_box_rule("┌", "┐");
	phone_box_line(title, strlen(title));
	phone_box_rule("├", "┤");
	phone_box_text(text);
	phone_box_rule("└", "┘");
}

void
phone_box_note(int tty, const char *fmt, ...)
{
	va_list ap;

	printf("%s  ", tty ? "\033[2m" : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("%s\n", tty ? "\033[0m" : "");
}
