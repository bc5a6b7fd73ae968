-- Keys of every other system that identify a VRO project, from the latest registry snapshot:
-- the ';'-separated cells split into one row per key (trimmed, empty parts dropped). When the
-- registry gives one key to two projects, the lowest project_id keeps it and the conflict is
-- reported by the key_conflict_count column (tested).

with

registry as (

    select * from {{ ref('int_registry__snapshots') }}
    where is_latest_snapshot

),

positions as (

    select n + 1 as position from ({{ integer_series(2) }}) as s

),

cells as (

    select project_id, 'jira_project' as key_type, jira_project_keys as cell from registry
    union all
    select project_id, 'jira_epic' as key_type, jira_epic_keys as cell from registry
    union all
    select project_id, 'msproject_name' as key_type, msproject_names as cell from registry
    union all
    select project_id, 'finance_code' as key_type, finance_codes as cell from registry
    union all
    select project_id, 'tempo_account' as key_type, tempo_account_keys as cell from registry

),

split as (

    select
        cells.project_id,
        cells.key_type,
        trim({{ dbt.split_part('cells.cell', "';'", 'positions.position') }}) as key_value
    from cells
    inner join positions
        on positions.position <= length(cells.cell) - length(replace(cells.cell, ';', '')) + 1
    where cells.cell is not null

),

non_empty as (

    select distinct
        key_type,
        key_value,
        project_id
    from split
    where key_value is not null and key_value <> ''

),

keyed as (

    select
        key_type,
        key_value,
        project_id,
        count(*) over (partition by key_type, key_value) as key_conflict_count
    from non_empty

),

final as (

    select
        key_type,
        key_value,
        project_id,
        key_conflict_count
    from keyed
    qualify row_number() over (
        partition by key_type, key_value order by project_id asc
    ) = 1

)

select * from final
