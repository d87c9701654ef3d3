/* hproc.h - child processes for the harness: spawn with output to files,
 * wait with deadlines, kill, and a registry that kills every child still
 * running when the test process exits or is interrupted. */
#ifndef KAWAN_HPROC_H
#define KAWAN_HPROC_H

#include <stdint.h>
#include <sys/types.h>

#include "hbuf.h"

#define HPROC_MAX 64

/* Starts argv[0] (a path; argv is borrowed) with stdin from /dev/null and
 * stdout/stderr appended to out_path/err_path (NULL: /dev/null; the same
 * path twice shares one file). The child dies with the test process
 * (PR_SET_PDEATHSIG) and is registered for hproc_killall().
 * Returns the pid, or -1. */
pid_t hproc_spawn(char *const argv[], const char *out_path, const char *err_path);
/* 1 while pid runs; 0 once it exited (*status, may be NULL, gets the wait
 * status and pid is reaped); -1 on error (not our child). */
int hproc_poll(pid_t pid, int *status);
/* Waits up to timeout_ms for pid to exit. 0 (reaped, *status set) or -1. */
int hproc_wait(pid_t pid, int timeout_ms, int *status);
/* Sends sig, then waits up to timeout_ms; on timeout sends SIGKILL and
 * reaps. Returns 0 when it exited within timeout_ms, 1 when it had to be
 * SIGKILLed, -1 on error. */
int hproc_stop(pid_t pid, int sig, int timeout_ms, int *status);
/* SIGKILLs and reaps every registered child. Safe to call more than once. */
void hproc_killall(void);

/* Runs argv to completion (at most timeout_ms, then SIGKILL), appending its
 * stdout and stderr to *out. Returns 0 and the wait status, or -1. */
int hproc_run(char *const argv[], const char *scratch_path, int timeout_ms, struct hbuf *out,
    int *status) __attribute__((warn_unused_result));

/* CPU time (utime + stime) of pid in milliseconds, from /proc/PID/stat. */
int hproc_cpu_ms(pid_t pid, int64_t *out) __attribute__((warn_unused_result));
/* A "Vm..." field of /proc/PID/status in kB (e.g. "VmHWM"). */
int hproc_status_kb(pid_t pid, const char *field, long *out) __attribute__((warn_unused_result));

/* Monotonic and wall-clock milliseconds; sleeping. */
int64_t hproc_mono_ms(void);
int64_t hproc_wall_ms(void);
/* Monotonic microseconds (latencies). */
int64_t hproc_mono_us(void);
void hproc_sleep_ms(int ms);

#endif
