"""Near-duplicate detection on real-shaped news text (tests/data/neardup: one story about a market
bombing, and its variants written for these tests), the signature store, grouped splits and the card.
Pure functions: no server (push through Label Studio is in tests/test_push_neardup.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from incident_corpus.export.build import export
from incident_corpus.export.splits import assign_splits
from incident_corpus.ingest.articles import Article, read_articles
from incident_corpus.neardup import detect
from incident_corpus.neardup.groups import group_texts
from incident_corpus.neardup.store import SignatureStore
from tests.helpers import invoke_cli

DATA = Path(__file__).parent / "data" / "neardup"
# A seed where the split by article_id alone put the story's variants in different splits.
LEAKING_SEED = 1


def articles() -> dict[str, Article]:
    return {Path(str(a.source_file)).stem: a for a in read_articles([DATA]) if isinstance(a, Article)}


def match(name: str, against: str = "original") -> detect.Match | None:
    arts = articles()
    index = detect.Index(0.8)
    index.add(arts[against].article_id, detect.sketch(arts[against].text))
    a = arts[name]
    return detect.best_match(a.article_id, a.text, detect.sketch(a.text), index, lambda k: arts[against].text)


@pytest.mark.parametrize(("name", "kind", "low"), [
    ("reprint", "jaccard", 0.9),  # another headline, byline and a copyright line
    ("updated", "jaccard", 0.8),  # toll 30 -> 41 twice, one sentence rewritten
    ("printview", "jaccard", 0.8),  # printer header, breadcrumbs, URL and copyright lines
    ("brief", "contained", 0.99),  # the first two paragraphs of the story
])
def test_each_variant_of_the_story_is_a_near_duplicate(name: str, kind: str, low: float) -> None:
    found = match(name)
    assert found is not None and found.kind == kind and found.similarity >= low
    arts = articles()
    assert found.of == arts["original"].article_id
    exact = detect.similarity(arts[name].text, arts["original"].text)
    assert found.similarity == pytest.approx(exact.jaccard if kind == "jaccard" else exact.containment)


def test_a_different_story_about_the_same_attack_is_not_a_near_duplicate() -> None:
    arts = articles()
    assert match("same_attack_other_story") is None
    sim = detect.similarity(arts["same_attack_other_story"].text, arts["original"].text)
    assert sim.jaccard < 0.1 and sim.containment < 0.1


def test_the_full_story_after_its_brief_contains_it() -> None:
    found = match("original", against="brief")
    assert found is not None and found.kind == "contains" and found.similarity == 1.0


def test_stripped_boilerplate_does_not_count() -> None:
    """ingest removes the trailing "Print Friendly, PDF & Email" / "Share this:" lines before hashing."""
    text = articles()["printview"].text
    assert "Share this" not in text and "Print Friendly" not in text


def test_bands_make_a_pair_at_the_threshold_a_candidate() -> None:
    for t in (0.5, 0.7, 0.8, 0.9, 0.95):
        assert detect.expected_candidate_rate(t, t) >= 0.99
    assert detect.expected_candidate_rate(0.8, 0.1) < 0.01


def test_threshold_out_of_range_is_a_clear_error() -> None:
    from incident_corpus.core.errors import InputError

    with pytest.raises(InputError, match="near-duplicate-threshold"):
        detect.check_threshold(1.5)


def test_groups_join_the_variants_and_leave_the_other_story_alone() -> None:
    arts = articles()
    grouping = group_texts({a.article_id: a.text for a in arts.values()})
    story = sorted(arts[n].article_id for n in ("original", "reprint", "updated", "printview", "brief"))
    assert grouping.groups() == {story[0]: story}
    other = arts["same_attack_other_story"].article_id
    assert grouping.group_of[other] == other
    assert grouping.summary()["group_sizes"] == {"5": 1}


def test_store_keeps_signatures_and_texts_and_rebuilds_on_other_parameters(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    arts = articles()
    path = tmp_path / "s.sqlite"
    with SignatureStore(path) as store:
        store.add_many([(a.article_id, detect.sketch(a.text), a.text) for a in arts.values()])
        store.remove([arts["brief"].article_id])
    with SignatureStore(path) as store:
        assert store.count() == 5 and arts["brief"].article_id not in store
        assert store.text(arts["updated"].article_id) == arts["updated"].text
        index = detect.Index(0.8)
        store.fill(index)
        sk = detect.sketch(arts["reprint"].text)
        assert arts["original"].article_id in index.candidates(sk)
    from incident_corpus.neardup import store as store_mod

    monkeypatch.setattr(store_mod, "PARAMS", store_mod.PARAMS + ":other")
    with SignatureStore(path) as store:
        assert store.count() == 0


def records(tmp_path: Path) -> Path:
    """annotations.jsonl with one annotated record per article (a CASUALTY span on the toll)."""
    lines = []
    for i, (name, art) in enumerate(sorted(articles().items())):
        m = re.search(r"at least \d+ people", art.text)
        spans = [] if m is None else [{"id": "c", "start": m.start(), "end": m.end(), "label": "CASUALTY",
                                       "text": m.group(), "attributes": {"outcome": "killed"}}]
        lines.append({"id": f"{art.article_id}:{i + 1}", "article_id": art.article_id, "task_id": i + 1,
                      "annotation_id": i + 1, "text": art.text,
                      "meta": {"title": art.title, "author": None, "source": art.source, "published": None,
                               "url": None, "language": "en", "source_file": name, "extra": {}},
                      "annotator": "ann-2bd806c97f", "created_at": None, "updated_at": None, "lead_time": 10.0,
                      "ground_truth": False, "model_version": None, "spans": spans, "relations": [],
                      "repairs": []})
    path = tmp_path / "annotations.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path


def test_old_split_leaked_the_story_at_the_pinned_seed() -> None:
    ids = [a.article_id for a in articles().values()]
    story = [a.article_id for n, a in articles().items() if n != "same_attack_other_story"]
    old = assign_splits(ids, seed=LEAKING_SEED, ratios=(0.8, 0.1, 0.1))
    assert len({old[a] for a in story}) > 1


def test_export_keeps_each_group_in_one_split_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    result = export(input_path=records(tmp_path), out_dir=out, seed=LEAKING_SEED, formats=("hf",))
    import pyarrow.parquet as pq

    split_of_file, rows = {}, []
    for f in sorted((out / "data" / "spans").glob("*.parquet")):
        for r in pq.read_table(f).to_pylist():
            split_of_file[r["article_id"]] = f.name.split("-")[0]
            rows.append(r)
    groups: dict[str, set[str]] = {}
    for r in rows:
        groups.setdefault(r["near_duplicate_group"], set()).add(split_of_file[r["article_id"]])
    assert len(rows) == 6 and sorted(len(v) for v in groups.values()) == [1, 1]
    assert sorted(sum(1 for r in rows if r["near_duplicate_group"] == g) for g in groups) == [1, 5]
    assert result.near_duplicates["near_duplicate_groups"] == 1
    assert result.near_duplicates["groups_across_splits"] == 0
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "6 articles form 2 groups: 1 groups of near-duplicates (1 of size 5" in card
    assert "groups across splits: 0" in card
    saved = json.loads((out / "near_duplicate_groups.json").read_text(encoding="utf-8"))
    assert len(saved["pairs"]) >= 4 and next(iter(saved["groups"].values())) == sorted(
        a.article_id for n, a in articles().items() if n != "same_attack_other_story")


def test_dedupe_command_reports_the_groups(tmp_path: Path) -> None:
    out = invoke_cli(["dedupe", str(DATA), "--json"]).output
    report = json.loads(out)
    assert report["near_duplicate_groups"] == 1 and report["articles"] == 6
    (group,) = report["groups"]
    assert len(group["members"]) == 5
    assert all(m["source"].endswith(".txt") for m in group["members"])
    text = invoke_cli(["dedupe", str(DATA)]).output
    assert "1 near-duplicate group(s)" in text and "brief.txt" in text


def test_dry_run_holds_near_duplicates_back_or_marks_them_with_keep(tmp_path: Path) -> None:
    skip = json.loads(invoke_cli(["push", str(DATA), "--project", "p", "--dry-run", "--no-pre-annotate",
                                  "--out", str(tmp_path / "skip.json"), "--json"]).stdout)
    tasks = json.loads((tmp_path / "skip.json").read_text(encoding="utf-8"))
    held = [n for n in skip["near_duplicates"] if not n["pushed"]]
    assert len(tasks) == 6 - len(held) and len(held) == 3  # brief.txt comes first: the full story contains it
    keep = invoke_cli(["push", str(DATA), "--project", "p", "--dry-run", "--no-pre-annotate", "--near-duplicates",
                       "keep", "--out", str(tmp_path / "keep.json")])
    tasks = json.loads((tmp_path / "keep.json").read_text(encoding="utf-8"))
    marked = {t["data"]["source_file"].rsplit("/", 1)[1]: t["meta"].get("near_duplicate_of") for t in tasks}
    assert len(tasks) == 6 and marked["same_attack_other_story.txt"] is None and marked["brief.txt"] is None
    assert sum(v is not None for v in marked.values()) == 4
    assert "near-duplicate: " in keep.stderr and "pushed with meta.near_duplicate_of" in keep.stderr


def _groups_of(path: Path) -> dict[str, str]:
    """article_id -> near_duplicate_group of every record of an annotations.jsonl."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        out[rec["article_id"]] = rec["near_duplicate_group"]
    return out


def test_validate_writes_each_records_group_and_export_agrees(tmp_path: Path) -> None:
    from incident_corpus.quality.outputs import validate_file

    result, _, paths = validate_file(path=records(tmp_path), out_dir=tmp_path / "v")
    assert result.quarantine == []
    written = _groups_of(paths["annotations"])
    story = sorted(a.article_id for n, a in articles().items() if n != "same_attack_other_story")
    other = articles()["same_attack_other_story"].article_id
    assert written == {**{a: story[0] for a in story}, other: other}
    out = tmp_path / "ds"
    export(input_path=paths["annotations"], out_dir=out, seed=LEAKING_SEED, formats=("hf",))
    import pyarrow.parquet as pq

    exported = {r["article_id"]: r["near_duplicate_group"]
                for f in (out / "data" / "spans").glob("*.parquet") for r in pq.read_table(f).to_pylist()}
    assert exported == written
    # Split by article alone: the rows say so, whatever group the input records carry.
    export(input_path=paths["annotations"], out_dir=tmp_path / "by-article", seed=LEAKING_SEED, formats=("hf",),
           near_duplicate_threshold=None)
    files = (tmp_path / "by-article" / "data" / "spans").glob("*.parquet")
    rows = [r for f in files for r in pq.read_table(f).to_pylist()]
    assert len(rows) == 6 and all(r["near_duplicate_group"] == r["article_id"] for r in rows)


def _ls_export(tmp_path: Path, *, shuffled: bool) -> Path:
    """A Label Studio export of the test articles (the story's variants and the other story), one task and
    one annotation without spans each; shuffled: out of task order, as PostgreSQL may return it."""
    tasks = [{"id": i + 1, "data": {"text": a.text, "article_id": a.article_id},
              "annotations": [{"id": 100 + i, "completed_by": 1, "result": [], "lead_time": 5.0}]}
             for i, (_, a) in enumerate(sorted(articles().items()))]
    if shuffled:
        tasks.reverse()
    raw = tmp_path / f"raw-{shuffled}.json"
    raw.write_text(json.dumps(tasks), encoding="utf-8")
    return raw


@pytest.mark.parametrize("shuffled", [False, True])
def test_pull_streamed_groups_are_patched_in_to_the_same_bytes_as_the_whole_path(tmp_path: Path,
                                                                                 shuffled: bool) -> None:
    from incident_corpus.pipeline import pull as pl

    raw = _ls_export(tmp_path, shuffled=shuffled)
    users = {1: "ann@example.org"}
    pl._streamed(raw, out_dir=tmp_path / "s", users=users, with_emails=False, chunk=2)
    pl._whole(raw, out_dir=tmp_path / "w", users=users, with_emails=False, project="p")
    streamed = (tmp_path / "s" / "annotations.jsonl").read_bytes()
    assert streamed == (tmp_path / "w" / "annotations.jsonl").read_bytes()
    groups = _groups_of(tmp_path / "s" / "annotations.jsonl")
    assert len(groups) == 6 and sorted(list(groups.values()).count(g) for g in set(groups.values())) == [1, 5]
    expected = group_texts({a.article_id: a.text for a in articles().values()}).group_of
    assert groups == expected


def test_grouper_pairs_are_the_index_candidates_whoever_sketches_each_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Candidates from one sort of all band keys at the end are those an article-by-article LSH query finds,
    in the same order; batches sketched elsewhere (a future, as from an export's worker) change nothing."""
    from concurrent.futures import ThreadPoolExecutor

    from incident_corpus.neardup import groups

    texts = {a.article_id: a.text for a in articles().values()}
    texts.update({f"copy{i}": t + " Updated." * i for i, t in enumerate(list(texts.values())[:3])})
    index, expected = detect.Index(0.8), []
    for key, text in texts.items():  # the plain LSH index, one article at a time
        sk = detect.sketch(text)
        expected += [(key, other) for other in index.candidates(sk) if index.plausible(sk, other)]
        index.add(key, sk)
    assert len(expected) > 10
    monkeypatch.setattr(groups, "BATCH", 2)
    with ThreadPoolExecutor(1) as pool:
        calls = []

        def offload(batch: list[str], threshold: float) -> object:
            calls.append(len(calls) % 2 == 0)  # every other batch elsewhere
            return pool.submit(groups.sketch_batch, batch, threshold) if calls[-1] else None

        grouper = groups.Grouper(0.8, offload=offload)  # type: ignore[arg-type]
        for key, text in texts.items():
            grouper.add(key, text)
        grouping = grouper.finish(texts.__getitem__)
    assert list(grouper.pairs) == expected and True in calls and False in calls
    plain = group_texts(texts)
    assert grouping.group_of == plain.group_of and grouping.matches == plain.matches


def test_export_groups_alike_when_the_tokenizer_worker_sketches(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With a tokenizer worker, pass 1 hands batches to it to sketch: the files are those sketched here."""
    from incident_corpus.export import neargroups, workers
    from incident_corpus.neardup import groups

    src = records(tmp_path)
    plain = export(input_path=src, out_dir=tmp_path / "plain", seed=LEAKING_SEED, formats=("hf",), command="x")
    monkeypatch.setattr(groups, "BATCH", 2)
    monkeypatch.setattr(workers, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(workers, "_spare_cpus", lambda: 1)
    handed = []
    real_start = neargroups.start

    def start(threshold: float, pool: workers.Pool | None) -> groups.Grouper:
        assert pool is not None
        pool.warm.result()  # the worker has started: the batches may go to it
        submit = pool.executor.submit

        def spy(fn: object, *args: object) -> object:
            handed.append(fn is groups.sketch_batch)
            return submit(fn, *args)

        pool.executor.submit = spy
        return real_start(threshold, pool)

    monkeypatch.setattr(neargroups, "start", start)
    pooled = export(input_path=src, out_dir=tmp_path / "pooled", seed=LEAKING_SEED, formats=("hf",), command="x")
    assert handed.count(True) >= 2  # 6 articles, 2 a batch: at least AHEAD batches went to the worker
    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    assert files(tmp_path / "pooled") == files(tmp_path / "plain")
    assert pooled.near_duplicates == plain.near_duplicates and plain.near_duplicates["near_duplicate_groups"] == 1


def test_vectorised_sketches_see_the_words_the_exact_check_sees() -> None:
    texts = ["", "one", "Two words", "a b c", "a b c d", "Ünïcode\u00a0spaces\u2009and\ttabs — «quotes» 41.\n\nEnd",
             *(a.text for a in articles().values())]
    many = detect.sketch_many(texts)
    assert [s.words for s in many] == [len(detect.words(t)) for t in texts]
    for text, sk in zip(texts, many, strict=True):  # a chunk or one at a time: the same signatures
        one = detect.sketch(text)
        assert (one.digest == sk.digest).all() and (one.lede_digest == sk.lede_digest).all()
    # The same words (case, punctuation, any whitespace aside) give the same signature; one word more does not.
    same = detect.sketch_many(["Gunmen stormed the hotel, killing 12.", "gunmen\u2003stormed  THE hotel killing 12"])
    assert (same[0].digest == same[1].digest).all()
    assert (detect.sketch("gunmen stormed the hotel killing 13").digest != same[0].digest).any()
    # Short texts are one shingle of all their words; the lede signature is the first LEDE_WORDS words'.
    assert (many[2].digest == many[2].lede_digest).all()
    long_text = articles()["original"].text
    head = " ".join(detect.words(long_text)[:detect.LEDE_WORDS])
    assert (detect.sketch(long_text).lede_digest == detect.sketch(head).digest).all()
    # The estimate tracks the exact Jaccard the check computes (128 permutations: within ~4 standard errors).
    a, b = articles()["original"].text, articles()["reprint"].text
    estimate = float((detect.sketch(a).digest == detect.sketch(b).digest).mean())
    assert abs(estimate - detect.similarity(a, b).jaccard) < 0.15
