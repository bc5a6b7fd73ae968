"""The dbt layers only look upstream: a model refs models of its own layer or of the layers before it
(staging -> intermediate -> core -> marts), so Dagster's groups draw in the order the data flows."""

from __future__ import annotations

import re
from pathlib import Path

MODELS = Path(__file__).resolve().parents[2] / "dbt_project" / "models"
LAYERS = ["staging", "intermediate", "core", "marts"]  # each a folder of models/ and a warehouse schema
REF = re.compile(r"""\bref\(\s*['"](\w+)['"]\s*\)""")


def _model_files() -> list[Path]:
    return sorted(p for p in MODELS.rglob("*") if p.suffix in (".sql", ".py"))


def test_every_model_sits_in_a_layer_folder():
    assert {p.relative_to(MODELS).parts[0] for p in _model_files()} == set(LAYERS)


def test_no_model_refs_a_later_layer():
    layer_of = {p.stem: p.relative_to(MODELS).parts[0] for p in _model_files()}
    backwards = [
        f"{path.stem} ({layer_of[path.stem]}) refs {ref} ({layer_of[ref]})"
        for path in _model_files()
        for ref in REF.findall(path.read_text(encoding="utf-8"))
        if LAYERS.index(layer_of[ref]) > LAYERS.index(layer_of[path.stem])
    ]
    assert backwards == []


def test_dims_facts_and_bridges_are_core_and_value_marts_are_marts():
    for path in _model_files():
        layer = path.relative_to(MODELS).parts[0]
        if path.stem.startswith(("dim_", "fct_", "bridge_")):
            assert layer == "core", path
        if path.stem.startswith("mart_"):
            assert layer == "marts", path
