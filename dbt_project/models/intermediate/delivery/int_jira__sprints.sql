-- One row per Jira sprint id: its name, board, state and dates as the most recently ingested
-- export that carries the sprint's id reports them (CSV exports name sprints without ids or dates).

with

memberships as (

    select * from {{ ref('stg_jira__sprint_memberships') }}
    where sprint_id is not null

),

final as (

    select
        sprint_id,
        sprint_name,
        board_id,
        sprint_state,
        sprint_start_at,
        sprint_end_at,
        sprint_complete_at
    from memberships
    qualify row_number() over (
        partition by sprint_id
        order by ingested_at desc, file_as_of desc nulls last, file_sha256 desc, source_ref desc
    ) = 1

)

select * from final
