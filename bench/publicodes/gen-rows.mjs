// Test-data generator for run.mjs: writes N varied input rows and, as the
// expected totals, the result of an independent exact reference (BigInt cents,
// half-up rounding after every step) reading the same rules/*.tsv tables; '-'
// where the input is refused (a flat rate before 2016-07-04, or no sector hours
// where they change the amount).
//
//   node gen-rows.mjs N OUT_INPUT.tsv OUT_EXPECTED.txt [SEED]
//
// This only checks the publicodes model when the C engine's output is not at
// hand; the real benchmark uses the C engine's totals as EXPECTED.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readTable, DEFAULT_RULES_DIR } from './model.mjs';

// Decimal string to a BigInt scaled by 10^scale (exact; rejects extra digits).
function scaled(str, scale) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(str);
  if (!m) throw new Error(`bad decimal '${str}'`);
  const frac = m[2] ?? '';
  if (frac.length > scale) throw new Error(`too many decimals in '${str}'`);
  return BigInt(m[1] + frac.padEnd(scale, '0'));
}

// round(n / d) half up, for n >= 0 and d > 0.
const roundDiv = (n, d) => (2n * n + d) / (2n * d);

// Table row in force on an ISO date (rows sorted ascending by 'from').
function inForce(rows, iso) {
  let found = null;
  for (const r of rows) if (r.from <= iso) found = r;
  if (!found) throw new Error(`no table row for ${iso}`);
  return found;
}

function reference(tables, row) {
  const { wml, youth, allowance, lks } = tables;
  const w = inForce(wml, row.peildatum);
  const p = inForce(lks, row.peildatum);
  const fixedDivisor = p.deler === 'sector' ? 0n : scaled(p.deler, 2);
  const uren = scaled(row.uren, 2);
  // refused: no flat rate in this row; no sector hours where they change the amount
  if (row.forfaitair === '1' && scaled(p.forfait, 2) === 0n) return '-';
  if (row.voltijduren === '' && (fixedDivisor === 0n || uren > fixedDivisor)) return '-';
  let wmlC = scaled(w.month, 2);
  if (row.leeftijd !== '' && Number(row.leeftijd) < Number(w.full_age)) {
    // a multiple of the row's unit (5 cents before 2024: Besluit minimumjeugdloon art. 2 lid 2)
    const col = String(Math.min(Number(row.leeftijd), 22));
    const unit = scaled(p.afronding_jeugdloon, 2);
    wmlC = roundDiv(wmlC * scaled(inForce(youth, row.peildatum)[col], 2), 10000n * unit) * unit;
  }
  const base = roundDiv(wmlC * (10000n + scaled(p.vakantiebijslag, 2)), 10000n);
  let wage;
  if (row.forfaitair === '1') {
    wage = roundDiv(base * scaled(p.forfait, 2), 10000n);
  } else {
    let pct = 10000n - scaled(row.loonwaarde, 2);
    const cap = scaled(p.max, 2);
    if (pct > cap) pct = cap;
    wage = roundDiv(base * pct, 10000n);
  }
  const voltijd = row.voltijduren === '' ? uren : scaled(row.voltijduren, 2); // unknown: all hours
  const hours = uren < voltijd ? uren : voltijd;
  const divisor = fixedDivisor === 0n ? voltijd : fixedDivisor;
  const subsidy = roundDiv(wage * hours, divisor);
  const extra = roundDiv(subsidy * scaled(inForce(allowance, row.peildatum).percent, 2), 10000n);
  return subsidy + extra;
}

// Small seeded PRNG (xorshift32), so runs are reproducible.
function prng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const isoOf = (ms) => new Date(ms).toISOString().slice(0, 10);
const dayMs = 86400000;

function main() {
  const [nArg, inFile, expFile, seedArg] = process.argv.slice(2);
  if (!nArg || !inFile || !expFile) {
    console.error('usage: node gen-rows.mjs N OUT_INPUT.tsv OUT_EXPECTED.txt [SEED]');
    process.exit(2);
  }
  const n = Number(nArg);
  const rnd = prng(Number(seedArg ?? 20260101));
  const byFrom = (a, b) => (a.from < b.from ? -1 : 1);
  const dir = DEFAULT_RULES_DIR;
  const tables = {
    wml: readTable(path.join(dir, 'wml.tsv')).sort(byFrom),
    youth: readTable(path.join(dir, 'wml_youth.tsv')).sort(byFrom),
    allowance: readTable(path.join(dir, 'allowance.tsv')).sort(byFrom),
    lks: readTable(path.join(dir, 'lks.tsv')).sort(byFrom),
  };
  const start = Date.UTC(2015, 0, 1);
  const end = Date.UTC(2026, 5, 30);
  const boundaries = [...tables.wml, ...tables.lks].map((r) => Date.parse(`${r.from}T00:00:00Z`));

  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  // A decimal in [lo, hi] with 0, 1 or 2 decimals.
  const dec = (lo, hi) => {
    const places = int(0, 2);
    const f = 10 ** places;
    return (int(lo * f, hi * f) / f).toFixed(places);
  };

  const header = 'peildatum\tloonwaarde\turen\tvoltijduren\tleeftijd\tforfaitair';
  const inputs = [header];
  const totals = [];
  for (let i = 0; i < n; i++) {
    let ms;
    if (rnd() < 0.1) {
      // Around a table boundary (the day before or the day itself).
      const b = boundaries[int(0, boundaries.length - 1)] - int(0, 1) * dayMs;
      ms = Math.min(Math.max(b, start), end);
    } else {
      ms = start + int(0, (end - start) / dayMs) * dayMs;
    }
    const voltijd = rnd() < 0.6 ? ['36', '38', '40'][int(0, 2)] : dec(24, 40);
    const row = {
      peildatum: isoOf(ms),
      loonwaarde: rnd() < 0.2 ? String(int(0, 100)) : dec(0, 100),
      uren: rnd() < 0.2 ? voltijd : dec(1, 45),
      voltijduren: rnd() < 0.15 ? '' : voltijd, // sometimes not known
      leeftijd: rnd() < 0.5 ? '' : String(rnd() < 0.6 ? int(15, 23) : int(24, 70)),
      forfaitair: rnd() < 0.2 ? '1' : '0',
    };
    inputs.push(Object.values(row).join('\t'));
    totals.push(reference(tables, row).toString());
  }
  writeFileSync(inFile, `${inputs.join('\n')}\n`);
  writeFileSync(expFile, `${totals.join('\n')}\n`);
}

main();
