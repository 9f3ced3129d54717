/*
 * mhd_load — libmicrohttpd, loaded when the server starts rather than when lks
 * starts. Linked directly, it and GnuTLS behind it (with p11-kit, nettle, gmp,
 * libidn2, libunistring, libtasn1) made every lks command ~3 ms slower to start,
 * and only `lks serve` needs it. The non-variadic functions below carry
 * libmicrohttpd's own names and signatures (microhttpd.h), so http.c calls
 * them as it would call the library; each loads it when it is not loaded yet
 * (pthread_once) and forwards. The three variadic ones are called through
 * mhd_start_daemon, mhd_daemon_port and mhd_client_addr with fixed arguments.
 */
#include "http/mhd_load.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#define MHD_LIBRARY "libmicrohttpd.so.12"

static struct {
    struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
                                       MHD_AccessHandlerCallback, void *, ...);
    void (*stop_daemon)(struct MHD_Daemon *);
    MHD_socket (*quiesce_daemon)(struct MHD_Daemon *);
    const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType,
                                                   ...);
    const union MHD_ConnectionInfo *(*get_connection_info)(struct MHD_Connection *,
                                                           enum MHD_ConnectionInfoType, ...);
    enum MHD_Result (*is_feature_supported)(enum MHD_FEATURE);
    struct MHD_Response *(*create_response_from_buffer)(size_t, void *,
                                                        enum MHD_ResponseMemoryMode);
    enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
    void (*destroy_response)(struct MHD_Response *);
    enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
    const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind,
                                           const char *);
    enum MHD_Result (*lookup_connection_value_n)(struct MHD_Connection *, enum MHD_ValueKind,
                                                 const char *, size_t, const char **, size_t *);
    int (*get_connection_values_n)(struct MHD_Connection *, enum MHD_ValueKind,
                                   MHD_KeyValueIteratorN, void *);
    void (*suspend_connection)(struct MHD_Connection *);
    void (*resume_connection)(struct MHD_Connection *);
} mhd;

static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
static bool mhd_ok;

/* POSIX's way to turn dlsym's object pointer into a function pointer. */
#define MHD_SYM(h, field, name, ok)                                                                \
    do {                                                                                           \
        *(void **)(&mhd.field) = dlsym(h, name);                                                   \
        ok &= mhd.field != NULL;                                                                   \
    } while (0)

static void mhd_open(void)
{
    void *h = dlopen(MHD_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
    bool ok = true;
    MHD_SYM(h, start_daemon, "MHD_start_daemon", ok);
    MHD_SYM(h, stop_daemon, "MHD_stop_daemon", ok);
    MHD_SYM(h, quiesce_daemon, "MHD_quiesce_daemon", ok);
    MHD_SYM(h, get_daemon_info, "MHD_get_daemon_info", ok);
    MHD_SYM(h, get_connection_info, "MHD_get_connection_info", ok);
    MHD_SYM(h, is_feature_supported, "MHD_is_feature_supported", ok);
    MHD_SYM(h, create_response_from_buffer, "MHD_create_response_from_buffer", ok);
    MHD_SYM(h, add_response_header, "MHD_add_response_header", ok);
    MHD_SYM(h, destroy_response, "MHD_destroy_response", ok);
    MHD_SYM(h, queue_response, "MHD_queue_response", ok);
    MHD_SYM(h, lookup_connection_value, "MHD_lookup_connection_value", ok);
    MHD_SYM(h, lookup_connection_value_n, "MHD_lookup_connection_value_n", ok);
    MHD_SYM(h, get_connection_values_n, "MHD_get_connection_values_n", ok);
    MHD_SYM(h, suspend_connection, "MHD_suspend_connection", ok);
    MHD_SYM(h, resume_connection, "MHD_resume_connection", ok);
    mhd_ok = ok; /* the library stays loaded for the life of the process */
}

bool mhd_load(void)
{
    pthread_once(&mhd_once, mhd_open);
    return mhd_ok;
}

const char *mhd_library(void)
{
    return MHD_LIBRARY;
}

struct MHD_Daemon *mhd_start_daemon(unsigned flags, MHD_AccessHandlerCallback dh, void *dh_cls,
                                    const struct MHD_OptionItem *opts)
{
    if (!mhd_load())
        return NULL;
    return mhd.start_daemon(flags, 0, NULL, NULL, dh, dh_cls, MHD_OPTION_ARRAY, opts,
                            MHD_OPTION_END);
}

unsigned mhd_daemon_port(struct MHD_Daemon *d)
{
    if (!mhd_load())
        return 0;
    const union MHD_DaemonInfo *di = mhd.get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return di ? di->port : 0;
}

const struct sockaddr *mhd_client_addr(struct MHD_Connection *c)
{
    if (!mhd_load())
        return NULL;
    const union MHD_ConnectionInfo *ci =
        mhd.get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return ci ? ci->client_addr : NULL;
}

void MHD_stop_daemon(struct MHD_Daemon *daemon)
{
    if (mhd_load())
        mhd.stop_daemon(daemon);
}

MHD_socket MHD_quiesce_daemon(struct MHD_Daemon *daemon)
{
    return mhd_load() ? mhd.quiesce_daemon(daemon) : MHD_INVALID_SOCKET;
}

enum MHD_Result MHD_is_feature_supported(enum MHD_FEATURE feature)
{
    return mhd_load() ? mhd.is_feature_supported(feature) : MHD_NO;
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode)
{
    return mhd_load() ? mhd.create_response_from_buffer(size, buffer, mode) : NULL;
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *response, const char *header,
                                        const char *content)
{
    return mhd_load() ? mhd.add_response_header(response, header, content) : MHD_NO;
}

void MHD_destroy_response(struct MHD_Response *response)
{
    if (mhd_load())
        mhd.destroy_response(response);
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response)
{
    return mhd_load() ? mhd.queue_response(connection, status_code, response) : MHD_NO;
}

const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                                        const char *key)
{
    return mhd_load() ? mhd.lookup_connection_value(connection, kind, key) : NULL;
}

enum MHD_Result MHD_lookup_connection_value_n(struct MHD_Connection *connection,
                                              enum MHD_ValueKind kind, const char *key,
                                              size_t key_size, const char **value_ptr,
                                              size_t *value_size_ptr)
{
    return mhd_load() ? mhd.lookup_connection_value_n(connection, kind, key, key_size, value_ptr,
                                                      value_size_ptr)
                      : MHD_NO;
}

int MHD_get_connection_values_n(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                                MHD_KeyValueIteratorN iterator, void *iterator_cls)
{
    return mhd_load() ? mhd.get_connection_values_n(connection, kind, iterator, iterator_cls) : -1;
}

void MHD_suspend_connection(struct MHD_Connection *connection)
{
    if (mhd_load())
        mhd.suspend_connection(connection);
}

void MHD_resume_connection(struct MHD_Connection *connection)
{
    if (mhd_load())
        mhd.resume_connection(connection);
}
