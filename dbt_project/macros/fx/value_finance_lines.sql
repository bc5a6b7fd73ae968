{#-
  A finance export's latest-wins lines (`relation`, a CTE name; with project_code, currency and
  amount) as the finance facts use them: every column, plus project_id mapped through the
  registry's finance codes (value_with_project_id on int_project_keys) and fx_rate / fx_rate_on for
  `rate_date_column` (value_to_reporting_currency on int_fx__daily_rates).
-#}
{% macro value_finance_lines(relation, rate_date_column) -%}
    with project_keys as (
        select * from {{ ref('int_project_keys') }}
        where key_type = 'finance_code'
    ),

    fx as (
        select * from {{ ref('int_fx__daily_rates') }}
    ),

    mapped as (
        {{ value_with_project_id(relation, 'project_code') }}
    ),

    converted as (
        {{ value_to_reporting_currency('mapped', 'currency', rate_date_column) }}
    )

    select * from converted
{%- endmacro %}
