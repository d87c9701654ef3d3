/* store_fault.c - the class of the last failure on a connection (issue
 * 11): a full or failing disk is told apart from a lock held elsewhere. */
#include "store/store_int.h"

enum store_fault
store_last_fault(struct store *st)
{
	switch (st->last_err & 0xff) {
	case SQLITE_OK:
		return STORE_FAULT_NONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_FAULT_BUSY;
	case SQLITE_FULL:
	case SQLITE_IOERR:
		return STORE_FAULT_DISK;
	default:
		return STORE_FAULT_OTHER;
	}
}

void
store_fault_clear(struct store *st)
{
	st->last_err = SQLITE_OK;
}

const char *
store_fault_name(enum store_fault f)
{
	switch (f) {
	case STORE_FAULT_NONE:
		return "none";
	case STORE_FAULT_BUSY:
		return "busy";
	case STORE_FAULT_DISK:
		return "disk full or failing";
	default:
		return "other";
	}
}
