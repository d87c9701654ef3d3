build-e2e/gateway/config/config.o: gateway/config/config.c \
 gateway/config/config.h gateway/config/config_int.h gateway/core/log.h \
 gateway/core/util.h
gateway/config/config.h:
gateway/config/config_int.h:
gateway/core/log.h:
gateway/core/util.h:
