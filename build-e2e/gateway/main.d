build-e2e/gateway/main.o: gateway/main.c gateway/config/config.h \
 gateway/content/content.h gateway/core/log.h gateway/daemon/daemon.h \
 gateway/config/config.h
gateway/config/config.h:
gateway/content/content.h:
gateway/core/log.h:
gateway/daemon/daemon.h:
gateway/config/config.h:
