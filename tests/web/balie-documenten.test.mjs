/*
 * balie-documenten.test.mjs — a document added on the desk's case page, and the Dutch time of
 * uploads and drafts, in a real browser on a real `lks serve` with demo data:
 *   - a klantmanager adds the signed contract on /zaken/{id} without JavaScript (the submit
 *     with the keyboard alone) and downloads it back byte for byte; a 3 MiB file fits (the
 *     desk route has the upload cap), one just over 10 MiB is refused beside the field;
 *   - a PNG named .pdf is refused beside the file field and in the summary, the kind kept,
 *     axe clean; a file name like <img onerror> stays text;
 *   - who may add is the app's: an auditor sees no form and a POST of its is refused; a POST
 *     without _csrf is refused; a case worker of another municipality gets the 404 page;
 *   - an upload stored at 23:30 UTC on 15 January shows as 16 januari 2026 om 00:30 (CET),
 *     a draft changed at 23:30 UTC on 15 July as 16 juli 2026 om 01:30 (CEST).
 * Screenshots of the page with the form, the document and the error state.
 */
import { spawnSync } from 'node:child_process';

import { assert, axe, PASSWORD, press, run, shot, startServer, tabTo, test, withPage } from './lib.mjs';

const srv = await startServer({
    demo: { zaken: 40, gemeenten: 2, seed: 5 },
    users: [
        { naam: 'kim', rol: 'klantmanager' },
        { naam: 'aud', rol: 'auditor' },
        { naam: 'km.goeree', rol: 'klantmanager', gemeente: 'gm1924' },
    ],
});

function sql(q) {
    return spawnSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).stdout.trim();
}
const caseId = Number(sql("SELECT id FROM cases WHERE tenant_id='gm0794' AND status='lopend' ORDER BY id LIMIT 1"));

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
const docIds = (page) => page.locator('a[href^="/documenten/"]').evaluateAll(
    (as) => as.map((a) => Number(a.getAttribute('href').split('/').pop())));
const contract = pdf('Getekende arbeidsovereenkomst');
let docId = 0;

test('een klantmanager voegt de getekende overeenkomst toe op de zaakpagina (zonder JavaScript, toetsenbord)', async () => {
    assert.ok(caseId > 0);
    await withPage({ javaScript: false }, async (page, ctx) => {
        await login(page, 'kim');
        await page.goto(`${srv.url}/zaken/${caseId}`);
        const form = page.locator(`form[action="/zaken/${caseId}/documenten"]`);
        assert.equal(await form.count(), 1, 'the upload form on the desk');
        await clean(page, 'zaak met uploadformulier');
        await shot(page, 'zaak-document-toevoegen');
        await page.getByLabel('Soort document').selectOption('arbeidsovereenkomst');
        await page.getByLabel('Bestand', { exact: true }).setInputFiles({
            name: 'getekend <img src=x onerror=alert(1)>.pdf', mimeType: 'application/pdf', buffer: contract,
        });
        await page.getByLabel('Bestand', { exact: true }).focus();
        await tabTo(page, `form[action="/zaken/${caseId}/documenten"] button[type=submit]`);
        await press(page, 'Enter');
        await page.waitForURL(/gedaan=document/);
        assert.match(await page.locator('main').innerText(), /Het document is opgeslagen/);
        docId = (await docIds(page))[0];
        assert.ok(docId > 0);
        assert.equal(sql(`SELECT uploaded_by || ' ' || kind FROM documents WHERE id=${docId}`), 'kim arbeidsovereenkomst');
        const link = page.locator(`a[href="/documenten/${docId}"]`);
        assert.equal(await link.innerText(), 'getekend <img src=x onerror=alert(1)>.pdf', 'the name as text');
        assert.equal(await page.locator('img[src=x]').count(), 0);
        const r = await ctx.request.get(`${srv.url}/documenten/${docId}`);
        assert.equal(r.status(), 200);
        assert.ok(Buffer.compare(await r.body(), contract) === 0, 'byte-identical');
        await clean(page, 'zaak met document');
        await shot(page, 'zaak-document-toegevoegd');
    });
});

test('een PNG met de naam .pdf: de melding bij het veld en in de samenvatting; groot past, te groot niet', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'kim');
        await page.goto(`${srv.url}/zaken/${caseId}`);
        await page.getByLabel('Soort document').selectOption('overig');
        await page.getByLabel('Bestand', { exact: true }).setInputFiles({ name: 'contract.pdf', mimeType: 'application/pdf', buffer: PNG });
        const before = sql(`SELECT count(*) FROM documents WHERE case_id=${caseId}`);
        const [resp] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            page.getByRole('button', { name: 'Voeg het document toe' }).click(),
        ]);
        await page.waitForLoadState('load');
        assert.equal(resp.status(), 400);
        assert.match(await page.locator('#f-bestand-fout').innerText(), /geen PDF-bestand/);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-bestand"]').count(), 1);
        assert.equal(await page.getByLabel('Soort document').inputValue(), 'overig', 'the kind is kept');
        assert.equal(sql(`SELECT count(*) FROM documents WHERE case_id=${caseId}`), before, 'nothing stored');
        await clean(page, 'zaak met een fout bestand');
        await shot(page, 'zaak-document-fout');
        const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
        const big = Buffer.concat([pdf('groot'), Buffer.alloc(3 << 20, 0x20)]);
        const ok = await ctx.request.post(`${srv.url}/zaken/${caseId}/documenten`, {
            multipart: { _csrf: csrf, soort: 'overig', bestand: { name: 'groot.pdf', mimeType: 'application/pdf', buffer: big } },
            maxRedirects: 0,
        });
        assert.equal(ok.status(), 303, 'a 3 MiB document fits on the desk route');
        const huge = Buffer.concat([pdf('te groot'), Buffer.alloc((10 << 20) + 1, 0x20)]);
        const no = await ctx.request.post(`${srv.url}/zaken/${caseId}/documenten`, {
            multipart: { _csrf: csrf, soort: 'overig', bestand: { name: 'te-groot.pdf', mimeType: 'application/pdf', buffer: huge } },
            maxRedirects: 0,
        });
        assert.equal(no.status(), 400);
        assert.match(await no.text(), /groter dan 10 MB/);
    });
});

test('wie mag toevoegen beslist de app; zonder _csrf geweigerd; een andere gemeente: 404', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'aud');
        await page.goto(`${srv.url}/zaken/${caseId}`);
        assert.equal(await page.locator(`form[action="/zaken/${caseId}/documenten"]`).count(), 0, 'no form for an auditor');
        assert.ok((await docIds(page)).includes(docId), 'the auditor reads the documents');
        const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
        const r = await ctx.request.post(`${srv.url}/zaken/${caseId}/documenten`, {
            multipart: { _csrf: csrf, soort: 'overig', bestand: { name: 'a.pdf', mimeType: 'application/pdf', buffer: contract } },
            maxRedirects: 0,
        });
        assert.equal(r.status(), 403, 'the app refuses the auditor');
    });
    await withPage(async (page, ctx) => {
        await login(page, 'kim');
        const r = await ctx.request.post(`${srv.url}/zaken/${caseId}/documenten`, {
            multipart: { soort: 'overig', bestand: { name: 'a.pdf', mimeType: 'application/pdf', buffer: contract } },
            maxRedirects: 0,
        });
        assert.equal(r.status(), 403);
        assert.match(await r.text(), /CSRF/);
    });
    await withPage(async (page, ctx) => {
        await login(page, 'km.goeree');
        const got = await page.goto(`${srv.url}/zaken/${caseId}`);
        assert.equal(got.status(), 404);
        const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
        const r = await ctx.request.post(`${srv.url}/zaken/${caseId}/documenten`, {
            multipart: { _csrf: csrf, soort: 'overig', bestand: { name: 'a.pdf', mimeType: 'application/pdf', buffer: contract } },
            maxRedirects: 0,
        });
        assert.equal(r.status(), 404);
        assert.equal(sql(`SELECT count(*) FROM documents WHERE uploaded_by='km.goeree'`), '0');
    });
});

test('tijden in Nederlandse tijd: een upload om 23:30 UTC staat op de volgende dag', async () => {
    /* 2026-01-15 23:30 UTC is 00:30 on the 16th in Amsterdam (CET) */
    sql(`UPDATE documents SET uploaded_at=1768519800 WHERE id=${docId}`);
    await withPage(async (page) => {
        await login(page, 'kim');
        await page.goto(`${srv.url}/zaken/${caseId}`);
        const row = page.locator('tr', { has: page.locator(`a[href="/documenten/${docId}"]`) });
        assert.match(await row.innerText(), /16 januari 2026 om 00:30 door kim/);
        /* a draft changed at 2026-07-15 23:30 UTC: 01:30 on the 16th (CEST) */
        await page.goto(`${srv.url}/aanvragen/nieuw`);
        await page.getByLabel('Naam', { exact: true }).fill('Concept in de nacht');
        await page.getByRole('button', { name: 'Opslaan en later verder' }).click();
        await page.waitForURL(/bewaard=(\d+)/);
        const draft = Number(new URL(page.url()).searchParams.get('bewaard'));
        sql(`UPDATE drafts SET updated=1784158200 WHERE id=${draft}`);
        await page.goto(`${srv.url}/aanvragen/concepten`);
        const drow = page.locator('tr', { hasText: 'Concept in de nacht' });
        assert.match(await drow.innerText(), /16 juli 2026 om 01:30/);
        await clean(page, 'concepten met tijd');
    });
});

await run();
