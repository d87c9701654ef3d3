/* phone_ussd.h - the phone's USSD dialog over the operator's HTTP dialect
 * (libcurl): dials a code, shows each page in a box, and sends each answer
 * with the growing history until END, a cancel or an error. */
#ifndef PHONE_USSD_H
#define PHONE_USSD_H

#include <stdio.h>

/* A USSD link. Every string is borrowed and must outlive the dialogs. */
struct phone_ussd {
	const char *url;     /* the gateway's USSD endpoint, http://127.0.0.1:8123/ussd */
	const char *secret;  /* sent as header X-Kawan-Secret; NULL or "" for none */
	const char *network; /* networkCode, "50212" */
	int tty;             /* colours only on a terminal */
};

/* libcurl's global set-up and tear-down: once per process, before any
 * thread. 0 or -1. */
int phone_ussd_init(void) __attribute__((warn_unused_result));
void phone_ussd_cleanup(void);

/* Runs one dialog as number from, dialling code, with a new random
 * sessionId; answers are read from in, a line each. Returns 0 when the
 * dialog ended (END, or cancelled by an empty answer or "/cancel"), 1 when
 * in reached its end (the dialog is cancelled), -1 on an error, already
 * shown on stdout: the HTTP status and body, an answer that is neither CON
 * nor END, or why the link could not be reached. */
int phone_ussd_dial(const struct phone_ussd *u, const char *from, const char *code, FILE *in)
    __attribute__((warn_unused_result));

#endif
