-- Type-2 history of the registry attributes: successive registry snapshots collapsed into versions.
-- A new version starts at the first snapshot whose attributes differ from the previous snapshot's;
-- valid_to_on is the last day in force (inclusive, the day before the next version's valid_from_on, as in
-- every history of the project), null for the current version. A project
-- missing from the latest snapshot keeps its last version open but is_current is false.

with

snapshots as (

    select * from {{ ref('int_registry__snapshots') }}

),

hashed as (

    select
        *,
        {{ dbt.hash(dbt.concat(
            value_coalesced_strings(registry_project_attributes() + registry_project_keys(), null_as='')
        )) }} as attributes_hash
    from snapshots

),

changes as (

    select
        *,
        coalesce(
            attributes_hash <> lag(attributes_hash) over (partition by project_id order by snapshot_on),
            true
        ) as is_change
    from hashed

),

versions as (

    select *
    from changes
    where is_change

),

final as (

    select
        {{ dbt.hash(dbt.concat(["project_id", "'|'", "cast(snapshot_on as " ~ dbt.type_string() ~ ")"])) }}
            as project_version_key,
        project_id,
        {{ registry_project_columns(with_is_closed=true) }},
        snapshot_on as valid_from_on,
        cast({{ dbt.dateadd('day', -1, 'lead(snapshot_on) over (partition by project_id order by snapshot_on)') }}
            as date) as valid_to_on,
        lead(snapshot_on) over (partition by project_id order by snapshot_on) is null
            and project_id in (select project_id from snapshots where is_latest_snapshot) as is_current,
        source_file
    from versions

)

select * from final
