"""User Markdown becomes safe HTML: ordinary writing survives, nothing that runs script does."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from kitbag.core.markdown import ALLOWED_TAGS, render_markdown
from kitbag.core.tests.xss_corpus import XSS_PAYLOADS, assert_no_xss, parse, xss_problems


def test_the_corpus_is_large_enough_to_mean_something() -> None:
    assert len(XSS_PAYLOADS) >= 40


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_in_the_corpus_survives_rendering(payload: str) -> None:
    assert_no_xss(render_markdown(payload), allowed_tags=set(ALLOWED_TAGS))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_when_embedded_in_ordinary_text(payload: str) -> None:
    text = f"Some *context* first.\n\n{payload}\n\nAnd a [safe link](https://example.org) after."
    rendered = render_markdown(text)
    assert_no_xss(rendered, allowed_tags=set(ALLOWED_TAGS))
    assert 'href="https://example.org"' in rendered


def test_the_checker_itself_catches_what_it_should() -> None:
    # A checker that never fails proves nothing about the helper.
    assert xss_problems("<script>alert(1)</script>")
    assert xss_problems('<a href="&#106;avascript:alert(1)">x</a>')
    assert xss_problems('<a href="java\tscript:alert(1)">x</a>')
    assert xss_problems('<p onclick="x()">x</p>')
    assert xss_problems('<p style="color:red">x</p>')
    assert xss_problems("<!-- hidden -->")
    assert not xss_problems('<p><a href="https://example.org">ok</a></p>')


def test_paragraphs_emphasis_and_lists_are_rendered() -> None:
    rendered = render_markdown("Hello *world* and **you**.\n\nSecond paragraph.\n\n- one\n- two\n")
    assert '<p class="govuk-body">Hello <em>world</em> and <strong>you</strong>.</p>' in rendered
    assert '<p class="govuk-body">Second paragraph.</p>' in rendered
    assert (
        '<ul class="govuk-list govuk-list--bullet">\n<li>one</li>\n<li>two</li>\n</ul>' in rendered
    )


def test_numbered_lists_keep_their_start() -> None:
    assert '<ol start="3" class="govuk-list govuk-list--number">' in render_markdown(
        "3. three\n4. four"
    )


def test_links_are_kept_and_marked_as_user_content() -> None:
    rendered = render_markdown('[Kitbag](https://kitbag.example/a?b=1&c=2 "Home")')
    elements = parse(rendered).elements
    links = [dict(attrs) for tag, attrs in elements if tag == "a"]
    assert links == [
        {
            "href": "https://kitbag.example/a?b=1&c=2",
            "title": "Home",
            "class": "govuk-link",
            "rel": "nofollow noopener ugc",
        }
    ]


def test_classes_come_from_the_sanitiser_not_the_writer() -> None:
    rendered = render_markdown("*x*")
    assert rendered == '<p class="govuk-body"><em>x</em></p>'
    elements = parse(render_markdown('<p class="evil">x</p>')).elements
    assert [dict(attrs).get("class") for _, attrs in elements] == ["govuk-body"]


def test_autolinks_and_mailto_links_work() -> None:
    rendered = render_markdown("<https://example.org> or <mailto:help@example.org>")
    assert 'href="https://example.org"' in rendered
    assert 'href="mailto:help@example.org"' in rendered


def test_reference_links_work() -> None:
    rendered = render_markdown("See [the guide][g].\n\n[g]: https://example.org/guide")
    assert 'href="https://example.org/guide"' in rendered


def test_relative_links_lose_their_target() -> None:
    rendered = render_markdown("[settings](/account/data/delete/)")
    assert "href" not in rendered
    assert "settings" in rendered


def test_raw_html_is_shown_as_text_not_run() -> None:
    rendered = render_markdown("I typed <b>bold</b> & <script>x</script>")
    assert "&lt;b&gt;bold&lt;/b&gt;" in rendered
    assert "&lt;script&gt;" in rendered


def test_code_is_escaped() -> None:
    rendered = render_markdown("Use `<script>` tags:\n\n```\n<script>alert(1)</script>\n```")
    assert "<code>&lt;script&gt;</code>" in rendered
    assert "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>" in rendered


def test_headings_and_images_are_not_rendered() -> None:
    rendered = render_markdown("# Big\n\n![alt](https://example.org/x.png)")
    assert "<h1" not in rendered
    assert "<img" not in rendered


def test_empty_text_renders_nothing() -> None:
    assert render_markdown("") == ""


def test_the_result_is_marked_safe_for_templates() -> None:
    assert isinstance(render_markdown("*x*"), SafeString)


def test_the_template_filter_renders_and_sanitises() -> None:
    template = Template("{% load kitbag_markdown %}{{ text|markdown }}")
    rendered = template.render(Context({"text": "*hi* <script>alert(1)</script>"}))
    assert "<em>hi</em>" in rendered
    assert "<script>" not in rendered
    assert (
        Template("{% load kitbag_markdown %}{{ text|markdown }}").render(Context({"text": None}))
        == ""
    )
