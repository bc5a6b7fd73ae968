-- Which sprints each Jira issue was a member of: one row per (issue_key, sprint_id), from the
-- issue's most recent version that lists any sprint (the latest-wins order of
-- int_jira__issues_latest: updated_at, then ingested_at, then REST over CSV, then sha256). Jira keeps
-- closed sprints in an issue's Sprint field, so the latest list holds every sprint the issue was in.
-- A CSV export names sprints without ids: the id is resolved by name when exactly one sprint of
-- int_jira__sprints has that name (else the row is kept with a null sprint_id).

with

memberships as (

    select * from {{ ref('stg_jira__sprint_memberships') }}
    where sprint_id is not null or sprint_name is not null

),

issue_versions as (

    select * from {{ ref('stg_jira__issues') }}

),

sprints as (

    select * from {{ ref('int_jira__sprints') }}

),

unique_names as (

    select
        sprint_name,
        min(sprint_id) as sprint_id
    from sprints
    group by sprint_name
    having count(*) = 1

),

versions_with_sprints as (

    select distinct
        memberships.issue_key,
        memberships.file_sha256,
        issue_versions.updated_at,
        issue_versions.ingested_at,
        issue_versions.export_format
    from memberships
    inner join issue_versions
        on memberships.issue_key = issue_versions.issue_key
        and memberships.file_sha256 = issue_versions.file_sha256

),

latest_version as (

    select issue_key, file_sha256
    from versions_with_sprints
    qualify row_number() over (
        partition by issue_key
        order by updated_at desc nulls last, ingested_at desc,
            case when export_format like 'rest%' then 0 else 1 end asc, file_sha256 desc
    ) = 1

),

resolved as (

    select
        memberships.issue_key,
        coalesce(memberships.sprint_id, unique_names.sprint_id) as sprint_id,
        memberships.sprint_name
    from memberships
    inner join latest_version
        on memberships.issue_key = latest_version.issue_key
        and memberships.file_sha256 = latest_version.file_sha256
    left join unique_names
        on memberships.sprint_id is null
        and memberships.sprint_name = unique_names.sprint_name

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "issue_key", "'|'", "coalesce(sprint_id, '')", "'|'", "coalesce(sprint_name, '')"
        ])) }} as sprint_membership_key,
        issue_key,
        sprint_id,
        sprint_name
    from resolved
    group by issue_key, sprint_id, sprint_name

)

select * from final
