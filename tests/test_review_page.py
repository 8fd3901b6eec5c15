"""The review page in headless Chromium: paste an article, submit it, and check the tables and
the highlighted quotes against the API's own answer.

The seed article runs on the embedded model's recorded answers (a cassette); the stub runs the
cases a recording cannot pick: characters outside the BMP before a quote (offsets are code
points, JavaScript strings are UTF-16), an HTML page, and an error.
"""

# ruff: noqa: F811  (fixtures are imported by name)
from __future__ import annotations

import pytest

from api.app import create_app
from tests.browser import browser  # noqa: F401
from tests.conftest import ROOT, SEED
from tests.helpers import make_runtime, make_settings, serve
from tests.stub import ARTICLE, stub  # noqa: F401

SCREENSHOTS = ROOT / "tests" / "screenshots"


def submit(page, base: str, text: str, *, fmt: str = "text") -> dict | None:
    """Fill in and submit the form; return the JSON the page received from /v1/summaries."""
    page.goto(f"{base}/review")
    page.fill("#article", text)
    page.check(f"input[name=format][value={fmt}]")
    # Generous: while recording, the embedded model takes minutes over the seed article.
    with page.expect_response(lambda r: r.url.endswith("/v1/summaries"), timeout=900_000) as answer:
        page.click("#submit")
    # A selector, not wait_for_function: the page's CSP forbids eval, and wait_for_function
    # evaluates a string expression with it whenever the state is not final at the first look.
    page.wait_for_selector("body[data-state=done], body[data-state=error]", state="attached", timeout=30_000)
    response = answer.value
    return response.json()


def marked_quotes(page) -> dict[str, str]:
    """Each quote id on the page and the article text its highlights cover, in order."""
    return page.evaluate(
        """() => {
            const out = {};
            for (const mark of document.querySelectorAll('#article-view mark')) {
                for (const id of mark.dataset.quotes.split(' ')) out[id] = (out[id] || '') + mark.textContent;
            }
            return out;
        }"""
    )


def expected_quotes(summary: dict) -> dict[str, dict]:
    out = {}
    for prefix, key in (("c", "casualties"), ("k", "claims"), ("d", "denials")):
        for i, item in enumerate(summary[key], start=1):
            if item.get("quote"):
                out[f"{prefix}{i}"] = item["quote"]
    return out


def check_page_matches(page, summary: dict, article: str) -> None:
    quotes = expected_quotes(summary)
    assert quotes, "the answer has no quotes to highlight"
    assert marked_quotes(page) == {qid: q["text"] for qid, q in quotes.items()}
    codepoints = list(article)
    for qid, quote in quotes.items():
        assert "".join(codepoints[quote["start"] : quote["end"]]) == quote["text"]
        # The row links to the quote, the quote's first highlight carries the anchor.
        assert page.get_attribute(f"#row-{qid} a.quote-link", "href") == f"#q-{qid}"
        assert page.locator(f"#q-{qid}").count() == 1
    view = page.inner_text("#article-view")
    assert view.split() == article.split()  # the whole article, highlighted in place, nothing lost
    for table, key in (("casualties", "casualties"), ("claims", "claims"), ("denials", "denials"),
                       ("parties", "parties")):  # fmt: skip
        assert page.locator(f"#{table} tbody tr").count() == len(summary[key])


@pytest.mark.vcr
@pytest.mark.recorded
def test_seed_article_highlighted(recorded_runtime, browser):
    text = SEED.read_text(encoding="utf-8")
    app = create_app(recorded_runtime.settings, runtime=recorded_runtime)
    with serve(app) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        summary = submit(page, base, text)
        assert summary["schema_version"] == "1", summary
        check_page_matches(page, summary, summary.get("article_text") or text)
        # The seed's casualty figures are in the table, each row linked to its highlight.
        figures = page.locator("#casualties tbody tr td:nth-child(2)").all_inner_texts()
        assert figures == [
            ("~" if c["approximate"] else "") + str(c["count"]) if c["count"] is not None else
            (f"{c['min'] or '?'}–{c['max'] or '?'}" if (c["min"], c["max"]) != (None, None) else "unspecified")
            for c in summary["casualties"]
        ]  # fmt: skip
        # Clicking a highlight selects its row.
        first = next(iter(expected_quotes(summary)))
        page.click(f"#article-view mark[data-quotes~='{first}']")
        assert "active" in (page.get_attribute(f"#row-{first}", "class") or "")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "review-seed.png"), full_page=True)
        page.close()


def test_offsets_are_code_points_and_html_pages_show_the_extracted_text(stub, browser):
    settings = make_settings(stub)
    app = create_app(settings, runtime=make_runtime(settings))
    article = "🌊🌊 " + ARTICLE  # two astral characters: four UTF-16 units, two code points
    with serve(app) as base:
        page = browser.new_page()
        summary = submit(page, base, article)
        check_page_matches(page, summary, article)

        headline, *body = ARTICLE.split("\n")
        html = (
            f"<html><head><title>{headline}</title><meta property='og:site_name' content='Valley Courier'></head>"
            f"<body><nav>Home | Weather | Sport</nav><article><h1>{headline}</h1>"
            + "".join(f"<p>{p}</p>" for p in body)
            + "</article><footer>© Valley Courier</footer></body></html>"
        )
        summary = submit(page, base, html, fmt="html")
        assert summary.get("article_text"), summary
        check_page_matches(page, summary, summary["article_text"])
        assert "Home | Weather" not in page.inner_text("#article-view")
        page.close()


def test_errors_are_shown_with_their_code(stub, browser):
    settings = make_settings(stub)
    app = create_app(settings, runtime=make_runtime(settings))
    with serve(app) as base:
        page = browser.new_page()
        answer = submit(page, base, "   \n  ")
        assert answer["code"] == "empty_text"
        assert page.is_visible("#error")
        assert page.inner_text("#error code") == "empty_text"
        assert page.is_hidden("#results")
        assert len(stub.requests) == 0
        page.close()


def test_page_and_assets_are_served_with_a_strict_policy(stub):
    from fastapi.testclient import TestClient

    settings = make_settings(stub)
    client = TestClient(create_app(settings, runtime=make_runtime(settings)))
    page = client.get("/review")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert 'src="/review/review.js"' in page.text
    assert client.get("/review/review.js").headers["content-type"].startswith("text/javascript")
    missing = client.get("/review/..%2Fapp.py")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert not any(path.startswith("/review") for path in client.get("/openapi.json").json()["paths"])
