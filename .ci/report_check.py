"""Opens gatesim report pages in headless Chromium over the DevTools protocol
(a pipe; standard library only) and checks, for each page: no console error
or exception, no request other than the page itself, every chart (each
`figure svg`) laid out with a real size and drawn (a screenshot of its area is
not blank), and no sideways scrolling of the page on a phone-sized screen.

usage: report_check.py CHROMIUM OUTDIR PAGE.html [PAGE.html ...]
A page whose name starts with `bad-` must fail (the check's own control)."""

import base64
import fcntl
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib


def decode_png(data):
    """(width, height, rows of RGB(A) byte rows, channels) of an 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6), "unsupported PNG"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, channels


def ink(png):
    """Share of pixels that are not near-white, and the number of distinct colours."""
    width, height, rows, ch = decode_png(png)
    dark, colours = 0, set()
    for row in rows:
        for x in range(0, width * ch, ch):
            r, g, b = row[x], row[x + 1], row[x + 2]
            colours.add((r >> 3, g >> 3, b >> 3))
            if min(r, g, b) < 235:
                dark += 1
    return dark / max(1, width * height), len(colours)


class Browser:
    """Chromium driven through --remote-debugging-pipe (fd 3 in, fd 4 out)."""

    def __init__(self, chromium, netlog):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        profile = tempfile.mkdtemp(prefix="report-check-profile-")
        args = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--log-net-log=" + netlog, "--user-data-dir=" + profile, "--remote-debugging-pipe",
            "--window-size=1000,800", "about:blank",
        ]

        def fds():
            # Move both ends above 4 first, so that neither dup2 clobbers the other.
            r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(netlog + ".stderr", "w"), pass_fds=(), preexec_fn=fds, close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf, self.next_id, self.events = b"", 0, []

    def send(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)
        raise RuntimeError(f"{method}: no answer in {timeout} s")

    def read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        while time.time() < deadline:
            m = self.read()
            if m.get("method") == method:
                return m
            self.events.append(m)
        raise RuntimeError(f"no {method} in {timeout} s")

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def check_page(chromium, path, outdir):
    """The problems found on the page at `path` (empty: it passed)."""
    problems = []
    html = open(path, encoding="utf-8").read()
    for needle in ("http://", "https://", "src=", "<script", "<link", "@import", "url("):
        if needle in html:
            problems.append(f"the HTML contains {needle!r}")
    name = os.path.basename(os.path.dirname(path)) or os.path.basename(path)
    netlog = os.path.join(outdir, name + ".netlog.json")
    b = Browser(chromium, netlog)
    try:
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            b.send(domain + ".enable", session=session)
        url = "file://" + os.path.abspath(path)
        b.send("Page.navigate", {"url": url}, session=session)
        b.wait_for("Page.loadEventFired")
        time.sleep(0.3)
        rects = json.loads(b.send("Runtime.evaluate", {
            "expression": "JSON.stringify([...document.querySelectorAll('figure svg')].map(e => {"
                          "const r = e.getBoundingClientRect();"
                          "return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }))",
            "returnByValue": True}, session=session)["result"]["value"])
        figures = html.count("<figure")
        if figures == 0 and not os.path.basename(path).startswith("bad-"):
            problems.append("no chart on the page")
        if len(rects) != figures:
            problems.append(f"{figures} figures in the HTML but {len(rects)} charts laid out")
        for k, (x, y, w, h) in enumerate(rects, 1):
            if w < 300 or h < 150:
                problems.append(f"chart {k} is laid out {w:.0f} x {h:.0f} px")
                continue
            shot = b.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": x, "y": y, "width": w, "height": h, "scale": 0.5}}, session=session)
            png = base64.b64decode(shot["data"])
            with open(os.path.join(outdir, f"{name}-chart-{k}.png"), "wb") as f:
                f.write(png)
            share, colours = ink(png)
            if share < 0.01 or colours < 4:
                problems.append(f"chart {k} looks blank ({100 * share:.2f}% ink, {colours} colours)")
        full = b.send("Page.captureScreenshot", {"format": "png"}, session=session)
        with open(os.path.join(outdir, f"{name}-top.png"), "wb") as f:
            f.write(base64.b64decode(full["data"]))
        # A phone: 390 px wide. The page itself must not scroll sideways
        # (wide tables scroll inside their own box).
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}, session=session)
        b.send("Page.reload", session=session)
        b.wait_for("Page.loadEventFired")
        time.sleep(0.3)
        width = b.send("Runtime.evaluate", {"expression": "document.documentElement.scrollWidth",
                                            "returnByValue": True}, session=session)["result"]["value"]
        if width > 392:
            problems.append(f"on a 390 px wide phone the page is {width} px wide")
        phone = b.send("Page.captureScreenshot", {"format": "png"}, session=session)
        with open(os.path.join(outdir, f"{name}-phone.png"), "wb") as f:
            f.write(base64.b64decode(phone["data"]))
        # Drain what arrived meanwhile, then read the events.
        b.send("Runtime.evaluate", {"expression": "1"}, session=session)
        for e in b.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                problems.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:300])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                problems.append("console " + p["type"] + ": " + json.dumps(p.get("args"))[:300])
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                problems.append("console " + p["entry"]["level"] + ": " + p["entry"].get("text", "")[:300])
            elif m == "Network.requestWillBeSent":
                u = p.get("request", {}).get("url", "")
                if u.split("#")[0] != url:
                    problems.append("request: " + u[:200])
    finally:
        b.close()
    try:
        log = json.load(open(netlog))
        start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        for ev in log.get("events", []):
            params = ev.get("params", {})
            # The browser's own background requests have no origin; a
            # request of the page carries the page's (for a file, "null").
            if ev.get("type") == start_job and "url" in params and params.get("initiator") != "not an origin":
                problems.append("net log: " + params.get("url", "")[:200])
    except (OSError, ValueError) as e:
        problems.append(f"cannot read the net log: {e}")
    return problems


def main():
    chromium, outdir, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
    failed = 0
    for page in pages:
        start = time.time()
        problems = check_page(chromium, page, outdir)
        bad = os.path.basename(page).startswith("bad-")
        took = time.time() - start
        if bad:
            # The control breaks every rule once: each check must see it.
            kinds = ["the HTML contains", "request:", "net log:", "console error", "looks blank"]
            missed = [k for k in kinds if not any(k in p for p in problems)]
            if missed:
                print(f"FAIL {page}: the control page was not caught by: {', '.join(missed)}")
                failed += 1
            else:
                print(f"ok   {page}: the control fails every check, as it must [{took:.1f} s]")
        elif problems:
            print(f"FAIL {page}:")
            for p in problems:
                print("     - " + p)
            failed += 1
        else:
            print(f"ok   {page} [{took:.1f} s]")
    print(f"{len(pages) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
