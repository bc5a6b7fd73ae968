-- Project budgets by month and version (latest-wins per project_code, budget_month, version),
-- mapped to VRO projects by finance code (project_id null when unmapped) and converted to the
-- reporting currency at the rate of the budget month's first day (or the latest earlier rate).

with

budgets as (

    select * from {{ ref('int_budget__lines_latest') }}

),

-- project_id from the registry's finance codes; fx_rate and fx_rate_on for the budget month
converted as (

    {{ value_finance_lines('budgets', 'budget_month') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "coalesce(project_code, '')", "'|'",
            "cast(budget_month as " ~ dbt.type_string() ~ ")", "'|'", "coalesce(version, '')"
        ])) }} as budget_line_key,
        project_id,
        project_code,
        budget_month as budget_month_on,
        version,
        {{ value_reporting_amount_columns() }},
        source_file
    from converted

)

select * from final
