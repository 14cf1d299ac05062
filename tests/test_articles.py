"""Reading articles: normalisation, ids, every input format and every reported problem."""

from __future__ import annotations

import hashlib
import io
import json
import random
import unicodedata
from pathlib import Path

import pytest

from incident_corpus.core import resources
from incident_corpus.core.resources import samples_dir
from incident_corpus.ingest.articles import (
    BOILERPLATE_LINES,
    Article,
    InputProblem,
    article_id,
    count_items,
    normalize_text,
    parse_date,
    read_articles,
)

INPUTS = Path(__file__).parent / "data" / "inputs"
GOOD = INPUTS / "good"
TRIED = "tried utf-8 and utf-16 (BOM); re-save the file as UTF-8"
BAD = INPUTS / "bad"


def read_one(path: Path | str, **kwargs: object) -> Article | InputProblem:
    items = list(read_articles([path], **kwargs))  # type: ignore[arg-type]
    assert len(items) == 1, items
    return items[0]


def sha16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("e\u0301t\u00e9", "\u00e9t\u00e9"),  # NFC
        ("a\r\nb\rc\nd", "a\nb\nc\nd"),  # CRLF and lone CR
        ("a\u2028b\u2029c", "a\nb\nc"),  # Unicode line/paragraph separators
        ("\ufeffab\ufeffc", "abc"),  # BOM anywhere
        ("a\x00b\x07c\x1bd\x7fe\x85f\x9fg", "abcdefg"),  # C0, DEL, C1 (incl. NEL)
        ("a\x0bb\x0cc", "abc"),  # vertical tab and form feed are controls, not newlines
        ("a\tb", "a\tb"),  # TAB kept inside a line
        ("line one  \t\nline two\u00a0\n", "line one\nline two"),  # trailing whitespace incl. NBSP
        ("p1\n\n\n\n\np2\n \n \n\np3", "p1\n\np2\n\np3"),  # 3+ newlines (also via blank-ish lines)
        ("p1\n\np2\np3", "p1\n\np2\np3"),  # one or two newlines kept
        ("\n\n  lead and trail  \n\n", "lead and trail"),
        ("killed  nine\u00a0people", "killed  nine\u00a0people"),  # inner spaces kept
        ("e\x01\u0301", "\u00e9"),  # a removed control char must not leave a non-NFC pair
    ],
)
def test_normalize_text_rules(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


TRICKY = [
    "e\u0301",
    "Cafe\u0301 \u2014 \u201cquoted\u201d \u2013 dash",
    "emoji 😢🙏🏽 then killed at least 18",
    "a\r\n\r\n\r\nb\r\n",
    "nbsp\u00a0\u00a0\n\u00a0\nend",
    "\ufeff\x00\x1f mixed \u2028\u2029\x85 \r",
    "  \u0301 leading combining",
    "\u2000en quad\u2000",  # NFC maps U+2000 to U+2002; both are whitespace
    "\u212b angstrom sign",  # NFC singleton
    "killed  nine",
]


@pytest.mark.parametrize("raw", TRICKY)
def test_normalize_text_is_idempotent_and_nfc(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once and "\ufeff" not in once and "\n\n\n" not in once


def test_normalize_text_idempotent_on_random_strings() -> None:
    alphabet = [
        *"ab \t\n\r.",
        "\u0301", "\u0308", "\u00a0", "\ufeff", "\x00", "\x0b", "\x85", "\u2028", "\u2029",
        "\u2000", "\u212b", "😢", "\u200b", "\u1100", "\u1161", "\u11a8",  # Hangul jamo compose
    ]  # fmt: skip
    rng = random.Random(20240601)
    for _ in range(3000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        once = normalize_text(raw)
        assert normalize_text(once) == once, repr(raw)
        assert once == once.strip()


# --------------------------------------------------------------------------- article_id


def test_article_id_is_sha256_prefix_of_normalised_text() -> None:
    text = (
        "Gunmen attacked a police post in Marlow on Sunday, wounding two officers.\n\n"
        "The attackers escaped, police said."
    )
    assert article_id(text) == sha16(text) == "055dcabc163e0c33"
    assert article_id("\ufeff" + text.replace("\n", "\r\n") + "  \n\n\n") == "055dcabc163e0c33"
    accented = "Caf\u00e9 bombing"
    assert article_id("Cafe\u0301 bombing") == sha16(accented) != sha16("Cafe\u0301 bombing")


def test_article_normalises_its_text_and_builds_task_data() -> None:
    article = Article(text="  A blast\r\nhit.  \n", title="T", source_file="x.txt", extra={"k": [1]})
    assert article.text == "A blast\nhit."
    assert article.article_id == sha16("A blast\nhit.")
    data = article.task_data()
    schema_keys = set(resources.load_schema("task.schema.json")["properties"]["data"]["properties"])
    assert set(data) == schema_keys
    assert data["article_id"] == article.article_id and data["text"] == article.text
    data["extra"]["k"].append(2)  # the task is a copy: mutating it leaves the article alone
    assert article.extra == {"k": [1]}
    assert list(resources.task_validator().iter_errors({"data": article.task_data()})) == []
    with pytest.raises(ValueError, match="empty"):
        Article(text=" \n\ufeff ")


def test_input_problem_str() -> None:
    assert str(InputProblem("a/b.jsonl", "line 3: oops")) == "a/b.jsonl: line 3: oops"


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("December 19, 2017", "2017-12-19"),
        ("19 December 2017", "2017-12-19"),
        ("Dec. 19, 2017", "2017-12-19"),
        ("Dec 19, 2017", "2017-12-19"),
        ("2017-12-19", "2017-12-19"),
        ("Tuesday, December 19, 2017", "2017-12-19"),
        ("Tue 19 Dec 2017", "2017-12-19"),
        ("Sept. 3, 2018", "2018-09-03"),
        ("2017-12-19T10:05:00", "2017-12-19T10:05:00"),
        ("2017-12-19T10:05:00Z", "2017-12-19T10:05:00+00:00"),
        ("2017-12-19 10:05+02:00", "2017-12-19T10:05:00+02:00"),
        ("2017-02-30", None),
        ("20171219", None),
        ("last Tuesday", None),
        ("By December 2017, the group had grown", None),
    ],
)
def test_parse_date(raw: str, expected: str | None) -> None:
    assert parse_date(raw) == expected


# --------------------------------------------------------------------------- .txt


def test_txt_header_captions_and_boilerplate() -> None:
    article = read_one(GOOD / "article.txt")
    assert isinstance(article, Article)
    assert article.title == "Bomb Hits Ferry Terminal in Calder Sound"
    assert article.author == "Nora Beck"
    assert article.source == "The Island Gazette"
    assert article.published == "2020-12-05"
    assert article.source_file == str(GOOD / "article.txt")
    assert article.extra == {
        "captions": [
            "Passengers wait outside the closed terminal. (Photo: Island Gazette)",
            "Photo: A police boat patrols the harbour.",
        ],
        "boilerplate_removed": ["Print Friendly, PDF & Email", "Share this:", "Tweet", "Email"],
    }
    assert article.text.startswith("CALDER SOUND — A bomb exploded")
    # the glued suffix is cut off the last sentence, which is otherwise kept whole
    assert article.text.endswith("\nPolice asked witnesses to email photographs to investigators.")
    assert "wounding  eleven" in article.text  # inner double space kept
    for gone in ("Print Friendly", "Share this", "Tweet", "(Photo:", "By Nora Beck", "Dec. 5"):
        assert gone not in article.text


def test_txt_without_header_is_all_body() -> None:
    article = read_one(GOOD / "plain.txt")
    assert isinstance(article, Article)
    raw = (GOOD / "plain.txt").read_text(encoding="utf-8")
    assert article.text == normalize_text(raw)
    assert article.title is None and article.author is None and article.published is None
    assert article.extra == {}


@pytest.mark.parametrize(
    ("raw", "text", "removed"),
    [
        ("Body.\n\nPrint\nEmail\n", "Body.", ["Print", "Email"]),
        ("Body.\nRelated Articles\nAdvertisement\n", "Body.", ["Related Articles", "Advertisement"]),
        ("Body.\nShare on X\nShare on Facebook\nClick to share on Twitter (Opens in new window)",
         "Body.", ["Share on X", "Share on Facebook", "Click to share on Twitter (Opens in new window)"]),
        ("Body.\nSubscribe to our newsletter!", "Body.", ["Subscribe to our newsletter!"]),
        ("Sent by email\nPrint Friendly, PDF & Email", "Sent by email", ["Print Friendly, PDF & Email"]),
        # boilerplate words that are part of a sentence, or not at the end, stay
        ("Print\nThe end of the story by Email", "Print\nThe end of the story by Email", []),
        ("Subscribers said the attack was sad.", "Subscribers said the attack was sad.", []),
    ],
)  # fmt: skip
def test_txt_boilerplate_rules(tmp_path: Path, raw: str, text: str, removed: list[str]) -> None:
    path = tmp_path / "a.txt"
    path.write_text(raw, encoding="utf-8")
    article = read_one(path)
    assert isinstance(article, Article)
    assert article.text == text
    assert article.extra.get("boilerplate_removed", []) == removed


def test_boilerplate_list_is_small_and_documented() -> None:
    import incident_corpus.ingest.articles as mod

    assert len(BOILERPLATE_LINES) <= 15
    assert "BOILERPLATE_LINES" in (mod.__doc__ or "")


def test_txt_byline_without_outlet_and_no_caption(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Headline here\nBY Jane Roe\n19 December 2017\n\nThe body (Photo: not a caption).\n")
    # a line with "(Photo:" is a caption only when body text follows it
    article = read_one(path)
    assert isinstance(article, Article)
    assert (article.title, article.author, article.source, article.published) == (
        "Headline here", "Jane Roe", None, "2017-12-19"
    )  # fmt: skip
    assert article.text == "The body (Photo: not a caption)."
    assert "captions" not in article.extra


def test_txt_header_only_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "header.txt"
    path.write_text("Headline\n\nBy A Writer | Outlet\n\nMay 1, 2020\n\nPrint Friendly, PDF & Email\n")
    assert read_one(path) == InputProblem(str(path), "empty article text; add the text or remove the file")


# --------------------------------------------------------------------------- .json / .jsonl


def test_json_single_object_keeps_other_fields_in_extra() -> None:
    article = read_one(GOOD / "single.json")
    assert isinstance(article, Article)
    assert article.title == "Guard stabbed outside Saltmarsh town hall"
    assert article.author == "Ivo Stern"
    assert article.url == "https://example.org/saltmarsh-stabbing"
    assert article.language == "en"
    assert article.published is None
    assert article.extra == {
        "tags": ["stabbing", "Saltmarsh"],
        "wordcount": 33,
        "published_raw": "last Tuesday",
    }
    assert article.text.endswith("police said.\n\nThe guard was treated in hospital for cuts.")


def test_json_list_items_are_named_by_line() -> None:
    items = list(read_articles([GOOD / "list.json"]))
    assert all(isinstance(i, Article) for i in items)
    assert [i.source_file for i in items] == [f"{GOOD / 'list.json'}:2", f"{GOOD / 'list.json'}:7"]
    assert [i.published for i in items] == ["2017-12-19", "2017-12-20T06:30:00"]


def test_jsonl_skips_blank_lines_and_names_lines() -> None:
    items = list(read_articles([GOOD / "articles.jsonl"]))
    assert [i.source_file for i in items] == [f"{GOOD / 'articles.jsonl'}:1", f"{GOOD / 'articles.jsonl'}:3"]
    first, second = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.source == "Wexley News" and first.extra == {"section": "Local"}
    assert second.title == "Tax office attacked in Dunhill"
    assert second.published is None and second.extra == {"published_raw": "Friday"}


def test_stdin_dash_reads_jsonl() -> None:
    stdin = io.StringIO(
        '{"text": "A shop was bombed in Pell.", "title": "Pell"}\n'
        "not json\n"
        "\n"
        '["a list"]\n'
        '{"text": 7}\n'
        '{"text": "  "}\n'
        '{"text": "Two were hurt.", "author": 5}\n'
        '{"text": "Shots at a post.", "published": 2019}\n'
    )
    items = list(read_articles(["-"], stdin=stdin))
    assert [str(i) if isinstance(i, InputProblem) else i.source_file for i in items] == [
        "<stdin>:1",
        "<stdin>: line 2: not valid JSON (Expecting value at column 1); fix or remove the line",
        "<stdin>: line 4: expected a JSON object, got a list; each line must be one article object",
        '<stdin>: line 5: field "text" must be a string',
        "<stdin>: line 6: empty article text; add the text or remove the line",
        '<stdin>: line 7: field "author" must be a string or null, not a number',
        "<stdin>:8",
    ]
    assert items[0].title == "Pell"  # type: ignore[union-attr]
    assert items[-1].extra == {"published_raw": 2019}  # type: ignore[union-attr]


def test_json_top_level_and_item_problems(tmp_path: Path) -> None:
    (tmp_path / "a_number.json").write_text("42")
    (tmp_path / "b_list.json").write_text('[\n  "oops",\n  {"text": "A bomb hit a bank."}\n]')
    (tmp_path / "c_broken.json").write_text('{"text": "x",\n "title": }')
    items = [str(i) if isinstance(i, InputProblem) else i.source_file for i in read_articles([tmp_path])]
    assert items == [
        f"{tmp_path / 'a_number.json'}: expected a JSON object or a list of objects, got a number; "
        'put each article in an object with a "text" field',
        f"{tmp_path / 'b_list.json'}: line 2: expected a JSON object, got a string; "
        "each list item must be one article object",
        f"{tmp_path / 'b_list.json'}:3",
        f"{tmp_path / 'c_broken.json'}: not valid JSON (Expecting value at line 2 column 11); "
        "fix the file (one article object, or a list of them)",
    ]


# --------------------------------------------------------------------------- .html


def test_html_extraction() -> None:
    article = read_one(GOOD / "page.html")
    assert isinstance(article, Article)
    assert article.title == "Gunmen storm hotel lobby in Pellworth"
    assert article.author == "Ruth Adeyemi"
    assert article.source == "The Harbour Times"
    assert article.published == "2022-10-03"
    assert article.url == "https://example.org/world/pellworth-hotel"
    assert article.language == "en"
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("PELLWORTH — Four gunmen stormed the lobby")
    assert paragraphs[2] == (
        "The hotel’s manager said about forty guests had been in the building when the shooting began."
    )
    junk = ("Home", "Most read", "Cup final", "Share on Facebook", "©", "Gunmen storm hotel lobby")
    for junk_text in junk:
        assert junk_text not in article.text


# --------------------------------------------------------------------------- problems


def test_bad_inputs_report_exact_problems_and_good_items_survive() -> None:
    items = list(read_articles([BAD]))
    problems = [(Path(i.source).name, i.reason) for i in items if isinstance(i, InputProblem)]
    assert problems == [
        ("binary.txt", "looks like a binary file, not text; remove it or convert it to .txt/.jsonl"),
        (
            "broken.jsonl",
            "line 2: not valid JSON (Expecting ',' delimiter at column 26); fix or remove the line",
        ),
        ("empty.txt", "empty article text; add the text or remove the file"),
        (
            "invalid_utf8.txt",
            f"not valid UTF-8 (invalid byte 0xff at offset 38); {TRIED}",
        ),
        (
            "latin1.txt",
            f"not valid UTF-8 (invalid byte 0xe9 at offset 16); {TRIED}",
        ),
        ("no_body.html", "no article body found in the HTML; save the article as .txt or check the page"),
        ("no_text.json", 'missing required field "text"; put the article text in a "text" field'),
        ("unsupported.pdf", "unsupported file type '.pdf'; use .txt, .json, .jsonl or .html"),
        ("whitespace.txt", "empty article text; add the text or remove the file"),
    ]
    assert all(i.source == str(BAD / name) for i, (name, _) in zip(
        [i for i in items if isinstance(i, InputProblem)], problems, strict=True
    ))  # fmt: skip
    articles = {Path(a.source_file or "").name: a for a in items if isinstance(a, Article)}
    assert sorted(articles) == ["broken.jsonl:1", "broken.jsonl:3", "dup_a.txt", "dup_b.txt", "utf16_bom.txt"]
    assert articles["utf16_bom.txt"].text == (
        "Explosion at the Rivière-Haute café injured three people, police said."
    )
    assert articles["broken.jsonl:1"].title == "Bomb defused"
    # dup_a and dup_b differ in bytes (BOM, CRLF, trailing blanks) but are the same article
    assert (BAD / "dup_a.txt").read_bytes() != (BAD / "dup_b.txt").read_bytes()
    assert articles["dup_a.txt"].text == articles["dup_b.txt"].text
    assert articles["dup_a.txt"].article_id == articles["dup_b.txt"].article_id == "055dcabc163e0c33"


def test_latin1_offset_points_at_the_bad_byte() -> None:
    data = (BAD / "latin1.txt").read_bytes()
    assert data[16] == 0xE9 and data[:16].decode("utf-8")


def test_utf8_bom_is_accepted_and_counted_in_offsets(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfA bomb.")
    (tmp_path / "bom_bad.txt").write_bytes(b"\xef\xbb\xbfab\xe9")
    ok, bad = read_articles([tmp_path / "bom.txt", tmp_path / "bom_bad.txt"])
    assert isinstance(ok, Article) and ok.text == "A bomb."
    assert bad == InputProblem(
        str(tmp_path / "bom_bad.txt"), f"not valid UTF-8 (invalid byte 0xe9 at offset 5); {TRIED}"
    )


def test_huge_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"word " * 1_240_000)  # 6.2 MB
    read_called = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: read_called.append(self) or b"")
    assert read_one(huge) == InputProblem(
        str(huge), "6.2 MB is over the 5.0 MB limit; split the file or raise the limit with --max-bytes"
    )
    assert read_called == []
    monkeypatch.undo()
    assert isinstance(read_one(huge, max_bytes=7_000_000), Article)
    small = read_one(GOOD / "plain.txt", max_bytes=100)
    assert small == InputProblem(
        str(GOOD / "plain.txt"),
        "214 bytes is over the 100 bytes limit; split the file or raise the limit with --max-bytes",
    )


def test_missing_and_unsupported_paths(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# notes")
    (tmp_path / "README").write_text("readme")
    items = list(read_articles([tmp_path / "nope.txt", tmp_path / "notes.md", tmp_path / "README"]))
    assert [str(i) for i in items] == [
        f"{tmp_path / 'nope.txt'}: no such file or directory; check the path",
        f"{tmp_path / 'notes.md'}: unsupported file type '.md'; use .txt, .json, .jsonl or .html",
        f"{tmp_path / 'README'}: unsupported file type (no extension); use .txt, .json, .jsonl or .html",
    ]


def test_folder_walk_is_sorted_recursive_and_skips_hidden() -> None:
    items = list(read_articles([GOOD]))
    assert all(isinstance(i, Article) for i in items), [str(i) for i in items]
    assert [Path(i.source_file or "").relative_to(GOOD).as_posix() for i in items] == [  # type: ignore[union-attr]
        "article.txt",
        "articles.jsonl:1",
        "articles.jsonl:3",
        "list.json:2",
        "list.json:7",
        "nested/deeper/note.txt",
        "page.html",
        "plain.txt",
        "single.json",
    ]
    # a hidden file named explicitly is read
    hidden = read_one(GOOD / ".hidden.txt")
    assert isinstance(hidden, Article) and hidden.text == "Hidden file, ignored in folders."


def test_folder_path_is_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A blast.")
    monkeypatch.chdir(tmp_path)
    (item,) = read_articles(["in/"])
    assert isinstance(item, Article) and item.source_file == str(Path("in") / "a.txt")


def test_read_articles_is_lazy(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First.")
    iterator = read_articles([tmp_path / "a.txt", tmp_path / "later.txt"])
    first = next(iterator)
    (tmp_path / "later.txt").write_text("Created after the first item was read.")
    assert isinstance(first, Article)
    second = next(iterator)
    assert isinstance(second, Article) and second.text == "Created after the first item was read."


# --------------------------------------------------------------------------- bundled samples


def test_bundled_samples_read_cleanly_and_are_distinct() -> None:
    folder = samples_dir()
    items = list(read_articles([folder]))
    assert [str(i) for i in items if isinstance(i, InputProblem)] == []
    articles = [i for i in items if isinstance(i, Article)]
    txt = [a for a in articles if (a.source_file or "").endswith(".txt")]
    batch = [a for a in articles if ".jsonl:" in (a.source_file or "")]
    assert len(txt) == 8 and len(batch) == 3
    assert sum(a.source is None for a in txt) == 1  # one byline without an outlet
    assert len({a.article_id for a in articles}) == len(articles)
    validator = resources.task_validator()
    for a in txt:
        assert a.title and a.author and a.published, a.source_file
        assert a.extra["boilerplate_removed"] == ["Print Friendly, PDF & Email"], a.source_file
        assert 150 <= len(a.text.split()) <= 400, a.source_file
    for a in batch:
        assert a.title and a.url and a.url.startswith("https://example.org/") and a.published
        assert a.source and a.language and set(a.extra) == {"desk"}
    for a in articles:
        assert list(validator.iter_errors({"data": a.task_data()})) == [], a.source_file


def test_bundled_samples_cover_the_hard_cases() -> None:
    folder = samples_dir()
    crlf = list(folder.glob("*crlf*.txt"))
    assert len(crlf) == 1 and b"\r\n" in crlf[0].read_bytes()  # .gitattributes keeps the bytes
    texts = {
        p.name: a.text for p in folder.glob("*.txt") for a in read_articles([p]) if isinstance(a, Article)
    }
    joined = "\n".join(texts.values()).lower()
    assert "killed  nine" in joined
    no_attack = texts["marrow-point-bridge-reopens.txt"].lower()
    assert not any(word in no_attack for word in ("attack", "bomb", "gunmen", "killed", "wounded"))
    emoji_text = next(t for t in texts.values() if "😢" in t)
    assert emoji_text.index("😢") < emoji_text.index("killed at least 18")
    for phrase in ("nearly fifty", "more than one hundred", "dozens", "at least 12", "claimed", "denied"):
        assert phrase in joined, phrase
    assert all(c in joined for c in "“”’—–")
    glued = (folder / "velmora-market-bombings.txt").read_text(encoding="utf-8")
    assert "history.Print Friendly, PDF & Email" in glued
    assert texts["velmora-market-bombings.txt"].endswith("history.")


def test_max_bytes_limits_each_article_of_a_jsonl_batch_not_the_file(tmp_path: Path) -> None:
    """A 10k-article JSONL is tens of MB; the limit guards against one huge article, not big batches."""
    batch = tmp_path / "batch.jsonl"
    lines = [json.dumps({"text": f"Article {i}: a bomb exploded near the market."}) for i in range(50)]
    lines.insert(3, json.dumps({"text": "x" * 3000}))
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert batch.stat().st_size > 2000
    items = list(read_articles([batch], max_bytes=2000))
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert [str(p) for p in problems] == [
        f"{batch}: line 4: article text: 3.0 kB is over the 2.0 kB limit; shorten it, remove the line or raise "
        "the limit with --max-bytes"
    ]
    assert sum(isinstance(i, Article) for i in items) == 50
    # one .txt file is one article: the file is the unit
    single = tmp_path / "one.txt"
    single.write_text("word " * 500, encoding="utf-8")
    assert [str(p) for p in read_articles([single], max_bytes=2000)] == [
        f"{single}: 2.5 kB is over the 2.0 kB limit; split the file or raise the limit with --max-bytes"
    ]


def test_a_jsonl_batch_is_read_line_by_line_so_one_bad_line_costs_only_itself(tmp_path: Path) -> None:
    """A .jsonl file streams (a 100k-article batch is ~300 MB): a line that is not UTF-8 is one bad
    input, the lines around it still land; a UTF-8 BOM is skipped, UTF-16 still decodes, and the
    cheap pre-count (the progress total) counts the items read_articles yields."""
    batch = tmp_path / "batch.jsonl"
    good = [json.dumps({"text": f"Article {i}: a bomb exploded near the market."}).encode() for i in range(3)]
    batch.write_bytes(b"\xef\xbb\xbf" + good[0] + b"\n" + b'{"text": "caf\xe9"}\n\n' + good[1] + b"\n" + good[2])
    items = list(read_articles([batch]))
    assert [str(i) for i in items if isinstance(i, InputProblem)] == [
        f"{batch}: line 2: not valid UTF-8 (invalid byte 0xe9 at column 14); re-save the input as UTF-8"]
    assert [i.source_file for i in items if isinstance(i, Article)] == [f"{batch}:1", f"{batch}:4", f"{batch}:5"]
    assert count_items([batch]) == len(items) == 4
    utf16 = tmp_path / "wide.jsonl"
    utf16.write_bytes(b"\n".join(good).decode().encode("utf-16"))
    assert [i.text for i in read_articles([utf16])] == [i.text for i in items if isinstance(i, Article)]
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b"\n  \n")
    assert [str(i) for i in read_articles([blank])] == [
        f"{blank}: empty article text; add the text or remove the file"]
    assert count_items([tmp_path / "x.json", batch]) is None and count_items(["-"]) is None


def test_push_reads_ahead_while_the_project_is_listed_bounded_and_in_order(tmp_path: Path) -> None:
    """push's Stream keeps reading while the server lists a large project (until it is done, or `limit`
    articles are held), and its batches still give every article once, in input order."""
    from incident_corpus.pipeline.push import PushResult, Stream
    from tests.helpers import write_articles

    src = write_articles(tmp_path / "many.jsonl", 2300)
    expected = [a.article_id for a in read_articles([src]) if isinstance(a, Article)]

    def stream() -> Stream:
        return Stream([src], max_bytes=10**7, stdin=None, result=PushResult(project="p", project_id=1),
                      progress=None, stage="read")

    s = stream()
    head = s.first(300)
    s.read_ahead(1000, until=lambda: False)  # the listing never finishes: stop at the limit
    assert len(head) == 1000
    assert [a.article_id for batch in s.batches(700) for a in batch] == expected
    calls: list[int] = []
    s = stream()
    s.first(300)
    s.read_ahead(10_000, until=lambda: calls.append(1) or len(calls) > 2)  # done after two more steps
    assert len(s._head) == 300 + 2 * 500
    assert [a.article_id for batch in s.batches(1000) for a in batch] == expected
    s = stream()
    s.first(300)
    s.read_ahead(10_000, until=lambda: False)  # the input ends first
    assert [a.article_id for batch in s.batches(5000) for a in batch] == expected
