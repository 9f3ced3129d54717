/*
 * brieven.test.mjs — the decision letters on the pages, in a real browser on a real
 * `lks serve`:
 *   - the beschikking page: "Bekijk de brief (PDF)" gives the letter of the previewed
 *     decision (application/pdf, an attachment), pdftotext of it has the amount the page
 *     shows; the form's own button posts the same (with its CSRF token; without: refused);
 *     nothing is sent by a preview;
 *   - sent: the letter stored at sending is byte for byte the preview (same date), the
 *     desk's case page links the letters to the employer and the worker, the portal's case
 *     page the employer's, each byte-identical to the API's letter; the downloads are in
 *     the processing log;
 *   - scope: an employer of another company and a case worker of another municipality get
 *     404, the employer of the case 403 for the worker's letter; GETs need no CSRF token;
 *   - a value like <img onerror> in the query shows as text; axe finds nothing on the
 *     pages touched (also their error states); works without JavaScript; screenshots.
 * PDFs and their text go to build/brieven/.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
    LKS, PASSWORD, ROOT, assert, axe, focused, press, run, shot, startServer, tabTo, test, watch,
    withPage,
} from './lib.mjs';

const OUT = path.join(ROOT, 'build/brieven');
fs.mkdirSync(OUT, { recursive: true });
const KVK = '69599085';
const srv = await startServer({
    demo: { zaken: 20, gemeenten: 2, seed: 5, regels: true },
    users: [
        { naam: 'bes', rol: 'beslisser' },
        { naam: 'kim', rol: 'klantmanager' },
        { naam: 'km.goeree', rol: 'klantmanager', gemeente: 'gm1924' },
    ],
});

function lks(args, input) {
    const r = spawnSync(LKS, args, { encoding: 'utf8', input });
    if (r.status !== 0)
        throw new Error(`lks ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}
function sql(q) {
    return spawnSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).stdout.trim();
}

/* A case of Helmond up to its decision: complete, the access test positive, a loonwaarde. */
const iso = (d) => d.toISOString().slice(0, 10);
const start = iso(new Date(Date.now() - 120 * 86400e3));
const form = {
    werknemer: { bsn: '123456782', naam: 'Bram Brief', geboortedatum: '1994-02-01',
        adres: 'Dorpsstraat 2', postcode: '5701AA', woonplaats: 'Helmond' },
    werkgever: { kvk: KVK, naam: 'Brief B.V.', adres: 'Markt 3', postcode: '5701AB',
        plaats: 'Helmond', voltijduren: '38', iban: 'NL91ABNA0417164300' },
    dienstverband: { start, uren: '32', loon: '2300.00', functie: 'medewerker' },
    aanvrager: 'werkgever', naStartToegestaan: true,
};
const who = (rol) => ['--db', srv.db, '--als', rol, '--gebruiker', rol === 'klantmanager' ? 'kim' : 'lwd',
    '--gemeente', 'gm0794'];
const id = JSON.parse(lks(['zaak', 'aanvraag-ingediend', ...who('klantmanager'), '--gegevens',
    JSON.stringify(form)])).zaak;
const ANSWERS = {
    vraag1: { lichamelijk: true, verstandelijk: false, psychisch: false, psychosociaal: false },
    vraag2a: { geenGevolgenVoorWerk: false, compenseerbaarMetVoorzieningen: false },
    vraag2b: { regulierWerktempo: false, continuiteit: true, zelfstandigWerken: true },
    vraag3: { prestatieMinstens20Procent: true, begeleidingHoogstens15Procent: true,
        uurAaneengesloten: true, zonderPermanentToezicht: true },
};
lks(['zaak', 'aanvraag-compleet', ...who('klantmanager'), String(id)]);
lks(['zaak', 'toegangstoets-uitgevoerd', ...who('klantmanager'), '--gegevens',
    JSON.stringify({ antwoorden: ANSWERS }), String(id)]);
lks(['zaak', 'loonwaardemeting-aangevraagd', ...who('klantmanager'), '--gegevens',
    JSON.stringify({ methode: 'uniform', deskundige: 'J. Hermans', kosten: '200.00' }), String(id)]);
lks(['zaak', 'loonwaarde-vastgesteld', ...who('loonwaardedeskundige'), '--gegevens',
    JSON.stringify({ loonwaarde: '55', gemeten: iso(new Date()),
        normfunctie: 'medewerker' }), String(id)]);
lks(['gebruiker', '--db', srv.db, '--gemeente', 'gm0794', '--naam', 'wg.brief', '--rol', 'werkgever',
    '--kvk', KVK], PASSWORD + '\n');
const otherKvk = sql(`SELECT e.kvk FROM cases c JOIN employers e ON e.id=c.employer_id
    WHERE c.tenant_id='gm0794' AND e.kvk<>'${KVK}' ORDER BY e.kvk LIMIT 1`);
lks(['gebruiker', '--db', srv.db, '--gemeente', 'gm0794', '--naam', 'wg.ander', '--rol', 'werkgever',
    '--kvk', otherKvk], PASSWORD + '\n');

const XSS = '<img src=x onerror=alert(1)>';
const state = {}; // what one test leaves for the next: the preview's bytes

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

/* The text of a PDF, spaces (also no-break ones) made plain. */
function pdfText(buf, name) {
    const file = path.join(OUT, `${name}.pdf`);
    fs.writeFileSync(file, buf);
    const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `pdftotext ${name}: ${r.stderr}`);
    fs.writeFileSync(path.join(OUT, `${name}.txt`), r.stdout);
    return r.stdout.replace(/[\u00a0\u202f]/g, ' ');
}

async function pdfOf(res, what) {
    assert.equal(res.status(), 200, `${what}: ${res.status()} ${res.status() !== 200 ? await res.text() : ''}`);
    const h = res.headers();
    assert.equal(h['content-type'], 'application/pdf', what);
    assert.match(h['content-disposition'] || '', /^attachment; filename="[\w.-]+\.pdf"$/, what);
    assert.equal(h['x-content-type-options'], 'nosniff', what);
    assert.match(h['cache-control'] || '', /no-store/, what);
    const b = await res.body();
    assert.equal(b.subarray(0, 5).toString(), '%PDF-', what);
    return b;
}

/* the processing log has a file of its own beside the store */
const plogCount = (object) => Number(spawnSync('sqlite3', [srv.db + '-verwerkingen',
    `SELECT count(*) FROM processing_log WHERE object='${object}' AND bsn='123456782'`],
{ encoding: 'utf8' }).stdout.trim());

test('beschikking: de brief van het voorbeeld als PDF, met het bedrag van de pagina', async () => {
    await withPage({ javaScript: false }, async (page, ctx) => {
        const problems = watch(page);
        await login(page, 'bes');
        await page.goto(`${srv.url}/zaken/${id}/beschikking`);
        assert.equal(await page.locator('#brief-werkgever').count(), 0, 'no letter before a preview');
        // keyboard: choose the kind, then the preview button, with the keys alone
        await tabTo(page, '#f-soort');
        await page.locator('#f-soort').selectOption('toekenning');
        await tabTo(page, 'button[value="bekijk"]');
        assert.match(await focused(page), /Bekijk de beschikking/);
        await press(page, 'Enter');
        await page.waitForLoadState('load');
        const amount = (await page.locator('#bedrag-per-maand strong').innerText()).trim();
        assert.match(amount, /^€ [\d.]+,\d\d$/);
        const link = page.locator('#brief-werkgever');
        assert.equal(await link.innerText(), 'Bekijk de brief aan de werkgever (PDF)');
        const href = await link.getAttribute('href');
        assert.match(href, new RegExp(`^/zaken/${id}/beschikking/brief\\?soort=toekenning&`));
        assert.doesNotMatch(href, /\d{9}/, 'no BSN in the URL');
        await clean(page, 'beschikking met de brief');
        await shot(page, 'brief-beschikking-voorbeeld');

        const before = plogCount(`zaak/${id}/beschikking/brief`);
        const pdf = await pdfOf(await ctx.request.get(srv.url + href), 'preview werkgever');
        const text = pdfText(pdf, 'voorbeeld-werkgever');
        assert.ok(text.includes(amount), `the letter has ${amount}`);
        assert.match(text, /Brief B\.V\./);
        assert.match(text, /Participatiewet art\. 10d/);
        assert.equal(plogCount(`zaak/${id}/beschikking/brief`), before + 1, 'the preview is logged: ');
        // the same preview again: the same bytes
        const again = await (await ctx.request.get(srv.url + href)).body();
        assert.ok(pdf.equals(again), 'two previews are byte-identical');
        const wn = pdfText(await pdfOf(await ctx.request.get(
            srv.url + await page.locator('#brief-werknemer').getAttribute('href')), 'preview werknemer'),
        'voorbeeld-werknemer');
        assert.match(wn, /Bram Brief/);

        // the form's own button posts the same, with its token; without it: refused
        const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
        const posted = await pdfOf(await ctx.request.post(`${srv.url}/zaken/${id}/beschikking/brief`, {
            form: { _csrf: csrf, 'gegevens.soort': 'toekenning', voor: 'werkgever' },
        }), 'posted preview');
        assert.ok(posted.equals(pdf), 'the posted preview equals the linked one');
        const noCsrf = await ctx.request.post(`${srv.url}/zaken/${id}/beschikking/brief`, {
            form: { 'gegevens.soort': 'toekenning', voor: 'werkgever' }, maxRedirects: 0,
        });
        assert.equal(noCsrf.status(), 403);
        assert.match(await noCsrf.text(), /CSRF/);
        assert.equal(await page.getByRole('button', { name: 'Bekijk de brief aan de werkgever (PDF)' }).count(), 1);

        const api = await (await ctx.request.get(`${srv.api}/zaken/${id}`)).json();
        assert.equal(api.beschikkingen.length, 0, 'a preview sends nothing');
        assert.equal(sql(`SELECT count(*) FROM letters WHERE case_id=${id}`), '0', 'nor stores a letter');
        state.preview = pdf;
        state.amount = amount;
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

test('voorbeeld met een fout: een foutpagina, de waarde als tekst, toegankelijk', async () => {
    await withPage({ javaScript: false }, async (page) => {
        await login(page, 'bes');
        let dialog = false;
        page.on('dialog', (d) => { dialog = true; d.dismiss(); });
        const r = await page.goto(`${srv.url}/zaken/${id}/beschikking/brief?soort=${encodeURIComponent(XSS)}&vanaf=morgen`);
        assert.equal(r.status(), 400);
        assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element from the query');
        assert.equal(dialog, false);
        await clean(page, 'voorbeeldbrief met een fout');
        await shot(page, 'brief-voorbeeld-fout');
        const r2 = await page.goto(`${srv.url}/zaken/${id}/beschikking/brief?soort=afwijzing`);
        assert.equal(r2.status(), 400, 'a refusal without its reasons');
        assert.match(await page.locator('main').innerText(), /gemotiveerd|motivering/i);
        await clean(page, 'voorbeeldbrief afwijzing zonder motivering');
    });
});

test('verzonden: de brief is het voorbeeld; downloads op de zaakpagina gelijk aan de API', async () => {
    assert.ok(state.preview, 'the preview test ran');
    await withPage({ javaScript: false }, async (page, ctx) => {
        const problems = watch(page);
        await login(page, 'bes');
        await page.goto(`${srv.url}/zaken/${id}/beschikking?soort=toekenning`);
        await page.getByRole('button', { name: 'Verstuur de beschikking' }).click();
        await page.waitForURL(/gedaan=beschikking-verzonden/);
        const api = await ctx.request.get(`${srv.api}/zaken/${id}/beschikkingen/1/brief`);
        assert.equal(api.status(), 200);
        const stored = await api.body();
        assert.ok(stored.equals(state.preview), 'the sent letter is byte for byte the preview');

        await page.goto(`${srv.url}/zaken/${id}`);
        const wg = page.getByRole('link', { name: 'aan de werkgever bij beschikking 1' });
        assert.equal(await wg.count(), 1, 'the desk links the employer letter');
        const before = plogCount(`zaak/${id}/beschikkingen/1/brief`);
        const desk = await pdfOf(await ctx.request.get(srv.url + await wg.getAttribute('href')), 'desk werkgever');
        assert.ok(desk.equals(stored), 'the desk download equals the API letter');
        assert.equal(plogCount(`zaak/${id}/beschikkingen/1/brief`), before + 1, 'the download is logged');
        const wn = page.getByRole('link', { name: 'aan de werknemer bij beschikking 1' });
        const deskWn = await pdfOf(await ctx.request.get(srv.url + await wn.getAttribute('href')), 'desk werknemer');
        const apiWn = await (await ctx.request.get(`${srv.api}/zaken/${id}/beschikkingen/1/brief?voor=werknemer`)).body();
        assert.ok(deskWn.equals(apiWn), 'the worker letter equals the API letter');
        assert.ok(pdfText(deskWn, 'verzonden-werknemer').includes('Bram Brief'));
        // a real click on the link downloads it (an attachment, not a page)
        const [dl] = await Promise.all([page.waitForEvent('download'), wg.click()]);
        assert.match(dl.suggestedFilename(), new RegExp(`^beschikking-${id}-1-werkgever\\.pdf$`));
        assert.ok(fs.readFileSync(await dl.path()).equals(stored));
        await clean(page, 'zaak met de brieven');
        await shot(page, 'brief-zaak');
        assert.equal(page.url(), `${srv.url}/zaken/${id}`);
        // no such decision: the 404 page
        const r = await page.goto(`${srv.url}/zaken/${id}/beschikkingen/7/brief`);
        assert.equal(r.status(), 404);
        await clean(page, 'brief bestaat niet');
        assert.deepEqual(problems.filter((p) => !/404/.test(p)), [], problems.join('\n'));
    });
});

test('portaal: de werkgever haalt de eigen brief, niet die van de werknemer', async () => {
    await withPage({ javaScript: false }, async (page, ctx) => {
        await login(page, 'wg.brief');
        await page.goto(`${srv.url}/portaal/zaken/${id}`);
        const link = page.getByRole('link', { name: 'Brief (PDF) bij beschikking 1' });
        assert.equal(await link.count(), 1, 'the portal links the letter');
        await clean(page, 'portaal zaak met de brief');
        await shot(page, 'brief-portaal');
        const own = await pdfOf(await ctx.request.get(srv.url + await link.getAttribute('href')), 'portal');
        assert.ok(own.equals(state.preview), 'the portal letter is the employer letter');
        const wn = await page.goto(`${srv.url}/zaken/${id}/beschikkingen/1/brief?voor=werknemer`);
        assert.equal(wn.status(), 403);
        await clean(page, 'portaal brief werknemer geweigerd');
        await shot(page, 'brief-portaal-werknemer-geweigerd');
        const pv = await ctx.request.get(`${srv.url}/zaken/${id}/beschikking/brief?soort=toekenning`);
        assert.ok([403, 404].includes(pv.status()), `an employer previews no decision (${pv.status()})`);
    });
});

test('scope: een andere werkgever en een andere gemeente krijgen 404', async () => {
    for (const user of ['wg.ander', 'km.goeree']) {
        await withPage({ javaScript: false }, async (page) => {
            await login(page, user);
            for (const p of [`beschikkingen/1/brief`, `beschikkingen/1/brief?voor=werknemer`,
                `beschikking/brief?soort=toekenning`]) {
                const r = await page.goto(`${srv.url}/zaken/${id}/${p}`);
                assert.equal(r.status(), 404, `${user} ${p}`);
                assert.match(r.headers()['content-type'], /^text\/html/);
                assert.doesNotMatch(await page.locator('body').innerText(), /Bram Brief/);
            }
            await clean(page, `brief geweigerd ${user}`);
            await shot(page, `brief-geweigerd-${user}`);
        });
    }
});

await run();
