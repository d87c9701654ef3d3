/* hbuf.c - a growable byte buffer and hex helpers for the test harness. */
#include "core/util.h"
#include "hbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
hbuf_init(struct hbuf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
hbuf_free(struct hbuf *b)
{
	free(b->data);
	hbuf_init(b);
}

void
hbuf_reset(struct hbuf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int
hbuf_reserve(struct hbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap;
	char *p;

	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
hbuf_add(struct hbuf *b, const void *p, size_t n)
{
	if (hbuf_reserve(b, n) < 0)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
hbuf_adds(struct hbuf *b, const char *s)
{
	return hbuf_add(b, s, strlen(s));
}

int
hbuf_vprintf(struct hbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || hbuf_reserve(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
hbuf_printf(struct hbuf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = hbuf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int
hbuf_hex(struct hbuf *b, const void *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *s = p;

	if (hbuf_reserve(b, 2 * n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		b->data[b->len++] = digits[s[i] >> 4];
		b->data[b->len++] = digits[s[i] & 0xf];
	}
	b->data[b->len] = '\0';
	return 0;
}

int
hbuf_unhex(struct hbuf *b, const char *hex, size_t hexlen)
{
	if (hexlen % 2 != 0 || hbuf_reserve(b, hexlen / 2) < 0)
		return -1;
	for (size_t i = 0; i < hexlen; i += 2) {
		int hi = util_hex_digit(hex[i]);
		int lo = util_hex_digit(hex[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		b->data[b->len++] = (char)(hi << 4 | lo);
	}
	b->data[b->len] = '\0';
	return 0;
}

int
hbuf_read_file(struct hbuf *b, const char *path)
{
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");
	int rc = 0;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (hbuf_add(b, chunk, n) < 0) {
			rc = -1;
			break;
		}
	}
	if (ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}
