build-e2e/gateway/store/store_session.o: gateway/store/store_session.c \
 gateway/store/store_int.h gateway/store/store.h gateway/core/util.h
gateway/store/store_int.h:
gateway/store/store.h:
gateway/core/util.h:
