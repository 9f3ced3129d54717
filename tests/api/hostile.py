#!/usr/bin/env python3
"""hostile.py CASES HOST PORT — send the catalogue of hostile requests in CASES to a server.

Each case goes over a connection of its own, written byte for byte (raw sockets: most of
these cannot be sent with curl), and its answer is judged:
- it comes within 5 s (no hang), is never a 5xx, and has the status the case expects;
- a 4xx is application/problem+json with that status in it, and every answer carries the
  security headers and API-Version of every other answer;
- a case marked `mhd` is one that libmicrohttpd answers itself before lks sees it
  (docs/api.md, "What the HTTP layer refuses"): any of 400, 413, 414, 431, 505, and the
  connection closed after it;
- `close`: the server closes the connection (an answer first is allowed, a 4xx one).
After every batch of cases a normal request must still be answered.

The file is tab-separated: name, expect, kind, method, target, headers, body, match.
expect: a status (200), a class (4xx), alternatives (403|404), mhd or close; "page:404" for a path outside /api/, whose refusal is an HTML page (web/).
kind: req (a request built here: Host, Content-Length and Connection: close are added
unless the case gives them), raw (the method column is the whole request), half (req,
then the client closes its sending side), slow (the method column is sent, then the
target column a byte at a time every `headers` seconds; all slow cases run at once,
alongside the others, and must be closed within `match` seconds), flood (N idle
connections from 127.0.0.1 while a client at 127.0.0.2 is answered within 5 s), load
(N keep-alive connections over ten client addresses reading the target for a few seconds
with the token in the headers column: no answer may take a second).
In every field ${NAME} is the environment variable NAME, and \\r \\n \\t \\\\ \\xHH are
escapes; {{rep N TEXT}} is TEXT N times. headers: lines separated by \\n; '-' is empty.
known:RIGHT:TODAY: the answer should be RIGHT, and is TODAY because of a fault outside
the HTTP layer that is reported (the case says where); both pass, TODAY is counted.
Prints FAIL and KNOWN lines and, last, "RESULT passed failed mhd known".
"""
import json
import os
import re
import resource
import selectors
import socket
import sys
import threading
import time

TIMEOUT = 5.0
CLOSE_TIMEOUT = 8.0  # a connection left waiting is closed after 5 s (docs/api.md)
BATCH = 25
SECURITY = ["x-content-type-options", "cache-control", "content-security-policy",
            "x-frame-options", "referrer-policy", "api-version"]

host, port = sys.argv[2], int(sys.argv[3])
passed = failed = mhd_count = known_count = 0
lock = threading.Lock()


def fail(name, why):
    global failed
    with lock:
        failed += 1
        print("FAIL %s: %s" % (name, why), flush=True)


def ok():
    global passed
    with lock:
        passed += 1


def expand(field):
    if field == "-":
        return b""
    field = re.sub(r"\$\{([A-Z0-9_]+)\}", lambda m: os.environ.get(m.group(1), ""), field)

    def rep(m):
        return m.group(2) * int(m.group(1))
    field = re.sub(r"\{\{rep (\d+) (.*?)\}\}", rep, field)
    out = bytearray()
    i = 0
    while i < len(field):
        ch = field[i]
        if ch == "\\" and i + 1 < len(field):
            nx = field[i + 1]
            if nx in "rnt\\":
                out += {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\"}[nx]
                i += 2
                continue
            if nx == "x" and i + 3 < len(field):
                out.append(int(field[i + 2:i + 4], 16))
                i += 4
                continue
        out += ch.encode("utf-8")
        i += 1
    return bytes(out)


def build(method, target, headers, body):
    lines = [l for l in headers.split(b"\n") if l] if headers else []
    names = [l.split(b":", 1)[0].strip().lower() for l in lines]
    if b"host" not in names and b"x-no-host" not in names:
        lines.insert(0, b"Host: lks.test")
    lines = [l for l in lines if not l.lower().startswith(b"x-no-host")]
    if body and b"content-length" not in names and b"transfer-encoding" not in names:
        lines.append(b"Content-Length: %d" % len(body))
    if b"connection" not in names:
        lines.append(b"Connection: close")
    return method + b" " + target + b" HTTP/1.1\r\n" + b"".join(l + b"\r\n" for l in lines) + \
        b"\r\n" + body


class Answer:
    def __init__(self):
        self.status = None
        self.headers = {}
        self.body = b""
        self.closed = False   # the server closed the connection after (or instead of) it
        self.timed_out = False


def read_answer(s, deadline):
    """One response (after any 1xx), then whether the connection closes soon after."""
    a = Answer()
    buf = b""
    s.settimeout(0.2)
    while b"\r\n\r\n" not in buf or re.match(rb"HTTP/1\.[01] 1\d\d ", buf):
        if b"\r\n\r\n" in buf:  # an interim answer (100 Continue): the next one counts
            buf = buf.partition(b"\r\n\r\n")[2]
            continue
        if time.monotonic() > deadline:
            a.timed_out = True
            return a
        try:
            d = s.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            a.closed = True
            return a
        if not d:
            a.closed = True
            return a
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    m = re.match(rb"HTTP/1\.[01] (\d{3})", lines[0])
    if not m:
        a.status = -1
        return a
    a.status = int(m.group(1))
    for l in lines[1:]:
        k, _, v = l.partition(b":")
        a.headers[k.strip().lower().decode("latin1")] = v.strip().decode("latin1")
    n = int(a.headers.get("content-length", "0") or 0)
    while len(rest) < n and time.monotonic() < deadline:
        try:
            d = s.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            break
        if not d:
            break
        rest += d
    a.body = rest[:n]
    # closed after it?
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        try:
            d = s.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            a.closed = True
            break
        if not d:
            a.closed = True
            break
    return a


def exchange(data, half=False, source=None, wait=TIMEOUT):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if source:
        s.bind((source, 0))
    s.settimeout(TIMEOUT)
    try:
        s.connect((host, port))
        s.sendall(data)
        if half:
            s.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the server may close before taking everything: judge what it answered
    a = read_answer(s, time.monotonic() + wait)
    s.close()
    return a


def judge(name, expect, a, match):
    if expect.startswith("known:"):
        # known:RIGHT:TODAY — RIGHT is the answer it should be; TODAY the wrong one it is
        # today, because of a fault outside the HTTP layer (see the comment at the case)
        _, right, today = expect.split(":")
        if a.status is not None and str(a.status) == today:
            global known_count
            with lock:
                known_count += 1
            print("KNOWN %s: %s (should be %s)" % (name, today, right), flush=True)
            return ok()
        expect = right
    if a.timed_out:
        return fail(name, "no answer within %.0f s (a hang)" % TIMEOUT)
    if expect == "close":
        if a.status is None:
            return ok() if a.closed else fail(name, "not closed")
        if not 400 <= a.status < 500:
            return fail(name, "answered %s instead of closing" % a.status)
        expect = "4xx"
    if a.status is None:
        return fail(name, "closed without an answer")
    page = expect.startswith("page:")
    if page:
        # a path outside /api/ is a page's (web/): its refusal is an HTML page, not JSON
        expect = expect[5:]
    if a.status >= 500 and expect != "mhd" and not expect.startswith("5"):
        return fail(name, "5xx: %d %s" % (a.status, a.body[:200]))
    if expect == "mhd":
        global mhd_count
        if a.status not in (400, 413, 414, 431, 505):
            return fail(name, "expected libmicrohttpd's own refusal, got %d" % a.status)
        if not a.closed:
            return fail(name, "libmicrohttpd's refusal did not close the connection")
        with lock:
            mhd_count += 1
        return ok()
    want = expect.split("|")
    if not any(w == str(a.status) or (w.endswith("xx") and str(a.status)[0] == w[0])
               for w in want):
        return fail(name, "status %d, expected %s: %s" % (a.status, expect, a.body[:200]))
    missing = [h for h in SECURITY if h not in a.headers]
    if missing:
        return fail(name, "%d without %s" % (a.status, ", ".join(missing)))
    if page and 400 <= a.status < 500:
        if a.headers.get("content-type") != "text/html; charset=utf-8" or b'lang="nl"' not in a.body:
            return fail(name, "%d page with Content-Type %s" % (a.status, a.headers.get("content-type")))
    elif 400 <= a.status < 500:
        if a.headers.get("content-type") != "application/problem+json":
            return fail(name, "%d with Content-Type %s" % (a.status, a.headers.get("content-type")))
        try:
            j = json.loads(a.body)
        except ValueError:
            return fail(name, "%d with a body that is not JSON: %s" % (a.status, a.body[:200]))
        if not isinstance(j, dict) or j.get("status") != a.status:
            return fail(name, "problem without its status: %s" % a.body[:200])
    if match and not re.search(match.encode("utf-8"), a.body):
        return fail(name, "body lacks %s: %s" % (match, a.body[:300]))
    ok()


def alive(label):
    a = exchange(build(b"GET", b"/api/v1/status", b"", b""))
    if a.status != 200:
        fail("alive " + label, "a normal request after the batch got %s" % a.status)
    else:
        ok()


def raise_fd_limit(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(n, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def slow_case(name, first, drip, every, within):
    """Send `first`, then a byte of `drip` every `every` s (0: close the sending side and
    wait): closed within `within` s."""
    t0 = time.monotonic()
    s = socket.socket()
    s.settimeout(TIMEOUT)
    try:
        s.connect((host, port))
        s.sendall(first)
        if every == 0:
            s.shutdown(socket.SHUT_WR)
            every = 1.0
        s.settimeout(every)
        i = 0
        while time.monotonic() - t0 < within + 5:
            try:
                d = s.recv(65536)
                if not d:
                    break
                continue  # an answer before the close (the stalled one after its request)
            except socket.timeout:
                pass
            if drip:
                s.send(drip[i % len(drip):i % len(drip) + 1])
                i += 1
    except OSError:
        pass  # reset: closed
    took = time.monotonic() - t0
    s.close()
    if took > within:
        fail(name, "still open after %.1f s (limit %s s)" % (took, within))
    else:
        ok()


def flood_case(name, count):
    """`count` idle connections from 127.0.0.1: a client elsewhere is still answered, the
    ones over the limit are refused (never left hanging), the idle ones are closed."""
    raise_fd_limit(count + 256)
    socks = []
    refused = 0
    for _ in range(count):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect_ex((host, port))
            socks.append(s)
        except OSError:
            refused += 1
    time.sleep(1.0)
    t0 = time.monotonic()
    a = exchange(build(b"GET", b"/api/v1/status", b"", b""), source="127.0.0.2")
    took = time.monotonic() - t0
    if a.status != 200 or took > 5:
        fail(name, "another client during the flood: %s after %.1f s" % (a.status, took))
    else:
        ok()
    # the ones over the limit have been answered 429 or closed; the served ones wait
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    answered = closed = 0
    open_ = set(socks)
    end = time.monotonic() + 9.0  # idle connections go after 5 s
    while open_ and time.monotonic() < end:
        for key, _ in sel.select(0.2):
            s = key.fileobj
            try:
                d = s.recv(4096)
            except OSError:
                d = b""
            if d.startswith(b"HTTP/1.1 429 "):
                answered += 1
            if not d:
                closed += 1
                sel.unregister(s)
                open_.discard(s)
    if open_:
        fail(name, "%d of %d idle connections still open after 9 s" % (len(open_), count))
    else:
        ok()
    if answered + refused < 1:
        fail(name, "no connection over the limit was refused")
    else:
        ok()
    for s in socks:
        s.close()
    print("  flood: %d idle connections, %d answered 429, %d refused at connect, all closed"
          % (count, answered, refused), flush=True)


def load_case(name, count, target, token, secs=5.0):
    """`count` keep-alive connections (ten client addresses) reading `target`: every answer
    within a second."""
    raise_fd_limit(count + 256)
    req = b"GET " + target + b" HTTP/1.1\r\nHost: lks.test\r\n" + token + b"\r\n\r\n"
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(count):
        s = socket.socket()
        s.bind(("127.0.0.%d" % (10 + i % 10), 0))
        s.connect((host, port))
        s.setblocking(False)
        c = {"s": s, "buf": b"", "t0": 0.0}
        conns.append(c)
        sel.register(s, selectors.EVENT_READ, c)
    t_start = time.monotonic()
    for c in conns:
        c["t0"] = time.monotonic()
        c["s"].send(req)
    waiting = count
    answers = bad = 0
    worst = 0.0
    while waiting:
        now = time.monotonic()
        late = [c for c in conns if c["t0"] and now - c["t0"] > 1.0]
        if late:
            fail(name, "%d answers later than a second" % len(late))
            break
        for key, _ in sel.select(0.05):
            c = key.data
            try:
                d = c["s"].recv(1 << 20)
            except OSError:
                d = b""
            if not d:
                bad += 1
                sel.unregister(c["s"])
                c["t0"] = 0.0
                waiting -= 1
                continue
            c["buf"] += d
            h = c["buf"].find(b"\r\n\r\n")
            if h < 0:
                continue
            m = re.search(rb"\r\ncontent-length: *(\d+)", c["buf"][:h], re.I)
            n = int(m.group(1)) if m else 0
            if len(c["buf"]) < h + 4 + n:
                continue
            if not c["buf"].startswith(b"HTTP/1.1 200 "):
                bad += 1
            c["buf"] = c["buf"][h + 4 + n:]
            worst = max(worst, time.monotonic() - c["t0"])
            answers += 1
            if time.monotonic() - t_start < secs:
                c["t0"] = time.monotonic()
                c["s"].send(req)
            else:
                c["t0"] = 0.0
                sel.unregister(c["s"])
                waiting -= 1
    for c in conns:
        c["s"].close()
    print("  load: %d answers on %d connections in %.1f s, slowest %.3f s, %d not 200"
          % (answers, count, time.monotonic() - t_start, worst, bad), flush=True)
    if bad:
        fail(name, "%d answers not 200 or connections closed" % bad)
    else:
        ok()


def main():
    cases = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 7:
                print("FAIL %s:%d: %d columns, not 7 or 8" % (sys.argv[1], lineno, len(cols)))
                sys.exit(2)
            while len(cols) < 8:
                cols.append("-")
            cases.append(cols)
    names = [c[0] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        print("FAIL duplicate case names: %s" % ", ".join(sorted(dup)))
        sys.exit(2)
    slow = [threading.Thread(target=slow_case,
                             args=(c[0], expand(c[3]), expand(c[4]), float(c[5]), float(c[7])))
            for c in cases if c[2] == "slow"]
    for t in slow:
        t.start()
    n = 0
    for name, expect, kind, method, target, headers, body, match in cases:
        if kind == "slow":
            continue
        if kind == "flood":
            flood_case(name, int(method))
            continue
        if kind == "load":
            load_case(name, int(method), expand(target), expand(headers))
            continue
        if kind == "raw":
            data = expand(method)
        else:
            data = build(expand(method), expand(target), expand(headers), expand(body))
        a = exchange(data, half=(kind == "half"), wait=CLOSE_TIMEOUT if expect == "close" else TIMEOUT)
        judge(name, expect, a, None if match == "-" else match)
        n += 1
        if n % BATCH == 0:
            alive("after case %d (%s)" % (n, name))
    for t in slow:
        t.join()
    alive("at the end")
    print("RESULT %d %d %d %d" % (passed, failed, mhd_count, known_count))


main()
