"""Turn hand annotations written as bracketed phrases into offset spans: the real-news gold set's helper.

An annotator writes one line per span, `LABEL [attr=value ...] [@id] | context with {span} in it`,
under a `# doc DOC_ID seconds=N` header; relations as `> FROM_ID TYPE TO_ID`. The context
(the line without braces) must occur exactly once in the article, or carry `#k` at the end to
pick its k-th occurrence (1-based), so a phrase can never land on the wrong mention. The output
is one JSON object per article with spans whose `text[start:end]` is checked against the text.

Usage: python -m benchmarks.gold_offsets SOURCE OUT.jsonl   (texts come from ../shared at run time)

RAMS windows (doc ids = RAMS `doc_key`) take their `split` from benchmarks/data/rams.split.jsonl; a source
whose docs are all RAMS windows gets the RAMS header. Format: /work/notes/gold-format.md, benchmarks/data/README.md.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path

from benchmarks import rams
from benchmarks.realnews import all_texts
from incident_corpus.core.labels import ATTRIBUTES_BY_NAME, LABELS, RELATIONS

_SPAN_RE = re.compile(r"^(?P<label>[A-Z]+)(?P<attrs>(?:\s+\w+=\w+)*)(?:\s+@(?P<id>\w+))?\s*\|\s*(?P<ctx>.+?)"
                      r"(?:\s+#(?P<nth>\d+))?$")
_SHORT = {"A": "ATTACK", "P": "PERPETRATOR", "C": "CASUALTY", "CL": "CLAIM"}


class GoldError(ValueError):
    pass


def locate(text: str, ctx: str, nth: int | None = None) -> tuple[int, int]:
    """Char offsets of the braced part of `ctx` in `text`; the context must be unique (or `nth` given)."""
    if ctx.count("{") != 1 or ctx.count("}") != 1 or ctx.index("{") > ctx.index("}"):
        raise GoldError(f"context needs exactly one {{span}}: {ctx!r}")
    plain = ctx.replace("{", "").replace("}", "")
    hits = [m.start() for m in re.finditer(re.escape(plain), text)]
    if not hits:
        raise GoldError(f"context not found: {plain!r}")
    if nth is None:
        if len(hits) != 1:
            raise GoldError(f"context occurs {len(hits)} times, add #k: {plain!r}")
        nth = 1
    if nth > len(hits):
        raise GoldError(f"context occurs {len(hits)} times, not {nth}: {plain!r}")
    base = hits[nth - 1]
    start = base + ctx.index("{")
    end = base + ctx.index("}") - 1
    return start, end


def parse(source: str, texts: dict[str, str]) -> list[dict]:
    docs: list[dict] = []
    cur: dict | None = None
    for lineno, raw in enumerate(source.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        try:
            if line.startswith("# doc "):
                parts = line[6:].split()
                meta = dict(p.split("=", 1) for p in parts[1:])
                seconds = float(meta["seconds"]) if "seconds" in meta else None
                cur = {"doc_id": parts[0], "annotation_seconds": seconds, "spans": [],
                       "relations": []}
                if cur["doc_id"] not in texts:
                    raise GoldError(f"unknown doc {cur['doc_id']}")
                if "skip" in meta:
                    cur["skip"] = meta["skip"].replace("_", " ")  # why an annotator would skip the task
                docs.append(cur)
                continue
            if cur is None:
                raise GoldError("span before any '# doc' header")
            if line.startswith(">"):
                frm, typ, to = line[1:].split()
                cur["relations"].append({"from_id": frm, "to_id": to, "type": typ})
                continue
            m = _SPAN_RE.match(line)
            if not m:
                raise GoldError(f"cannot read line: {line!r}")
            label = _SHORT.get(m["label"], m["label"])
            if label not in LABELS:
                raise GoldError(f"unknown label {label}")
            attrs = dict(a.split("=") for a in m["attrs"].split())
            for name, value in attrs.items():
                attr = ATTRIBUTES_BY_NAME.get(name)
                if attr is None or attr.label != label or value not in attr.values:
                    raise GoldError(f"bad attribute {name}={value} for {label}")
            text = texts[cur["doc_id"]]
            start, end = locate(text, m["ctx"], int(m["nth"]) if m["nth"] else None)
            span_text = text[start:end]
            if not span_text or span_text != span_text.strip():
                raise GoldError(f"span has edge spaces or is empty: {span_text!r}")
            sid = m["id"] or f"g{len(cur['spans']) + 1}"
            cur["spans"].append({"id": sid, "start": start, "end": end, "label": label, "text": span_text,
                                 "attributes": attrs})
        except GoldError as exc:
            raise GoldError(f"line {lineno}: {exc}") from None
    for doc in docs:
        spans = sorted(doc["spans"], key=lambda s: s["start"])
        for a, b in itertools.pairwise(spans):
            if b["start"] < a["end"]:
                raise GoldError(f"{doc['doc_id']}: overlapping spans {a['text']!r} / {b['text']!r}")
        ids = {s["id"]: s["label"] for s in spans}
        if len(ids) != len(spans):
            raise GoldError(f"{doc['doc_id']}: duplicate span ids")
        for rel in doc["relations"]:
            pair = (ids.get(rel["from_id"]), ids.get(rel["to_id"]))
            if RELATIONS.get(rel["type"]) != pair:
                raise GoldError(f"{doc['doc_id']}: relation {rel} does not fit {pair}")
        doc["spans"] = spans
    return docs


def with_split(docs: list[dict], texts: dict[str, str]) -> list[dict]:
    """Each doc with its split (RAMS: from the split file; the 21 older texts: dev) and reading time."""
    splits = rams.read_split()
    out = []
    for doc in docs:
        split = splits[doc["doc_id"]]["split"] if doc["doc_id"] in splits else "dev"
        words = len(texts[doc["doc_id"]].split())
        out.append({"doc_id": doc["doc_id"], "split": split, **{k: v for k, v in doc.items() if k != "doc_id"},
                    "reading_minutes_at_250wpm": round(words / 250, 1)})
    return out


RAMS_META = {
    "what": "real-news gold set, RAMS windows: spans annotated by schema/guideline.md version 2 (D1-D6); "
            "offsets only, no article text",
    "texts": "../shared/real-news/rams_dev.jsonl, field text, after ingest.articles.normalize_text (identity on "
             "every window); doc_id = RAMS doc_key",
    "offsets": "code points into that normalised text; text[start:end] == span text",
    "split": "from benchmarks/data/rams.split.jsonl (fixed by a content-blind rule before annotation); sealed "
             "texts are scored in aggregate only, their individual errors are never read",
    "annotation_seconds": "measured wall-clock seconds of the annotator (an AI coding session, not a person)",
    "reading_minutes_at_250wpm": "words / 250: a lower bound for a person",
    "annotator": "one annotator per file, by schema/guideline.md version 2, without looking at rule output",
}


def main(argv: list[str]) -> int:
    source, out = Path(argv[0]), Path(argv[1])
    texts = all_texts()
    if texts is None:
        print("../shared/real-news is missing; cannot resolve offsets", file=sys.stderr)
        return 1
    docs = with_split(parse(source.read_text(encoding="utf-8"), texts), texts)
    if docs and all(d["doc_id"] in rams.read_split() for d in docs):
        return _write(out, {"_meta": RAMS_META}, docs)
    header = {"_meta": {
        "what": "real-news gold set: spans annotated by schema/guideline.md (offsets only, no article text)",
        "texts": "WikiEvents dev (../shared/real-news/wikievents_dev.jsonl, field text, after "
                 "ingest.articles.normalize_text) and ../shared/examples/quetta-church-2017.txt "
                 "(the body ingest.articles.read_articles gives: title, byline, date and caption removed)",
        "offsets": "code points into that normalised text; text[start:end] == span text",
        "annotation_seconds": "wall-clock time to annotate the article (reading included), one annotator",
    }}
    return _write(out, header, docs)


def _write(out: Path, header: dict, docs: list[dict]) -> int:
    lines = [json.dumps(header, ensure_ascii=False)] + [json.dumps(d, ensure_ascii=False) for d in docs]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(docs)} docs, {sum(len(d['spans']) for d in docs)} spans -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
