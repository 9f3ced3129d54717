"""payrun_copy.py DB K TENANT: copy the cases of TENANT K-1 times with new ids (offset
k * 1,000,000), each with its rows in the case's child tables, for the payment-run bench:
the run reads case rows and child tables, not events. Only for a benchmark store."""
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
k = int(sys.argv[2])
tenant = sys.argv[3]
ids = [r[0] for r in db.execute("SELECT id FROM cases WHERE tenant_id = ?", (tenant,))]
db.execute("CREATE TEMP TABLE src (id INTEGER PRIMARY KEY)")
db.executemany("INSERT INTO temp.src VALUES (?)", [(i,) for i in ids])


def cols(t):
    return [r[1] for r in db.execute(f"PRAGMA table_info({t})")]


for m in range(1, k):
    off = m * 1000000
    c = cols("cases")
    sel = ",".join(f"id + {off}" if x == "id" else x for x in c)
    db.execute(f"INSERT INTO cases ({','.join(c)}) SELECT {sel} FROM cases "
               "WHERE id IN (SELECT id FROM temp.src)")
    for t in ["measurements", "decisions", "payments", "provisions", "objections", "costs",
              "deadlines"]:
        c = cols(t)
        sel = ",".join(f"case_id + {off}" if x == "case_id" else x for x in c)
        db.execute(f"INSERT INTO {t} ({','.join(c)}) SELECT {sel} FROM {t} "
                   "WHERE case_id IN (SELECT id FROM temp.src)")
db.commit()
