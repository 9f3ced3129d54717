/*
 * harness.test.mjs — the browser-test harness (lib.mjs) tried on itself, before any page of
 * lks exists: static fixtures (tests/web/fixtures/) served by a small HTTP server in this
 * file with the real CSS bundle (build/gen/static, written by tools/embed_assets.sh) and a
 * strict Content-Security-Policy, and one real `lks serve`.
 *   - the good desk page: CSS applied, nothing refused or missing, axe finds nothing, a
 *     screenshot; the same without JavaScript;
 *   - keyboard only: Tab reaches the skip link first, Enter on it moves the focus to the
 *     main content, Tab reaches the form's button, Space submits the form;
 *   - the bad page (no lang, a field without a label, low contrast): axe must report all
 *     three, so the check is shown to fail when it should;
 *   - startServer(): a fresh store, GET /api/v1/status answers 200, a graceful stop.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import {
    ROOT, STATIC_DIR, assert, axe, focused, press, run, shot, startServer, tabTo, test,
    watch, withPage,
} from './lib.mjs';

const FIXTURES = path.join(ROOT, 'tests/web/fixtures');
/* as strict as the pages will be: no inline script or style, nothing from elsewhere */
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
    "base-uri 'none'; frame-ancestors 'none'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml' };

const manifest = JSON.parse(fs.readFileSync(path.join(STATIC_DIR, 'manifest.json'), 'utf8'));

/* GET /fixtures/NAME (in an .html file {{asset:lks.css}} becomes the bundle's hashed path),
 * GET /static/NAME from build/gen/static, POST anything (kept in `posts`), else 404. */
function fixtureServer() {
    const posts = [];
    const server = http.createServer((req, res) => {
        const url = new URL(req.url, 'http://x');
        const send = (status, type, body, headers = {}) => {
            res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': CSP,
                'X-Content-Type-Options': 'nosniff', ...headers });
            res.end(body);
        };
        if (req.method === 'POST') {
            let body = '';
            req.setEncoding('utf8').on('data', (s) => (body += s)).on('end', () => {
                posts.push({ path: url.pathname, body: new URLSearchParams(body) });
                send(200, TYPES['.html'], '<!doctype html><html lang="nl"><title>Opgeslagen</title>' +
                    '<p>Opgeslagen</p></html>');
            });
            return;
        }
        const m = url.pathname.match(/^\/(fixtures|static)\/([A-Za-z0-9._-]+)$/);
        const file = m && path.join(m[1] === 'fixtures' ? FIXTURES : STATIC_DIR, m[2]);
        const type = file && TYPES[path.extname(file)];
        if (!type || !fs.existsSync(file))
            return send(404, 'text/plain; charset=utf-8', 'niet gevonden');
        let body = fs.readFileSync(file);
        if (m[1] === 'fixtures' && type.startsWith('text/html'))
            body = body.toString('utf8').replace(/\{\{asset:([a-z0-9.]+)\}\}/g, (_, n) => {
                if (!manifest[n])
                    throw new Error(`no asset ${n} in the manifest`);
                return manifest[n];
            });
        send(200, type, body, m[1] === 'static' ?
            { 'Cache-Control': 'public, max-age=31536000, immutable' } : {});
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        posts,
        close: () => new Promise((r) => {
            server.closeAllConnections();
            server.close(r);
        }),
    })));
}

const fx = await fixtureServer();

async function openGood(page) {
    const problems = watch(page);
    const resp = await page.goto(`${fx.url}/fixtures/goed.html`);
    assert.equal(resp.status(), 200);
    return problems;
}

/* What shows that the bundle's CSS is applied: the theme's font and the primary button's
 * colour (the theme's action colour, not the browser's grey). */
async function styled(page) {
    return page.evaluate(() => {
        const cs = (sel) => getComputedStyle(document.querySelector(sel));
        return {
            font: cs('body').fontFamily,
            button: cs('#opslaan').backgroundColor,
            badge: cs('.lks-deadline--overdue').backgroundColor,
        };
    });
}

test('goede pagina: de CSS geladen, niets geweigerd, axe vindt niets, een schermafdruk', async () => {
    await withPage(async (page) => {
        const problems = await openGood(page);
        const s = await styled(page);
        assert.match(s.font, /Noto Sans/, 'the theme font');
        assert.notEqual(s.button, 'rgba(0, 0, 0, 0)', 'the primary button has the theme colour');
        assert.notEqual(s.button, 'rgb(239, 239, 239)', 'the primary button is no browser default');
        assert.notEqual(s.badge, 'rgba(0, 0, 0, 0)', 'the deadline badge has a colour');
        const v = await axe(page, 'goed.html');
        assert.deepEqual(v, [], v.join('\n'));
        const file = await shot(page, 'harness-goed');
        assert.ok(fs.statSync(file).size > 20000, `${file} is a real screenshot`);
        assert.deepEqual(problems, [], problems.join('\n'));
    });
});

test('zonder JavaScript: de pagina werkt en is even toegankelijk', async () => {
    await withPage({ javaScript: false }, async (page) => {
        // scripting off: the parser turns <noscript> into elements (with scripting on it is text)
        await page.setContent('<!doctype html><noscript><p id="zonder">x</p></noscript>');
        assert.equal(await page.locator('#zonder').count(), 1, 'JavaScript is really off');
        const problems = await openGood(page);
        const s = await styled(page);
        assert.match(s.font, /Noto Sans/);
        const v = await axe(page, 'goed.html zonder JavaScript');
        assert.deepEqual(v, [], v.join('\n'));
        await shot(page, 'harness-goed-zonder-js');
        // the form posts without any script
        await page.locator('#opslaan').click();
        await page.waitForURL(`${fx.url}/zaken/nieuw`);
        assert.equal(fx.posts.at(-1).body.get('uren'), '99');
        assert.deepEqual(problems, [], problems.join('\n'));
    });
    await withPage(async (page) => {
        await page.setContent('<!doctype html><noscript><p id="zonder">x</p></noscript>');
        assert.equal(await page.locator('#zonder').count(), 0, 'and on in the other context');
    });
});

test('alleen het toetsenbord: eerst de link naar de inhoud, dan het formulier', async () => {
    await withPage(async (page) => {
        await openGood(page);
        // the first Tab reaches the skip link, which then shows and has a focus ring
        assert.equal(await tabTo(page, '.utrecht-skip-link', { max: 1 }), 1);
        const box = await page.locator('.utrecht-skip-link').boundingBox();
        assert.ok(box && box.width > 20 && box.height > 10 && box.y >= 0, 'the skip link is shown');
        await press(page, 'Enter');
        await page.waitForURL(/#inhoud$/);
        assert.match(await focused(page), /^main#inhoud\.lks-main /, 'the focus is on the content');
        // from the main content on, Tab reaches the button (past the links and fields of
        // the page, none skipped or trapped), which shows where the focus is
        const n = await tabTo(page, '#opslaan', { max: 30 });
        assert.ok(n >= 8, `the fields and links come before the button (${n} × Tab)`);
        const ring = await page.evaluate(() => {
            const cs = getComputedStyle(document.activeElement);
            return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
        });
        assert.ok(ring.style !== 'none' && ring.width >= 1,
            `the focused button shows a focus ring (${JSON.stringify(ring)})`);
        const before = fx.posts.length;
        await press(page, 'Space');
        await page.waitForURL(`${fx.url}/zaken/nieuw`);
        assert.equal(fx.posts.length, before + 1, 'Space on the button submitted the form');
        assert.equal(fx.posts.at(-1).body.get('aanvrager'), 'werkgever');
    });
});

test('slechte pagina: axe meldt de ontbrekende taal, het label en het contrast', async () => {
    await withPage(async (page) => {
        await page.goto(`${fx.url}/fixtures/slecht.html`);
        const v = await axe(page, 'slecht.html');
        const ids = v.map((s) => s.split(' ')[1]);
        for (const want of ['html-has-lang', 'label', 'color-contrast'])
            assert.ok(ids.includes(want), `axe reports ${want}; it reported: ${ids.join(', ') || 'nothing'}`);
        // the lines say where: the field without a label is named
        assert.match(v.find((s) => s.split(' ')[1] === 'label'), /input/);
    });
});

test('startServer: een nieuwe opslag, GET /api/v1/status geeft 200, netjes gestopt', async () => {
    const srv = await startServer({ users: [{ naam: 'km.web', rol: 'klantmanager' }] });
    const r = await fetch(`${srv.api}/status`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const body = await r.json();
    assert.equal(typeof body, 'object');
    // the user exists: a login with its password gives a session
    const login = await fetch(`${srv.api}/sessies`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ gebruikersnaam: 'km.web', wachtwoord: srv.users[0].wachtwoord }),
    });
    assert.equal(login.status, 201, await login.text());
    const end = await srv.stop();
    assert.equal(end.code, 0, `lks serve stopped with ${JSON.stringify(end)}: ${srv.stderr()}`);
    assert.equal(fs.existsSync(srv.db), false, 'the temporary store is gone');
});

await run();
await fx.close();
