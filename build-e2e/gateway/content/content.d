build-e2e/gateway/content/content.o: gateway/content/content.c \
 gateway/content/content.h gateway/content/content_int.h \
 gateway/core/log.h gateway/core/util.h
gateway/content/content.h:
gateway/content/content_int.h:
gateway/core/log.h:
gateway/core/util.h:
