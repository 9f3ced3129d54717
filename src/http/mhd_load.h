/*
 * mhd_load — libmicrohttpd loaded when the server starts (see mhd_load.c).
 * Private to src/http.
 */
#ifndef LKS_HTTP_MHD_LOAD_H
#define LKS_HTTP_MHD_LOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <microhttpd.h>

/* Load libmicrohttpd once; false when it or one of its functions is missing. */
bool mhd_load(void);
/* The file name it is loaded from, for messages. */
const char *mhd_library(void);

/* The variadic calls http.c makes, with their arguments fixed (loaded on first use). */
struct MHD_Daemon *mhd_start_daemon(unsigned flags, MHD_AccessHandlerCallback dh, void *dh_cls,
                                    const struct MHD_OptionItem *opts);
/* The port a daemon is bound to, or 0. */
unsigned mhd_daemon_port(struct MHD_Daemon *d);
/* The client's address of a connection, or NULL. */
const struct sockaddr *mhd_client_addr(struct MHD_Connection *c);

#endif
