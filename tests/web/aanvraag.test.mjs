/*
 * aanvraag.test.mjs — the application form in steps with drafts (p_aanvraag.c), in a real
 * browser on a real `lks serve` with demo data:
 *   - a case worker fills every step with the keyboard alone, saves to go on later, logs
 *     out and in, goes on from the list of drafts, submits and lands on the new case; the
 *     draft is gone;
 *   - a step with an error: the summary links to the field, the message beside it, the
 *     typed value kept, axe finds nothing; a refusal of the command on the overzicht links
 *     to its step and field;
 *   - without JavaScript the whole form works;
 *   - an employer: the werkgever step pre-filled from its own company, its KvK no field
 *     (and another KvK posted anyway is not taken); another user's draft is not found;
 *   - a name like <img onerror> stays text on the overzicht; a POST without the CSRF token
 *     is refused; the supplement page of a case waiting for information;
 *   - screenshots of every page and error state.
 */
import { spawnSync } from 'node:child_process';

import {
    LKS, PASSWORD, assert, axe, focused, press, run, shot, startServer, tabTo, test, watch,
    withPage,
} from './lib.mjs';

const srv = await startServer({
    demo: { zaken: 30, gemeenten: 2, seed: 5 },
    users: [
        { naam: 'kim', rol: 'klantmanager' },
        { naam: 'km2', rol: 'klantmanager' },
        { naam: 'fin', rol: 'financieel' },
    ],
});

function sql(q) {
    const r = spawnSync('sqlite3', [srv.db, q], { encoding: 'utf8' });
    return r.stdout.trim();
}
const kvkA = sql("SELECT e.kvk FROM employers e WHERE e.tenant_id='gm0794' AND e.iban <> '' ORDER BY e.kvk LIMIT 1");
const nameA = sql(`SELECT name FROM employers WHERE tenant_id='gm0794' AND kvk='${kvkA}'`);
const kvkB = sql(`SELECT kvk FROM employers WHERE tenant_id='gm0794' AND kvk <> '${kvkA}' ORDER BY kvk LIMIT 1`);
spawnSync(LKS, ['gebruiker', '--db', srv.db, '--gemeente', 'gm0794', '--naam', 'wg.a', '--rol',
    'werkgever', '--kvk', kvkA], { input: PASSWORD + '\n' });

/* An 11-proof BSN not in the demo store. */
function bsn(seed) {
    for (let n = seed; ; n++) {
        const s = String(n).padStart(9, '0');
        let t = 0;
        for (let i = 0; i < 8; i++)
            t += Number(s[i]) * (9 - i);
        t -= Number(s[8]);
        if (t % 11 === 0 && !sql(`SELECT 1 FROM persons WHERE bsn='${s}'`))
            return s;
    }
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

/* Type into the field of a label with the keyboard: Tab to it, then type. */
async function typeInto(page, label, text) {
    const id = await page.getByLabel(label, { exact: true }).getAttribute('id');
    await tabTo(page, `#${id}`, { max: 60 });
    await page.keyboard.type(text);
}

const today = new Date().toISOString().slice(0, 10);
const inAMonth = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);

test('een klantmanager vult alle stappen met het toetsenbord, bewaart, gaat later verder en dient in', async () => {
    const theBsn = bsn(123450000);
    let draftUrl;
    await withPage(async (page) => {
        const problems = watch(page);
        await login(page, 'kim');
        assert.equal(await page.getByRole('link', { name: 'Aanvraag' }).count(), 1, 'menu item');
        await page.goto(`${srv.url}/aanvragen/nieuw`);
        assert.equal(await page.locator('[aria-current="step"]').innerText(), 'Werknemer');
        assert.equal(await page.locator('ol.lks-progress > li').count(), 6);
        await clean(page, 'aanvraag werknemer');
        await shot(page, 'aanvraag-werknemer');
        await typeInto(page, 'Burgerservicenummer (BSN)', theBsn);
        await typeInto(page, 'Naam', 'Sanne Toetsenbord');
        await typeInto(page, 'Geboortedatum (niet verplicht)', '1990-04-12');
        await typeInto(page, 'Adres (niet verplicht)', 'Kerkstraat 1');
        await press(page, 'Enter'); /* the first button: Volgende */
        await page.waitForURL(/\/werkgever$/);
        draftUrl = page.url().replace(/\/werkgever$/, '');
        assert.doesNotMatch(page.url(), new RegExp(theBsn), 'no BSN in a URL');
        await clean(page, 'aanvraag werkgever');
        await shot(page, 'aanvraag-werkgever');
        await typeInto(page, 'KvK-nummer', kvkA);
        await press(page, 'Enter');
        await page.waitForURL(/\/dienstverband$/);
        await typeInto(page, 'Startdatum', inAMonth);
        await typeInto(page, 'Uren per week', '32');
        await typeInto(page, 'Brutoloon per maand (niet verplicht)', '2400,00');
        await typeInto(page, 'Functie (niet verplicht)', 'Medewerker magazijn');
        await shot(page, 'aanvraag-dienstverband');
        /* save and go on later: the button by keyboard */
        await tabTo(page, 'button[value="later"]', { max: 60 });
        await press(page, 'Enter');
        await page.waitForURL(/\/aanvragen\/concepten\?bewaard=/);
        assert.match(await page.locator('main').innerText(), /Sanne Toetsenbord/);
        await clean(page, 'concepten');
        await shot(page, 'aanvraag-concepten');
        await page.getByRole('button', { name: 'Uitloggen' }).click();
        await page.waitForLoadState('load');
        assert.deepEqual(problems, [], problems.join('\n'));
    });
    await withPage(async (page) => {
        const problems = watch(page);
        await login(page, 'kim');
        await page.goto(`${srv.url}/aanvragen/concepten`);
        await page.getByRole('link', { name: /Ga verder.*Sanne Toetsenbord/ }).click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /\/loonwaardemeting$/, 'goes on after the step saved');
        /* the typed values of the dienstverband were kept */
        await page.getByRole('link', { name: 'Dienstverband' }).click();
        assert.equal(await page.getByLabel('Uren per week').inputValue(), '32');
        await press(page, 'Tab');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForURL(/\/loonwaardemeting$/);
        await clean(page, 'aanvraag loonwaardemeting');
        await shot(page, 'aanvraag-loonwaardemeting');
        await typeInto(page, 'Normale voltijduren in de sector (niet verplicht)', '38');
        await press(page, 'Enter');
        await page.waitForURL(/\/indiener$/);
        await page.getByLabel('Wie vraagt aan').selectOption('werkgever');
        await clean(page, 'aanvraag indiener');
        await shot(page, 'aanvraag-indiener');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForURL(/\/overzicht$/);
        assert.match(await page.locator('main').innerText(), /Sanne Toetsenbord/);
        await clean(page, 'aanvraag overzicht');
        await shot(page, 'aanvraag-overzicht');
        await tabTo(page, 'form[aria-label="Aanvraag indienen"] button', { max: 80 });
        await press(page, 'Enter');
        await page.waitForURL(/\/zaken\/\d+$/);
        assert.match(await page.locator('h1').innerText(), /Sanne Toetsenbord/);
        const r = await page.goto(draftUrl + '/overzicht');
        assert.equal(r.status(), 404, 'the draft is gone');
        assert.deepEqual(problems.filter((p) => !/404/.test(p)), [], problems.join('\n'));
    });
    assert.equal(sql(`SELECT count(*) FROM persons WHERE bsn='${theBsn}'`), '1');
    assert.equal(sql("SELECT count(*) FROM drafts WHERE owner='kim'"), '0');
    /* the draft's reads and changes are in the processing log, with the BSN */
    const log = (q) => spawnSync('sqlite3', [srv.db + '-verwerkingen', q], { encoding: 'utf8' }).stdout.trim();
    assert.ok(Number(log(`SELECT count(*) FROM processing_log WHERE bsn='${theBsn}' AND object LIKE 'concept/%'`)) > 1,
        'draft reads and changes logged');
});

test('een fout in een stap: samenvatting met link, melding bij het veld, waarde bewaard, axe schoon', async () => {
    await withPage(async (page) => {
        await login(page, 'kim');
        await page.goto(`${srv.url}/aanvragen/nieuw`);
        await page.getByLabel('Naam', { exact: true }).fill('Piet Fout');
        await page.getByLabel('Geboortedatum (niet verplicht)').fill('12-04-1990');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForLoadState('load');
        const summary = page.locator('.lks-error-summary');
        await summary.waitFor();
        assert.match(await summary.innerText(), /Burgerservicenummer/);
        const bsnId = await page.getByLabel('Burgerservicenummer (BSN)').getAttribute('id');
        assert.equal(await summary.locator(`a[href="#${bsnId}"]`).count(), 1);
        assert.equal(await page.locator(`#${bsnId}-fout`).count(), 1, 'message beside the field');
        assert.equal(await page.getByLabel('Naam', { exact: true }).inputValue(), 'Piet Fout');
        assert.equal(await page.getByLabel('Geboortedatum (niet verplicht)').inputValue(), '12-04-1990');
        await clean(page, 'aanvraag stap met fout');
        await shot(page, 'aanvraag-stap-fout');
        /* the command's refusal on the overzicht: the BSN fails the 11-test */
        await page.getByLabel('Burgerservicenummer (BSN)').fill('123456789');
        await page.getByLabel('Geboortedatum (niet verplicht)').fill('1990-04-12');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForURL(/\/werkgever$/);
        const base = page.url().replace(/\/werkgever$/, '');
        await page.getByLabel('KvK-nummer').fill(kvkA);
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.getByLabel('Startdatum').fill(inAMonth);
        await page.getByLabel('Uren per week').fill('20');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForURL(/\/loonwaardemeting$/);
        await page.goto(base + '/indiener');
        await page.getByLabel('Wie vraagt aan').selectOption('werknemer');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForURL(/\/overzicht$/);
        await page.getByRole('button', { name: 'Aanvraag indienen' }).click();
        await page.waitForLoadState('load');
        const s2 = page.locator('.lks-error-summary');
        await s2.waitFor();
        const link = s2.locator('a[href*="/werknemer#"]');
        assert.equal(await link.count(), 1, 'links to the step and field');
        await clean(page, 'aanvraag overzicht met fout');
        await shot(page, 'aanvraag-overzicht-fout');
        await link.click();
        await page.waitForLoadState('load');
        assert.match(page.url(), /\/werknemer#/);
        assert.equal(await page.locator('.utrecht-form-field-error-message').count() > 0, true,
            'the step shows the error beside its field');
        await clean(page, 'aanvraag stap met fout van het indienen');
    });
});

test('zonder JavaScript werkt het formulier', async () => {
    await withPage({ javaScript: false }, async (page) => {
        await login(page, 'km2');
        await page.goto(`${srv.url}/aanvragen/nieuw`);
        await page.getByLabel('Burgerservicenummer (BSN)').fill(bsn(223450000));
        await page.getByLabel('Naam', { exact: true }).fill('Zonder Script');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForURL(/\/werkgever$/);
        await page.getByLabel('KvK-nummer').fill(kvkA);
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.getByLabel('Startdatum').fill(inAMonth);
        await page.getByLabel('Uren per week').fill('24');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.getByRole('button', { name: 'Vorige' }).click();
        await page.waitForURL(/\/dienstverband$/);
        assert.equal(await page.getByLabel('Uren per week').inputValue(), '24');
        await page.goto(page.url().replace(/dienstverband$/, 'indiener'));
        await page.getByLabel('Wie vraagt aan').selectOption('gemeente');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.getByRole('button', { name: 'Aanvraag indienen' }).click();
        await page.waitForURL(/\/zaken\/\d+$/);
        await shot(page, 'aanvraag-ingediend-zonder-js');
    });
});

test('een werkgever: de werkgever vooraf ingevuld, de KvK vast; het concept van een ander niet te zien', async () => {
    let otherDraft;
    await withPage(async (page) => {
        await login(page, 'kim');
        await page.goto(`${srv.url}/aanvragen/nieuw`);
        await page.getByLabel('Naam', { exact: true }).fill('Concept van Kim');
        await page.getByRole('button', { name: 'Opslaan en later verder' }).click();
        await page.waitForURL(/bewaard=(\d+)/);
        otherDraft = Number(new URL(page.url()).searchParams.get('bewaard'));
    });
    await withPage(async (page, ctx) => {
        const problems = watch(page);
        await login(page, 'wg.a');
        await page.goto(`${srv.url}/aanvragen/nieuw`);
        await page.getByLabel('Burgerservicenummer (BSN)').fill(bsn(323450000));
        await page.getByLabel('Naam', { exact: true }).fill('Werknemer van A');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForURL(/\/werkgever$/);
        assert.equal(await page.getByLabel('KvK-nummer').count(), 0, 'no KvK field');
        assert.match(await page.locator('#vaste-kvk').innerText(), new RegExp(kvkA));
        assert.equal(await page.getByLabel('Naam van het bedrijf (niet verplicht)').inputValue(), nameA,
            'pre-filled from the own company');
        /* every field its own hint: none repeats another's or the step's question */
        const intro = (await page.locator('#stap-kop + p').innerText()).trim();
        const hints = (await page.locator('.utrecht-form-field-description').allInnerTexts())
            .map((t) => t.trim());
        assert.equal(hints.length, 7, `a hint for each of the 7 fields: ${hints.join(' | ')}`);
        assert.equal(new Set(hints).size, hints.length, `no hint twice: ${hints.join(' | ')}`);
        assert.ok(!hints.includes(intro), `the step's question is no field's hint: ${intro}`);
        for (const [label, hint] of [['Plaats (niet verplicht)', 'de plaats van het adres'],
            ['Aantal werknemers (niet verplicht)', 'hoeveel mensen nu bij het bedrijf in dienst zijn']]) {
            const id = await page.getByLabel(label).getAttribute('aria-describedby');
            assert.equal((await page.locator(`#${id}`).innerText()).trim(), hint, label);
        }
        await clean(page, 'aanvraag werkgever door werkgever');
        await shot(page, 'aanvraag-werkgever-portaal');
        /* another KvK posted anyway is not taken */
        const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
        const stepUrl = page.url();
        const r = await ctx.request.post(stepUrl, {
            form: { _csrf: csrf, _actie: 'later', 'gegevens.werkgever.kvk': kvkB }, maxRedirects: 0,
        });
        assert.equal(r.status(), 303);
        const id = Number(stepUrl.match(/concepten\/(\d+)\//)[1]);
        const kept = sql(`SELECT json_extract(data, '$.velden."gegevens.werkgever.kvk"') FROM drafts WHERE id=${id}`);
        assert.equal(kept, kvkA, 'the KvK stays the own company');
        const r2 = await page.goto(`${srv.url}/aanvragen/concepten/${otherDraft}/werknemer`);
        assert.equal(r2.status(), 404);
        assert.doesNotMatch(await page.locator('body').innerText(), /Concept van Kim/);
        await clean(page, 'concept van een ander');
        const r3 = await ctx.request.post(`${srv.url}/aanvragen/concepten/${otherDraft}/verwijderen`,
            { form: { _csrf: csrf }, maxRedirects: 0 });
        assert.equal(r3.status(), 404);
        assert.equal(sql(`SELECT count(*) FROM drafts WHERE id=${otherDraft}`), '1');
        /* and applies: the portal's case page of its own company */
        await page.goto(stepUrl);
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForURL(/\/dienstverband$/);
        await page.getByLabel('Startdatum').fill(inAMonth);
        await page.getByLabel('Uren per week').fill('30');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForURL(/\/indiener$/);
        assert.equal(await page.getByLabel('Wie vraagt aan').count(), 0, 'the applicant is fixed');
        await page.getByRole('button', { name: 'Volgende' }).click();
        await page.waitForURL(/\/overzicht$/);
        await page.getByRole('button', { name: 'Aanvraag indienen' }).click();
        await page.waitForURL(/\/portaal\/zaken\/\d+$/);
        const caseId = Number(page.url().match(/(\d+)$/)[1]);
        assert.equal(sql(`SELECT e.kvk FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.id=${caseId}`), kvkA);
        assert.equal(sql(`SELECT applicant FROM cases WHERE id=${caseId}`) || 'werkgever', 'werkgever');
        assert.deepEqual(problems.filter((p) => !/404/.test(p)), [], problems.join('\n'));
    });
    await withPage(async (page) => {
        await login(page, 'km2');
        const r = await page.goto(`${srv.url}/aanvragen/concepten/${otherDraft}/overzicht`);
        assert.equal(r.status(), 404, 'another case worker does not reach it either');
        await page.goto(`${srv.url}/aanvragen/concepten`);
        assert.doesNotMatch(await page.locator('main').innerText(), /Concept van Kim/);
    });
});

test('een naam als <img onerror> blijft tekst op het overzicht', async () => {
    await withPage(async (page) => {
        let dialog = false;
        page.on('dialog', (d) => { dialog = true; d.dismiss(); });
        await login(page, 'kim');
        await page.goto(`${srv.url}/aanvragen/nieuw`);
        await page.getByLabel('Naam', { exact: true }).fill('<img src=x onerror=alert(1)>');
        await page.getByRole('button', { name: 'Opslaan en later verder' }).click();
        await page.waitForURL(/bewaard=(\d+)/);
        const id = new URL(page.url()).searchParams.get('bewaard');
        await page.goto(`${srv.url}/aanvragen/concepten/${id}/overzicht`);
        assert.match(await page.locator('main').innerText(), /<img src=x onerror=alert\(1\)>/);
        assert.equal(await page.locator('img[src=x]').count(), 0);
        assert.equal(dialog, false);
    });
});

test('een POST zonder het CSRF-token wordt geweigerd', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'kim');
        const r = await ctx.request.post(`${srv.url}/aanvragen/nieuw`, {
            form: { 'gegevens.werknemer.naam': 'Zonder token' }, maxRedirects: 0,
        });
        assert.equal(r.status(), 403);
        assert.match(await r.text(), /CSRF/);
        assert.equal(sql("SELECT count(*) FROM drafts WHERE data LIKE '%Zonder token%'"), '0');
    });
});

test('wie geen zaak mag beginnen (financieel) ziet geen Aanvraag in het menu en krijgt 403', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'fin');
        assert.equal(await page.locator('nav a[href="/aanvragen/nieuw"]').count(), 0);
        const r = await page.goto(`${srv.url}/aanvragen/nieuw`);
        assert.equal(r.status(), 403);
        await clean(page, 'aanvraag-geweigerd');
        const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value');
        assert.ok(csrf, 'the logout form carries the token');
        const p = await ctx.request.post(`${srv.url}/aanvragen/nieuw`, {
            form: { _csrf: csrf, 'gegevens.werknemer.naam': 'Van financieel' }, maxRedirects: 0,
        });
        assert.equal(p.status(), 403);
        assert.doesNotMatch(await p.text(), /CSRF/, 'refused for the role, not the token');
        assert.equal(sql("SELECT count(*) FROM drafts WHERE data LIKE '%Van financieel%'"), '0');
    });
    await withPage(async (page) => {
        await login(page, 'kim');
        assert.equal(await page.locator('nav a[href="/aanvragen/nieuw"]').count(), 1);
    });
});

test('de aanvulling op een zaak die wacht op informatie', async () => {
    /* a case just applied for, for which kim asks what is missing (the case page's form) */
    const waiting = Number(sql("SELECT max(id) FROM cases WHERE tenant_id='gm0794' AND status='aanvraag'"));
    assert.ok(waiting > 0, 'a case in aanvraag');
    await withPage(async (page, ctx) => {
        const problems = watch(page);
        await login(page, 'kim');
        await page.goto(`${srv.url}/zaken/${waiting}`);
        const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
        const asked = await ctx.request.post(`${srv.url}/zaken/${waiting}/informatie-gevraagd`, {
            form: { _csrf: csrf, 'gegevens.ontbreekt:list': 'functie' }, maxRedirects: 0,
        });
        assert.equal(asked.status(), 303);
        assert.equal(sql(`SELECT status FROM cases WHERE id=${waiting}`), 'wacht-op-informatie');
        await page.goto(`${srv.url}/zaken/${waiting}/aanvulling`);
        assert.match(await page.locator('main').innerText(), /vraagt om/);
        await clean(page, 'aanvulling');
        await shot(page, 'aanvulling');
        await page.getByLabel('Uren per week').fill('abc');
        await page.getByRole('button', { name: 'Stuur de aanvulling' }).click();
        await page.waitForLoadState('load');
        await page.locator('.lks-error-summary').waitFor();
        assert.equal(await page.getByLabel('Uren per week').inputValue(), 'abc');
        await clean(page, 'aanvulling met fout');
        await shot(page, 'aanvulling-fout');
        await page.getByLabel('Uren per week').fill('32');
        await page.getByLabel('Functie (niet verplicht)').fill('Productiemedewerker');
        await page.getByLabel('Brutoloon per maand (niet verplicht)').fill('2300.00');
        await page.getByRole('button', { name: 'Stuur de aanvulling' }).click();
        await page.waitForURL(new RegExp(`/zaken/${waiting}\\?gedaan=informatie-aangevuld`));
        assert.match(await page.locator('main').innerText(), /Gedaan: De aanvulling is vastgelegd/);
        assert.equal(sql(`SELECT status FROM cases WHERE id=${waiting}`), 'aanvraag');
        assert.deepEqual(problems.filter((p) => !/400/.test(p)), [], problems.join('\n'));
    });
});

void focused;
void today;
await run();
