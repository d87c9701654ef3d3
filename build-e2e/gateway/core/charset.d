build-e2e/gateway/core/charset.o: gateway/core/charset.c \
 gateway/core/charset.h
gateway/core/charset.h:
