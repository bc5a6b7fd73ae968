-- Reconciliation checks, one row per finding (and one row per GL file and currency whether or not
-- it ties out): GL control totals vs loaded lines (to the cent), unmapped GL lines, Jira issues and
-- MS Project files, GL lines without an FX rate, rejected files and files with row rejects,
-- internal labour per project (hours and cost, duplicates dropped, whether it counts in AC),
-- unrated hours, worklogs on unmapped issues and labour without an FX rate, plus the value
-- engineer's int_reconciliation__value_checks. Only the latest ingested version of each
-- landing file is checked. is_issue says whether the row needs a person's attention.

with

control_totals as (

    select * from {{ ref('stg_ingest__gl_file_control_totals') }}

),

gl_lines as (

    select * from {{ ref('fct_gl_line') }}

),

jira_issues as (

    select * from {{ ref('fct_jira_issue') }}

),

schedules as (

    select * from {{ ref('int_msproject__snapshots') }}

),

manifest as (

    select * from {{ ref('stg_ingest__manifest') }}

),

rejects as (

    select * from {{ ref('stg_ingest__rejects') }}

),

value_checks as (

    select * from {{ ref('int_reconciliation__value_checks') }}

),

labour as (

    select * from {{ ref('fct_labour_cost') }}

),

gl_file_versions as (

    select source_file, file_sha256, max(ingested_at) as ingested_at
    from (
        select source_file, file_sha256, ingested_at from control_totals
        union all
        select source_file, file_sha256, ingested_at from gl_lines
    ) as versions
    group by source_file, file_sha256

),

latest_gl_file_versions as (

    select source_file, file_sha256
    from gl_file_versions
    qualify row_number() over (partition by source_file order by ingested_at desc, file_sha256 desc) = 1

),

expected_totals as (

    select
        control_totals.source_file,
        control_totals.file_sha256,
        upper(control_totals.currency) as currency,
        sum(control_totals.line_count) as expected_line_count,
        sum(control_totals.amount_total) as expected_amount,
        sum(control_totals.file_line_count) as file_line_count,
        sum(control_totals.rejected_line_count) as rejected_line_count
    from control_totals
    inner join latest_gl_file_versions
        on control_totals.file_sha256 = latest_gl_file_versions.file_sha256
    group by control_totals.source_file, control_totals.file_sha256, upper(control_totals.currency)

),

actual_totals as (

    select
        gl_lines.source_file,
        gl_lines.file_sha256,
        gl_lines.currency,
        count(*) as actual_line_count,
        sum(gl_lines.amount) as actual_amount
    from gl_lines
    inner join latest_gl_file_versions
        on gl_lines.file_sha256 = latest_gl_file_versions.file_sha256
    group by gl_lines.source_file, gl_lines.file_sha256, gl_lines.currency

),

gl_control_checks as (

    select
        'gl_control_total' as check_name,
        'gl_file' as entity_type,
        coalesce(expected_totals.source_file, actual_totals.source_file) as entity_id,
        coalesce(expected_totals.source_file, actual_totals.source_file) as source_file,
        coalesce(expected_totals.currency, actual_totals.currency) as currency,
        expected_totals.expected_amount,
        coalesce(actual_totals.actual_amount, 0) as actual_amount,
        coalesce(actual_totals.actual_amount, 0) - expected_totals.expected_amount as difference_amount,
        'control total ' || coalesce(cast(expected_totals.expected_line_count as {{ dbt.type_string() }}), 'missing')
            || ' lines, loaded in fct_gl_line '
            || cast(coalesce(actual_totals.actual_line_count, 0) as {{ dbt.type_string() }}) || ' lines'
            || coalesce(
                '; the file has ' || cast(expected_totals.file_line_count as {{ dbt.type_string() }})
                || ' lines = ' || cast(expected_totals.expected_line_count as {{ dbt.type_string() }})
                || ' loaded + ' || cast(expected_totals.rejected_line_count as {{ dbt.type_string() }})
                || ' rejected',
                ''
            )
            as detail,
        (
            expected_totals.expected_amount is null
            or coalesce(actual_totals.actual_amount, 0) <> expected_totals.expected_amount
            or coalesce(actual_totals.actual_line_count, 0) <> expected_totals.expected_line_count
        ) as is_issue
    from expected_totals
    full outer join actual_totals
        on expected_totals.file_sha256 = actual_totals.file_sha256
        and expected_totals.currency = actual_totals.currency

),

unmapped_gl_lines as (

    {% call value_gl_line_finding('gl_lines', 'unmapped_gl_line', 'project_id is null') -%}
        case when project_code is null or trim(project_code) = '' then 'GL line without a project code'
            else 'project code ' || project_code || ' is in no registry row' end
    {%- endcall %}

),

fx_missing_lines as (

    {% call value_gl_line_finding('gl_lines', 'fx_rate_missing', 'is_fx_missing') -%}
        'no ' || currency || ' rate on or before ' || cast(posting_on as {{ dbt.type_string() }})
            || ': reporting_amount is null'
    {%- endcall %}

),

unmapped_jira_issues as (

    select
        'unmapped_jira_issue' as check_name,
        'jira_issue' as entity_type,
        issue_key as entity_id,
        source_file,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(null as decimal(18, 2)) as expected_amount,
        cast(null as decimal(18, 2)) as actual_amount,
        cast(null as decimal(18, 2)) as difference_amount,
        'Jira project key ' || coalesce(project_key, '(none)') || ', epic ' || coalesce(epic_key, '(none)')
            || ', parent ' || coalesce(parent_key, '(none)') || ': none is in the registry' as detail,
        true as is_issue
    from jira_issues
    where project_id is null

),

unmapped_schedules as (

    select
        'unmapped_msproject_file' as check_name,
        'msproject_file' as entity_type,
        project_name as entity_id,
        source_file,
        currency,
        cast(null as decimal(18, 2)) as expected_amount,
        cast(null as decimal(18, 2)) as actual_amount,
        cast(null as decimal(18, 2)) as difference_amount,
        'MS Project name "' || coalesce(project_name, '') || '" (status date '
            || cast(status_on as {{ dbt.type_string() }}) || ') is in no registry row' as detail,
        true as is_issue
    from schedules
    where project_id is null

),

latest_manifest as (

    select *
    from manifest
    qualify row_number() over (partition by source_file order by ingested_at desc, file_sha256 desc) = 1

),

first_rejects as (

    select
        file_sha256,
        count(*) as reject_count,
        min(
            coalesce(source_ref, '') || ' column ' || coalesce(column_name, '(row)') || ' value "'
            || coalesce(value, '') || '": ' || coalesce(reason, '')
        ) as first_reject
    from rejects
    group by file_sha256

),

file_checks as (

    select
        case when latest_manifest.status = 'rejected' then 'file_rejected' else 'row_rejects' end as check_name,
        'file' as entity_type,
        latest_manifest.source_file as entity_id,
        latest_manifest.source_file,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(null as decimal(18, 2)) as expected_amount,
        cast(null as decimal(18, 2)) as actual_amount,
        cast(null as decimal(18, 2)) as difference_amount,
        case
            when latest_manifest.status = 'rejected'
                then 'file rejected: ' || coalesce(latest_manifest.message, '(no message)')
            else cast(coalesce(latest_manifest.rows_read, 0) as {{ dbt.type_string() }}) || ' rows read, '
                || cast(coalesce(latest_manifest.rows_loaded, 0) as {{ dbt.type_string() }}) || ' loaded, '
                || cast(coalesce(latest_manifest.rows_rejected, 0) as {{ dbt.type_string() }}) || ' rejected'
                || coalesce('; first: ' || first_rejects.first_reject, '')
        end as detail,
        true as is_issue
    from latest_manifest
    left join first_rejects
        on latest_manifest.file_sha256 = first_rejects.file_sha256
    where latest_manifest.status = 'rejected' or latest_manifest.rows_rejected > 0

),

value_check_rows as (

    select
        check_name,
        entity_type,
        entity_id,
        source_file,
        currency,
        expected_amount,
        actual_amount,
        difference_amount,
        detail,
        is_issue
    from value_checks

),

labour_projects as (

    select
        project_id,
        sum(case when is_counted then hours else 0 end) as counted_hours,
        sum(case when is_counted then cost_reporting_amount else 0 end) as counted_amount,
        sum(case when is_counted then 1 else 0 end) as counted_count,
        sum(case when is_duplicate then 1 else 0 end) as duplicate_count,
        sum(case when is_duplicate then hours else 0 end) as duplicate_hours,
        sum(case when not is_duplicate and is_unrated then hours else 0 end) as unrated_hours,
        max(source_file) as source_file
    from labour
    where project_id is not null
    group by project_id

),

labour_cost_rows as (

    select
        'labour_cost' as check_name,
        'project' as entity_type,
        project_id as entity_id,
        cast(null as {{ dbt.type_string() }}) as source_file,
        '{{ value_reporting_currency() }}' as currency,
        cast(null as decimal(18, 2)) as expected_amount,
        cast(counted_amount as decimal(18, 2)) as actual_amount,
        cast(null as decimal(18, 2)) as difference_amount,
        cast(round(counted_hours, 2) as {{ dbt.type_string() }}) || ' hours costed in '
            || cast(counted_count as {{ dbt.type_string() }}) || ' worklogs'
            || case when duplicate_count > 0 then '; ' || cast(duplicate_count as {{ dbt.type_string() }})
                || ' duplicate worklogs (' || cast(round(duplicate_hours, 2) as {{ dbt.type_string() }}) || ' hours) counted once'
                else '' end
            || case when unrated_hours > 0 then '; ' || cast(round(unrated_hours, 2) as {{ dbt.type_string() }})
                || ' hours unrated (not costed)' else '' end
            || {% if value_labour_in_ac() %}'; counted in actual cost (labour_cost_in_ac)'
            {%- else %}'; shown beside actual cost, not added (labour_cost_in_ac is false)'{%- endif %}
            as detail,
        false as is_issue,
        counted_hours as hours
    from labour_projects

),

unrated_hours as (

    select
        'unrated_hours' as check_name,
        'person' as entity_type,
        project_id || ' / ' || coalesce(person, '(no person)') as entity_id,
        max(source_file) as source_file,
        cast(null as {{ dbt.type_string() }}) as currency,
        cast(null as decimal(18, 2)) as expected_amount,
        cast(null as decimal(18, 2)) as actual_amount,
        cast(null as decimal(18, 2)) as difference_amount,
        cast(round(sum(hours), 2) as {{ dbt.type_string() }}) || ' hours in ' || cast(count(*) as {{ dbt.type_string() }})
            || ' worklogs from ' || cast(min(work_on) as {{ dbt.type_string() }}) || ' to ' || cast(max(work_on) as {{ dbt.type_string() }})
            || ' have no rate in force (person, role ' || coalesce(max(role), '(none)')
            || ', resource group ' || coalesce(max(resource_group), '(none)')
            || '): add the person, role or group to the rate card; they are not costed' as detail,
        true as is_issue,
        sum(hours) as hours
    from labour
    where is_unrated and not is_duplicate and project_id is not null
    group by project_id, person

),

unmapped_worklogs as (

    select
        'unmapped_worklog' as check_name,
        'worklog_issue' as entity_type,
        coalesce(issue_key, account_key, '(no issue)') as entity_id,
        max(source_file) as source_file,
        '{{ value_reporting_currency() }}' as currency,
        cast(null as decimal(18, 2)) as expected_amount,
        cast(sum(cost_reporting_amount) as decimal(18, 2)) as actual_amount,
        cast(null as decimal(18, 2)) as difference_amount,
        cast(count(*) as {{ dbt.type_string() }}) || ' worklogs, ' || cast(round(sum(hours), 2) as {{ dbt.type_string() }})
            || ' hours: Jira project key ' || coalesce(max(project_key), '(none)')
            || ', epic ' || coalesce(max(epic_key), '(none)') || ', parent ' || coalesce(max(parent_key), '(none)')
            || ', Tempo account ' || coalesce(max(account_key), '(none)')
            || ', WBS ' || coalesce(max(wbs_element), '(none)') || ': none is in the registry' as detail,
        true as is_issue,
        sum(hours) as hours
    from labour
    where project_id is null and not is_duplicate
    group by coalesce(issue_key, account_key, '(no issue)')

),

labour_fx_missing as (

    select
        'labour_fx_rate_missing' as check_name,
        'project' as entity_type,
        project_id as entity_id,
        max(source_file) as source_file,
        rate_currency as currency,
        cast(null as decimal(18, 2)) as expected_amount,
        cast(sum(cost_amount) as decimal(18, 2)) as actual_amount,
        cast(null as decimal(18, 2)) as difference_amount,
        cast(count(*) as {{ dbt.type_string() }}) || ' worklogs costed in ' || rate_currency
            || ' have no rate to ' || max(project_currency) || ' or the reporting currency on or before '
            || cast(max(work_on) as {{ dbt.type_string() }}) || ': left out of actual cost' as detail,
        true as is_issue,
        sum(hours) as hours
    from labour
    where is_fx_missing and not is_duplicate and project_id is not null
    group by project_id, rate_currency

),

unioned as (

    select * from gl_control_checks
    union all
    select * from unmapped_gl_lines
    union all
    select * from fx_missing_lines
    union all
    select * from unmapped_jira_issues
    union all
    select * from unmapped_schedules
    union all
    select * from file_checks
    union all
    select * from value_check_rows

),

with_hours as (

    select unioned.*, cast(null as double) as hours from unioned
    union all
    select * from labour_cost_rows
    union all
    select * from unrated_hours
    union all
    select * from unmapped_worklogs
    union all
    select * from labour_fx_missing

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "check_name", "'|'", "coalesce(entity_type, '')", "'|'", "coalesce(entity_id, '')", "'|'",
            "coalesce(source_file, '')", "'|'", "coalesce(currency, '')"
        ])) }} as check_key,
        cast(check_name as {{ dbt.type_string() }}) as check_name,
        cast(entity_type as {{ dbt.type_string() }}) as entity_type,
        cast(entity_id as {{ dbt.type_string() }}) as entity_id,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(expected_amount as decimal(18, 4)) as expected_amount,
        cast(actual_amount as decimal(18, 4)) as actual_amount,
        cast(difference_amount as decimal(18, 4)) as difference_amount,
        cast(detail as {{ dbt.type_string() }}) as detail,
        cast(is_issue as boolean) as is_issue,
        cast(hours as double) as hours,
        '{{ value_reporting_currency() }}' as reporting_currency
    from with_hours

)

select * from final
