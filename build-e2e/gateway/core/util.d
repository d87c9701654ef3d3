build-e2e/gateway/core/util.o: gateway/core/util.c gateway/core/util.h
gateway/core/util.h:
