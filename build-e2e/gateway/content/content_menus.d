build-e2e/gateway/content/content_menus.o: \
 gateway/content/content_menus.c gateway/content/content.h \
 gateway/content/content_int.h gateway/core/log.h gateway/core/util.h
gateway/content/content.h:
gateway/content/content_int.h:
gateway/core/log.h:
gateway/core/util.h:
