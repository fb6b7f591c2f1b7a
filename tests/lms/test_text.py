"""Markdown is rendered and then sanitised: script, event handlers, javascript: and data: URLs never survive."""

import pytest

from courses.blocks import MarkdownBlock
from lms.text import render_markdown


def test_markdown_formatting_is_kept():
    html = render_markdown(
        "## Goal\n\nWe need **300,000** syringes. [Budget](https://example.org/budget)\n\n- one\n- two"
    )
    assert "<h2>Goal</h2>" in html
    assert "<strong>300,000</strong>" in html
    assert 'href="https://example.org/budget"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="#" onclick="steal()">x</a>', "onclick"),
        ("[click](javascript:alert(1))", "javascript:"),
        ("[click](JaVaScRiPt:alert(1))", "alert"),
        ("[img](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "data:"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
        ("<svg onload=alert(1)>", "onload"),
        ('<p style="background:url(x)">x</p>', "style="),
    ],
)
def test_dangerous_markdown_is_removed(source, forbidden):
    assert forbidden.lower() not in render_markdown(source).lower()


def test_the_markdown_block_renders_sanitised_html():
    html = MarkdownBlock().render("Hello <script>alert(1)</script> **world**")
    assert "<strong>world</strong>" in html
    assert "<script" not in html


def test_editor_rich_text_is_sanitised_but_keeps_its_formatting_and_page_links():
    from lms.text import render_richtext

    html = render_richtext(
        '<h2>Budget</h2><p><b>Bold</b> <a href="https://example.org">out</a></p>'
        '<script>alert(1)</script><p onclick="x()">Click</p><a href="javascript:alert(1)">bad</a>'
    )
    assert "<h2>Budget</h2>" in html and "<b>Bold</b>" in html and 'href="https://example.org"' in html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
