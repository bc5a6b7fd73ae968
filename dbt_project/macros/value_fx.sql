{#- The reporting currency: var reporting_currency, upper case (EUR by default). -#}
{% macro value_reporting_currency() -%}
    {{ var('reporting_currency', 'EUR') | upper }}
{%- endmacro %}

{#-
  Conversion into the reporting currency, as a select over `relation` (a CTE name): every column of
  it plus fx_rate (multiplies an amount in `currency_column` into the reporting currency: 1.0 for
  the reporting currency itself, else the rate of int_fx__daily_rates on `rate_date_column` or the
  latest earlier rate; null when there is none) and fx_rate_on (the date that rate was published;
  the rate date itself for the reporting currency). `fx` is the int_fx__daily_rates relation.
-#}
{% macro value_to_reporting_currency(relation, currency_column, rate_date_column, fx='fx') -%}
    {%- set reporting = value_reporting_currency() -%}
    select
        {{ relation }}.*,
        case when upper({{ relation }}.{{ currency_column }}) = '{{ reporting }}' then 1.0
            else {{ fx }}.rate_to_reporting end as fx_rate,
        case when upper({{ relation }}.{{ currency_column }}) = '{{ reporting }}'
            then {{ relation }}.{{ rate_date_column }} else {{ fx }}.rate_source_on end as fx_rate_on
    from {{ relation }}
    left join {{ fx }}
        on upper({{ relation }}.{{ currency_column }}) = {{ fx }}.currency
        and {{ relation }}.{{ rate_date_column }} = {{ fx }}.rate_on
{%- endmacro %}

{#-
  The published money columns of a finance fact converted by value_to_reporting_currency: amount
  and currency as delivered, the rate used, reporting_amount (rounded to the cent; null, never
  zero, without a rate), reporting_currency and is_fx_missing.
-#}
{% macro value_reporting_amount_columns() -%}
        cast(amount as decimal(18, 2)) as amount,
        upper(currency) as currency,
        fx_rate_on,
        cast(fx_rate as double) as fx_rate,
        cast(round(amount * fx_rate, 2) as decimal(18, 2)) as reporting_amount,
        '{{ value_reporting_currency() }}' as reporting_currency,
        fx_rate is null as is_fx_missing
{%- endmacro %}

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
