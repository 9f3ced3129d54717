/*
 * pq_load — libpq loaded on first use (see pq_load.c). Private to src/store.
 */
#ifndef LKS_STORE_PQ_LOAD_H
#define LKS_STORE_PQ_LOAD_H

#include <libpq-fe.h>
#include <stdbool.h>

/* Load libpq once; false when the library or one of its functions is missing. */
bool pq_load(void);
/* The file name it is loaded from, for messages. */
const char *pq_library(void);

#endif
