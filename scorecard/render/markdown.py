"""Markdown from the YAML files -> safe HTML: no raw HTML, no images, only http(s) and mailto
links. Texts rendered in the last build are kept in the user's cache (see cache.py): Markdown is
half the cost of a big page, and texts rarely change between builds."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .. import i18n

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def _validate_link(url: str) -> bool:
    return bool(SAFE_LINK.match(url.strip()))


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # only when a text is not in the cache

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["html_block", "html_inline"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.core.ruler.push("isolate_tags", i18n.isolate_tags_rule)  # #hashtags in RTL text
    # An image would be a request to somewhere: show its description as text instead.
    md.add_render_rule("image", lambda self, tokens, idx, options, env: escape(tokens[idx].content))
    return md


@functools.lru_cache(maxsize=65536)  # a 10,000-response campaign has ~10,000 texts
def markdown(text: str) -> Markup:
    """Markdown -> safe HTML: no raw HTML, no images, only http(s) and mailto links."""
    html = _parser().render(text or "")
    html = html.replace("<a href=", '<a rel="nofollow noopener" href=')
    return Markup(html)


class Store:
    """The HTML of the texts of the last build (read from the cache once) and of this one."""

    def __init__(self) -> None:
        from ..cache import default_dir, markdown_entry_name, read_entry

        self.folder = default_dir()
        known = read_entry(self.folder, markdown_entry_name()) if self.folder else None
        self.known: dict[str, str] = known if isinstance(known, dict) else {}
        self.used: dict[str, str] = {}

    def __call__(self, text: str) -> Markup:
        html = self.known.get(text)
        if html is None:
            html = str(markdown(text))
        self.used[text] = html
        return Markup(html)

    def save(self) -> None:
        """Keep this build's texts for the next one, when there are new ones."""
        if self.folder and self.used.keys() - self.known.keys():
            from ..cache import markdown_entry_name, store

            store(self.folder, markdown_entry_name(), self.used)  # (and drops stale ones)
            self.known.update(self.used)
