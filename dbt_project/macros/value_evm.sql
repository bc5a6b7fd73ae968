{#-
  An amount in `currency_column` converted into the project's currency, as an expression: the
  amount itself when the currencies match, else a cross rate via the reporting currency:
  amount x (currency -> reporting on the day) / (project currency -> reporting on the same day).
  `fx_rate_column` is the first rate (value_to_reporting_currency's fx_rate), `project_rate_column`
  the second (1.0 when the project's currency is the reporting currency); null without a rate.
-#}
{% macro value_to_project_currency(amount, currency_column, fx_rate_column, project_currency_column, project_rate_column) -%}
    case
        when upper({{ currency_column }}) = {{ project_currency_column }} then {{ amount }}
        else {{ amount }} * {{ fx_rate_column }} / nullif({{ project_rate_column }}, 0)
    end
{%- endmacro %}

{#-
  The rate that multiplies an amount in `currency_column` into the reporting currency on
  `date_column` (or the latest earlier rate): value_rate_to_reporting_join left-joins the rates
  onto `relation` (a CTE name) as `<prefix>_fx`; value_rate_to_reporting_columns then selects
  `<rate_name>` (1.0 for the reporting currency) and `<rate_name>_on` (the ECB date used).
  `fx` is a CTE over int_fx__daily_rates; `fx_bounds` one with (currency, last_rate_on), the last
  day of each currency in it, so a date after it takes the last rate.
-#}
{% macro value_rate_to_reporting_columns(relation, currency_column, date_column, prefix, rate_name) -%}
        case when {{ relation }}.{{ currency_column }} = '{{ value_reporting_currency() }}' then 1.0
            else {{ prefix }}_fx.rate_to_reporting end as {{ rate_name }},
        case when {{ relation }}.{{ currency_column }} = '{{ value_reporting_currency() }}'
            then {{ relation }}.{{ date_column }} else {{ prefix }}_fx.rate_source_on end as {{ rate_name }}_on
{%- endmacro %}

{% macro value_rate_to_reporting_join(relation, currency_column, date_column, prefix) -%}
    left join fx_bounds as {{ prefix }}_bounds
        on {{ relation }}.{{ currency_column }} = {{ prefix }}_bounds.currency
    left join fx as {{ prefix }}_fx
        on {{ relation }}.{{ currency_column }} = {{ prefix }}_fx.currency
        and {{ prefix }}_fx.rate_on = case
            when {{ relation }}.{{ date_column }} > {{ prefix }}_bounds.last_rate_on
                then {{ prefix }}_bounds.last_rate_on
            else {{ relation }}.{{ date_column }}
        end
{%- endmacro %}

{#- The `fx` and `fx_bounds` CTEs the two macros above read (write them among the import CTEs). -#}
{% macro value_fx_ctes() -%}
fx as (

    select * from {{ ref('int_fx__daily_rates') }}

),

fx_bounds as (

    select currency, max(rate_on) as last_rate_on
    from fx
    group by currency

)
{%- endmacro %}
