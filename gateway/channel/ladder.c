/* ladder.c - the reset ladder's state machine (issue 10), pure:
 *
 *   reopen --reset_after fails--> reset (GSM_Reset)
 *   reset  --reset_after fails--> command (reset_command DEVICE; skipped
 *                                 when none is configured: straight to dead)
 *   command --reset_after fails--> dead (the operators told once)
 *   dead: reopens go on at the backoff's cap; any good open -> reopen */
#include "channel/ladder.h"

enum ladder_action
ladder_failed(struct ladder *l, int reset_after, bool have_command)
{
	if (reset_after < 1)
		reset_after = 1;
	if (l->rung == LADDER_DEAD)
		return LADDER_ACT_REOPEN;
	if (++l->fails < reset_after)
		return LADDER_ACT_REOPEN;
	l->fails = 0;
	switch (l->rung) {
	case LADDER_REOPEN:
		l->rung = LADDER_RESET;
		return LADDER_ACT_RESET;
	case LADDER_RESET:
		if (have_command) {
			l->rung = LADDER_COMMAND;
			return LADDER_ACT_COMMAND;
		}
		l->rung = LADDER_DEAD;
		return LADDER_ACT_DEAD;
	default:
		l->rung = LADDER_DEAD;
		return LADDER_ACT_DEAD;
	}
}

enum ladder_rung
ladder_opened(struct ladder *l)
{
	enum ladder_rung was = l->rung;

	l->rung = LADDER_REOPEN;
	l->fails = 0;
	return was;
}

const char *
ladder_rung_name(enum ladder_rung r)
{
	static const char *const names[] = { "reopen", "reset", "command", "dead" };

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}
