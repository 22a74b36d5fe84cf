"""Links that last at scale: hundreds of questions retitled and rewritten at once keep their URLs
(the bigram pairing of similar titles past EXHAUSTIVE_PAIRS)."""

from __future__ import annotations

from pathlib import Path

from qadocs.core.build import generate
from qadocs.core.plan.site import Options


def test_retitled_and_rewritten_questions_keep_urls_at_scale(tmp_path: Path) -> None:
    """Past the all-pairs size the similar-title step finds pairs through shared bigrams: a typo
    fix plus a new answer still keeps every URL, and the planner never compares all pairs."""
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (root / "imgs").mkdir()
    topics = ["扩散模型", "注意力机制", "视频生成", "时序建模", "多模态对齐", "数据清洗", "模型蒸馏", "位置编码"]
    titles = [f"请比较{topics[n % 8]}在第{n}类场景中的表现与{topics[(n * 3) % 8]}的取舍" for n in range(600)]

    def write(edit: bool) -> list[dict[str, object]]:
        parts = []
        for n, title in enumerate(titles, start=1):
            shown = title.replace("表现", "表现情况") if edit else title
            parts.append(f'<h2 id="{n}.q">{n}.{shown}</h2>\n\n{"新" if edit else "旧"}答案 {n}。\n')
        (root / "content" / "a.md").write_text("\n".join(parts), encoding="utf-8")
        return generate(Options(root, root / "content", root / "imgs"), root / "out").plan.questions

    first = {q["title"]: q["url"] for q in write(False)}
    second = write(True)
    assert len(second) == 600
    assert [first[str(q["title"]).replace("表现情况", "表现")] for q in second] == [q["url"] for q in second]
