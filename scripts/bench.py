"""Speed and memory of each stage against the baseline a user would otherwise run, in one table.

Usage: python scripts/bench.py [--n 10000] [--seed 13] [--stages push,repush,preannotate,pull,hf,conll,scale]
       [--scale 10000,30000,100000] [--repeat 1] [--workdir DIR] [--keep] [--json]

Every side runs as its own process (interpreter start and imports included), as a user would run
it; wall time is measured around the process and peak RSS comes from `os.wait4` (that child only).
The machine is shared, so only ratios against a baseline measured in the same run mean anything.
Uses LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY when both are set, otherwise starts a throwaway
Label Studio on a free loopback port with a temp data folder and stops it whatever happens.
The synthetic articles (~3 KB, varied templates and vocabulary, deterministic from --seed) come
with gold spans, so the same generator seeds the annotated project and the 100k export input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ALL_STAGES = ("push", "repush", "preannotate", "pull", "hf", "conll", "scale")
TARGETS: dict[str, tuple[float | None, str]] = {
    "push": (1.25, "≤ 1.25×"),
    "repush": (1.6, "≤ 1.6×"),
    "preannotate": (1.5, "≤ 1.5×"),
    "pull": (1.3, "≤ 1.3×"),
    "hf": (1.2, "≤ 1.2×"),
    "conll": (1.0, "< 1× (faster)"),
}

# ---------------------------------------------------------------------------------------------
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


RELATION_FOR = {("PERPETRATOR", "ATTACK"): "perpetrator_of", ("CASUALTY", "ATTACK"): "casualty_of",
                ("CLAIM", "PERPETRATOR"): "claimed_by", ("CLAIM", "ATTACK"): "claim_for"}


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
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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


# ---------------------------------------------------------------------------------------------
# Child processes: the baselines (plain code a user would write) and our pre-annotator, run as
# `bench.py _child KIND ARGS...` so each has its own interpreter, imports and peak RSS.


def _read_texts(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def child_import(path: str, url: str, project_id: str) -> None:
    """Baseline push: read the JSONL, build the same task dicts, one SDK import call."""
    from label_studio_sdk import LabelStudio

    tasks = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            obj = json.loads(line)
            aid = hashlib.sha256(obj["text"].encode("utf-8")).hexdigest()[:16]
            data = {"text": obj["text"], "article_id": aid, **{k: obj.get(k) for k in (
                "title", "author", "source", "published", "url", "language")},
                "source_file": f"{path}:{i}", "extra": {}}
            tasks.append({"data": data, "meta": {"article_id": aid}})
    ls = LabelStudio(base_url=url, api_key=os.environ["LABEL_STUDIO_API_KEY"], timeout=600)
    ls.projects.import_tasks(id=int(project_id), request=tasks, return_task_ids=True)


def child_snapshot(url: str, project_id: str, out: str) -> None:
    """Baseline pull: the same snapshot export calls, download, json.loads."""
    from label_studio_sdk import LabelStudio

    ls = LabelStudio(base_url=url, api_key=os.environ["LABEL_STUDIO_API_KEY"], timeout=600)
    pid = int(project_id)
    snap = ls.projects.exports.create(pid, title="baseline", task_filter_options={"finished": "only"},
                                      annotation_filter_options={"usual": True, "ground_truth": True,
                                                                 "skipped": True},
                                      serialization_options={"predictions": {"only_id": True}})
    while snap.status not in ("completed", "failed"):
        time.sleep(0.5)
        snap = ls.projects.exports.get(id=pid, export_pk=snap.id)
    raw = b"".join(ls.projects.exports.download(id=pid, export_pk=snap.id, export_type="JSON"))
    tasks = json.loads(raw)
    ls.projects.exports.delete(id=pid, export_pk=snap.id)
    Path(out).write_bytes(raw)
    assert isinstance(tasks, list)


def child_tokenize(path: str) -> None:
    """Baseline pre-annotation: spaCy's blank English tokenizer alone over the texts."""
    import spacy

    nlp = spacy.blank("en")
    for _doc in nlp.pipe(_read_texts(path), batch_size=64):
        pass


def child_preannotate(path: str) -> None:
    """Ours: the rule pre-annotator over the same texts (what push does before building tasks)."""
    from incident_corpus.preannotate.rules import Preannotator

    for _res in Preannotator().annotate_many(_read_texts(path)):
        pass


def child_hf(path: str, out: str) -> None:
    """Baseline HF export: tokenizer alone + Dataset.from_list of plain dicts + to_parquet, both configs."""
    import spacy
    from datasets import Dataset

    with open(path, encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh if line.strip()]
    nlp = spacy.blank("en")
    spans_rows, token_rows = [], []
    for rec, doc in zip(recs, nlp.pipe((r["text"] for r in recs), batch_size=256), strict=True):
        spans_rows.append({"id": rec["id"], "article_id": rec["article_id"], "text": rec["text"],
                           **{k: rec["meta"].get(k) for k in ("title", "url", "published", "source")},
                           "spans": [{k: s[k] for k in ("start", "end", "text", "label")} for s in rec["spans"]]})
        token_rows.append({"id": rec["id"], "article_id": rec["article_id"],
                           "tokens": [t.text for t in doc if not t.is_space]})
    Dataset.from_list(spans_rows).to_parquet(f"{out}/spans.parquet")
    Dataset.from_list(token_rows).to_parquet(f"{out}/tokens.parquet")


def child_conll(raw: str, config: str, out: str) -> None:
    """Baseline CoNLL: label-studio-sdk's converter, CONLL2003, on the raw snapshot export."""
    from label_studio_sdk.converter import Converter

    conv = Converter(config=Path(config).read_text(encoding="utf-8"), project_dir=out, download_resources=False)
    conv.convert(raw, out, "CONLL2003", is_dir=False)


CHILDREN: dict[str, Callable[..., None]] = {
    "import": child_import, "snapshot": child_snapshot, "tokenize": child_tokenize,
    "preannotate": child_preannotate, "hf": child_hf, "conll": child_conll,
}

# ---------------------------------------------------------------------------------------------
# Measuring.


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int


# Linux keeps the high-water RSS across fork+exec, so a child forked from this (grown) process would
# report at least our own RSS. Children are therefore started by a small launcher process that is
# started first, while we are still tiny; it times each child and reads its peak RSS with wait4.
_LAUNCHER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    with open(job["log"], "ab") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(job["cmd"], env=job["env"], cwd=job["cwd"], stdout=out, stderr=out)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    print(json.dumps([seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]), flush=True)
"""


class Launcher:
    """Runs one process at a time to the end: wall time around it, its own peak RSS (os.wait4)."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def run(self, cmd: list[str], *, env: dict[str, str] | None = None) -> Run:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        job = {"cmd": cmd, "env": dict(env if env is not None else os.environ), "cwd": str(ROOT),
               "log": str(self.log)}
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        seconds, rss_kb, rc = json.loads(self.proc.stdout.readline())
        if rc != 0:
            raise SystemExit(f"bench: {' '.join(cmd[:4])} ... failed with exit code {rc}; see {self.log}")
        return Run(seconds, rss_kb / 1024, rc)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def child_cmd(kind: str, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "_child", kind, *args]


def annotate_cmd(*args: str) -> list[str]:
    exe = Path(sys.executable).parent / "annotate"
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "incident_corpus", *args]


def best(fn: Callable[[], Run], repeat: int) -> Run:
    runs = [fn() for _ in range(max(1, repeat))]
    return min(runs, key=lambda r: r.seconds)


@dataclass
class Row:
    stage: str
    what: str
    n: int
    ours_s: float
    ours_rss_mb: float
    base_s: float | None
    base_rss_mb: float | None
    ratio: float | None
    target: str
    met: bool | None
    ours: str
    baseline: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def row(stage: str, what: str, n: int, ours: Run, base: Run | None, ours_desc: str, base_desc: str) -> Row:
    limit, target = TARGETS.get(stage, (None, "—"))
    ratio = ours.seconds / base.seconds if base else None
    met = None if ratio is None or limit is None else (ratio < limit if limit == 1.0 else ratio <= limit)
    return Row(stage, what, n, round(ours.seconds, 2), round(ours.peak_rss_mb, 1),
               round(base.seconds, 2) if base else None, round(base.peak_rss_mb, 1) if base else None,
               round(ratio, 3) if ratio else None, target, met, ours_desc, base_desc)


# ---------------------------------------------------------------------------------------------
# The server side: a throwaway studio or the one in the environment.


class Server:
    """LABEL_STUDIO_URL/API_KEY if both are set, else a throwaway studio stopped in close()."""

    def __init__(self, workdir: Path) -> None:
        self.data_dir: Path | None = None
        url, key = os.environ.get("LABEL_STUDIO_URL"), os.environ.get("LABEL_STUDIO_API_KEY")
        if not (url and key):
            from incident_corpus.studio import server as studio

            self.data_dir = workdir / "studio"
            self.data_dir.mkdir()
            print(f"bench: starting a throwaway Label Studio (data in {self.data_dir}) ...", file=sys.stderr)
            status = studio.start(data_dir=self.data_dir, port=studio.free_port(), timeout=300)
            url, key = str(status.url), studio.read_credentials(self.data_dir)["token"]
        self.url, self.key = url.rstrip("/"), key
        self.env = {**os.environ, "LABEL_STUDIO_URL": self.url, "LABEL_STUDIO_API_KEY": self.key}
        self.projects: list[int] = []

    def create_project(self, title: str) -> int:
        from incident_corpus.core import resources
        from incident_corpus.studio.client import Client
        from incident_corpus.studio.connection import Connection
        from incident_corpus.studio.tasks import instructions_html

        with Client(Connection(url=self.url, api_key=self.key, timeout=600, retries=2)) as c:
            p = c.create_project(title=title, label_config=resources.label_config(),
                                 instructions_html=instructions_html())
        self.projects.append(p.id)
        return p.id

    def project_id(self, title: str) -> int:
        from incident_corpus.studio.client import Client
        from incident_corpus.studio.connection import Connection

        with Client(Connection(url=self.url, api_key=self.key, timeout=600, retries=2)) as c:
            pid = c.get_project(title).id
        self.projects.append(pid)
        return pid

    def import_annotated(self, project_id: int, path: Path, n: int, seed: int) -> None:
        """Seed: tasks with their annotations inline, in one import call (one by one runs at ~15/s)."""
        from label_studio_sdk import LabelStudio

        tasks = []
        for i, a in enumerate(articles(n, seed)):
            aid = article_id(a["text"])
            data = {"text": a["text"], "article_id": aid, **{k: a[k] for k in (
                "title", "author", "source", "published", "url", "language")},
                "source_file": f"{path}:{i + 1}", "extra": {}}
            tasks.append({"data": data, "meta": {"article_id": aid}, "annotations": [{
                "result": result_items(a["spans"], a["relations"]), "lead_time": 30.0 + i % 90,
                "ground_truth": i % 10 == 0}]})
        ls = LabelStudio(base_url=self.url, api_key=self.key, timeout=900)
        ls.projects.import_tasks(id=project_id, request=tasks, return_task_ids=True)

    def close(self, *, keep: bool, prefix: str) -> None:
        if self.data_dir is not None:
            from incident_corpus.studio import server as studio

            studio.stop(data_dir=self.data_dir)
            return
        if keep:
            return
        import httpx

        headers = {"Authorization": f"Token {self.key}"}
        try:  # best effort: leave no 10k-task projects on someone's server, even after a failed stage
            listing = httpx.get(f"{self.url}/api/projects/", params={"page_size": 1000}, headers=headers, timeout=60)
            ids = {int(p["id"]) for p in listing.json().get("results", []) if p["title"].startswith(prefix)}
            for pid in sorted(ids | set(self.projects)):
                httpx.delete(f"{self.url}/api/projects/{pid}/", headers=headers, timeout=600)
        except (httpx.HTTPError, ValueError) as exc:
            print(f"bench: could not delete the benchmark projects: {exc}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_child":
        CHILDREN[argv[1]](*argv[2:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="articles per stage (10k is the reference size)")
    ap.add_argument("--seed", type=int, default=13, help="seed of the synthetic articles")
    ap.add_argument("--stages", default=",".join(ALL_STAGES), help=f"comma-separated, from {','.join(ALL_STAGES)}")
    ap.add_argument("--scale", default="10000,30000,100000", help="article counts of the export scaling stage")
    ap.add_argument("--repeat", type=int, default=1, help="runs per side of the offline stages; the best counts")
    ap.add_argument("--workdir", type=Path, default=None, help="keep inputs and outputs here (default: temp)")
    ap.add_argument("--keep", action="store_true", help="keep the benchmark projects on a given server")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in ALL_STAGES]
    if unknown:
        ap.error(f"unknown stage(s) {unknown}; choose from {','.join(ALL_STAGES)}")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="incident-corpus-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "bench.log"
    launcher = Launcher(log)

    def run(cmd: list[str], *, env: dict[str, str] | None = None, log: Path | None = None) -> Run:
        return launcher.run(cmd, env=env)
    n, seed = args.n, args.seed
    class Rows(list):
        def append(self, r: Row) -> None:  # partial results survive a failed later stage
            super().append(r)
            say(f"{r.stage}: ours {r.ours_s:.2f} s / baseline {r.base_s} s = {r.ratio}x; RSS {r.ours_rss_mb:.0f} MB "
                f"/ {r.base_rss_mb} MB")

    rows: list[Row] = Rows()
    scaling: list[dict[str, Any]] = []
    started = time.perf_counter()

    def say(msg: str) -> None:
        print(f"bench [{time.perf_counter() - started:6.1f}s] {msg}", file=sys.stderr, flush=True)

    articles_path = workdir / "articles.jsonl"
    say(f"generating {n} articles (seed {seed}) in {workdir}")
    write_articles(articles_path, n, seed)
    tag = f"{seed}-{random.Random().getrandbits(32):08x}"
    server: Server | None = None
    try:
        if {"push", "repush", "pull", "hf", "conll"} & set(stages):
            server = Server(workdir)
            env = server.env
        if "push" in stages or "repush" in stages:
            base_pid = server.create_project(f"bench {tag} baseline import")
            say("push: baseline (one import call)")
            base = run(child_cmd("import", str(articles_path), server.url, str(base_pid)), env=env, log=log)
            title = f"bench {tag} push"
            say("push: ours")
            ours = run(annotate_cmd("push", str(articles_path), "--project", title, "--no-pre-annotate",
                                    "--quiet"), env=env, log=log)
            server.project_id(title)
            rows.append(row("push", f"push, {n} new articles, no pre-annotation", n, ours, base,
                            "annotate push --no-pre-annotate", "one projects.import_tasks call"))
            if "repush" in stages:
                base2_pid = server.create_project(f"bench {tag} baseline import 2")
                say("re-push: baseline (the same single import call, fresh project)")
                base2 = run(child_cmd("import", str(articles_path), server.url, str(base2_pid)), env=env, log=log)
                say("re-push: ours")
                ours2 = run(annotate_cmd("push", str(articles_path), "--project", title, "--no-pre-annotate",
                                         "--quiet"), env=env, log=log)
                rows.append(row("repush", f"re-push of the same {n} (nothing new)", n, ours2, base2,
                                "annotate push (again)", "the same single import call"))
        if "preannotate" in stages:
            say("pre-annotation: tokenizer alone, then ours")
            base = best(lambda: run(child_cmd("tokenize", str(articles_path)), log=log), args.repeat)
            ours = best(lambda: run(child_cmd("preannotate", str(articles_path)), log=log), args.repeat)
            rows.append(row("preannotate", f"pre-annotation of {n} articles", n, ours, base,
                            "Preannotator.annotate_many", "spacy.blank('en').pipe"))
        raw_path = workdir / "raw_export.json"
        records_path = workdir / "pull" / "annotations.jsonl"
        if {"pull", "hf", "conll"} & set(stages):
            pid = server.create_project(f"bench {tag} annotated")
            say(f"seeding {n} annotated tasks (one import call with annotations inline)")
            server.import_annotated(pid, articles_path, n, seed)
            say("pull: baseline (snapshot export + json.loads)")
            base = run(child_cmd("snapshot", server.url, str(pid), str(raw_path)), env=env, log=log)
            say("pull: ours")
            # Default options, as a user runs it (pull scales the snapshot request's timeout to the project).
            ours = run(annotate_cmd("pull", "--project", f"bench {tag} annotated", "--out",
                                    str(workdir / "pull"), "--quiet"), env=env, log=log)
            rows.append(row("pull", f"pull + validate, {n} annotated tasks", n, ours, base,
                            "annotate pull", "snapshot export + json.loads"))
        if "hf" in stages or "conll" in stages:
            if not records_path.exists():
                write_records(records_path, n, seed)
            out = workdir / "hf"
            base_out = workdir / "hf-baseline"
            base_out.mkdir(exist_ok=True)
            say("export hf: baseline, then ours")
            base = best(lambda: run(child_cmd("hf", str(records_path), str(base_out)), log=log), args.repeat)
            ours = best(lambda: run(annotate_cmd("export", "--in", str(records_path), "--out", str(out),
                                                 "--format", "hf", "--quiet"), log=log), args.repeat)
            if "hf" in stages:
                rows.append(row("hf", f"export to HF (both configs) + card, {n}", n, ours, base,
                                "annotate export --format hf", "tokenizer + Dataset.from_list + to_parquet"))
            if "conll" in stages:
                config = ROOT / "schema" / "label_config.xml"
                conll_out = workdir / "conll-baseline"
                conll_out.mkdir(exist_ok=True)
                say("CoNLL: label-studio-sdk converter (CONLL2003) on the raw export")
                base_c = best(lambda: run(child_cmd("conll", str(raw_path), str(config), str(conll_out)), log=log),
                              args.repeat)
                rows.append(row("conll", f"export to CoNLL-style tags, {n}", n, ours, base_c,
                                "annotate export --format hf (tokens config + spans config + card)",
                                "Converter(...).convert(format='CONLL2003')"))
        if "scale" in stages:
            for size in [int(x) for x in args.scale.split(",") if x]:
                path = workdir / f"records-{size}.jsonl"
                say(f"export scaling: generating {size} records")
                write_records(path, size, seed)
                say(f"export scaling: annotate export of {size}")
                r = run(annotate_cmd("export", "--in", str(path), "--out", str(workdir / f"scale-{size}"),
                                     "--format", "hf", "--quiet"), log=log)
                scaling.append({"articles": size, "seconds": round(r.seconds, 2),
                                "ms_per_article": round(1000 * r.seconds / size, 3),
                                "peak_rss_mb": round(r.peak_rss_mb, 1), "met": r.peak_rss_mb <= 2048})
                path.unlink()
                shutil.rmtree(workdir / f"scale-{size}", ignore_errors=True)
    finally:
        launcher.close()
        if server is not None:
            server.close(keep=args.keep, prefix=f"bench {tag} ")
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    report = {"date": time.strftime("%Y-%m-%d %H:%M", time.localtime()), "n": n, "seed": seed,
              "cpus": os.cpu_count(), "python": sys.version.split()[0], "rows": [r.as_dict() for r in rows],
              "export_scaling": scaling, "total_seconds": round(time.perf_counter() - started, 1)}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print_table(report)
    return 0


def print_table(report: dict[str, Any]) -> None:
    print(f"{report['date']}, {report['cpus']} CPUs, Python {report['python']}, seed {report['seed']}")
    print("| stage | ours s | ours RSS MB | baseline s | baseline RSS MB | ratio | target | met |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for r in report["rows"]:
        met = {True: "yes", False: "**no**", None: "—"}[r["met"]]
        base_s = f"{r['base_s']:.2f}" if r["base_s"] is not None else "—"
        base_rss = f"{r['base_rss_mb']:.0f}" if r["base_rss_mb"] is not None else "—"
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else "—"
        print(f"| {r['what']} | {r['ours_s']:.2f} | {r['ours_rss_mb']:.0f} | {base_s} | {base_rss} | {ratio} "
              f"| {r['target']} | {met} |")
    if report["export_scaling"]:
        print()
        print("| export scaling (hf) | s | ms/article | peak RSS MB | RSS ≤ 2 GB |")
        print("|---:|---:|---:|---:|---|")
        for s in report["export_scaling"]:
            print(f"| {s['articles']} | {s['seconds']:.2f} | {s['ms_per_article']:.3f} | {s['peak_rss_mb']:.0f} "
                  f"| {'yes' if s['met'] else '**no**'} |")
    print(f"\ntotal benchmark time {report['total_seconds']:.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())
