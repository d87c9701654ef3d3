/* sbuf.h - a growable byte buffer for replies, PDUs and socket output.
 * The buffer owns its memory; sbuf_free releases it. */
#ifndef SIM_SBUF_H
#define SIM_SBUF_H

#include <stddef.h>

struct sbuf {
	char *data; /* always NUL-terminated when cap > 0 */
	size_t len;
	size_t cap;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
/* Appends n bytes; returns 0 or -1 on allocation failure. */
int sbuf_add(struct sbuf *b, const void *p, size_t n);
int sbuf_adds(struct sbuf *b, const char *s);
int sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Drops the first n bytes (after they were written somewhere). */
void sbuf_consume(struct sbuf *b, size_t n);

#endif
