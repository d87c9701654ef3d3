build-e2e/tests/harness/hctl.o: tests/harness/hctl.c tests/harness/hctl.h \
 tests/harness/hbuf.h sim/modem/ctl_client.h sim/modem/sbuf.h
tests/harness/hctl.h:
tests/harness/hbuf.h:
sim/modem/ctl_client.h:
sim/modem/sbuf.h:
