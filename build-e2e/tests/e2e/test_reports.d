build-e2e/tests/e2e/test_reports.o: tests/e2e/test_reports.c \
 tests/e2e/e2e.h tests/harness/harness.h tests/harness/hbuf.h \
 tests/harness/hctl.h tests/harness/hdb.h tests/harness/hproc.h \
 tests/harness/hgw.h tests/harness/harness.h gateway/content/content.h
tests/e2e/e2e.h:
tests/harness/harness.h:
tests/harness/hbuf.h:
tests/harness/hctl.h:
tests/harness/hdb.h:
tests/harness/hproc.h:
tests/harness/hgw.h:
tests/harness/harness.h:
gateway/content/content.h:
