build-e2e/gateway/store/store.o: gateway/store/store.c \
 gateway/store/store.h gateway/core/log.h gateway/core/util.h \
 gateway/store/store_int.h
gateway/store/store.h:
gateway/core/log.h:
gateway/core/util.h:
gateway/store/store_int.h:
