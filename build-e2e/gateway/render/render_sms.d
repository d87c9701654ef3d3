build-e2e/gateway/render/render_sms.o: gateway/render/render_sms.c \
 gateway/render/render.h gateway/core/charset.h \
 gateway/render/render_int.h
gateway/render/render.h:
gateway/core/charset.h:
gateway/render/render_int.h:
