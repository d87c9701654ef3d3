build-e2e/gateway/content/content_keywords.o: \
 gateway/content/content_keywords.c gateway/content/content.h \
 gateway/content/content_int.h gateway/core/util.h
gateway/content/content.h:
gateway/content/content_int.h:
gateway/core/util.h:
