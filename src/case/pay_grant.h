/*
 * pay_grant — the grant of a case as the payment rule sees it (rules/pay.h).
 *
 * Owns the mapping from a case_state to a pay_grant, nothing else: no rule is
 * computed here. Fails with LKS_EINVAL ("periode") when the case holds more grant
 * periods than PAY_MAX_PERIODS.
 */
#ifndef LKS_CASE_PAY_GRANT_H
#define LKS_CASE_PAY_GRANT_H

#include "base/err.h"
#include "case/model.h"
#include "rules/pay.h"

/* The grant of a case: its grant/revision decisions as periods (a revision ends the
 * previous period the day before it starts; one from the same day or earlier replaces
 * it), the placement as the contract (ended date wins over the planned end), the
 * placement's hours for every period (decisions carry no hours yet), the employer's
 * full-time hours, the person's birth date, suspensions when the case has them (none
 * yet). A case without a grant gives nperiods 0. */
int case_pay_grant(const struct case_state *cs, struct pay_grant *out, struct lks_err *err);

#endif
