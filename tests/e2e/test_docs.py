"""`vro docs` writes dbt's documentation site as one file that opens offline."""

from __future__ import annotations

import json
import shutil

import yaml
from support.paths import REPO
from support.vro_command import vro


def _yaml_description(model: str, column: str) -> str:
    """The column's description as written in the dbt YAML (not as the command under test reads it)."""
    for path in (REPO / "dbt_project" / "models" / "marts").rglob("*.yml"):
        for node in yaml.safe_load(path.read_text()).get("models", []):
            if node["name"] == model:
                return next(c["description"] for c in node["columns"] if c["name"] == column)
    raise AssertionError(f"{model}.{column} is not in the marts' YAML")


def test_vro_docs_writes_one_offline_page_with_the_marts_and_their_column_descriptions(demo_run, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(demo_run.home / "warehouse.duckdb", home / "warehouse.duckdb")
    done = vro("docs", "--home", home, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    page = home / "docs" / "index.html"
    assert done.stdout.strip() == f"Docs written: open {page}"
    html = page.read_text(encoding="utf-8")
    assert '"name": "mart_value_scorecard"' in html  # the manifest is in the page
    description = _yaml_description("mart_benefits_realization", "realization_ratio")
    assert json.dumps(description)[1:-1] in html
    assert '"realization_ratio": {"type": "DOUBLE"' in html  # the catalog too: column types from the build
    assert '"send_anonymous_usage_stats": false' in html  # so the page sends no page views
    assert [p.name for p in (home / "docs").iterdir()] == ["index.html"]  # no temporary file left


def test_vro_docs_without_a_build_database_says_to_run_first(tmp_path):
    done = vro("docs", "--home", tmp_path / "home")
    assert done.returncode == 2
    warehouse = tmp_path / "home" / "warehouse.duckdb"
    assert done.stderr.strip() == f"vro: no build database at {warehouse}: run `vro run` first"
    assert not (tmp_path / "home" / "docs").exists()
