/* channel.c - what the daemon does to all its channels at once. */
#include "channel/channel.h"

#include "core/log.h"

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
			chs[i]->ops->stop(chs[i]); /* all of them start stopping at once */
	for (size_t i = 0; i < n; i++) {
		if (chs[i] == NULL)
			continue;
		chs[i]->ops->destroy(chs[i]);
		chs[i] = NULL;
	}
}

size_t
channel_watch(struct channel **chs, size_t n, int64_t now_ms)
{
	size_t stuck = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t beat;

		if (chs[i] == NULL)
			continue;
		beat = atomic_load(&chs[i]->beat_ms);
		if (beat != 0 && now_ms - beat > CHANNEL_STUCK_MS) {
			stuck++;
			if (!chs[i]->stuck_logged)
				log_warnx(
				    "%s: one call into the modem has not returned for %lld s; "
				    "the other channels carry on; unplug or power-cycle it if it "
				    "does not recover",
				    chs[i]->name, (long long)((now_ms - beat) / 1000));
			chs[i]->stuck_logged = true;
		} else if (chs[i]->stuck_logged) {
			log_info("%s: moving again", chs[i]->name);
			chs[i]->stuck_logged = false;
		}
	}
	return stuck;
}
