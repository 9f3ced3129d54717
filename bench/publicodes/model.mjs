// Publicodes model of the loonkostensubsidie (LKS), generated from the repo's
// rule tables (rules/*.tsv) so that the tables keep a single source.
//
// Exactness: publicodes computes with binary floating point. To stay exact to
// the cent, every amount is kept in whole cents and every decimal quantity in
// integer hundredths: table cells are converted exactly (on their digits) when
// the rules are generated (euros -> cents, percent -> basis points, hours ->
// hundredths), and the decimal inputs (loonwaarde, hours) are normalised in the
// model with `arrondi(x * 100)`. Each rounded step is then one integer product
// divided once by an integer, so the float result is the correctly rounded
// quotient: exactly k + 0.5 for a true half-cent tie, which `arrondi: oui`
// (Math.round) rounds up, and far from a tie otherwise. Values are >= 0.
//
// Usage as a script: `node model.mjs [RULES_DIR]` prints the generated rule
// set as JSON, for inspection.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const DEFAULT_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

// Read a TSV table: '#' lines are comments, the first other line is the header.
// Returns an array of objects keyed by header name (values kept as strings).
export function readTable(file) {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length < 2) throw new Error(`${file}: no data rows`);
  const header = lines[0].split('\t').map((h) => h.trim());
  return lines.slice(1).map((line, i) => {
    const cells = line.split('\t');
    const row = {};
    header.forEach((h, j) => {
      row[h] = (cells[j] ?? '').trim();
    });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.from)) {
      throw new Error(`${file}: data row ${i + 1}: bad 'from' date '${row.from}'`);
    }
    return row;
  });
}

// ISO date (YYYY-MM-DD) to a publicodes date literal (DD/MM/YYYY).
export function pcDate(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

// Last day of the half-year containing an ISO date.
function halfYearEnd(iso) {
  const [y, m] = iso.split('-').map(Number);
  return m <= 6 ? `${y}-06-30` : `${y}-12-31`;
}

// A decimal table cell as an exact integer count of 1/10^scale units, done on
// the digits (no floating point): fixed(f, '2294.40', 2) === '229440'.
function fixed(file, cell, scale) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(cell);
  if (!m || (m[2] ?? '').length > scale) throw new Error(`${file}: bad number '${cell}'`);
  return String(BigInt(m[1] + (m[2] ?? '').padEnd(scale, '0')));
}

// `variations` picking, for the peildatum, the value of the table row in force.
// Rows are tested newest first; a date before the first row has no value.
function byPeildatum(rows, valueOf) {
  const sorted = [...rows].sort((a, b) => (a.from < b.from ? 1 : a.from > b.from ? -1 : 0));
  return {
    variations: [
      ...sorted.map((row) => ({ si: `peildatum >= ${pcDate(row.from)}`, alors: valueOf(row) })),
      { sinon: 'non' },
    ],
  };
}

export function buildRules(rulesDir = DEFAULT_RULES_DIR) {
  const file = (name) => path.join(rulesDir, name);
  const wml = readTable(file('wml.tsv'));
  const youth = readTable(file('wml_youth.tsv'));
  const allowance = readTable(file('allowance.tsv'));
  const params = readTable(file('lks.tsv'));

  // Validity window: from the first WML row to the end of the last row's half-year.
  const froms = wml.map((r) => r.from).sort();
  const firstDay = froms[0];
  const lastDay = halfYearEnd(froms[froms.length - 1]);

  // Youth columns are ages; test the oldest first so each age finds its column.
  const ageColumns = Object.keys(youth[0])
    .filter((k) => /^\d+$/.test(k))
    .map(Number)
    .sort((a, b) => b - a);

  // Percentages become basis points (1/100 %), euros cents, hours hundredths.
  const bp = (name, column) => (r) => fixed(file(name), r[column], 2);

  return {
    // ---- Inputs (the situation) ----
    peildatum: { titre: 'Peildatum', type: 'date' },
    loonwaarde: {
      titre: 'Loonwaarde',
      type: 'nombre',
      description: 'Loonwaarde in procenten van het WML (0-100, tot 2 decimalen).',
    },
    uren: { titre: 'Arbeidsuren per week', type: 'nombre' },
    voltijduren: { titre: 'Voltijdse arbeidsduur in de sector, uren per week', type: 'nombre' },
    leeftijd: {
      titre: 'Leeftijd',
      type: 'nombre',
      description: 'Leeftijd van de werknemer; niet ingevuld = volwassen.',
    },
    forfaitair: {
      titre: 'Forfaitaire loonwaarde',
      type: 'booléen',
      description: 'Loonkostensubsidie forfaitair vastgesteld (zonder loonwaardemeting).',
    },

    // ---- Tables, generated from rules/*.tsv (exact integers) ----
    tabel: { description: 'Tabellen uit rules/*.tsv, geldend op de peildatum.' },
    'tabel . wml': {
      titre: 'Wettelijk minimumloon per maand, volwassen, in centen',
      ...byPeildatum(wml, bp('wml.tsv', 'month')),
    },
    'tabel . volledige leeftijd': {
      titre: 'Leeftijd vanaf welke het volledige WML geldt',
      ...byPeildatum(wml, (r) => fixed(file('wml.tsv'), r.full_age, 0)),
    },
    'tabel . jeugdpercentage': {
      titre: 'Minimumjeugdloon, in basispunten van het volledige WML',
      ...byPeildatum(youth, (r) => ({
        variations: [
          ...ageColumns.map((age) => ({
            si: `leeftijd >= ${age}`,
            alors: fixed(file('wml_youth.tsv'), r[String(age)], 2),
          })),
          { sinon: 'non' },
        ],
      })),
    },
    'tabel . vakantiebijslag': {
      titre: 'Vakantiebijslag bovenop het WML, in basispunten',
      ...byPeildatum(params, bp('lks.tsv', 'vakantiebijslag')),
    },
    'tabel . maximum': {
      titre: 'Maximum van het loondeel, in basispunten van de grondslag',
      ...byPeildatum(params, bp('lks.tsv', 'max')),
    },
    'tabel . forfait': {
      titre: 'Forfaitair percentage, in basispunten van de grondslag',
      ...byPeildatum(params, bp('lks.tsv', 'forfait')),
    },
    'tabel . afronding jeugdloon': {
      titre: 'Het minimumjeugdloon per maand is een veelvoud hiervan, in centen',
      description: 'Besluit minimumjeugdloon art. 2 lid 2: 5 cent voor 2024, 1 cent vanaf 2024.',
      ...byPeildatum(params, (r) => fixed(file('lks.tsv'), r.afronding_jeugdloon, 2)),
    },
    'tabel . vaste deler': {
      titre: 'Vaste deler in honderdsten van een uur; 0 = de voltijdse uren van de sector',
      ...byPeildatum(params, (r) =>
        r.deler === 'sector' ? '0' : fixed(file('lks.tsv'), r.deler, 2),
      ),
    },
    'tabel . opslag': {
      titre: 'Forfaitaire opslag werkgeverslasten, in basispunten',
      ...byPeildatum(allowance, bp('allowance.tsv', 'percent')),
    },

    // ---- Calculation, in whole cents ----
    // Not applicable (refused by the C engine too): outside the tables; a flat rate on a
    // date whose row has none (before 2016-07-04); no sector hours where they are needed.
    lks: {
      titre: 'Loonkostensubsidie',
      'applicable si': {
        'toutes ces conditions': [
          `peildatum >= ${pcDate(firstDay)}`,
          `peildatum <= ${pcDate(lastDay)}`,
        ],
      },
      'non applicable si': {
        'une de ces conditions': [
          { 'toutes ces conditions': ['forfaitair', 'tabel . forfait = 0'] },
          { 'toutes ces conditions': [{ 'est non défini': 'voltijduren' }, 'voltijd nodig'] },
        ],
      },
    },
    // Outside the namespace `lks`: its applicability depends on them (no cycle).
    invoer: { description: 'Invoer als exacte gehele getallen, buiten lks.' },
    'invoer . uren in honderdsten': { valeur: 'uren * 100', arrondi: 'oui' },
    'voltijd nodig': {
      titre: 'De voltijdse uren van de sector veranderen het bedrag',
      description: 'De deler is de sector (voor 2024), of de uren zijn meer dan de vaste deler.',
      'une de ces conditions': [
        'tabel . vaste deler = 0',
        'invoer . uren in honderdsten > tabel . vaste deler',
      ],
    },

    // Inputs as exact integers (basis points, hundredths of an hour).
    'lks . loonwaarde in basispunten': { valeur: 'loonwaarde * 100', arrondi: 'oui' },
    'lks . uren in honderdsten': { valeur: 'uren * 100', arrondi: 'oui' },
    'lks . voltijduren in honderdsten': { valeur: 'voltijduren * 100', arrondi: 'oui' },

    'lks . jeugdloon': {
      titre: 'Minimumjeugdloon van toepassing',
      'toutes ces conditions': [{ 'est défini': 'leeftijd' }, 'leeftijd < tabel . volledige leeftijd'],
    },
    'lks . jeugdloon in eenheden': {
      titre: 'Minimumjeugdloon in veelvouden van de afronding',
      valeur: 'tabel . wml * tabel . jeugdpercentage / (10000 * tabel . afronding jeugdloon)',
      arrondi: 'oui',
    },
    'lks . wml': {
      titre: 'WML op de peildatum, in centen',
      variations: [
        { si: 'jeugdloon', alors: 'jeugdloon in eenheden * tabel . afronding jeugdloon' },
        { sinon: 'tabel . wml' },
      ],
    },
    'lks . grondslag': {
      titre: 'WML inclusief vakantiebijslag, in centen',
      valeur: 'wml * (10000 + tabel . vakantiebijslag) / 10000',
      arrondi: 'oui',
    },
    'lks . loondeel in basispunten': {
      titre: 'Verschil tussen WML en loonwaarde, ten hoogste het maximum',
      valeur: '10000 - loonwaarde in basispunten',
      plafond: 'tabel . maximum',
    },
    'lks . voltijdsubsidie': {
      titre: 'Subsidie bij voltijd, in centen',
      variations: [
        {
          si: 'forfaitair',
          alors: { valeur: 'grondslag * tabel . forfait / 10000', arrondi: 'oui' },
        },
        {
          sinon: { valeur: 'grondslag * loondeel in basispunten / 10000', arrondi: 'oui' },
        },
      ],
    },
    'lks . gewerkte uren in honderdsten': {
      titre: 'Arbeidsuren, niet meer dan voltijd (zonder voltijd: alle uren)',
      variations: [
        {
          si: { 'est défini': 'voltijduren' },
          alors: { 'le minimum de': ['uren in honderdsten', 'voltijduren in honderdsten'] },
        },
        { sinon: 'uren in honderdsten' },
      ],
    },
    'lks . deler in honderdsten': {
      titre: 'Uren waarover de voltijdsubsidie naar rato gaat',
      description: "'sector' = de voltijdse arbeidsduur in de sector, anders een vast aantal uren.",
      ...byPeildatum(params, (r) =>
        r.deler === 'sector' ? 'voltijduren in honderdsten' : fixed(file('lks.tsv'), r.deler, 2),
      ),
    },
    'lks . subsidie': {
      titre: 'Loonkostensubsidie per maand, in centen',
      valeur: 'voltijdsubsidie * gewerkte uren in honderdsten / deler in honderdsten',
      arrondi: 'oui',
    },
    'lks . opslag': {
      titre: 'Forfaitaire opslag werkgeverslasten, in centen',
      valeur: 'subsidie * tabel . opslag / 10000',
      arrondi: 'oui',
    },
    'lks . totaal': {
      titre: 'Loonkostensubsidie inclusief opslag, in centen',
      somme: ['subsidie', 'opslag'],
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(JSON.stringify(buildRules(process.argv[2] ?? DEFAULT_RULES_DIR), null, 2));
}
