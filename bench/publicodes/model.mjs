// Publicodes model of the loonkostensubsidie (LKS), generated from the repo's
// rule tables (rules/*.tsv) so that the tables keep a single source.
//
// Exactness: publicodes computes with binary floating point. To stay exact to
// the cent, every amount is kept in whole cents and every decimal quantity
// (percentages, hours) is first normalised to an integer count of hundredths
// with `arrondi`. Each rounded step is then "integer numerator / integer
// denominator" with a single division, so the float result is the correctly
// rounded quotient: exact whenever the true value is a half-cent tie, and far
// from a tie otherwise. `arrondi: oui` rounds halves up (values are >= 0).
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

// A decimal from a table cell, checked and passed verbatim into the rules.
function decimal(file, cell) {
  if (!/^\d+(\.\d+)?$/.test(cell)) throw new Error(`${file}: bad number '${cell}'`);
  return cell;
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
  const wmlFile = path.join(rulesDir, 'wml.tsv');
  const youthFile = path.join(rulesDir, 'wml_youth.tsv');
  const allowanceFile = path.join(rulesDir, 'allowance.tsv');
  const wml = readTable(wmlFile);
  const youth = readTable(youthFile);
  const allowance = readTable(allowanceFile);

  // Validity window: from the first WML row to the end of the last row's half-year.
  const froms = wml.map((r) => r.from).sort();
  const firstDay = froms[0];
  const lastDay = halfYearEnd(froms[froms.length - 1]);

  // Youth columns are ages; test the oldest first so each age finds its column.
  const ageColumns = Object.keys(youth[0])
    .filter((k) => /^\d+$/.test(k))
    .map(Number)
    .sort((a, b) => b - a);

  return {
    // ---- Inputs (the situation) ----
    peildatum: { titre: 'Peildatum', type: 'date' },
    loonwaarde: {
      titre: 'Loonwaarde',
      type: 'nombre',
      description: 'Loonwaarde in procenten van het WML (0-100, tot 2 decimalen).',
    },
    uren: { titre: 'Arbeidsuren per week', type: 'nombre' },
    voltijduren: { titre: 'Voltijdse arbeidsduur per week', type: 'nombre' },
    leeftijd: {
      titre: 'Leeftijd',
      type: 'nombre',
      description: 'Leeftijd van de werknemer; niet ingevuld = volwassen.',
    },
    forfaitair: {
      titre: 'Forfaitaire loonwaarde',
      type: 'booléen',
      description: 'Forfaitaire loonwaarde van 50 % (bijv. eerste periode).',
    },

    // ---- Tables, generated from rules/*.tsv (values verbatim) ----
    tabel: { description: 'Tabellen uit rules/*.tsv, geldend op de peildatum.' },
    'tabel . wml': {
      titre: 'Wettelijk minimumloon per maand (euro), volwassen',
      ...byPeildatum(wml, (r) => decimal(wmlFile, r.month)),
    },
    'tabel . volledige leeftijd': {
      titre: 'Leeftijd vanaf welke het volledige WML geldt',
      ...byPeildatum(wml, (r) => decimal(wmlFile, r.full_age)),
    },
    'tabel . jeugdpercentage': {
      titre: 'Minimumjeugdloon in procenten van het volledige WML',
      ...byPeildatum(youth, (r) => ({
        variations: [
          ...ageColumns.map((age) => ({
            si: `leeftijd >= ${age}`,
            alors: decimal(youthFile, r[String(age)]),
          })),
          { sinon: 'non' },
        ],
      })),
    },
    'tabel . opslag': {
      titre: 'Forfaitaire opslag werkgeverslasten (procent)',
      ...byPeildatum(allowance, (r) => decimal(allowanceFile, r.percent)),
    },

    // ---- Calculation, in whole cents ----
    lks: {
      titre: 'Loonkostensubsidie',
      'applicable si': {
        'toutes ces conditions': [
          `peildatum >= ${pcDate(firstDay)}`,
          `peildatum <= ${pcDate(lastDay)}`,
        ],
      },
    },

    // Normalisation of decimal quantities to exact integers.
    'lks . volwassen wml': {
      titre: 'WML volwassen, in centen',
      valeur: 'tabel . wml * 100',
      arrondi: 'oui',
    },
    'lks . jeugdpercentage in basispunten': {
      valeur: 'tabel . jeugdpercentage * 100',
      arrondi: 'oui',
    },
    'lks . loonwaarde in basispunten': { valeur: 'loonwaarde * 100', arrondi: 'oui' },
    'lks . uren in honderdsten': { valeur: 'uren * 100', arrondi: 'oui' },
    'lks . voltijduren in honderdsten': { valeur: 'voltijduren * 100', arrondi: 'oui' },
    'lks . opslag in basispunten': { valeur: 'tabel . opslag * 100', arrondi: 'oui' },

    'lks . jeugdloon': {
      titre: 'Minimumjeugdloon van toepassing',
      'toutes ces conditions': [{ 'est défini': 'leeftijd' }, 'leeftijd < tabel . volledige leeftijd'],
    },
    'lks . wml': {
      titre: 'WML op de peildatum, in centen',
      variations: [
        {
          si: 'jeugdloon',
          alors: {
            valeur: 'volwassen wml * jeugdpercentage in basispunten / 10000',
            arrondi: 'oui',
          },
        },
        { sinon: 'volwassen wml' },
      ],
    },
    'lks . grondslag': {
      titre: 'WML inclusief vakantiebijslag (108 %), in centen',
      valeur: 'wml * 108%',
      arrondi: 'oui',
    },
    'lks . subsidiepercentage in basispunten': {
      titre: 'Verschil tussen WML en loonwaarde, ten hoogste 70 %',
      valeur: '10000 - loonwaarde in basispunten',
      plafond: 7000,
    },
    'lks . loonkosten': {
      titre: 'Subsidie bij voltijd, in centen',
      variations: [
        { si: 'forfaitair', alors: { valeur: 'grondslag * 50%', arrondi: 'oui' } },
        {
          sinon: {
            valeur: 'grondslag * subsidiepercentage in basispunten / 10000',
            arrondi: 'oui',
          },
        },
      ],
    },
    'lks . gewerkte uren in honderdsten': {
      'le minimum de': ['uren in honderdsten', 'voltijduren in honderdsten'],
    },
    'lks . subsidie': {
      titre: 'Loonkostensubsidie per maand, in centen',
      description:
        'Vanaf 2024 naar rato van 36 uur (referentiemaandloon), daarvoor naar rato van de voltijdse arbeidsduur.',
      variations: [
        {
          si: 'peildatum >= 01/01/2024',
          alors: { valeur: 'loonkosten * gewerkte uren in honderdsten / 3600', arrondi: 'oui' },
        },
        {
          sinon: {
            valeur: 'loonkosten * gewerkte uren in honderdsten / voltijduren in honderdsten',
            arrondi: 'oui',
          },
        },
      ],
    },
    'lks . opslag': {
      titre: 'Forfaitaire opslag werkgeverslasten, in centen',
      valeur: 'subsidie * opslag in basispunten / 10000',
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
