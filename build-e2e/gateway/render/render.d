build-e2e/gateway/render/render.o: gateway/render/render.c \
 gateway/render/render.h gateway/core/charset.h gateway/core/log.h \
 gateway/core/util.h gateway/render/render_int.h
gateway/render/render.h:
gateway/core/charset.h:
gateway/core/log.h:
gateway/core/util.h:
gateway/render/render_int.h:
