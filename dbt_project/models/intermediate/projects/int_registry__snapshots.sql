-- Registry rows per snapshot. Each registry file is a snapshot as of its file_as_of; when several
-- file versions share one snapshot date, the most recently ingested one wins. A project listed
-- twice in one file keeps its first row (by source_ref).

with

registry as (

    select * from {{ ref('stg_registry__projects') }}

),

file_versions as (

    select
        file_as_of,
        file_sha256,
        max(ingested_at) as ingested_at
    from registry
    group by file_as_of, file_sha256

),

snapshot_files as (

    select
        file_as_of,
        file_sha256
    from file_versions
    qualify row_number() over (
        partition by file_as_of order by ingested_at desc, file_sha256 desc
    ) = 1

),

snapshot_rows as (

    select registry.*
    from registry
    inner join snapshot_files
        on registry.file_sha256 = snapshot_files.file_sha256
    qualify row_number() over (
        partition by registry.file_sha256, registry.project_id
        order by registry.source_ref asc nulls last
    ) = 1

),

final as (

    select
        project_id,
        {{ registry_project_columns(status_expr='lower(trim(status))') }},
        file_as_of as snapshot_on,
        file_as_of = max(file_as_of) over () as is_latest_snapshot,
        file_sha256,
        source_file
    from snapshot_rows

)

select * from final
