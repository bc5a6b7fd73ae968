{%- set attributes = [
    'kpi_id', 'objective_id', 'benefit_name', 'category', 'unit', 'direction', 'aggregation',
    'benefit_owner', 'currency', 'benefit_status', 'baseline_value', 'target_value', 'value_per_unit',
    'baseline_on', 'target_on'
] -%}

with

register as (

    select * from {{ ref('stg_benefits__register') }}

),

final as (

    {{ value_snapshot_versions(
        'register', 'benefit_id', attributes, version_key='benefit_version_key',
        extra_columns=[
            "category = 'dis_benefit' as is_dis_benefit",
            'value_per_unit is not null as is_monetised'
        ]
    ) }}

)

select * from final
