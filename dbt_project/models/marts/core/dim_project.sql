-- One row per VRO project with its current attributes from the latest registry snapshot.

with

registry as (

    select * from {{ ref('int_registry__snapshots') }}
    where is_latest_snapshot

),

final as (

    select
        project_id,
        project_name,
        portfolio,
        programme,
        sponsor,
        manager,
        status,
        start_on,
        planned_finish_on,
        closed_on,
        coalesce(status in ('closed', 'cancelled') or closed_on is not null, false) as is_closed,
        jira_project_keys,
        jira_epic_keys,
        msproject_names,
        finance_codes,
        snapshot_on,
        source_file
    from registry

)

select * from final
