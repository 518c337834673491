"""`verifier index info`: what an index covers, in words, from its `meta` table (no scan of the records)."""

from __future__ import annotations

from typing import Any

from verifier.references.snapshot import SnapshotIndex

TOP_VENUES = 12


def describe(index: SnapshotIndex) -> list[str]:
    """Lines saying what the index holds: sources, counts per origin and kind, dates, completeness, scope."""
    meta: dict[str, Any] = index.meta
    stats: dict[str, Any] = dict(meta.get("stats", {}))
    coverage = index.coverage()
    size = index.path.stat().st_size / 2 ** 20
    lines = [f"{index.path} ({size:,.1f} MB, format {meta.get('format')}): {meta.get('records'):,} records, "
             f"{meta.get('arxiv_records'):,} with arXiv ids, {stats.get('dois', 0):,} with DOIs",
             f"built {meta.get('built')}" + (f", last updated {meta.get('updated')}" if meta.get("updated") else "")]
    lines.append("complete: " + (
        "yes, declared at build for what it holds (absence from it is evidence inside the scope below)"
        if meta.get("complete") else "no (a record found is evidence; absence proves nothing)"))
    lines.append(f"scope: dates {coverage.first} to {coverage.last} (what a complete index speaks for; each "
                 f"kind's span below); fields "
                 f"{', '.join(sorted(coverage.fields)) or 'any'}; kinds {', '.join(sorted(coverage.kinds)) or 'none'}; "
                 f"{len(coverage.venues)} venues; answers {', '.join(sorted(c.value for c in coverage.capabilities))}")
    lines.append("origins: " + ", ".join(f"{k} {v:,}" for k, v in dict(meta.get("origins", {})).items()))
    dates = dict(stats.get("dates", {}))
    lines.append("kinds: " + ", ".join(
        f"{k} {v:,} ({dates[k][0]} to {dates[k][1]})" if k in dates else f"{k} {v:,}"
        for k, v in dict(stats.get("kinds", {})).items()))
    fields = sorted(dict(stats.get("fields", {})).items(), key=lambda kv: -kv[1])
    lines.append("fields: " + (", ".join(f"{k} {v:,}" for k, v in fields) or "none recorded"))
    venues = sorted(dict(stats.get("venues", {})).items(), key=lambda kv: -kv[1])
    if venues:
        more = f" and {len(venues) - TOP_VENUES} more" if len(venues) > TOP_VENUES else ""
        lines.append("venues: " + ", ".join(f"{k} {v:,}" for k, v in venues[:TOP_VENUES]) + more)
    files = list(meta.get("files", []))
    lines.append(f"sources ({len(files)} files):")
    lines += [f"  {f['file']}: {f['records']:,} records, {f['bytes'] / 2 ** 20:,.1f} MB, read {f['read']}"
              for f in files]
    return lines
