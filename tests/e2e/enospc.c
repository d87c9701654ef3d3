/* enospc.c - a full disk for one process, for e2e/test_diskfull.c (issue
 * 11): an LD_PRELOAD library that makes write(), pwrite() and pwrite64()
 * on a file whose path contains $KAWAN_ENOSPC_MATCH fail with ENOSPC while
 * the file $KAWAN_ENOSPC_FLAG exists. The gateway under it is the real
 * binary: SQLite's own unix VFS sees the error and returns SQLITE_FULL,
 * as it would on a full partition. Built without sanitizers (-fPIC). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int
enospc_now(int fd)
{
	const char *flag = getenv("KAWAN_ENOSPC_FLAG");
	const char *match = getenv("KAWAN_ENOSPC_MATCH");
	char link[64], path[1024];
	ssize_t n;

	if (flag == NULL || match == NULL || *match == '\0' || access(flag, F_OK) != 0)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	return strstr(path, match) != NULL;
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (real == NULL)
		real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (enospc_now(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);

	if (real == NULL)
		real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
	if (enospc_now(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off64_t);

	if (real == NULL)
		real = (ssize_t(*)(int, const void *, size_t, off64_t))dlsym(RTLD_NEXT, "pwrite64");
	if (enospc_now(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, buf, n, off);
}
