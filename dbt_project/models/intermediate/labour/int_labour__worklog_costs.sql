-- Internal labour cost, one row per worklog of every loaded export (dbt_project/MEASURES.md, labour
-- cost), plus MS Project actual work as the fallback for a project with no worklog at all.
-- 1. Duplicates: the same worklog in two exports (Tempo and Jira, or two exports of one system) is
--    counted once. Rows match on worklog_id, else (when either lacks one) on issue, person (the
--    resolved person, the person_id or the person_name: a Jira CSV gives only the account id that
--    Tempo gives beside the full name), work date and hours; the winner is Tempo, then a row with a worklog_id, then the newest file
--    (file_as_of, ingested_at, sha256). Rows of one file never duplicate each other.
-- 2. Person: the `people` entry whose person is the worklog's person_id, else its person_name;
--    role and resource group are those of the people row in force on the work date.
-- 3. Project, first match against the latest registry: Tempo account (tempo_account_keys), the
--    epic or parent issue (jira_epic_keys), the WBS/PSP attribute (finance_codes), the Jira
--    project key (jira_project_keys). Epic, parent and project key come from the worklog, else
--    from the issue's latest version.
-- 4. Rate in force on the work date (valid_from to valid_to inclusive), most specific first:
--    person + project, person, role + project, role, resource group + project, resource group;
--    ties: the latest valid_from. No rate: unrated (cost null, never zero).
-- 5. Cost = hours x rate, to the cent, in the rate's currency; converted to the project's currency
--    (int_evm__project_currencies, the reporting currency without a schedule) and to the reporting
--    currency at the work date's rate, or the latest earlier one (as GL lines in
--    int_evm__actual_cost_daily), each amount to the cent.
-- MS Project fallback: for a project without any worklog at all, each assignment's actual work
-- added since the previous schedule snapshot (ActualWork), dated at the snapshot's status date,
-- person = the resource's name, rated as above. Only resources that are people of the `people`
-- template count: a generic resource (a team, a role) is no person to rate, and its cost is the
-- schedule's and the GL's business.

with

worklogs as (

    select * from {{ ref('stg_labour__worklogs') }}

),

rate_card_rows as (

    select * from {{ ref('stg_labour__rate_card') }}

),

people_rows as (

    select * from {{ ref('stg_labour__people') }}

),

issues as (

    select * from {{ ref('int_jira__issues_latest') }}

),

project_keys as (

    select * from {{ ref('int_project_keys') }}

),

currencies as (

    select * from {{ ref('int_evm__project_currencies') }}

),

snapshots as (

    select * from {{ ref('int_msproject__snapshots') }}
    where project_id is not null

),

assignments as (

    select * from {{ ref('stg_msproject__assignments') }}

),

resources as (

    select * from {{ ref('stg_msproject__resources') }}

),

{{ value_fx_ctes() }},

-- the rate card and the people list are templates: the latest snapshot states them whole
rate_card as (

    {{ value_latest_snapshot_rows('rate_card_rows', '1') }}

),

people as (

    {{ value_latest_snapshot_rows('people_rows', '1') }}

),

keyed as (

    select
        worklogs.*,
        substr(worklogs.file_sha256, 1, 16) || ':' || coalesce(worklogs.source_ref, '') || ':'
            || cast(row_number() over (
                partition by worklogs.file_sha256, worklogs.source_ref
                order by worklogs.worklog_id nulls last, worklogs.work_on, worklogs.started_at nulls last,
                    worklogs.person_id nulls last, worklogs.hours
            ) as varchar(20)) as worklog_key,
        case
            when worklogs.person_id in (select person from people) then worklogs.person_id
            when worklogs.person_name in (select person from people) then worklogs.person_name
            else coalesce(worklogs.person_id, worklogs.person_name)
        end as person,
        case when worklogs.source_format = 'tempo' then 0 else 1 end as source_rank
    from worklogs

),

ranked as (

    select
        *,
        row_number() over (
            order by source_rank, case when worklog_id is null then 1 else 0 end,
                file_as_of desc, ingested_at desc, file_sha256 desc, worklog_key
        ) as precedence
    from keyed

),

-- the best-ranked row of another file with the same worklog_id, else (either lacking an id) with
-- the same issue, person, work date and hours
duplicate_candidates as (

    select
        ranked.worklog_key,
        winner.worklog_key as duplicate_of_worklog_key,
        winner.precedence
    from ranked
    inner join ranked as winner
        on ranked.worklog_id = winner.worklog_id
        and ranked.file_sha256 <> winner.file_sha256
        and winner.precedence < ranked.precedence

    union all

    select
        ranked.worklog_key,
        winner.worklog_key as duplicate_of_worklog_key,
        winner.precedence
    from ranked
    inner join ranked as winner
        on ranked.issue_key = winner.issue_key
        and (ranked.person = winner.person or ranked.person_id = winner.person_id
            or ranked.person_name = winner.person_name)
        and ranked.work_on = winner.work_on
        and round(ranked.hours, 4) = round(winner.hours, 4)
        and ranked.file_sha256 <> winner.file_sha256
        and winner.precedence < ranked.precedence
        and (ranked.worklog_id is null or winner.worklog_id is null)

),

duplicates as (

    select worklog_key, duplicate_of_worklog_key
    from duplicate_candidates
    qualify row_number() over (partition by worklog_key order by precedence) = 1

),

with_issue as (

    select
        ranked.worklog_key,
        ranked.worklog_id,
        ranked.source_format,
        ranked.issue_key,
        coalesce(ranked.project_key, issues.project_key,
            nullif({{ dbt.split_part('ranked.issue_key', "'-'", 1) }}, '')) as project_key,
        coalesce(ranked.epic_key, issues.epic_key) as epic_key,
        coalesce(ranked.parent_key, issues.parent_key) as parent_key,
        ranked.account_key,
        {{ value_worklog_wbs_element('ranked.attributes') }} as wbs_element,
        ranked.person,
        ranked.person_id,
        ranked.person_name,
        ranked.work_on,
        ranked.hours,
        duplicates.duplicate_of_worklog_key,
        ranked.source_file,
        ranked.source_ref,
        ranked.file_sha256
    from ranked
    left join issues on ranked.issue_key = issues.issue_key
    left join duplicates on ranked.worklog_key = duplicates.worklog_key

),

mapped_worklogs as (

    select
        with_issue.*,
        coalesce(account.project_id, epic.project_id, parent.project_id, wbs.project_id, jira_project.project_id)
            as project_id,
        case
            when account.project_id is not null then 'tempo_account'
            when epic.project_id is not null then 'jira_epic'
            when parent.project_id is not null then 'jira_parent'
            when wbs.project_id is not null then 'finance_code'
            when jira_project.project_id is not null then 'jira_project'
        end as mapped_by
    from with_issue
    left join project_keys as account
        on account.key_type = 'tempo_account' and with_issue.account_key = account.key_value
    left join project_keys as epic
        on epic.key_type = 'jira_epic' and with_issue.epic_key = epic.key_value
    left join project_keys as parent
        on parent.key_type = 'jira_epic' and with_issue.parent_key = parent.key_value
    left join project_keys as wbs
        on wbs.key_type = 'finance_code' and with_issue.wbs_element = wbs.key_value
    left join project_keys as jira_project
        on jira_project.key_type = 'jira_project' and with_issue.project_key = jira_project.key_value

),

projects_with_worklogs as (

    select distinct project_id
    from mapped_worklogs
    where project_id is not null and duplicate_of_worklog_key is null

),

-- MS Project fallback: actual work per assignment added since the previous snapshot
assignment_work as (

    select
        snapshots.project_id,
        snapshots.project_name,
        snapshots.status_on,
        assignments.task_uid,
        assignments.resource_uid,
        resources.resource_name,
        assignments.source_file,
        assignments.source_ref,
        assignments.file_sha256,
        coalesce(assignments.actual_work_hours, 0) as actual_work_hours
    from snapshots
    inner join assignments
        on snapshots.file_sha256 = assignments.file_sha256
        and snapshots.project_name = assignments.project_name
    left join resources
        on assignments.file_sha256 = resources.file_sha256
        and assignments.project_name = resources.project_name
        and assignments.resource_uid = resources.resource_uid
    where snapshots.project_id not in (select project_id from projects_with_worklogs)
        and resources.resource_name in (select person from people)

),

assignment_increments as (

    select
        *,
        actual_work_hours - coalesce(lag(actual_work_hours) over (
            partition by project_name, task_uid, resource_uid order by status_on
        ), 0) as hours
    from assignment_work

),

schedule_work as (

    select
        'msp:' || substr(file_sha256, 1, 16) || ':' || cast(task_uid as varchar(20)) || ':'
            || cast(resource_uid as varchar(20)) as worklog_key,
        cast(null as varchar(100)) as worklog_id,
        'msproject' as source_format,
        cast(null as varchar(100)) as issue_key,
        cast(null as varchar(100)) as project_key,
        cast(null as varchar(100)) as epic_key,
        cast(null as varchar(100)) as parent_key,
        cast(null as varchar(100)) as account_key,
        cast(null as varchar(100)) as wbs_element,
        resource_name as person,
        cast(null as varchar(100)) as person_id,
        resource_name as person_name,
        status_on as work_on,
        hours,
        cast(null as varchar(100)) as duplicate_of_worklog_key,
        source_file,
        source_ref,
        file_sha256,
        project_id,
        'msproject_name' as mapped_by
    from assignment_increments
    where hours <> 0

),

work_items as (

    select * from mapped_worklogs
    union all
    select * from schedule_work

),

with_people as (

    select
        work_items.*,
        people.role,
        people.resource_group
    from work_items
    left join people
        on work_items.person = people.person
        and (people.valid_from is null or people.valid_from <= work_items.work_on)
        and (people.valid_to is null or people.valid_to >= work_items.work_on)
    qualify row_number() over (
        partition by work_items.worklog_key order by people.valid_from desc nulls last
    ) = 1

),

rate_matches as (

    select
        with_people.worklog_key,
        rate_card.hourly_rate,
        rate_card.currency as rate_currency,
        rate_card.valid_from as rate_valid_from,
        case
            when rate_card.person is not null and rate_card.project_id is not null then 1
            when rate_card.person is not null then 2
            when rate_card.role is not null and rate_card.project_id is not null then 3
            when rate_card.role is not null then 4
            when rate_card.project_id is not null then 5
            else 6
        end as rate_level
    from with_people
    inner join rate_card
        on rate_card.valid_from <= with_people.work_on
        and (rate_card.valid_to is null or rate_card.valid_to >= with_people.work_on)
        and (rate_card.project_id is null or rate_card.project_id = with_people.project_id)
        and (
            rate_card.person = with_people.person
            or rate_card.person = with_people.person_name
            or (rate_card.person is null and rate_card.role = with_people.role)
            or (rate_card.person is null and rate_card.role is null
                and rate_card.resource_group = with_people.resource_group)
        )

),

rates as (

    select *
    from rate_matches
    qualify row_number() over (
        partition by worklog_key order by rate_level, rate_valid_from desc, hourly_rate desc
    ) = 1

),

rated as (

    select
        with_people.*,
        rates.hourly_rate,
        rates.rate_currency,
        rates.rate_valid_from,
        case rates.rate_level
            when 1 then 'person_project'
            when 2 then 'person'
            when 3 then 'role_project'
            when 4 then 'role'
            when 5 then 'resource_group_project'
            when 6 then 'resource_group'
        end as rated_by,
        cast(round(with_people.hours * rates.hourly_rate, 2) as decimal(18, 2)) as cost_amount,
        coalesce(currencies.project_currency, '{{ value_reporting_currency() }}') as project_currency
    from with_people
    left join rates on with_people.worklog_key = rates.worklog_key
    left join currencies on with_people.project_id = currencies.project_id

),

converted as (

    select
        rated.*,
        {{ value_rate_to_reporting_columns('rated', 'rate_currency', 'work_on', 'rate', 'rate_fx_rate') }},
        {{ value_rate_to_reporting_columns('rated', 'project_currency', 'work_on', 'project', 'project_fx_rate') }}
    from rated
    {{ value_rate_to_reporting_join('rated', 'rate_currency', 'work_on', 'rate') }}
    {{ value_rate_to_reporting_join('rated', 'project_currency', 'work_on', 'project') }}

),

final as (

    select
        worklog_key,
        worklog_id,
        source_format,
        project_id,
        mapped_by,
        issue_key,
        project_key,
        epic_key,
        parent_key,
        account_key,
        wbs_element,
        person,
        person_id,
        person_name,
        role,
        resource_group,
        rated_by,
        duplicate_of_worklog_key,
        work_on,
        rate_valid_from as rate_valid_from_on,
        rate_fx_rate_on as fx_rate_on,
        cast(hours as double) as hours,
        cast(hourly_rate as double) as hourly_rate,
        rate_currency,
        cast(cost_amount as decimal(18, 2)) as cost_amount,
        project_currency,
        cast(round(case when project_id is not null then
            {{ value_to_project_currency('cost_amount', 'rate_currency', 'rate_fx_rate', 'project_currency', 'project_fx_rate') }}
        end, 2) as decimal(18, 2)) as cost_project_amount,
        '{{ value_reporting_currency() }}' as reporting_currency,
        cast(round(cost_amount * rate_fx_rate, 2) as decimal(18, 2)) as cost_reporting_amount,
        duplicate_of_worklog_key is not null as is_duplicate,
        hourly_rate is null as is_unrated,
        hourly_rate is not null and (rate_fx_rate is null or (project_id is not null
            and rate_currency <> project_currency and project_fx_rate is null)) as is_fx_missing,
        duplicate_of_worklog_key is null and project_id is not null and hourly_rate is not null
            and rate_fx_rate is not null
            and (rate_currency = project_currency or project_fx_rate is not null) as is_counted,
        source_file,
        source_ref,
        file_sha256
    from converted

)

select * from final
