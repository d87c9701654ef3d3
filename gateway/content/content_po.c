/* content_po.c - translations/<code>.po through libgettextpo: every entry
 * checked against the English content (stale entries, digits, %-markers),
 * stored NFC, and indexed in one open-addressing hash for content_tr. */
#include "content/content.h"

#include <gettext-po.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/content_int.h"
#include "core/log.h"
#include "core/util.h"

#define PO_MAX_FILES 64
#define PO_MAX_ENTRIES 65536
#define PO_MARKERS_MAX 16

/* libgettextpo's error callback has no user pointer and must not return on
 * a fatal error, so the reader in progress is reached through this
 * thread-local and left with longjmp. Content loads run on one thread. */
struct po_reader {
	struct content_loader *ld;
	jmp_buf jb;
	size_t errors;
};
static _Thread_local struct po_reader *po_current;

static void
po_xerror(int severity, po_message_t message, const char *filename, size_t lineno, size_t column,
    int multiline_p, const char *text)
{
	struct po_reader *rd = po_current;
	char msg[200];
	size_t n;

	(void)message;
	(void)column;
	(void)multiline_p;
	if (rd == NULL)
		return;
	if (severity != PO_SEVERITY_WARNING) {
		if (util_strcopy(msg, sizeof(msg), text) == -1)
			log_debug("content: PO message truncated");
		n = strlen(msg);
		while (n > 0 && msg[n - 1] == '\n')
			msg[--n] = '\0';
		if (severity == PO_SEVERITY_ERROR || rd->errors == 0)
			content_error(rd->ld, filename != NULL ? filename : "?",
			    filename != NULL && lineno != (size_t)-1 ? (int)lineno : 0, "%s", msg);
		rd->errors++;
	}
	if (severity == PO_SEVERITY_FATAL_ERROR)
		longjmp(rd->jb, 1);
}

static void
po_xerror2(int severity, po_message_t m1, const char *f1, size_t l1, size_t c1, int ml1,
    const char *t1, po_message_t m2, const char *f2, size_t l2, size_t c2, int ml2, const char *t2)
{
	(void)m2;
	(void)f2;
	(void)l2;
	(void)c2;
	(void)ml2;
	(void)t2;
	po_xerror(severity == PO_SEVERITY_FATAL_ERROR ? PO_SEVERITY_ERROR : severity, m1, f1, l1,
	    c1, ml1, t1);
	if (severity == PO_SEVERITY_FATAL_ERROR && po_current != NULL)
		longjmp(po_current->jb, 1);
}

static const struct po_xerror_handler po_handler = { po_xerror, po_xerror2 };

/* Parses path; NULL (errors recorded) when it does not parse. A longjmp
 * out of libgettextpo leaks its partial parse: only for broken files. */
static po_file_t
po_read(struct content_loader *ld, const char *path)
{
	struct po_reader rd;
	po_file_t f;

	rd.ld = ld;
	rd.errors = 0;
	po_current = &rd;
	if (setjmp(rd.jb) != 0) {
		po_current = NULL;
		return NULL;
	}
	f = po_file_read(path, &po_handler);
	po_current = NULL;
	if (f != NULL && rd.errors > 0) {
		po_file_free(f);
		return NULL;
	}
	if (f == NULL && rd.errors == 0)
		content_error(ld, path, 0, "cannot read the catalog");
	return f;
}

/* The line where each non-obsolete entry starts (its msgctxt or msgid), in
 * file order; also rejects a file that is not UTF-8. libgettextpo does not
 * say where an entry is. *lines is malloc'd. 0, or -1 after an error. */
static int
po_scan(struct content_loader *ld, const char *path, int **lines, size_t *n)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, nlines = 0, caplines = 0;
	ssize_t len;
	int lineno = 0, pending = 0, rc = 0;

	*lines = NULL;
	*n = 0;
	if (fp == NULL) {
		content_error(ld, path, 0, "cannot open the catalog");
		return -1;
	}
	while ((len = getline(&buf, &cap, fp)) != -1) {
		lineno++;
		if (!util_utf8_valid(buf, (size_t)len)) {
			content_error(ld, path, lineno,
			    "not valid UTF-8 (save the catalog as UTF-8)");
			rc = -1;
			break;
		}
		if (strncmp(buf, "msgctxt", 7) == 0 && pending == 0)
			pending = lineno;
		if (strncmp(buf, "msgid ", 6) == 0 || strncmp(buf, "msgid\t", 6) == 0) {
			if (content_grow((void **)lines, &caplines, nlines, sizeof(**lines)) ==
			    -1) {
				content_error(ld, path, lineno, "out of memory");
				rc = -1;
				break;
			}
			(*lines)[nlines++] = pending != 0 ? pending : lineno;
			pending = 0;
		}
	}
	free(buf);
	fclose(fp);
	*n = nlines;
	if (rc == -1) {
		free(*lines);
		*lines = NULL;
	}
	return rc;
}

/* The %-markers of s in order ("%s", "%d", "%%"...), as one string. */
static void
po_markers(const char *s, char *out, size_t outsz)
{
	size_t o = 0;

	out[0] = '\0';
	for (const char *p = s; *p != '\0'; p++) {
		const char *q = p + 1;

		if (*p != '%')
			continue;
		while (*q != '\0' && strchr("-+ #0123456789.lhz", *q) != NULL)
			q++;
		if (*q == '\0' || strchr("diouxXeEfgGcsp%", *q) == NULL)
			continue;
		for (const char *r = p; r <= q && o + 2 < outsz; r++)
			out[o++] = *r;
		if (o + 1 < outsz)
			out[o++] = ' ';
		out[o] = '\0';
		p = q;
	}
}

static void
po_digits(const char *s, char *out, size_t outsz)
{
	size_t o = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	while (*s >= '0' && *s <= '9' && o + 1 < outsz)
		out[o++] = *s++;
	out[o] = '\0';
}

static uint32_t
po_hash(const char *lang, const char *ctxt, const char *msgid)
{
	uint32_t h = 2166136261u;
	const char *parts[3] = { lang, ctxt, msgid };

	for (int i = 0; i < 3; i++) {
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p != '\0'; p++)
			h = (h ^ *p) * 16777619u;
		h = (h ^ 0xff) * 16777619u;
	}
	return h;
}

const struct content_tr_entry *
content_po_find(const struct content *c, const char *lang, const char *ctxt, const char *msgid)
{
	uint32_t h;

	if (c->tr_index == NULL)
		return NULL;
	h = po_hash(lang, ctxt, msgid);
	for (size_t i = h & c->tr_mask;; i = (i + 1) & c->tr_mask) {
		uint32_t at = c->tr_index[i];
		const struct content_tr_entry *e;

		if (at == 0)
			return NULL;
		e = &c->tr[at - 1];
		if (e->hash == h && strcmp(e->msgid, msgid) == 0 && strcmp(e->ctxt, ctxt) == 0 &&
		    strcmp(e->lang, lang) == 0)
			return e;
	}
}

/* Adds c->tr[c->ntr - 1] to the index; -1 if an equal key is there. */
static int
po_index_add(struct content *c, size_t at)
{
	const struct content_tr_entry *e = &c->tr[at];

	for (size_t i = e->hash & c->tr_mask;; i = (i + 1) & c->tr_mask) {
		const struct content_tr_entry *o;

		if (c->tr_index[i] == 0) {
			c->tr_index[i] = (uint32_t)at + 1;
			return 0;
		}
		o = &c->tr[c->tr_index[i] - 1];
		if (o->hash == e->hash && strcmp(o->msgid, e->msgid) == 0 &&
		    strcmp(o->ctxt, e->ctxt) == 0 && strcmp(o->lang, e->lang) == 0)
			return -1;
	}
}

/* Checks one entry against the English; stores it. */
static void
po_entry(struct content_loader *ld, const char *file, int line, const char *lang, po_message_t m)
{
	struct content *c = ld->c;
	const char *ctxt = po_message_msgctxt(m), *msgid, *msgstr;
	const struct content_node *node;
	struct content_tr_entry *e;
	char a[64], b[64];

	if (po_message_msgid_plural(m) != NULL) {
		content_error(ld, file, line, "plural entries are not used in Kawan catalogs");
		return;
	}
	if (ctxt == NULL) {
		content_error(ld, file, line,
		    "entry has no msgctxt (the node id, ui.<key>, country.<CODE> or contact.<id>)");
		return;
	}
	msgid = content_nfc(c, po_message_msgid(m));
	msgstr = content_nfc(c, po_message_msgstr(m));
	ctxt = content_strndup(c, ctxt, strlen(ctxt));
	if (msgid == NULL || msgstr == NULL || ctxt == NULL) {
		content_error(ld, file, line, "out of memory");
		return;
	}
	if (strncmp(ctxt, "ui.", 3) == 0) {
		const struct content_ui_string *u = content_find_ui(c, ctxt + 3);

		if (u == NULL) {
			content_error(ld, file, line, "msgctxt '%s': no ui key '%s' in ui.cfg",
			    ctxt, ctxt + 3);
			return;
		}
		if (strcmp(u->value, msgid) != 0) {
			content_error(ld, file, line,
			    "stale: msgid is not the English of ui.%s (now \"%.60s\" at %s:%d)",
			    u->key, u->value, u->file, u->line);
			return;
		}
	} else if (strncmp(ctxt, "country.", 8) == 0) {
		const struct content_country *ct = content_find_country(c, ctxt + 8);

		if (ct == NULL) {
			content_error(ld, file, line,
			    "msgctxt '%s': no country '%s' in countries.cfg", ctxt, ctxt + 8);
			return;
		}
		if (strcmp(ct->name, msgid) != 0) {
			content_error(ld, file, line,
			    "stale: msgid is not the name of country %s (now \"%.60s\" at %s:%d)",
			    ct->code, ct->name, ct->file, ct->line);
			return;
		}
	} else if (strncmp(ctxt, "contact.", 8) == 0) {
		const struct content_contact *ct = content_find_contact(c, ctxt + 8);

		if (ct == NULL) {
			content_error(ld, file, line, "msgctxt '%s': no contact '%s' in menus",
			    ctxt, ctxt + 8);
			return;
		}
		if (strcmp(ct->name, msgid) != 0) {
			content_error(ld, file, line,
			    "stale: msgid is not the name of contact %s (now \"%.60s\" at %s:%d)",
			    ct->id, ct->name, ct->file, ct->line);
			return;
		}
	} else {
		node = content_find(c, ctxt);
		if (node == NULL) {
			content_error(ld, file, line, "msgctxt '%s' is no node id", ctxt);
			return;
		}
		if (strcmp(node->title, msgid) != 0 &&
		    (node->text[0] == '\0' || strcmp(node->text, msgid) != 0)) {
			content_error(ld, file, line,
			    "stale: msgid is neither the title nor the text of node '%s' (%s:%d): "
			    "the English changed?",
			    ctxt, node->file, node->line);
			return;
		}
	}
	if (msgstr[0] != '\0') {
		po_digits(msgid, a, sizeof(a));
		po_digits(msgstr, b, sizeof(b));
		if (strcmp(a, b) != 0) {
			content_error(ld, file, line,
			    "%s: translation starts with \"%s\", English with \"%s\"", ctxt, b, a);
			return;
		}
		po_markers(msgid, a, sizeof(a));
		po_markers(msgstr, b, sizeof(b));
		if (strcmp(a, b) != 0) {
			content_error(ld, file, line,
			    "%s: %%-markers differ: English has \"%s\", translation \"%s\"", ctxt,
			    a, b);
			return;
		}
	}
	if (c->ntr >= PO_MAX_ENTRIES ||
	    content_grow((void **)&c->tr, &c->captr, c->ntr, sizeof(*c->tr)) == -1) {
		content_error(ld, file, line, "too many entries or out of memory");
		return;
	}
	e = &c->tr[c->ntr++];
	e->lang = lang;
	e->ctxt = ctxt;
	e->msgid = msgid;
	e->msgstr = msgstr;
	e->fuzzy = po_message_is_fuzzy(m) != 0;
	e->hash = po_hash(lang, ctxt, msgid);
	e->file = file;
	e->line = line;
}

static void
po_catalog(struct content_loader *ld, const char *path, const char *lang)
{
	const char *file = content_strndup(ld->c, path, strlen(path));
	po_message_iterator_t it;
	po_message_t m;
	po_file_t f;
	int *lines = NULL;
	size_t nlines = 0, k = 0;

	if (file == NULL) {
		content_error(ld, path, 0, "out of memory");
		return;
	}
	if (po_scan(ld, path, &lines, &nlines) == -1)
		return;
	f = po_read(ld, path);
	if (f == NULL) {
		free(lines);
		return;
	}
	it = po_message_iterator(f, NULL);
	while ((m = po_next_message(it)) != NULL) {
		int line;

		if (po_message_is_obsolete(m))
			continue;
		line = k < nlines ? lines[k] : 0;
		k++;
		if (po_message_msgctxt(m) == NULL && po_message_msgid(m)[0] == '\0')
			continue; /* the header */
		po_entry(ld, file, line, lang, m);
	}
	po_message_iterator_free(it);
	po_file_free(f);
	free(lines);
}

static int
po_build_index(struct content_loader *ld, const char *dir)
{
	struct content *c = ld->c;
	size_t size = 16;

	while (size < c->ntr * 2)
		size *= 2;
	c->tr_index = calloc(size, sizeof(*c->tr_index));
	if (c->tr_index == NULL)
		return -1;
	c->tr_mask = size - 1;
	for (size_t i = 0; i < c->ntr; i++)
		if (po_index_add(c, i) == -1)
			content_error(ld, dir, 0,
			    "%s.po: duplicate entry for msgctxt '%s', msgid \"%.40s\"",
			    c->tr[i].lang, c->tr[i].ctxt, c->tr[i].msgid);
	return 0;
}

int
content_po_load(struct content_loader *ld, const char *dir)
{
	char *names[PO_MAX_FILES];
	size_t nnames;
	int rc = content_dir_list(ld, dir, "translations", ".po", names, PO_MAX_FILES, &nnames);

	if (rc != 0)
		return rc == 1 ? 0 : -1;
	for (size_t i = 0; i < nnames; i++) {
		const struct content_language *l;
		char path[512], code[CONTENT_LANG_MAX];
		size_t len = strlen(names[i]) - 3;

		if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= (int)sizeof(path) ||
		    len >= sizeof(code)) {
			content_error(ld, dir, 0, "%s: name too long", names[i]);
			continue;
		}
		memcpy(code, names[i], len);
		code[len] = '\0';
		l = content_find_language(ld->c, code);
		if (l == NULL)
			content_error(ld, path, 0,
			    "catalog for '%s', which is not in languages.cfg", code);
		else if (strcmp(code, "en") == 0)
			content_error(ld, path, 0, "English is the source: edit menus/, not en.po");
		else
			po_catalog(ld, path, l->code);
	}
	content_dir_free(names, nnames);
	return po_build_index(ld, dir);
}
