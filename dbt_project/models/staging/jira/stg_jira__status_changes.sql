with

source as (

    select * from {{ source('jira', 'jira_status_changes') }}

),

renamed as (

    select
        issue_key,
        issue_id,
        history_id,
        changed_at,
        author,
        from_status_id,
        from_status_name,
        from_status_category,
        to_status_id,
        to_status_name,
        to_status_category,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
