/*
 * lib.mjs — the harness of the browser tests (tests/web/*.test.mjs, run by tests/web/run.sh).
 *
 * What it gives a test file:
 *   - launch(), browser(), newContext(), withPage(): Debian's Chromium (/usr/bin/chromium, or
 *     $CHROMIUM) driven headless by playwright-core, which never downloads a browser; a page
 *     with JavaScript on or off, Dutch locale and Amsterdam time.
 *   - startServer(): a real `lks serve` on a free loopback port with a fresh store (lks init,
 *     optionally lks demo) and the users asked for; $LKS picks the binary (build/lks, or
 *     build/asan/lks for the sanitizer build).
 *   - axe(): axe-core (from the installed package, nothing fetched) on the page, WCAG 2.1 A
 *     and AA, the violations as readable lines.
 *   - shot(): a full-page PNG under build/screenshots/.
 *   - watch(): what went wrong in the page — console errors (a CSP refusal is one), uncaught
 *     errors, failed requests, answers of 400 and up.
 *   - focused(), tabTo(), press(): keyboard-only use: Tab until an element has the focus,
 *     Enter or Space on it.
 *   - test(), run(), assert: a small runner; run() prints one line per test ("ok   name" or
 *     "FAIL name: why") and closes with "web: N passed, N failed", and stops every browser
 *     and server it started.
 * An example, a whole test file:
 *     import { test, run, assert, startServer, withPage, axe } from './lib.mjs';
 *     test('de werkvoorraad is toegankelijk', async () => {
 *         const srv = await startServer({ demo: true, users: [{ naam: 'km', rol: 'klantmanager' }] });
 *         await withPage({ javaScript: false }, async (page) => {
 *             await page.goto(srv.url + '/');
 *             assert.deepEqual(await axe(page, 'werkvoorraad'), []);
 *         });
 *     });
 *     await run();
 * Everything is found from the repository's top; run.sh installs playwright-core and axe-core
 * into build/node/web (tests/web/package-lock.json) and Chromium with tools/deps.sh.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { assert };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_DIR = path.join(ROOT, 'build/node/web');
const requireTool = createRequire(path.join(NODE_DIR, 'package.json'));
const { chromium } = requireTool('playwright-core');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const LKS = path.resolve(ROOT, process.env.LKS || 'build/lks');
export const SCREENSHOTS = path.join(ROOT, 'build/screenshots');
/* the CSS bundle and favicon as tools/embed_assets.sh wrote them, with their hashed names */
export const STATIC_DIR = path.join(ROOT, 'build/gen/static');
export const PASSWORD = 'test-wachtwoord-lks';
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const TEST_TIMEOUT_MS = 60000;
const SERVER_START_MS = 30000;
const SERVER_STOP_MS = 15000;

// ---------------------------------------------------------------- the browser

/* Flags for a root user on a machine without a display or a network (CI): no sandbox (it
 * needs a user namespace root does not get), no GPU, and none of Chromium's own calls home,
 * which the closed network would refuse over and over. */
const CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--password-store=basic',
    '--mute-audio',
];

const opened = { browsers: new Set(), servers: new Set() };
const scriptless = new WeakSet(); /* the contexts made with javaScript: false */

/* A new headless Chromium; closed by run() if the test does not close it. */
export async function launch({ headless = true, args = [] } = {}) {
    if (!fs.existsSync(CHROMIUM))
        throw new Error(`${CHROMIUM} is missing: tools/deps.sh chromium (tests/web/run.sh does it)`);
    const b = await chromium.launch({
        executablePath: CHROMIUM,
        headless,
        chromiumSandbox: false,
        args: [...CHROMIUM_ARGS, ...args],
        timeout: 30000,
    });
    opened.browsers.add(b);
    b.on('disconnected', () => opened.browsers.delete(b));
    return b;
}

let shared = null;
/* One browser shared by the tests of a file (started at first use). */
export async function browser() {
    if (!shared || !shared.isConnected())
        shared = await launch();
    return shared;
}

/* A context (its own cookies and storage) with JavaScript on or off. Other options are
 * Playwright's (viewport, colorScheme, …). */
export async function newContext(b, { javaScript = true, ...rest } = {}) {
    const ctx = await (b || (await browser())).newContext({
        javaScriptEnabled: javaScript,
        locale: 'nl-NL',
        timezoneId: 'Europe/Amsterdam',
        viewport: { width: 1280, height: 800 },
        reducedMotion: 'reduce',
        ...rest,
    });
    ctx.setDefaultTimeout(10000);
    if (!javaScript)
        scriptless.add(ctx);
    return ctx;
}

/* fn(page, context) on a new page in a new context of the shared browser; the context is
 * closed afterwards, also when fn throws. */
export async function withPage(opts, fn) {
    if (typeof opts === 'function')
        [opts, fn] = [{}, opts];
    const ctx = await newContext(null, opts);
    try {
        const page = await ctx.newPage();
        return await fn(page, ctx);
    } finally {
        await ctx.close().catch(() => {});
    }
}

/* Collects what goes wrong in a page from now on: console errors (Chromium reports a CSP
 * refusal there), uncaught errors, failed requests (not those the browser cancels) and answers of 400 or more. Returns the
 * array, filled as it happens; a test usually asserts it is empty at the end. */
export function watch(page) {
    const problems = [];
    page.on('console', (m) => {
        if (m.type() === 'error')
            problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
    page.on('requestfailed', (r) => {
        /* net::ERR_ABORTED is the browser cancelling a load itself (a navigation that
         * starts before the icon or a style sheet has arrived), not an answer of ours. */
        const why = r.failure()?.errorText;
        if (why !== 'net::ERR_ABORTED')
            problems.push(`request failed: ${r.method()} ${r.url()} (${why})`);
    });
    page.on('response', (r) => {
        if (r.status() >= 400)
            problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
    });
    return problems;
}

// ---------------------------------------------------------------- accessibility, screenshots

let axeSource = null;

/* The raw axe-core result for the page (WCAG 2.1 A and AA unless tags say otherwise).
 * axe is put into the page through the DevTools protocol, so the page's strict CSP does not
 * stop it. With JavaScript off no timer of the page fires, and axe needs them: then axe runs
 * on a copy of the page as it is now (its DOM without scripts, at the same address so its
 * styles load the same, with the same cookies and viewport) in a context with JavaScript. */
export async function axeResults(page, opts = {}) {
    if (scriptless.has(page.context()))
        return axeOnCopy(page, opts);
    const { tags = WCAG_TAGS, exclude = [] } = opts;
    axeSource ??= fs.readFileSync(requireTool.resolve('axe-core/axe.min.js'), 'utf8');
    if (!(await page.evaluate(() => typeof window.axe === 'object')))
        await page.evaluate(axeSource);
    return page.evaluate(
        async ({ tags, exclude }) =>
            window.axe.run(exclude.length ? { exclude: exclude.map((s) => [s]) } : document, {
                runOnly: { type: 'tag', values: tags },
                resultTypes: ['violations'],
            }),
        { tags, exclude });
}

async function axeOnCopy(page, opts) {
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script\s*>/gi, '');
    const url = page.url().replace(/#.*$/, '');
    const ctx = await newContext(page.context().browser(), {
        javaScript: true,
        viewport: page.viewportSize() || undefined,
    });
    try {
        await ctx.addCookies(await page.context().cookies());
        const copy = await ctx.newPage();
        if (/^https?:/.test(url)) {
            await copy.route((u) => u.href.replace(/#.*$/, '') === url, (r) =>
                r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
            await copy.goto(url);
        } else {
            await copy.setContent(html);
        }
        return await axeResults(copy, opts);
    } finally {
        await ctx.close().catch(() => {});
    }
}

/* The WCAG violations on the page as readable lines, one entry per rule that fails: the
 * rule, its impact and help, then each element (at most 8) with what is wrong with it.
 * [] when there is none. `name` is the page's name in the lines. */
export async function axe(page, name, opts = {}) {
    const r = await axeResults(page, opts);
    return r.violations.map((v) => {
        const nodes = v.nodes.slice(0, 8).map((n) => {
            const why = (n.failureSummary || '').replace(/\s*\n\s*/g, '; ');
            return `    ${n.target.join(' ')}: ${why}`;
        });
        if (v.nodes.length > 8)
            nodes.push(`    … and ${v.nodes.length - 8} more`);
        return [`${name}: ${v.id} (${v.impact}): ${v.help} [${v.tags.filter((t) => t.startsWith('wcag')).join(' ')}]`,
            ...nodes].join('\n');
    });
}

/* A full-page screenshot, build/screenshots/NAME.png; returns its path. */
export async function shot(page, name) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    return file;
}

// ---------------------------------------------------------------- the keyboard only

/* What has the focus, for people: 'a.utrecht-skip-link "Naar de inhoud"'. */
export async function focused(page) {
    return page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body)
            return '(niets: body)';
        const cls = [...e.classList].map((c) => '.' + c).join('');
        const text = (e.getAttribute('aria-label') || e.textContent || e.value || '')
            .replace(/\s+/g, ' ').trim().slice(0, 60);
        return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${cls}${text ? ` "${text}"` : ''}`;
    });
}

/* Presses Tab (Shift+Tab with back: true) until the focused element matches the CSS
 * selector; returns how many presses it took. Fails with the elements passed on the way
 * when it is not reached within max presses. */
export async function tabTo(page, selector, { max = 40, back = false } = {}) {
    const seen = [];
    for (let i = 1; i <= max; i++) {
        await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
        if (await page.evaluate((s) => !!document.activeElement?.matches(s), selector))
            return i;
        seen.push(await focused(page));
    }
    throw new Error(`${selector} got no focus in ${max} × Tab; passed: ${seen.join(' → ')}`);
}

/* Presses a key on what has the focus: 'Enter', 'Space', 'Escape', 'ArrowDown' … */
export async function press(page, key) {
    await page.keyboard.press(key === 'Space' ? ' ' : key);
}

/* the three together, for `import { keyboardOnly as kb }` */
export const keyboardOnly = { focused, tabTo, press };

// ---------------------------------------------------------------- an lks server

function runLks(args, { input, env } = {}) {
    const r = spawnSync(LKS, args, { input, env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.error)
        throw new Error(`${LKS} ${args.join(' ')}: ${r.error.message}`);
    if (r.status !== 0)
        throw new Error(`${LKS} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
    return r.stdout;
}

/* Starts `lks serve` on 127.0.0.1 and a free port.
 *   db     the store's file; made with `lks init` when it does not exist (default: a new
 *          one in a temporary folder, removed by stop())
 *   demo   true, or { zaken, gemeenten, seed, regels }: fill it with `lks demo` first (regels:
 *          carry the minimum wage forward past the tables' end, so steps of today compute;
 *          makes the demo's users too, with PASSWORD) (default 40
 *          cases in 2 municipalities, seed 5, as tests/api/run.sh)
 *   users  [{ naam, rol, gemeente = 'gm0794', kvk, wachtwoord = PASSWORD }]: made with
 *          `lks gebruiker` (an applicatiebeheerder gets no gemeente)
 *   env    more environment for the server
 * Returns { url, api, port, db, users, stderr(), stop() }: url is http://127.0.0.1:PORT,
 * api is url + '/api/v1'; stop() sends SIGTERM, waits for the graceful stop and returns
 * { code, signal }. run() stops what a test left running. */
export async function startServer({ db, demo = false, users = [], env = {} } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lks-web-'));
    const dbPath = db ? path.resolve(db) : path.join(dir, 'lks.db');
    try {
        if (!fs.existsSync(dbPath))
            runLks(['init', '--db', dbPath], { env });
        if (demo) {
            const d = { zaken: 40, gemeenten: 2, seed: 5, ...(demo === true ? {} : demo) };
            const args = ['demo', '--db', dbPath, '--zaken', String(d.zaken), '--gemeenten',
                String(d.gemeenten), '--seed', String(d.seed)];
            /* the carried rows are the demo applicatiebeheerder's: the demo's users with them */
            if (d.regels)
                args.push('--regels-doortrekken', '--wachtwoord-invoer');
            runLks(args, { env, ...(d.regels ? { input: PASSWORD + '\n' } : {}) });
        }
        const made = [];
        for (const u0 of users) {
            const u = { gemeente: 'gm0794', wachtwoord: PASSWORD, ...u0 };
            const args = ['gebruiker', '--db', dbPath, '--naam', u.naam, '--rol', u.rol];
            if (u.rol !== 'applicatiebeheerder')
                args.push('--gemeente', u.gemeente);
            if (u.kvk)
                args.push('--kvk', String(u.kvk));
            runLks(args, { input: u.wachtwoord + '\n', env });
            made.push(u);
        }

        const child = spawn(LKS, ['serve', '--db', dbPath, '--listen', '127.0.0.1:0'], {
            env: { ...process.env, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (s) => (out += s));
        child.stderr.setEncoding('utf8').on('data', (s) => (err += s));
        const exited = new Promise((resolve) =>
            child.on('exit', (code, signal) => resolve({ code, signal })));

        const port = await new Promise((resolve, reject) => {
            const t0 = Date.now();
            const poll = setInterval(() => {
                const m = out.match(/\(poort (\d+)\)/);
                if (m) {
                    clearInterval(poll);
                    resolve(Number(m[1]));
                } else if (child.exitCode !== null || child.signalCode !== null ||
                    Date.now() - t0 > SERVER_START_MS) {
                    clearInterval(poll);
                    child.kill('SIGKILL');
                    reject(new Error(`lks serve did not start: ${err.trim() || out.trim()}`));
                }
            }, 25);
        });

        const srv = {
            url: `http://127.0.0.1:${port}`,
            api: `http://127.0.0.1:${port}/api/v1`,
            port,
            db: dbPath,
            users: made,
            stderr: () => err,
            async stop() {
                opened.servers.delete(srv);
                if (child.exitCode === null && child.signalCode === null) {
                    child.kill('SIGTERM');
                    const t = setTimeout(() => child.kill('SIGKILL'), SERVER_STOP_MS);
                    await exited;
                    clearTimeout(t);
                }
                fs.rmSync(dir, { recursive: true, force: true });
                return exited;
            },
        };
        opened.servers.add(srv);
        return srv;
    } catch (e) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw e;
    }
}

// ---------------------------------------------------------------- the runner

const tests = [];

/* Registers a test; run() runs them in order. */
export function test(name, fn) {
    tests.push({ name, fn });
}

function timeout(ms, name) {
    let t;
    const p = new Promise((_, reject) => {
        t = setTimeout(() => reject(new Error(`${name}: no end after ${ms / 1000} s`)), ms);
    });
    return { p, clear: () => clearTimeout(t) };
}

/* Runs the registered tests one after the other, then closes what they left open and
 * prints "web: N passed, N failed"; the process's exit code is 1 when one failed. */
export async function run() {
    let passed = 0;
    let failed = 0;
    for (const t of tests) {
        const t0 = Date.now();
        const limit = timeout(TEST_TIMEOUT_MS, t.name);
        try {
            await Promise.race([t.fn(), limit.p]);
            passed++;
            console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
        } catch (e) {
            failed++;
            const msg = String(e?.message ?? e).split('\n');
            console.log(`FAIL ${t.name}: ${msg[0]}`);
            for (const l of msg.slice(1, 60))
                console.log(`     ${l}`);
        } finally {
            limit.clear();
        }
    }
    for (const s of [...opened.servers])
        await s.stop().catch(() => {});
    for (const b of [...opened.browsers])
        await b.close().catch(() => {});
    console.log(`web: ${passed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
}
