"""A registry that cannot be used at all (issue 7, findings 7 and 14: empty, not UTF-8, not YAML,
alias bombs, nesting 5,000 deep, values the loader cannot build) stops `split` and the build and is
left untouched; `serve`'s preview goes on without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from qadocs.cli import main
from qadocs.core.build import generate
from qadocs.core.errors import ContentError
from qadocs.core.options import REGISTRY_NAME
from repos import registry_path as _registry
from repos import small_repo as _small_repo


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty", b""),
        ("blank", b"  \n\n"),
        ("utf16", "questions: []\n".encode("utf-16")),
        ("latin1", "questions:\n- id: caf\xe9\n".encode("latin-1")),
        ("not-yaml", b"questions: [\n"),
        ("conflict", b"questions:\n<<<<<<< HEAD\n- id: a\n=======\n- id: b\n>>>>>>> x\n"),
        ("scalar", b"just text\n"),
        (
            "alias-bomb",
            b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
            b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
            b"questions: [*h]\n",
        ),
        ("deep", b"questions: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
        ("bad-date", b"questions:\n- id: a\n  url: a/a\n  title: 2024-13-45\n"),
        ("bad-float", b"questions:\n- id: a\n  url: a/a\n  title: !!float abc\n"),
        ("bad-offset", b"questions:\n- id: a\n  url: a/a\n  title: 2024-01-01 10:00:00+99:00\n"),
    ],
)
def test_7_14_unusable_registry_stops_the_build_untouched(
    tmp_path: Path, name: str, data: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    opts = _small_repo(tmp_path / "repo")
    _registry(opts).write_bytes(data)
    with pytest.raises(ContentError) as exc:
        generate(opts, opts.repo_root / "out")
    assert exc.value.diagnostic.code == "registry-invalid"
    assert not (opts.repo_root / "out").exists()  # nothing was built
    assert _registry(opts).read_bytes() == data  # and the registry was left untouched
    assert main(["split", "--root", str(opts.repo_root), "--out", "out"]) == 1
    err = capsys.readouterr().err
    assert f"content/{REGISTRY_NAME}:" in err and "registry-invalid" in err and "Traceback" not in err
    assert main(["check", "--root", str(opts.repo_root)]) == 1
    assert "registry-invalid" in capsys.readouterr().out
    preview = generate(opts, opts.repo_root / "out", write_registry=False)  # `mkdocs serve` keeps serving
    assert "registry-invalid" in [d.code for d in preview.diagnostics] and len(preview.plan.questions) == 2
    assert _registry(opts).read_bytes() == data
