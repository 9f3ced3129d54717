/*
 * pq_load — libpq, loaded when the first PostgreSQL store is opened rather than
 * when lks starts. Linked directly, libpq and what stands behind it (OpenSSL,
 * Kerberos, LDAP, SASL) made every lks command ~5 ms slower to start, SQLite or
 * not. The functions below carry libpq's own names and signatures
 * (libpq-fe.h), so the engine (and a test) calls them as it would call libpq;
 * each loads the library when it is not loaded yet (pthread_once: one atomic
 * load after the first time) and forwards to it, or answers as libpq does for a
 * missing connection or result when it cannot be loaded.
 */
#include "store/pq_load.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#define PQ_LIBRARY "libpq.so.5"

static struct {
    void (*clear)(PGresult *);
    int (*ntuples)(const PGresult *);
    ExecStatusType (*result_status)(const PGresult *);
    ConnStatusType (*status)(const PGconn *);
    char *(*getvalue)(const PGresult *, int, int);
    PGresult *(*exec)(PGconn *, const char *);
    PGTransactionStatusType (*transaction_status)(const PGconn *);
    char *(*result_error_field)(const PGresult *, int);
    PGresult *(*exec_params)(PGconn *, const char *, int, const Oid *, const char *const *,
                             const int *, const int *, int);
    PQnoticeProcessor (*set_notice_processor)(PGconn *, PQnoticeProcessor, void *);
    void (*reset)(PGconn *);
    PGresult *(*prepare)(PGconn *, const char *, const char *, int, const Oid *);
    int (*getlength)(const PGresult *, int, int);
    int (*getisnull)(const PGresult *, int, int);
    void (*finish)(PGconn *);
    PGresult *(*exec_prepared)(PGconn *, const char *, int, const char *const *, const int *,
                               const int *, int);
    char *(*error_message)(const PGconn *);
    PGconn *(*connectdb)(const char *);
    char *(*cmd_tuples)(PGresult *);
} pq;

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static bool pq_ok;

/* POSIX's way to turn dlsym's object pointer into a function pointer. */
#define PQ_SYM(h, field, name, ok)                                                                 \
    do {                                                                                           \
        *(void **)(&pq.field) = dlsym(h, name);                                                    \
        ok &= pq.field != NULL;                                                                    \
    } while (0)

static void pq_open(void)
{
    void *h = dlopen(PQ_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
    bool ok = true;
    PQ_SYM(h, clear, "PQclear", ok);
    PQ_SYM(h, ntuples, "PQntuples", ok);
    PQ_SYM(h, result_status, "PQresultStatus", ok);
    PQ_SYM(h, status, "PQstatus", ok);
    PQ_SYM(h, getvalue, "PQgetvalue", ok);
    PQ_SYM(h, exec, "PQexec", ok);
    PQ_SYM(h, transaction_status, "PQtransactionStatus", ok);
    PQ_SYM(h, result_error_field, "PQresultErrorField", ok);
    PQ_SYM(h, exec_params, "PQexecParams", ok);
    PQ_SYM(h, set_notice_processor, "PQsetNoticeProcessor", ok);
    PQ_SYM(h, reset, "PQreset", ok);
    PQ_SYM(h, prepare, "PQprepare", ok);
    PQ_SYM(h, getlength, "PQgetlength", ok);
    PQ_SYM(h, getisnull, "PQgetisnull", ok);
    PQ_SYM(h, finish, "PQfinish", ok);
    PQ_SYM(h, exec_prepared, "PQexecPrepared", ok);
    PQ_SYM(h, error_message, "PQerrorMessage", ok);
    PQ_SYM(h, connectdb, "PQconnectdb", ok);
    PQ_SYM(h, cmd_tuples, "PQcmdTuples", ok);
    pq_ok = ok; /* the library stays loaded for the life of the process */
}

bool pq_load(void)
{
    pthread_once(&pq_once, pq_open);
    return pq_ok;
}

const char *pq_library(void)
{
    return PQ_LIBRARY;
}

void PQclear(PGresult *res)
{
    if (!pq_load() || !res)
        return;
    pq.clear(res);
}

int PQntuples(const PGresult *res)
{
    if (!pq_load())
        return 0;
    return pq.ntuples(res);
}

ExecStatusType PQresultStatus(const PGresult *res)
{
    if (!pq_load())
        return PGRES_FATAL_ERROR;
    return pq.result_status(res);
}

ConnStatusType PQstatus(const PGconn *conn)
{
    if (!pq_load())
        return CONNECTION_BAD;
    return pq.status(conn);
}

char *PQgetvalue(const PGresult *res, int tup_num, int field_num)
{
    if (!pq_load())
        return NULL;
    return pq.getvalue(res, tup_num, field_num);
}

PGresult *PQexec(PGconn *conn, const char *query)
{
    if (!pq_load())
        return NULL;
    return pq.exec(conn, query);
}

PGTransactionStatusType PQtransactionStatus(const PGconn *conn)
{
    if (!pq_load())
        return PQTRANS_UNKNOWN;
    return pq.transaction_status(conn);
}

char *PQresultErrorField(const PGresult *res, int fieldcode)
{
    if (!pq_load())
        return NULL;
    return pq.result_error_field(res, fieldcode);
}

PGresult *PQexecParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                       const char *const *paramValues, const int *paramLengths,
                       const int *paramFormats, int resultFormat)
{
    if (!pq_load())
        return NULL;
    return pq.exec_params(conn, command, nParams, paramTypes, paramValues, paramLengths,
                          paramFormats, resultFormat);
}

PQnoticeProcessor PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor proc, void *arg)
{
    if (!pq_load())
        return NULL;
    return pq.set_notice_processor(conn, proc, arg);
}

void PQreset(PGconn *conn)
{
    if (!pq_load())
        return;
    pq.reset(conn);
}

PGresult *PQprepare(PGconn *conn, const char *stmtName, const char *query, int nParams,
                    const Oid *paramTypes)
{
    if (!pq_load())
        return NULL;
    return pq.prepare(conn, stmtName, query, nParams, paramTypes);
}

int PQgetlength(const PGresult *res, int tup_num, int field_num)
{
    if (!pq_load())
        return 0;
    return pq.getlength(res, tup_num, field_num);
}

int PQgetisnull(const PGresult *res, int tup_num, int field_num)
{
    if (!pq_load())
        return 1;
    return pq.getisnull(res, tup_num, field_num);
}

void PQfinish(PGconn *conn)
{
    if (!pq_load() || !conn)
        return;
    pq.finish(conn);
}

PGresult *PQexecPrepared(PGconn *conn, const char *stmtName, int nParams,
                         const char *const *paramValues, const int *paramLengths,
                         const int *paramFormats, int resultFormat)
{
    if (!pq_load())
        return NULL;
    return pq.exec_prepared(conn, stmtName, nParams, paramValues, paramLengths, paramFormats,
                            resultFormat);
}

char *PQerrorMessage(const PGconn *conn)
{
    if (!pq_load())
        return "de PostgreSQL-clientbibliotheek ontbreekt\n";
    return pq.error_message(conn);
}

PGconn *PQconnectdb(const char *conninfo)
{
    if (!pq_load())
        return NULL;
    return pq.connectdb(conninfo);
}

char *PQcmdTuples(PGresult *res)
{
    if (!pq_load())
        return "";
    return pq.cmd_tuples(res);
}
