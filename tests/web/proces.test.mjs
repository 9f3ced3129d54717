/*
 * proces.test.mjs — the whole work process walked through the real pages, in a real browser
 * on a real `lks serve` with the demo data set (200 cases, 2 municipalities, seed 1, the rule
 * tables carried forward to today, the demo's users):
 *   - the README's screenshots: the werkvoorraad of klantmanager.helmond and a case page at
 *     1280×900 (build/screenshots/proces-werkvoorraad.png, proces-zaak.png; tools/screenshots.sh
 *     copies them to docs/img);
 *   - a case worker's story, one case from the application to the objection: the six steps of
 *     the application form, information asked and supplied, complete, the access test, the
 *     wage-value measurement asked for and its result entered by the loonwaardedeskundige,
 *     the decision previewed and sent by the beslisser, a payment by financieel, an objection
 *     received and decided; after each step the case page shows the new status, the next step
 *     and its deadline (its date the API's); the amounts on the pages equal the API's view of
 *     the case; every role that read or changed it is in the processing log with the BSN;
 *     another municipality gets the 404 page, a command without the CSRF token is refused;
 *   - an employer's story without JavaScript: the portal, an application with its company
 *     pre-filled, "Mijn zaken" with status and next step, and after the municipality decided
 *     (in another browser context) the decision and the payment on its portal case page;
 *   - the keyboard alone: login, work list, a case, a command form, the first steps of the
 *     application form; the focus always visible and where it should be;
 *   - axe finds nothing on any page reached; watch() finds no problem at the end of a walk.
 * Only the server's start uses the command line: every step after it is a page.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
    PASSWORD, SCREENSHOTS, assert, axe, focused, newContext, press, run, shot, startServer,
    tabTo, test, watch, withPage,
} from './lib.mjs';

const srv = await startServer({ demo: { zaken: 200, gemeenten: 2, seed: 1, regels: true } });

/* the demo's users of Helmond (lks demo makes them, with PASSWORD) */
const KM = 'klantmanager.helmond';
const LWD = 'loonwaardedeskundige.helmond';
const BES = 'beslisser.helmond';
const FIN = 'financieel.helmond';
const WG = 'werkgever.helmond'; /* of Distributiecentrum Hendriks B.V., KvK 19633790 */
const WG_KVK = '19633790';
const KM_GOEREE = 'klantmanager.goeree';
/* a demo employer of Helmond with a confirmed IBAN, for the case worker's case */
const KVK = '54136372';

const iso = (d) => d.toISOString().slice(0, 10);
const daysAgo = (n) => iso(new Date(Date.now() - n * 86400e3));
const START = daysAgo(31); /* the job started about a month ago */
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
    'september', 'oktober', 'november', 'december'];
/* 2026-03-05 → "5 maart 2026", as the pages write a date */
const dutchDate = (s) => {
    const [y, m, d] = s.split('-').map(Number);
    return `${d} ${MONTHS[m - 1]} ${y}`;
};
/* "1234.50" → "€ 1.234,50", as the pages write an amount */
const euro = (s) => '€ ' + Number(s).toLocaleString('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/* An 11-proof BSN from a seed (the demo's persons have other numbers: checked by the walk,
 * which would find the existing person otherwise). */
function bsn(seed) {
    for (let n = seed; ; n++) {
        const s = String(n).padStart(9, '0');
        let t = 0;
        for (let i = 0; i < 8; i++)
            t += Number(s[i]) * (9 - i);
        if ((t - Number(s[8])) % 11 === 0)
            return s;
    }
}

async function login(page, name) {
    await page.goto(`${srv.url}/inloggen`);
    await page.getByLabel('Gebruikersnaam').fill(name);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/inloggen'));
}

async function clean(page, name) {
    const v = await axe(page, name);
    assert.deepEqual(v, [], `${name}:\n${v.join('\n')}`);
}

/* Waits for the page to reach a URL; when it does not, says where it is and what the page's
 * error summary says. */
async function landed(page, re) {
    try {
        await page.waitForURL(re);
    } catch (e) {
        const errs = await page.locator('.lks-error-summary, .utrecht-form-field-error-message').allInnerTexts().catch(() => []);
        throw new Error(`not at ${re} but ${page.url()}: ${errs.join(' | ').replace(/\s+/g, ' ') || '(no error shown)'}`);
    }
}

/* axe and a screenshot: every page the walk reaches */
async function reached(page, name) {
    await clean(page, name);
    await shot(page, `proces-${name}`);
}

/* The case page's summary: status and the next deadline, as shown. */
async function summary(page) {
    const item = (key) => page.locator('.utrecht-data-list__item', {
        has: page.locator('dt', { hasText: new RegExp(`^${key}$`) }),
    }).locator('dd');
    const status = (await item('Status').innerText()).trim();
    const next = (await item('Eerstvolgende termijn').count()) ? (await item('Eerstvolgende termijn').innerText()).trim() : '';
    const steps = (await page.locator('#opdrachten').innerText()).trim();
    return { status, next, steps };
}

/* The API's view of a case, with the page's session. */
async function apiCase(ctx, id) {
    const r = await ctx.request.get(`${srv.api}/zaken/${id}`);
    assert.equal(r.status(), 200, `GET /zaken/${id}`);
    return r.json();
}

/* A command form on the case page: open its summary, fill its fields, send it. */
async function command(page, title, action, fill) {
    const f = page.locator(`form[action$="/${action}"]`);
    const open = page.locator(`details:has(form[action$="/${action}"]) > summary`);
    assert.equal((await open.innerText()).trim(), title);
    await open.click();
    await fill(f);
    await f.getByRole('button').click();
    await landed(page, new RegExp(`gedaan=${action}`));
}

// ---------------------------------------------------------------- the README's screenshots

test('de schermafdrukken voor de README: werkvoorraad en zaak op 1280×900', async () => {
    const ctx = await newContext(null, { viewport: { width: 1280, height: 900 } });
    try {
        const page = await ctx.newPage();
        const problems = watch(page);
        await login(page, KM);
        assert.match(page.url(), /\/werkvoorraad$/);
        const rows = page.locator('tbody tr');
        assert.ok(await rows.count() >= 10, 'a full work list');
        await clean(page, 'werkvoorraad');
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SCREENSHOTS, 'proces-werkvoorraad.png'), animations: 'disabled' });
        /* a running case with its calculation: the first 'lopend' one in the list */
        const running = rows.filter({ hasText: /lopend|Lopend/ }).first().locator('a[href^="/zaken/"]').first();
        const link = (await running.count()) ? running : rows.first().locator('a[href^="/zaken/"]').first();
        await link.click();
        await landed(page, /\/zaken\/\d+$/);
        assert.match(await page.locator('h1').innerText(), /^Zaak \d+: /);
        await clean(page, 'zaak');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'proces-zaak.png'), animations: 'disabled' });
        assert.deepEqual(problems, [], problems.join('\n'));
    } finally {
        await ctx.close();
    }
});

// ---------------------------------------------------------------- the case worker's story

const person = { bsn: bsn(270419000), naam: 'Fatima de Wit-Bakker', geboortedatum: '1994-06-18',
    adres: 'Kanaaldijk 12', postcode: '5701 KL', woonplaats: 'Helmond' };
let caseId = 0;

test('klantmanager: de aanvraag in zes stappen, ingediend, op de zaakpagina', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        await login(page, KM);
        await page.getByRole('link', { name: 'Aanvraag' }).click();
        await landed(page, /\/aanvragen\/nieuw$/);
        await reached(page, 'aanvraag-werknemer');
        await page.getByLabel('Burgerservicenummer (BSN)').fill(person.bsn);
        await page.getByLabel('Naam', { exact: true }).fill(person.naam);
        await page.getByLabel('Geboortedatum (niet verplicht)').fill(person.geboortedatum);
        await page.getByLabel('Adres (niet verplicht)').fill(person.adres);
        await page.getByLabel('Postcode (niet verplicht)').fill(person.postcode);
        await page.getByLabel('Woonplaats (niet verplicht)').fill(person.woonplaats);
        await page.getByRole('button', { name: 'Volgende' }).click();
        await landed(page, /\/werkgever$/);
        assert.doesNotMatch(page.url(), new RegExp(person.bsn), 'no BSN in a URL');
        await reached(page, 'aanvraag-werkgever');
        await page.getByLabel('KvK-nummer').fill(KVK);
        await page.getByRole('button', { name: 'Volgende' }).click();
        await landed(page, /\/dienstverband$/);
        await reached(page, 'aanvraag-dienstverband');
        await page.getByLabel('Startdatum').fill(START);
        await page.getByLabel('Uren per week').fill('32');
        await page.getByLabel('Brutoloon per maand (niet verplicht)').fill('2350,00');
        await page.getByLabel('Functie (niet verplicht)').fill('Medewerker huishouding');
        /* the job began a month ago: an application afterwards (Participatiewet art. 10d lid 2) */
        await page.getByLabel(/Het werk is al begonnen/).check();
        await page.getByRole('button', { name: 'Volgende' }).click();
        await landed(page, /\/loonwaardemeting$/);
        await reached(page, 'aanvraag-loonwaardemeting');
        await page.getByLabel('Normale voltijduren in de sector (niet verplicht)').fill('36');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await landed(page, /\/indiener$/);
        await reached(page, 'aanvraag-indiener');
        await page.getByLabel('Wie vraagt aan').selectOption('werkgever');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await landed(page, /\/overzicht$/);
        assert.match(await page.locator('main').innerText(), new RegExp(person.naam));
        await reached(page, 'aanvraag-overzicht');
        await page.getByRole('button', { name: 'Aanvraag indienen' }).click();
        await landed(page, /\/zaken\/\d+(\?.*)?$/);
        caseId = Number(new URL(page.url()).pathname.split('/').pop());
        assert.match(await page.locator('h1').innerText(), new RegExp(`Zaak ${caseId}: ${person.naam}`));
        await after(page, 'zaak-aanvraag', { status: /^Aanvraag$/, step: /Informatie opvragen[\s\S]*Aanvraag compleet/,
            deadline: /^wettelijke beslistermijn op de aanvraag/ });
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

/* On the case page as the given user; returns the summary after the check. */
async function onCase(page, name) {
    await login(page, name);
    await page.goto(`${srv.url}/zaken/${caseId}`);
    assert.match(await page.locator('h1').innerText(), new RegExp(`Zaak ${caseId}`));
}

/* After a step: the case page shows the status, the next step (a text in "Wat u nu kunt
 * doen") and the next deadline, whose date is the one the app computed (the API's open
 * deadline of that kind, not done yet). */
async function after(page, name, { status, step, deadline }) {
    const s = await summary(page);
    assert.match(s.status, status, `${name}: the status is "${s.status}"`);
    if (step)
        assert.match(s.steps, step, `${name}: the next step in "${s.steps}"`);
    if (deadline) {
        assert.match(s.next, deadline, `${name}: the next deadline is "${s.next}"`);
        const z = await apiCase(page.context(), caseId);
        const open = z.termijnen.filter((t) => !t.gedaan && s.next.startsWith(`${t.omschrijving}:`));
        assert.ok(open.length > 0, `${name}: "${s.next}" is an open deadline of the API's`);
        assert.ok(open.some((t) => s.next.includes(`uiterlijk ${dutchDate(t.uiterlijk)}`)),
            `${name}: "${s.next}" has the API's date ${open.map((t) => t.uiterlijk).join(', ')}`);
    }
    await reached(page, name);
    return s;
}

test('klantmanager: informatie opgevraagd, aangevuld, de aanvraag compleet', async () => {
    assert.ok(caseId > 0, 'the case of the first step');
    await withPage(async (page) => {
        const problems = watch(page);
        await onCase(page, KM);
        await command(page, 'Informatie opvragen', 'informatie-gevraagd', async (f) => {
            await f.getByLabel('Regel 1').fill('loonstrook van de eerste maand');
            await f.getByLabel('Regel 2').fill('functieomschrijving');
        });
        await after(page, 'zaak-wacht-op-informatie', { status: /^Wacht op informatie$/, step: /Vul de aanvraag aan/,
            deadline: /^termijn om de aanvraag aan te vullen/ });
        await page.locator('#opdrachten a[href$="/aanvulling"]').first().click();
        await landed(page, new RegExp(`/zaken/${caseId}/aanvulling$`));
        assert.match(await page.locator('main').innerText(), /loonstrook van de eerste maand/);
        await reached(page, 'aanvulling');
        await page.getByLabel('Functie (niet verplicht)').fill('Medewerker huishouding en linnenkamer');
        await page.getByRole('button', { name: 'Stuur de aanvulling' }).click();
        await landed(page, new RegExp(`/zaken/${caseId}\\?gedaan=informatie-aangevuld`));
        await after(page, 'zaak-aangevuld', { status: /^Aanvraag$/, step: /Aanvraag compleet/,
            deadline: /^wettelijke beslistermijn op de aanvraag/ });
        await command(page, 'Aanvraag compleet', 'aanvraag-compleet', async () => {});
        await after(page, 'zaak-compleet', { status: /^Doelgroepbepaling$/, step: /Voer de toegangstoets uit/,
            deadline: /^wettelijke beslistermijn op de aanvraag/ });
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

/* Answer a criterion of the access test: its radio by id (…-nee is nee). */
async function answer(page, key, yes) {
    await page.locator(`#f-${key.replace('.', '-')}${yes ? '' : '-nee'}`).check();
}

/* Every criterion answered so the person is in the target group (psychological limits). */
async function accessTestInGroup(page) {
    await answer(page, 'vraag1.psychisch', true);
    for (const c of ['lichamelijk', 'verstandelijk', 'psychosociaal'])
        await answer(page, `vraag1.${c}`, false);
    for (const c of ['geenGevolgenVoorWerk', 'compenseerbaarMetVoorzieningen'])
        await answer(page, `vraag2a.${c}`, false);
    for (const c of ['regulierWerktempo', 'continuiteit', 'zelfstandigWerken'])
        await answer(page, `vraag2b.${c}`, false);
    for (const c of ['prestatieMinstens20Procent', 'begeleidingHoogstens15Procent',
        'uurAaneengesloten', 'zonderPermanentToezicht'])
        await answer(page, `vraag3.${c}`, true);
}

test('klantmanager: de toegangstoets, dan de loonwaardemeting aangevraagd', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        await onCase(page, KM);
        await page.getByRole('link', { name: 'Voer de toegangstoets uit' }).click();
        await landed(page, new RegExp(`/zaken/${caseId}/toegangstoets$`));
        await reached(page, 'toegangstoets');
        await accessTestInGroup(page);
        await page.getByRole('button', { name: 'Leg de toegangstoets vast' }).click();
        await landed(page, /gedaan=toegangstoets-uitgevoerd/);
        assert.match(await page.locator('#toegangstoets').innerText(), /behoort tot de doelgroep/);
        await after(page, 'zaak-toegangstoets', { status: /^Doelgroepbepaling$/, step: /Loonwaardemeting aanvragen/,
            deadline: /^wettelijke beslistermijn op de aanvraag/ });
        await command(page, 'Loonwaardemeting aanvragen', 'loonwaardemeting-aangevraagd', async (f) => {
            await f.getByLabel('Methode').selectOption('uniform');
            await f.getByLabel('Deskundige').fill('R. Janssen, Loonwaarde Zuid B.V.');
        });
        await after(page, 'zaak-meting-aangevraagd', { status: /^Loonwaardemeting$/,
            deadline: /^rapport loonwaardemeting bij de gemeente/ });
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

test('loonwaardedeskundige: het resultaat van de meting met de taken', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        await onCase(page, LWD);
        await page.getByRole('link', { name: /resultaat van de loonwaardemeting/ }).click();
        await landed(page, new RegExp(`/zaken/${caseId}/loonwaarde$`));
        assert.match(await page.locator('body').innerText(), /R\. Janssen/);
        await reached(page, 'loonwaarde');
        await page.locator('#f-loonwaarde').fill('60');
        await page.locator('#f-nettoProductieveTijd').fill('90');
        const tasks = [['Bedden opmaken', '50', '65', '90'], ['Linnen sorteren', '30', '70', '95'],
            ['Afval scheiden', '20', '60', '100']];
        for (let i = 0; i < tasks.length; i++) {
            const [n, share, pace, quality] = tasks[i];
            await page.locator(`#f-taken-${i}-naam`).fill(n);
            await page.locator(`#f-taken-${i}-tijdsaandeel`).fill(share);
            await page.locator(`#f-taken-${i}-tempo`).fill(pace);
            await page.locator(`#f-taken-${i}-kwaliteit`).fill(quality);
        }
        await page.getByRole('button', { name: 'Leg de loonwaarde vast' }).click();
        await landed(page, /gedaan=loonwaarde-vastgesteld/);
        assert.equal(await page.locator('#taken tbody tr').count(), 3);
        await after(page, 'zaak-loonwaarde', { status: /^Besluitvorming$/,
            deadline: /^beschikking binnen de servicenorm/ });
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

let decided = null; /* the API's decision */

test('beslisser: de beschikking bekeken en verstuurd; het bedrag is dat van de app', async () => {
    await withPage(async (page, ctx) => {
        const problems = watch(page);
        await onCase(page, BES);
        await page.getByRole('link', { name: 'Bekijk en verstuur de beschikking' }).click();
        await landed(page, new RegExp(`/zaken/${caseId}/beschikking$`));
        await reached(page, 'beschikking');
        await page.locator('#f-soort').selectOption('toekenning');
        await page.getByRole('button', { name: 'Bekijk de beschikking' }).click();
        await page.locator('#bedrag-per-maand strong').waitFor();
        const amount = (await page.locator('#bedrag-per-maand strong').innerText()).trim();
        assert.match(amount, /^€ [\d.]+,\d\d$/);
        await reached(page, 'beschikking-voorbeeld');
        await page.getByRole('button', { name: 'Verstuur de beschikking' }).click();
        await landed(page, /gedaan=beschikking-verzonden/);
        const z = await apiCase(ctx, caseId);
        decided = z.beschikkingen[0];
        assert.equal(amount, euro(decided.bedragPerMaand), 'the preview is the decision sent');
        const line = await page.locator('.lks-decision').first().innerText();
        assert.ok(line.includes(euro(decided.bedragPerMaand)), `${line} has the amount`);
        assert.ok(line.includes(dutchDate(decided.uiterlijkeReactiedatum)), `${line} has the objection term`);
        await after(page, 'zaak-beschikking', { status: /^Lopend$/, deadline: /^herbeoordeling van de loonwaarde/ });
        /* this month's calculation on the case page is the app's */
        assert.ok(z.huidigeLoonkostensubsidie, 'a grant from last month has an amount this month');
        const total = await page.locator('.lks-steps-list tr', { hasText: 'Totaal per maand' }).locator('strong').innerText();
        assert.equal(total.trim(), euro(z.huidigeLoonkostensubsidie.totaal));
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

test('financieel: een betaling; bedrag en IBAN zijn die van de app', async () => {
    await withPage(async (page, ctx) => {
        const problems = watch(page);
        await onCase(page, FIN);
        const month = decided.vanaf.slice(0, 7) + '-01';
        await command(page, 'Betaling', 'betaling-verricht', async (f) => {
            await f.getByLabel('Maand').fill(month);
        });
        const z = await apiCase(ctx, caseId);
        assert.equal(z.betalingen.length, 1);
        const row = await page.locator('table', { has: page.locator('caption', { hasText: 'Betalingen' }) }).locator('tbody tr').first().innerText();
        assert.ok(row.includes(euro(z.betalingen[0].bedrag)), `${row} has ${euro(z.betalingen[0].bedrag)}`);
        assert.ok(row.includes(z.betalingen[0].iban), `${row} has the IBAN`);
        await after(page, 'zaak-betaling', { status: /^Lopend$/, step: /Betaling/,
            deadline: /^herbeoordeling van de loonwaarde/ });
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

test('bezwaar: ontvangen door de klantmanager, beslist door de beslisser', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        await onCase(page, KM);
        await command(page, 'Bezwaar ontvangen', 'bezwaar-ingediend', async (f) => {
            await f.getByLabel('Waartegen').fill('de hoogte van de loonwaarde');
        });
        assert.match(await page.locator('section', { has: page.locator('#overig-kop') }).innerText(), /de hoogte van de loonwaarde, ontvangen .*beslissen uiterlijk/);
        await after(page, 'zaak-bezwaar', { status: /^Lopend$/, deadline: /^beslissing op het bezwaar/ });
        assert.deepEqual(problems, [], problems.join('\n'));
    });
    await withPage(async (page) => {
        const problems = watch(page);
        await onCase(page, BES);
        await command(page, 'Beslissing op bezwaar', 'bezwaar-beslist', async (f) => {
            await f.getByLabel('Uitkomst').selectOption('ongegrond');
        });
        assert.match(await page.locator('section', { has: page.locator('#overig-kop') }).innerText(), /beslist .*: ongegrond/);
        await after(page, 'zaak-bezwaar-beslist', { status: /^Lopend$/, deadline: /^herbeoordeling van de loonwaarde/ });
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

test('verwerkingenlog: elke rol die de zaak las of wijzigde staat erin, met het BSN', async () => {
    const q = `SELECT DISTINCT user FROM processing_log WHERE bsn='${person.bsn}' ORDER BY user`;
    const r = spawnSync('sqlite3', [srv.db + '-verwerkingen', q], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const users = r.stdout.trim().split('\n');
    for (const u of [KM, LWD, BES, FIN])
        assert.ok(users.includes(u), `${u} in the processing log of the case (${users.join(', ')})`);
});

test('een andere gemeente bereikt de zaak niet; een opdracht zonder CSRF-token wordt geweigerd', async () => {
    await withPage(async (page, ctx) => {
        await login(page, KM);
        const r = await ctx.request.post(`${srv.url}/zaken/${caseId}/kosten-geboekt`, {
            form: { 'gegevens.soort': 'overig', 'gegevens.bedrag': '1.00' }, maxRedirects: 0,
        });
        assert.equal(r.status(), 403);
        assert.match(await r.text(), /CSRF/);
    });
    await withPage(async (page) => {
        await login(page, KM_GOEREE);
        const r = await page.goto(`${srv.url}/zaken/${caseId}`);
        assert.equal(r.status(), 404);
        assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(person.naam));
        await reached(page, 'zaak-andere-gemeente');
    });
});

// ---------------------------------------------------------------- the employer's story

const employee = { bsn: bsn(318820000), naam: 'Daan Verhoeven' };
let portalCase = 0;

/* The municipality's side of the employer's case, in a context of its own: complete, the
 * access test, the flat rate for the first months, the decision, a payment. */
async function municipalityDecides(id) {
    await withPage(async (page) => {
        const problems = watch(page);
        await login(page, KM);
        await page.goto(`${srv.url}/zaken/${id}`);
        await command(page, 'Aanvraag compleet', 'aanvraag-compleet', async () => {});
        await page.getByRole('link', { name: 'Voer de toegangstoets uit' }).click();
        await landed(page, new RegExp(`/zaken/${id}/toegangstoets$`));
        await accessTestInGroup(page);
        await page.getByRole('button', { name: 'Leg de toegangstoets vast' }).click();
        await landed(page, /gedaan=toegangstoets-uitgevoerd/);
        await command(page, 'Forfaitaire loonkostensubsidie', 'forfait-afgesproken', async () => {});
        assert.match((await summary(page)).status, /besluit/i);
        assert.deepEqual(problems, [], problems.join('\n'));
    });
    await withPage(async (page) => {
        await login(page, BES);
        await page.goto(`${srv.url}/zaken/${id}/beschikking`);
        await page.locator('#f-soort').selectOption('toekenning');
        await page.getByRole('button', { name: 'Bekijk de beschikking' }).click();
        await page.getByRole('button', { name: 'Verstuur de beschikking' }).click();
        await landed(page, /gedaan=beschikking-verzonden/);
    });
    let z;
    await withPage(async (page, ctx) => {
        await login(page, FIN);
        await page.goto(`${srv.url}/zaken/${id}`);
        z = await apiCase(ctx, id);
        await command(page, 'Betaling', 'betaling-verricht', async (f) => {
            await f.getByLabel('Maand').fill(z.beschikkingen[0].vanaf.slice(0, 7) + '-01');
        });
        z = await apiCase(ctx, id);
    });
    return z;
}

test('werkgever zonder JavaScript: aanvragen, volgen, de beschikking en betaling lezen', async () => {
    await withPage({ javaScript: false }, async (page) => {
        const problems = watch(page);
        await login(page, WG);
        assert.match(page.url(), /\/portaal$/, 'an employer lands on its portal');
        await reached(page, 'portaal');
        await page.getByRole('link', { name: 'Aanvraag indienen' }).first().click();
        await landed(page, /\/aanvragen\/nieuw$/);
        await reached(page, 'portaal-aanvraag-werknemer');
        await page.getByLabel('Burgerservicenummer (BSN)').fill(employee.bsn);
        await page.getByLabel('Naam', { exact: true }).fill(employee.naam);
        await page.getByLabel('Geboortedatum (niet verplicht)').fill('1989-11-02');
        await page.getByLabel('Adres (niet verplicht)').fill('Mierloseweg 88');
        await page.getByLabel('Postcode (niet verplicht)').fill('5707 AN');
        await page.getByLabel('Woonplaats (niet verplicht)').fill('Helmond');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await landed(page, /\/werkgever$/);
        /* the company is its own, pre-filled; its KvK number is no field */
        assert.match(await page.locator('main').innerText(), new RegExp(`${WG_KVK} \\(uw eigen bedrijf\\)`));
        assert.equal(await page.locator('input[name="gegevens.werkgever.kvk"]:not([type=hidden])').count(), 0);
        assert.match(await page.getByLabel('Naam van het bedrijf (niet verplicht)').inputValue(), /Distributiecentrum Hendriks/);
        await reached(page, 'portaal-aanvraag-werkgever');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await landed(page, /\/dienstverband$/);
        await page.getByLabel('Startdatum').fill(START);
        await page.getByLabel('Uren per week').fill('24');
        await page.getByLabel('Brutoloon per maand (niet verplicht)').fill('1850,00');
        await page.getByLabel('Functie (niet verplicht)').fill('Orderpicker');
        await page.getByLabel(/Het werk is al begonnen/).check();
        await page.getByRole('button', { name: 'Volgende' }).click();
        await landed(page, /\/loonwaardemeting$/);
        await page.getByRole('button', { name: 'Volgende' }).click();
        await landed(page, /\/(indiener|overzicht)$/);
        if (page.url().endsWith('/indiener'))
            await page.getByRole('button', { name: 'Volgende' }).click();
        await landed(page, /\/overzicht$/);
        await reached(page, 'portaal-aanvraag-overzicht');
        await page.getByRole('button', { name: 'Aanvraag indienen' }).click();
        await landed(page, /\/zaken\/\d+(\?.*)?$/);
        portalCase = Number(new URL(page.url()).pathname.split('/').pop());
        await reached(page, 'portaal-zaak-ingediend');

        /* "waar staat mijn aanvraag": Mijn zaken, the new case first, its status and next step */
        await page.goto(`${srv.url}/portaal`);
        const row = page.locator('tbody tr').first();
        assert.match(await row.innerText(), new RegExp(`Zaak ${portalCase}\\s+${employee.naam}`));
        const cells = await row.locator('td').allInnerTexts();
        assert.match(cells[2], /aanvraag/i, 'the status');
        assert.ok(cells[3].trim().length > 0, 'the next step');
        assert.match(cells[4], /\d{1,2} [a-z]+ \d{4}/, 'its deadline');
        await reached(page, 'portaal-mijn-zaken');
        assert.deepEqual(problems, [], problems.join('\n'));
    });

    const z = await municipalityDecides(portalCase);

    await withPage({ javaScript: false }, async (page) => {
        const problems = watch(page);
        await login(page, WG);
        await page.getByRole('link', { name: `Zaak ${portalCase}` }).click();
        await landed(page, new RegExp(`/portaal/zaken/${portalCase}$`));
        const d = z.beschikkingen[0];
        const decision = await page.locator('section', { has: page.locator('#besluiten-kop') }).innerText();
        assert.ok(decision.includes(`${euro(d.bedragPerMaand)} per maand vanaf ${dutchDate(d.vanaf)}`), decision);
        assert.ok(decision.includes(`Bezwaar maken kan tot en met ${dutchDate(d.uiterlijkeReactiedatum)}`), decision);
        const pay = await page.locator('section', { has: page.locator('#betalingen-kop') }).locator('tbody tr').first().innerText();
        assert.ok(pay.includes(euro(z.betalingen[0].bedrag)), `${pay} has ${euro(z.betalingen[0].bedrag)}`);
        assert.match(await page.locator('.utrecht-data-list').innerText(), /Lopend|lopend/);
        await reached(page, 'portaal-zaak-beschikking');
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

// ---------------------------------------------------------------- the keyboard alone

/* The focused element shows it has the focus: it matches :focus-visible and has an outline
 * or a box shadow. */
async function focusShows(page, where) {
    const f = await page.evaluate(() => {
        const e = document.activeElement;
        const cs = getComputedStyle(e);
        return {
            visible: e.matches(':focus-visible'),
            outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0,
            shadow: cs.boxShadow !== 'none',
        };
    });
    const what = await focused(page);
    assert.ok(f.visible, `${where}: ${what} is not :focus-visible`);
    assert.ok(f.outline || f.shadow, `${where}: no focus ring on ${what}`);
}

/* Tab to an element, check the focus shows, then press a key on it. */
async function tabPress(page, selector, key, opts) {
    await tabTo(page, selector, opts);
    await focusShows(page, selector);
    if (key)
        await press(page, key);
}

/* Tab to the field of a label and type into it. */
async function typeInto(page, label, text) {
    const id = await page.getByLabel(label, { exact: true }).getAttribute('id');
    await tabPress(page, `#${id}`, null, { max: 80 });
    await page.keyboard.type(text);
}

test('alleen het toetsenbord: inloggen, werkvoorraad, zaak, een opdracht, de eerste stappen van de aanvraag', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        await page.goto(`${srv.url}/inloggen`);
        await typeInto(page, 'Gebruikersnaam', KM);
        await press(page, 'Tab');
        assert.match(await focused(page), /#f-wachtwoord/);
        await focusShows(page, 'wachtwoord');
        await page.keyboard.type(PASSWORD);
        await press(page, 'Enter');
        await landed(page, /\/werkvoorraad$/);

        /* the work list: Tab to the first case in the table, Enter opens it */
        await tabTo(page, 'tbody a[href^="/zaken/"]', { max: 80 });
        await focusShows(page, 'werkvoorraad');
        const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
        await press(page, 'Enter');
        await landed(page, new RegExp(`${href}$`));

        /* a command form: open it with Enter, a choice with the arrow keys, send with Enter */
        const form = 'form[action$="/kosten-geboekt"]';
        await tabPress(page, `details:has(${form}) > summary`, 'Enter', { max: 120 });
        assert.equal(await page.locator(`details:has(${form})`).getAttribute('open'), '', 'opened');
        await tabPress(page, `${form} select`, 'ArrowDown');
        assert.notEqual(await page.locator(`${form} select`).inputValue(), '', 'a choice made with the arrow key');
        await typeInto(page, 'Bedrag', '35,00');
        await typeInto(page, 'Omschrijving (niet verplicht)', 'reiskosten jobcoach');
        await tabPress(page, `${form} button[type=submit]`, 'Enter');
        await landed(page, /gedaan=kosten-geboekt/);
        assert.match(await page.locator('[role=status]').first().innerText(), /Gedaan: Kosten boeken/);
        assert.match(await page.locator('main').innerText(), /reiskosten jobcoach/);

        /* the application form from the menu: its first steps */
        await tabPress(page, 'a[href="/aanvragen/nieuw"]', 'Enter', { max: 20 });
        await landed(page, /\/aanvragen\/nieuw$/);
        await typeInto(page, 'Burgerservicenummer (BSN)', bsn(402210000));
        await typeInto(page, 'Naam', 'Noor Toetsenbord');
        await press(page, 'Enter'); /* the form's first button: Volgende */
        await landed(page, /\/werkgever$/);
        await typeInto(page, 'KvK-nummer', KVK);
        await press(page, 'Enter');
        await landed(page, /\/dienstverband$/);
        await typeInto(page, 'Startdatum', START);
        await typeInto(page, 'Uren per week', '30');
        await tabPress(page, 'button[value="later"]', 'Enter', { max: 80 });
        await landed(page, /\/aanvragen\/concepten\?bewaard=/);
        assert.match(await page.locator('main').innerText(), /Noor Toetsenbord/);
        await reached(page, 'toetsenbord-concepten');
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

await run();
