build-e2e/gateway/config/config_reports.o: \
 gateway/config/config_reports.c gateway/config/config_int.h \
 gateway/config/config.h
gateway/config/config_int.h:
gateway/config/config.h:
