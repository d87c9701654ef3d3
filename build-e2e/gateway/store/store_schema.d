build-e2e/gateway/store/store_schema.o: gateway/store/store_schema.c \
 gateway/core/log.h gateway/store/store_int.h gateway/store/store.h
gateway/core/log.h:
gateway/store/store_int.h:
gateway/store/store.h:
