/* simstore.c - the SIM's SMS slots and the network queue in front of them. */
#include "simstore.h"

#include <stdlib.h>
#include <string.h>

void
simstore_init(struct simstore *s, int capacity)
{
	memset(s, 0, sizeof(*s));
	simstore_set_capacity(s, capacity);
}

void
simstore_free(struct simstore *s)
{
	for (int i = 0; i <= SIMSTORE_MAX; i++)
		free(s->slots[i].pdu_hex);
	while (s->head) {
		struct simstore_wait *w = s->head;
		s->head = w->next;
		free(w->pdu_hex);
		free(w);
	}
	memset(s, 0, sizeof(*s));
}

int
simstore_queue(struct simstore *s, const char *hex, int tpdu_len)
{
	struct simstore_wait *w = calloc(1, sizeof(*w));
	if (!w)
		return -1;
	w->pdu_hex = strdup(hex);
	if (!w->pdu_hex) {
		free(w);
		return -1;
	}
	w->tpdu_len = tpdu_len;
	if (s->tail)
		s->tail->next = w;
	else
		s->head = w;
	s->tail = w;
	s->nwaiting++;
	return 0;
}

int
simstore_deliver_one(struct simstore *s)
{
	if (!s->head)
		return 0;
	for (int i = 1; i <= s->capacity; i++) {
		if (s->slots[i].used)
			continue;
		struct simstore_wait *w = s->head;
		s->head = w->next;
		if (!s->head)
			s->tail = NULL;
		s->nwaiting--;
		s->slots[i].used = 1;
		s->slots[i].status = SIMSTORE_UNREAD;
		s->slots[i].pdu_hex = w->pdu_hex;
		s->slots[i].tpdu_len = w->tpdu_len;
		free(w);
		return i;
	}
	return 0;
}

int
simstore_write(struct simstore *s, const char *hex, int tpdu_len, int status)
{
	for (int i = 1; i <= s->capacity; i++) {
		if (s->slots[i].used)
			continue;
		char *copy = strdup(hex);
		if (!copy)
			return -1;
		s->slots[i].used = 1;
		s->slots[i].status = status;
		s->slots[i].pdu_hex = copy;
		s->slots[i].tpdu_len = tpdu_len;
		return i;
	}
	return 0;
}

struct simstore_msg *
simstore_get(struct simstore *s, int index)
{
	if (index < 1 || index > SIMSTORE_MAX || !s->slots[index].used)
		return NULL;
	return &s->slots[index];
}

int
simstore_delete(struct simstore *s, int index)
{
	if (index < 1 || index > SIMSTORE_MAX)
		return -1;
	if (index > s->capacity && !s->slots[index].used)
		return -1;
	free(s->slots[index].pdu_hex);
	memset(&s->slots[index], 0, sizeof(s->slots[index]));
	return 0;
}

int
simstore_used(const struct simstore *s)
{
	int n = 0;
	for (int i = 1; i <= SIMSTORE_MAX; i++)
		n += s->slots[i].used;
	return n;
}

void
simstore_set_capacity(struct simstore *s, int capacity)
{
	if (capacity < 1)
		capacity = 1;
	if (capacity > SIMSTORE_MAX)
		capacity = SIMSTORE_MAX;
	s->capacity = capacity;
}
