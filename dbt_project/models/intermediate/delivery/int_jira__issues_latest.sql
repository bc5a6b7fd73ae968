-- Latest-wins Jira issues: one row per issue_key, the version with the latest updated_at, then
-- the latest ingested_at (a CSV and a REST page of the same issue at the same Updated: the one
-- ingested last wins; then the REST page over the CSV, then sha256).
--
-- Incremental: a run reads only the rows of file versions ingested since the last build, and lets
-- them compete with the current version of the issues they touch (an older export ingested late
-- loses to it). The pipeline rebuilds it in full when the dbt project changed since the last build.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='issue_key',
        on_schema_change='fail'
    )
}}

with

issues as (

    select * from {{ ref('stg_jira__issues') }}
    {{ value_ingested_since_last_build() }}

),

candidates as (

    {{ value_incremental_candidates('issues', 'issue_key') }}

),

final as (

    select *
    from candidates
    qualify row_number() over (
        partition by issue_key
        order by updated_at desc nulls last, ingested_at desc,
            case when export_format like 'rest%' then 0 else 1 end asc, file_sha256 desc
    ) = 1

)

select * from final
