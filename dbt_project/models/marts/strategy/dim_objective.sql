{%- set attributes = [
    'parent_objective_id', 'kpi_id', 'objective_name', 'objective_level', 'objective_owner',
    'target_value', 'target_on', 'active_from_on', 'active_to_on'
] -%}

with

objectives as (

    select * from {{ ref('stg_strategy__objectives') }}

),

-- one row per objective per snapshot date: the most recently ingested file version of that snapshot
latest_per_snapshot as (

    select *
    from objectives
    qualify row_number() over (
        partition by objective_id, file_as_of
        order by ingested_at desc, source_file desc, source_ref desc
    ) = 1

),

versions as (

    {{ value_snapshot_versions('latest_per_snapshot', 'objective_id', attributes) }}

),

final as (

    select
        {{ dbt.hash(dbt.concat(['objective_id', "'|'", 'cast(valid_from as ' ~ dbt.type_string() ~ ')'])) }}
            as objective_version_key,
        objective_id,
        {% for column in attributes -%}
        {{ column }},
        {% endfor -%}
        version_number,
        valid_from,
        valid_to,
        is_current,
        last_seen_on,
        source_file
    from versions

)

select * from final
