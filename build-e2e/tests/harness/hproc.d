build-e2e/tests/harness/hproc.o: tests/harness/hproc.c \
 tests/harness/hproc.h tests/harness/hbuf.h
tests/harness/hproc.h:
tests/harness/hbuf.h:
