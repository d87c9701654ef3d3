build-e2e/gateway/store/store_reports.o: gateway/store/store_reports.c \
 gateway/store/store_int.h gateway/store/store.h gateway/core/log.h \
 gateway/core/util.h
gateway/store/store_int.h:
gateway/store/store.h:
gateway/core/log.h:
gateway/core/util.h:
