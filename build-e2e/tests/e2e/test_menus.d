build-e2e/tests/e2e/test_menus.o: tests/e2e/test_menus.c tests/e2e/e2e.h \
 tests/harness/harness.h tests/harness/hbuf.h tests/harness/hctl.h \
 tests/harness/hdb.h tests/harness/hproc.h tests/harness/hgw.h \
 tests/harness/harness.h gateway/content/content.h \
 gateway/render/render.h
tests/e2e/e2e.h:
tests/harness/harness.h:
tests/harness/hbuf.h:
tests/harness/hctl.h:
tests/harness/hdb.h:
tests/harness/hproc.h:
tests/harness/hgw.h:
tests/harness/harness.h:
gateway/content/content.h:
gateway/render/render.h:
