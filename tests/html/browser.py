# SPDX-License-Identifier: MIT
"""A small Chrome DevTools Protocol client over --remote-debugging-pipe (Python standard library only).

Chromium reads commands from its fd 3 and writes responses and events to its fd 4; every message is
one JSON object followed by a NUL byte.  One page target is created and attached with flatten=true,
so its commands carry a sessionId.  Every wait has a deadline: a hung browser raises BrowserError
(and is killed), it never hangs the caller.

    with Browser() as b:
        page = b.load("/abs/path/page.html")   # waits for Page.loadEventFired
        page.evaluate("document.title")
        png = page.screenshot()                 # the full page, 1 CSS px = 1 pixel
        page.console, page.exceptions, page.log_entries, page.requests   # what the page did
"""
import base64
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time

CHROMIUM = os.environ.get("LC_CHROMIUM", "/usr/bin/chromium")
WIDTH = 1280
HEIGHT = 900

FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
    "--disable-background-networking", "--disable-sync", "--disable-default-apps", "--mute-audio",
    "--no-default-browser-check", "--disable-component-update", "--hide-scrollbars",
    "--force-color-profile=srgb", "--font-render-hinting=none",
    # No name resolves: a page that reaches for the network fails at once, nothing leaves the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--window-size=%d,%d" % (WIDTH, HEIGHT),
    "--remote-debugging-pipe",
]


class BrowserError(Exception):
    pass


_live = set()  # process groups of the browsers running now (each Chromium has its own session)


def _kill_group(pgid, wait=2.0):
    """SIGKILL to a browser's process group, then up to wait seconds for the group to be gone."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        return
    end = time.monotonic() + wait
    while time.monotonic() < end:
        try:
            os.killpg(pgid, 0)
        except OSError:
            return
        time.sleep(0.05)


def _kill_live(signum, frame):
    for pgid in list(_live):
        _kill_group(pgid, wait=1.0)
    _live.clear()
    raise BrowserError("stopped by signal %d (%s)" % (signum, "the watchdog's deadline passed"
                                                      if signum == signal.SIGALRM else "terminated"))


def watchdog(seconds):
    """From now on SIGTERM, SIGINT and, after seconds, SIGALRM kill every running browser and
    raise BrowserError: a test killed by its runner's timeout (which signals only its own process
    group) leaves no Chromium behind, and the deadline fires before that timeout."""
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
        signal.signal(sig, _kill_live)
    signal.alarm(int(seconds))


def available():
    """True when the Chromium binary exists and is executable."""
    return os.access(CHROMIUM, os.X_OK)


class Page:
    """One attached page target: its session, and what it logged since it was attached."""

    def __init__(self, browser, session, target):
        self.b = browser
        self.session = session
        self.target = target
        self.console = []      # Runtime.consoleAPICalled params
        self.exceptions = []   # Runtime.exceptionThrown params
        self.log_entries = []  # Log.entryAdded entries (every level)
        self.requests = []     # Network.requestWillBeSent request URLs
        self.dialogs = []      # Page.javascriptDialogOpening params (each dismissed at once)
        self.loaded = False

    def _event(self, method, params):
        if method == "Runtime.consoleAPICalled":
            self.console.append(params)
        elif method == "Runtime.exceptionThrown":
            self.exceptions.append(params)
        elif method == "Log.entryAdded":
            self.log_entries.append(params.get("entry", {}))
        elif method == "Network.requestWillBeSent":
            self.requests.append(params.get("request", {}).get("url", ""))
        elif method == "Page.loadEventFired":
            self.loaded = True
        elif method == "Page.javascriptDialogOpening":
            # An alert() would block the page until answered: dismiss it, without waiting.
            self.dialogs.append(params)
            self.b.send("Page.handleJavaScriptDialog", {"accept": False}, session=self.session)

    def call(self, method, params=None, timeout=None):
        return self.b.call(method, params, session=self.session, timeout=timeout)

    def navigate(self, url, timeout=None):
        """Navigates to url and waits for Page.loadEventFired, then for two animation frames."""
        self.loaded = False
        r = self.call("Page.navigate", {"url": url}, timeout=timeout)
        if r.get("errorText"):
            raise BrowserError("navigate %s: %s" % (url, r["errorText"]))
        self.b.wait_until(lambda: self.loaded, "Page.loadEventFired", timeout)
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))",
                      timeout=timeout)

    def evaluate(self, expression, timeout=None):
        """The value of a JavaScript expression (JSON-serialisable; promises are awaited)."""
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True}, timeout=timeout)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise BrowserError("evaluate: %s" % d.get("exception", {}).get("description", d.get("text")))
        return r.get("result", {}).get("value")

    def layout_size(self):
        """(width, height) of the whole document in CSS pixels (Page.getLayoutMetrics)."""
        m = self.call("Page.getLayoutMetrics")
        size = m.get("cssContentSize") or m["contentSize"]
        return int(round(size["width"])), int(round(size["height"]))

    def screenshot(self, max_height=None):
        """PNG bytes of the full page (captureBeyondViewport), cut at max_height CSS px when given."""
        w, h = self.layout_size()
        w = max(w, 1)
        h = max(h, 1)
        if max_height:
            h = min(h, max_height)
        r = self.call("Page.captureScreenshot", {
            # optimizeForSpeed: Chromium then filters every row with Up, the one png.py decodes
            # on whole rows at once (Paeth rows cost it a Python loop per byte).
            "format": "png", "captureBeyondViewport": True, "fromSurface": True, "optimizeForSpeed": True,
            "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}}, timeout=max(self.b.timeout, 60))
        return base64.b64decode(r["data"])


class Browser:
    """A headless Chromium with a fresh profile in a temporary folder."""

    def __init__(self, timeout=30.0):
        self.timeout = timeout
        self.proc = None
        self.profile = None
        self.next_id = 0
        self.messages = queue.Queue()
        self.pages = {}
        self.wfd = self.rfd = -1
        self.errfile = None

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.close()  # a browser that fails to start leaves no process and no profile behind
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        if not available():
            raise BrowserError("%s not found" % CHROMIUM)
        self.profile = tempfile.mkdtemp(prefix="lc-chromium-")
        cmd_r, cmd_w = os.pipe()    # we write commands, Chromium reads them on its fd 3
        resp_r, resp_w = os.pipe()  # Chromium writes on its fd 4, we read
        # Chromium's ends above fd 9 (close-on-exec), so that moving them to 3 and 4 in the child
        # cannot close one another; the dup2 copies are inherited, the originals are not.
        hi_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        hi_w = fcntl.fcntl(resp_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_r)
        os.close(resp_w)
        cmd_r, resp_w = hi_r, hi_w

        def to_3_and_4():
            os.dup2(hi_r, 3)
            os.dup2(hi_w, 4)

        args = FLAGS + ["--user-data-dir=" + self.profile, "about:blank"]
        self.errfile = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([CHROMIUM] + args, stdin=subprocess.DEVNULL,
                                     stdout=self.errfile, stderr=self.errfile, close_fds=False,
                                     preexec_fn=to_3_and_4, start_new_session=True)
        _live.add(self.proc.pid)
        os.close(cmd_r)
        os.close(resp_w)
        self.wfd = cmd_w
        self.rfd = resp_r
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.call("Target.setDiscoverTargets", {"discover": False})

    def _read(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self.rfd, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                self.messages.put(None)
                return
            buf += chunk
            while True:
                nul = buf.find(b"\0")
                if nul < 0:
                    break
                msg, buf = buf[:nul], buf[nul + 1:]
                try:
                    self.messages.put(json.loads(msg))
                except ValueError:
                    pass

    def _dispatch(self, msg):
        if msg is None:
            raise BrowserError("the browser closed its pipe%s" % self._stderr_tail())
        if "method" in msg:
            page = self.pages.get(msg.get("sessionId"))
            if page is not None:
                page._event(msg["method"], msg.get("params", {}))
        return msg

    def _stderr_tail(self):
        try:
            self.errfile.seek(0)
            tail = self.errfile.read()[-2000:].decode("utf-8", "replace")
        except (OSError, ValueError):
            tail = ""
        return (": " + tail) if tail else ""

    def _next(self, deadline, what):
        left = deadline - time.monotonic()
        if left <= 0:
            raise BrowserError("timed out waiting for %s" % what)
        try:
            msg = self.messages.get(timeout=left)
        except queue.Empty:
            raise BrowserError("timed out waiting for %s" % what) from None
        return self._dispatch(msg)

    def send(self, method, params=None, session=None):
        """Sends one command without waiting for its answer; returns its id."""
        self.next_id += 1
        mid = self.next_id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        try:
            while data:
                n = os.write(self.wfd, data)
                data = data[n:]
        except OSError as e:
            raise BrowserError("%s: cannot write to the browser: %s" % (method, e)) from None
        return mid

    def call(self, method, params=None, session=None, timeout=None):
        """Sends one command and returns its result; events that arrive meanwhile are recorded."""
        mid = self.send(method, params, session)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            r = self._next(deadline, method)
            if r.get("id") == mid:
                if "error" in r:
                    raise BrowserError("%s: %s" % (method, r["error"].get("message", r["error"])))
                return r.get("result", {})

    def wait_until(self, cond, what, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        while not cond():
            self._next(deadline, what)

    def new_page(self):
        """A new page target (1280 px wide, device scale 1) with the Page, Runtime, Log and
        Network domains enabled."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session, target)
        self.pages[session] = page
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.call(domain + ".enable")
        page.call("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": HEIGHT,
                                                         "deviceScaleFactor": 1, "mobile": False})
        return page

    def load(self, path):
        """A new page with the local file at path loaded (Page.loadEventFired)."""
        page = self.new_page()
        page.navigate("file://" + os.path.abspath(path))
        return page

    def close_page(self, page):
        """Closes the page's target (its events stay recorded in page)."""
        self.pages.pop(page.session, None)
        self.call("Target.closeTarget", {"targetId": page.target})

    def close(self):
        if self.proc is not None:
            try:
                if self.proc.poll() is None:
                    try:
                        self.call("Browser.close", timeout=5)
                    except BrowserError:
                        pass
                    try:
                        self.proc.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        os.killpg(self.proc.pid, signal.SIGKILL)
                        self.proc.wait(timeout=5)
            finally:
                # Chromium's helpers live in its session: end them with it.
                _kill_group(self.proc.pid)
                _live.discard(self.proc.pid)
                for fd in (self.wfd, self.rfd):
                    try:
                        os.close(fd)
                    except OSError:
                        pass
                self.errfile.close()
                self.proc = None
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None
