build-e2e/tests/harness/hbuf.o: tests/harness/hbuf.c tests/harness/hbuf.h
tests/harness/hbuf.h:
