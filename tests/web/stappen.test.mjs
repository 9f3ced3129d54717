/*
 * stappen.test.mjs — the process steps of a case as pages, in a real browser on a real
 * `lks serve`: on a new case (made with the CLI, complete, in doelgroepbepaling)
 *   - the toegangstoets: each criterion a ja/nee group; a 'nee' on question 3 without the
 *     argument is refused with the message beside the field (axe clean), "Bereken uitkomst"
 *     shows the outcome with its reasoning without saving, the saved test shows on the
 *     case page with its reasoning; answered with the keyboard alone;
 *   - the loonwaardemeting: asked for on the case page, the report's due date on the
 *     loonwaarde page, a result with 3 tasks whose shares add up to 90 refused (axe clean),
 *     then 100 accepted; a task name like <img onerror> stays text;
 *   - the beschikking: the preview with every step, its amount equal to the API's view
 *     after sending, the objection deadline on the case page;
 *   - without JavaScript the pages work the same; a POST without _csrf is refused; an
 *     employer user of the case's own company and a user of another municipality reach
 *     none of the step pages (403/404).
 * Screenshots of every page and error state in build/screenshots.
 */
import { spawnSync } from 'node:child_process';

import {
    LKS, PASSWORD, assert, axe, focused, press, run, shot, startServer, tabTo, test, watch,
    withPage,
} from './lib.mjs';

const KVK = '69599084';
const srv = await startServer({
    demo: { zaken: 20, gemeenten: 2, seed: 5, regels: true },
    users: [
        { naam: 'kim', rol: 'klantmanager' },
        { naam: 'lwd', rol: 'loonwaardedeskundige' },
        { naam: 'bes', rol: 'beslisser' },
        { naam: 'km.goeree', rol: 'klantmanager', gemeente: 'gm1924' },
    ],
});

function lks(args, input) {
    const r = spawnSync(LKS, args, { encoding: 'utf8', input });
    if (r.status !== 0)
        throw new Error(`lks ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

/* A new case of Helmond, complete: the job started about 170 days ago (within the six
 * months a late application allows; the demo carries the rule tables forward past today). */
const iso = (d) => d.toISOString().slice(0, 10);
const start = iso(new Date(Date.now() - 170 * 86400e3));
const form = {
    werknemer: { bsn: '123456782', naam: 'Sanne Stappen', geboortedatum: '1995-03-01',
        adres: 'Dorpsstraat 1', postcode: '5701AA', woonplaats: 'Helmond' },
    werkgever: { kvk: KVK, naam: 'Stap B.V.', adres: 'Markt 1', postcode: '5701AB',
        plaats: 'Helmond', voltijduren: '38', iban: 'NL91ABNA0417164300' },
    dienstverband: { start, uren: '32', loon: '2300.00', functie: 'medewerker' },
    aanvrager: 'werkgever', naStartToegestaan: true,
};
const cli = ['--db', srv.db, '--als', 'klantmanager', '--gebruiker', 'kim', '--gemeente', 'gm0794'];
const made = JSON.parse(lks(['zaak', 'aanvraag-ingediend', ...cli, '--gegevens', JSON.stringify(form)]));
const id = made.zaak;
lks(['zaak', 'aanvraag-compleet', ...cli, String(id)]);
lks(['gebruiker', '--db', srv.db, '--gemeente', 'gm0794', '--naam', 'wg.stap', '--rol', 'werkgever',
    '--kvk', KVK], PASSWORD + '\n');

const XSS = '<img src=x onerror=alert(1)>';

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

/* Answer a criterion: its radio by id (f-vraag1-lichamelijk is ja, …-nee is nee). */
async function answer(page, key, yes) {
    const fid = `#f-${key.replace('.', '-')}${yes ? '' : '-nee'}`;
    await page.locator(fid).check();
}

async function answerUpTo3(page, q3) {
    await answer(page, 'vraag1.lichamelijk', true);
    for (const c of ['verstandelijk', 'psychisch', 'psychosociaal'])
        await answer(page, `vraag1.${c}`, false);
    for (const c of ['geenGevolgenVoorWerk', 'compenseerbaarMetVoorzieningen'])
        await answer(page, `vraag2a.${c}`, false);
    for (const c of ['regulierWerktempo', 'continuiteit', 'zelfstandigWerken'])
        await answer(page, `vraag2b.${c}`, false);
    const crit = ['prestatieMinstens20Procent', 'begeleidingHoogstens15Procent',
        'uurAaneengesloten', 'zonderPermanentToezicht'];
    for (let i = 0; i < crit.length; i++)
        await answer(page, `vraag3.${crit[i]}`, q3[i]);
}

test('toegangstoets: een nee op vraag 3 zonder onderbouwing, de uitkomst berekend, vastgelegd', async () => {
    await withPage(async (page) => {
        const problems = watch(page);
        await login(page, 'kim');
        await page.goto(`${srv.url}/zaken/${id}`);
        await page.getByRole('link', { name: 'Voer de toegangstoets uit' }).click();
        assert.match(page.url(), new RegExp(`/zaken/${id}/toegangstoets$`));
        assert.equal(await page.locator('fieldset.lks-criterion').count(), 13, 'every criterion a group');
        assert.equal(await page.locator('fieldset.lks-criterion legend').first().innerText(),
            'beperkingen van lichamelijke aard');
        await clean(page, 'toegangstoets');
        await shot(page, 'toegangstoets');

        // 'nee' on question 3 without the argument: refused, the message beside the field
        await answerUpTo3(page, [true, true, true, false]);
        await page.getByRole('button', { name: 'Leg de toegangstoets vast' }).click();
        await page.waitForLoadState('load');
        const summary = page.locator('.lks-error-summary');
        assert.match(await summary.innerText(), /onderbouwd/);
        assert.equal(await summary.locator('a[href="#f-toelichting"]').count(), 1);
        assert.match(await page.locator('#f-toelichting-fout').innerText(), /toelichting/);
        assert.ok(await page.locator('#f-vraag3-zonderPermanentToezicht-nee').isChecked(), 'answers kept');
        assert.ok(await page.locator('#f-vraag1-lichamelijk').isChecked());
        await clean(page, 'toegangstoets met een fout');
        await shot(page, 'toegangstoets-fout');

        // with the argument: the outcome and its reasoning, nothing saved
        await page.locator('#f-toelichting').fill(XSS);
        await page.getByRole('button', { name: 'Bereken uitkomst' }).click();
        await page.waitForLoadState('load');
        const out = page.locator('#uitkomst');
        assert.match(await out.innerText(), /ondergrens/);
        assert.match(await out.innerText(), /Vraag 3: nee/);
        assert.equal(await page.locator('#f-toelichting').inputValue(), XSS, 'the text is kept as text');
        assert.equal(await page.locator('img[src=x]').count(), 0);
        await clean(page, 'toegangstoets uitkomst');
        await shot(page, 'toegangstoets-uitkomst');
        const api = await page.context().request.get(`${srv.api}/zaken/${id}`);
        assert.equal((await api.json()).toegangstoets.uitgevoerd, false, 'the preview saved nothing');

        // all 'ja' on question 3: in the target group, saved; the case page shows why
        for (const c of ['zonderPermanentToezicht'])
            await answer(page, `vraag3.${c}`, true);
        await page.locator('#f-toelichting').fill('');
        await page.getByRole('button', { name: 'Leg de toegangstoets vast' }).click();
        await page.waitForURL(/gedaan=toegangstoets-uitgevoerd/);
        const row = page.locator('#toegangstoets');
        assert.match(await row.innerText(), /behoort tot de doelgroep/);
        assert.match(await row.innerText(), /Vraag 2b: nee/);
        assert.deepEqual(problems.filter((p) => !/HTTP 400|status of 400/.test(p)), [], problems.join('\n'));
    });
});

test('toegangstoets zonder JavaScript en met alleen het toetsenbord', async () => {
    await withPage({ javaScript: false }, async (page) => {
        await login(page, 'kim');
        const r = await page.goto(`${srv.url}/zaken/${id}/toegangstoets`);
        assert.equal(r.status(), 200);
        // the keyboard: to the first criterion's ja, Space checks it; Tab to the buttons
        await tabTo(page, '#f-vraag1-lichamelijk');
        await press(page, 'Space');
        assert.ok(await page.locator('#f-vraag1-lichamelijk').isChecked(), await focused(page));
        await tabTo(page, 'button[value=bereken]');
        await press(page, 'Enter');
        await page.waitForLoadState('load');
        // question 1 answered only in part: the summary names the next criterion
        assert.match(await page.locator('.lks-error-summary').innerText(), /verstandelijk/);
        assert.ok(await page.locator('#f-vraag1-lichamelijk').isChecked(), 'kept without JS');
        await clean(page, 'toegangstoets zonder js');
        await shot(page, 'toegangstoets-zonder-js');
    });
});

test('loonwaardemeting aanvragen, het rapport met 3 taken (aandelen niet 100, dan wel)', async () => {
    await withPage(async (page) => {
        await login(page, 'kim');
        await page.goto(`${srv.url}/zaken/${id}`);
        await page.locator('summary', { hasText: 'Loonwaardemeting aanvragen' }).click();
        const f = page.locator('form[action$="/loonwaardemeting-aangevraagd"]');
        await f.getByLabel('Methode').selectOption('uniform');
        await f.getByLabel('Deskundige').fill('J. Hermans, Loonwaarde B.V.');
        await f.getByRole('button').click();
        await page.waitForURL(/gedaan=loonwaardemeting-aangevraagd/);
        // the klantmanager has no result to enter
        const r = await page.goto(`${srv.url}/zaken/${id}/loonwaarde`);
        assert.equal(r.status(), 403);
    });
    await withPage(async (page) => {
        await login(page, 'lwd');
        await page.goto(`${srv.url}/zaken/${id}`);
        await page.getByRole('link', { name: /resultaat van de loonwaardemeting/ }).click();
        assert.match(await page.locator('#rapport-uiterlijk').innerText(), /\d{4}/, 'the due date');
        assert.match(await page.locator('body').innerText(), /J\. Hermans/);
        await clean(page, 'loonwaarde');
        await shot(page, 'loonwaarde');
        await page.locator('#f-loonwaarde').fill('55');
        await page.locator('#f-nettoProductieveTijd').fill('90');
        const rows = [['Deeg kneden', '50', '60', '80'], [XSS, '30', '70', '90'], ['Schoonmaken', '10', '50', '100']];
        for (let i = 0; i < rows.length; i++) {
            const [n, s, t, k] = rows[i];
            await page.locator(`#f-taken-${i}-naam`).fill(n);
            await page.locator(`#f-taken-${i}-tijdsaandeel`).fill(s);
            await page.locator(`#f-taken-${i}-tempo`).fill(t);
            await page.locator(`#f-taken-${i}-kwaliteit`).fill(k);
        }
        await page.getByRole('button', { name: 'Leg de loonwaarde vast' }).click();
        await page.waitForLoadState('load');
        assert.match(await page.locator('.lks-error-summary').innerText(), /samen 90%/);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-taken-0-tijdsaandeel"]').count(), 1);
        assert.match(await page.locator('#f-taken-fout').innerText(), /100%/);
        assert.equal(await page.locator('#f-taken-1-naam').inputValue(), XSS, 'kept as typed');
        assert.equal(await page.locator('#f-taken-2-tijdsaandeel').inputValue(), '10');
        await clean(page, 'loonwaarde met een fout');
        await shot(page, 'loonwaarde-fout');
        await page.locator('#f-taken-2-tijdsaandeel').fill('20');
        let dialog = false;
        page.on('dialog', (d) => { dialog = true; d.dismiss(); });
        await page.getByRole('button', { name: 'Leg de loonwaarde vast' }).click();
        await page.waitForURL(/gedaan=loonwaarde-vastgesteld/);
        const tasks = page.locator('#taken tbody tr');
        assert.equal(await tasks.count(), 3);
        assert.equal(await tasks.nth(1).locator('th').innerText(), XSS, 'the name as text');
        assert.equal(await page.locator('img[src=x]').count(), 0);
        assert.equal(dialog, false);
        await clean(page, 'zaak met taken');
        await shot(page, 'zaak-met-taken');
    });
});

test('beschikking: het voorbeeld met de berekening, verzonden, de bezwaartermijn', async () => {
    await withPage({ javaScript: false }, async (page, ctx) => {
        await login(page, 'bes');
        await page.goto(`${srv.url}/zaken/${id}`);
        await page.getByRole('link', { name: 'Bekijk en verstuur de beschikking' }).click();
        await clean(page, 'beschikking');
        await shot(page, 'beschikking');
        // a refusal without its motivation: refused beside the field
        await page.locator('#f-soort').selectOption('afwijzing');
        await page.getByRole('button', { name: 'Bekijk de beschikking' }).click();
        await page.waitForLoadState('load');
        assert.match(await page.locator('#f-motivering-fout').innerText(), /gemotiveerd/);
        await clean(page, 'beschikking met een fout');
        await shot(page, 'beschikking-fout');
        // the grant, previewed
        await page.locator('#f-soort').selectOption('toekenning');
        await page.getByRole('button', { name: 'Bekijk de beschikking' }).click();
        await page.waitForLoadState('load');
        const amount = (await page.locator('#bedrag-per-maand strong').innerText()).trim();
        assert.match(amount, /^€ [\d.]+,\d\d$/);
        assert.ok(await page.locator('#voorbeeld tbody tr').count() >= 3, 'every step');
        assert.match(await page.locator('#voorbeeld').innerText(), /Participatiewet art\. 10d/);
        const due = await page.locator('#bezwaar-uiterlijk').innerText();
        assert.match(due, /Awb art\. 6:7/);
        let api = await (await ctx.request.get(`${srv.api}/zaken/${id}`)).json();
        assert.equal(api.beschikkingen.length, 0, 'the preview sent nothing');
        await clean(page, 'beschikking voorbeeld');
        await shot(page, 'beschikking-voorbeeld');
        // sent: the amount is the API's, the objection deadline on the case page
        await page.getByRole('button', { name: 'Verstuur de beschikking' }).click();
        await page.waitForURL(/gedaan=beschikking-verzonden/);
        api = await (await ctx.request.get(`${srv.api}/zaken/${id}`)).json();
        const sent = api.beschikkingen[0];
        const euro = (s) => '€ ' + Number(s).toLocaleString('nl-NL', { minimumFractionDigits: 2 });
        assert.equal(amount, euro(sent.bedragPerMaand));
        const [y, m, d] = sent.uiterlijkeReactiedatum.split('-').map(Number);
        const months = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
            'september', 'oktober', 'november', 'december'];
        const dutch = `${d} ${months[m - 1]} ${y}`;
        assert.ok(due.includes(dutch), `${due} has ${dutch}`);
        assert.match(await page.locator('.lks-decision').innerText(), new RegExp(`bezwaar mogelijk tot en met ${dutch}`));
        await clean(page, 'zaak na de beschikking');
        await shot(page, 'zaak-na-beschikking');
    });
});

test('zonder CSRF-token geweigerd; werkgever en andere gemeente bereiken de stappen niet', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'bes');
        for (const p of ['toegangstoets', 'loonwaarde', 'beschikking']) {
            const r = await ctx.request.post(`${srv.url}/zaken/${id}/${p}`, {
                form: { 'gegevens.soort': 'toekenning', _actie: 'verstuur' }, maxRedirects: 0,
            });
            assert.equal(r.status(), 403, p);
            assert.match(await r.text(), /CSRF/);
        }
    });
    for (const [user, want] of [['wg.stap', 403], ['km.goeree', 404]]) {
        await withPage(async (page) => {
            await login(page, user);
            for (const p of ['toegangstoets', 'loonwaarde', 'beschikking']) {
                const r = await page.goto(`${srv.url}/zaken/${id}/${p}`);
                assert.equal(r.status(), want, `${user} ${p}`);
                assert.doesNotMatch(await page.locator('body').innerText(), /Sanne Stappen/);
            }
            await clean(page, `stap geweigerd ${user}`);
            await shot(page, `stap-geweigerd-${user}`);
        });
    }
});

await run();
