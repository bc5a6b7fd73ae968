"""The Dagster UI on the project's definitions: the webserver's GraphQL asset graph, and the lineage
page rendered by headless Chromium (screenshot and DOM under test-artifacts/ui/).

Slow by nature: the webserver loads the definitions in a code server (~20-60 s on a busy machine).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import deque
from pathlib import Path

import pytest
from support import paths
from support.chromium import CHROMIUM, CHROMIUM_ARGS, chromium_path, require_chromium
from support.ui_server import Webserver, webserver

ARTIFACTS = paths.ARTIFACTS / "ui"
ASSET_GRAPH = "{ assetNodes { assetKey { path } groupName dependencyKeys { path } } }"


@pytest.fixture(scope="module")
def ui(tmp_path_factory) -> Webserver:
    base = tmp_path_factory.mktemp("ui")
    dagster_home = base / "dagster"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    (base / "landing").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VRO_", "DAGSTER_"))}
    env.update(
        DAGSTER_HOME=str(dagster_home),
        VRO_HOME=str(base / "home"),
        VRO_LANDING=str(base / "landing"),
        DO_NOT_TRACK="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    with webserver(base, env) as server:
        yield server


@pytest.fixture(scope="module")
def graph(ui) -> dict[str, dict]:
    nodes = ui.graphql(ASSET_GRAPH)["assetNodes"]
    return {
        "/".join(n["assetKey"]["path"]): {
            "group": n["groupName"],
            "deps": {"/".join(d["path"]) for d in n["dependencyKeys"]},
        }
        for n in nodes
    }


def upstream_of(graph: dict[str, dict], key: str) -> set[str]:
    seen: set[str] = set()
    todo = deque([key])
    while todo:
        for dep in graph[todo.popleft()]["deps"]:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def between(graph: dict[str, dict], source: str, target: str) -> set[str]:
    """The assets on some path from source down to target."""
    return {k for k in upstream_of(graph, target) if source in upstream_of(graph, k)}


@pytest.mark.parametrize(
    ("mart", "ingest"),
    [
        ("mart_project_evm", "raw/msp_tasks"),
        ("mart_project_evm", "raw/gl_line_items"),
        ("mart_benefits_realization", "raw/benefits_register"),
    ],
)
def test_mart_depends_on_ingest_through_dbt_models(graph, mart, ingest):
    assert graph[ingest]["group"] == "ingest"
    assert graph[mart]["group"] == "marts"
    assert ingest in upstream_of(graph, mart), (
        f"{mart} does not depend on {ingest}: {sorted(graph[mart]['deps'])}"
    )
    assert ingest not in graph[mart]["deps"]  # not a shortcut edge: through the models
    path = between(graph, ingest, mart)
    groups = {graph[k]["group"] for k in path}
    assert "staging" in groups, f"no staging model between {ingest} and {mart}: {sorted(path)}"
    assert any(k.startswith("stg_") for k in path)
    if mart == "mart_project_evm":
        # the layers between: msp_tasks reaches the EVM through fct_task_baseline (core), the GL lines
        # through int_gl__lines_latest (intermediate)
        assert groups & {"intermediate", "core"}, (
            f"no model of a middle layer between {ingest} and {mart}: {sorted(path)}"
        )


def test_graph_holds_every_ingest_asset_and_publish_last(graph):
    ingest = sorted(k for k, v in graph.items() if v["group"] == "ingest")
    assert ingest == [  # one asset per raw table
        "raw/benefits_attribution",
        "raw/benefits_measurements",
        "raw/benefits_plan",
        "raw/benefits_register",
        "raw/budgets",
        "raw/fx_rates",
        "raw/gl_file_control_totals",
        "raw/gl_line_items",
        "raw/ingest_manifest",
        "raw/jira_issues",
        "raw/jira_sprint_membership",
        "raw/jira_status_changes",
        "raw/msp_assignments",
        "raw/msp_extended_attributes",
        "raw/msp_predecessor_links",
        "raw/msp_projects",
        "raw/msp_resources",
        "raw/msp_task_baselines",
        "raw/msp_tasks",
        "raw/people",
        "raw/portfolio_scenarios",
        "raw/rate_card",
        "raw/registry_projects",
        "raw/rejects",
        "raw/strategy_alignment",
        "raw/strategy_objectives",
        "raw/worklogs",
    ]
    assert graph["raw/worklogs"]["deps"] == {"raw/jira_issues"}  # Jira's worklogs land first
    assert graph["publish"]["group"] == "publish"
    assert {"mart_project_evm", "mart_benefits_realization"} <= graph["publish"]["deps"]
    assert not any("publish" in v["deps"] for v in graph.values())  # nothing downstream of publish


def _chromium(url: str, profile: Path, *mode: str) -> subprocess.CompletedProcess:
    cmd = [
        chromium_path() or CHROMIUM,
        "--headless",
        *CHROMIUM_ARGS,
        f"--user-data-dir={profile}",
        *mode,
        "--window-size=1600,2000",  # tall: the whole lineage fits at a zoom that still shows names
        "--virtual-time-budget=60000",  # the layout of ~500 nodes runs in a worker: slow on a busy machine
        url,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def test_lineage_page_renders_the_graph(request, tmp_path):
    require_chromium()
    ui: Webserver = request.getfixturevalue("ui")  # after the check: no server start just to skip
    # Mark the first-visit "join the community" dialog as seen, so it does not cover the graph.
    assert ui.graphql("mutation { setNuxSeen }")["setNuxSeen"] is True
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot, dom_file = ARTIFACTS / "publish_lineage.png", ARTIFACTS / "publish_lineage.html"
    shot.unlink(missing_ok=True)
    url = f"{ui.url}/assets/publish?view=lineage&lineageScope=upstream&lineageDepth=8"
    # On a busy machine the first load of a cold server may still show a spinner when the virtual
    # time budget ends: take the screenshot and the DOM again (both, to keep them consistent).
    for attempt in range(4):
        shot_run = _chromium(url, tmp_path / f"profile{attempt}", f"--screenshot={shot}")
        assert shot_run.returncode == 0, shot_run.stderr[-2000:]
        dom_run = _chromium(url, tmp_path / f"profile{attempt}", "--dump-dom")
        assert dom_run.returncode == 0, dom_run.stderr[-2000:]
        dom = dom_run.stdout
        dom_file.write_text(dom)
        node_names = set(re.findall(r'class="AssetNode_assetName[^"]*">([^<]+)<', dom))
        if node_names:
            break
    assert shot.stat().st_size > 20_000, f"{shot} looks empty"
    # Asset nodes of the graph (not just the page title): publish and the sources far upstream.
    assert "publish" in node_names, f"no publish node in {dom_file}; nodes: {sorted(node_names)[:20]}"
    assert {"msp_tasks", "gl_line_items", "benefits_register", "mart_project_evm"} <= node_names
    assert "Empty graph" not in dom
