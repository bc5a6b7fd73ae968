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
