build-e2e/tests/e2e/test_roundtrip.o: tests/e2e/test_roundtrip.c \
 tests/e2e/e2e.h tests/harness/harness.h tests/harness/hbuf.h \
 tests/harness/hctl.h tests/harness/hdb.h tests/harness/hproc.h \
 tests/harness/hverify.h tests/harness/harness.h
tests/e2e/e2e.h:
tests/harness/harness.h:
tests/harness/hbuf.h:
tests/harness/hctl.h:
tests/harness/hdb.h:
tests/harness/hproc.h:
tests/harness/hverify.h:
tests/harness/harness.h:
