/* thread.c - thread names for the kernel and for the log. */
#include "core/thread.h"

#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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
	/* The main thread's kernel name is the process's (ps, pkill, pidof):
	 * it keeps the program's name; only its log lines say which thread. */
	if (syscall(SYS_gettid) != getpid())
		(void)pthread_setname_np(pthread_self(), k);
	log_set_thread(name);
}
