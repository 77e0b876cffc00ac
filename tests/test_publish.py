"""Publishing (issue 23): ./site.sh publish and the server recipes in deploy/, tested on real servers.

Fast checks (no server): the folder needs a checked site_url; fingerprints rewrite every reference;
sitemap.xml and robots.txt follow the edition; deploy/nginx.conf, deploy/Caddyfile and deploy/_headers
carry one Content-Security-Policy (deploy/csp.txt), which allows every inline script and style
attribute of the built pages; the GitHub Pages workflow is a valid workflow that publishes
dist/publish/; Caddy accepts its file (``caddy validate``).

The slow test (``-m slow``) builds the site as a deployer would (a scratch copy whose mkdocs.yml gains
a site_url), publishes it, and serves it with nginx — Debian's, unprivileged, on a loopback port,
from a temporary config built around deploy/nginx.conf with its own pid, log and temp paths — and
then with Caddy from deploy/Caddyfile. In real Chromium: every page loads with no CSP violation and
no console error; every text response of 512 bytes or more arrives compressed; cache headers are as
configured; the security headers are on every response; the MIME types of .webmanifest, .epub and
.imscc; and after a republish, a page visited before shows the new edition, not a stale copy.

``RFA_NGINX_CONF=/path/to/other.conf`` runs the server test with another nginx server block (the
demonstration that the test fails without compression or without the CSP); ``RFA_DEPLOY_SITE`` and
``RFA_DEPLOY_URL`` give it a site already built with that site_url instead of building one;
``RFA_DEPLOY_PORT`` moves the fixed loopback address it builds for (tests/project_copy.py DEPLOY_URL).
"""
from __future__ import annotations

import fcntl
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest
import yaml

from scripts.site import publish_folder as pf
from scripts.site.local_server import LocalServer, ServerError
from tests.conftest import ROOT, require_tool
from tests.project_copy import deploy_lock

DEPLOY = ROOT / "deploy"
IMMUTABLE = "public, max-age=31536000, immutable"
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}(\.min)?\.(js|css|woff2?|ttf)$")


# ---- fast checks ---------------------------------------------------------------------------------

def publish(*args, **kwargs) -> dict:
    """pf.publish with Brotli at quality 5: the same files, made in seconds (quality 11 takes minutes here)."""
    return pf.publish(*args, brotli_quality=5, **kwargs)


def fake_site(root: Path, url: str | None = "https://reader.example.edu/rfa/") -> Path:
    site = root / "site"
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "assets" / "stylesheets").mkdir(parents=True)
    (site / "assets" / "fonts" / "files").mkdir(parents=True)
    (site / "readings").mkdir()
    canonical = f'<link rel="canonical" href="{url}index.html">' if url else ""
    (site / "index.html").write_text(f'<html><head>{canonical}<link href="assets/stylesheets/reader.css" '
                                     'rel="stylesheet"></head><body><script src="assets/javascripts/reader.js">'
                                     '</script><p>reader.js is ours</p></body></html>')
    (site / "readings" / "a.html").write_text('<script src="../assets/javascripts/reader.js"></script>'
                                              '<script id="__config" type="application/json">{"search": '
                                              '"../assets/javascripts/search-worker.js"}</script>')
    (site / "404.html").write_text("not found")
    (site / "assets" / "javascripts" / "reader.js").write_text('const DEFS = "assets/javascripts/defs.js";')
    (site / "assets" / "javascripts" / "defs.js").write_text("var d = 1;")
    (site / "assets" / "javascripts" / "search-worker.js").write_text("onmessage = () => 0;")
    (site / "assets" / "javascripts" / "bundle.0123abcd.min.js").write_text("// Material's, already hashed")
    # a comment naming a script (as the combined site.css carries its sources' comments) is not a reference
    (site / "assets" / "stylesheets" / "reader.css").write_text("/* popovers (assets/javascripts/reader.js) */\n"
                                                                "@font-face{src:url(../fonts/files/f.woff2)}")
    (site / "assets" / "fonts" / "files" / "f.woff2").write_bytes(b"wOF2 font")
    return site


def test_no_folder_without_a_site_url(tmp_path: Path) -> None:
    site = fake_site(tmp_path, url=None)
    with pytest.raises(pf.PublishError, match=r"(?s)mkdocs.yml: error: site_url is not set.*what to do: add"):
        publish(site, tmp_path / "out", None, public=False)
    with pytest.raises(pf.PublishError, match="not a full http"):
        publish(site, tmp_path / "out", "reader.example.edu/rfa", public=False)
    with pytest.raises(pf.PublishError, match="built without site_url"):
        publish(site, tmp_path / "out", "https://reader.example.edu/rfa/", public=False)
    assert not (tmp_path / "out").exists()


def test_the_command_stops_with_the_message_when_site_url_is_missing() -> None:
    assert pf.site_url_of(ROOT / "mkdocs.yml") is None     # the repository leaves it to the deployer
    proc = subprocess.run([sys.executable, "-m", "scripts.site.publish_folder", "--no-build", "--out",
                           "/nonexistent/publish"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "site_url is not set" in proc.stderr and "what to do" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_fingerprints_rewrite_every_reference(tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    out = tmp_path / "out"
    result = publish(site, out, "https://reader.example.edu/rfa/", public=False)
    new = result["fingerprinted"]
    assert set(new) == {"assets/javascripts/reader.js", "assets/javascripts/defs.js",
                        "assets/javascripts/search-worker.js", "assets/stylesheets/reader.css",
                        "assets/fonts/files/f.woff2"}
    for old, renamed in new.items():
        assert FINGERPRINTED.search(renamed), renamed
        assert (out / renamed).is_file() and not (out / old).exists()
    index = (out / "index.html").read_text()
    assert f'src="{new["assets/javascripts/reader.js"]}"' in index
    assert f'href="{new["assets/stylesheets/reader.css"]}"' in index
    assert "<p>reader.js is ours</p>" in index                    # prose is not a reference
    page = (out / "readings" / "a.html").read_text()
    assert f'"../{new["assets/javascripts/search-worker.js"]}"' in page
    reader = (out / new["assets/javascripts/reader.js"]).read_text()
    assert new["assets/javascripts/defs.js"] in reader             # renamed first, so reader.js's hash covers it
    css = (out / new["assets/stylesheets/reader.css"]).read_text()
    assert Path(new["assets/fonts/files/f.woff2"]).name in css
    assert "/* popovers (assets/javascripts/reader.js) */" in css
    assert (out / "assets/javascripts/bundle.0123abcd.min.js").is_file()
    assert (out / "_headers").read_text() == (DEPLOY / "_headers").read_text()


def test_sitemap_and_robots_follow_the_edition(tmp_path: Path) -> None:
    url = "https://reader.example.edu/rfa/"
    site = fake_site(tmp_path)
    publish(site, tmp_path / "classroom", url, public=False)
    (site / "readings" / "withheld.html").write_text('<div class="admonition info"><p class="admonition-title">'
                                                     f'{pf.WITHHELD}</p></div>')
    publish(site, tmp_path / "public", url, public=True)
    for edition in ("classroom", "public"):       # never 404.html; never a withheld text's page
        sitemap = (tmp_path / edition / "sitemap.xml").read_text()
        assert re.findall(r"<loc>([^<]+)</loc>", sitemap) == [url, url + "readings/a.html"]
    assert (tmp_path / "public" / "readings" / "withheld.html").is_file()
    assert "Disallow: /" in (tmp_path / "classroom" / "robots.txt").read_text()
    robots = (tmp_path / "public" / "robots.txt").read_text()
    assert "Allow: /" in robots and f"Sitemap: {url}sitemap.xml" in robots


def test_precompressed_copies_are_the_files(tmp_path: Path) -> None:
    import brotli

    site = fake_site(tmp_path)
    big = site / "readings" / "big.html"
    big.write_text("<p>kulak</p>\n" * 200)
    publish(site, tmp_path / "out", "https://reader.example.edu/rfa/", public=False)
    out = tmp_path / "out" / "readings"
    data = (out / "big.html").read_bytes()
    assert gzip.decompress((out / "big.html.gz").read_bytes()) == data
    assert brotli.decompress((out / "big.html.br").read_bytes()) == data
    assert not (out / "a.html.gz").exists()                      # under 512 bytes: sent as it is


def header_value(text: str, name: str) -> list[str]:
    return re.findall(rf'{name}\s*:?\s*"([^"]+)"', text)


def test_every_recipe_carries_the_one_policy() -> None:
    csp = pf.policy()
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', nginx) == [csp, csp]
    assert nginx.count('add_header X-Content-Type-Options "nosniff" always;') == 2
    assert nginx.count('add_header Referrer-Policy "no-referrer" always;') == 2
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert re.findall(r'Content-Security-Policy "([^"]+)"', caddy) == [csp]
    headers = (DEPLOY / "_headers").read_text()
    rules = parse_headers_file(headers)
    assert rules["/*"] == {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
                           "Referrer-Policy": "no-referrer"}
    for path in ("/assets/javascripts/*", "/assets/stylesheets/*", "/assets/fonts/*"):
        assert rules[path] == {"Cache-Control": IMMUTABLE}


def parse_headers_file(text: str) -> dict[str, dict[str, str]]:
    """Netlify/Cloudflare Pages ``_headers``: a path at column 0, its headers indented as ``Name: value``."""
    rules: dict[str, dict[str, str]] = {}
    current = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            assert line.startswith("/"), f"_headers:{n}: a rule must start with a path: {line!r}"
            current = rules.setdefault(line.strip(), {})
            continue
        assert current is not None, f"_headers:{n}: a header before any path"
        name, sep, value = line.strip().partition(": ")
        assert sep and re.fullmatch(r"[A-Za-z-]+", name), f"_headers:{n}: not 'Name: value': {line!r}"
        current[name] = value
    return rules


def test_the_built_pages_satisfy_the_policy(built_site: Path) -> None:
    pf.check_policy(built_site, pf.policy())


def test_github_pages_workflow() -> None:
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    on = flow.get("on", flow.get(True))
    assert "push" in on and "workflow_dispatch" in on
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = flow["jobs"]["build"]["steps"]
    text = yaml.safe_dump(build)
    assert "./site.sh publish --public" in text and "site_url" in text
    upload = next(s for s in build if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "dist/publish"
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_caddy_accepts_its_file() -> None:
    require_tool(shutil.which("caddy") is not None, "Caddy", "apt-get install caddy")
    with tempfile.TemporaryDirectory() as home:
        proc = subprocess.run(["caddy", "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
                              capture_output=True, text=True, timeout=60, env=dict(os.environ, HOME=home,
                                                                                   XDG_DATA_HOME=home, XDG_CONFIG_HOME=home))
    assert proc.returncode == 0 and "Valid configuration" in proc.stdout + proc.stderr, proc.stderr[-2000:]


# ---- on real servers -------------------------------------------------------------------------------

def start_server(kind: str, root: Path, work: Path, port: int) -> LocalServer:
    """nginx or Caddy from deploy/ (scripts/site/local_server.py); RFA_NGINX_CONF swaps nginx's server block."""
    other = os.environ.get("RFA_NGINX_CONF") if kind == "nginx" else None
    server = LocalServer(kind, root, work, port=port, config=Path(other) if other else None)
    try:
        server.start()
    except ServerError as err:
        if "Brotli module is missing" in str(err):
            require_tool(False, "nginx's Brotli module", "apt-get install libnginx-mod-http-brotli-static")
        pytest.fail(str(err), pytrace=False)
    return server


@pytest.fixture(scope="session")
def deployed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """The classroom edition built as a deployer builds it: mkdocs.yml with a site_url (the loopback
    address the servers will use), ./site.sh build's command in a scratch copy
    (``tests.project_copy.deploy_build``). Made once per run, in the background from the start of the
    run when this test is collected (tests/conftest.py), so that the test does not wait for it."""
    from tests.conftest import build_once
    from tests.project_copy import deploy_build

    if os.environ.get("RFA_DEPLOY_SITE"):          # a site already built with RFA_DEPLOY_URL as its site_url
        url = os.environ["RFA_DEPLOY_URL"]
        return Path(os.environ["RFA_DEPLOY_SITE"]), url, int(re.search(r":(\d+)/$", url).group(1))
    folder = build_once(tmp_path_factory, "deploy-build", deploy_build)
    url = (folder / "url").read_text(encoding="utf-8")
    return folder / "project" / "site", url, int(re.search(r":(\d+)/$", url).group(1))


@pytest.fixture(scope="module")
def server_root() -> Path:
    """A folder outside pytest's private temp dir (mode 700), readable by the unprivileged server."""
    path = Path(tempfile.mkdtemp(prefix="rfa-serve-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def fetch(url: str, encoding: str = "br, gzip") -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


TEXT_TYPES = ("text/html", "text/css", "javascript", "application/json", "image/svg+xml", "text/xml", "application/xml")


@pytest.mark.slow
@pytest.mark.xdist_group("deploy")     # one worker: both servers listen on the address the site was built for
@pytest.mark.parametrize("kind", ["nginx", "caddy"])
def test_served_by_a_real_server(kind: str, deployed_site, server_root: Path, browser) -> None:
    import brotli

    require_tool(shutil.which(kind) is not None, kind, f"apt-get install {'nginx-light' if kind == 'nginx' else 'caddy'}")
    site, url, port = deployed_site
    root = server_root / kind / "publish"
    work = server_root / kind / "work"
    result = publish(site, root, url, public=False)
    for name, body in (("edition.webmanifest", b'{"name": "Revolution from Above"}' * 20),
                       ("reader.epub", b"PK\x03\x04epub"), ("course.imscc", b"PK\x03\x04imscc")):
        (root / name).write_bytes(body)
    os.system(f"chmod -R a+rX {server_root}")
    with deploy_lock() as lock:                            # another run on this machine may be serving there
        fcntl.flock(lock, fcntl.LOCK_EX)
        server = start_server(kind, root, work, port)      # on the address the site was built for
        try:
            check_headers(url, root, brotli)
            check_in_chromium(browser, url, result["sitemap"])
            check_republish(browser, url, site, root)
            check_service_worker(browser, url, site, root)
        finally:
            server.stop()


def check_headers(url: str, root: Path, brotli) -> None:
    csp = pf.policy()
    # every response carries the security headers; pages are revalidated, fingerprinted assets kept a year
    for rel, cache in (("index.html", "no-cache"), ("readings/viola/chapter-2.html", "no-cache"),
                       ("search/search_index.json", "no-cache"), ("sitemap.xml", "no-cache"),
                       ("nonexistent.html", "no-cache")):
        status, headers, body = fetch(url + rel)
        assert status == (404 if rel.startswith("nonexistent") else 200), (rel, status)
        assert headers.get("cache-control") == cache, (rel, headers.get("cache-control"))
        assert headers.get("content-security-policy") == csp, rel
        assert headers.get("x-content-type-options") == "nosniff", rel
        assert headers.get("referrer-policy") == "no-referrer", rel
    assets = sorted(p for p in root.rglob("*") if p.is_file() and FINGERPRINTED.search(p.name))
    assert len(assets) > 20, assets
    for path in assets:
        rel = path.relative_to(root).as_posix()
        status, headers, _ = fetch(url + rel)
        assert status == 200 and headers.get("cache-control") == IMMUTABLE, (rel, headers.get("cache-control"))
        assert headers.get("content-security-policy") == csp, rel
    # the pre-compressed copies: Brotli when asked for, gzip otherwise, the same bytes as the file
    chapter = (root / "readings/viola/chapter-2.html").read_bytes()
    status, headers, body = fetch(url + "readings/viola/chapter-2.html", "br")
    assert headers.get("content-encoding") == "br" and brotli.decompress(body) == chapter
    assert "accept-encoding" in headers.get("vary", "").lower()
    status, headers, body = fetch(url + "readings/viola/chapter-2.html", "gzip")
    assert headers.get("content-encoding") == "gzip" and gzip.decompress(body) == chapter
    status, headers, body = fetch(url + "readings/viola/chapter-2.html", "identity")
    assert "content-encoding" not in headers and body == chapter
    # MIME types
    for rel, mime in (("edition.webmanifest", "application/manifest+json"), ("reader.epub", "application/epub+zip"),
                      ("course.imscc", "application/zip"), ("index.html", "text/html"),
                      ("search/search_index.json", "application/json")):
        status, headers, _ = fetch(url + rel, "identity")
        assert headers.get("content-type", "").split(";")[0] == mime, (rel, headers.get("content-type"))


def check_in_chromium(browser, url: str, pages: list[str]) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    uncompressed: list[str] = []
    page.on("console", lambda msg: problems.append(f"{page.url}: console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: {exc}"))

    def on_response(response) -> None:
        headers = response.headers
        kind = headers.get("content-type", "")
        length = int(headers.get("content-length") or 0) if "content-encoding" not in headers else None
        if response.url.startswith(url) and any(t in kind for t in TEXT_TYPES) and response.status == 200:
            if headers.get("content-encoding") not in ("br", "gzip") and (length is None or length >= pf.MIN_COMPRESS):
                uncompressed.append(f"{response.url} ({kind}, {length} bytes)")
    page.on("response", on_response)
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
                         "window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + "
                         "e.sourceFile + ':' + e.lineNumber));")
    try:
        for rel in pages:
            page.goto(url + ("" if rel == "index.html" else rel), wait_until="load")
            page.wait_for_timeout(150)
            violations = page.evaluate("window.__csp")
            problems += [f"{rel}: CSP violation: {v}" for v in violations]
        # search (the worker and the index under the policy)
        page.goto(url + "readings/viola/chapter-2.html", wait_until="load")
        page.locator("input.md-search__input").click()
        page.keyboard.type("kulak")
        page.wait_for_selector(".md-search-result__item", timeout=20000)
        problems += [f"search: CSP violation: {v}" for v in page.evaluate("window.__csp")]
    finally:
        context.close()
    assert not problems, "\n".join(problems[:20])
    assert not uncompressed, "sent uncompressed:\n" + "\n".join(uncompressed[:20])


def check_republish(browser, url: str, site: Path, root: Path) -> None:
    """A reader who opened the edition before sees the new one after a republish, not a cached copy."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(url + "readings/viola/chapter-2.html", wait_until="load")
        old = page.locator("#p1").inner_text()
        page.goto(url + "index.html", wait_until="load")
        new_site = root.parent / "next-edition"
        shutil.copytree(site, new_site)
        chapter = new_site / "readings/viola/chapter-2.html"
        chapter.write_text(chapter.read_text(encoding="utf-8").replace('id="p1"', 'id="p1" data-edition="next"', 1)
                           .replace("</h1>", " (next edition)</h1>", 1), encoding="utf-8")
        publish(new_site, root, url, public=False)
        os.system(f"chmod -R a+rX {root}")
        page.goto(url + "readings/viola/chapter-2.html", wait_until="load")
        assert "(next edition)" in page.locator("h1").first.inner_text()
        assert page.locator('#p1[data-edition="next"]').count() == 1
        assert page.locator("#p1").inner_text() == old
    finally:
        context.close()


def check_service_worker(browser, url: str, site: Path, root: Path) -> None:
    """The offline save's service worker (scripts/site/offline_save.py) installs from the published
    folder under the policy, with its precache of fingerprinted names; after a republish with a new
    build id the reader is told a newer edition is available and the switch keeps one whole cache."""
    from scripts.site import offline_save
    from tests.browser.test_offline_save_browser import CACHES, SAVE

    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
                         "window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));")
    try:
        page.goto(url + "index.html", wait_until="load")
        page.locator(SAVE).first.click()
        page.wait_for_selector(".rd-offline[data-state='saved']", timeout=120000)
        assert page.evaluate("async () => !!(await navigator.serviceWorker.getRegistration())")
        first = page.evaluate(CACHES)
        assert len(first) == 1, first
        context.set_offline(True)
        page.goto(url + "glossary.html", wait_until="load")       # from the precache, fingerprinted assets too
        assert page.locator("article h1").count() >= 1
        context.set_offline(False)
        # a new edition: a page changed and the worker written again (a new build id), then republished
        new_site = root.parent / "sw-edition"
        shutil.copytree(site, new_site)
        chapter = new_site / "readings/viola/chapter-2.html"
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("</h1>", " (sw edition)</h1>", 1), encoding="utf-8")
        offline_save.write_worker(new_site)
        publish(new_site, root, url, public=False)
        os.system(f"chmod -R a+rX {root}")
        page.goto(url + "index.html", wait_until="load")
        notice = page.locator(".md-footer .rd-offline[data-state='ready']")
        notice.wait_for(timeout=120000)
        assert "A newer edition is available" in notice.inner_text()
        with page.expect_navigation(timeout=60000):
            page.locator(".md-footer button:has-text('Switch to the new edition')").click()
        page.wait_for_selector(".rd-offline[data-state='saved']", timeout=60000)
        names = page.evaluate(CACHES)
        assert len(names) == 1 and names != first, (first, names)
        context.set_offline(True)
        page.goto(url + "readings/viola/chapter-2.html", wait_until="load")
        assert "(sw edition)" in page.locator("h1").first.inner_text()
        assert page.evaluate("window.__csp") == [], page.evaluate("window.__csp")
    finally:
        context.close()

