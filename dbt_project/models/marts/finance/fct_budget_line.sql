-- Project budgets by month and version (latest-wins per project_code, budget_month, version),
-- mapped to VRO projects by finance code (project_id null when unmapped) and converted to the
-- reporting currency at the rate of the budget month's first day (or the latest earlier rate).

{%- set reporting = var('reporting_currency', 'EUR') | upper %}

with

budgets as (

    select * from {{ ref('int_budget__lines_latest') }}

),

project_keys as (

    select * from {{ ref('int_project_keys') }}
    where key_type = 'finance_code'

),

fx as (

    select * from {{ ref('int_fx__daily_rates') }}

),

joined as (

    select
        budgets.*,
        project_keys.project_id,
        case when upper(budgets.currency) = '{{ reporting }}' then 1.0 else fx.rate_to_reporting end as fx_rate,
        case when upper(budgets.currency) = '{{ reporting }}' then budgets.budget_month else fx.rate_source_on end
            as fx_rate_on
    from budgets
    left join project_keys
        on trim(budgets.project_code) = project_keys.key_value
    left join fx
        on upper(budgets.currency) = fx.currency
        and budgets.budget_month = fx.rate_on

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "coalesce(project_code, '')", "'|'",
            "cast(budget_month as " ~ dbt.type_string() ~ ")", "'|'", "coalesce(version, '')"
        ])) }} as budget_line_key,
        project_id,
        project_code,
        budget_month,
        version,
        cast(amount as decimal(18, 2)) as amount,
        upper(currency) as currency,
        fx_rate_on,
        cast(fx_rate as double) as fx_rate,
        cast(round(amount * fx_rate, 2) as decimal(18, 2)) as amount_reporting,
        '{{ reporting }}' as reporting_currency,
        fx_rate is null as is_fx_missing,
        source_file
    from joined

)

select * from final
