/* e2e.h - what every end-to-end test file shares: cmocka setup/teardown
 * that give each test its own harness (temporary directory, processes
 * killed afterwards), and checks that print the logs before failing.
 * Include after <cmocka.h>. Only macros and static inline functions. */
#ifndef KAWAN_E2E_H
#define KAWAN_E2E_H

#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

/* Fails the test (after printing the gateway and sim logs) when cond is false. */
#define E2E_CHECK(h, cond)                                                                         \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			harness_fail((h), "check failed at %s:%d: %s", __FILE__, __LINE__, #cond); \
			fail();                                                                    \
		}                                                                                  \
	} while (0)

/* A harness call that returns 0 on success; it prints its own diagnostics. */
#define E2E_OK(h, call)                                                                            \
	do {                                                                                       \
		if ((call) != 0) {                                                                 \
			if (!(h)->failed)                                                          \
				harness_fail((h), "%s:%d: %s failed", __FILE__, __LINE__, #call);  \
			fail();                                                                    \
		}                                                                                  \
	} while (0)

/* Call first in main(): line-buffered stdout (output interleaves with the
 * logs printed on failure) and KAWAN_E2E_ONLY=<pattern> (cmocka's test
 * filter, '*' and '?' wildcards) to run some tests only. */
static inline void
e2e_main_init(void)
{
	const char *only = getenv("KAWAN_E2E_ONLY");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (only != NULL && *only != '\0')
		cmocka_set_test_filter(only);
}

static inline int
e2e_setup(void **state, const char *name)
{
	struct harness *h = calloc(1, sizeof(*h));

	if (h == NULL || harness_init(h, name) != 0) {
		free(h);
		return -1;
	}
	*state = h;
	return 0;
}

static inline int
e2e_teardown(void **state)
{
	struct harness *h = *state;

	if (h != NULL) {
		harness_fini(h);
		free(h);
	}
	*state = NULL;
	return 0;
}

/* Starts the sim and the gateway and waits until the gateway is connected. */
static inline void
e2e_start(struct harness *h)
{
	E2E_OK(h, harness_sim_start(h));
	E2E_OK(h, harness_gw_start(h));
	E2E_OK(h, harness_gw_wait_ready(h, 30000));
}

/* Waits until the gateway is quiet: every inbound row routed, no reply
 * queued, nothing left on the SIM or waiting in the sim's network queue. */
static inline void
e2e_wait_drained(struct harness *h, int timeout_ms)
{
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM inbound WHERE state <> 'done'", 0,
		      timeout_ms));
	E2E_OK(h, harness_wait_db(h, "SELECT COUNT(*) FROM outbound WHERE state = 'queued'", 0,
		      timeout_ms));
	E2E_OK(h, harness_wait_stat(h, "stored", 0, 0, timeout_ms));
	E2E_OK(h, harness_wait_stat(h, "waiting", 0, 0, timeout_ms));
}

#endif
