// Benchmark runner: evaluates the LKS publicodes model on every input row and
// compares the total with the C engine's.
//
//   node bench/publicodes/run.mjs INPUT.tsv EXPECTED.txt [LIMIT]
//
// INPUT.tsv:    header `peildatum loonwaarde uren voltijduren leeftijd forfaitair`
//               (tab separated), then one row per input.
//               voltijduren may be empty (not known).
// EXPECTED.txt: one integer (total in cents) per line, or '-' where the C engine
//               refuses the input (then the model must not give a total either).
// Prints one JSON line to stdout. Only the evaluation loop is timed.
// Environment: LKS_RULES_DIR overrides the rules/ directory of the repo.

import { readFileSync } from 'node:fs';
import Engine from 'publicodes';
import { buildRules, DEFAULT_RULES_DIR, pcDate } from './model.mjs';

const COLUMNS = ['peildatum', 'loonwaarde', 'uren', 'voltijduren', 'leeftijd', 'forfaitair'];

function fail(msg) {
  process.stderr.write(`run.mjs: ${msg}\n`);
  process.exit(2);
}

function readLines(file) {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/);
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
}

// Parse INPUT.tsv into raw rows (strings) and publicodes situations.
function readInput(file, limit) {
  const lines = readLines(file).filter((l) => l.trim() !== '');
  if (lines.length === 0) fail(`${file}: empty`);
  const header = lines[0].split('\t').map((h) => h.trim());
  const idx = COLUMNS.map((c) => header.indexOf(c));
  idx.forEach((j, k) => {
    if (j < 0) fail(`${file}: missing column '${COLUMNS[k]}'`);
  });
  const body = lines.slice(1, limit === undefined ? undefined : 1 + limit);
  const rows = [];
  const situations = [];
  body.forEach((line, i) => {
    const cells = line.split('\t');
    const raw = {};
    COLUMNS.forEach((c, k) => {
      raw[c] = (cells[idx[k]] ?? '').trim();
    });
    const where = `${file}: row ${i + 1}`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(raw.peildatum)) fail(`${where}: bad peildatum`);
    for (const c of ['loonwaarde', 'uren', 'voltijduren']) {
      // A flat-rate row needs no loonwaarde; the column may then be empty. The sector's
      // full-time hours may be unknown (empty).
      if (c === 'loonwaarde' && raw[c] === '' && raw.forfaitair === '1') continue;
      if (c === 'voltijduren' && raw[c] === '') continue;
      if (!/^\d+(\.\d{1,2})?$/.test(raw[c])) fail(`${where}: bad ${c} '${raw[c]}'`);
    }
    if (raw.leeftijd !== '' && !/^\d+$/.test(raw.leeftijd)) fail(`${where}: bad leeftijd`);
    if (raw.forfaitair !== '0' && raw.forfaitair !== '1') fail(`${where}: bad forfaitair`);

    const situation = {
      peildatum: pcDate(raw.peildatum),
      uren: Number(raw.uren),
      forfaitair: raw.forfaitair === '1' ? 'oui' : 'non',
    };
    if (raw.voltijduren !== '') situation.voltijduren = Number(raw.voltijduren);
    if (raw.loonwaarde !== '') situation.loonwaarde = Number(raw.loonwaarde);
    if (raw.leeftijd !== '') situation.leeftijd = Number(raw.leeftijd);
    rows.push(raw);
    situations.push(situation);
  });
  return { rows, situations };
}

function readExpected(file, n) {
  const values = readLines(file)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (values.length < n) fail(`${file}: ${values.length} values for ${n} rows`);
  return values.slice(0, n).map((v, i) => {
    if (v === '-') return null; // refused: no total
    if (!/^-?\d+$/.test(v)) fail(`${file}: line ${i + 1}: not an integer or '-'`);
    return Number(v);
  });
}

function main() {
  const [inputFile, expectedFile, limitArg] = process.argv.slice(2);
  if (!inputFile || !expectedFile) {
    fail('usage: node run.mjs INPUT.tsv EXPECTED.txt [LIMIT]');
  }
  let limit;
  if (limitArg !== undefined) {
    if (!/^\d+$/.test(limitArg)) fail(`bad LIMIT '${limitArg}'`);
    limit = Number(limitArg);
  }

  const { rows, situations } = readInput(inputFile, limit);
  const expected = readExpected(expectedFile, rows.length);
  const pkg = JSON.parse(
    readFileSync(new URL('./node_modules/publicodes/package.json', import.meta.url), 'utf8'),
  );

  // The engine (and the parse of the model) is built once, outside the timing.
  const engine = new Engine(buildRules(process.env.LKS_RULES_DIR || DEFAULT_RULES_DIR));

  const n = situations.length;
  const got = new Array(n);
  const errors = new Array(n);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    try {
      engine.setSituation(situations[i]);
      // not applicable (null) or not computable (undefined): no total
      got[i] = engine.evaluate('lks . totaal').nodeValue ?? null;
    } catch (e) {
      got[i] = undefined; // an error never agrees, not even with a refusal
      errors[i] = e.message;
    }
  }
  const t1 = process.hrtime.bigint();

  let mismatches = 0;
  let firstMismatch = null;
  for (let i = 0; i < n; i++) {
    if (got[i] !== expected[i]) {
      mismatches++;
      if (firstMismatch === null) {
        firstMismatch = { row: i + 1, input: rows[i], expected: expected[i], got: got[i] ?? null };
        if (errors[i]) firstMismatch.error = errors[i];
      }
    }
  }

  const seconds = Number(t1 - t0) / 1e9;
  const result = {
    engine: 'publicodes',
    version: pkg.version,
    n,
    seconds: Number(seconds.toFixed(6)),
    perSecond: seconds > 0 ? Math.round(n / seconds) : null,
    mismatches,
    firstMismatch,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
