/* hproc.c - child processes for the harness, and the cleanup that kills
 * them whatever way the test process ends (exit, assertion, signal). */
#include "hproc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The registry is a mutable global on purpose: the signal handler and the
 * atexit hook need it, and a test process has one set of children. */
static volatile pid_t hproc_children[HPROC_MAX];
static int hproc_hooked;

static void
hproc_register(pid_t pid)
{
	for (int i = 0; i < HPROC_MAX; i++) {
		if (hproc_children[i] == 0) {
			hproc_children[i] = pid;
			return;
		}
	}
	fprintf(stderr, "harness: more than %d children; %d not tracked\n", HPROC_MAX, (int)pid);
}

static void
hproc_forget(pid_t pid)
{
	for (int i = 0; i < HPROC_MAX; i++) {
		if (hproc_children[i] == pid)
			hproc_children[i] = 0;
	}
}

/* Async-signal-safe: kill() only. */
static void
hproc_on_signal(int sig)
{
	for (int i = 0; i < HPROC_MAX; i++) {
		if (hproc_children[i] > 0)
			kill(hproc_children[i], SIGKILL);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
hproc_hook(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGQUIT, SIGPIPE };
	struct sigaction sa;

	if (hproc_hooked)
		return;
	hproc_hooked = 1;
	atexit(hproc_killall);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = hproc_on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

void
hproc_killall(void)
{
	for (int i = 0; i < HPROC_MAX; i++) {
		pid_t pid = hproc_children[i];
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			hproc_children[i] = 0;
		}
	}
}

static int
hproc_open_out(const char *path)
{
	if (path == NULL)
		return open("/dev/null", O_WRONLY | O_CLOEXEC);
	return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* In the child: never returns. */
static void
hproc_child(char *const argv[], int in, int out, int err, pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	/* the test's handlers must not run in the child */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	execv(argv[0], argv);
	dprintf(2, "harness: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

pid_t
hproc_spawn(char *const argv[], const char *out_path, const char *err_path)
{
	int in = -1, out = -1, err = -1;
	pid_t parent = getpid();
	pid_t pid = -1;

	hproc_hook();
	in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	out = hproc_open_out(out_path);
	if (err_path != NULL && out_path != NULL && strcmp(err_path, out_path) == 0)
		err = dup(out);
	else
		err = hproc_open_out(err_path);
	if (in < 0 || out < 0 || err < 0) {
		fprintf(stderr, "harness: cannot open output files for %s: %s\n", argv[0],
		    strerror(errno));
		goto done;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		hproc_child(argv, in, out, err, parent);
	if (pid < 0)
		fprintf(stderr, "harness: fork: %s\n", strerror(errno));
	else
		hproc_register(pid);
done:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (err >= 0)
		close(err);
	return pid;
}

int
hproc_poll(pid_t pid, int *status)
{
	int st = 0;
	pid_t r;

	if (pid <= 0)
		return -1;
	do {
		r = waitpid(pid, &st, WNOHANG);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	if (r == 0)
		return 1;
	hproc_forget(pid);
	if (status != NULL)
		*status = st;
	return 0;
}

int
hproc_wait(pid_t pid, int timeout_ms, int *status)
{
	int64_t deadline = hproc_mono_ms() + timeout_ms;

	for (;;) {
		int r = hproc_poll(pid, status);
		if (r <= 0)
			return r;
		if (hproc_mono_ms() >= deadline)
			return -1;
		hproc_sleep_ms(10);
	}
}

int
hproc_stop(pid_t pid, int sig, int timeout_ms, int *status)
{
	if (pid <= 0 || kill(pid, sig) < 0)
		return -1;
	if (hproc_wait(pid, timeout_ms, status) == 0)
		return 0;
	kill(pid, SIGKILL);
	if (hproc_wait(pid, 10000, status) < 0)
		return -1;
	return 1;
}

int
hproc_run(char *const argv[], const char *scratch_path, int timeout_ms, struct hbuf *out,
    int *status)
{
	pid_t pid;

	if (unlink(scratch_path) < 0 && errno != ENOENT)
		return -1;
	pid = hproc_spawn(argv, scratch_path, scratch_path);
	if (pid < 0)
		return -1;
	if (hproc_wait(pid, timeout_ms, status) < 0) {
		hproc_stop(pid, SIGKILL, 1000, status);
		fprintf(stderr, "harness: %s did not finish in %d ms\n", argv[0], timeout_ms);
		return -1;
	}
	return hbuf_read_file(out, scratch_path);
}

int
hproc_cpu_ms(pid_t pid, int64_t *out)
{
	char path[64];
	struct hbuf b;
	const char *p;
	unsigned long long ut, st;
	long hz = sysconf(_SC_CLK_TCK);
	int rc = -1;

	hbuf_init(&b);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (hbuf_read_file(&b, path) < 0 || b.data == NULL)
		goto done;
	/* the command name may hold spaces: fields restart after the last ')' */
	p = strrchr(b.data, ')');
	if (p == NULL || hz <= 0)
		goto done;
	/* after ')': state(3) ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime(14) stime(15) */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		goto done;
	*out = (int64_t)((ut + st) * 1000ULL / (unsigned long long)hz);
	rc = 0;
done:
	hbuf_free(&b);
	return rc;
}

int
hproc_status_kb(pid_t pid, const char *field, long *out)
{
	char path[64];
	struct hbuf b;
	const char *p;
	size_t flen = strlen(field);
	int rc = -1;

	hbuf_init(&b);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (hbuf_read_file(&b, path) < 0 || b.data == NULL)
		goto done;
	for (p = b.data; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, field, flen) == 0 && p[flen] == ':') {
			char *end;
			long v = strtol(p + flen + 1, &end, 10);
			if (end != p + flen + 1) {
				*out = v;
				rc = 0;
			}
			break;
		}
	}
done:
	hbuf_free(&b);
	return rc;
}

int64_t
hproc_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
hproc_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
hproc_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
hproc_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
