with

alignment as (

    select * from {{ ref('stg_strategy__alignment') }}

),

-- the latest snapshot that mentions a project states its whole effective-dated alignment
latest_snapshot_per_project as (

    {{ value_latest_snapshot_rows('alignment', 'project_id') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'project_id', "'|'", 'objective_id', "'|'",
            'cast(effective_from_on as ' ~ dbt.type_string() ~ ')'
        ])) }} as project_objective_key,
        project_id,
        objective_id,
        weight,
        effective_from_on as valid_from_on,
        effective_to_on as valid_to_on,
        file_as_of as recorded_on,
        source_file,
        source_ref
    from latest_snapshot_per_project

)

select * from final
