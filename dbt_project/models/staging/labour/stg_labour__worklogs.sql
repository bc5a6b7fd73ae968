with

source as (

    select * from {{ source('labour', 'worklogs') }}

),

renamed as (

    select
        nullif(trim(worklog_id), '') as worklog_id,
        lower(trim(source_format)) as source_format,
        upper(nullif(trim(issue_key), '')) as issue_key,
        upper(nullif(trim(project_key), '')) as project_key,
        upper(nullif(trim(epic_key), '')) as epic_key,
        upper(nullif(trim(parent_key), '')) as parent_key,
        nullif(trim(account_key), '') as account_key,
        account_name,
        activity,
        nullif(trim(person_id), '') as person_id,
        nullif(trim(person_name), '') as person_name,
        work_on,
        started_at,
        cast(hours as double) as hours,
        cast(billed_hours as double) as billed_hours,
        comment,
        attributes,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
