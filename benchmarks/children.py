"""The child processes of `benchmarks.bench`: the baselines (the plain code a user would otherwise
write) and our pre-annotator, run as `python -m benchmarks.children KIND ARGS...` so each has its
own interpreter, imports and peak RSS (see benchmarks.launch).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path


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
    from incident_corpus.preannotate.runner import Preannotator

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


def _neardup(kind: str) -> Callable[..., None]:
    def run(*args: str) -> None:
        from benchmarks import neardup

        getattr(neardup, kind)(*args)
    return run


CHILDREN.update({"neardup-index": _neardup("child_index"), "neardup-alternative": _neardup("child_alternative")})


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    CHILDREN[argv[0]](*argv[1:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
