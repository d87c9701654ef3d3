build-e2e/tests/e2e/test_kawanctl.o: tests/e2e/test_kawanctl.c \
 tests/harness/hbuf.h tests/harness/hdb.h tests/harness/hproc.h \
 tests/harness/hbuf.h gateway/core/log.h gateway/core/util.h \
 gateway/store/store.h
tests/harness/hbuf.h:
tests/harness/hdb.h:
tests/harness/hproc.h:
tests/harness/hbuf.h:
gateway/core/log.h:
gateway/core/util.h:
gateway/store/store.h:
