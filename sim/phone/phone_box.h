/* phone_box.h - the phone's screen: a titled box around UTF-8 text, wrapped
 * at PHONE_BOX_COLS columns (Thai, Lao, Burmese and Khmer combining marks
 * take none), shared by the SMS messages and the USSD dialog. */
#ifndef PHONE_BOX_H
#define PHONE_BOX_H

#define PHONE_BOX_COLS 40

/* Prints a blank line, then title and text (both borrowed) boxed, on stdout. */
void phone_box(const char *title, const char *text);

/* Prints one line (printf format) dimmed when tty is set, as the phone's
 * small print under a box. */
void phone_box_note(int tty, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
