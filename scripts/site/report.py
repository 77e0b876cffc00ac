"""Stage: the build report (build/report.md and build/report.json), written by every build.

It lists, per text, every removal, join, correction, damaged place and warning with counts, so that
an editor can review what the edition changed without reading the code.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

KINDS = ("removal", "join", "correction", "damage", "warning")


def write_report(folder: Path, docs: list, pages: list, public: bool) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# Build report", "", f"Edition: {'public-web' if public else 'classroom (full text)'}; "
             f"{len(pages)} pages generated.", "", "| Text | " + " | ".join(KINDS) + " |",
             "|---|" + "---|" * len(KINDS)]
    data = {"public": public, "pages": len(pages), "texts": {}}
    for doc, _entry, _cite in docs:
        counts = Counter(e.kind for e in doc.edits)
        lines.append(f"| {doc.id} | " + " | ".join(str(counts.get(k, 0)) for k in KINDS) + " |")
        data["texts"][doc.id] = {
            "counts": {k: counts.get(k, 0) for k in KINDS},
            "by_rule": dict(Counter(f"{e.kind}:{e.rule}" for e in doc.edits)),
            "notes": {p.slug: len(p.notes) for p in doc.parts if p.notes},
            "edits": [dict(vars(e)) for e in doc.edits],   # flat str/int fields: asdict's deep copy is not needed
        }
    lines.append("")
    for doc, _entry, _cite in docs:
        lines += [f"## {doc.id}: {doc.title}", ""]
        by_rule = Counter((e.kind, e.rule) for e in doc.edits)
        removed = Counter()
        for e in doc.edits:
            if e.kind == "removal":
                removed[e.rule] += len(e.before.split())
        for (kind, rule), n in sorted(by_rule.items()):
            lines.append(f"- {kind}: `{rule}` × {n}" + (f" ({removed[rule]} words)" if kind == "removal" else ""))
        lines.append("")
        for e in doc.edits:
            if e.kind in ("warning", "damage"):
                lines.append(f"- **{e.kind}** line {e.line}: {e.note or e.before}")
        lines.append("")
    (folder / "report.md").write_text("\n".join(lines), encoding="utf-8")
    # without indent: json's C encoder (the indented form is written by its Python one, 0.1 s of every
    # regeneration while serving for 1.5 MB of edits); report.md is the form to read
    (folder / "report.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    total = sum(len(doc.edits) for doc, _, _ in docs)
    warnings = sum(1 for doc, _, _ in docs for e in doc.edits if e.kind == "warning")
    return {"pages": len(pages), "texts": len(docs), "edits": total, "warnings": warnings}
