build-e2e/gateway/modem/modem_gammu_read.o: \
 gateway/modem/modem_gammu_read.c gateway/core/charset.h \
 gateway/core/log.h gateway/core/util.h gateway/modem/modem_gammu_int.h \
 /usr/include/gammu/gammu.h /usr/include/gammu/gammu-types.h \
 /usr/include/gammu/gammu-statemachine.h /usr/include/gammu/gammu-error.h \
 /usr/include/gammu/gammu-inifile.h /usr/include/gammu/gammu-info.h \
 /usr/include/gammu/gammu-limits.h /usr/include/gammu/gammu-backup.h \
 /usr/include/gammu/gammu-message.h /usr/include/gammu/gammu-memory.h \
 /usr/include/gammu/gammu-datetime.h /usr/include/gammu/gammu-bitmap.h \
 /usr/include/gammu/gammu-debug.h /usr/include/gammu/gammu-misc.h \
 /usr/include/gammu/gammu-file.h /usr/include/gammu/gammu-config.h \
 /usr/include/gammu/gammu-ringtone.h /usr/include/gammu/gammu-wap.h \
 /usr/include/gammu/gammu-calendar.h /usr/include/gammu/gammu-settings.h \
 /usr/include/gammu/gammu-nokia.h /usr/include/gammu/gammu-call.h \
 /usr/include/gammu/gammu-security.h /usr/include/gammu/gammu-keys.h \
 /usr/include/gammu/gammu-callback.h /usr/include/gammu/gammu-category.h \
 /usr/include/gammu/gammu-unicode.h gateway/modem/modem.h \
 gateway/config/config.h
gateway/core/charset.h:
gateway/core/log.h:
gateway/core/util.h:
gateway/modem/modem_gammu_int.h:
/usr/include/gammu/gammu.h:
/usr/include/gammu/gammu-types.h:
/usr/include/gammu/gammu-statemachine.h:
/usr/include/gammu/gammu-error.h:
/usr/include/gammu/gammu-inifile.h:
/usr/include/gammu/gammu-info.h:
/usr/include/gammu/gammu-limits.h:
/usr/include/gammu/gammu-backup.h:
/usr/include/gammu/gammu-message.h:
/usr/include/gammu/gammu-memory.h:
/usr/include/gammu/gammu-datetime.h:
/usr/include/gammu/gammu-bitmap.h:
/usr/include/gammu/gammu-debug.h:
/usr/include/gammu/gammu-misc.h:
/usr/include/gammu/gammu-file.h:
/usr/include/gammu/gammu-config.h:
/usr/include/gammu/gammu-ringtone.h:
/usr/include/gammu/gammu-wap.h:
/usr/include/gammu/gammu-calendar.h:
/usr/include/gammu/gammu-settings.h:
/usr/include/gammu/gammu-nokia.h:
/usr/include/gammu/gammu-call.h:
/usr/include/gammu/gammu-security.h:
/usr/include/gammu/gammu-keys.h:
/usr/include/gammu/gammu-callback.h:
/usr/include/gammu/gammu-category.h:
/usr/include/gammu/gammu-unicode.h:
gateway/modem/modem.h:
gateway/config/config.h:
