build-e2e/gateway/core/wake.o: gateway/core/wake.c gateway/core/wake.h \
 gateway/core/log.h
gateway/core/wake.h:
gateway/core/log.h:
