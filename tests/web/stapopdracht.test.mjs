/*
 * stapopdracht.test.mjs — step commands only through their step pages, in a real browser on a
 * real `lks serve` with demo data:
 *   - a direct POST of loonwaarde-vastgesteld, loonwaarde-ongewijzigd or beschikking-verzonden
 *     to the case page's generic command route records nothing and sends the user to the
 *     step page (the report with its tasks, the decision with its preview);
 *   - in a re-assessment the case page offers the loonwaarde report page once (no generic
 *     form for "Loonwaarde ongewijzigd"); on that page "Loonwaarde ongewijzigd" records the
 *     report with its tasks: a value other than the current decision's is refused beside the
 *     field (axe clean, values kept), the same value is recorded with the tasks — without
 *     JavaScript and with the keyboard alone;
 *   - a POST without _csrf refused; a user of another municipality gets the 404 page.
 * Screenshots of the page and its error state in build/screenshots.
 */
import { spawnSync } from 'node:child_process';

import {
    LKS, PASSWORD, assert, axe, press, run, shot, startServer, tabTo, test, watch, withPage,
} from './lib.mjs';

const srv = await startServer({
    demo: { zaken: 40, gemeenten: 2, seed: 5, regels: true },
    users: [
        { naam: 'kim', rol: 'klantmanager' },
        { naam: 'lwd', rol: 'loonwaardedeskundige' },
        { naam: 'bes', rol: 'beslisser' },
        { naam: 'lwd.goeree', rol: 'loonwaardedeskundige', gemeente: 'gm1924' },
    ],
});

function sql(q) {
    return spawnSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).stdout.trim();
}
function lks(args) {
    const r = spawnSync(LKS, args, { encoding: 'utf8' });
    if (r.status !== 0)
        throw new Error(`lks ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

/* a running case of Helmond whose current decision has a measured wage value, put into
 * re-assessment by the klantmanager; and a case waiting for its decision */
const [reId, lwBp] = sql(`SELECT c.id, (SELECT loonwaarde FROM decisions d WHERE d.case_id=c.id
    ORDER BY idx DESC LIMIT 1) lw FROM cases c WHERE c.status='lopend' AND c.tenant_id='gm0794'
    AND lw >= 0 ORDER BY c.id LIMIT 1`).split('|').map(Number);
const lw = String(lwBp / 100).replace('.', ',');
lks(['zaak', 'herbeoordeling-gestart', '--db', srv.db, '--als', 'klantmanager', '--gebruiker', 'kim',
    '--gemeente', 'gm0794', '--gegevens', JSON.stringify({ methode: 'uniform', deskundige: 'J. Hermans' }),
    String(reId)]);
const decId = Number(sql("SELECT id FROM cases WHERE status='besluitvorming' AND tenant_id='gm0794' ORDER BY id LIMIT 1"));
const events = (id) => Number(sql(`SELECT count(*) FROM events WHERE case_id=${id}`));

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

test('een directe POST van een stapopdracht op de algemene route legt niets vast en gaat naar de stappagina', async () => {
    assert.ok(reId > 0 && decId > 0, 'the demo has the cases');
    for (const [user, id, cmd, page0, data] of [
        ['lwd', reId, 'loonwaarde-vastgesteld', 'loonwaarde', { 'gegevens.loonwaarde': '50' }],
        ['lwd', reId, 'loonwaarde-ongewijzigd', 'loonwaarde', { 'gegevens.loonwaarde': lw }],
        ['bes', decId, 'beschikking-verzonden', 'beschikking', { 'gegevens.soort': 'toekenning' }],
    ]) {
        await withPage(async (page, ctx) => {
            await login(page, user);
            await page.goto(`${srv.url}/zaken/${id}`);
            assert.equal(await page.locator(`form[action$="/${cmd}"]`).count(), 0,
                `no generic form for ${cmd} on the case page`);
            const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
            const before = events(id);
            const r = await ctx.request.post(`${srv.url}/zaken/${id}/${cmd}`, {
                form: { _csrf: csrf, ...data }, maxRedirects: 0,
            });
            assert.equal(r.status(), 303, cmd);
            assert.equal(new URL(r.headers().location, srv.url).pathname, `/zaken/${id}/${page0}`, cmd);
            assert.equal(events(id), before, `${cmd}: nothing recorded`);
        });
    }
});

test('loonwaarde ongewijzigd op de rapportpagina met taken: een andere waarde geweigerd, dezelfde vastgelegd (zonder JavaScript, toetsenbord)', async () => {
    await withPage({ javaScript: false }, async (page) => {
        const problems = watch(page);
        await login(page, 'lwd');
        await page.goto(`${srv.url}/zaken/${reId}`);
        assert.equal(await page.locator(`a[href="/zaken/${reId}/loonwaarde"]`).count(), 1,
            'one link to the report page');
        await page.locator(`a[href="/zaken/${reId}/loonwaarde"]`).click();
        await page.waitForURL(/\/loonwaarde$/);
        const unchanged = page.getByRole('button', { name: 'Loonwaarde ongewijzigd' });
        assert.equal(await unchanged.count(), 1);
        await clean(page, 'loonwaarde herbeoordeling');
        await shot(page, 'loonwaarde-herbeoordeling');
        /* another value than the decision's: refused beside the field, everything kept */
        const other = String(lwBp / 100 + 5).replace('.', ',');
        await page.locator('#f-loonwaarde').fill(other);
        const rows = [['Vakken vullen', '70', '80', '90'], ['<img src=x onerror=alert(1)>', '30', '60', '70']];
        for (let i = 0; i < rows.length; i++) {
            const [n, s, t, k] = rows[i];
            await page.locator(`#f-taken-${i}-naam`).fill(n);
            await page.locator(`#f-taken-${i}-tijdsaandeel`).fill(s);
            await page.locator(`#f-taken-${i}-tempo`).fill(t);
            await page.locator(`#f-taken-${i}-kwaliteit`).fill(k);
        }
        const before = events(reId);
        await unchanged.click();
        await page.waitForLoadState('load');
        assert.match(await page.locator('.lks-error-summary').innerText(), /wijkt af/);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-loonwaarde"]').count(), 1);
        assert.equal(await page.locator('#f-loonwaarde').inputValue(), other, 'kept');
        assert.equal(await page.locator('#f-taken-1-naam').inputValue(), rows[1][0], 'kept as typed');
        assert.equal(events(reId), before, 'nothing recorded');
        await clean(page, 'loonwaarde ongewijzigd met een fout');
        await shot(page, 'loonwaarde-ongewijzigd-fout');
        /* the decision's value, the button reached with the keyboard */
        await page.locator('#f-loonwaarde').fill(lw);
        await page.locator('#f-loonwaarde').focus();
        await tabTo(page, 'button[value=ongewijzigd]', { max: 60 });
        await press(page, 'Enter');
        await page.waitForURL(/gedaan=loonwaarde-ongewijzigd/);
        assert.equal(sql(`SELECT type FROM events WHERE case_id=${reId} ORDER BY seq DESC LIMIT 1`),
            'loonwaarde-ongewijzigd');
        assert.equal(sql(`SELECT json_array_length(data, '$.taken') FROM events WHERE case_id=${reId} ORDER BY seq DESC LIMIT 1`), '2',
            'the report with its tasks');
        assert.equal(await page.locator('#taken tbody tr').count(), 2, 'the tasks on the case page');
        assert.equal(await page.locator('img[src=x]').count(), 0, 'a task name stays text');
        assert.match(await page.locator('body').innerText(), /ongewijzigd vastgelegd/);
        await clean(page, 'zaak na loonwaarde ongewijzigd');
        await shot(page, 'zaak-loonwaarde-ongewijzigd');
        assert.deepEqual(problems.filter((p) => !/\b(400|409)\b/.test(p)), []);
    });
});

test('zonder CSRF-token geweigerd; een andere gemeente krijgt de 404-pagina', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'lwd');
        const r = await ctx.request.post(`${srv.url}/zaken/${reId}/loonwaarde`, {
            form: { _actie: 'ongewijzigd', 'gegevens.loonwaarde': lw }, maxRedirects: 0,
        });
        assert.equal(r.status(), 403);
        assert.match(await r.text(), /CSRF/);
    });
    await withPage(async (page) => {
        await login(page, 'lwd.goeree');
        const r = await page.goto(`${srv.url}/zaken/${reId}/loonwaarde`);
        assert.equal(r.status(), 404);
        await clean(page, 'loonwaarde andere gemeente');
    });
});

await run();
