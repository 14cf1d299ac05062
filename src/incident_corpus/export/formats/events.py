"""Events built from spans + relations: one event per ATTACK span, its arguments, and what is left over.

Shared by the Hugging Face `events`/`incidents` configs (hf.py) and the TextEE layout (textee.py),
so every format reads the same events. Built once per PreparedDoc (cached on `doc.events`).

- `perpetrator_of` / `casualty_of` make the PERPETRATOR / CASUALTY span an argument of its attack;
  `claim_for` makes the CLAIM span a `claim` argument; `claimed_by` fills that claim's `claimant`.
- A claim tied to a perpetrator (`claimed_by`) but to no attack joins every attack that
  perpetrator is `perpetrator_of`.
- Relations are read by the labels of their two ends, not by their direction: pull already turns
  reversed relations round (repair `relation_reversed`), and a record that was not pulled gets the
  same reading.
- Spans that end up in no event are kept in `unattached`, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from incident_corpus.core.labels import ARGUMENT_ROLES, CLAIMANT_ROLE, LABEL_ROLES, RELATIONS, TRIGGER_LABEL
from incident_corpus.export.counts import Mention, combine_counts
from incident_corpus.export.formats import article_columns

# Each label's role comes from core/labels.py (LABEL_ROLES); here only the ids this module writes.
ROLES: tuple[str, ...] = ARGUMENT_ROLES
ROLE_ID: dict[str, int] = {r: i for i, r in enumerate(ROLES)}
EVENT_COUNT_KEYS: tuple[str, ...] = ("events", *ROLES, "unattached")
# Label pair of a relation's two ends -> the role the non-trigger end plays, or CLAIMANT_ROLE between two arguments.
_PAIR_ROLE: dict[frozenset[str], str] = {
    frozenset(pair): LABEL_ROLES[pair[0]] if pair[1] == TRIGGER_LABEL else CLAIMANT_ROLE
    for pair in RELATIONS.values()
}
_CLAIM_LABEL = RELATIONS["claimed_by"][0]  # the claim end of a CLAIMANT_ROLE relation


@dataclass(slots=True)
class Event:
    """One ATTACK span (`trigger`, an index into doc.spans) and its arguments (indices, by span order)."""

    event_id: str
    trigger: int
    arguments: list[int] = field(default_factory=list)


@dataclass(slots=True)
class EventSet:
    """The events of one article; `claimant` maps a CLAIM span index to its PERPETRATOR span index."""

    events: list[Event]
    unattached: list[int]
    claimant: dict[int, int]

    def counts(self, spans: list[dict[str, Any]]) -> dict[str, int]:
        """Events, arguments by role and unattached spans (the card's per-split table)."""
        out = dict.fromkeys(EVENT_COUNT_KEYS, 0)
        out["events"], out["unattached"] = len(self.events), len(self.unattached)
        for ev in self.events:
            for a in ev.arguments:
                out[LABEL_ROLES[spans[a]["label"]]] += 1
        return out


def build_events(article_id: str, spans: list[dict[str, Any]], relations: list[dict[str, Any]]) -> EventSet:
    """Events from sorted span rows and index relations (the PreparedDoc shape); see the module doc.

    Also gives every non-ATTACK span row its `role` (ClassLabel id) and `claimant` ({start, end, text}
    or None), so the rows themselves serve as arguments (writers pick the fields they need by name).
    """
    attacks = [i for i, s in enumerate(spans) if s["label"] == TRIGGER_LABEL]
    args: dict[int, set[int]] = {a: set() for a in attacks}
    perp_attacks: dict[int, list[int]] = {}
    claimant: dict[int, int] = {}
    claims_with_attack: set[int] = set()
    for rel in relations:
        h, t = rel["head"], rel["tail"]
        lh, lt = spans[h]["label"], spans[t]["label"]
        role = _PAIR_ROLE.get(frozenset({lh, lt}))
        if role is None or lh == lt:
            continue  # not a pair any relation type joins; validate reports it
        if role == CLAIMANT_ROLE:
            claim, perp = (h, t) if lh == _CLAIM_LABEL else (t, h)
            claimant.setdefault(claim, perp)
            continue
        arg, attack = (h, t) if lt == TRIGGER_LABEL else (t, h)
        args[attack].add(arg)
        if role == "perpetrator":
            perp_attacks.setdefault(arg, []).append(attack)
        elif role == "claim":
            claims_with_attack.add(arg)
    for claim, perp in claimant.items():
        if claim not in claims_with_attack:
            for attack in perp_attacks.get(perp, ()):
                args[attack].add(claim)
    events = [Event(f"{article_id}-e{k}", a, sorted(args[a])) for k, a in enumerate(attacks)]
    attached = set().union(*args.values()) if args else set()
    unattached = []
    for i, s in enumerate(spans):
        label = s["label"]
        if label == TRIGGER_LABEL:
            continue
        s["role"] = ROLE_ID[LABEL_ROLES[label]]
        c = claimant.get(i)
        s["claimant"] = None if c is None else {"start": spans[c]["start"], "end": spans[c]["end"],
                                                "text": spans[c]["text"]}
        if i not in attached:
            unattached.append(i)
    return EventSet(events=events, unattached=unattached, claimant=claimant)


def events_of(doc: Any) -> EventSet:
    """The doc's EventSet, built on first use and kept on the PreparedDoc for the other formats."""
    if doc.events is None:
        doc.events = build_events(doc.record["article_id"], doc.spans, doc.relations)
    events: EventSet = doc.events
    return events


def events_row(doc: Any) -> dict[str, Any]:
    """A row of the `events` config: triggers and arguments are the span rows themselves (see build_events).

    `role` is its ClassLabel id; an unattached span's `label` stays a name (the HF writer maps it).
    """
    es = events_of(doc)
    spans = doc.spans
    events = []
    for ev in es.events:
        t = spans[ev.trigger]
        events.append({
            "event_id": ev.event_id,
            "trigger": t,
            "attack_type": t["attack_type"],
            "attack_stage": t["attack_stage"],
            "arguments": [spans[a] for a in ev.arguments],
        })
    return {
        **article_columns(doc.record),
        "events": events,
        "unattached": [spans[i] for i in es.unattached],
    }


def incident_rows(doc: Any) -> list[dict[str, Any]]:
    """Rows of the `incidents` config: one per event, counts combined by counts.combine_counts."""
    es = events_of(doc)
    rec, meta, spans, text = doc.record, doc.record.get("meta") or {}, doc.spans, doc.record["text"]
    rows = []
    for ev in es.events:
        t = spans[ev.trigger]
        by_outcome: dict[str, list[Mention]] = {"killed": [], "injured": []}
        unknown = 0
        perps: dict[str, str | None] = {}
        statuses: list[str] = []
        for a in ev.arguments:
            s = spans[a]
            if s["label"] == "CASUALTY":
                if s["outcome"] in by_outcome:
                    by_outcome[s["outcome"]].append(Mention(s["start"], s["end"], s["count_min"], s["count_max"]))
                else:
                    unknown += 1
            elif s["label"] == "PERPETRATOR":
                perps.setdefault(s["text"], s["perpetrator_kind"])
            elif s["claim_status"] and s["claim_status"] not in statuses:
                statuses.append(s["claim_status"])
        nkill = combine_counts(text, by_outcome["killed"])
        nwound = combine_counts(text, by_outcome["injured"])
        rows.append({
            "article_id": rec["article_id"],
            "event_id": ev.event_id,
            "attack_start": t["start"],
            "attack_end": t["end"],
            "attack_text": t["text"],
            "attack_type": t["attack_type"],
            "attack_stage": t["attack_stage"],
            "nkill_min": nkill[0],
            "nkill_max": nkill[1],
            "nwound_min": nwound[0],
            "nwound_max": nwound[1],
            "casualties_unknown_outcome": unknown,
            "perpetrators": list(perps),
            "perpetrator_kinds": list(perps.values()),
            "claimed": "claimed" in statuses,
            "claim_statuses": statuses,
            "published": meta.get("published"),
            "url": meta.get("url"),
            "source": meta.get("source"),
        })
    return rows
