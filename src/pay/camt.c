/*
 * camt — the bank's answers (see sepa.h): camt.053 statements (.02 and .08) and
 * pain.002.001.10 status reports, read with libxml2.
 *
 * Parsed safely: at most CAMT_MAX_BYTES, no network (XML_PARSE_NONET), no DTD loading
 * and no entity substitution (neither XML_PARSE_DTDLOAD nor XML_PARSE_NOENT), so an
 * external entity is never read. Elements are matched by local name, whatever the
 * namespace version. Errors are LKS_EINVAL naming the element ("Ntry.Amt"); the
 * callback's non-zero answer stops the reading and is returned.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "pay/sepa.h"

#define CAMT_MAX_BYTES ((size_t)64 << 20)

static int is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* child path "a/b/c" */
static xmlNode *path(const xmlNode *n, const char *p)
{
    char part[32];
    while (n && *p) {
        size_t k = strcspn(p, "/");
        if (k >= sizeof part)
            return NULL;
        memcpy(part, p, k);
        part[k] = 0;
        n = child(n, part);
        p += k + (p[k] == '/');
    }
    return (xmlNode *)n;
}

/* The element's own text (first text child), trimmed into out; false when none. */
static int text(const xmlNode *n, char *out, size_t size)
{
    out[0] = 0;
    if (!n)
        return 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            const char *s = (const char *)c->content;
            s += strspn(s, " \t\r\n");
            size_t k = strlen(s);
            while (k && strchr(" \t\r\n", s[k - 1]))
                k--;
            if (k >= size)
                k = size - 1;
            memcpy(out, s, k);
            out[k] = 0;
            return k > 0;
        }
    }
    return 0;
}

/* "123.45" (at most 2 decimals, no sign) to cents; -1 when malformed. */
static int64_t amount(const xmlNode *n)
{
    char s[32];
    if (!text(n, s, sizeof s))
        return -1;
    int64_t v = 0;
    const char *p = s;
    int digits = 0, dec = -1;
    for (; *p; p++) {
        if (*p == '.' && dec < 0) {
            dec = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || digits >= 15 || dec >= 2)
            return -1;
        v = v * 10 + (*p - '0');
        digits++;
        if (dec >= 0)
            dec++;
    }
    if (!digits)
        return -1;
    for (int d = dec < 0 ? 0 : dec; d < 2; d++)
        v *= 10;
    return v;
}

static lks_date day(const xmlNode *n)
{
    char s[40];
    lks_date d;
    if (!text(n, s, sizeof s) || strlen(s) < 10)
        return INT32_MIN;
    s[10] = 0;
    if (date_parse(&d, s, "date", NULL))
        return INT32_MIN;
    return d;
}

static xmlDoc *parse(const char *xml, size_t n, struct lks_err *err)
{
    if (n > CAMT_MAX_BYTES) {
        lks_err_set(err, LKS_EINVAL, "file", "too-large", "bestand groter dan 64 MiB");
        return NULL;
    }
    xmlDoc *doc = xmlReadMemory(xml, (int)n, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc)
        lks_err_set(err, LKS_EINVAL, "file", "malformed", "geen geldig XML-bestand");
    return doc;
}

static int bad(struct lks_err *err, const char *field)
{
    return lks_err_set(err, LKS_EINVAL, field, "malformed", "%s ontbreekt of is ongeldig", field);
}

int sepa_read_camt053(const char *xml, size_t n, int (*cb)(void *arg, const struct sepa_status *st),
                      void *arg, struct lks_err *err)
{
    xmlDoc *doc = parse(xml, n, err);
    if (!doc)
        return LKS_EINVAL;
    int rc = 0;
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *bk = child(root, "BkToCstmrStmt");
    if (!is(root, "Document") || !bk) {
        rc = bad(err, "Document.BkToCstmrStmt");
        goto out;
    }
    for (xmlNode *stmt = bk->children; stmt && !rc; stmt = stmt->next) {
        if (!is(stmt, "Stmt"))
            continue;
        for (xmlNode *e = stmt->children; e && !rc; e = e->next) {
            if (!is(e, "Ntry"))
                continue;
            char ind[8], sts[8];
            text(child(e, "CdtDbtInd"), ind, sizeof ind);
            xmlNode *s = child(e, "Sts");
            if (!text(child(s, "Cd"), sts, sizeof sts)) /* .08: Sts/Cd; .02: Sts */
                text(s, sts, sizeof sts);
            if (strcmp(sts, "BOOK") != 0)
                continue;
            int64_t eamt = amount(child(e, "Amt"));
            if (eamt < 0) {
                rc = bad(err, "Ntry.Amt");
                break;
            }
            lks_date on = day(path(e, "BookgDt/Dt"));
            if (on == INT32_MIN)
                on = day(path(e, "BookgDt/DtTm"));
            for (xmlNode *nd = e->children; nd && !rc; nd = nd->next) {
                if (!is(nd, "NtryDtls"))
                    continue;
                for (xmlNode *t = nd->children; t && !rc; t = t->next) {
                    if (!is(t, "TxDtls"))
                        continue;
                    struct sepa_status st = {0};
                    if (!text(path(t, "Refs/EndToEndId"), st.end_to_end, sizeof st.end_to_end)) {
                        rc = bad(err, "TxDtls.Refs.EndToEndId");
                        break;
                    }
                    xmlNode *ta = child(t, "Amt");
                    if (!ta)
                        ta = path(t, "AmtDtls/TxAmt/Amt");
                    st.amount = ta ? amount(ta) : eamt;
                    if (st.amount < 0) {
                        rc = bad(err, "TxDtls.Amt");
                        break;
                    }
                    st.on = on;
                    xmlNode *ret = child(t, "RtrInf");
                    char tind[8];
                    if (!text(child(t, "CdtDbtInd"), tind, sizeof tind))
                        memcpy(tind, ind, sizeof tind);
                    if (ret) {
                        st.booked = 0;
                        text(path(ret, "Rsn/Cd"), st.reason, sizeof st.reason);
                    } else if (strcmp(tind, "DBIT") == 0) {
                        st.booked = 1;
                    } else {
                        continue; /* an incoming credit that is not a return: not ours */
                    }
                    rc = cb(arg, &st);
                }
            }
        }
    }
out:
    xmlFreeDoc(doc);
    return rc;
}

int sepa_read_pain002(const char *xml, size_t n, int (*cb)(void *arg, const struct sepa_status *st),
                      void *arg, struct lks_err *err)
{
    xmlDoc *doc = parse(xml, n, err);
    if (!doc)
        return LKS_EINVAL;
    int rc = 0;
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *rpt = child(root, "CstmrPmtStsRpt");
    if (!is(root, "Document") || !rpt) {
        rc = bad(err, "Document.CstmrPmtStsRpt");
        goto out;
    }
    lks_date on = day(path(rpt, "GrpHdr/CreDtTm"));
    for (xmlNode *pi = rpt->children; pi && !rc; pi = pi->next) {
        if (!is(pi, "OrgnlPmtInfAndSts"))
            continue;
        for (xmlNode *t = pi->children; t && !rc; t = t->next) {
            if (!is(t, "TxInfAndSts"))
                continue;
            struct sepa_status st = {0};
            char sts[8];
            if (!text(child(t, "OrgnlEndToEndId"), st.end_to_end, sizeof st.end_to_end)) {
                rc = bad(err, "TxInfAndSts.OrgnlEndToEndId");
                break;
            }
            if (!text(child(t, "TxSts"), sts, sizeof sts)) {
                rc = bad(err, "TxInfAndSts.TxSts");
                break;
            }
            xmlNode *amt = path(t, "OrgnlTxRef/Amt/InstdAmt");
            st.amount = amt ? amount(amt) : 0;
            if (st.amount < 0) {
                rc = bad(err, "OrgnlTxRef.Amt.InstdAmt");
                break;
            }
            st.on = on;
            if (strcmp(sts, "RJCT") == 0) {
                st.booked = 0;
                text(path(t, "StsRsnInf/Rsn/Cd"), st.reason, sizeof st.reason);
            } else if (strcmp(sts, "ACSC") == 0) {
                st.booked = 1;
            } else {
                continue; /* ACCP, ACTC, PDNG: accepted, not yet paid */
            }
            rc = cb(arg, &st);
        }
    }
out:
    xmlFreeDoc(doc);
    return rc;
}
