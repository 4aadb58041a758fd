"""Write fitted values into a bundled scenario's YAML in place, keeping its comments (the
citations): shared by experiments/calibrate.py and experiments/settle_stocks.py."""

from __future__ import annotations

from pathlib import Path

from simgov.scenario import load_scenario, resolve_path


def nice(value: float) -> float:
    """Four significant figures: a fit's noise is far larger than that."""
    return float(f"{float(value):.4g}")


def write_values(name: str, values: dict[str, float], comment, record: tuple[str, dict] | None = None) -> Path:
    """``values`` (sweep paths -> numbers) into scenario ``name``'s file, each with the end-of-line
    comment ``comment(path)``, and ``record`` (a top-level key and its mapping) if given; the
    file is loaded again so that it still validates."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    path = resolve_path(name)
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)  # the bundled files' "  - item" style
    data = rt.load(path.read_text(encoding="utf-8"))
    for dotted, value in values.items():
        keys = dotted.split(".")
        node = data
        for key in keys[:-1]:
            if key not in node:
                node[key] = CommentedMap()
            node = node[key]
        node[keys[-1]] = nice(value)
        node.yaml_add_eol_comment(comment(dotted), keys[-1])
    if record is not None:
        data[record[0]] = record[1]
    with path.open("w", encoding="utf-8") as fh:
        rt.dump(data, fh)
    load_scenario(path)
    return path
