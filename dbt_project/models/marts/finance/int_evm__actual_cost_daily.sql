-- Actual cost per project and day in the project's currency (int_evm__project_currencies; the
-- reporting currency for a project without a schedule), in two parts:
-- GL: lines by posting date. A line in another currency converts at its posting date's rate (or
-- the latest earlier one), cross rate via the reporting currency: amount x (line currency ->
-- reporting) / (project currency -> reporting). A line without a rate is left out of the sum and
-- counted in fx_missing_line_count (mart_reconciliation lists it).
-- Labour: counted worklogs of fct_labour_cost (mapped, rated, not duplicates, with a rate) by work
-- date, converted the same way at the work date's rate.
-- ac_day_amount = GL + labour when var labour_cost_in_ac is true (the default), GL only when false
-- (labour already posted to the GL is then not counted twice); both parts stay visible.

with

gl_lines as (

    select * from {{ ref('fct_gl_line') }}
    where project_id is not null

),

labour as (

    select * from {{ ref('fct_labour_cost') }}
    where is_counted

),

currencies as (

    select * from {{ ref('int_evm__project_currencies') }}

),

{{ value_fx_ctes() }},

with_project as (

    select
        gl_lines.project_id,
        gl_lines.posting_on,
        gl_lines.amount,
        upper(gl_lines.currency) as currency,
        gl_lines.fx_rate,
        coalesce(currencies.project_currency, '{{ value_reporting_currency() }}') as project_currency
    from gl_lines
    left join currencies
        on gl_lines.project_id = currencies.project_id

),

rated as (

    select
        with_project.*,
        {{ value_rate_to_reporting_columns('with_project', 'project_currency', 'posting_on', 'project', 'project_rate') }}
    from with_project
    {{ value_rate_to_reporting_join('with_project', 'project_currency', 'posting_on', 'project') }}

),

converted as (

    select
        project_id,
        posting_on,
        project_currency,
        {{ value_to_project_currency('amount', 'currency', 'fx_rate', 'project_currency', 'project_rate') }}
            as ac_amount
    from rated

),

gl_days as (

    select
        project_id,
        posting_on,
        project_currency,
        sum(ac_amount) as ac_gl_day_amount,
        sum(case when ac_amount is null then 1 else 0 end) as fx_missing_line_count
    from converted
    group by project_id, posting_on, project_currency

),

labour_days as (

    select
        project_id,
        work_on as posting_on,
        project_currency,
        sum(cost_project_amount) as ac_labour_day_amount,
        sum(hours) as labour_hours
    from labour
    group by project_id, work_on, project_currency

),

final as (

    select
        coalesce(gl_days.project_id, labour_days.project_id) as project_id,
        coalesce(gl_days.posting_on, labour_days.posting_on) as posting_on,
        coalesce(gl_days.project_currency, labour_days.project_currency) as project_currency,
        {%- if value_labour_in_ac() %}
        case
            when labour_days.project_id is null then gl_days.ac_gl_day_amount
            else coalesce(gl_days.ac_gl_day_amount, 0) + labour_days.ac_labour_day_amount
        end as ac_day_amount,
        {%- else %}
        case when gl_days.project_id is null then 0 else gl_days.ac_gl_day_amount end as ac_day_amount,
        {%- endif %}
        case when gl_days.project_id is null then 0 else gl_days.ac_gl_day_amount end as ac_gl_day_amount,
        coalesce(labour_days.ac_labour_day_amount, 0) as ac_labour_day_amount,
        coalesce(labour_days.labour_hours, 0) as labour_hours,
        coalesce(gl_days.fx_missing_line_count, 0) as fx_missing_line_count
    from gl_days
    full outer join labour_days
        on gl_days.project_id = labour_days.project_id
        and gl_days.posting_on = labour_days.posting_on

)

select * from final
