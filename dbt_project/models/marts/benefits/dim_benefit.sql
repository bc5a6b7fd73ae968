{%- set attributes = [
    'kpi_id', 'objective_id', 'benefit_name', 'category', 'unit', 'direction', 'aggregation',
    'benefit_owner', 'currency', 'benefit_status', 'baseline_value', 'target_value', 'value_per_unit',
    'baseline_on', 'target_on'
] -%}

with

register as (

    select * from {{ ref('stg_benefits__register') }}

),

-- one row per benefit per snapshot date: the most recently ingested file version of that snapshot
latest_per_snapshot as (

    select *
    from register
    qualify row_number() over (
        partition by benefit_id, file_as_of
        order by ingested_at desc, source_file desc, source_ref desc
    ) = 1

),

versions as (

    {{ value_snapshot_versions('latest_per_snapshot', 'benefit_id', attributes) }}

),

final as (

    select
        {{ dbt.hash(dbt.concat(['benefit_id', "'|'", 'cast(valid_from as ' ~ dbt.type_string() ~ ')'])) }}
            as benefit_version_key,
        benefit_id,
        {% for column in attributes -%}
        {{ column }},
        {% endfor -%}
        category = 'dis_benefit' as is_dis_benefit,
        value_per_unit is not null as is_monetised,
        version_number,
        valid_from,
        valid_to,
        is_current,
        last_seen_on,
        source_file
    from versions

)

select * from final
