/* thread.h - naming threads, so `top -H`, /proc and the log say who is
 * doing what ("core", "modem:NAME", "ussd"). */
#ifndef KAWAN_THREAD_H
#define KAWAN_THREAD_H

/* Names the calling thread (the kernel keeps 15 bytes) and its log lines.
 * The main thread keeps the process's name for the kernel (pkill, pidof). */
void thread_name_self(const char *name);

#endif
