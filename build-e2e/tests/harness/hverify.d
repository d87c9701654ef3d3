build-e2e/tests/harness/hverify.o: tests/harness/hverify.c \
 tests/harness/hverify.h tests/harness/harness.h tests/harness/hbuf.h \
 tests/harness/hctl.h tests/harness/hdb.h tests/harness/hproc.h
tests/harness/hverify.h:
tests/harness/harness.h:
tests/harness/hbuf.h:
tests/harness/hctl.h:
tests/harness/hdb.h:
tests/harness/hproc.h:
