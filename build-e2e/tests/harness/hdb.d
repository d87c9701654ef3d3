build-e2e/tests/harness/hdb.o: tests/harness/hdb.c tests/harness/hdb.h
tests/harness/hdb.h:
