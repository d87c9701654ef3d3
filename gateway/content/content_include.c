/* content_include.c - keeps libconfig's @include inside the content
 * folder. libconfig (1.5 here) opens whatever path an @include names, so a
 * content file could pull /etc/shadow or a file of another tree into the
 * menus, and its text into an SMS. Before a content file is parsed, every
 * line that starts an @include (in it and, in turn, in the files it
 * includes) is resolved against the folder, symlinks followed, and refused
 * with file:line when it lands outside; the parser then resolves includes
 * against the folder too (config_set_include_dir), never the working
 * directory. */
#include "content/content_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTENT_INCLUDE_DEPTH 8

/* The file name of an @include directive on line s, into name; 1 when the
 * line is one (libconfig: "@include" first on its line, then a quoted
 * name), 0 when not, -1 when it is but the name is unusable. */
static int
content_include_parse(const char *s, char *name, size_t namesz)
{
	const char *end;

	s += strspn(s, " \t");
	if (strncmp(s, "@include", 8) != 0)
		return 0;
	s += 8;
	s += strspn(s, " \t");
	if (*s != '"')
		return -1;
	s++;
	end = strchr(s, '"');
	if (end == NULL || end == s || (size_t)(end - s) >= namesz)
		return -1;
	memcpy(name, s, (size_t)(end - s));
	name[end - s] = '\0';
	return 1;
}

/* True when real (a resolved path) is root or below it. */
static bool
content_include_inside(const char *root, const char *real)
{
	size_t n = strlen(root);

	if (strncmp(root, real, n) != 0)
		return false;
	return real[n] == '\0' || real[n] == '/' || (n == 1 && root[0] == '/');
}

static int content_include_file(struct content_loader *ld, const char *root, const char *dir,
    const char *path, int depth);

/* One directive: name (from file:line) must resolve inside root. */
static int
content_include_one(struct content_loader *ld, const char *root, const char *dir, const char *file,
    int line, const char *name, int depth)
{
	char joined[PATH_MAX], real[PATH_MAX];

	/* libconfig joins include_dir and the name, even an absolute one */
	if (snprintf(joined, sizeof(joined), "%s/%s", dir, name) >= (int)sizeof(joined)) {
		content_error(ld, file, line, "@include \"%.80s\": path too long", name);
		return -1;
	}
	if (realpath(joined, real) == NULL) {
		content_error(ld, file, line, "@include \"%.80s\": %s", name, strerror(errno));
		return -1;
	}
	if (!content_include_inside(root, real)) {
		content_error(ld, file, line,
		    "@include \"%.80s\" is outside the content folder %.80s: refused", name, dir);
		return -1;
	}
	if (depth >= CONTENT_INCLUDE_DEPTH) {
		content_error(ld, file, line, "@include \"%.80s\": nested more than %d deep", name,
		    CONTENT_INCLUDE_DEPTH);
		return -1;
	}
	return content_include_file(ld, root, dir, real, depth + 1);
}

/* Checks every @include line of path. 0, or -1 (errors recorded). */
static int
content_include_file(struct content_loader *ld, const char *root, const char *dir, const char *path,
    int depth)
{
	FILE *fp = fopen(path, "r");
	char buf[1024], name[512];
	int line = 0, rc = 0, r;

	if (fp == NULL)
		return 0; /* the parser reports an unreadable file */
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		size_t len = strlen(buf);

		line++;
		r = content_include_parse(buf, name, sizeof(name));
		if (r < 0) {
			content_error(ld, path, line, "@include needs a quoted file name");
			rc = -1;
		} else if (r > 0 &&
			   content_include_one(ld, root, dir, path, line, name, depth) < 0) {
			rc = -1;
		}
		/* the rest of an over-long line is not a line start */
		while (len > 0 && buf[len - 1] != '\n' && fgets(buf, sizeof(buf), fp) != NULL)
			len = strlen(buf);
	}
	fclose(fp);
	return rc;
}

int
content_include_check(struct content_loader *ld, const char *dir, const char *path)
{
	char root[PATH_MAX];

	if (realpath(dir, root) == NULL) {
		content_error(ld, dir, 0, "cannot resolve the content folder: %s", strerror(errno));
		return -1;
	}
	return content_include_file(ld, root, dir, path, 0);
}

int
content_include_setup(struct content_loader *ld, config_t *cfg, const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n = slash != NULL ? (size_t)(slash - path) : 0;

	if (slash == NULL) {
		dir[0] = '.';
		dir[1] = '\0';
	} else if (n == 0) {
		dir[0] = '/';
		dir[1] = '\0';
	} else if (n < sizeof(dir)) {
		memcpy(dir, path, n);
		dir[n] = '\0';
	} else {
		content_error(ld, path, 0, "path too long");
		return -1;
	}
	if (content_include_check(ld, dir, path) < 0)
		return -1;
	config_set_include_dir(cfg, dir);
	return 0;
}
