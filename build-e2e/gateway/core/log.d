build-e2e/gateway/core/log.o: gateway/core/log.c gateway/core/log.h
gateway/core/log.h:
