/* hbuf.h - a growable byte buffer and hex helpers for the test harness.
 * Every hbuf owns its data; hbuf_free releases it. */
#ifndef KAWAN_HBUF_H
#define KAWAN_HBUF_H

#include <stdarg.h>
#include <stddef.h>

struct hbuf {
	char *data; /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
};

void hbuf_init(struct hbuf *b);
void hbuf_free(struct hbuf *b);
void hbuf_reset(struct hbuf *b);
/* Appends n bytes (or a C string, or printf output). 0 or -1 (no memory). */
int hbuf_add(struct hbuf *b, const void *p, size_t n) __attribute__((warn_unused_result));
int hbuf_adds(struct hbuf *b, const char *s) __attribute__((warn_unused_result));
int hbuf_printf(struct hbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), warn_unused_result));
int hbuf_vprintf(struct hbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0), warn_unused_result));

/* Appends n bytes as lower-case hex. 0 or -1. */
int hbuf_hex(struct hbuf *b, const void *p, size_t n) __attribute__((warn_unused_result));
/* Decodes hex (even length) and appends the bytes. 0 or -1 on bad input. */
int hbuf_unhex(struct hbuf *b, const char *hex, size_t hexlen) __attribute__((warn_unused_result));

/* Reads a whole file into b (appending). 0 or -1. */
int hbuf_read_file(struct hbuf *b, const char *path) __attribute__((warn_unused_result));

#endif
