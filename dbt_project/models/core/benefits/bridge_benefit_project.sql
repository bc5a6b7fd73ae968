with

attribution as (

    select * from {{ ref('stg_benefits__attribution') }}

),

-- the latest snapshot that mentions a benefit states all of its shares
latest_snapshot_per_benefit as (

    {{ value_latest_snapshot_rows('attribution', 'benefit_id') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat(['benefit_id', "'|'", 'project_id'])) }} as benefit_project_key,
        benefit_id,
        project_id,
        share,
        file_as_of as recorded_on,
        source_file,
        source_ref
    from latest_snapshot_per_benefit

)

select * from final
