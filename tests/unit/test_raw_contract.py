"""The raw-zone contract (ingest/contract.py) is the one place a raw table is described: the dbt
sources YAML is generated from it and the staging models read exactly its tables."""

import re

import pyarrow as pa
import pytest
import yaml

from ingest.contract import DBT_SOURCES, LINEAGE_COLUMNS, RAW_CONTRACT, RAW_TABLES, full_schema
from ingest.dbt_sources import STAGING_DIR, sources_path, sources_yaml
from ingest.parsers.formats import SOURCES


@pytest.mark.parametrize("source", DBT_SOURCES)
def test_sources_yaml_is_what_the_contract_generates(source):
    path = sources_path(source)
    assert path.exists() and path.read_text() == sources_yaml(source), (
        f"{path} disagrees with ingest/contract.py: run `make sources` (python -m ingest.dbt_sources)"
    )


def test_sources_yaml_lists_every_raw_table_with_its_columns_and_asset_key():
    """Read back as dbt reads it: the tables, their columns in order, the Dagster asset keys."""
    found = {}
    for path in sorted(STAGING_DIR.rglob("_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            assert path == sources_path(source["name"])  # one file per source, in its staging folder
            for table in source["tables"]:
                found[table["name"]] = (
                    source["name"],
                    [c["name"] for c in table["columns"]],
                    table["meta"]["dagster"]["asset_key"],
                )
    expected = {
        name: (t.dbt_source, full_schema(name).names, ["raw", name]) for name, t in RAW_CONTRACT.items()
    }
    assert found == expected
    assert full_schema("rate_card").names[-len(LINEAGE_COLUMNS) :] == [c.name for c in LINEAGE_COLUMNS]


def test_staging_models_read_the_contract_tables_from_their_own_source():
    reads = {}
    for sql in STAGING_DIR.rglob("*.sql"):
        for source, table in re.findall(r"source\('(\w+)', '(\w+)'\)", sql.read_text()):
            assert source == sql.parent.name, f"{sql.name} reads {source}.{table} from another folder"
            reads[table] = source
    assert reads == {name: t.dbt_source for name, t in RAW_CONTRACT.items()}


def test_every_landing_source_writes_raw_tables_and_every_table_has_one_owner():
    written = {s for t in RAW_CONTRACT.values() for s in t.written_by}
    assert written == set(SOURCES)
    assert RAW_CONTRACT["worklogs"].written_by == ("worklogs", "jira")  # Tempo's folder owns it
    assert [n for n, t in RAW_CONTRACT.items() if not t.written_by] == ["rejects", "ingest_manifest"]


def test_schemas_are_the_columns_without_descriptions():
    assert RAW_TABLES["fx_rates"] == pa.schema(
        [
            pa.field("rate_on", pa.date32()),
            pa.field("from_currency", pa.string()),
            pa.field("to_currency", pa.string()),
            pa.field("rate", pa.float64()),
        ]
    )
    assert RAW_CONTRACT["jira_issues"].columns[7].description == "new | indeterminate | done"
