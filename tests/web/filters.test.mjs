/*
 * filters.test.mjs — saved filters of the werkvoorraad in a real browser on a real `lks serve`
 * with demo data:
 *   - a klantmanager chooses a selection (status, all case workers, the newest first), saves
 *     it under a name with the keyboard alone and without JavaScript, sees it as a link above
 *     the list, opens it from the plain list (the same selection and rows), and deletes it;
 *   - the error states beside the name (empty, over 60 characters, a name it has already)
 *     and beside the search (a BSN typed into it is never saved), each with the summary,
 *     the typed name kept, axe clean; a name like <img onerror> shows as text;
 *   - at most 20 filters per user;
 *   - scope: another klantmanager of the municipality, and one of another municipality, get
 *     the 404 page for the filter and cannot delete it; an employer has no work list (403);
 *     a POST without _csrf is refused;
 *   - the order "nieuwste zaak eerst" lists the cases by number, the highest first.
 * Screenshots of the list with its filters and of every error state.
 */
import { spawnSync } from 'node:child_process';

import {
    LKS, PASSWORD, assert, axe, press, run, shot, startServer, tabTo, test, watch, withPage,
} from './lib.mjs';

const srv = await startServer({
    demo: { zaken: 40, gemeenten: 2, seed: 5 },
    users: [
        { naam: 'kim', rol: 'klantmanager' },
        { naam: 'km.twee', rol: 'klantmanager' },
        { naam: 'km.goeree', rol: 'klantmanager', gemeente: 'gm1924' },
    ],
});

function sql(q) {
    return spawnSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).stdout.trim();
}
const kvk = sql("SELECT e.kvk FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id='gm0794' LIMIT 1");
spawnSync(LKS, ['gebruiker', '--db', srv.db, '--gemeente', 'gm0794', '--naam', 'wg.a', '--rol',
    'werkgever', '--kvk', kvk], { input: PASSWORD + '\n' });
const NAME = 'Mijn lopende zaken, nieuwste eerst';
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

const rowIds = (page) => page.locator('tbody a[href^="/zaken/"]').evaluateAll(
    (as) => as.map((a) => Number(a.getAttribute('href').split('/').pop())));

let savedId = 0;

test('een selectie bewaren met het toetsenbord (zonder JavaScript), openen en verwijderen', async () => {
    await withPage({ javaScript: false }, async (page) => {
        const problems = watch(page);
        await login(page, 'kim');
        await page.goto(`${srv.url}/werkvoorraad`);
        await page.getByLabel('Zaken van').selectOption('alle');
        await page.getByLabel('Status').selectOption('lopend');
        await page.getByLabel('Volgorde').selectOption('nieuwste');
        await page.getByLabel('Ook zaken zonder open termijn').check();
        await page.getByRole('button', { name: 'Toon' }).click();
        await page.waitForURL(/sorteer=nieuwste/);
        const chosen = await rowIds(page);
        assert.ok(chosen.length > 1, 'the selection has cases');
        assert.deepEqual(chosen, [...chosen].sort((a, b) => b - a), 'the newest case first');
        const want = sql("SELECT id FROM cases WHERE tenant_id='gm0794' AND status='lopend' ORDER BY id DESC LIMIT 25").split('\n').map(Number);
        assert.deepEqual(chosen, want, 'the running cases of the municipality, by number');
        /* the name typed, then Enter on the button reached by Tab */
        await page.getByLabel('Bewaar deze selectie als').fill(NAME);
        await page.getByLabel('Bewaar deze selectie als').focus();
        await tabTo(page, 'form[action="/werkvoorraad/filters"] button[type=submit]', { max: 5 });
        await press(page, 'Enter');
        await page.waitForURL(/gedaan=filter-opgeslagen/);
        assert.match(await page.locator('main').innerText(), /Het filter is bewaard/);
        const link = page.getByRole('link', { name: NAME });
        assert.equal(await link.count(), 1, 'the filter above the list');
        savedId = Number((await link.getAttribute('href')).split('/').pop());
        assert.equal(sql(`SELECT owner || ' ' || query FROM saved_filters WHERE id=${savedId}`),
            'kim status=lopend&alles=ja&van=alle&sorteer=nieuwste');
        await clean(page, 'werkvoorraad met filter');
        await shot(page, 'werkvoorraad-filters');
        /* from the plain list, the link gives the same selection */
        await page.goto(`${srv.url}/werkvoorraad`);
        await page.getByRole('link', { name: NAME }).click();
        await page.waitForURL(/status=lopend/);
        assert.equal(await page.getByLabel('Status').inputValue(), 'lopend');
        assert.equal(await page.getByLabel('Volgorde').inputValue(), 'nieuwste');
        assert.equal(await page.getByLabel('Zaken van').inputValue(), 'alle');
        assert.deepEqual(await rowIds(page), chosen, 'the same rows');
        /* deleted */
        await page.getByRole('button', { name: `Verwijder filter ${NAME}` }).click();
        await page.waitForURL(/gedaan=filter-verwijderd/);
        assert.equal(await page.getByRole('link', { name: NAME }).count(), 0);
        assert.equal(sql(`SELECT count(*) FROM saved_filters WHERE id=${savedId}`), '0');
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

test('fouten bij de naam en bij een BSN in de zoektekst: samenvatting, melding bij het veld, axe schoon', async () => {
    await withPage(async (page) => {
        await login(page, 'kim');
        const save = async (name) => {
            await page.getByLabel('Bewaar deze selectie als').fill(name);
            const [r] = await Promise.all([
                page.waitForResponse((x) => x.request().method() === 'POST'),
                page.getByRole('button', { name: 'Bewaar filter' }).click(),
            ]);
            await page.waitForLoadState('load');
            return r.status();
        };
        await page.goto(`${srv.url}/werkvoorraad?status=lopend`);
        assert.equal(await save('   '), 400);
        assert.match(await page.locator('#f-naam-fout').innerText(), /geef het filter een naam/);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-naam"]').count(), 1);
        assert.equal(await page.getByLabel('Status').inputValue(), 'lopend', 'the selection kept');
        await clean(page, 'filter zonder naam');
        await shot(page, 'werkvoorraad-filter-zonder-naam');
        const long = 'é'.repeat(61);
        assert.equal(await save(long), 400);
        assert.match(await page.locator('#f-naam-fout').innerText(), /ten hoogste 60 tekens/);
        assert.equal(await page.getByLabel('Bewaar deze selectie als').inputValue(), long, 'kept as typed');
        await clean(page, 'filter met een te lange naam');
        await shot(page, 'werkvoorraad-filter-te-lang');
        assert.equal(await save('é'.repeat(60)), 303, '60 characters fit');
        await page.waitForURL(/gedaan=filter-opgeslagen/);
        assert.equal(await save('é'.repeat(60)), 409, 'the same name twice');
        assert.match(await page.locator('#f-naam-fout').innerText(), /al een filter met de naam/);
        await clean(page, 'filter met een bestaande naam');
        /* a BSN typed into the text search is refused beside that field */
        await page.goto(`${srv.url}/werkvoorraad?zoek=123456782`);
        assert.equal(await save('Met BSN'), 400);
        assert.match(await page.locator('#f-zoek-fout').innerText(), /BSN wordt niet bewaard/);
        assert.equal(await page.locator('.lks-error-summary a[href="#f-zoek"]').count(), 1);
        assert.equal(sql("SELECT count(*) FROM saved_filters WHERE query LIKE '%123456782%'"), '0');
        await clean(page, 'filter met een BSN');
        await shot(page, 'werkvoorraad-filter-bsn');
        /* a name like <img onerror> is text */
        await page.goto(`${srv.url}/werkvoorraad`);
        let dialog = false;
        page.on('dialog', (d) => { dialog = true; d.dismiss(); });
        assert.equal(await save(XSS), 303);
        await page.waitForURL(/gedaan=filter-opgeslagen/);
        assert.equal(await page.getByRole('link', { name: XSS }).count(), 1, 'the name as text');
        assert.equal(await page.locator('img[src=x]').count(), 0);
        assert.equal(dialog, false);
    });
});

test('ten hoogste 20 filters per gebruiker', async () => {
    await withPage(async (page, ctx) => {
        await login(page, 'km.twee');
        await page.goto(`${srv.url}/werkvoorraad`);
        const csrf = await page.locator('input[name=_csrf]').first().inputValue();
        for (let i = 1; i <= 20; i++) {
            const r = await ctx.request.post(`${srv.url}/werkvoorraad/filters`, {
                form: { _csrf: csrf, naam: `Filter ${i}`, _status: 'lopend' }, maxRedirects: 0,
            });
            assert.equal(r.status(), 303, `filter ${i}`);
        }
        const r = await ctx.request.post(`${srv.url}/werkvoorraad/filters`, {
            form: { _csrf: csrf, naam: 'Filter 21' }, maxRedirects: 0,
        });
        assert.equal(r.status(), 409);
        assert.match(await r.text(), /al 20 bewaarde filters/);
        assert.equal(sql("SELECT count(*) FROM saved_filters WHERE owner='km.twee'"), '20');
    });
});

test('scope: een ander opent of verwijdert het filter niet; een werkgever heeft geen werkvoorraad; zonder _csrf geweigerd', async () => {
    const kims = Number(sql("SELECT id FROM saved_filters WHERE owner='kim' ORDER BY id LIMIT 1"));
    assert.ok(kims > 0);
    for (const user of ['km.twee', 'km.goeree']) {
        await withPage(async (page, ctx) => {
            await login(page, user);
            const r = await page.goto(`${srv.url}/werkvoorraad/filters/${kims}`);
            assert.equal(r.status(), 404, `${user} opens`);
            await clean(page, `filter van een ander (${user})`);
            const csrf = await page.locator('input[name=_csrf]').first().inputValue();
            const del = await ctx.request.post(`${srv.url}/werkvoorraad/filters/${kims}/verwijderen`, {
                form: { _csrf: csrf }, maxRedirects: 0,
            });
            assert.equal(del.status(), 404, `${user} deletes`);
            assert.equal(sql(`SELECT count(*) FROM saved_filters WHERE id=${kims}`), '1');
        });
    }
    await withPage(async (page, ctx) => {
        await login(page, 'wg.a');
        const r = await page.goto(`${srv.url}/werkvoorraad/filters/${kims}`);
        assert.equal(r.status(), 403);
        const csrf = await page.locator('input[name=_csrf]').first().inputValue();
        const save = await ctx.request.post(`${srv.url}/werkvoorraad/filters`, {
            form: { _csrf: csrf, naam: 'van een werkgever' }, maxRedirects: 0,
        });
        assert.equal(save.status(), 403);
    });
    await withPage(async (page, ctx) => {
        await login(page, 'kim');
        for (const path of ['/werkvoorraad/filters', `/werkvoorraad/filters/${kims}/verwijderen`]) {
            const r = await ctx.request.post(`${srv.url}${path}`, { form: { naam: 'zonder token' }, maxRedirects: 0 });
            assert.equal(r.status(), 403, path);
            assert.match(await r.text(), /CSRF/);
        }
        assert.equal(sql(`SELECT count(*) FROM saved_filters WHERE id=${kims}`), '1');
    });
});

await run();
