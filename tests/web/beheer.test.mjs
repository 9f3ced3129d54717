/*
 * beheer.test.mjs — the auditor's processing log, the beheerder's users and policy, and the
 * rule tables in a real browser on a real `lks serve` with demo data:
 *   - the auditor lists the log for a period and searches it by BSN through a POSTed form:
 *     the BSN is in no URL the browser visited or requested; an invalid BSN gets the app's
 *     message at its field; with JavaScript off and with the keyboard alone;
 *   - the beheerder adds a user (refused first: a name taken, a role a beheerder may not
 *     give), its display name <img onerror> stays text, blocks it, and the blocked user
 *     cannot log in; adds a policy change out of its bounds (the message at the field),
 *     then a valid one, in force from its date;
 *   - the applicatiebeheerder adds a wml row (refused first, the typed values kept), shown
 *     with its source and who added it;
 *   - a klantmanager gets no /verwerkingen or /beheer page (403), a beheerder of another
 *     municipality no user of this one (404), a POST without _csrf is refused;
 *   - axe (WCAG 2.1 A/AA) finds nothing on any page or error state; screenshots of each.
 */
import { spawnSync } from 'node:child_process';

import {
    PASSWORD, assert, axe, focused, press, run, shot, startServer, tabTo, test, watch, withPage,
} from './lib.mjs';

const srv = await startServer({
    demo: { zaken: 30, gemeenten: 2, seed: 7 },
    users: [
        { naam: 'kim', rol: 'klantmanager' },
        { naam: 'aud', rol: 'auditor' },
        { naam: 'beh', rol: 'beheerder' },
        { naam: 'beh.goeree', rol: 'beheerder', gemeente: 'gm1924' },
        { naam: 'appb', rol: 'applicatiebeheerder' },
    ],
});

function sql(q) {
    return spawnSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).stdout.trim();
}
/* the processing log has a file of its own beside the store */
function plog(q) {
    return spawnSync('sqlite3', [srv.db + '-verwerkingen', q], { encoding: 'utf8' }).stdout.trim();
}
const BSN = sql("SELECT bsn FROM persons WHERE tenant_id='gm0794' AND bsn IS NOT NULL ORDER BY id LIMIT 1");
assert.match(BSN, /^\d{9}$/, 'a demo person with a BSN');

async function login(page, name, pw = PASSWORD) {
    await page.goto(`${srv.url}/inloggen`);
    await page.getByLabel('Gebruikersnaam').fill(name);
    await page.getByLabel('Wachtwoord').fill(pw);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForLoadState('load');
}

async function clean(page, name) {
    const v = await axe(page, name);
    assert.deepEqual(v, [], `${name}:\n${v.join('\n')}`);
}

/* Every URL the page visited or requested from now on. */
function urls(page) {
    const seen = [];
    page.on('request', (r) => seen.push(r.url()));
    page.on('framenavigated', (f) => seen.push(f.url()));
    return seen;
}

/* kim searches the person, so the log has entries about it */
await withPage(async (page) => {
    await login(page, 'kim');
    await page.getByLabel('Zoek op BSN').fill(BSN);
    await page.getByRole('button', { name: 'Zoek persoon' }).click();
    await page.waitForLoadState('load');
});

test('de auditor ziet de verwerkingen van een periode, de nieuwste eerst', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        await login(page, 'aud');
        await page.getByRole('link', { name: 'Verwerkingen' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /\/verwerkingen$/);
        const rows = page.locator('tbody tr');
        assert.ok(await rows.count() >= 2, 'entries of the last 7 days');
        const first = await rows.nth(0).locator('td').nth(0).innerText();
        const second = await rows.nth(1).locator('td').nth(0).innerText();
        const key = (s) => s.replace(/^(\d\d)-(\d\d)-(\d{4}) (.*)$/, '$3$2$1 $4');
        assert.ok(key(first) >= key(second), `newest first: ${first} before ${second}`);
        await clean(page, 'verwerkingen');
        await shot(page, 'verwerkingen');
        /* a period in the future: nothing */
        await page.getByLabel('Van (JJJJ-MM-DD)').fill('2199-01-01');
        await page.getByLabel('Tot en met (JJJJ-MM-DD)').fill('2199-01-31');
        await page.getByRole('button', { name: 'Toon periode' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /van=2199-01-01/);
        assert.match(await page.locator('tbody').innerText(), /Geen verwerkingen/);
        /* a wrong date: the message at its field */
        await page.getByLabel('Van (JJJJ-MM-DD)').fill('gisteren');
        await page.getByRole('button', { name: 'Toon periode' }).click();
        await page.waitForLoadState('load');
        assert.equal(await page.locator('#f-van-fout').count(), 1);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-van"]').count(), 1);
        assert.equal(await page.getByLabel('Van (JJJJ-MM-DD)').inputValue(), 'gisteren');
        await clean(page, 'verwerkingen fout periode');
        await shot(page, 'verwerkingen-fout-periode');
        assert.deepEqual(problems.filter((p) => !/\b400\b/.test(p)), [], problems.join('\n'));
    });
});

test('zoeken op BSN: de verwerkingen over die persoon, het BSN in geen enkele URL', async () => {
    await withPage(async (page) => {
        const seen = urls(page);
        await login(page, 'aud');
        await page.goto(`${srv.url}/verwerkingen`);
        await page.getByLabel('Verwerkingen over BSN (in deze periode)').fill(BSN);
        await page.getByRole('button', { name: 'Zoek op BSN' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /\/verwerkingen\/bsn$/);
        assert.match(await page.locator('caption').innerText(), /over deze persoon/);
        const cells = await page.locator('tbody tr td:nth-child(5)').allInnerTexts();
        assert.ok(cells.length >= 1, 'entries about the person');
        for (const c of cells)
            assert.equal(c.trim(), BSN, 'only entries about this person');
        assert.match(await page.locator('tbody').innerText(), /zoeken/, "kim's search is there");
        await clean(page, 'verwerkingen op bsn');
        await shot(page, 'verwerkingen-bsn');
        for (const u of seen)
            assert.ok(!u.includes(BSN), `BSN in a URL: ${u}`);
        /* the search itself is logged */
        const n = Number(plog(`SELECT count(*) FROM processing_log WHERE bsn='${BSN}' AND object='verwerkingen/zoeken' AND user='aud'`));
        assert.ok(n >= 1, 'the search is in the processing log');
    });
});

test('een ongeldig BSN: de melding van de app bij het veld, toegankelijk', async () => {
    await withPage(async (page) => {
        await login(page, 'aud');
        await page.goto(`${srv.url}/verwerkingen`);
        await page.getByLabel('Verwerkingen over BSN (in deze periode)').fill('123456789');
        const [resp] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/verwerkingen/bsn')),
            page.getByRole('button', { name: 'Zoek op BSN' }).click(),
        ]);
        assert.equal(resp.status(), 400);
        await page.waitForLoadState('load');
        assert.match(await page.locator('#f-bsn-fout').innerText(), /het BSN/);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-bsn"]').count(), 1);
        assert.equal(await page.locator('#f-bsn').getAttribute('aria-invalid'), 'true');
        assert.equal(await page.locator('#f-bsn').inputValue(), '123456789', 'the typed value is kept');
        await clean(page, 'verwerkingen ongeldig bsn');
        await shot(page, 'verwerkingen-bsn-fout');
    });
});

test('zonder JavaScript en met het toetsenbord alleen: zoeken op BSN', async () => {
    await withPage({ javaScript: false }, async (page) => {
        const seen = urls(page);
        await login(page, 'aud');
        await page.goto(`${srv.url}/verwerkingen`);
        await page.getByLabel('Verwerkingen over BSN (in deze periode)').fill(BSN);
        await page.getByRole('button', { name: 'Zoek op BSN' }).click();
        await page.waitForLoadState('load');
        assert.match(await page.locator('caption').innerText(), /over deze persoon/);
        await clean(page, 'verwerkingen zonder js');
        for (const u of seen)
            assert.ok(!u.includes(BSN), `BSN in a URL: ${u}`);
    });
    await withPage(async (page) => {
        await login(page, 'aud');
        await page.goto(`${srv.url}/verwerkingen`);
        await tabTo(page, '#f-bsn');
        assert.match(await focused(page), /#f-bsn/);
        await page.keyboard.type(BSN);
        await Promise.all([page.waitForURL(/\/verwerkingen\/bsn$/), press(page, 'Enter')]);
        assert.match(page.url(), /\/verwerkingen\/bsn$/);
        assert.match(await page.locator('caption').innerText(), /over deze persoon/);
    });
});

test('de beheerder voegt een gebruiker toe (eerst geweigerd), die als tekst blijft, en blokkeert hem', async () => {
    const XSS = '<img src=x onerror=alert(1)>';
    await withPage(async (page, ctx) => {
        let dialog = false;
        page.on('dialog', (d) => { dialog = true; d.dismiss(); });
        await login(page, 'beh');
        await page.getByRole('link', { name: 'Beheer' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /\/beheer\/gebruikers$/);
        assert.match(await page.locator('tbody').innerText(), /kim/);
        await clean(page, 'gebruikers');
        await shot(page, 'beheer-gebruikers');
        /* a name that exists */
        await page.getByLabel('Gebruikersnaam').fill('kim');
        await page.getByLabel('Naam (zoals collega\'s die zien)').fill('Nog een Kim');
        await page.getByLabel('Rol', { exact: true }).selectOption('klantmanager');
        await page.getByLabel('Eerste wachtwoord (ten minste 12 tekens)').fill('een-goed-wachtwoord-1');
        await page.getByRole('button', { name: 'Voeg gebruiker toe' }).click();
        await page.waitForLoadState('load');
        assert.equal(await page.locator('#f-nieuw-gebruikersnaam-fout').count(), 1);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-nieuw-gebruikersnaam"]').count(), 1);
        assert.equal(await page.getByLabel('Naam (zoals collega\'s die zien)').inputValue(), 'Nog een Kim');
        await clean(page, 'gebruikers naam bestaat');
        await shot(page, 'beheer-gebruikers-naam-bestaat');
        /* a role a beheerder may not give (not in the list: posted as a form would be) */
        const csrf = await page.locator('input[name=_csrf]').first().inputValue();
        const r = await ctx.request.post(`${srv.url}/beheer/gebruikers`, {
            form: { _csrf: csrf, gebruikersnaam: 'nieuw.x', naam: 'X', rol: 'applicatiebeheerder',
                wachtwoord: 'een-goed-wachtwoord-1' }, maxRedirects: 0,
        });
        assert.equal(r.status(), 400);
        assert.match(await r.text(), /id="f-nieuw-rol-fout"[^>]*>kies uit klantmanager/);
        /* a valid one, with a display name that is markup */
        await page.getByLabel('Gebruikersnaam').fill('nieuw.collega');
        await page.getByLabel('Naam (zoals collega\'s die zien)').fill(XSS);
        await page.getByLabel('Rol', { exact: true }).selectOption('klantmanager');
        await page.getByLabel('Eerste wachtwoord (ten minste 12 tekens)').fill('een-goed-wachtwoord-1');
        await page.getByRole('button', { name: 'Voeg gebruiker toe' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /gedaan=toegevoegd/);
        const row = page.locator('tbody tr', { hasText: 'nieuw.collega' });
        assert.equal(await row.count(), 1);
        assert.match(await row.innerText(), /<img src=x onerror=alert\(1\)>/);
        assert.equal(await page.locator('img[src=x]').count(), 0, 'no element came from the name');
        assert.equal(dialog, false, 'no script ran');
        await row.getByRole('button', { name: /Blokkeer/ }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /gedaan=geblokkeerd/);
        assert.match(await page.locator('tbody tr', { hasText: 'nieuw.collega' }).innerText(), /geblokkeerd/);
        await clean(page, 'gebruikers geblokkeerd');
        await shot(page, 'beheer-gebruikers-geblokkeerd');
    });
    await withPage(async (page) => {
        await login(page, 'nieuw.collega', 'een-goed-wachtwoord-1');
        assert.match(page.url(), /\/inloggen/, 'a blocked user is not logged in');
        assert.equal(await page.locator('.lks-error-summary').count(), 1);
    });
});

test('een gebruiker toegevoegd en een wachtwoord gezet via de pagina (gehasht op de pool): inloggen lukt', async () => {
    await withPage(async (page) => {
        await login(page, 'beh');
        await page.goto(`${srv.url}/beheer/gebruikers`);
        await page.getByLabel('Gebruikersnaam').fill('pool.collega');
        await page.getByLabel('Naam (zoals collega\'s die zien)').fill('Pool Collega');
        await page.getByLabel('Rol', { exact: true }).selectOption('klantmanager');
        await page.getByLabel('Eerste wachtwoord (ten minste 12 tekens)').fill('eerste-wachtwoord-12');
        await page.getByRole('button', { name: 'Voeg gebruiker toe' }).click();
        await page.waitForURL(/gedaan=toegevoegd/);
        assert.match(await page.locator('main').innerText(), /De gebruiker is toegevoegd/);
        assert.match(srv.stderr(), /beheer: beh maakt gebruiker pool\.collega/, 'the trail, from the pool');
    });
    await withPage(async (page) => {
        await login(page, 'pool.collega', 'eerste-wachtwoord-12');
        assert.doesNotMatch(page.url(), /\/inloggen/, 'the new user logs in');
    });
    await withPage(async (page) => {
        await login(page, 'beh');
        await page.goto(`${srv.url}/beheer/gebruikers`);
        const form = page.locator('form[action="/beheer/gebruikers/pool.collega/wachtwoord"]');
        await form.locator('input[name=wachtwoord]').fill('tweede-wachtwoord-12');
        await form.getByRole('button').click();
        await page.waitForURL(/gedaan=wachtwoord/);
        assert.match(srv.stderr(), /beheer: beh zet het wachtwoord van pool\.collega/);
    });
    await withPage(async (page) => {
        await login(page, 'pool.collega', 'eerste-wachtwoord-12');
        assert.match(page.url(), /\/inloggen/, 'the old password no longer');
        await login(page, 'pool.collega', 'tweede-wachtwoord-12');
        assert.doesNotMatch(page.url(), /\/inloggen/, 'the new one does');
    });
});

test('de beheerder legt een beleidswijziging vast: buiten de grenzen geweigerd, dan geldig', async () => {
    await withPage({ javaScript: false }, async (page) => {
        await login(page, 'beh');
        await page.goto(`${srv.url}/beheer/beleid`);
        await clean(page, 'beleid');
        await shot(page, 'beheer-beleid');
        const d = new Date();
        const iso = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
        await page.getByLabel('Instelling').selectOption('ondergrens');
        await page.getByLabel('Geldt vanaf (JJJJ-MM-DD)').fill(iso);
        await page.getByLabel('Nieuwe waarde').fill('150');
        await page.getByRole('button', { name: 'Leg wijziging vast' }).click();
        await page.waitForLoadState('load');
        assert.match(await page.locator('#f-waarde-fout').innerText(), /buiten het toegestane bereik/);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-waarde"]').count(), 1);
        assert.equal(await page.getByLabel('Nieuwe waarde').inputValue(), '150');
        await clean(page, 'beleid buiten grenzen');
        await shot(page, 'beheer-beleid-fout');
        await page.getByLabel('Nieuwe waarde').fill('35');
        await page.getByRole('button', { name: 'Leg wijziging vast' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /\/beheer\/beleid\?gedaan=ja$/);
        const row = page.locator('tbody tr', { hasText: 'ondergrens' }).first();
        assert.match(await row.innerText(), /35/);
        const hist = page.locator('tbody tr', { hasText: 'ondergrens' }).last();
        assert.match(await hist.innerText(), /30.*35/s, 'the history: was 30, becomes 35');
        await shot(page, 'beheer-beleid-gewijzigd');
    });
});

test('de applicatiebeheerder voegt een regel toe aan het minimumloon, met de bron', async () => {
    await withPage(async (page) => {
        /* a visitor sees the tables and the way in, no form */
        await page.goto(`${srv.url}/regels`);
        assert.equal(await page.locator('form[action="/regels/wml"]').count(), 0, 'the public page');
        await page.getByRole('link', { name: 'Log in om een regel toe te voegen' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /\/inloggen/);
        await login(page, 'appb');
        /* logged in, the public page knows the operator: its forms are there too */
        await page.goto(`${srv.url}/regels`);
        assert.equal(await page.locator('form[action="/regels/wml"]').count(), 1, 'the operator on /regels');
        assert.equal(await page.getByRole('link', { name: 'Log in om een regel toe te voegen' }).count(), 0);
        await page.goto(`${srv.url}/regels/beheer`);
        await clean(page, 'regels');
        await shot(page, 'regels');
        const form = page.locator('form[action="/regels/wml"]');
        await form.getByLabel('Kolom month').fill('2400.00');
        await form.getByRole('button', { name: 'Voeg regel toe' }).click();
        await page.waitForLoadState('load');
        assert.match(await page.locator('#f-wml-vanaf-fout').innerText(), /verplicht/);
        assert.match(await page.locator('#f-wml-bron-fout').innerText(), /verplicht/);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-wml-vanaf"]').count(), 1);
        assert.equal(await page.locator('form[action="/regels/wml"]').getByLabel('Kolom month').inputValue(), '2400.00');
        await clean(page, 'regels fout');
        await shot(page, 'regels-fout');
        const f2 = page.locator('form[action="/regels/wml"]');
        await f2.getByLabel('Geldt vanaf (JJJJ-MM-DD)').fill('2026-07-01');
        await f2.getByLabel('Kolom hour').fill('15.38');
        await f2.getByLabel('Kolom full_age').fill('21');
        await f2.getByLabel(/Bron/).fill('Stcrt. 2026, nr. 99999');
        await f2.getByRole('button', { name: 'Voeg regel toe' }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /\/regels\/beheer\?toegevoegd=wml/);
        const row = page.locator('#tabel-wml tbody tr').first();
        const text = await row.innerText();
        assert.match(text, /1 juli 2026/);
        assert.match(text, /Stcrt\. 2026, nr\. 99999/);
        assert.match(text, /toegevoegd door appb/);
        assert.match(text, /€ 2\.400,00/);
        await shot(page, 'regels-toegevoegd');
    });
    /* public: the same tables without the form */
    await withPage(async (page) => {
        await page.goto(`${srv.url}/regels`);
        assert.match(await page.locator('#tabel-wml').innerText(), /Stcrt\. 2026, nr\. 99999/);
        assert.equal(await page.locator('form[action="/regels/wml"]').count(), 0);
    });
});

test('geen toegang: een klantmanager, een andere gemeente, een POST zonder CSRF-token', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'kim');
        for (const p of ['/verwerkingen', '/beheer/gebruikers', '/beheer/beleid']) {
            const r = await page.goto(`${srv.url}${p}`);
            assert.equal(r.status(), 403, p);
        }
        assert.equal(await page.getByRole('link', { name: 'Verwerkingen' }).count(), 0);
        assert.equal(await page.getByRole('link', { name: 'Beheer' }).count(), 0);
        await clean(page, 'geen toegang');
        await shot(page, 'beheer-geen-toegang');
        const r = await ctx.request.post(`${srv.url}/regels/wml`, {
            form: { vanaf: '2027-01-01', bron: 'x' }, maxRedirects: 0 });
        assert.ok([403].includes(r.status()), `a klantmanager adds no rule: ${r.status()}`);
    });
    await withPage(async (page, ctx) => {
        await login(page, 'beh.goeree');
        const csrf = await (await page.goto(`${srv.url}/beheer/gebruikers`), page.locator('input[name=_csrf]').first().inputValue());
        assert.doesNotMatch(await page.locator('tbody').innerText(), /\bkim\b/);
        const r = await ctx.request.post(`${srv.url}/beheer/gebruikers/kim/blokkering`, {
            form: { _csrf: csrf, geblokkeerd: 'ja' }, maxRedirects: 0 });
        assert.equal(r.status(), 404);
    });
    await withPage(async (page, ctx) => {
        await login(page, 'beh');
        const r = await ctx.request.post(`${srv.url}/beheer/gebruikers`, {
            form: { gebruikersnaam: 'zonder.token', naam: 'Z', rol: 'auditor',
                wachtwoord: 'een-goed-wachtwoord-1' }, maxRedirects: 0 });
        assert.equal(r.status(), 403);
        assert.match(await r.text(), /CSRF/);
        const r2 = await ctx.request.post(`${srv.url}/verwerkingen/bsn`, { form: { bsn: BSN }, maxRedirects: 0 });
        assert.equal(r2.status(), 403);
    });
    assert.equal(sql("SELECT count(*) FROM users WHERE name='zonder.token'"), '0');
    assert.equal(sql("SELECT active FROM users WHERE name='kim'"), '1');
});

await run();
