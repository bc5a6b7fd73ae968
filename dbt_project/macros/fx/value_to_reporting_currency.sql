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
