/* channel.c - what the daemon does to all its channels at once. */
#include "channel/channel.h"

void
channel_wake_all(struct channel **chs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (chs[i] != NULL)
			chs[i]->ops->wake(chs[i]);
}

void
channel_stop_all(struct channel **chs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (chs[i] != NULL)
			chs[i]->ops->stop(chs[i]);   /* all of them start stopping at once */
	for (size_t i = 0; i < n; i++) {
		if (chs[i] == NULL)
			continue;
		chs[i]->ops->destroy(chs[i]);
		chs[i] = NULL;
	}
}
