{%- set attributes = [
    'parent_objective_id', 'kpi_id', 'objective_name', 'objective_level', 'objective_owner',
    'target_value', 'target_on', 'active_from_on', 'active_to_on'
] -%}

with

objectives as (

    select * from {{ ref('stg_strategy__objectives') }}

),

final as (

    {{ value_snapshot_versions(
        'objectives', 'objective_id', attributes, version_key='objective_version_key'
    ) }}

)

select * from final
