/*
 * rekenen.test.mjs — the public calculators (/rekenen) in a real browser, on a real `lks serve`:
 *   - no login: the overview and every calculator render for a visitor without a session,
 *     also with JavaScript off, and axe (WCAG 2.1 A/AA) finds nothing on them;
 *   - the same figures as the API: for each calculator a known input gives exactly the amounts
 *     and steps (description, figure, legal basis) that POST /api/v1/berekeningen/… gives for
 *     it, and the loonkostensubsidie gives every row of shared/vectors/lks_examples.tsv;
 *   - the form is a GET form: the result's address holds the input (a bookmark), and the form
 *     shows the values again;
 *   - bad input: status 400, the error summary (axe clean) whose links put the focus on the
 *     field, each message beside its field, the API's own messages, every value kept;
 *   - the keyboard alone fills in and submits a form; a text like <img onerror> stays text;
 *   - a POST, with or without a CSRF token, computes nothing (405: only GET), and a page shows
 *     nothing of any case to anyone;
 *   - a rule row added to the store (lks regels toevoegen) is used by the page as by the API.
 * Screenshots of every page and error state go to build/screenshots/rekenen-*.png.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
    LKS, ROOT, assert, axe, focused, press, run, shot, startServer, tabTo, test, watch, withPage,
} from './lib.mjs';

const srv = await startServer({ demo: { zaken: 10, gemeenten: 1, seed: 5 },
    users: [{ naam: 'kim', rol: 'klantmanager' }, { naam: 'appbeheer', rol: 'applicatiebeheerder' }] });

async function clean(page, name) {
    const v = await axe(page, name);
    assert.deepEqual(v, [], `${name}:\n${v.join('\n')}`);
}

/* The API's answer for the same input. */
async function api(kind, body) {
    const r = await fetch(`${srv.api}/berekeningen/${kind}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
    });
    return { status: r.status, json: await r.json() };
}

/* "1088.10" as the page shows it: "€ 1.088,10" */
function euro(s) {
    const neg = s.startsWith('-');
    const [int, dec = '00'] = (neg ? s.slice(1) : s).split('.');
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    return `${neg ? '-' : ''}€ ${grouped},${dec.padEnd(2, '0')}`;
}

/* The steps table as shown: [{omschrijving, waarde, grondslag}]. */
async function stepsOnPage(page) {
    return page.locator('#stappen tbody tr').evaluateAll((rows) => rows.map((r) => ({
        omschrijving: r.querySelector('.lks-stap__omschrijving').textContent.trim(),
        waarde: r.querySelector('.lks-stap__uitkomst data, .lks-stap__uitkomst time')
            ?.getAttribute(r.querySelector('.lks-stap__uitkomst time') ? 'datetime' : 'value') ?? null,
        tekst: r.querySelector('.lks-stap__uitkomst').textContent.trim(),
        grondslag: r.querySelector('.lks-stap__grondslag').textContent.trim(),
    })));
}

/* Every step of the API's answer on the page, in order, with its figure and legal basis. */
async function sameSteps(page, answer) {
    const shown = await stepsOnPage(page);
    assert.ok(answer.stappen.length > 0, 'the API gives steps');
    assert.equal(shown.length, answer.stappen.length, 'as many steps as the API');
    answer.stappen.forEach((s, i) => {
        const p = shown[i];
        assert.equal(p.omschrijving, s.omschrijving, `step ${i + 1}: description`);
        assert.equal(p.grondslag, s.wettelijkeGrondslag, `step ${i + 1}: legal basis`);
        assert.ok(p.grondslag.length > 0, `step ${i + 1} has a legal basis`);
        const figure = s.bedrag ?? s.datum ?? String(s.aantal);
        assert.equal(p.waarde, figure, `step ${i + 1}: figure`);
        if (s.bedrag !== undefined)
            assert.ok(p.tekst.startsWith(euro(s.bedrag)), `step ${i + 1}: ${p.tekst} shows ${euro(s.bedrag)}`);
        if (s.exact !== undefined)
            assert.ok(p.tekst.includes(s.exact.replace('.', ',')), `step ${i + 1}: exact ${s.exact}`);
    });
}

/* An amount of the result's summary: its machine value and the text shown. */
async function amount(page, id) {
    const d = page.locator(`#r-${id} data`);
    return { value: await d.getAttribute('value'), text: (await d.innerText()).trim() };
}

async function sameAmounts(page, answer, keys) {
    for (const k of keys) {
        const a = await amount(page, k);
        assert.equal(a.value, answer[k], `${k}: the API's figure`);
        assert.equal(a.text, euro(answer[k]), `${k}: shown as € with a comma`);
    }
}

function query(o) {
    return new URLSearchParams(o).toString();
}

// ---------------------------------------------------------------- the overview, without a login

test('het overzicht zonder inloggen, met en zonder JavaScript, toegankelijk', async () => {
    for (const javaScript of [true, false]) {
        await withPage({ javaScript }, async (page) => {
            const problems = watch(page);
            const r = await page.goto(`${srv.url}/rekenen`);
            assert.equal(r.status(), 200);
            assert.equal(page.url(), `${srv.url}/rekenen`, 'no login asked');
            assert.equal(await page.locator('h1').innerText(), 'Rekenhulp');
            for (const p of ['loonkostensubsidie', 'loondispensatie', 'inverdieneffect', 'termijn', 'toegangstoets'])
                assert.equal(await page.locator(`main a[href="/rekenen/${p}"]`).count(), 1, p);
            assert.equal(await page.locator('.lks-header__user').count(), 0, 'no user in the layout');
            await clean(page, 'rekenhulp');
            if (javaScript)
                await shot(page, 'rekenen-overzicht');
            assert.deepEqual(problems, [], problems.join('\n'));
        });
    }
});

test('elke rekenhulp toont zonder invoer het lege formulier, zonder fouten, toegankelijk', async () => {
    await withPage({ javaScript: false }, async (page) => {
        for (const p of ['loonkostensubsidie', 'loondispensatie', 'inverdieneffect', 'termijn', 'toegangstoets']) {
            const r = await page.goto(`${srv.url}/rekenen/${p}`);
            assert.equal(r.status(), 200, p);
            assert.equal(await page.locator('.lks-error-summary').count(), 0, `${p}: no errors`);
            assert.equal(await page.locator('#uitkomst').count(), 0, `${p}: no result yet`);
            assert.equal(await page.locator('form#f-formulier').getAttribute('method'), 'get');
            assert.equal(await page.locator('input[name="_csrf"]').count(), 0, 'a public GET form');
            await clean(page, `rekenen-${p}`);
            await shot(page, `rekenen-${p}-leeg`);
        }
    });
});

// ---------------------------------------------------------------- the same figures as the API

function vectorFile() {
    for (const p of [path.join(ROOT, '../shared/vectors/lks_examples.tsv'), '/work/shared/vectors/lks_examples.tsv'])
        if (fs.existsSync(p))
            return p;
    return null;
}

test('loonkostensubsidie: elke rij van lks_examples.tsv, gelijk aan de API, elke stap met zijn artikel', async () => {
    const file = vectorFile();
    assert.ok(file, 'shared/vectors/lks_examples.tsv is there');
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    const head = lines[0].split('\t');
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [head[i], v])));
    assert.ok(rows.length >= 5, `vectors: ${rows.length}`);
    await withPage({ javaScript: false }, async (page) => {
        for (const v of rows) {
            const input = { peildatum: v.peildatum, uren: v.hours, voltijduren: v.hours_fulltime };
            const body = { peildatum: v.peildatum, uren: v.hours, voltijduren: v.hours_fulltime };
            if (v.forfait === 'yes') {
                input.forfaitair = 'ja';
                body.forfaitair = true;
            } else {
                input.loonwaarde = v.loonwaarde;
                body.loonwaarde = v.loonwaarde;
            }
            if (v.age) {
                input.leeftijd = v.age;
                body.leeftijd = Number(v.age);
            }
            let r = await page.goto(`${srv.url}/rekenen/loonkostensubsidie?${query(input)}`);
            const first = await api('loonkostensubsidie', body);
            if (first.status === 400 && v.forfait === 'yes') {
                /* The published flat-rate example is dated 2016-07-01, but art. 10d lid 5 is in
                 * force from 4 July 2016 (lks.tsv): the API refuses that date, and so does the
                 * page, with the same message beside the same field. Its amounts hold on the
                 * first day the flat rate exists, in the same WML half-year. */
                assert.equal(r.status(), 400, 'the page refuses what the API refuses');
                const p = first.json.invalidParams[0];
                assert.equal(await page.locator(`#f-${p.name}-fout`).innerText(), p.reason);
                input.peildatum = body.peildatum = '2016-07-04';
                r = await page.goto(`${srv.url}/rekenen/loonkostensubsidie?${query(input)}`);
            }
            assert.equal(r.status(), 200, `${v.source} ${v.peildatum}`);
            const want = { totaal: v.total, loonkostensubsidie: v.subsidy, werkgeverslasten: v.allowance,
                wmlPerMaand: v.wml_month, grondslag: v.base };
            for (const [k, x] of Object.entries(want))
                assert.equal((await amount(page, k)).value, x, `${v.source} ${v.peildatum} ${v.hours} h: ${k}`);
            const a = await api('loonkostensubsidie', body);
            assert.equal(a.status, 200);
            await sameAmounts(page, a.json, ['totaal', 'loonkostensubsidie', 'werkgeverslasten', 'wmlPerMaand', 'grondslag']);
            await sameSteps(page, a.json);
            /* the values are kept in the form */
            assert.equal(await page.locator('#f-peildatum').inputValue(), input.peildatum);
            assert.equal(await page.locator('#f-forfaitair').isChecked(), v.forfait === 'yes');
        }
        await shot(page, 'rekenen-loonkostensubsidie-uitkomst');
    });
});

test('loonkostensubsidie met jeugdloon: gelijk aan de API', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        const input = { peildatum: '2019-07-01', loonwaarde: '60', uren: '36', voltijduren: '36', leeftijd: '20' };
        await page.goto(`${srv.url}/rekenen/loonkostensubsidie?${query(input)}`);
        const a = await api('loonkostensubsidie', { ...input, leeftijd: 20 });
        assert.equal(a.status, 200);
        await sameAmounts(page, a.json, ['totaal', 'loonkostensubsidie', 'werkgeverslasten', 'wmlPerMaand']);
        await sameSteps(page, a.json);
        assert.match(await page.locator('#stappen').innerText(), /Participatiewet art\. 10d/);
        await clean(page, 'loonkostensubsidie uitkomst');
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

test('loondispensatie: gelijk aan de API, met de exacte tussenwaarden', async () => {
    await withPage(async (page) => {
        const cases = [
            { huishouden: 'alleenstaand', loonwaarde: '55', normGehuwden: '1295.07' },
            { huishouden: 'gehuwd', loonwaarde: '40', normGehuwden: '1295.07', overigInkomen: '100', nettoInkomen: '600' },
        ];
        for (const input of cases) {
            const r = await page.goto(`${srv.url}/rekenen/loondispensatie?${query(input)}`);
            assert.equal(r.status(), 200);
            const a = await api('loondispensatie', input);
            assert.equal(a.status, 200);
            await sameAmounts(page, a.json, ['aanvulling', 'totaalInkomen', 'norm', 'besparing']);
            await sameSteps(page, a.json);
            assert.equal(await page.locator('#f-huishouden').inputValue(), input.huishouden, 'the choice is kept');
        }
        /* a Dutch comma gives the same figures as the API's point */
        await page.goto(`${srv.url}/rekenen/loondispensatie?${query({ ...cases[0], normGehuwden: '1295,07' })}`);
        const a = await api('loondispensatie', cases[0]);
        await sameAmounts(page, a.json, ['aanvulling', 'besparing']);
        await clean(page, 'loondispensatie uitkomst');
        await shot(page, 'rekenen-loondispensatie-uitkomst');
    });
});

test('inverdieneffect: de € 163.178,40 van de pilot, gelijk aan de API', async () => {
    await withPage(async (page) => {
        const input = { plaatsingen: '75', maanden: '6', fte: '0,7', loonwaarde: '50', normGehuwden: '1295.07' };
        const r = await page.goto(`${srv.url}/rekenen/inverdieneffect?${query(input)}`);
        assert.equal(r.status(), 200);
        const a = await api('inverdieneffect', { plaatsingen: 75, maanden: 6, fte: '0.7', loonwaarde: 50, normGehuwden: '1295.07' });
        assert.equal(a.status, 200);
        assert.equal(a.json.totaal, '163178.40');
        await sameAmounts(page, a.json, ['totaal', 'besparingPerFteMaand']);
        assert.equal((await amount(page, 'totaal')).text, '€ 163.178,40');
        await sameSteps(page, a.json);
        await clean(page, 'inverdieneffect uitkomst');
        await shot(page, 'rekenen-inverdieneffect-uitkomst');
    });
});

test('termijn: weken, dagen en werkdagen gelijk aan de API, de stappen met hun artikel', async () => {
    await withPage(async (page) => {
        for (const input of [{ vanaf: '2026-04-20', weken: '5' }, { vanaf: '2026-12-18', dagen: '10' },
            { vanaf: '2026-04-24', werkdagen: '10' }]) {
            const r = await page.goto(`${srv.url}/rekenen/termijn?${query(input)}`);
            assert.equal(r.status(), 200);
            const body = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, k === 'vanaf' ? v : Number(v)]));
            const a = await api('termijn', body);
            assert.equal(a.status, 200);
            assert.equal(await page.locator('#r-einddatum time').getAttribute('datetime'), a.json.einddatum);
            assert.equal(await page.locator('#r-vanaf time').getAttribute('datetime'), a.json.vanaf);
            await sameSteps(page, a.json);
        }
        assert.match(await page.locator('#stappen').innerText(), /Algemene termijnenwet|Awb|werkdag/i);
        await clean(page, 'termijn uitkomst');
        await shot(page, 'rekenen-termijn-uitkomst');
    });
});

test('toegangstoets: de uitkomst en de redenering gelijk aan de API', async () => {
    await withPage(async (page) => {
        const answers = {
            'vraag1.lichamelijk': 'ja', 'vraag1.verstandelijk': 'nee', 'vraag1.psychisch': 'nee', 'vraag1.psychosociaal': 'nee',
            'vraag2a.geenGevolgenVoorWerk': 'nee', 'vraag2a.compenseerbaarMetVoorzieningen': 'nee',
            'vraag2b.regulierWerktempo': 'nee', 'vraag2b.continuiteit': 'ja', 'vraag2b.zelfstandigWerken': 'ja',
            'vraag3.prestatieMinstens20Procent': 'ja', 'vraag3.begeleidingHoogstens15Procent': 'ja',
            'vraag3.uurAaneengesloten': 'ja', 'vraag3.zonderPermanentToezicht': 'ja',
        };
        const body = {};
        for (const [k, v] of Object.entries(answers)) {
            const [q, c] = k.split('.');
            (body[q] ??= {})[c] = v === 'ja';
        }
        const r = await page.goto(`${srv.url}/rekenen/toegangstoets?${query(answers)}`);
        assert.equal(r.status(), 200);
        const a = await api('toegangstoets', body);
        assert.equal(a.status, 200);
        assert.equal(a.json.uitkomst, 'doelgroep');
        assert.equal(await page.locator('#r-uitkomst data').getAttribute('value'), a.json.uitkomst);
        assert.match(await page.locator('#r-uitkomst').innerText(), /behoort tot de doelgroep/);
        const reasons = page.locator('#redenering > li');
        assert.equal(await reasons.count(), a.json.redenering.length);
        for (let i = 0; i < a.json.redenering.length; i++) {
            const t = await reasons.nth(i).innerText();
            const x = a.json.redenering[i];
            assert.ok(t.includes(`Vraag ${x.vraag}`) && t.includes(x.conclusie) && t.includes(x.tekst), `reason ${i + 1}`);
        }
        /* the answers are kept */
        assert.equal(await page.locator('#f-vraag1-lichamelijk').isChecked(), true);
        assert.equal(await page.locator('#f-vraag1-verstandelijk-nee').isChecked(), true);
        await clean(page, 'toegangstoets uitkomst');
        await shot(page, 'rekenen-toegangstoets-uitkomst');
    });
});

// ---------------------------------------------------------------- faults

test('foute invoer: 400, de foutsamenvatting met de meldingen van de API, links zetten de focus op het veld', async () => {
    await withPage(async (page) => {
        const input = { peildatum: '2026-02-30', loonwaarde: 'zestig', leeftijd: 'abc', uren: '' };
        const r = await page.goto(`${srv.url}/rekenen/loonkostensubsidie?${query(input)}`);
        assert.equal(r.status(), 400);
        const a = await api('loonkostensubsidie', { peildatum: '2026-02-30', loonwaarde: 'zestig', leeftijd: 'abc' });
        assert.equal(a.status, 400);
        const summary = page.locator('.lks-error-summary');
        assert.equal(await summary.count(), 1);
        const links = summary.locator('a');
        assert.equal(await links.count(), 4, await summary.innerText());
        /* the API's message for each field, beside the field */
        const byName = Object.fromEntries(a.json.invalidParams.map((p) => [p.name, p.reason]));
        for (const f of ['peildatum', 'loonwaarde', 'leeftijd']) {
            assert.equal(await page.locator(`#f-${f}-fout`).innerText(), byName[f], f);
            assert.equal(await page.locator(`#f-${f}`).getAttribute('aria-invalid'), 'true');
        }
        assert.equal(await page.locator('#f-uren-fout').innerText(), 'is verplicht');
        /* the values are kept as typed */
        assert.equal(await page.locator('#f-peildatum').inputValue(), '2026-02-30');
        assert.equal(await page.locator('#f-loonwaarde').inputValue(), 'zestig');
        assert.equal(await page.locator('#f-leeftijd').inputValue(), 'abc');
        assert.equal(await page.locator('#uitkomst').count(), 0, 'no result with faults');
        await clean(page, 'loonkostensubsidie fouten');
        await shot(page, 'rekenen-loonkostensubsidie-fout');
        /* the summary's links go to the fields in the form's order and put the focus there */
        const hrefs = await links.evaluateAll((as) => as.map((x) => x.getAttribute('href')));
        assert.deepEqual(hrefs, ['#f-peildatum', '#f-loonwaarde', '#f-uren', '#f-leeftijd']);
        for (const h of hrefs) {
            await summary.locator(`a[href="${h}"]`).click();
            assert.match(await focused(page), new RegExp(`${h}\\b`), `the link ${h} focuses its field`);
        }
    });
});

test('een regel die weigert (datum buiten de tabellen, geen voltijd) staat bij zijn veld, gelijk aan de API', async () => {
    await withPage({ javaScript: false }, async (page) => {
        const cases = [
            [{ peildatum: '2030-01-01', loonwaarde: '60', uren: '36' }, 'peildatum'],
            [{ peildatum: '2023-07-01', loonwaarde: '60', uren: '32' }, 'voltijduren'],
        ];
        for (const [input, field] of cases) {
            const r = await page.goto(`${srv.url}/rekenen/loonkostensubsidie?${query(input)}`);
            assert.equal(r.status(), 400);
            const a = await api('loonkostensubsidie', input);
            assert.equal(a.status, 400);
            assert.equal(a.json.invalidParams[0].name, field);
            assert.equal(await page.locator(`#f-${field}-fout`).innerText(), a.json.invalidParams[0].reason);
            await clean(page, `loonkostensubsidie ${field}`);
        }
        await shot(page, 'rekenen-loonkostensubsidie-fout-regel');
    });
});

test('de foutstaat van elke andere rekenhulp: toegankelijk, de meldingen van de API', async () => {
    await withPage({ javaScript: false }, async (page) => {
        const cases = [
            ['loondispensatie', { huishouden: 'groot', loonwaarde: '55' }, { huishouden: 'groot', loonwaarde: '55' }],
            ['inverdieneffect', { plaatsingen: 'veel', maanden: '6', fte: '0.7', loonwaarde: '50', normGehuwden: '1295.07' },
                { plaatsingen: 'veel', maanden: 6, fte: '0.7', loonwaarde: 50, normGehuwden: '1295.07' }],
            ['termijn', { vanaf: '2026-04-20', weken: '5', dagen: '3' }, { vanaf: '2026-04-20', weken: 5, dagen: 3 }],
            ['toegangstoets', { 'vraag1.lichamelijk': 'ja', 'vraag1.verstandelijk': 'nee', 'vraag1.psychisch': 'nee',
                'vraag1.psychosociaal': 'nee', 'vraag2a.geenGevolgenVoorWerk': 'nee' },
            { vraag1: { lichamelijk: true, verstandelijk: false, psychisch: false, psychosociaal: false },
                vraag2a: { geenGevolgenVoorWerk: false } }],
        ];
        for (const [kind, input, body] of cases) {
            const r = await page.goto(`${srv.url}/rekenen/${kind}?${query(input)}`);
            assert.equal(r.status(), 400, kind);
            const a = await api(kind, body);
            assert.equal(a.status, 400, `${kind}: the API refuses it too`);
            for (const p of a.json.invalidParams) {
                const id = 'f-' + p.name.replace(/[^A-Za-z0-9]/g, '-');
                assert.equal(await page.locator(`#${id}-fout`).innerText(), p.reason, `${kind} ${p.name}`);
                assert.equal(await page.locator(`.lks-error-summary a[href="#${id}"]`).count(), 1);
                assert.equal(await page.locator(`#${id}`).count(), 1, `${kind}: the link's target ${id} exists`);
            }
            await clean(page, `${kind} fouten`);
            await shot(page, `rekenen-${kind}-fout`);
        }
    });
});

// ---------------------------------------------------------------- keyboard, no script, text stays text

test('met alleen het toetsenbord invullen en versturen; het adres is een bladwijzer', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        await page.goto(`${srv.url}/rekenen/loonkostensubsidie`);
        await tabTo(page, '#f-peildatum');
        await page.keyboard.type('2026-01-01');
        await press(page, 'Tab');
        assert.match(await focused(page), /#f-loonwaarde/);
        await page.keyboard.type('60');
        await press(page, 'Tab');
        assert.match(await focused(page), /#f-forfaitair/);
        await press(page, 'Tab');
        assert.match(await focused(page), /#f-uren/);
        await page.keyboard.type('32');
        await press(page, 'Tab');
        await page.keyboard.type('36');
        await press(page, 'Enter');
        await page.waitForURL(/\/rekenen\/loonkostensubsidie\?/);
        assert.equal((await amount(page, 'totaal')).value, '1088.10');
        const bookmark = page.url();
        assert.match(bookmark, /peildatum=2026-01-01/);
        assert.match(bookmark, /loonwaarde=60/);
        /* the toegangstoets: a radio chosen with the keyboard */
        await page.goto(`${srv.url}/rekenen/toegangstoets`);
        await tabTo(page, '#f-vraag1-lichamelijk');
        await press(page, 'ArrowDown'); /* to "nee" of the same criterion */
        assert.match(await focused(page), /#f-vraag1-lichamelijk-nee/);
        for (const c of ['verstandelijk', 'psychisch', 'psychosociaal']) {
            await tabTo(page, `#f-vraag1-${c}`);
            await press(page, 'ArrowDown');
        }
        await tabTo(page, 'button[type="submit"]');
        await press(page, 'Enter');
        await page.waitForURL(/\/rekenen\/toegangstoets\?/);
        assert.equal(await page.locator('#r-uitkomst data').getAttribute('value'), 'geen-doelgroep-bovengrens');
        assert.deepEqual(problems, [], problems.join('\n'));
        /* a bookmark opened in a fresh context without script gives the same result */
        await withPage({ javaScript: false }, async (p2) => {
            await p2.goto(bookmark);
            assert.equal((await amount(p2, 'totaal')).value, '1088.10');
        });
    });
});

test('zonder JavaScript: formulier versturen met de knop geeft de uitkomst', async () => {
    await withPage({ javaScript: false }, async (page) => {
        await page.goto(`${srv.url}/rekenen/termijn`);
        await page.getByLabel('Vanaf').fill('2026-04-20');
        await page.getByLabel('Weken (niet verplicht)').fill('5');
        await page.getByRole('button', { name: 'Bereken de termijn' }).click();
        await page.waitForURL(/\/rekenen\/termijn\?/);
        const a = await api('termijn', { vanaf: '2026-04-20', weken: 5 });
        assert.equal(await page.locator('#r-einddatum time').getAttribute('datetime'), a.json.einddatum);
        await clean(page, 'termijn zonder script');
    });
});

test('een tekst als <img onerror> blijft tekst, in het veld en in de uitkomst', async () => {
    await withPage(async (page) => {
        let dialog = false;
        page.on('dialog', async (d) => {
            dialog = true;
            await d.dismiss();
        });
        const evil = '<img src=x onerror=alert(1)>';
        /* in a field that is refused: the value comes back in the form */
        await page.goto(`${srv.url}/rekenen/loonkostensubsidie?${query({ peildatum: evil, uren: evil })}`);
        assert.equal(await page.locator('#f-peildatum').inputValue(), evil);
        assert.equal(await page.locator('img[src=x]').count(), 0);
        /* in the toelichting, which the result repeats */
        const answers = { 'vraag1.lichamelijk': 'ja', 'vraag1.verstandelijk': 'nee', 'vraag1.psychisch': 'nee',
            'vraag1.psychosociaal': 'nee', 'vraag2a.geenGevolgenVoorWerk': 'nee',
            'vraag2a.compenseerbaarMetVoorzieningen': 'nee', 'vraag2b.regulierWerktempo': 'nee',
            'vraag2b.continuiteit': 'nee', 'vraag2b.zelfstandigWerken': 'nee',
            'vraag3.prestatieMinstens20Procent': 'nee', 'vraag3.begeleidingHoogstens15Procent': 'ja',
            'vraag3.uurAaneengesloten': 'ja', 'vraag3.zonderPermanentToezicht': 'ja', toelichting: evil };
        const r = await page.goto(`${srv.url}/rekenen/toegangstoets?${query(answers)}`);
        assert.equal(r.status(), 200);
        assert.equal(await page.locator('#r-uitkomst data').getAttribute('value'), 'geen-doelgroep-ondergrens');
        assert.equal(await page.locator('#f-toelichting').inputValue(), evil);
        assert.match(await page.locator('#r-toelichting').innerText(), /<img src=x onerror=alert\(1\)>/);
        assert.equal(await page.locator('img[src=x]').count(), 0, 'no element came from the text');
        assert.equal(dialog, false, 'no script ran');
        await shot(page, 'rekenen-toegangstoets-tekst');
    });
});

// ---------------------------------------------------------------- methods and scope

test('een POST rekent niet (alleen GET), met of zonder CSRF-token; ingelogd of niet dezelfde uitkomst', async () => {
    await withPage(async (page, ctx) => {
        for (const form of [{ peildatum: '2026-01-01', loonwaarde: '60', uren: '32' },
            { peildatum: '2026-01-01', loonwaarde: '60', uren: '32', _csrf: 'x' }]) {
            const r = await ctx.request.post(`${srv.url}/rekenen/loonkostensubsidie`, { form, maxRedirects: 0 });
            assert.equal(r.status(), 405);
            assert.match(r.headers().allow || '', /GET/);
            assert.doesNotMatch(await r.text(), /1\.088,10/);
        }
        /* a logged-in user gets the same public page, with no case data in it */
        await page.goto(`${srv.url}/inloggen`);
        await page.getByLabel('Gebruikersnaam').fill('kim');
        await page.getByLabel('Wachtwoord').fill('test-wachtwoord-lks');
        await page.getByRole('button', { name: 'Inloggen' }).click();
        await page.waitForLoadState('load');
        const r = await page.goto(`${srv.url}/rekenen/loonkostensubsidie?peildatum=2026-01-01&loonwaarde=60&uren=32`);
        assert.equal(r.status(), 200);
        assert.equal((await amount(page, 'totaal')).value, '1088.10');
        assert.equal(await page.locator('a[href^="/zaken/"]').count(), 0, 'no case on a calculator');
        /* ... with the user's own header and menu: the session is read, never required */
        assert.match(await page.locator('.lks-header__user').innerText(), /Ingelogd als\s+kim/);
        assert.equal(await page.locator('nav a[href="/werkvoorraad"]').count(), 1, 'the menu is there');
        const post = await ctx.request.post(`${srv.url}/rekenen/loonkostensubsidie`,
            { form: { peildatum: '2026-01-01', uren: '32' }, maxRedirects: 0 });
        assert.equal(post.status(), 405);
    });
});

test('onbekende parameters worden genegeerd; een kapotte query is een nette 400-pagina', async () => {
    await withPage({ javaScript: false }, async (page) => {
        let r = await page.goto(`${srv.url}/rekenen/loonkostensubsidie?peildatum=2026-01-01&loonwaarde=60&uren=32&utm_source=x`);
        assert.equal(r.status(), 200);
        assert.equal((await amount(page, 'totaal')).value, '1088.10');
        r = await page.goto(`${srv.url}/rekenen/loonkostensubsidie?peildatum=%ff`);
        assert.equal(r.status(), 400);
        await clean(page, 'kapotte query');
    });
});

test('de pagina rekent met de regelrijen uit de opslag, net als de API', async () => {
    await withPage({ javaScript: false }, async (page) => {
        const input = { peildatum: '2026-07-01', loonwaarde: '60', uren: '36' };
        let r = await page.goto(`${srv.url}/rekenen/loonkostensubsidie?${query(input)}`);
        const before = await api('loonkostensubsidie', input);
        if (before.status === 400) {
            assert.equal(r.status(), 400, 'refused while the table ends before the date');
            assert.equal(await page.locator('#f-peildatum-fout').innerText(), before.json.invalidParams[0].reason);
            /* made-up test figures, never real ones (as tests/api/run.sh) */
            const add = spawnSync(LKS, ['regels', 'toevoegen', '--db', srv.db, '--tabel', 'wml', '--vanaf',
                '2026-07-01', '--waarden', 'month=2400.00,hour=15.38,full_age=21', '--bron',
                'Stcrt. 2099, nr. 1 (testwaarde)', '--gebruiker', 'appbeheer'], { encoding: 'utf8' });
            assert.equal(add.status, 0, add.stderr);
            r = await page.goto(`${srv.url}/rekenen/loonkostensubsidie?${query(input)}`);
        }
        assert.equal(r.status(), 200);
        const a = await api('loonkostensubsidie', input);
        assert.equal(a.status, 200);
        if (before.status === 400)
            assert.equal(a.json.wmlPerMaand, '2400.00', 'the API uses the new row');
        await sameAmounts(page, a.json, ['totaal', 'wmlPerMaand', 'loonkostensubsidie']);
        await sameSteps(page, a.json);
    });
});

await run();
