build-e2e/tests/e2e/test_faults.o: tests/e2e/test_faults.c \
 tests/e2e/e2e.h tests/harness/harness.h tests/harness/hbuf.h \
 tests/harness/hctl.h tests/harness/hdb.h tests/harness/hproc.h \
 tests/harness/hgw.h tests/harness/harness.h tests/harness/hverify.h
tests/e2e/e2e.h:
tests/harness/harness.h:
tests/harness/hbuf.h:
tests/harness/hctl.h:
tests/harness/hdb.h:
tests/harness/hproc.h:
tests/harness/hgw.h:
tests/harness/harness.h:
tests/harness/hverify.h:
