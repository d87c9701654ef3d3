/* test_content_include.c - a content file may @include only files inside
 * its own folder: an include leaving it (by "..", an absolute path, a
 * symlink, or from an included file) is refused with file:line, and the
 * content does not load; an include inside the folder resolves against
 * the folder, not the working directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "content/content.h"
#include "core/log.h"

#include "content_fixture.h"

#define GOOD "tests/unit/data/content/good/"

struct tree {
	struct cfx_dir d;
	char inc[128]; /* menus/inc */
};

static const char *const good_menus[] = { "home.cfg", "keywords.cfg", "languages.cfg", "ui.cfg",
	"zcontacts.cfg" };

static int
setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	char from[256];

	assert_non_null(t);
	cfx_make(&t->d, "kawan-include");
	for (size_t i = 0; i < sizeof(good_menus) / sizeof(good_menus[0]); i++) {
		snprintf(from, sizeof(from), GOOD "menus/%s", good_menus[i]);
		cfx_copy(from, t->d.menus, good_menus[i]);
	}
	snprintf(t->inc, sizeof(t->inc), "%s/inc", t->d.menus);
	assert_int_equal(mkdir(t->inc, 0700), 0);
	/* a file outside the content folder that must never be read */
	cfx_write(t->d.dir, "secret.cfg", "leak = \"SECRET\";\n", NULL, NULL);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tree *t = *state;

	cfx_empty(t->inc);
	rmdir(t->inc);
	cfx_remove(&t->d);
	free(t);
	return 0;
}

/* Appends text to menus/name. */
static void
append(const struct tree *t, const char *name, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", t->d.menus, name);
	fp = fopen(path, "a");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* The line number the next appended line of menus/name will have. */
static int
next_line(const struct tree *t, const char *name)
{
	char path[256];
	FILE *fp;
	int c, n = 1;

	snprintf(path, sizeof(path), "%s/%s", t->d.menus, name);
	fp = fopen(path, "r");
	assert_non_null(fp);
	while ((c = fgetc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

/* Loads the tree expecting refusal with an error at file_suffix:line
 * whose message holds what. */
static void
expect_refused(const struct tree *t, const char *file_suffix, int line, const char *what)
{
	struct content_errors errs;
	struct content *c = NULL;
	char buf[4096];
	bool found = false;

	assert_int_equal(content_load(t->d.menus, t->d.trans, &c, &errs), -1);
	assert_null(c);
	for (size_t i = 0; i < errs.n; i++) {
		size_t fl = strlen(errs.e[i].file), sl = strlen(file_suffix);

		if (fl >= sl && strcmp(errs.e[i].file + fl - sl, file_suffix) == 0 &&
		    errs.e[i].line == line && strstr(errs.e[i].msg, what) != NULL)
			found = true;
	}
	if (!found) {
		content_errors_format(&errs, buf, sizeof(buf));
		fail_msg("no error %s:%d %s in:\n%s", file_suffix, line, what, buf);
	}
}

static void
test_inside_is_read_from_the_folder(void **state)
{
	struct tree *t = *state;
	struct content *c;

	cfx_write(t->inc, "part.inc", "# shared comment, nothing else\n", NULL, NULL);
	append(t, "home.cfg", "@include \"inc/part.inc\"\n");
	/* the working directory is the source tree: found only via the folder */
	c = cfx_load(&t->d);
	content_free(c);
}

static void
test_dotdot_refused(void **state)
{
	struct tree *t = *state;
	int line = next_line(t, "home.cfg");

	append(t, "home.cfg", "  @include \"../secret.cfg\"\n");
	expect_refused(t, "/menus/home.cfg", line, "outside the content folder");
}

static void
test_absolute_refused(void **state)
{
	struct tree *t = *state;
	char text[256];
	int line = next_line(t, "ui.cfg");

	snprintf(text, sizeof(text), "@include \"%s/secret.cfg\"\n", t->d.dir);
	append(t, "ui.cfg", text);
	expect_refused(t, "/menus/ui.cfg", line, "@include");
}

static void
test_symlink_out_refused(void **state)
{
	struct tree *t = *state;
	char target[256], link[256];
	int line = next_line(t, "home.cfg");

	snprintf(target, sizeof(target), "%s/secret.cfg", t->d.dir);
	snprintf(link, sizeof(link), "%s/link.inc", t->inc);
	assert_int_equal(symlink(target, link), 0);
	append(t, "home.cfg", "@include \"inc/link.inc\"\n");
	expect_refused(t, "/menus/home.cfg", line, "outside the content folder");
}

static void
test_nested_refused(void **state)
{
	struct tree *t = *state;

	/* allowed itself, but it includes a file outside */
	cfx_write(t->inc, "part.inc", "# line 1\n", "@include \"../secret.cfg\"\n", NULL);
	append(t, "home.cfg", "@include \"inc/part.inc\"\n");
	expect_refused(t, "/menus/inc/part.inc", 2, "outside the content folder");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inside_is_read_from_the_folder, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dotdot_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absolute_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_out_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_refused, setup, teardown),
	};

	log_init("test", LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
