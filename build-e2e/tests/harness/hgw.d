build-e2e/tests/harness/hgw.o: tests/harness/hgw.c tests/harness/hgw.h \
 tests/harness/harness.h tests/harness/hbuf.h tests/harness/hctl.h \
 tests/harness/hdb.h tests/harness/hproc.h
tests/harness/hgw.h:
tests/harness/harness.h:
tests/harness/hbuf.h:
tests/harness/hctl.h:
tests/harness/hdb.h:
tests/harness/hproc.h:
