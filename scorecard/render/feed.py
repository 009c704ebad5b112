"""The scorecard at a glance, for other sites: badge.svg (the score as an image) and feed.xml (an
Atom feed of status changes). Made from the documents, like every output."""

from __future__ import annotations

import uuid
from typing import Any

from ..model import Status
from ..vocabulary import STATUS_LABELS
from .data import text
from .html import Renderer

Docs = dict[str, dict[str, Any]]  # target id -> that target's document, primary first
FEED_NAMESPACE = uuid.UUID("6f6c1d2e-6a57-4f55-9d3e-2f1b5a3c7e10")  # this tool's, for entry ids


def badges(docs: Docs, renderer: Renderer) -> dict[str, bytes]:
    """badge.svg (the primary target) and badge.<target>.svg for each target."""
    main = next(iter(docs.values()))
    template = renderer.env.get_template("badge.svg.j2")
    out = {}
    for t in main["targets"]:
        counts = t["score"]["counts"]
        value = f"{counts.get(Status.met.value, 0)}/{t['score']['applicable']}"
        label = "demands met"
        svg = template.render(label=label, value=value, name=t["name"],
                              campaign=text(main["campaign"]["title"], main),
                              as_of=main["as_of"], percent=t["score"]["percent"],
                              summary=t["score"]["summary"],
                              label_width=8 + 7 * len(label), value_width=12 + 8 * len(value))
        if len(main["targets"]) > 1:
            out[f"badge.{t['id']}.svg"] = svg.encode()
        if t["primary"]:
            out["badge.svg"] = svg.encode()
    return out


def entry_id(campaign: str, target: str, demand: str, date: str, status: str) -> str:
    """A stable Atom id: the same change always gets the same id, so readers show it once."""
    return uuid.uuid5(FEED_NAMESPACE, "\x1f".join((campaign, target, demand, date,
                                                   status))).urn


def feed(docs: Docs, renderer: Renderer) -> dict[str, bytes]:
    """feed.xml: an Atom feed (RFC 4287) with one entry per status change, newest first."""
    main = next(iter(docs.values()))
    title = text(main["campaign"]["title"], main)
    pages = {t["id"]: t["page"] for t in main["targets"]}
    entries = []
    for t in main["targets"]:
        doc = docs[t["id"]]
        by_id = {r["id"]: r for r in doc["responses"]}
        titles = {d["id"]: text(d["title"], main) for d in doc["demands"]}
        for ch in t["changes"]:
            entries.append({
                **ch,
                "id": entry_id(title, t["id"], ch["demand"], ch["date"], ch["to"]),
                "demand_title": titles[ch["demand"]],
                "from_label": STATUS_LABELS[Status(ch["from"])],
                "to_label": STATUS_LABELS[Status(ch["to"])],
                "link": f"{pages[t['id']]}#{ch['demand']}",
                "causes": [by_id[rid] for rid in ch["responses"] if rid in by_id],
            })
    entries.sort(key=lambda e: (e["date"], e["target"], e["demand"]), reverse=True)
    updated = f"{entries[0]['date']}T00:00:00Z" if entries else main["generated_on"]
    xml = renderer.env.get_template("feed.xml.j2").render(
        title=title, feed_id=uuid.uuid5(FEED_NAMESPACE, title).urn, updated=updated,
        authors=main["campaign"].get("organizers") or [main["generator"]],
        generator=main["generator"], entries=entries, text=lambda v: text(v, main))
    return {"feed.xml": xml.encode()}
