build-e2e/gateway/core/thread.o: gateway/core/thread.c \
 gateway/core/thread.h gateway/core/log.h
gateway/core/thread.h:
gateway/core/log.h:
