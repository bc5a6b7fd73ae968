-- One row per VRO project with its current attributes from the latest registry snapshot.

with

registry as (

    select * from {{ ref('int_registry__snapshots') }}
    where is_latest_snapshot

),

final as (

    select
        project_id,
        {{ registry_project_columns(with_is_closed=true) }},
        snapshot_on,
        source_file
    from registry

)

select * from final
