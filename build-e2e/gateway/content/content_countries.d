build-e2e/gateway/content/content_countries.o: \
 gateway/content/content_countries.c gateway/content/content.h \
 gateway/content/content_int.h
gateway/content/content.h:
gateway/content/content_int.h:
