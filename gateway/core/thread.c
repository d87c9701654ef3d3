/* thread.c - thread names for the kernel and for the log. */
#include "core/thread.h"

#include <pthread.h>
#include <string.h>

#include "core/log.h"

void
thread_name_self(const char *name)
{
	char k[16];
	size_t n = strlen(name);

	if (n >= sizeof(k))
		n = sizeof(k) - 1;
	memcpy(k, name, n);
	k[n] = '\0';
	(void)pthread_setname_np(pthread_self(), k);
	log_set_thread(name);
}
