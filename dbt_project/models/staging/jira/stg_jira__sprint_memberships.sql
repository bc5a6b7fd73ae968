with

source as (

    select * from {{ source('jira', 'jira_sprint_membership') }}

),

renamed as (

    select
        issue_key,
        sprint_id,
        sprint_name,
        sprint_state,
        board_id,
        sprint_start_at,
        sprint_end_at,
        sprint_complete_at,
        {{ value_lineage_columns() }}
    from source

),

final as (

    select * from renamed

)

select * from final
