/*
 * schema — the numbered migrations of the SQLite store, as SQL text.
 *
 * store_schema_migrations[i] takes a database from version i to version i + 1;
 * sqlite.c runs each one in its own transaction and records it in the
 * schema_version table, so a migration is applied exactly once. A migration
 * is never edited after it has shipped: a change to the schema is a new entry
 * at the end. The text is owned by this file (static storage); nothing here
 * can fail, SQLite reports a faulty migration when sqlite.c runs it.
 *
 * Conventions the engine relies on:
 * - every table is STRICT, so a TEXT can never end up in an INTEGER column;
 * - every row of case data carries tenant_id (also events and child rows), so
 *   each query can and does filter by tenant;
 * - dates are INTEGER day numbers (NULL = LKS_NO_DATE), money INTEGER cents,
 *   booleans INTEGER 0/1, enums INTEGER except the case status, which is kept
 *   by name so a reordering of enum case_status cannot silently move cases;
 * - events are append-only: triggers refuse UPDATE and DELETE, whatever the
 *   client.
 * Tenants are not referenced by foreign keys from case data on purpose: the
 * application decides which tenants exist; the store only scopes by code.
 */

#include <stddef.h>

/* Defined here, declared in sqlite.c (private to the engine, hence no header).
 * A migration is a NULL-terminated list of statements run in one transaction. */
extern const char *const *const store_schema_migrations[];
extern const int store_schema_nmigrations;

/* 1: the initial schema. */
static const char *const migration_1[] = {
    "CREATE TABLE tenants ("
    "  code TEXT PRIMARY KEY NOT NULL,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('gemeente', 'servicepunt'))"
    ") STRICT;",

    /* A service point spans municipalities. */
    "CREATE TABLE tenant_links ("
    "  servicepunt TEXT NOT NULL REFERENCES tenants(code),"
    "  gemeente TEXT NOT NULL REFERENCES tenants(code),"
    "  PRIMARY KEY (servicepunt, gemeente)"
    ") STRICT, WITHOUT ROWID;",

    "CREATE TABLE policies ("
    "  tenant_id TEXT NOT NULL,"
    "  from_date INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  value INTEGER NOT NULL,"
    "  PRIMARY KEY (tenant_id, from_date, key)"
    ") STRICT, WITHOUT ROWID;",

    /* Ids that must never be handed out twice, even after a rollback of a
     * later transaction (max(id) + 1 would reuse ids across concurrent callers). */
    "CREATE TABLE counters ("
    "  name TEXT PRIMARY KEY NOT NULL,"
    "  value INTEGER NOT NULL"
    ") STRICT;",
    "INSERT INTO counters (name, value) VALUES ('case', 0);",

    /* bsn is NULL for a person without one yet: such a person gets a row of
     * its own per case instead of being merged with every other empty BSN.
     * UNIQUE (tenant_id, bsn) is also the lookup index by BSN. */
    "CREATE TABLE persons ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  bsn TEXT,"
    "  name TEXT NOT NULL,"
    "  birth INTEGER,"
    "  sex INTEGER NOT NULL,"
    "  address TEXT NOT NULL,"
    "  postcode TEXT NOT NULL,"
    "  city TEXT NOT NULL,"
    "  household INTEGER NOT NULL,"
    "  benefit INTEGER NOT NULL,"
    "  benefit_start INTEGER,"
    "  wsw INTEGER NOT NULL CHECK (wsw IN (0, 1)),"
    "  UNIQUE (tenant_id, bsn)"
    ") STRICT;",

    "CREATE TABLE employers ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  kvk TEXT,"
    "  name TEXT NOT NULL,"
    "  address TEXT NOT NULL,"
    "  postcode TEXT NOT NULL,"
    "  city TEXT NOT NULL,"
    "  iban TEXT NOT NULL,"
    "  employees INTEGER NOT NULL,"
    "  fulltime_hours INTEGER NOT NULL,"
    "  own_insurance INTEGER NOT NULL CHECK (own_insurance IN (0, 1)),"
    "  UNIQUE (tenant_id, kvk)"
    ") STRICT;",

    "CREATE TABLE cases ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  person_id INTEGER NOT NULL REFERENCES persons(id),"
    "  employer_id INTEGER NOT NULL REFERENCES employers(id),"
    "  status TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  case_worker TEXT NOT NULL,"
    "  applicant TEXT NOT NULL,"
    "  applied INTEGER,"
    "  complete INTEGER,"
    "  info_requested INTEGER,"
    "  info_wait_days INTEGER NOT NULL,"
    "  missing TEXT NOT NULL," /* JSON array of strings */
    "  pl_start INTEGER,"
    "  pl_end INTEGER,"
    "  pl_hours INTEGER NOT NULL,"
    "  pl_wage INTEGER NOT NULL,"
    "  pl_job_title TEXT NOT NULL,"
    "  pl_staff_number TEXT NOT NULL,"
    "  pl_kind INTEGER NOT NULL,"
    "  pl_ended INTEGER,"
    "  pl_end_reason TEXT NOT NULL,"
    "  test_done INTEGER NOT NULL CHECK (test_done IN (0, 1)),"
    "  test_voluntary INTEGER NOT NULL CHECK (test_voluntary IN (0, 1)),"
    "  test_started INTEGER,"
    "  test_decided INTEGER,"
    "  test_outcome INTEGER NOT NULL,"
    "  test_limitation INTEGER NOT NULL,"
    "  test_explanation TEXT NOT NULL,"
    "  forfait INTEGER NOT NULL CHECK (forfait IN (0, 1)),"
    "  forfait_from INTEGER,"
    "  decision_basis INTEGER,"
    "  closed INTEGER,"
    "  close_reason TEXT NOT NULL"
    ") STRICT;",

    /* Child rows: position idx in the case's array, then the struct's fields. */
    "CREATE TABLE measurements ("
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  idx INTEGER NOT NULL,"
    "  method INTEGER NOT NULL,"
    "  expert TEXT NOT NULL,"
    "  requested INTEGER,"
    "  measured INTEGER,"
    "  reported INTEGER,"
    "  loonwaarde INTEGER NOT NULL,"
    "  reference_job TEXT NOT NULL,"
    "  report_doc TEXT NOT NULL,"
    "  cost INTEGER NOT NULL,"
    "  next_date INTEGER,"
    "  PRIMARY KEY (case_id, idx)"
    ") STRICT, WITHOUT ROWID;",

    "CREATE TABLE decisions ("
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  idx INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  sent INTEGER,"
    "  from_date INTEGER,"
    "  to_date INTEGER,"
    "  peildatum INTEGER,"
    "  loonwaarde INTEGER NOT NULL,"
    "  amount INTEGER NOT NULL,"
    "  subsidy INTEGER NOT NULL,"
    "  allowance INTEGER NOT NULL,"
    "  objection_due INTEGER,"
    "  reason TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, idx)"
    ") STRICT, WITHOUT ROWID;",

    "CREATE TABLE payments ("
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  idx INTEGER NOT NULL,"
    "  month INTEGER,"
    "  amount INTEGER NOT NULL,"
    "  paid INTEGER,"
    "  PRIMARY KEY (case_id, idx)"
    ") STRICT, WITHOUT ROWID;",

    "CREATE TABLE provisions ("
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  idx INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  start INTEGER,"
    "  end_date INTEGER,"
    "  hours INTEGER NOT NULL,"
    "  cost INTEGER NOT NULL,"
    "  ended INTEGER,"
    "  end_reason TEXT NOT NULL,"
    "  motivation TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, idx)"
    ") STRICT, WITHOUT ROWID;",

    "CREATE TABLE objections ("
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  idx INTEGER NOT NULL,"
    "  received INTEGER,"
    "  due INTEGER,"
    "  committee INTEGER NOT NULL CHECK (committee IN (0, 1)),"
    "  deferred INTEGER NOT NULL CHECK (deferred IN (0, 1)),"
    "  decided INTEGER,"
    "  outcome TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, idx)"
    ") STRICT, WITHOUT ROWID;",

    "CREATE TABLE costs ("
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  idx INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  date INTEGER,"
    "  amount INTEGER NOT NULL,"
    "  what TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, idx)"
    ") STRICT, WITHOUT ROWID;",

    /* pos is the position in the list case_deadlines() returned; idx is the
     * deadline's own index (which decision/objection/measurement, or -1).
     * The key is the position because nothing guarantees (kind, idx) unique. */
    "CREATE TABLE deadlines ("
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  pos INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  idx INTEGER NOT NULL,"
    "  start INTEGER,"
    "  due INTEGER,"
    "  done INTEGER,"
    "  PRIMARY KEY (case_id, pos)"
    ") STRICT, WITHOUT ROWID;",

    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  seq INTEGER NOT NULL,"
    "  type TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  date INTEGER,"
    "  actor TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  data TEXT NOT NULL,"
    "  UNIQUE (case_id, seq)"
    ") STRICT;",

    /* The database itself keeps the event stream immutable. */
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events zijn onveranderlijk'); END;",
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events zijn onveranderlijk'); END;",

    /* Work lists. persons (tenant_id, bsn) and employers (tenant_id, kvk) are
     * indexed by their UNIQUE constraints. */
    /* (tenant_id) is (tenant_id, id) to SQLite: keyset pages of one tenant in id order. */
    "CREATE INDEX cases_tenant ON cases (tenant_id);",
    "CREATE INDEX cases_status ON cases (tenant_id, status);",
    "CREATE INDEX cases_worker ON cases (tenant_id, case_worker);",
    "CREATE INDEX cases_employer ON cases (tenant_id, employer_id);",
    "CREATE INDEX cases_person ON cases (tenant_id, person_id);",
    "CREATE INDEX deadlines_open ON deadlines (tenant_id, due) WHERE done IS NULL;",
    /* Deadlines met after a given day still count as open on that day. */
    "CREATE INDEX deadlines_done ON deadlines (tenant_id, done) WHERE done IS NOT NULL;",
    NULL,
};

/* 2: identity (users, sessions, API tokens) and the processing log. */
static const char *const migration_2[] = {
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  name TEXT NOT NULL UNIQUE," /* login names are unique across tenants */
    "  display TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  kvk TEXT NOT NULL,"      /* werkgever: the employer it represents, else '' */
    "  password TEXT NOT NULL," /* Argon2id string (crypto_pwhash_str) */
    "  active INTEGER NOT NULL CHECK (active IN (0, 1)),"
    "  failures INTEGER NOT NULL,"    /* failed logins in a row */
    "  locked_until INTEGER NOT NULL" /* seconds since the epoch, 0 = not locked */
    ") STRICT;",

    /* Only hashes of session tokens are kept: a stolen database gives no sessions. */
    "CREATE TABLE sessions ("
    "  hash BLOB PRIMARY KEY NOT NULL,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  csrf TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL"
    ") STRICT, WITHOUT ROWID;",

    "CREATE TABLE api_tokens ("
    "  hash BLOB PRIMARY KEY NOT NULL,"
    "  user_id INTEGER NOT NULL REFERENCES users(id),"
    "  label TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  revoked INTEGER NOT NULL CHECK (revoked IN (0, 1))"
    ") STRICT, WITHOUT ROWID;",

    /* Verwerkingenlogging (VNG fields); append-only like the events. */
    "CREATE TABLE processing_log ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  at_us INTEGER NOT NULL,"
    "  action TEXT NOT NULL,"
    "  user TEXT NOT NULL,"
    "  system TEXT NOT NULL,"
    "  bsn TEXT NOT NULL,"
    "  object TEXT NOT NULL,"
    "  kinds TEXT NOT NULL,"
    "  purpose TEXT NOT NULL,"
    "  confidentiality TEXT NOT NULL,"
    "  retention_years INTEGER NOT NULL,"
    "  request_id TEXT NOT NULL"
    ") STRICT;",
    "CREATE INDEX processing_log_tenant ON processing_log (tenant_id, at_us);",
    "CREATE INDEX processing_log_bsn ON processing_log (tenant_id, bsn, at_us);",
    "CREATE TRIGGER processing_log_no_update BEFORE UPDATE ON processing_log"
    " BEGIN SELECT RAISE(ABORT, 'de verwerkingenlog is onveranderlijk'); END;",
    "CREATE TRIGGER processing_log_no_delete BEFORE DELETE ON processing_log"
    " BEGIN SELECT RAISE(ABORT, 'de verwerkingenlog is onveranderlijk'); END;",
    NULL,
};

/*
 * 3: employers as master data of their own. Their record changes only through its
 * own events (employer_events, append-only like a case's), an IBAN change waits in
 * the record until a financieel confirms it, and a payment keeps the account it went
 * to. Each employer already stored is taken over as it was, with one event that
 * says so (werkgever-overgenomen), so its record still rebuilds from its events.
 */
static const char *const migration_3[] = {
    "ALTER TABLE employers ADD COLUMN iban_proposed TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE employers ADD COLUMN iban_proposed_by TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE employers ADD COLUMN iban_proposed_on INTEGER;",
    "ALTER TABLE employers ADD COLUMN version INTEGER NOT NULL DEFAULT 0;",
    "ALTER TABLE payments ADD COLUMN iban TEXT NOT NULL DEFAULT '';",
    "CREATE TABLE employer_events ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  employer_id INTEGER NOT NULL REFERENCES employers(id),"
    "  seq INTEGER NOT NULL,"
    "  type TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  date INTEGER,"
    "  actor TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL," /* the case whose form gave it, or 0 */
    "  data TEXT NOT NULL,"
    "  UNIQUE (employer_id, seq)"
    ") STRICT;",
    "CREATE TRIGGER employer_events_no_update BEFORE UPDATE ON employer_events"
    " BEGIN SELECT RAISE(ABORT, 'events zijn onveranderlijk'); END;",
    "CREATE TRIGGER employer_events_no_delete BEFORE DELETE ON employer_events"
    " BEGIN SELECT RAISE(ABORT, 'events zijn onveranderlijk'); END;",
    "INSERT INTO employer_events(tenant_id,employer_id,seq,type,at,date,actor,role,case_id,data)"
    " SELECT tenant_id, id, 1, 'werkgever-overgenomen', CAST(strftime('%s','now') AS INTEGER),"
    " CAST(julianday('now') - 2440587.5 AS INTEGER), 'schemaversie-3', 'systeem', 0,"
    " json_object('kvk', kvk, 'naam', name, 'adres', address, 'postcode', postcode,"
    "  'plaats', city, 'iban', iban, 'aantalWerknemers', employees,"
    "  'voltijduren', printf('%d.%02d', fulltime_hours / 100, fulltime_hours % 100),"
    "  'eigenVerzuimverzekering', json(CASE own_insurance WHEN 1 THEN 'true' ELSE 'false' END))"
    " FROM employers;",
    "UPDATE employers SET version = 1;",
    NULL,
};

/* 4: rule rows an operator added (rule tables in the store, for every server at once).
 * Append-only like the events: a correction is a new row with the same date. The cells
 * are a JSON object of the table's columns (e.g. {"month":"2338.20",...}), the source
 * says where the figures are published, added_by is the login name of who added it. */
static const char *const migration_4[] = {
    "CREATE TABLE rule_rows ("
    "  id INTEGER PRIMARY KEY,"
    "  rule_table TEXT NOT NULL CHECK (rule_table IN ('wml', 'wml_youth', 'allowance', 'lks')),"
    "  from_date INTEGER NOT NULL,"
    /* an object; json_valid() cannot be used here: JSON functions are not trusted in
     * the schema (trusted_schema is off) */
    "  cells TEXT NOT NULL CHECK (cells LIKE '{%}'),"
    "  source TEXT NOT NULL CHECK (length(trim(source)) > 0),"
    "  added_by TEXT NOT NULL REFERENCES users(name),"
    "  added_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE TRIGGER rule_rows_no_update BEFORE UPDATE ON rule_rows"
    " BEGIN SELECT RAISE(ABORT, 'regels in de opslag zijn onveranderlijk'); END;",
    "CREATE TRIGGER rule_rows_no_delete BEFORE DELETE ON rule_rows"
    " BEGIN SELECT RAISE(ABORT, 'regels in de opslag zijn onveranderlijk'); END;",
    NULL,
};

/*
 * 5: one normal form for a BSN, 9 digits (docs/rules.md). An 8-digit BSN read with its
 * leading zero is the same person as the 9-digit one: cases of a person stored under both
 * forms go to the 9-digit record, the other record goes, and every other 8-digit one gets
 * its zero. The events keep what was typed; they are read in the normal form.
 */
static const char *const migration_5[] = {
    "UPDATE cases SET person_id = (SELECT q.id FROM persons p JOIN persons q"
    " ON q.tenant_id = p.tenant_id AND q.bsn = '0' || p.bsn WHERE p.id = cases.person_id)"
    " WHERE person_id IN (SELECT p.id FROM persons p JOIN persons q"
    " ON q.tenant_id = p.tenant_id AND q.bsn = '0' || p.bsn WHERE length(p.bsn) = 8);",
    "DELETE FROM persons WHERE length(bsn) = 8 AND EXISTS (SELECT 1 FROM persons q"
    " WHERE q.tenant_id = persons.tenant_id AND q.bsn = '0' || persons.bsn);",
    "UPDATE persons SET bsn = '0' || bsn WHERE length(bsn) = 8;",
    NULL,
};

/*
 * 6: idempotency keys (docs/api.md): per user and key, a hash of the request it came with
 * and, once known, its answer, so that a repeated POST gets its first answer instead of a
 * second case or payment. Kept a day.
 */
static const char *const migration_6[] = {
    "CREATE TABLE idempotency_keys ("
    "  user_name TEXT NOT NULL,"
    "  idem_key TEXT NOT NULL,"
    "  hash TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  status INTEGER NOT NULL," /* 0 while the answer is not recorded */
    "  case_id INTEGER NOT NULL,"
    "  content_type TEXT NOT NULL,"
    "  location TEXT NOT NULL,"
    "  bsn TEXT NOT NULL,"
    "  object TEXT NOT NULL,"
    "  body BLOB,"
    "  PRIMARY KEY (user_name, idem_key)"
    ") STRICT, WITHOUT ROWID;",
    "CREATE INDEX idempotency_keys_created ON idempotency_keys (user_name, created);",
    NULL,
};

/*
 * 7: persons as records of their own, like employers (migration 3): their data changes
 * only through their own events (person_events, append-only), so that one party's form
 * never changes what another party's case shows. Each person already stored is taken
 * over as it was, with one event that says so (persoon-overgenomen).
 */
static const char *const migration_7[] = {
    "ALTER TABLE persons ADD COLUMN version INTEGER NOT NULL DEFAULT 0;",
    "CREATE TABLE person_events ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  person_id INTEGER NOT NULL REFERENCES persons(id),"
    "  seq INTEGER NOT NULL,"
    "  type TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  date INTEGER,"
    "  actor TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL,"
    "  data TEXT NOT NULL,"
    "  UNIQUE (person_id, seq)"
    ") STRICT;",
    "CREATE TRIGGER person_events_no_update BEFORE UPDATE ON person_events"
    " BEGIN SELECT RAISE(ABORT, 'events zijn onveranderlijk'); END;",
    "CREATE TRIGGER person_events_no_delete BEFORE DELETE ON person_events"
    " BEGIN SELECT RAISE(ABORT, 'events zijn onveranderlijk'); END;",
    "INSERT INTO person_events(tenant_id,person_id,seq,type,at,date,actor,role,case_id,data)"
    " SELECT tenant_id, id, 1, 'persoon-overgenomen', CAST(strftime('%s','now') AS INTEGER),"
    " CAST(julianday('now') - 2440587.5 AS INTEGER), 'schemaversie-7', 'systeem', 0,"
    " json_object('bsn', coalesce(bsn, ''), 'naam', name,"
    "  'geboortedatum', CASE WHEN birth IS NULL THEN NULL ELSE date(birth * 86400, 'unixepoch') "
    "END,"
    "  'geslacht', CASE sex WHEN 1 THEN 'm' WHEN 2 THEN 'v' ELSE 'onbekend' END,"
    "  'adres', address, 'postcode', postcode, 'woonplaats', city,"
    "  'huishouden', CASE household WHEN 1 THEN 'alleenstaande-ouder' WHEN 2 THEN 'gehuwd'"
    "   ELSE 'alleenstaand' END,"
    "  'uitkering', CASE benefit WHEN 1 THEN 'participatiewet' WHEN 2 THEN 'ww' WHEN 3 THEN"
    "   'wajong' WHEN 4 THEN 'anders' ELSE 'geen' END,"
    "  'uitkeringSinds', CASE WHEN benefit_start IS NULL THEN NULL"
    "   ELSE date(benefit_start * 86400, 'unixepoch') END,"
    "  'wswIndicatie', json(CASE wsw WHEN 1 THEN 'true' ELSE 'false' END))"
    " FROM persons;",
    "UPDATE persons SET version = 1;",
    NULL,
};

/*
 * 8: drafts of a long form (the application form in steps, web/p_aanvraag.c): a user's own,
 * within one municipality and, for an employer user, its company; the form's fields as
 * JSON text, at most 64 KiB. A draft is no case: it is deleted when its case is made, in
 * the same transaction.
 */
static const char *const migration_8[] = {
    "CREATE TABLE drafts ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  owner TEXT NOT NULL," /* the user's login name */
    "  kvk TEXT,"            /* an employer user's company, else NULL */
    "  kind TEXT NOT NULL CHECK (kind IN ('aanvraag')),"
    "  data TEXT NOT NULL CHECK (length(CAST(data AS BLOB)) <= 65536),"
    "  created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL"
    ") STRICT;",
    "CREATE INDEX drafts_owner ON drafts (tenant_id, owner, updated);",
    NULL,
};

/*
 * 9: documents of a case (the employment contract, a wage-value report, other), uploaded
 * by an employer or a case worker: the bytes with their checked type, size and SHA-256.
 * Rows are only added; every read is scoped by tenant.
 */
static const char *const migration_9[] = {
    "CREATE TABLE documents ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('arbeidsovereenkomst', 'loonwaarderapport', 'overig')),"
    "  file_name TEXT NOT NULL,"
    "  content_type TEXT NOT NULL"
    "   CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),"
    "  size INTEGER NOT NULL CHECK (size > 0 AND size <= 10485760),"
    "  sha256 TEXT NOT NULL,"
    "  content BLOB NOT NULL,"
    "  uploaded_by TEXT NOT NULL,"
    "  uploaded_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE INDEX documents_case ON documents (tenant_id, case_id, id);",
    NULL,
};

/*
 * 10: what a municipality puts on its letters (letter_settings: name, address, logo, who
 * signs, where an objection goes, contact), and the letters as sent (letters): the PDF's
 * bytes with their SHA-256, one per case, kind, number and addressee, never changed.
 */
static const char *const migration_10[] = {
    "CREATE TABLE letter_settings ("
    "  tenant_id TEXT PRIMARY KEY NOT NULL,"
    "  name TEXT NOT NULL,"
    "  address TEXT NOT NULL,"
    "  postcode TEXT NOT NULL,"
    "  city TEXT NOT NULL,"
    "  signer TEXT NOT NULL,"
    "  signer_function TEXT NOT NULL,"
    "  objection_to TEXT NOT NULL,"
    "  objection_address TEXT NOT NULL,"
    "  contact TEXT NOT NULL,"
    "  logo_type TEXT NOT NULL CHECK (logo_type IN ('', 'png', 'svg')),"
    "  logo BLOB,"
    "  changed INTEGER NOT NULL,"
    "  changed_by TEXT NOT NULL"
    ") STRICT;",
    "CREATE TABLE letters ("
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  recipient TEXT NOT NULL CHECK (recipient IN ('werkgever', 'werknemer')),"
    "  sha256 TEXT NOT NULL,"
    "  bytes BLOB NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  PRIMARY KEY (tenant_id, case_id, kind, n, recipient)"
    ") STRICT;",
    "CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters"
    " BEGIN SELECT RAISE(ABORT, 'verzonden brieven zijn onveranderlijk'); END;",
    "CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters"
    " BEGIN SELECT RAISE(ABORT, 'verzonden brieven zijn onveranderlijk'); END;",
    NULL,
};

/*
 * 11: each case's most urgent open deadline on its row (next_kind, next_due: the open
 * deadline first by due date, ties by position; NULL when none is open), written with the
 * deadlines in the same transaction (rows.c, rows_save_deadlines), so that the work list
 * pages by index instead of looking up every case's deadlines. Taken over from the
 * deadline rows; the indexes by worker and by status replace those of migration 1 (each
 * was a prefix of its new one). lks controleer compares the row with the rebuilt one.
 */
static const char *const migration_11[] = {
    "ALTER TABLE cases ADD COLUMN next_kind INTEGER;",
    "ALTER TABLE cases ADD COLUMN next_due INTEGER;",
    "UPDATE cases SET (next_kind, next_due) = (SELECT d.kind, d.due FROM deadlines d"
    " WHERE d.case_id = cases.id AND d.done IS NULL ORDER BY d.due, d.pos LIMIT 1);",
    "DROP INDEX cases_status;",
    "DROP INDEX cases_worker;",
    "CREATE INDEX cases_next ON cases (tenant_id, next_due, id);",
    "CREATE INDEX cases_worker_next ON cases (tenant_id, case_worker, next_due, id);",
    "CREATE INDEX cases_status_next ON cases (tenant_id, status, next_due, id);",
    NULL,
};

/*
 * 12: saved filters of the work list (web/p_werk.c, app/app_filter.c): a user's own, within
 * one municipality, a name for the filter part of the werkvoorraad's URL (never a BSN: the
 * app refuses one). Unique per user by name.
 */
static const char *const migration_12[] = {
    "CREATE TABLE saved_filters ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  owner TEXT NOT NULL," /* the user's login name */
    "  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),"
    "  query TEXT NOT NULL CHECK (length(CAST(query AS BLOB)) < 512),"
    "  created INTEGER NOT NULL,"
    "  UNIQUE (tenant_id, owner, name)"
    ") STRICT;",
    NULL,
};

/*
 * 13: the payment run (issue 12). pay_runs: one per municipality and month, prepared and
 * approved by two users. pay_lines: what each run pays per case and month, with the
 * creditor as confirmed when prepared (IBAN, BIC, structured address), the decision
 * reference, the end-to-end id and the steps that explain the amount. A month of a case
 * is paid once: the unique index over the live lines (pending 0 or paid 1) refuses a
 * second, also from a second server; cancelled (3) and returned (2) lines free it. A line
 * never changes but for its status and status date; a paid line is never deleted and can
 * only be returned (the triggers). pay_settlements: the wage actually paid (vaststelling)
 * against what was due; pay_recoveries: what is claimed back (terugvordering), set off
 * against later payments only when the decision says so (Awb 4:93).
 */
static const char *const migration_13[] = {
    "CREATE TABLE pay_runs ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  month INTEGER NOT NULL,"
    "  status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 2),"
    "  prepared_by TEXT NOT NULL,"
    "  prepared_at INTEGER NOT NULL,"
    "  approved_by TEXT NOT NULL DEFAULT '',"
    "  approved_at INTEGER NOT NULL DEFAULT 0,"
    "  execution INTEGER"
    ") STRICT;",
    "CREATE INDEX pay_runs_tenant ON pay_runs (tenant_id, month, id);",
    "CREATE TABLE pay_lines ("
    "  run_id INTEGER NOT NULL REFERENCES pay_runs (id),"
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL,"
    "  month INTEGER NOT NULL,"
    "  amount INTEGER NOT NULL,"
    "  status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 3),"
    "  status_on INTEGER,"
    "  iban TEXT NOT NULL,"
    "  bic TEXT NOT NULL,"
    "  creditor TEXT NOT NULL,"
    "  street TEXT NOT NULL,"
    "  postcode TEXT NOT NULL,"
    "  town TEXT NOT NULL,"
    "  country TEXT NOT NULL,"
    "  reference TEXT NOT NULL,"
    "  end_to_end TEXT NOT NULL,"
    "  steps_json TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, case_id, month)"
    ") STRICT;",
    "CREATE UNIQUE INDEX pay_lines_live ON pay_lines (tenant_id, case_id, month)"
    " WHERE status IN (0, 1);",
    "CREATE INDEX pay_lines_e2e ON pay_lines (tenant_id, end_to_end);",
    "CREATE TRIGGER pay_lines_fixed BEFORE UPDATE OF run_id, tenant_id, case_id, month, amount,"
    " iban, bic, creditor, street, postcode, town, country, reference, end_to_end, steps_json"
    " ON pay_lines BEGIN SELECT RAISE(ABORT, 'betaalregels zijn onveranderlijk'); END;",
    "CREATE TRIGGER pay_lines_paid BEFORE UPDATE OF status ON pay_lines"
    " WHEN OLD.status IN (1, 2) AND NEW.status NOT IN (1, 2)"
    " BEGIN SELECT RAISE(ABORT, 'een betaalde regel kan alleen nog teruggeboekt worden'); END;",
    "CREATE TRIGGER pay_lines_no_delete BEFORE DELETE ON pay_lines WHEN OLD.status IN (1, 2)"
    " BEGIN SELECT RAISE(ABORT, 'betaalde regels worden niet verwijderd'); END;",
    "CREATE TABLE pay_settlements ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL,"
    "  from_date INTEGER NOT NULL,"
    "  to_date INTEGER NOT NULL,"
    "  hours INTEGER NOT NULL,"
    "  wage INTEGER NOT NULL,"
    "  due INTEGER NOT NULL,"
    "  paid INTEGER NOT NULL,"
    "  source TEXT NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE INDEX pay_settlements_case ON pay_settlements (tenant_id, case_id, id);",
    "CREATE TABLE pay_recoveries ("
    "  id INTEGER PRIMARY KEY,"
    "  tenant_id TEXT NOT NULL,"
    "  case_id INTEGER NOT NULL,"
    "  settlement_id INTEGER REFERENCES pay_settlements (id),"
    "  amount INTEGER NOT NULL,"
    "  decided_on INTEGER NOT NULL,"
    "  setoff INTEGER NOT NULL CHECK (setoff IN (0, 1)),"
    "  reference TEXT NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL"
    ") STRICT;",
    "CREATE INDEX pay_recoveries_case ON pay_recoveries (tenant_id, case_id, id);",
    "CREATE TABLE pay_settings ("
    "  tenant_id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  iban TEXT NOT NULL,"
    "  bic TEXT NOT NULL,"
    "  street TEXT NOT NULL,"
    "  postcode TEXT NOT NULL,"
    "  town TEXT NOT NULL,"
    "  country TEXT NOT NULL,"
    "  updated_by TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ") STRICT;",
    NULL,
};

const char *const *const store_schema_migrations[] = {
    migration_1, migration_2, migration_3,  migration_4,  migration_5,  migration_6, migration_7,
    migration_8, migration_9, migration_10, migration_11, migration_12, migration_13};

const int store_schema_nmigrations =
    (int)(sizeof store_schema_migrations / sizeof store_schema_migrations[0]);
