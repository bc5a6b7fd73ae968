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
