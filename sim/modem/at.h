/* at.h - AT command handlers of the simulated modem: general commands
 * (at_cmd.c), SMS commands (at_sms.c) and argument parsing (at_args.c). */
#ifndef SIM_AT_H
#define SIM_AT_H

#include "modem.h"

enum at_kind { AT_EXEC, AT_READ, AT_TEST, AT_SET };

#define AT_ARGS_MAX 8
#define AT_ARG_LEN 200

struct at_args {
	int n;
	char v[AT_ARGS_MAX][AT_ARG_LEN];
	int quoted[AT_ARGS_MAX];
};

/* Splits "1,\"SM\",,3" into fields (quotes removed). Returns 0 or -1. */
int at_args_parse(const char *s, struct at_args *a) __attribute__((warn_unused_result));
/* Field i as an integer in [min,max]; an absent field gives def. Returns 0 or -1. */
int at_args_int(const struct at_args *a, int i, long min, long max, long def, long *out)
    __attribute__((warn_unused_result));

/* Runs one command line (echo already sent). */
void at_cmd_run(struct modem *m, const char *line);
/* Emits the pending +CUSD answer. */
void at_cmd_ussd_answer(struct modem *m);

/* SMS commands: returns 1 when name was an SMS command (and answered). */
int at_sms_run(struct modem *m, const char *name, enum at_kind kind, const char *args);
/* Ends the AT+CMGS PDU state: submit (Ctrl-Z) or cancel (ESC). */
void at_sms_cmgs_end(struct modem *m, int submit);

#endif
