-- Latest-wins Jira issues: one row per issue_key, the version with the latest updated_at, then
-- the latest ingested_at (a CSV and a REST page of the same issue at the same Updated: the one
-- ingested last wins; then the REST page over the CSV, then sha256).

with

issues as (

    select * from {{ ref('stg_jira__issues') }}

),

final as (

    select *
    from issues
    qualify row_number() over (
        partition by issue_key
        order by updated_at desc nulls last, ingested_at desc,
            case when export_format like 'rest%' then 0 else 1 end asc, file_sha256 desc
    ) = 1

)

select * from final
