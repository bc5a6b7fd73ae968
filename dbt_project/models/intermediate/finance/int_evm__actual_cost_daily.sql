-- Actual cost per project and posting day in the project's currency (int_evm__project_currencies;
-- the reporting currency for a project without a schedule). A GL line in another currency
-- converts at its posting date's rate (or the latest earlier one), cross rate via the reporting
-- currency: amount x (line currency -> reporting) / (project currency -> reporting). A line
-- without a rate is left out of the sum and counted in fx_missing_line_count (mart_reconciliation
-- lists it).

with

gl_lines as (

    select * from {{ ref('fct_gl_line') }}
    where project_id is not null

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

final as (

    select
        project_id,
        posting_on,
        project_currency,
        sum(ac_amount) as ac_day_amount,
        sum(case when ac_amount is null then 1 else 0 end) as fx_missing_line_count
    from converted
    group by project_id, posting_on, project_currency

)

select * from final
