"""The Atom feed's entries (render/feed.py): made in Python, they print exactly what the
template's own loop printed, escaping included."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from scorecard import i18n
from scorecard.render.feed import entry_xml
from scorecard.render.html import Renderer
from scorecard.vocabulary import response_title

# The entry as feed.xml.j2 wrote it before entry_xml: the specification of its bytes (each
# cause named by its title, "Meeting, …", not by its id, since the reader's review).
TEMPLATE = """  <entry>
    <id>{{ e.id }}</id>
    <title>{{ e.target_name }}{{ _(", ") }}{{ e.demand }} {{ e.demand_title }}{{ _(": ") }}\
{{ e.from_label }} {{ arrow }} {{ e.to_label }}</title>
    <updated>{{ day }}T00:00:00Z</updated>
    <published>{{ day }}T00:00:00Z</published>
    <link rel="alternate" type="text/html" href="{{ e.link }}"/>
    <category term="{{ e.to }}" label="{{ e.to_label }}"/>
    <summary type="text">{{ e.date }}: {{ _("%(target)s, %(demand)s (%(title)s) went from \
%(before)s to %(after)s", target=e.target_name, demand=e.demand, title=e.demand_title, \
before=e.from_label, after=e.to_label) }}{% if e.set_by_hand %} ({{ _("set by hand") }})\
{% endif %}.{% for r in e.causes %} {{ rtitle(r) }}: {{ text(r.summary) | trim }}{% endfor %}\
</summary>
  </entry>
"""

HOSTILE = "<b>&amp;</b> \"q\" 'a' %(x)s %s {{ x }}"


@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
@pytest.mark.parametrize("by_hand", [True, False])
def test_an_entry_prints_what_the_template_printed(lang: str, by_hand: bool) -> None:
    renderer = Renderer()
    tr = renderer.use_language(lang)

    def text(value: object) -> str:
        return i18n.localized(value, lang, "en")[0]

    entry = {
        "id": "urn:uuid:" + HOSTILE,
        "target_name": "T " + HOSTILE,
        "demand": "D1<",
        "demand_title": HOSTILE,
        "from_label": tr.gettext("No response"),
        "to_label": "Met & more",
        "date": "2021-11",
        "link": "scorecard.html#D1?a=1&b='2'",
        "to": "met",
        "set_by_hand": by_hand,
        "causes": [
            {
                "id": "r-1",
                "kind": "meeting",
                "speaker": HOSTILE,
                "summary": {"en": f"  {HOSTILE}\n", "ar": "نص <i>"},
            },
            {"id": "r-2&", "kind": "policy", "summary": Markup("<em>kept</em>")},
            {"id": "r-3", "kind": "other", "speaker": None, "summary": None},
        ],
    }

    def rtitle(r: dict) -> str:  # what a response is called, in plain text
        return response_title(r, tr, text)

    arrow = "←" if lang == "ar" else "→"
    expected = renderer.env.from_string(TEMPLATE).render(
        e=entry, text=text, rtitle=rtitle, arrow=arrow, day="2021-11-30"
    )
    # (from_string drops the last newline)
    assert "  " + entry_xml(entry, tr, text, arrow) == expected
    assert " r-1:" not in expected and " r-2&amp;:" not in expected  # no ids
