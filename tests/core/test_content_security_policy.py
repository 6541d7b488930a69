"""
The Content-Security-Policy header, and templates that need no 'unsafe-inline' to work: no inline script,
no style="" attribute or <style> element, no on*="" handler, no javascript: URL. The browser test
(tests/browser/test_content_security_policy.py) checks the rendered pages in Chromium.
"""

import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
TEMPLATES = BASE_DIR / "templates"
# WeasyPrint renders these on the server into PDFs (each app's templates/<app>/pdf/); no browser, so no policy,
# reads them.
SERVER_ONLY = sorted(TEMPLATES.glob("*/pdf"))

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']\s*javascript:", re.IGNORECASE)


def browser_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if not any(path.is_relative_to(folder) for folder in SERVER_ONLY):
            yield path


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, EVENT_HANDLER, JAVASCRIPT_URL],
                         ids=["inline script", "style attribute", "style element", "event handler", "javascript URL"])
def test_no_template_needs_unsafe_inline(pattern):
    found = [f"{path.relative_to(BASE_DIR)}:{text[:match.start()].count(chr(10)) + 1}: {match.group(0).strip()}"
             for path in browser_templates()
             for text in [path.read_text(encoding="utf-8")]
             for match in pattern.finditer(text)]
    assert found == []


def test_scripts_do_not_write_style_attributes_in_markup():
    """Setting element.style from a script is allowed; markup with style="" added through innerHTML is not."""
    scripts = sorted((BASE_DIR / "static" / "js").glob("*.js"))
    assert scripts
    offending = [str(path.relative_to(BASE_DIR)) for path in scripts
                 if re.search(r"style=|setAttribute\(\s*[\"']style", path.read_text(encoding="utf-8"))]
    assert offending == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/api/docs/", "/admin/login/", "/api/regions/"])
def test_every_response_carries_the_policy_without_unsafe_inline(client, path):
    response = client.get(path)
    policy = {
        directive.split()[0]: directive.split()[1:] for directive in response["Content-Security-Policy"].split("; ")
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)


@pytest.mark.django_db
def test_swagger_ui_loads_its_start_up_script_as_a_file(client, pati_officer):
    client.force_login(pati_officer)
    page = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(page) and not STYLE_ELEMENT.search(page)
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', page).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()
