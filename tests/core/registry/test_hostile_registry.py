"""A hand-edited registry (issue 7; findings 5-9, numbered as there): bad URLs, old URLs that are not
a list, two entries with one URL, a rename onto an index page, a symlinked registry, a write killed
midway. Each is a diagnostic, nothing is written outside the output and no question is lost. The
built-site findings are in tests/e2e/test_hostile.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from qadocs.core.build import generate
from qadocs.core.errors import ContentError
from qadocs.core.options import REGISTRY_NAME
from qadocs.core.plan.site import Options
from repos import registry_path as _registry
from repos import small_repo as _small_repo


def _outside_snapshot(root: Path, out: Path) -> set[str]:
    return {p.relative_to(root.parent).as_posix() for p in root.parent.rglob("*") if out not in p.parents and p != out}


def _built(tmp_path: Path) -> tuple[Options, Path, dict[str, object]]:
    opts = _small_repo(tmp_path / "repo")
    out = tmp_path / "repo" / "out"
    generate(opts, out)
    return opts, out, yaml.safe_load(_registry(opts).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "bad_url",
    ["../../../../tmp/x", "/", "", "questions.json", "s//x", "a/./b", "media/x", "A/B", "x/../../y", "题库/x"],
)
def test_5_8_bad_registry_url_is_reported_and_ignored(tmp_path: Path, bad_url: str) -> None:
    opts, out, data = _built(tmp_path)
    entries = data["questions"]  # type: ignore[index]
    good = entries[0]["url"]  # type: ignore[index]
    entries[0]["url"] = bad_url  # type: ignore[index]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    _registry(opts).write_text(text, encoding="utf-8")
    before = _outside_snapshot(opts.repo_root, out)
    result = generate(opts, out)
    assert _outside_snapshot(opts.repo_root, out) == before  # nothing written outside the output
    bad = [d for d in result.diagnostics if d.code == "registry-bad-url"]
    assert len(bad) == 1 and bad[0].line == 2 and bad[0].severity == "error", result.diagnostics
    assert _registry(opts).read_text(encoding="utf-8") == text  # left for a person to fix
    assert len(result.plan.questions) == 2  # nothing lost
    assert {q["url"] for q in result.plan.questions} >= {f"/{good}/"}  # the question keeps a page


def test_5_old_urls_that_are_not_a_list_are_refused(tmp_path: Path) -> None:
    opts, out, data = _built(tmp_path)
    for value in ("abc", 5, {"a": 1}):
        data["questions"][0]["old_urls"] = value  # type: ignore[index]
        _registry(opts).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        with pytest.raises(ContentError) as exc:
            generate(opts, out)
        assert exc.value.diagnostic.code == "registry-invalid" and "old_urls" in exc.value.diagnostic.message
        checked = generate(opts, None)  # a check reports it and goes on
        assert [d.code for d in checked.diagnostics] == ["registry-invalid"]


def test_8_two_entries_with_one_url_stop_a_build_and_lose_no_question(tmp_path: Path) -> None:
    opts, out, data = _built(tmp_path)
    entries = data["questions"]  # type: ignore[index]
    entries[1]["url"] = entries[0]["url"]  # type: ignore[index]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    _registry(opts).write_text(text, encoding="utf-8")
    second = text.splitlines().index("- id: " + str(entries[1]["id"])) + 1  # type: ignore[index]
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(ContentError) as exc:  # which question the URL was published for cannot be told
        generate(opts, out)
    assert (exc.value.diagnostic.code, exc.value.diagnostic.line) == ("registry-shared-url", second)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # nothing written
    assert _registry(opts).read_text(encoding="utf-8") == text
    for result in (generate(opts, None), generate(opts, out, write_registry=False)):  # a check, a preview
        assert [d.code for d in result.diagnostics if d.severity == "error"] == ["registry-shared-url"]
        assert len(result.plan.questions) == 2 and len({q["url"] for q in result.plan.questions}) == 2
    for q in result.plan.questions:
        assert (out / str(q["url"]).strip("/") / "index.md").is_file()
    assert _registry(opts).read_text(encoding="utf-8") == text


def test_9_renaming_onto_an_index_page_is_refused(tmp_path: Path) -> None:
    opts, out, data = _built(tmp_path)
    source_page = (out / "tiku" / "jichu" / "index.md").read_text(encoding="utf-8")
    data["questions"][0]["id"] = "jichu"  # type: ignore[index]  # the source page is tiku/jichu/
    _registry(opts).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = generate(opts, out)
    [bad] = [d for d in result.diagnostics if d.code == "registry-bad-id"]
    assert "another page of the site" in bad.message
    assert (out / "tiku" / "jichu" / "index.md").read_text(encoding="utf-8") == source_page


def test_6_symlinked_registry_is_never_followed(tmp_path: Path) -> None:
    opts = _small_repo(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere.yml"
    elsewhere.write_text("questions: []\ndeleted: []\n", encoding="utf-8")
    os.symlink(elsewhere, _registry(opts))
    with pytest.raises(ContentError) as exc:
        generate(opts, opts.repo_root / "out")
    assert "symbolic link" in exc.value.diagnostic.message
    assert elsewhere.read_text(encoding="utf-8") == "questions: []\ndeleted: []\n"
    assert _registry(opts).is_symlink()


def test_7_registry_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opts, out, _ = _built(tmp_path)
    before = _registry(opts).read_text(encoding="utf-8")
    (opts.content_dir / "题库" / "基础.md").write_text(
        '<h2 id="1.a">1.全新的题目</h2>\n\n全新的答案。\n', encoding="utf-8"
    )

    def killed(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # the process dies between writing the temp file and the rename

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        generate(opts, out)
    monkeypatch.undo()
    assert _registry(opts).read_text(encoding="utf-8") == before
    assert sorted(p.name for p in opts.content_dir.iterdir()) == [REGISTRY_NAME, "题库"]  # no temp file left
    generate(opts, out)
    assert "全新的题目" in _registry(opts).read_text(encoding="utf-8")
