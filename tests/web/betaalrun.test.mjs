/*
 * betaalrun.test.mjs — the payment-run pages of the desk and the payments on the case page
 * and in the portal, in a real browser on a real `lks serve` with the demo's users
 * (financieel.helmond and f.jansen.helmond, both financieel of gm0794):
 *   - financieel.helmond prepares the current month's run with the keyboard alone and
 *     JavaScript off: the preview shows its lines, total and exceptions; a month typed
 *     wrong (<img onerror>) gets the message at the field, the value kept as text;
 *   - approving as the same user is refused with the app's four-eyes message;
 *   - f.jansen.helmond approves; the SEPA file (application/xml, an attachment, <?xml,
 *     the run's NbOfTxs) and the CSV list download;
 *   - an employer gets no /betaalruns page (403) and sees the payment in its case in the
 *     portal, the IBAN masked; the desk's case page shows it too;
 *   - a POST without _csrf is refused; axe (WCAG 2.1 A/AA) finds nothing on any page or
 *     error state; the auditor reads without forms; a run cancelled; screenshots of each.
 */
import { spawnSync } from 'node:child_process';

import {
    LKS, PASSWORD, assert, axe, focused, press, run, shot, startServer, tabTo, test, watch,
    withPage,
} from './lib.mjs';

const srv = await startServer({ demo: { zaken: 40, gemeenten: 2, seed: 5, regels: true } });

function sql(q) {
    return spawnSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).stdout.trim();
}

async function login(page, name) {
    await page.goto(`${srv.url}/inloggen`);
    await page.getByLabel('Gebruikersnaam').fill(name);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForLoadState('load');
}

async function clean(page, name) {
    const v = await axe(page, name);
    assert.deepEqual(v, [], `${name}:\n${v.join('\n')}`);
}

const now = new Date();
const MONTH = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
let runId = 0;
let nlines = 0;

test('financieel bereidt de betaalrun van deze maand voor (zonder JavaScript, met het toetsenbord)', async () => {
    await withPage({ javaScript: false }, async (page) => {
        const problems = watch(page);
        await login(page, 'financieel.helmond');
        await page.getByRole('link', { name: 'Betaalruns' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /\/betaalruns$/);
        assert.match(await page.locator('tbody').innerText(), /Nog geen betaalruns/);
        assert.equal(await page.getByLabel('Maand (JJJJ-MM)').inputValue(), MONTH, 'this month by default');
        await clean(page, 'betaalruns');
        await shot(page, 'betaalruns');
        /* a month typed wrong: the message at the field, the value kept as text */
        const evil = '<img src=x onerror=alert(1)>';
        await page.getByLabel('Maand (JJJJ-MM)').fill(evil);
        await page.getByRole('button', { name: 'Betaalrun voorbereiden' }).click();
        await page.waitForLoadState('load');
        assert.equal(await page.locator('#f-maand-fout').count(), 1);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-maand"]').count(), 1);
        assert.equal(await page.getByLabel('Maand (JJJJ-MM)').inputValue(), evil);
        assert.equal(await page.locator('img[src=x]').count(), 0, 'the value is text, no element');
        await clean(page, 'betaalruns fout maand');
        await shot(page, 'betaalruns-fout-maand');
        /* the keyboard alone: Tab to the month, type it, Tab to the button, Enter */
        await tabTo(page, '#f-maand');
        assert.match(await focused(page), /^input#f-maand/);
        await page.keyboard.press('Control+A');
        await page.keyboard.type(MONTH);
        await tabTo(page, 'form[action="/betaalruns"] button[type=submit]');
        const [made] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/betaalruns') && r.request().method() === 'POST'),
            press(page, 'Enter'),
        ]);
        await page.waitForLoadState('load');
        assert.equal(made.status(), 201, await page.locator('main').innerText());
        const h1 = await page.locator('h1').innerText();
        const m = h1.match(/Betaalrun (\d+)/);
        assert.ok(m, `the run's preview: ${h1}`);
        runId = Number(m[1]);
        nlines = Number(await page.locator('#run-regels').innerText());
        assert.ok(nlines > 0, 'the run has lines');
        assert.equal(Number(sql(`SELECT count(*) FROM pay_lines WHERE run_id=${runId}`)), nlines);
        const cents = Number(sql(`SELECT sum(amount) FROM pay_lines WHERE run_id=${runId}`));
        const euro = (c) => '€ ' + Math.floor(c / 100).toLocaleString('nl-NL') + ',' + String(c % 100).padStart(2, '0');
        assert.equal((await page.locator('#run-totaal').innerText()).replace(/\s/g, ' '), euro(cents).replace(/\s/g, ' '));
        assert.match(await page.locator('#uitz-kop').innerText(), /Uitzonderingen: \d+/);
        const rows = page.locator('section[aria-labelledby=regels-kop] tbody tr');
        assert.equal(await rows.count(), Math.min(nlines, 50));
        assert.match(await rows.nth(0).innerText(), /Zaak \d+/);
        assert.match(await page.locator('#run-status').innerText(), /Concept/);
        /* each amount explained, without script */
        assert.ok(await page.locator('details.lks-steps summary').count() >= 1, 'the steps of an amount');
        await clean(page, 'betaalrun voorbereid');
        await shot(page, 'betaalrun-voorbereid');
        assert.deepEqual(problems.filter((p) => !/\b40[03]\b/.test(p)), [], problems.join('\n'));
    });
});

test('wie de run voorbereidde, keurt hem niet goed (vier ogen)', async () => {
    assert.ok(runId > 0, 'a run was prepared');
    await withPage(async (page) => {
        await login(page, 'financieel.helmond');
        await page.goto(`${srv.url}/betaalruns/${runId}`);
        assert.equal(await page.getByText('Uitzonderingen:').count(), 0, 'the exceptions are not stored');
        const [resp] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith(`/betaalruns/${runId}/goedkeuren`)),
            page.getByRole('button', { name: 'Betaalrun goedkeuren' }).click(),
        ]);
        await page.waitForLoadState('load');
        assert.equal(resp.status(), 403);
        assert.match(await page.locator('.lks-refusal').innerText(), /vier ogen/);
        assert.match(await page.locator('#run-status').innerText(), /Concept/);
        assert.equal(sql(`SELECT status FROM pay_runs WHERE id=${runId}`), '0');
        await clean(page, 'betaalrun vier ogen');
        await shot(page, 'betaalrun-vier-ogen');
    });
});

test('een POST zonder _csrf wordt geweigerd', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'f.jansen.helmond');
        for (const p of ['/betaalruns', `/betaalruns/${runId}/goedkeuren`, `/betaalruns/${runId}/annuleren`]) {
            const r = await ctx.request.post(`${srv.url}${p}`, { form: { maand: MONTH }, maxRedirects: 0 });
            assert.equal(r.status(), 403, p);
            assert.match(await r.text(), /CSRF/);
        }
        assert.equal(sql(`SELECT status FROM pay_runs WHERE id=${runId}`), '0', 'nothing changed');
        assert.equal(sql('SELECT count(*) FROM pay_runs'), '1', 'no second run');
    });
});

test('een tweede medewerker financiën keurt goed; het bankbestand en de lijst', async () => {
    await withPage(async (page, ctx) => {
        const problems = watch(page);
        await login(page, 'f.jansen.helmond');
        await page.goto(`${srv.url}/betaalruns`);
        await page.getByRole('link', { name: `Betaalrun ${runId}` }).click();
        await page.waitForLoadState('load');
        await page.getByRole('button', { name: 'Betaalrun goedkeuren' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), new RegExp(`/betaalruns/${runId}\\?gedaan=goedgekeurd$`));
        assert.match(await page.locator('#run-status').innerText(), /Goedgekeurd/);
        assert.match(await page.locator('main').innerText(), /f\.jansen\.helmond/);
        assert.equal(await page.getByRole('button', { name: 'Betaalrun goedkeuren' }).count(), 0);
        await clean(page, 'betaalrun goedgekeurd');
        await shot(page, 'betaalrun-goedgekeurd');
        const href = await page.getByRole('link', { name: /Bankbestand/ }).first().getAttribute('href');
        assert.match(href, new RegExp(`^/betaalruns/${runId}/sepa\\?deel=1$`));
        const x = await ctx.request.get(`${srv.url}${href}`);
        assert.equal(x.status(), 200, (await x.text()).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').slice(-600));
        assert.match(x.headers()['content-type'], /^application\/xml/);
        assert.match(x.headers()['content-disposition'], /^attachment; filename="betaalrun-\d+-deel-1\.xml"/);
        const xml = await x.text();
        assert.ok(xml.startsWith('<?xml'), xml.slice(0, 40));
        assert.match(xml, new RegExp(`<NbOfTxs>${nlines}</NbOfTxs>`));
        const l = await ctx.request.get(`${srv.url}/betaalruns/${runId}/lijst`);
        assert.equal(l.status(), 200);
        assert.match(l.headers()['content-type'], /^text\/csv/);
        assert.match(l.headers()['content-disposition'], /^attachment/);
        const csv = (await l.text()).trim().split('\n');
        assert.ok(csv.length >= nlines, `a line per payment: ${csv.length}`);
        /* a run of another number is not there */
        const nf = await page.goto(`${srv.url}/betaalruns/99999`);
        assert.equal(nf.status(), 404);
        await clean(page, 'betaalrun bestaat niet');
        await shot(page, 'betaalrun-bestaat-niet');
        assert.deepEqual(problems.filter((p) => !/\b404\b/.test(p)), [], problems.join('\n'));
    });
});

test('de werkgever: geen betaalruns, wel de betaling bij de eigen zaak; de zaakpagina', async () => {
    const [caseId, kvk] = sql(`SELECT l.case_id, e.kvk FROM pay_lines l JOIN cases c ON c.id=l.case_id JOIN employers e ON e.id=c.employer_id WHERE l.run_id=${runId} ORDER BY l.case_id LIMIT 1`).split('|');
    assert.ok(Number(caseId) > 0 && kvk, 'a case in the run');
    spawnSync(LKS, ['gebruiker', '--db', srv.db, '--gemeente', 'gm0794', '--naam', 'wg.pay', '--rol',
        'werkgever', '--kvk', kvk], { input: PASSWORD + '\n' });
    await withPage({ javaScript: false }, async (page) => {
        await login(page, 'wg.pay');
        assert.equal(await page.getByRole('link', { name: 'Betaalruns' }).count(), 0, 'no menu item');
        for (const p of ['/betaalruns', `/betaalruns/${runId}`, `/betaalruns/${runId}/sepa`, `/betaalruns/${runId}/lijst`]) {
            const r = await page.goto(`${srv.url}${p}`);
            assert.ok([403, 404].includes(r.status()), `${p}: ${r.status()}`);
        }
        await clean(page, 'betaalruns geen toegang');
        await shot(page, 'betaalruns-geen-toegang');
        const r = await page.goto(`${srv.url}/portaal/zaken/${caseId}`);
        assert.equal(r.status(), 200);
        const t = page.locator('table[aria-labelledby=betaalregels-kop] tbody');
        const text = await t.innerText();
        assert.match(text, /€/);
        assert.match(text, /Open/);
        assert.doesNotMatch(text, /NL\d\d[A-Z]{4}\d{10}/, 'the IBAN masked');
        assert.match(text, /••/);
        await clean(page, 'portaal zaak betaalregels');
        await shot(page, 'portaal-zaak-betaalregels');
    });
    await withPage(async (page) => {
        await login(page, 'f.jansen.helmond');
        const r = await page.goto(`${srv.url}/zaken/${caseId}`);
        assert.equal(r.status(), 200);
        const text = await page.locator('table[aria-labelledby=betaalregels-kop] tbody').innerText();
        assert.match(text, new RegExp(`betaalrun ${runId}`));
        assert.match(text, /€/);
        await clean(page, 'zaak betaalregels');
        await shot(page, 'zaak-betaalregels');
    });
});

test('de auditor ziet de runs, zonder formulier; een toekomstige maand geweigerd, een run geannuleerd', async () => {
    spawnSync(LKS, ['gebruiker', '--db', srv.db, '--gemeente', 'gm0794', '--naam', 'aud.pay', '--rol',
        'auditor'], { input: PASSWORD + '\n' });
    await withPage(async (page, ctx) => {
        await login(page, 'aud.pay');
        await page.getByRole('link', { name: 'Betaalruns' }).click();
        await page.waitForLoadState('load');
        assert.match(await page.locator('tbody').innerText(), new RegExp(`Betaalrun ${runId}`));
        assert.equal(await page.getByLabel('Maand (JJJJ-MM)').count(), 0, 'no prepare form');
        const csrf = await page.locator('input[name=_csrf]').first().inputValue();
        const r = await ctx.request.post(`${srv.url}/betaalruns`, { form: { _csrf: csrf, maand: MONTH }, maxRedirects: 0 });
        assert.equal(r.status(), 403);
        assert.match(await r.text(), /alleen een medewerker financi/);
        await clean(page, 'betaalruns auditor');
        await shot(page, 'betaalruns-auditor');
    });
    /* next month cannot be paid yet: the app's message at the field; then last month's
     * run (its months all taken: no lines), cancelled by the other financieel */
    const d = new Date(now.getFullYear(), now.getMonth() + 1, 1);
    const next = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
    const p = new Date(now.getFullYear(), now.getMonth() - 1, 1);
    const prev = `${p.getFullYear()}-${String(p.getMonth() + 1).padStart(2, '0')}`;
    let second = 0;
    await withPage(async (page) => {
        await login(page, 'financieel.helmond');
        await page.goto(`${srv.url}/betaalruns`);
        await page.getByLabel('Maand (JJJJ-MM)').fill(next);
        await page.getByRole('button', { name: 'Betaalrun voorbereiden' }).click();
        await page.waitForLoadState('load');
        assert.match(await page.locator('#f-maand-fout').innerText(), /nog niet worden betaald/);
        assert.equal(await page.getByLabel('Maand (JJJJ-MM)').inputValue(), next);
        await clean(page, 'betaalruns toekomstige maand');
        await shot(page, 'betaalruns-toekomstige-maand');
        await page.getByLabel('Maand (JJJJ-MM)').fill(prev);
        await page.getByRole('button', { name: 'Betaalrun voorbereiden' }).click();
        await page.waitForLoadState('load');
        second = Number((await page.locator('h1').innerText()).match(/Betaalrun (\d+)/)[1]);
        assert.ok(second > runId);
    });
    await withPage(async (page) => {
        await login(page, 'f.jansen.helmond');
        await page.goto(`${srv.url}/betaalruns/${second}`);
        await page.getByRole('button', { name: 'Betaalrun annuleren' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /\/betaalruns\?gedaan=geannuleerd$/);
        assert.match(await page.locator('main').innerText(), /De betaalrun is geannuleerd/);
        assert.equal(sql(`SELECT status FROM pay_runs WHERE id=${second}`), '2');
        await clean(page, 'betaalrun geannuleerd');
        await shot(page, 'betaalrun-geannuleerd');
        /* a cancelled run is not approved */
        await page.goto(`${srv.url}/betaalruns/${second}`);
        assert.equal(await page.getByRole('button', { name: 'Betaalrun goedkeuren' }).count(), 0);
    });
});

await run();
