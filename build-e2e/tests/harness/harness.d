build-e2e/tests/harness/harness.o: tests/harness/harness.c \
 tests/harness/harness.h tests/harness/hbuf.h tests/harness/hctl.h \
 tests/harness/hdb.h tests/harness/hproc.h
tests/harness/harness.h:
tests/harness/hbuf.h:
tests/harness/hctl.h:
tests/harness/hdb.h:
tests/harness/hproc.h:
