/* hgw.h - the gateway with configuration beyond harness_opts: content
 * (menus and translations), reports, officer rosters, an NGO desk. The
 * text in `extra` is appended to the configuration harness_config_text()
 * writes; otherwise the start is harness_gw_start()'s. And helpers to talk
 * to the gateway as one phone: messages SENT to one number, waits for the
 * next one. */
#ifndef KAWAN_HGW_H
#define KAWAN_HGW_H

#include <stddef.h>
#include <stdint.h>

#include "harness.h"

/* Writes h->cfg with the harness configuration followed by extra. 0 or -1. */
int hgw_write_config(struct harness *h, const char *extra) __attribute__((warn_unused_result));
/* Writes the configuration (as above) and starts the gateway on it. */
int hgw_start(struct harness *h, const char *extra) __attribute__((warn_unused_result));
/* Appends `s` as a libconfig string literal (quotes, \\ and \" escaped). */
int hgw_cfg_string(struct hbuf *b, const char *s) __attribute__((warn_unused_result));
/* Appends the content group: menus and translations (paths written as
 * libconfig strings), serve_fuzzy = true, then more (NULL: nothing) inside
 * the group. 0 or -1. */
int hgw_cfg_content(struct hbuf *b, const char *menus, const char *translations, const char *more)
    __attribute__((warn_unused_result));

/* How many complete messages SENT holds to dest; -1 on a control error.
 * hgw_count_to counts modem 1's SENT, _on modem `modem`'s, _all every
 * modem's together. */
long hgw_count_to(struct harness *h, const char *dest);
long hgw_count_to_on(struct harness *h, int modem, const char *dest);
long hgw_count_to_all(struct harness *h, const char *dest);
/* Waits until SENT holds at least k messages to dest and copies the k-th
 * (1-based) into *out (text owned: hgw_msg_free). 0 or -1 (harness failed). */
int hgw_wait_nth(struct harness *h, const char *dest, long k, int timeout_ms, struct hctl_sent *out)
    __attribute__((warn_unused_result));
int hgw_wait_nth_on(struct harness *h, int modem, const char *dest, long k, int timeout_ms,
    struct hctl_sent *out) __attribute__((warn_unused_result));
/* Injects text from `from` and waits for the next message to `from`
 * (the one after those already SENT to it). 0 or -1. */
int hgw_converse(struct harness *h, const char *from, const char *text, int timeout_ms,
    struct hctl_sent *out) __attribute__((warn_unused_result));
void hgw_msg_free(struct hctl_sent *m);

#endif
