/*
 * desk.test.mjs — the case workers' desk in a real browser (Debian's Chromium), on a real
 * `lks serve` with demo data:
 *   - the login: labelled fields, a refusal shown in an error summary linked to its field,
 *     a login with the keyboard alone, a login form posted without its own token refused;
 *   - the werkvoorraad: the most urgent task first, its legal basis and days left, with and
 *     without JavaScript;
 *   - a case page: the view of the case, a command given as a form, an error beside its
 *     field with the typed values kept, a name like <img onerror> shown as text;
 *   - the same guarantees as the API: a POST without the CSRF token refused, an employer
 *     reaches no page of another company's case, a visitor not logged in is sent to the
 *     login page and back;
 *   - axe (WCAG 2.1 A/AA) finds nothing on any page or error state; screenshots of each.
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

/* The demo's cases of Helmond and the KvK number of their employers. */
function sql(q) {
    const r = spawnSync('sqlite3', [srv.db, q], { encoding: 'utf8' });
    return r.stdout.trim();
}
const helmondCase = Number(sql("SELECT id FROM cases WHERE tenant_id='gm0794' AND status='lopend' ORDER BY id LIMIT 1"));
const [kvkA, kvkB] = sql("SELECT DISTINCT e.kvk FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id='gm0794' ORDER BY e.kvk LIMIT 2").split('\n');
const caseOfB = Number(sql(`SELECT c.id FROM cases c JOIN employers e ON e.id=c.employer_id WHERE e.kvk='${kvkB}' ORDER BY c.id LIMIT 1`));
spawnSync(LKS, ['gebruiker', '--db', srv.db, '--gemeente', 'gm0794', '--naam', 'wg.a', '--rol',
    'werkgever', '--kvk', kvkA], { input: PASSWORD + '\n' });

async function login(page, name, back) {
    await page.goto(`${srv.url}/inloggen${back ? '?terug=' + encodeURIComponent(back) : ''}`);
    await page.getByLabel('Gebruikersnaam').fill(name);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForLoadState('load');
}

async function clean(page, name) {
    const v = await axe(page, name);
    assert.deepEqual(v, [], `${name}:\n${v.join('\n')}`);
}

test('de startpagina stuurt naar het inloggen; de velden hebben hun labels', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        await page.goto(`${srv.url}/`);
        assert.match(page.url(), /\/inloggen$/);
        assert.equal(await page.getByLabel('Gebruikersnaam').count(), 1);
        assert.equal(await page.getByLabel('Wachtwoord').count(), 1);
        assert.equal(await page.getByRole('button', { name: 'Inloggen' }).count(), 1);
        assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
        await clean(page, 'inloggen');
        await shot(page, 'inloggen');
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

test('een fout wachtwoord: de foutsamenvatting met een link naar het veld, toegankelijk', async () => {
    await withPage(async (page) => {
        await page.goto(`${srv.url}/inloggen`);
        await page.getByLabel('Gebruikersnaam').fill('kim');
        await page.getByLabel('Wachtwoord').fill('fout-wachtwoord-123');
        await page.getByRole('button', { name: 'Inloggen' }).click();
        const summary = page.locator('.lks-error-summary');
        await summary.waitFor();
        assert.match(await summary.innerText(), /onjuist/);
        assert.equal(await summary.locator('a[href="#f-wachtwoord"]').count(), 1);
        assert.equal(await page.getByLabel('Gebruikersnaam').inputValue(), 'kim', 'the name is kept');
        await clean(page, 'inloggen met een fout');
        await shot(page, 'inloggen-fout');
    });
});

test('inloggen met alleen het toetsenbord, en terug naar de gevraagde pagina', async () => {
    await withPage(async (page) => {
        await page.goto(`${srv.url}/zaken/${helmondCase}`);
        assert.match(page.url(), /\/inloggen\?terug=/);
        await tabTo(page, '#f-gebruikersnaam');
        await page.keyboard.type('kim');
        await press(page, 'Tab');
        assert.match(await focused(page), /#f-wachtwoord/);
        await page.keyboard.type(PASSWORD);
        await press(page, 'Enter');
        await page.waitForURL(`${srv.url}/zaken/${helmondCase}`);
        assert.match(await page.locator('h1').innerText(), new RegExp(`Zaak ${helmondCase}`));
    });
});

test('een inlogformulier zonder zijn eigen token logt niet in', async () => {
    const r = await fetch(`${srv.url}/inloggen`, {
        method: 'POST', redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ gebruikersnaam: 'kim', wachtwoord: PASSWORD }),
    });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('set-cookie')?.includes('lks_sessie=') ? 'cookie' : 'none', 'none');
});

test('de werkvoorraad: de meest dringende taak eerst, met grondslag en dagen', async () => {
    for (const javaScript of [true, false]) {
        await withPage({ javaScript }, async (page) => {
            const problems = watch(page);
            await login(page, 'kim');
            assert.match(page.url(), /\/werkvoorraad$/);
            await page.goto(`${srv.url}/werkvoorraad?van=alle`);
            const rows = page.locator('tbody tr');
            assert.ok(await rows.count() >= 5, 'the demo cases of Helmond are listed');
            const first = await rows.first().innerText();
            assert.match(first, /Zaak \d+/);
            assert.match(first, /Awb|Participatiewet|werkproces/, 'the legal basis is shown');
            assert.match(first, /Te laat|Nog|Vandaag/, 'the days left are shown in words');
            await clean(page, `werkvoorraad${javaScript ? '' : ' zonder JavaScript'}`);
            await shot(page, javaScript ? 'werkvoorraad' : 'werkvoorraad-zonder-js');
            assert.deepEqual(problems, [], problems.join('\n'));
        });
    }
});

test('een zaak: de berekening met grondslagen, een opdracht, een fout naast het veld', async () => {
    await withPage(async (page) => {
        await login(page, 'kim');
        await page.goto(`${srv.url}/zaken/${helmondCase}`);
        assert.match(await page.locator('h1').innerText(), new RegExp(`Zaak ${helmondCase}`));
        assert.ok(await page.locator('.lks-steps-list tbody tr').count() >= 3, 'the steps');
        await clean(page, 'zaak');
        await shot(page, 'zaak');
        // a command with an error: the form opens again with the error beside the field
        await page.locator('summary', { hasText: 'Kosten boeken' }).click();
        const form = page.locator('form[action$="/kosten-geboekt"]');
        await form.getByLabel('Omschrijving').fill('<img src=x onerror=alert(1)>');
        await form.getByRole('button').click();
        await page.waitForLoadState('load');
        const again = page.locator('form[action$="/kosten-geboekt"]');
        assert.equal(await again.getByLabel('Omschrijving').inputValue(),
            '<img src=x onerror=alert(1)>', 'the typed value is kept');
        assert.ok(await again.locator('.utrecht-form-field-error-message').count() >= 1,
            'the errors are beside their fields');
        await clean(page, 'zaak met een fout in een opdracht');
        await shot(page, 'zaak-fout');
        // now complete: back to the case with a message, the name shown as text
        await again.getByLabel('Soort').selectOption('overig');
        await again.getByLabel('Bedrag').fill('12.50');
        let dialog = false;
        page.on('dialog', (d) => { dialog = true; d.dismiss(); });
        await again.getByRole('button').click();
        await page.waitForURL(/gedaan=kosten-geboekt/);
        assert.match(await page.locator('[role=status]').first().innerText(), /Gedaan: Kosten boeken/);
        assert.match(await page.locator('body').innerText(), /<img src=x onerror=alert\(1\)>/);
        assert.equal(await page.locator('img[src=x]').count(), 0, 'no element came from the name');
        assert.equal(dialog, false, 'no script ran');
    });
});

test('een opdracht zonder het CSRF-token wordt geweigerd', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'kim');
        const r = await ctx.request.post(`${srv.url}/zaken/${helmondCase}/kosten-geboekt`, {
            form: { 'gegevens.soort': 'overig', 'gegevens.bedrag': '1.00' }, maxRedirects: 0,
        });
        assert.equal(r.status(), 403);
        assert.match(await r.text(), /CSRF/);
    });
});

test('een werkgever bereikt geen zaak van een ander bedrijf, een gemeente geen andere', async () => {
    await withPage(async (page) => {
        await login(page, 'wg.a');
        const r = await page.goto(`${srv.url}/zaken/${caseOfB}`);
        assert.equal(r.status(), 404);
        assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(kvkB));
        await clean(page, 'niet gevonden');
    });
    await withPage(async (page) => {
        await login(page, 'km.goeree');
        const r = await page.goto(`${srv.url}/zaken/${helmondCase}`);
        assert.equal(r.status(), 404);
    });
});

await run();
