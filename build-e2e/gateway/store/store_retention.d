build-e2e/gateway/store/store_retention.o: \
 gateway/store/store_retention.c gateway/store/store_int.h \
 gateway/store/store.h
gateway/store/store_int.h:
gateway/store/store.h:
