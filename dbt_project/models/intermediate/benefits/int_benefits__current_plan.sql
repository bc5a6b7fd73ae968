with

plan as (

    select * from {{ ref('stg_benefits__plan') }}

),

-- the latest snapshot (file_as_of, then ingested_at) that mentions a benefit holds its whole profile
latest_snapshot_per_benefit as (

    {{ value_latest_snapshot_rows('plan', 'benefit_id') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat(['benefit_id', "'|'", 'cast(month_start_on as ' ~ dbt.type_string() ~ ')'])) }}
            as benefit_month_key,
        benefit_id,
        month_start_on,
        planned_value,
        file_as_of as recorded_on,
        source_file,
        source_ref
    from latest_snapshot_per_benefit

)

select * from final
