build-e2e/gateway/store/store_staged.o: gateway/store/store_staged.c \
 gateway/store/store_int.h gateway/store/store.h gateway/core/log.h
gateway/store/store_int.h:
gateway/store/store.h:
gateway/core/log.h:
