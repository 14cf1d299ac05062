"""Deterministic synthetic news articles with gold spans, shared by the benchmarks and the tests.

Each article (~3 KB, varied templates and a long-tail vocabulary) comes from its own RNG seeded
with `f"{seed}:{index}"`, so any slice of a seed's stream is stable. The gold spans and relations
let the same generator seed an annotated Label Studio project (`result_items`) and stand in for
`annotate pull`'s output (`write_records`).
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from incident_corpus.core.labels import RELATION_BY_PAIR
from incident_corpus.ingest.articles import content_hash

# Synthetic articles with gold spans. A template is a list of pieces: plain strings, or slot names
# filled from the vocabulary; slots with a label become spans (with attributes).

CITIES = ("Kabul", "Mogadishu", "Maiduguri", "Quetta", "Baghdad", "Peshawar", "Mosul", "Aden", "Bamako",
          "Kirkuk", "Jalalabad", "Gao", "Diffa", "Mombasa", "Garissa", "Marawi", "Cotabato", "Idlib",
          "Nice", "Manchester", "Istanbul", "Lahore", "Karachi", "Sinai", "Ouagadougou", "Niamey")
PLACES = ("market", "checkpoint", "mosque", "church", "police station", "army base", "hotel", "bus station",
          "wedding party", "school", "university campus", "military convoy", "village", "refugee camp",
          "government compound", "restaurant", "concert hall", "shopping centre", "border post")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "late on Friday",
        "early on Sunday", "at dawn on Tuesday", "on Wednesday evening")
GROUPS = ("Boko Haram", "al-Shabaab", "the Islamic State group", "the Taliban", "the Pakistani Taliban",
          "Islamic State West Africa Province", "al-Qaeda in the Islamic Maghreb", "Jamaat Nusrat al-Islam",
          "Abu Sayyaf", "the Haqqani network", "Lashkar-e-Taiba", "Ansar al-Sharia")
PERP_PEOPLE = ("Suspected militants", "A lone gunman", "Gunmen on motorcycles", "A suicide bomber",
               "Armed assailants", "Unidentified attackers", "Two attackers", "A female suicide bomber",
               "Heavily armed fighters", "Masked gunmen", "Insurgents", "A knife-wielding man")
ATTACKS = (("bombing", "bombing", "accomplished"), ("suicide bombing", "bombing", "accomplished"),
           ("car bomb attack", "bombing", "accomplished"), ("shooting", "armed_assault", "accomplished"),
           ("ambush", "armed_assault", "accomplished"), ("raid", "armed_assault", "accomplished"),
           ("kidnapping", "kidnapping", "accomplished"), ("arson attack", "arson", "accomplished"),
           ("knife attack", "stabbing", "accomplished"), ("ramming attack", "vehicle_ramming", "accomplished"),
           ("assassination", "assassination", "accomplished"), ("foiled plot", "bombing", "attempted"),
           ("attack", None, "accomplished"), ("grenade attack", "bombing", "accomplished"))
VERBS = (("stormed", "armed_assault"), ("bombed", "bombing"), ("attacked", None), ("ambushed", "armed_assault"),
         ("opened fire on", "armed_assault"), ("set fire to", "arson"), ("raided", "armed_assault"))
NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "12", "15", "17", "21", "23",
           "at least 30", "at least 11", "more than 40", "nearly 60", "dozens of", "scores of", "about 25")
VICTIMS = ("people", "civilians", "soldiers", "police officers", "worshippers", "students", "villagers",
           "passengers", "security personnel", "children", "shoppers", "guests")
OUTCOMES = (("killed", "killed"), ("dead", "killed"), ("wounded", "injured"), ("injured", "injured"),
            ("hurt", "injured"), ("missing", "unknown"))
CLAIMS = (("claimed responsibility", "claimed"), ("said it carried out", "claimed"),
          ("denied any involvement", "denied"), ("was blamed", "attributed"),
          ("took responsibility", "claimed"), ("was suspected of being behind", "attributed"))
SOURCES = ("officials said", "police said", "a local official told reporters", "the interior ministry said",
           "witnesses said", "a hospital source said", "the army said in a statement", "residents said")
CHANNELS = ("Telegram", "its Amaq news agency", "a website linked to the group", "social media",
            "a statement sent to journalists")
FILLERS = (
    "Security forces sealed off the area and ambulances rushed the wounded to nearby hospitals.",
    "The government declared three days of national mourning and ordered flags flown at half-mast.",
    "Residents described scenes of panic as people fled in all directions.",
    "The region has seen repeated violence over the past decade, displacing hundreds of thousands.",
    "The United Nations Secretary-General condemned the violence and called for calm.",
    "Local television showed twisted metal, broken glass and burnt-out cars outside the building.",
    "Analysts say the group has regained strength despite years of military operations against it.",
    "Schools and markets in the district remained closed on the following day.",
    "Officials said an investigation had been opened and several people were being questioned.",
    "Neighbouring countries tightened border controls after the news broke.",
    "The prime minister cut short a foreign visit and chaired an emergency security meeting.",
    "Aid agencies warned that the humanitarian situation in the area was deteriorating quickly.",
    "Photographs shared online could not be independently verified.",
    "The city had been relatively calm in recent months, according to residents.",
    "Hospitals appealed for blood donations as they struggled to cope with the number of wounded.",
)

# Real news has a long tail of names, figures and rare words; the tokenizer caches every string it
# has seen, so a small closed vocabulary would make it (and the baselines built on it) unrealistically fast.
SYLLABLES = ("ab", "dul", "la", "hi", "mo", "ham", "med", "ka", "zeem", "o", "lu", "wa", "se", "un", "fa",
             "ti", "ma", "yu", "suf", "ra", "shid", "ha", "san", "ib", "ra", "him", "gu", "led", "ze", "nab",
             "ko", "ri", "ta", "nde", "bu", "ga", "ye", "va", "lo", "qui", "ros", "mer", "tin", "el", "va")
ROLES = ("a shopkeeper", "a teacher", "a district official", "a nurse", "a taxi driver", "a student",
         "a local elder", "a security analyst", "a spokesman for the governor", "a fisherman", "a pharmacist")
CLAUSES = ("the explosion shook the whole neighbourhood", "nobody had expected trouble on a market day",
           "the roads had been closed since the early hours", "families were still searching for relatives",
           "soldiers arrived about forty minutes later", "the power was cut across the district overnight",
           "local radio stations broadcast appeals for calm", "the checkpoint had been reinforced last month",
           "prices of food had doubled since the fighting began", "mobile networks were down for hours")
OUTLETS = ("Reuters", "the BBC", "AFP", "local television", "The Associated Press", "a radio station")


def _name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize()

    return f"{word()} {word()}" if rng.random() < 0.7 else f"{word()} {word()}-{word()}"


def _detail(rng: random.Random) -> str:
    """A sentence with no spans but a long-tail vocabulary: names, ages, figures, quotes, dates."""
    kind = rng.randrange(4)
    if kind == 0:
        return (f'"{rng.choice(CLAUSES).capitalize()}," said {_name(rng)}, {rng.choice(ROLES)} in '
                f"{rng.choice(CITIES)}.")
    if kind == 1:
        return (f"{_name(rng)} ({rng.randint(18, 80)}), {rng.choice(ROLES)}, told {rng.choice(OUTLETS)} that "
                f"{rng.choice(CLAUSES)}.")
    if kind == 2:
        return (f"The {rng.choice(('province', 'region', 'state', 'district'))} has a population of about "
                f"{rng.randint(1, 9)},{rng.randint(100, 999)},000 and received "
                f"${rng.randint(2, 90)}.{rng.randint(1, 9)}m "
                f"in aid in {rng.randint(2005, 2024)}, according to U.N. figures.")
    month = rng.choice(("January", "March", "May", "July", "September", "November"))
    return (f"On {rng.randint(1, 28)} {month}, Lt. Col. {_name(rng)} said {rng.randint(2, 40)} suspects were "
            f"detained near {_name(rng).split()[0]}ville.")


Slot = tuple[str, str | None, dict[str, str]]  # text, label, attributes


def _sentence(rng: random.Random) -> list[str | Slot]:
    """One sentence as pieces; about half the sentences carry spans."""
    city, place, day = rng.choice(CITIES), rng.choice(PLACES), rng.choice(DAYS)
    num, victims = rng.choice(NUMBERS), rng.choice(VICTIMS)
    out_word, outcome = rng.choice(OUTCOMES)
    atk, atk_type, stage = rng.choice(ATTACKS)
    attack_attrs = {"attack_stage": stage, **({"attack_type": atk_type} if atk_type else {})}
    cas: Slot = (f"{num} {victims} {out_word}" if out_word in ("dead", "missing") else f"{num} {victims}",
                 "CASUALTY", {"outcome": outcome})
    kind = rng.randrange(14)
    if kind == 0:
        verb, vtype = rng.choice(VERBS)
        perp = rng.choice(PERP_PEOPLE)
        return [(perp, "PERPETRATOR", {"perpetrator_kind": "individual"}), " ",
                (verb, "ATTACK", {"attack_stage": "accomplished", **({"attack_type": vtype} if vtype else {})}),
                f" a {place} in {city} {day}, killing ", cas, f", {rng.choice(SOURCES)}."]
    if kind == 1:
        return [f"The {atk} at a {place} in {city} left ", cas, f", {rng.choice(SOURCES)}."]
    if kind == 2:
        group = rng.choice(GROUPS)
        claim, status = rng.choice(CLAIMS)
        return [(group[0].upper() + group[1:], "PERPETRATOR", {"perpetrator_kind": "organisation"}), " later ",
                (claim, "CLAIM", {"claim_status": status}), " for the ", (atk, "ATTACK", attack_attrs),
                f" in a statement on {rng.choice(CHANNELS)}."]
    if kind == 3:
        return [f"{day.capitalize()}'s ", (atk, "ATTACK", attack_attrs), f" near the {place} was the deadliest "
                f"in {city} this year; ", cas, f" were {out_word if out_word not in ('dead', 'missing') else 'hurt'}."]
    if kind == 4:
        return [f"{rng.choice(SOURCES).capitalize()} that ", cas, " in the ", (atk, "ATTACK", attack_attrs),
                " had been taken to hospital."]
    return [rng.choice(FILLERS) if kind < 9 else _detail(rng)]


def _region_id(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=10))


RELATION_FOR = RELATION_BY_PAIR  # every pair of spans in one sentence that has a type is related


def article(rng: random.Random, *, size: int = 3000) -> dict[str, Any]:
    """One article: text (already in normalised form), metadata, gold spans and relations."""
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    pos = 0
    while pos < size:
        if parts:
            parts.append("\n\n")
            pos += 2
        for k in range(rng.randint(2, 4)):
            if k:
                parts.append(" ")
                pos += 1
            sent_spans: list[dict[str, Any]] = []
            for piece in _sentence(rng):
                if isinstance(piece, str):
                    parts.append(piece)
                    pos += len(piece)
                    continue
                text, label, attrs = piece
                span = {"id": _region_id(rng), "start": pos, "end": pos + len(text), "label": label,
                        "text": text, "attributes": dict(attrs)}
                sent_spans.append(span)
                parts.append(text)
                pos += len(text)
            spans.extend(sent_spans)
            for a in sent_spans:
                for b in sent_spans:
                    typ = RELATION_FOR.get((a["label"], b["label"]))
                    if typ:
                        relations.append({"from_id": a["id"], "to_id": b["id"], "type": typ})
    text = "".join(parts)
    city = rng.choice(CITIES)
    return {
        "text": text,
        "title": f"{rng.choice(ATTACKS)[0].capitalize()} in {city} kills {rng.choice(NUMBERS)}",
        "url": f"https://news.example.org/{rng.getrandbits(40):x}",
        "published": f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "source": rng.choice(("Reuters", "AFP", "AP", "BBC", "Al Jazeera", "The Guardian")),
        "author": rng.choice(("Staff", "Amina Yusuf", "John Carter", "Li Wei", "Omar Khalid")),
        "language": "en",
        "spans": spans,
        "relations": relations,
    }


def articles(n: int, seed: int, *, offset: int = 0) -> Iterator[dict[str, Any]]:
    """Articles offset..offset+n-1 of the seed's stream (each from its own RNG, so any slice is stable)."""
    for i in range(offset, offset + n):
        yield article(random.Random(f"{seed}:{i}"))


def article_id(text: str) -> str:
    """The id `annotate push` gives the article (its text is already normalised)."""
    return content_hash(text)


def result_items(spans: list[dict[str, Any]], relations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Label Studio `result` JSON, as the web UI saves it."""
    out: list[dict[str, Any]] = []
    for s in spans:
        offsets = {"start": s["start"], "end": s["end"], "text": s["text"]}
        out.append({"id": s["id"], "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                    "value": {**offsets, "labels": [s["label"]]}})
        for name, value in sorted(s["attributes"].items()):
            out.append({"id": s["id"], "from_name": name, "to_name": "text", "type": "choices", "origin": "manual",
                        "value": {**offsets, "choices": [value]}})
    for r in relations:
        out.append({"from_id": r["from_id"], "to_id": r["to_id"], "type": "relation", "direction": "right",
                    "labels": [r["type"]]})
    return out


def write_articles(path: Path, n: int, seed: int) -> None:
    """The push input: JSONL with text and metadata (no spans)."""
    with path.open("w", encoding="utf-8") as fh:
        for a in articles(n, seed):
            fh.write(json.dumps({k: a[k] for k in ("text", "title", "url", "published", "source", "author",
                                                   "language")}, ensure_ascii=False) + "\n")


def write_records(path: Path, n: int, seed: int) -> None:
    """An annotations.jsonl as `annotate pull` writes it (for the export stages, no server)."""
    with path.open("w", encoding="utf-8") as fh:
        for i, a in enumerate(articles(n, seed)):
            aid = article_id(a["text"])
            meta = {k: a.get(k) for k in ("title", "author", "source", "published", "url", "language")}
            meta.update(source_file=f"articles.jsonl:{i + 1}", extra={})
            rec = {"id": f"{aid}:{i + 1}", "article_id": aid, "task_id": i + 1, "annotation_id": i + 1,
                   "text": a["text"], "meta": meta, "annotator": "ann-0123456789",
                   "created_at": "2025-01-01T00:00:00.000000Z", "updated_at": "2025-01-01T00:00:00.000000Z",
                   "lead_time": 42.0, "ground_truth": False, "model_version": None,
                   "spans": sorted(a["spans"], key=lambda s: (s["start"], s["end"], s["label"])),
                   "relations": a["relations"], "repairs": []}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
