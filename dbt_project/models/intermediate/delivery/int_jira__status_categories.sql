-- The status category of each Jira status id, as the most recently updated issue in that status
-- reports it (changelog items often carry no category).

with

issues as (

    select * from {{ ref('stg_jira__issues') }}
    where status_id is not null and status_category is not null

),

final as (

    select
        status_id,
        status_name,
        status_category
    from issues
    qualify row_number() over (
        partition by status_id order by updated_at desc nulls last, ingested_at desc
    ) = 1

)

select * from final
