"""`annotate train` without a server: every refusal, the merge policy, and the model loader's errors."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from spacy.tokens import DocBin

from incident_corpus.core.nlp import blank_nlp
from incident_corpus.core.scoring import score_spans
from incident_corpus.pipeline.status import StatusResult, model_merge, render_text, summarise_export
from incident_corpus.preannotate import model as model_pre
from incident_corpus.preannotate import policy
from incident_corpus.preannotate.model import MODEL_ONLY, RULES_ONLY, ModelSpan, choose_policy, evaluate_policy, merge
from incident_corpus.train.corpus import load_corpus
from tests.helpers import invoke_cli

TEXT = "Gunmen attacked a police post on Monday, killing four officers. The Red Hand claimed responsibility."
# (start, end, label) on TEXT
SPANS = [(0, 6, "PERPETRATOR"), (7, 15, "ATTACK"), (49, 62, "CASUALTY"), (64, 76, "PERPETRATOR"),
         (77, 99, "CLAIM")]


def _docbin(path: Path, docs: list[tuple[str, list[tuple[int, int, str]]]]) -> None:
    nlp = blank_nlp()
    db = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"])
    for text, spans in docs:
        doc = nlp.make_doc(text)
        doc.ents = [doc.char_span(s, e, label=label) for s, e, label in spans]
        db.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)


def _corpus(root: Path, *, train: int = 3, dev: int = 1, test: int = 1, spans: list | None = None,
            skip: str | None = None) -> Path:
    spans = SPANS if spans is None else spans
    for stem, n in (("train", train), ("dev", dev), ("test", test)):
        if stem != skip:
            _docbin(root / "spacy" / f"{stem}.spacy", [(TEXT, spans)] * n)
    return root


def test_text_offsets_of_the_fixture() -> None:
    assert [TEXT[s:e] for s, e, _ in SPANS] == ["Gunmen", "attacked", "four officers", "The Red Hand",
                                                 "claimed responsibility"]


@pytest.mark.parametrize(("setup", "message"), [
    (lambda p: p / "nothing", "no such folder"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "no spaCy corpus here"),
    (lambda p: _corpus(p, skip="dev"), "the validation split (dev.spacy"),
    (lambda p: _corpus(p, skip="test"), "the test split (test.spacy"),
    (lambda p: _corpus(p, train=0, dev=0), "the train split holds no article (nor does validation)"),
    (lambda p: _corpus(p, spans=[(0, 6, "PERSON")]), "labels PERSON are not incident-corpus labels"),
    (lambda p: _corpus(p, spans=[]), "not one labelled span"),
])
def test_train_refuses_a_corpus_it_cannot_use(tmp_path: Path, setup, message: str) -> None:
    in_dir = setup(tmp_path)
    result = invoke_cli(["train", "--in", str(in_dir), "--out", str(tmp_path / "model")], code=1)
    assert message in result.output, result.output
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize(("train", "dev"), [(2, 0), (0, 2)])
def test_with_one_split_empty_it_trains_on_what_exists_for_a_fixed_step_budget(tmp_path: Path, train: int,
                                                                               dev: int) -> None:
    """The first annotations: a 0.8/0.1/0.1 split of 2-3 articles leaves validation (or train) empty."""
    in_dir = _corpus(tmp_path, train=train, dev=dev, test=0)
    out = tmp_path / "model"
    done = json.loads(invoke_cli(["train", "--in", str(in_dir), "--out", str(out), "--max-steps", "3",
                                  "--json"]).stdout)
    assert done["steps"] == 3 and done["articles"] == {"train": train, "validation": dev, "test": 0}
    assert [p["step"] for p in done["history"]][-1] == 3  # no checkpoint choice: the model after the budget
    block = json.loads((out / "meta.json").read_text())["incident_corpus"]
    assert block["scores"]["validation"] is None if not dev else block["scores"]["validation"]
    assert set(block["merge"]["labels"]) == {"ATTACK", "PERPETRATOR", "CASUALTY", "CLAIM"}


def test_a_corrupt_spacy_file_is_named(tmp_path: Path) -> None:
    in_dir = _corpus(tmp_path)
    (in_dir / "spacy" / "dev.spacy").write_bytes(b"\x00not a docbin")
    result = invoke_cli(["train", "--in", str(in_dir)], code=1)
    assert "dev.spacy: not a spaCy DocBin" in result.output


def test_a_folder_of_shards_is_a_split(tmp_path: Path) -> None:
    in_dir = _corpus(tmp_path, train=0)
    (in_dir / "spacy" / "train.spacy").unlink()
    _docbin(in_dir / "spacy" / "train" / "00000.spacy", [(TEXT, SPANS)] * 2)
    _docbin(in_dir / "spacy" / "train" / "00001.spacy", [(TEXT, SPANS)] * 3)
    corpus = load_corpus(in_dir)
    assert corpus.counts() == {"train": 5, "validation": 1, "test": 1}
    assert corpus.splits["train"].path == in_dir / "spacy" / "train"
    assert corpus.splits["train"].spans["PERPETRATOR"] == 10
    # the data hash follows the bytes
    before = corpus.data_hash
    _docbin(in_dir / "spacy" / "train" / "00001.spacy", [(TEXT, SPANS)] * 2)
    assert load_corpus(in_dir).data_hash != before


def test_base_pipeline_that_is_not_installed_is_refused(tmp_path: Path) -> None:
    # No en_core_web_* pipeline can be installed on this machine (no access to its download host).
    result = invoke_cli(["train", "--in", str(_corpus(tmp_path)), "--out", str(tmp_path / "m"),
                         "--base", "en_core_web_md"], code=1)
    assert "--base 'en_core_web_md': no such installed spaCy pipeline" in result.output
    assert "python -m spacy download en_core_web_md" in result.output


def test_out_that_is_someone_elses_folder_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = invoke_cli(["train", "--in", str(_corpus(tmp_path)), "--out", str(out)], code=1)
    assert "not a model `annotate train` wrote" in result.output
    assert (out / "notes.txt").read_text() == "keep me"


# -- the model loader ----------------------------------------------------------------------------------------

def test_model_folder_errors_are_clear(tmp_path: Path) -> None:
    samples = str(Path(__file__).resolve().parents[1] / "src" / "incident_corpus" / "samples")
    no_meta = tmp_path / "no-meta"
    no_meta.mkdir()
    (no_meta / "weights.bin").write_bytes(b"\x01\x02")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "meta.json").write_text(json.dumps({"incident_corpus": {"model_version": "incident-ner-x"}}))
    (damaged / "config.cfg").write_text("[nlp\nthis is not a config")
    cases = [
        (["--model", str(no_meta)], "meta.json cannot be read as JSON"),
        (["--model", str(damaged)], "spaCy cannot load it"),
        (["--model", str(tmp_path / "missing"), "--no-rules"], "no such folder or installed spaCy pipeline"),
        (["--no-rules"], "--no-rules needs --model with a pipeline trained by `annotate train`"),
        (["--model", "en_core_web_sm"], "spaCy model 'en_core_web_sm' is not installed"),
    ]
    for extra, message in cases:
        result = invoke_cli(["push", samples, "--project", "p", "--dry-run", "--out", str(tmp_path / "t.json"),
                             *extra], code=1)
        assert message in result.output, (extra, result.output)
        assert "Traceback" not in result.output
        assert not (tmp_path / "t.json").exists()


# -- the merge policy -------------------------------------------------------------------------------------------

def _rule(start: int, end: int, label: str, k: int = 1) -> dict:
    return {"id": f"p{k}", "start": start, "end": end, "label": label, "text": TEXT[start:end], "attributes": {}}


def test_merge_keeps_rules_and_fills_gaps_without_overlaps() -> None:
    rules = [_rule(7, 15, "ATTACK")]
    model = [ModelSpan(0, 6, "PERPETRATOR", 0.9), ModelSpan(7, 23, "ATTACK", 0.99),  # overlaps the rule span
             ModelSpan(49, 62, "CASUALTY", 0.4)]
    both = {"labels": {label: {"source": "both", "threshold": 0.5} for label in ("ATTACK", "PERPETRATOR",
                                                                                 "CASUALTY", "CLAIM")}}
    got = [(s["start"], s["end"], s["label"]) for s in merge(rules, model, both)]
    assert got == [(0, 6, "PERPETRATOR"), (7, 15, "ATTACK")]
    assert [(s["start"], s["label"]) for s in merge(rules, model, RULES_ONLY)] == [(7, "ATTACK")]
    assert len(merge(rules, model, MODEL_ONLY)) == 3


def _policy_data(seed: int, n: int, *, rules_hit: float, model_hit: float, model_prob: float = 0.97,
                 junk: float = 0.0, label: str = "ATTACK") -> tuple[list, list, list]:
    """n articles of 3 gold spans of `label` each (slot k at 20k..20k+8); the rules find each with
    probability rules_hit, the model with model_hit (prob model_prob); junk: the model's chance of a
    wrong extra span (prob 0.6) in a slot without gold."""
    rng = random.Random(seed)
    gold, rules, model = [], [], []
    for _ in range(n):
        g = [(20 * k, 20 * k + 8, label) for k in range(3)]
        gold.append(g)
        rules.append([{"id": f"p{k}", "start": s, "end": e, "label": lab, "text": None, "attributes": {}}
                      for k, (s, e, lab) in enumerate(g) if rng.random() < rules_hit])
        m = [ModelSpan(s, e, lab, model_prob) for s, e, lab in g if rng.random() < model_hit]
        m += [ModelSpan(20 * k, 20 * k + 8, label, 0.6) for k in (3, 4) if rng.random() < junk]
        model.append(m)
    return gold, rules, model


def test_below_the_minimum_support_the_rules_spans_are_kept_whatever_the_model_scores() -> None:
    # 10 articles, 30 gold spans: the model finds all of them, the rules half; still no replacement.
    gold, rules, model = _policy_data(1, 10, rules_hit=0.5, model_hit=1.0)
    chosen = choose_policy(gold, rules, model)
    attack = chosen["labels"]["ATTACK"]
    assert attack["support"] == 30 and attack["best"]["margin"]["low"] > 0  # it would win, on too little
    assert attack["source"] == "both" and attack["threshold"] >= policy.ADD_FLOOR  # it may only add
    assert "30 gold spans < 50" in attack["reason"]
    merged = evaluate_policy(gold, rules, model, chosen)["exact"]["ATTACK"]
    alone = evaluate_policy(gold, rules, model, RULES_ONLY)["exact"]["ATTACK"]
    assert merged.recall > alone.recall and merged.precision >= alone.precision
    for r, m in zip(rules, model, strict=True):  # every rule span survives the merge
        kept = {(x["start"], x["end"]) for x in merge(r, m, chosen)}
        assert {(x["start"], x["end"]) for x in r} <= kept


def test_with_enough_support_and_a_clear_margin_the_model_replaces_the_rules() -> None:
    gold, rules, model = _policy_data(2, 40, rules_hit=0.4, model_hit=0.95)
    attack = choose_policy(gold, rules, model)["labels"]["ATTACK"]
    assert attack["support"] == 120 and attack["source"] in ("model", "both")
    assert attack["best"]["margin"]["low"] > 0 and "wins by" in attack["reason"]
    # The same data with a higher minimum: the margin is not enough on its own.
    assert choose_policy(gold, rules, model, min_support=121)["labels"]["ATTACK"]["reason"].startswith("rules kept")


def test_a_margin_whose_interval_includes_zero_keeps_the_rules() -> None:
    # The model no better than the rules (both find ~70 %), plenty of support: no replacement.
    gold, rules, model = _policy_data(3, 40, rules_hit=0.7, model_hit=0.7, model_prob=0.55, junk=0.5)
    attack = choose_policy(gold, rules, model)["labels"]["ATTACK"]
    m = attack["best"]["margin"]
    assert m["low"] <= 0 <= m["high"] or m["high"] < 0, m
    assert attack["source"] != "model" and attack["reason"].startswith("rules kept")


def test_imprecise_additions_are_refused_and_the_threshold_is_the_lowest_precise_one() -> None:
    # The model's only extra spans are wrong (junk at p=0.6): nothing may be added.
    gold, rules, model = _policy_data(4, 10, rules_hit=1.0, model_hit=0.0, junk=1.0)
    assert choose_policy(gold, rules, model)["labels"]["ATTACK"]["source"] == "rules"
    # Right spans at p=0.97, wrong ones at p=0.6: add from the lowest threshold above the wrong ones.
    gold, rules, model = _policy_data(5, 12, rules_hit=0.5, model_hit=1.0, junk=1.0)
    attack = choose_policy(gold, rules, model)["labels"]["ATTACK"]
    assert (attack["source"], attack["threshold"]) == ("both", 0.7), attack
    assert attack["added"]["precision_low"] >= 0.5


def test_the_merge_never_loses_rules_recall_and_never_adds_below_the_rules_precision() -> None:
    """In-sample, on random data: under the chosen policy, per label, recall ≥ the rules' where the model
    does not replace them, and precision ≥ the rules' wherever it only adds."""
    rng = random.Random(5)
    labels = ("ATTACK", "PERPETRATOR", "CASUALTY", "CLAIM")
    for trial in range(8):
        gold, rules, model = [], [], []
        for _doc in range(rng.randint(3, 25)):
            g, r, m = [], [], []
            for k in range(8):
                start, label = 15 * k, labels[k % 4]
                if rng.random() < 0.6:
                    g.append((start, start + 6, label))
                    if rng.random() < 0.5:
                        r.append({"id": f"p{k}", "start": start, "end": start + 6, "label": label, "text": None,
                                  "attributes": {}})
                if rng.random() < 0.5:
                    m.append(ModelSpan(start, start + rng.choice((6, 6, 5)), label, round(rng.random(), 2)))
            gold.append(g)
            rules.append(r)
            model.append(m)
        chosen = choose_policy(gold, rules, model)
        merged = evaluate_policy(gold, rules, model, chosen)["exact"]
        alone = evaluate_policy(gold, rules, model, RULES_ONLY)["exact"]
        for label in labels:
            entry = chosen["labels"][label]
            if entry["reason"].startswith("rules kept"):
                assert merged[label].recall >= alone[label].recall, (trial, label)
                assert merged[label].precision >= alone[label].precision - 1e-9, (trial, label, entry)


def test_wilson_bound_and_bootstrap_interval() -> None:
    assert policy.wilson_lower(0, 0) == 0.0
    assert policy.wilson_lower(10, 10) == pytest.approx(0.7873, abs=1e-3)  # z = 1.645
    assert policy.wilson_lower(50, 100) < 0.5 < policy.wilson_lower(70, 100)
    import numpy

    cand = numpy.array([[3, 3, 3]] * 20)
    base = numpy.array([[1, 1, 3]] * 20)
    m = policy.bootstrap_margin(cand, base)
    assert m["f1"] == pytest.approx(1.0 - 0.5) and m["low"] == m["high"] == pytest.approx(0.5)
    noisy = numpy.array([[i % 3, 2, 3] for i in range(20)])
    m = policy.bootstrap_margin(noisy, base)
    assert m["low"] < m["f1"] < m["high"] and m == policy.bootstrap_margin(noisy, base)  # seeded


def test_merged_prediction_carries_text_relations_and_the_model_score() -> None:
    rules = {"spans": [_rule(7, 15, "ATTACK", 1), _rule(0, 6, "PERPETRATOR", 2)],
             "relations": [{"from_id": "p2", "to_id": "p1", "type": "perpetrator_of"}], "score": 0.8}
    pred = model_pre.ModelPrediction(spans=[ModelSpan(49, 62, "CASUALTY", 0.97)], score=0.61)
    policy = {"labels": {"ATTACK": {"source": "rules", "threshold": None},
                         "PERPETRATOR": {"source": "model", "threshold": 0.5},
                         "CASUALTY": {"source": "both", "threshold": 0.5},
                         "CLAIM": {"source": "rules", "threshold": None}}}
    out = model_pre.merged_prediction(TEXT, rules, pred, policy)
    assert [(s["label"], s["text"]) for s in out["spans"]] == [("ATTACK", "attacked"), ("CASUALTY", "four officers")]
    assert all(TEXT[s["start"]:s["end"]] == s["text"] for s in out["spans"])
    assert out["relations"] == []  # its PERPETRATOR end was dropped with the rules' PERPETRATOR spans
    assert out["score"] == 0.61


# -- status per model_version ----------------------------------------------------------------------------------

def _labels_item(start: int, end: int, label: str) -> dict:
    return {"type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": end, "labels": [label]}}


def test_status_scores_each_model_version_apart() -> None:
    gold = [_labels_item(0, 6, "PERPETRATOR"), _labels_item(7, 15, "ATTACK")]
    tasks = [
        {"annotations": [{"result": gold, "completed_by": 1}],
         "predictions": [{"model_version": "incident-rules-1", "result": [_labels_item(7, 15, "ATTACK")]}]},
        {"annotations": [{"result": gold, "completed_by": 1}],
         "predictions": [{"model_version": "incident-rules-1+incident-ner-abc", "result": gold}]},
    ]
    r = StatusResult(project="p", project_id=1, tasks_total=2, tasks_completed=2, tasks_skipped=0, tasks_left=0,
                     annotations=0)
    summarise_export(tasks, users={1: "a@example.org"}, into=r)
    assert set(r.by_model_version) == {"incident-rules-1", "incident-rules-1+incident-ner-abc"}
    rules = r.by_model_version["incident-rules-1"]["scores"]["exact"]["micro"]
    both = r.by_model_version["incident-rules-1+incident-ner-abc"]["scores"]["exact"]["micro"]
    assert (rules.tp, rules.n_pred, rules.n_gold) == (1, 1, 2)
    assert (both.tp, both.n_pred, both.n_gold) == (2, 2, 2)
    expected = score_spans([([(0, 6, "PERPETRATOR"), (7, 15, "ATTACK")], [(7, 15, "ATTACK")])])
    assert rules == expected["exact"]["micro"]
    assert json.loads(json.dumps(r.as_dict()))["by_model_version"]["incident-rules-1"]["annotations"] == 1


def test_gpu_id_passes_through_to_spacy(tmp_path: Path) -> None:
    # This machine has no GPU (and no cupy): spaCy's own require_gpu refuses, and we say so in one line.
    result = invoke_cli(["train", "--in", str(_corpus(tmp_path)), "--out", str(tmp_path / "m"), "--gpu-id", "0"],
                        code=1)
    assert "--gpu-id 0: spaCy cannot use that GPU" in result.output, result.output
    assert not (tmp_path / "m").exists() and not list(tmp_path.glob(".m.tmp-*"))


# -- the model's probabilities (greedy parse, stepped) -------------------------------------------------------------

OTHER = ("Officials in the northern province said the bridge reopened on Tuesday after repairs.\n\n"
         "Traffic was heavy.  A spokesman thanked residents.")


@pytest.fixture(scope="module")
def tiny_nlp():
    """A pipeline of `annotate train`'s config, a few updates on TEXT: enough to be confident on TEXT."""
    import spacy
    from spacy.training import Example

    from incident_corpus.train import config as train_config

    spacy.util.fix_random_seed(0)
    cfg = train_config.build_config(train=Path("unused"), dev=Path("unused"), max_steps=1, seed=0)
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True)
    examples = [Example.from_dict(nlp.make_doc(TEXT), {"entities": SPANS})]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        nlp.update(examples, sgd=optimizer)
    return nlp


def test_model_spans_are_the_entities_nlp_pipe_gives(tiny_nlp) -> None:
    texts = [TEXT, OTHER, "", " \n ", TEXT + " " + OTHER]
    preds = model_pre.predict_docs(tiny_nlp, texts)
    assert len(preds) == len(texts)
    for text, pred, doc in zip(texts, preds, tiny_nlp.pipe(texts), strict=True):
        assert [(s.start, s.end, s.label) for s in pred.spans] == [(e.start_char, e.end_char, e.label_)
                                                                   for e in doc.ents]
        assert all(text[s.start:s.end].strip() and 0.0 < s.prob <= 1.0 for s in pred.spans)
        assert 0.0 < pred.score <= 1.0
        # A one-token entity is one decision: no less certain than the least certain one.
        assert all(s.prob >= pred.score - 1e-4 for s in pred.spans if " " not in text[s.start:s.end])
    assert [(s.start, s.end, s.label) for s in preds[0].spans] == SPANS  # it learnt TEXT
    assert preds[2] == preds[3] == model_pre.ModelPrediction(spans=[], score=1.0)  # nothing to decide


def test_the_score_is_lower_where_the_model_hesitates(tiny_nlp) -> None:
    confident, unseen = model_pre.predict_docs(tiny_nlp, [TEXT, OTHER])
    assert confident.score > 0.9 > unseen.score, (confident.score, unseen.score)
    # An article is as certain as its least certain decision.
    both = model_pre.predict_docs(tiny_nlp, [TEXT + "\n\n" + OTHER])[0]
    assert both.score <= min(confident.score, unseen.score) + 0.05


def test_valid_actions_are_rebuilt_as_spacy_defines_them(tiny_nlp) -> None:
    from spacy.pipeline._parser_internals.stateclass import StateClass

    ner = tiny_nlp.get_pipe("ner")
    moves = model_pre._Moves(ner)
    names = [ner.moves.get_class_name(i) for i in range(moves.n)]
    docs = list(tiny_nlp.pipe([TEXT, OTHER, TEXT + " " + OTHER, "Gunmen"]))
    # A sentence start inside the doc forbids B and I before it.
    doc_with_sents = tiny_nlp.make_doc(TEXT)
    for i, token in enumerate(doc_with_sents):
        token.is_sent_start = i in (0, 12)
    docs.append(tiny_nlp.get_pipe("ner")(tiny_nlp.get_pipe("tok2vec")(doc_with_sents)))
    for doc in docs:
        chosen, valid = moves.actions(doc)
        fresh = doc.copy()
        fresh.set_ents([], default="missing")  # what a new doc has: no preset entities
        state = StateClass(fresh)
        for t in range(len(doc)):
            expected = [bool(ner.moves.is_valid(state, name)) for name in names]
            assert valid[t].tolist() == expected, (doc.text, t, doc[t].text)
            assert valid[t, chosen[t]]
            ner.moves.apply_transition(state, names[chosen[t]])
        assert state.is_final()


def test_worker_processes_predict_what_one_process_does(tiny_nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [TEXT, OTHER, "", TEXT + " " + OTHER] * 5
    batches = [texts[i:i + 3] for i in range(0, len(texts), 3)]
    serial = list(model_pre.predict_batches(tiny_nlp, batches))
    assert list(model_pre.predict_batches(tiny_nlp, batches, n_process=2)) == serial
    # push (parallel=True) goes to worker processes from PARALLEL_FROM texts on; the output is the same, in order.
    model = type("Trained", (), {"nlp": tiny_nlp, "model_version": "incident-ner-test", "policy": MODEL_ONLY})()
    one = list(model_pre.ModelPreannotator(model, rules=False).annotate_many(texts, batch_size=3))
    pools: list[int] = []
    real = model_pre.predict_batches
    monkeypatch.setattr(model_pre, "PARALLEL_FROM", 8)
    monkeypatch.setattr(model_pre, "usable_cpus", lambda: 2)
    monkeypatch.setattr(model_pre, "predict_batches",
                        lambda nlp, b, n_process=1: pools.append(n_process) or real(nlp, b, n_process=n_process))
    two = list(model_pre.ModelPreannotator(model, rules=False, parallel=True).annotate_many(texts, batch_size=3))
    assert pools == [2] and two == one
    assert [p["score"] for p in one] == [p.score for batch in serial for p in batch]
    list(model_pre.ModelPreannotator(model, rules=False).annotate_many(texts, batch_size=3))  # serve: never
    list(model_pre.ModelPreannotator(model, rules=False, parallel=True).annotate_many(texts[:7], batch_size=3))
    assert pools == [2, 1, 1]


def test_matmul_ops_predict_what_blis_does(tiny_nlp) -> None:
    """push and serve swap thinc's blis gemm for numpy's matmul (use_matmul_ops): same entities, same scores."""
    import copy

    from thinc.api import NumpyOps

    texts = [TEXT, OTHER, TEXT + " " + OTHER]
    before = model_pre.predict_docs(tiny_nlp, texts)
    fast = copy.deepcopy(tiny_nlp)
    model_pre.use_matmul_ops(fast)
    nodes = [node for _, proc in fast.pipeline for node in proc.model.walk()]
    assert nodes and all(type(node.ops) is not NumpyOps and isinstance(node.ops, NumpyOps) for node in nodes)
    after = model_pre.predict_docs(fast, texts)
    for b, a in zip(before, after, strict=True):
        assert [(s.start, s.end, s.label) for s in a.spans] == [(s.start, s.end, s.label) for s in b.spans]
        assert a.score == pytest.approx(b.score, abs=1e-3)
        assert [s.prob for s in a.spans] == pytest.approx([s.prob for s in b.spans], abs=1e-3)
    assert all(type(node.ops) is NumpyOps for _, proc in tiny_nlp.pipeline for node in proc.model.walk())


def test_predicting_runs_numpy_blas_on_one_thread(tiny_nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    """In one process and in the forked workers: a second BLAS thread would only spin against the other."""
    from threadpoolctl import threadpool_info

    def blas_threads(nlp, texts):
        return [[i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]]

    monkeypatch.setattr(model_pre, "predict_docs", blas_threads)
    for n_process in (1, 2):
        out = list(model_pre.predict_batches(tiny_nlp, [["a"], ["b"], ["c"]], n_process=n_process))
        assert len(out) == 3 and all(threads and set(threads) == {1} for (threads,) in out), (n_process, out)


# -- the merge on text the model never saw ------------------------------------------------------------------------

def test_a_model_from_a_handful_of_articles_keeps_the_rules_recall_and_precision_on_unseen_text(
        tmp_path: Path) -> None:
    """Acceptance of issue 29 (synthetic reports here; the real-news check is in benchmarks): trained on 8
    articles, on 15 others rules + model keeps each label's recall and precision within 0.02 of the rules'."""
    from benchmarks.synthetic import articles, write_records
    from incident_corpus.preannotate.runner import Preannotator

    write_records(tmp_path / "annotations.jsonl", 8, seed=29)
    invoke_cli(["export", "--in", str(tmp_path / "annotations.jsonl"), "--out", str(tmp_path / "dataset"),
                "--format", "spacy", "--split", "0.75/0.25/0", "--seed", "1", "-q"])
    out = tmp_path / "model"
    done = json.loads(invoke_cli(["train", "--in", str(tmp_path / "dataset"), "--out", str(out), "--max-steps", "40",
                                  "--folds", "4", "--json"]).stdout)
    merge_block = done["merge"]
    assert merge_block["chosen_on"].startswith("4-fold cross-validation over 8 annotated articles")
    assert set(merge_block["cross_validation"]) == {"rules", "model", "merged"}
    for label, entry in merge_block["labels"].items():
        assert entry["support"] == merge_block["cross_validation"]["rules"]["exact"][label]["n_gold"]
        assert entry["source"] != "model" and "reason" in entry  # 8 articles: never enough to replace
    held = list(articles(15, seed=99))
    texts = [a["text"] for a in held]
    gold = [[(s["start"], s["end"], s["label"]) for s in a["spans"]] for a in held]
    model = model_pre.TrainedModel(str(out))
    assert model.policy["labels"] == merge_block["labels"]
    merged = list(model_pre.ModelPreannotator(model).annotate_many(texts))
    rules = list(Preannotator().annotate_many(texts))
    for text, m in zip(texts, merged, strict=True):
        assert all(text[s["start"]:s["end"]] == s["text"] for s in m["spans"])
    as_spans = policy.as_spans
    both = score_spans(zip(gold, [as_spans(m["spans"]) for m in merged], strict=True))
    alone = score_spans(zip(gold, [as_spans(r["spans"]) for r in rules], strict=True))
    for mode in ("exact", "overlap"):
        for label in ("ATTACK", "PERPETRATOR", "CASUALTY", "CLAIM"):
            b, a = both[mode][label], alone[mode][label]
            assert b.recall >= a.recall - 0.02 and b.precision >= a.precision - 0.02, (mode, label, b, a)
    # `annotate status --model` shows the same decision
    shown = model_merge(out, None)
    assert shown is not None and shown["model_version"] == done["model_version"]
    assert {k: v["source"] for k, v in shown["labels"].items()} == {k: v["source"] for k, v in
                                                                    merge_block["labels"].items()}
    assert "rules kept" in render_text(StatusResult(project="p", project_id=1, tasks_total=0, tasks_completed=0,
                                                    tasks_skipped=0, tasks_left=0, annotations=0, merge=shown))


# -- --base: a pretrained start ----------------------------------------------------------------------------------

def _tiny_base(path: Path) -> Path:
    """A pipeline with static vectors and a shared tok2vec that uses them, as en_core_web_md has (made here:
    no pipeline can be downloaded on a fresh clone)."""
    import numpy
    import spacy

    nlp = spacy.blank("en")
    words = sorted({t.text for t in nlp.make_doc(TEXT + " " + OTHER)})
    rng = numpy.random.default_rng(0)
    for word in words:
        nlp.vocab.set_vector(word, rng.normal(size=8).astype("float32"))
    nlp.add_pipe("tok2vec", config={"model": {
        "@architectures": "spacy.HashEmbedCNN.v2", "width": 24, "depth": 1, "embed_size": 300, "window_size": 1,
        "maxout_pieces": 2, "subword_features": True, "pretrained_vectors": True}})
    nlp.initialize()
    nlp.to_disk(path)
    return path


def test_base_fine_tunes_from_a_pipeline_with_vectors_and_predicts_under_the_merge(tmp_path: Path) -> None:
    import numpy
    import spacy

    base = _tiny_base(tmp_path / "base")
    out = tmp_path / "model"
    done = json.loads(invoke_cli(["train", "--in", str(_corpus(tmp_path / "corpus")), "--out", str(out),
                                  "--base", str(base), "--max-steps", "2", "--folds", "2", "--json"]).stdout)
    assert done["base"] == str(base)
    nlp, src = spacy.load(out), spacy.load(base)
    assert nlp.pipe_names == ["tok2vec", "ner"] and set(nlp.get_pipe("ner").labels) <= {
        "ATTACK", "PERPETRATOR", "CASUALTY", "CLAIM"}  # a fresh NER for our labels
    assert nlp.vocab.vectors.shape == src.vocab.vectors.shape == (len(src.vocab.vectors), 8)
    assert numpy.array_equal(nlp.vocab.vectors.data, src.vocab.vectors.data)
    config = json.loads((out / "meta.json").read_text())["incident_corpus"]
    assert config["base"] == str(base)

    def embed(pipeline):  # the NORM hash-embedding table of the shared tok2vec
        return next(n for n in pipeline.get_pipe("tok2vec").model.walk() if n.name == "hashembed").get_param("E")

    tuned, start = embed(nlp), embed(src)
    assert tuned.shape == start.shape  # the base's tok2vec (width 24), not a blank one of ours (48)
    # two updates move the base's weights a little; a fresh initialisation would be another table entirely
    assert float(numpy.abs(tuned - start).mean()) < 0.1 * float(numpy.abs(start).mean())
    # push --model / serve: the same merge (cross-validated on 2 folds: the rules' spans are all kept)
    from incident_corpus.preannotate.runner import Preannotator

    model = model_pre.TrainedModel(str(out))
    assert all(v["source"] != "model" for v in model.policy["labels"].values())
    (pred,) = list(model_pre.ModelPreannotator(model).annotate_many([TEXT, OTHER]))[:1]
    (rules,) = list(Preannotator().annotate_many([TEXT]))
    assert {(s["start"], s["end"], s["label"]) for s in rules["spans"]} <= {
        (s["start"], s["end"], s["label"]) for s in pred["spans"]}
    assert all(TEXT[s["start"]:s["end"]] == s["text"] for s in pred["spans"])


def test_status_finds_the_merge_of_the_model_serving_the_project_in_serves_workdir(tmp_path: Path) -> None:
    def model_dir(version: str, source: str) -> Path:
        folder = tmp_path / "serve" / "models" / version
        folder.mkdir(parents=True)
        labels = {"ATTACK": {"source": source, "threshold": 0.9, "support": 12, "reason": f"{source} because"}}
        (folder / "meta.json").write_text(json.dumps({"incident_corpus": {
            "model_version": version, "merge": {"chosen_on": "3-fold cross-validation", "min_support": 50,
                                                "labels": labels}}}))
        return folder

    old, new = model_dir("incident-ner-aaa", "rules"), model_dir("incident-ner-bbb", "both")
    (tmp_path / "serve" / "current.json").write_text(json.dumps({"model_dir": str(new)}))
    # the project's model_version names the model; else the workdir's current one
    assert model_merge(tmp_path / "serve", "incident-rules-2+incident-ner-aaa")["model"] == str(old)
    shown = model_merge(tmp_path / "serve", None)
    assert shown["model_version"] == "incident-ner-bbb" and shown["labels"]["ATTACK"]["source"] == "both"
    assert model_merge(tmp_path / "nothing", None) is None
    text = render_text(StatusResult(project="p", project_id=1, tasks_total=0, tasks_completed=0, tasks_skipped=0,
                                    tasks_left=0, annotations=0, merge=shown))
    assert "merge of incident-ner-bbb with the rules (chosen on 3-fold cross-validation)" in text
    assert "ATTACK: both ≥0.9 (support 12) — both because" in text
