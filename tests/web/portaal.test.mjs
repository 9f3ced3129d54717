/*
 * portaal.test.mjs — the employer portal (werkgeversportaal) and documents in a real browser on
 * a real `lks serve` with demo data:
 *   - an employer sees its own company's cases only (the same as the API's list for it), newest
 *     first, with the next step, its legal basis and who has the case; axe clean, with and
 *     without JavaScript;
 *   - a case in the employer's words; a PDF made here uploaded without JavaScript and
 *     downloaded back byte for byte as an attachment; a PNG named .pdf with the claimed type
 *     application/pdf refused beside the file field; a file name like <img onerror> shown as
 *     text;
 *   - the end of the employment reported (the process allows the werkgever), its error state;
 *   - an IBAN proposed (a bad one: a field error, axe clean; with the keyboard alone), then
 *     confirmed by a financieel on /iban-voorstellen;
 *   - scope: every portal URL with another company's case or document is the 404 page; a case
 *     worker of another municipality gets no document, one of the same municipality does;
 *   - a POST without _csrf refused; screenshots of every page and error state.
 */
import { spawnSync } from 'node:child_process';

import {
    LKS, PASSWORD, assert, axe, focused, press, run, shot, startServer, tabTo, test, watch,
    withPage,
} from './lib.mjs';

const srv = await startServer({
    demo: { zaken: 60, gemeenten: 2, seed: 5 },
    users: [
        { naam: 'kim', rol: 'klantmanager' },
        { naam: 'fin', rol: 'financieel' },
        { naam: 'km.goeree', rol: 'klantmanager', gemeente: 'gm1924' },
    ],
});

function sql(q) {
    return spawnSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).stdout.trim();
}
/* two employers of Helmond with cases, and for A a running case (one it can end) */
const [kvkA, kvkB] = sql("SELECT e.kvk FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id='gm0794' GROUP BY e.kvk ORDER BY count(*) DESC, e.kvk LIMIT 2").split('\n');
const casesOfA = sql(`SELECT c.id FROM cases c JOIN employers e ON e.id=c.employer_id WHERE e.kvk='${kvkA}' AND c.tenant_id='gm0794' ORDER BY c.id DESC`).split('\n').map(Number);
const caseOfB = Number(sql(`SELECT c.id FROM cases c JOIN employers e ON e.id=c.employer_id WHERE e.kvk='${kvkB}' ORDER BY c.id LIMIT 1`));
const runningOfA = Number(sql(`SELECT c.id FROM cases c JOIN employers e ON e.id=c.employer_id WHERE e.kvk='${kvkA}' AND c.status IN ('lopend','aanvraag','doelgroepbepaling','loonwaardemeting','besluitvorming','wacht-op-informatie','herbeoordeling') ORDER BY c.id LIMIT 1`));
for (const [name, kvk] of [['wg.a', kvkA], ['wg.b', kvkB]])
    spawnSync(LKS, ['gebruiker', '--db', srv.db, '--gemeente', 'gm0794', '--naam', name, '--rol',
        'werkgever', '--kvk', kvk], { input: PASSWORD + '\n' });

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

/* a small valid PDF, made here */
function pdf(text) {
    const objs = [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>',
    ];
    const stream = `BT /F1 12 Tf 10 50 Td (${text}) Tj ET`;
    objs.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
    let out = '%PDF-1.4\n';
    const offsets = [];
    objs.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
    const xref = out.length;
    out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
    for (const o of offsets)
        out += `${String(o).padStart(10, '0')} 00000 n \n`;
    out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(out, 'latin1');
}
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d6d5b70000000049454e44ae426082', 'hex');

async function upload(page, caseId, { name, mimeType, buffer, kind = 'arbeidsovereenkomst' }) {
    await page.goto(`${srv.url}/portaal/zaken/${caseId}`);
    await page.getByLabel('Soort document').selectOption(kind);
    await page.getByLabel('Bestand', { exact: true }).setInputFiles({ name, mimeType, buffer });
    await page.getByRole('button', { name: 'Voeg het document toe' }).click();
    await page.waitForLoadState('load');
}

const docIds = (page) => page.locator('a[href^="/documenten/"]').evaluateAll(
    (as) => as.map((a) => Number(a.getAttribute('href').split('/').pop())));

test('mijn zaken: alleen de eigen zaken, de nieuwste eerst, zoals de API ze geeft', async () => {
    for (const javaScript of [true, false]) {
        await withPage({ javaScript }, async (page, ctx) => {
            const problems = watch(page);
            await login(page, 'wg.a');
            assert.match(page.url(), /\/portaal$/, 'GET / sends an employer to the portal');
            const shown = await page.locator('tbody a[href^="/portaal/zaken/"]').evaluateAll(
                (as) => as.map((a) => Number(a.getAttribute('href').split('/').pop())));
            assert.deepEqual(shown, casesOfA.slice(0, 20), 'own cases, newest first');
            const api = await (await ctx.request.get(`${srv.api}/zaken?pageSize=100`)).json();
            const apiIds = api.resultaten.map((z) => z.id).sort((a, b) => b - a);
            assert.deepEqual(apiIds.slice(0, 20), shown, 'the same cases as the API gives this user');
            assert.ok(!shown.includes(caseOfB));
            const body = await page.locator('main').innerText();
            assert.match(body, /Awb|Participatiewet/, 'a legal basis is shown');
            assert.equal(await page.getByRole('link', { name: 'Aanvraag indienen' }).getAttribute('href'), '/aanvragen/nieuw');
            assert.equal(await page.getByRole('link', { name: 'Bedrijf' }).count(), 1, 'menu item Bedrijf');
            await clean(page, 'portaal');
            await shot(page, `portaal${javaScript ? '' : '-zonder-js'}`);
            assert.deepEqual(problems, [], problems.join('\n'));
        });
    }
});

let docA = 0;
const contract = pdf('Arbeidsovereenkomst test');

test('een PDF uploaden zonder JavaScript en byte voor byte terug downloaden', async () => {
    await withPage({ javaScript: false }, async (page, ctx) => {
        await login(page, 'wg.a');
        await page.goto(`${srv.url}/portaal/zaken/${runningOfA}`);
        assert.match(await page.locator('h1').innerText(), new RegExp(`Zaak ${runningOfA}`));
        await clean(page, 'portaal-zaak');
        await shot(page, 'portaal-zaak');
        await upload(page, runningOfA, { name: 'arbeidsovereenkomst.pdf', mimeType: 'application/pdf', buffer: contract });
        assert.match(page.url(), new RegExp(`/portaal/zaken/${runningOfA}\\?gedaan=document`));
        assert.match(await page.locator('main').innerText(), /Het document is opgeslagen/);
        docA = (await docIds(page))[0];
        assert.ok(docA > 0);
        const r = await ctx.request.get(`${srv.url}/documenten/${docA}`);
        assert.equal(r.status(), 200);
        assert.ok(Buffer.compare(await r.body(), contract) === 0, 'byte-identical');
        assert.equal(r.headers()['content-type'], 'application/pdf');
        assert.match(r.headers()['content-disposition'], /^attachment; filename="arbeidsovereenkomst\.pdf"/);
        assert.equal(r.headers()['x-content-type-options'], 'nosniff');
        assert.match(r.headers()['cache-control'], /no-store/);
        await shot(page, 'portaal-zaak-document');
    });
});

test('een PNG met de naam .pdf en het type application/pdf wordt geweigerd bij het veld', async () => {
    await withPage(async (page) => {
        await login(page, 'wg.a');
        await upload(page, runningOfA, { name: 'contract.pdf', mimeType: 'application/pdf', buffer: PNG });
        const field = page.locator('#f-bestand-fout');
        assert.match(await field.innerText(), /geen PDF-bestand/);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-bestand"]').count(), 1);
        assert.equal(await page.getByLabel('Soort document').inputValue(), 'arbeidsovereenkomst', 'the kind is kept');
        assert.deepEqual(await docIds(page), [docA], 'nothing stored');
        await clean(page, 'portaal-zaak met een fout bestand');
        await shot(page, 'portaal-zaak-bestand-fout');
        /* a real PNG with its own name is fine */
        await upload(page, runningOfA, { name: 'loonstrook.png', mimeType: 'image/png', buffer: PNG, kind: 'overig' });
        assert.equal((await docIds(page)).length, 2);
    });
});

test('een bestandsnaam als <img onerror> blijft tekst', async () => {
    await withPage(async (page) => {
        let dialog = false;
        page.on('dialog', (d) => { dialog = true; d.dismiss(); });
        await login(page, 'wg.a');
        await upload(page, runningOfA, { name: '<img src=x onerror=alert(1)>.pdf', mimeType: 'application/pdf', buffer: pdf('x') });
        assert.match(await page.locator('#documenten').innerText(), /<img src=x onerror=alert\(1\)>\.pdf/);
        assert.equal(await page.locator('img[src=x]').count(), 0);
        assert.equal(dialog, false);
    });
    /* the municipality's case worker sees the employer's documents on the desk's case page,
     * the odd name as text there too; one of another municipality gets no case page */
    await withPage(async (page) => {
        let dialog = false;
        page.on('dialog', (d) => { dialog = true; d.dismiss(); });
        await login(page, 'kim');
        await page.goto(`${srv.url}/zaken/${runningOfA}`);
        const docs = await page.locator('section[aria-labelledby="documenten-kop"]').innerText();
        assert.match(docs, /arbeidsovereenkomst\.pdf/);
        assert.match(docs, /<img src=x onerror=alert\(1\)>\.pdf/);
        assert.equal(await page.locator('img[src=x]').count(), 0);
        assert.equal(dialog, false);
        await clean(page, 'zaak-documenten');
        await shot(page, 'zaak-documenten');
    });
    await withPage(async (page) => {
        await login(page, 'km.goeree');
        const r = await page.goto(`${srv.url}/zaken/${runningOfA}`);
        assert.equal(r.status(), 404);
        assert.doesNotMatch(await page.locator('main').innerText(), /arbeidsovereenkomst/);
    });
});

test('het einde van het dienstverband melden, met de fout als de reden ontbreekt', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        await login(page, 'wg.a');
        await page.goto(`${srv.url}/portaal/zaken/${runningOfA}`);
        const summary = page.locator('summary', { hasText: 'Dienstverband beëindigd' });
        assert.equal(await summary.count(), 1, 'the process lets the werkgever report the end');
        await summary.click();
        const form = page.locator('form[action$="/dienstverband-beeindigd"]');
        await form.getByRole('button').click();
        await page.waitForLoadState('load');
        const top = page.locator('.lks-error-summary').first();
        assert.match(await top.innerText(), /Reden/);
        const href = await top.locator('a').first().getAttribute('href');
        assert.equal(await page.locator(href).count(), 1, 'the summary links to the field');
        await clean(page, 'einde dienstverband met een fout');
        await shot(page, 'portaal-einde-fout');
        problems.length = 0; /* the 400 of the error state was the point */
        await page.locator('form[action$="/dienstverband-beeindigd"]').getByLabel('Reden').fill('einde contract <b>test</b>');
        await page.locator('form[action$="/dienstverband-beeindigd"]').getByRole('button').click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /gedaan=dienstverband-beeindigd/);
        assert.match(await page.locator('main').innerText(), /Gedaan: Dienstverband beëindigd/);
        assert.match(await page.locator('main').innerText(), /Beëindigd|beëindigd/);
        await shot(page, 'portaal-einde-gemeld');
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

test('een IBAN voorstellen (fout, dan met het toetsenbord goed) en financiën bevestigt het', async () => {
    await withPage(async (page) => {
        await login(page, 'wg.a');
        await page.goto(`${srv.url}/portaal/bedrijf`);
        assert.match(await page.locator('h1').innerText(), /Bedrijf/);
        await clean(page, 'bedrijf');
        await shot(page, 'portaal-bedrijf');
        await page.getByLabel('Nieuw IBAN').fill('NL00 FOUT <b>');
        await page.getByRole('button', { name: 'Geef het IBAN door' }).click();
        await page.waitForLoadState('load');
        assert.ok((await page.locator('#f-iban-fout').innerText()).length > 0, 'a message beside the field');
        assert.equal(await page.locator('.lks-error-summary a[href="#f-iban"]').count(), 1);
        assert.equal(await page.getByLabel('Nieuw IBAN').inputValue(), 'NL00 FOUT <b>', 'the value is kept');
        await clean(page, 'bedrijf met een fout IBAN');
        await shot(page, 'portaal-bedrijf-fout');
        /* the keyboard alone */
        await page.getByLabel('Nieuw IBAN').fill('');
        await page.locator('body').focus();
        await tabTo(page, '#f-iban');
        await page.keyboard.type('NL91 ABNA 0417 1643 00');
        await press(page, 'Enter');
        await page.waitForURL(/\/portaal\/bedrijf\?gedaan=iban$/);
        assert.match(await page.locator('main').innerText(), /wacht op bevestiging door de gemeente/);
        await clean(page, 'bedrijf met een voorstel');
        await shot(page, 'portaal-bedrijf-voorstel');
    });
    await withPage(async (page) => {
        await login(page, 'fin');
        await page.goto(`${srv.url}/iban-voorstellen`);
        const section = page.locator('section', { hasText: `KvK ${kvkA}` });
        assert.match(await section.innerText(), /NL91ABNA0417164300/);
        await clean(page, 'iban-voorstellen');
        await shot(page, 'iban-voorstellen');
        await section.getByRole('button', { name: 'Bevestig het IBAN' }).click();
        await page.waitForLoadState('load');
        assert.match(await page.locator('main').innerText(), /Het IBAN is bevestigd/);
        assert.equal(await page.locator('section', { hasText: `KvK ${kvkA}` }).count(), 0);
    });
    await withPage(async (page) => {
        await login(page, 'wg.a');
        await page.goto(`${srv.url}/portaal/bedrijf`);
        const main = await page.locator('main').innerText();
        assert.doesNotMatch(main, /wacht op bevestiging/);
        assert.match(main, /4300/, 'the confirmed account, its last four shown');
        assert.doesNotMatch(main, /ABNA0417/, 'the rest masked');
    });
});

test('een ander bedrijf of een andere gemeente: de 404-pagina, ook voor documenten', async () => {
    let docB = 0;
    await withPage(async (page) => {
        await login(page, 'wg.b');
        await upload(page, caseOfB, { name: 'b.pdf', mimeType: 'application/pdf', buffer: pdf('B') });
        docB = (await docIds(page))[0];
        assert.ok(docB > 0);
    });
    await withPage(async (page, ctx) => {
        await login(page, 'wg.a');
        for (const url of [`/portaal/zaken/${caseOfB}`, `/documenten/${docB}`, `/zaken/${caseOfB}`]) {
            const r = await page.goto(srv.url + url);
            assert.equal(r.status(), 404, url);
            assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(kvkB));
        }
        await clean(page, 'niet gevonden');
        await shot(page, 'portaal-niet-gevonden');
        await page.goto(`${srv.url}/portaal/zaken/${runningOfA}`);
        const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
        const up = await ctx.request.post(`${srv.url}/portaal/zaken/${caseOfB}/documenten`, {
            multipart: { _csrf: csrf, soort: 'overig', bestand: { name: 'x.pdf', mimeType: 'application/pdf', buffer: pdf('x') } },
            maxRedirects: 0,
        });
        assert.equal(up.status(), 404, 'no upload to another company\'s case');
        const end = await ctx.request.post(`${srv.url}/portaal/zaken/${caseOfB}/dienstverband-beeindigd`, {
            form: { _csrf: csrf, 'gegevens.reden': 'x' }, maxRedirects: 0,
        });
        assert.equal(end.status(), 404);
    });
    await withPage(async (page, ctx) => {
        await login(page, 'km.goeree');
        const r = await ctx.request.get(`${srv.url}/documenten/${docA}`);
        assert.equal(r.status(), 404, 'another municipality gets no document');
    });
    await withPage(async (page, ctx) => {
        await login(page, 'kim');
        const r = await ctx.request.get(`${srv.url}/documenten/${docA}`);
        assert.equal(r.status(), 200, 'the municipality\'s case worker downloads it');
        assert.ok(Buffer.compare(await r.body(), contract) === 0);
    });
});

test('een POST zonder _csrf wordt geweigerd (upload en IBAN)', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'wg.a');
        const up = await ctx.request.post(`${srv.url}/portaal/zaken/${runningOfA}/documenten`, {
            multipart: { soort: 'overig', bestand: { name: 'x.pdf', mimeType: 'application/pdf', buffer: pdf('x') } },
            maxRedirects: 0,
        });
        assert.equal(up.status(), 403);
        const iban = await ctx.request.post(`${srv.url}/portaal/bedrijf`, {
            form: { iban: 'NL91ABNA0417164300' }, maxRedirects: 0,
        });
        assert.equal(iban.status(), 403);
    });
});

test('een upload groter dan 1 MiB past, een van meer dan 10 MiB niet', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'wg.a');
        await page.goto(`${srv.url}/portaal/zaken/${runningOfA}`);
        const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
        const big = Buffer.concat([pdf('groot'), Buffer.alloc(3 << 20, 0x20)]);
        const ok = await ctx.request.post(`${srv.url}/portaal/zaken/${runningOfA}/documenten`, {
            multipart: { _csrf: csrf, soort: 'overig', bestand: { name: 'groot.pdf', mimeType: 'application/pdf', buffer: big } },
            maxRedirects: 0,
        });
        assert.equal(ok.status(), 303, 'a 3 MiB document fits');
        const huge = Buffer.concat([pdf('te groot'), Buffer.alloc((10 << 20) + 1, 0x20)]);
        const no = await ctx.request.post(`${srv.url}/portaal/zaken/${runningOfA}/documenten`, {
            multipart: { _csrf: csrf, soort: 'overig', bestand: { name: 'te-groot.pdf', mimeType: 'application/pdf', buffer: huge } },
            maxRedirects: 0,
        });
        assert.equal(no.status(), 400, 'just over 10 MiB: the form again');
        assert.match(await no.text(), /groter dan 10 MB/);
        const huger = Buffer.concat([pdf('veel te groot'), Buffer.alloc((10 << 20) + (128 << 10), 0x20)]);
        const refused = await ctx.request.post(`${srv.url}/portaal/zaken/${runningOfA}/documenten`, {
            multipart: { _csrf: csrf, soort: 'overig', bestand: { name: 'x.pdf', mimeType: 'application/pdf', buffer: huger } },
            maxRedirects: 0,
        }).catch(() => ({ status: () => 413 }));
        assert.equal(refused.status(), 413, 'past the upload cap: the HTTP layer refuses');
        const json = await ctx.request.post(`${srv.url}/portaal/bedrijf`, {
            form: { _csrf: csrf, iban: 'x'.repeat(2 << 20) }, maxRedirects: 0,
        }).catch(() => ({ status: () => 413 }));
        assert.equal(json.status(), 413, 'other posts keep the 1 MiB cap');
    });
});

await run();
