/*
 * sepa — pain.001.001.09 and the SEPA character set (see sepa.h).
 *
 * The element order is the XSD's (ISO 20022 pain.001.001.09); every field is checked
 * before the first byte is written, so a failure leaves `out` as it was.
 */
#include "pay/sepa.h"

#include <stdio.h>
#include <string.h>

#include "base/ids.h"
#include "base/xw.h"

#ifndef LKS_NO_DATE
#define LKS_NO_DATE INT32_MIN /* as case/model.h */
#endif

/* Latin-1 letters U+00C0..U+00FF in the SEPA set ("" = '.'). */
static const char *const latin1[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",
    "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
};

static const char *other_letter(unsigned cp)
{
    switch (cp) {
    case 0x0152:
        return "OE";
    case 0x0153:
        return "oe";
    case 0x0160:
        return "S";
    case 0x0161:
        return "s";
    case 0x017D:
        return "Z";
    case 0x017E:
        return "z";
    case 0x0178:
        return "Y";
    case 0x0141:
        return "L";
    case 0x0142:
        return "l";
    case 0x0130:
        return "I";
    case 0x0131:
        return "i";
    case 0x010C:
        return "C";
    case 0x010D:
        return "c";
    case 0x0106:
        return "C";
    case 0x0107:
        return "c";
    case 0x011E:
        return "G";
    case 0x011F:
        return "g";
    case 0x015E:
        return "S";
    case 0x015F:
        return "s";
    case 0x0158:
        return "R";
    case 0x0159:
        return "r";
    case 0x011A:
        return "E";
    case 0x011B:
        return "e";
    case 0x0147:
        return "N";
    case 0x0148:
        return "n";
    case 0x0150:
        return "O";
    case 0x0151:
        return "o";
    case 0x0170:
        return "U";
    case 0x0171:
        return "u";
    default:
        return "";
    }
}

static int sepa_ascii(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("/-?:().,'+ ", c) != NULL;
}

size_t sepa_translit(const char *in, char *out, size_t n)
{
    if (n == 0)
        return 0;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)(in ? in : "");
    while (*p) {
        char one[2] = {0, 0};
        const char *rep = one;
        unsigned c = *p;
        size_t len = 1;
        if (c < 0x80) {
            one[0] = c == '&' ? '+' : (c != 0 && sepa_ascii((unsigned char)c)) ? (char)c : '.';
        } else {
            unsigned cp = 0;
            if (c >= 0xC2 && c <= 0xDF)
                len = 2, cp = c & 0x1F;
            else if (c >= 0xE0 && c <= 0xEF)
                len = 3, cp = c & 0x0F;
            else if (c >= 0xF0 && c <= 0xF4)
                len = 4, cp = c & 0x07;
            else
                len = 0;
            for (size_t i = 1; i < len; i++) {
                if ((p[i] & 0xC0) != 0x80) {
                    len = 0;
                    break;
                }
                cp = (cp << 6) | (p[i] & 0x3F);
            }
            if (len == 0) {
                len = 1; /* a bad byte: one '.' */
                one[0] = '.';
            } else if (cp >= 0xC0 && cp <= 0xFF) {
                rep = latin1[cp - 0xC0];
            } else {
                rep = other_letter(cp);
            }
            if (!*rep) {
                one[0] = '.';
                rep = one;
            }
        }
        size_t rl = rep[1] ? 2 : 1; /* every replacement is one or two letters */
        if (o + rl > n - 1)
            break;
        memcpy(out + o, rep, rl);
        o += rl;
        p += len;
    }
    out[o] = '\0';
    return o;
}

static int bad(struct lks_err *err, const char *field, const char *reason, const char *msg)
{
    return lks_err_set(err, LKS_EINVAL, field, reason, "%s: %s", field, msg);
}

static int bic_ok(const char *s)
{
    size_t n = strlen(s);
    if (n != 8 && n != 11)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int up = c >= 'A' && c <= 'Z', dig = c >= '0' && c <= '9';
        if (i < 6 ? !up : !(up || dig))
            return 0;
    }
    return 1;
}

static int country_ok(const char *s)
{
    return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 35 || s[0] == '/' || s[0] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!sepa_ascii((unsigned char)s[i]) || s[i] == ' ')
            return 0;
    return 1;
}

/* Check a party; prefix is "debtor" or "tx.N.creditor". */
static int party_check(const struct sepa_party *p, const char *prefix, int need_bic,
                       struct lks_err *err)
{
    char field[64], reason[IDS_REASON_MAX];
    if (!p->name[0]) {
        snprintf(field, sizeof field, "%s.name", prefix);
        return bad(err, field, "required", "naam ontbreekt");
    }
    if (!ids_iban_valid(p->iban, reason)) {
        snprintf(field, sizeof field, "%s.iban", prefix);
        return bad(err, field, "invalid-iban", "ongeldige IBAN");
    }
    if ((need_bic || p->bic[0]) && !bic_ok(p->bic)) {
        snprintf(field, sizeof field, "%s.bic", prefix);
        return bad(err, field, "invalid-bic", "ongeldige BIC");
    }
    if (!p->town[0]) {
        snprintf(field, sizeof field, "%s.town", prefix);
        return bad(err, field, "required", "plaats ontbreekt (gestructureerd adres)");
    }
    if (!country_ok(p->country)) {
        snprintf(field, sizeof field, "%s.country", prefix);
        return bad(err, field, "required", "landcode ontbreekt of ongeldig");
    }
    return 0;
}

static void money(char out[24], int64_t cents)
{
    snprintf(out, 24, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

static void elem_translit(struct xw *w, const char *name, const char *s, size_t max)
{
    char t[256];
    sepa_translit(s, t, max + 1 < sizeof t ? max + 1 : sizeof t);
    xw_elem(w, name, t);
}

static void party(struct xw *w, const char *tag, const struct sepa_party *p)
{
    xw_start(w, tag);
    elem_translit(w, "Nm", p->name, 70);
    xw_start(w, "PstlAdr");
    if (p->street[0])
        elem_translit(w, "StrtNm", p->street, 70);
    if (p->postcode[0])
        elem_translit(w, "PstCd", p->postcode, 16);
    elem_translit(w, "TwnNm", p->town, 35);
    xw_elem(w, "Ctry", p->country);
    xw_end(w, "PstlAdr");
    xw_end(w, tag);
}

static void account(struct xw *w, const char *tag, const char *iban)
{
    char norm[IDS_NORM_MAX], reason[IDS_REASON_MAX];
    ids_iban_normalize(iban, norm, reason);
    xw_start(w, tag);
    xw_start(w, "Id");
    xw_elem(w, "IBAN", norm);
    xw_end(w, "Id");
    xw_end(w, tag);
}

static void agent(struct xw *w, const char *tag, const char *bic)
{
    xw_start(w, tag);
    xw_start(w, "FinInstnId");
    xw_elem(w, "BICFI", bic);
    xw_end(w, "FinInstnId");
    xw_end(w, tag);
}

int sepa_pain001(const struct sepa_file *f, struct buf *out, struct lks_err *err)
{
    char field[64];
    if (f->ntx == 0)
        return bad(err, "tx", "empty", "geen betalingen");
    if (f->ntx > SEPA_MAX_TX)
        return bad(err, "tx", "too-many", "meer dan 100.000 betalingen in een bestand");
    if (!id_ok(f->msg_id))
        return bad(err, "msg_id", "invalid", "ongeldig berichtkenmerk");
    if (f->created < 0)
        return bad(err, "created", "invalid", "ongeldig tijdstip");
    int rc = party_check(&f->debtor, "debtor", 1, err);
    if (rc)
        return rc;
    int64_t total = 0;
    for (size_t i = 0; i < f->ntx; i++) {
        const struct sepa_tx *t = &f->tx[i];
        char prefix[48];
        snprintf(prefix, sizeof prefix, "tx.%zu.creditor", i);
        if ((rc = party_check(&t->creditor, prefix, 0, err)))
            return rc;
        if (!id_ok(t->end_to_end)) {
            snprintf(field, sizeof field, "tx.%zu.end_to_end", i);
            return bad(err, field, "invalid", "ongeldig end-to-end-kenmerk");
        }
        if (t->amount <= 0 || t->amount > 99999999999LL) {
            snprintf(field, sizeof field, "tx.%zu.amount", i);
            return bad(err, field, "out-of-range", "bedrag buiten bereik");
        }
        int y, m, d;
        if (t->execution == LKS_NO_DATE || (i > 0 && t->execution < f->tx[i - 1].execution)) {
            snprintf(field, sizeof field, "tx.%zu.execution", i);
            return bad(err, field, "invalid", "uitvoerdatum ontbreekt of niet oplopend");
        }
        date_to_ymd(t->execution, &y, &m, &d);
        if (y < 1000 || y > 9999) {
            snprintf(field, sizeof field, "tx.%zu.execution", i);
            return bad(err, field, "invalid", "uitvoerdatum buiten bereik");
        }
        total += t->amount;
    }

    size_t start_len = out->len;
    struct xw w;
    xw_init(&w, out, false);
    char s[64];
    xw_start(&w, "Document");
    xw_attr(&w, "xmlns", "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09");
    xw_start(&w, "CstmrCdtTrfInitn");
    xw_start(&w, "GrpHdr");
    xw_elem(&w, "MsgId", f->msg_id);
    {
        int64_t days = f->created / 86400, secs = f->created % 86400;
        int y, m, d;
        date_to_ymd(date_from_ymd(1970, 1, 1) + (lks_date)days, &y, &m, &d);
        snprintf(s, sizeof s, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(secs / 3600),
                 (int)(secs / 60 % 60), (int)(secs % 60));
        xw_elem(&w, "CreDtTm", s);
    }
    snprintf(s, sizeof s, "%zu", f->ntx);
    xw_elem(&w, "NbOfTxs", s);
    money(s, total);
    xw_elem(&w, "CtrlSum", s);
    xw_start(&w, "InitgPty");
    elem_translit(&w, "Nm", f->debtor.name, 70);
    xw_end(&w, "InitgPty");
    xw_end(&w, "GrpHdr");

    size_t i = 0;
    int block = 0;
    while (i < f->ntx) {
        size_t j = i;
        int64_t sum = 0;
        while (j < f->ntx && f->tx[j].execution == f->tx[i].execution)
            sum += f->tx[j++].amount;
        block++;
        xw_start(&w, "PmtInf");
        snprintf(s, sizeof s, "%.28s-%d", f->msg_id, block);
        xw_elem(&w, "PmtInfId", s);
        xw_elem(&w, "PmtMtd", "TRF");
        snprintf(s, sizeof s, "%zu", j - i);
        xw_elem(&w, "NbOfTxs", s);
        money(s, sum);
        xw_elem(&w, "CtrlSum", s);
        xw_start(&w, "PmtTpInf");
        xw_start(&w, "SvcLvl");
        xw_elem(&w, "Cd", "SEPA");
        xw_end(&w, "SvcLvl");
        xw_end(&w, "PmtTpInf");
        xw_start(&w, "ReqdExctnDt");
        char ds[DATE_FMT_MAX];
        xw_elem(&w, "Dt", date_fmt(ds, f->tx[i].execution));
        xw_end(&w, "ReqdExctnDt");
        party(&w, "Dbtr", &f->debtor);
        account(&w, "DbtrAcct", f->debtor.iban);
        agent(&w, "DbtrAgt", f->debtor.bic);
        xw_elem(&w, "ChrgBr", "SLEV");
        for (; i < j; i++) {
            const struct sepa_tx *t = &f->tx[i];
            xw_start(&w, "CdtTrfTxInf");
            xw_start(&w, "PmtId");
            xw_elem(&w, "EndToEndId", t->end_to_end);
            xw_end(&w, "PmtId");
            xw_start(&w, "Amt");
            xw_start(&w, "InstdAmt");
            xw_attr(&w, "Ccy", "EUR");
            money(s, t->amount);
            xw_text(&w, s);
            xw_end(&w, "InstdAmt");
            xw_end(&w, "Amt");
            if (t->creditor.bic[0])
                agent(&w, "CdtrAgt", t->creditor.bic);
            party(&w, "Cdtr", &t->creditor);
            account(&w, "CdtrAcct", t->creditor.iban);
            if (t->remittance[0]) {
                xw_start(&w, "RmtInf");
                elem_translit(&w, "Ustrd", t->remittance, 140);
                xw_end(&w, "RmtInf");
            }
            xw_end(&w, "CdtTrfTxInf");
        }
        xw_end(&w, "PmtInf");
    }
    xw_end(&w, "CstmrCdtTrfInitn");
    xw_end(&w, "Document");
    rc = xw_finish(&w);
    if (rc) {
        buf_truncate(out, start_len);
        return lks_err_set(err, rc, "file", w.why, "betaalbestand niet gemaakt: %s", w.why);
    }
    return 0;
}
